"""All 25 ACLED sub-event types, each reachable by a rule written from the codebook's
definition (ACLED Codebook, 2019/2023 editions), and the sentences a user would code.

The unit tests call :func:`eventscope.extract.typing_rules.decide` with cue classes (no
model); the sentence tests run the real spaCy model (marked ``model``).
"""

from __future__ import annotations

import pytest

from eventscope.extract import knowledge
from eventscope.records import Article

from .test_coder import _decide  # the rules' decision with neutral context

# One input per sub-type, written from the codebook's definition of that sub-type.
REACHABLE = {
    "Armed clash": ({"clash"}, (), {"agent_type": "Rebel group", "patient_type": "State forces"}),
    "Government regains territory": ({"regain"}, (), {"agent_type": "State forces"}),
    "Non-state actor overtakes territory": ({"overtake"}, (), {"agent_type": "Rebel group"}),
    "Chemical weapon": ({"chemical"}, (), {}),
    "Air/drone strike": ({"air", "attack"}, (), {}),
    "Suicide bomb": ({"suicide", "ied"}, (), {}),
    "Shelling/artillery/missile attack": ({"shelling"}, (), {}),
    "Remote explosive/landmine/IED": ({"ied"}, (), {}),
    "Grenade": ({"grenade"}, (), {}),
    "Sexual violence": ({"sexual"}, (), {}),
    "Attack": ({"attack"}, (), {"agent_type": "Rebel group", "patient_type": "Civilians"}),
    "Abduction/forced disappearance": ({"abduction"}, (), {}),
    "Peaceful protest": ({"protest"}, (), {}),
    "Protest with intervention": ({"protest"}, {"intervention"}, {"state_present": True}),
    "Excessive force against protesters": (
        {"protest", "kill"},
        {"excessive", "at_protesters"},
        {"agent_type": "State forces"},
    ),
    "Violent demonstration": ({"riot"}, (), {}),
    "Mob violence": ({"mob"}, (), {}),
    "Agreement": ({"agreement"}, (), {}),
    "Arrests": ({"arrest"}, (), {"agent_type": "State forces"}),
    "Change to group/activity": ({"change"}, (), {}),
    "Disrupted weapons use": ({"disrupted", "ied"}, (), {}),
    "Headquarters or base established": ({"hq"}, (), {}),
    "Looting/property destruction": ({"looting"}, (), {}),
    "Non-violent transfer of territory": ({"transfer"}, (), {}),
    "Other": ({"other"}, (), {}),
}


def test_every_sub_event_type_of_the_codebook_is_reachable():
    assert set(REACHABLE) == set(knowledge.load_taxonomy().event_type_of)
    for sub, (cues, mods, kw) in REACHABLE.items():
        assert _decide(cues, mods, **kw).sub_event_type == sub, sub


def test_a_weapons_seizure_is_disrupted_weapons_use():
    # codebook: "the seizure of weapons or weapons stockpiles"
    d = _decide({"seize", "change"}, {"weapons"}, agent_type="State forces")
    assert d.sub_event_type == "Disrupted weapons use"
    # a group taking goods loots them; a battle in which arms were taken stays the battle
    assert _decide({"seize"}, agent_type="Rebel group").sub_event_type == (
        "Looting/property destruction"
    )
    d = _decide(
        {"seize", "clash"}, {"weapons"}, agent_type="State forces", patient_type="Rebel group"
    )
    assert d.sub_event_type == "Armed clash"


def test_ordnance_from_an_old_war_is_other():
    assert _decide({"ied", "attack"}, {"remnant", "harm"}).sub_event_type == "Other"
    assert _decide({"ied", "attack"}, {"harm"}).sub_event_type != "Other"


def test_displacement_without_violence_is_other():
    assert _decide({"other"}).sub_event_type == "Other"
    # fighting that displaced people is the fighting
    d = _decide({"other", "clash"}, agent_type="Rebel group", patient_type="State forces")
    assert d.sub_event_type == "Armed clash"


def test_state_forces_arresting_without_harm_make_arrests():
    d = _decide({"attack", "arrest"}, agent_type="State forces", patient_type="Civilians")
    assert d.sub_event_type == "Arrests"
    d = _decide({"attack", "arrest"}, {"harm"}, agent_type="State forces", patient_type="Civilians")
    assert d.sub_event_type == "Attack"


def test_an_aircraft_shot_down_with_deaths_is_a_battle():
    d = _decide(
        {"disrupted", "air", "kill"},
        {"death", "harm"},
        agent_type="Rebel group",
        patient_type="State forces",
    )
    assert d.sub_event_type == "Armed clash"
    assert _decide({"disrupted", "air"}).sub_event_type == "Disrupted weapons use"


# --------------------------------------------------------------------------- sentences


@pytest.fixture(scope="module")
def code():
    from eventscope.extract.coder import EventCoder
    from eventscope.nlp import load_nlp, truecase

    nlp = load_nlp()
    # the rules alone: these sentences check that each sub-type is reachable by a rule
    # written from the codebook (the event-type model is weighed in by tests/test_typemodel.py)
    coder = EventCoder(use_model=False)

    def run(text: str, published: str | None = "2020-05-04") -> list[str | None]:
        doc = nlp(truecase(text))
        events = coder.code(doc, Article(id="t", text=text, published=published), [])
        return [e.sub_event_type for e in events]

    return run


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "sub"),
    [
        ("A timed IED was found on a roadside in Phetchabun and safely defused.", None),
        (
            "Turkish Gendarmerie forces seized 8 hand-grenades, one AK-47 assault rifle and"
            " ammunition belonging to the PKK near Akcakale.",
            "Disrupted weapons use",
        ),
        ("LNA forces shot down a Turkish drone at Al Watiyah airbase.", "Disrupted weapons use"),
        (
            "Two soldiers were injured by a landmine left over from the war in Dehloran county.",
            "Other",
        ),
        (
            "840 families from Barangay Tuka in Mamasapano evacuated following the eruption of"
            " hostilities between two clans.",
            "Other",
        ),
        ("Rebels shot down an army helicopter, killing 5 soldiers.", "Armed clash"),
        # codebook, Grenade: "other improvised explosive device which is thrown"
        ("Assailants hurled two crude bombs at a bus in Dhaka on Sunday.", "Grenade"),
        ("Militants threw a bomb at a police vehicle in Jessore.", "Grenade"),
        ("A party leader was axed to death inside the tehsildar's office.", "Attack"),
        # codebook, Other: significant developments of no other sub-type
        ("Police heard shots being fired in the air by guards across the border.", "Other"),
        ("On 9 May 2020, 210 Venezuelan migrants returned from Peru.", "Other"),
        ("Police fired into the air to disperse protesters in Lagos.", "Protest with intervention"),
        ("Soldiers fired warning shots and killed two smugglers.", "Attack"),
        (
            "Fighter planes bombed militant hideouts in the Tirah valley, killing 8 militants.",
            "Air/drone strike",
        ),
    ],
)
def test_sub_types_of_sentences(code, text, sub):
    got = code(text)
    if sub is None:  # "found ... defused": a foiled use, whatever else the text holds
        assert "Disrupted weapons use" in got
        assert "Remote explosive/landmine/IED" not in got
    else:
        assert got and got[0] == sub


# --------------------------------------------------------------------------- non-events


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        # disasters and accidents
        "A tsunami killed at least 43 people on the Indonesian islands of Java and Sumatra.",
        "A strong earthquake on Java killed eight people and damaged 1,300 buildings.",
        "19 people were killed when their bus plunged off a bridge onto a frozen river.",
        "Japan's military mobilized on Tuesday to dig out 200 vehicles stuck in heavy snow.",
        "Four workers were hurt when a tank at a gas plant exploded on Thursday night.",
        # diplomacy that names violence as its topic
        "Canada announced new sanctions against Syria in response to its chemical weapons attack.",
        "Russia retaliated with new sanctions over the bombing of its soldiers.",
    ],
)
def test_non_events_give_no_acled_event(code, text):
    assert [s for s in code(text) if s is not None] == []


@pytest.mark.model
def test_violence_around_a_disaster_or_a_claim_is_still_an_event(code):
    # a crowd burning a vehicle after a road accident riots; a claimed attack is an attack
    # (ACLED codes claimed attacks, and MUC-4 counts them as incidents)
    assert code("Taxi riders burnt a police vehicle in Bafoussam after a road accident.")
    got = code("Gunmen killed 3 soldiers in Borno. Boko Haram claimed responsibility for it.")
    assert got == ["Armed clash"]


# --------------------------------------------------------------------------- actor types


@pytest.fixture(scope="module")
def code_events():
    from eventscope.extract.coder import EventCoder
    from eventscope.nlp import load_nlp, truecase

    nlp = load_nlp()
    coder = EventCoder()

    def run(text: str):
        doc = nlp(truecase(text))
        return coder.code(doc, Article(id="t", text=text, published="2020-05-04"), [])

    return run


@pytest.mark.model
def test_communities_fighting_are_communal_militias(code_events):
    events = code_events("Four persons were killed in a clash between two communities in Nadia.")
    assert "Identity militia" in {e.actor1_type for e in events}


@pytest.mark.model
def test_strike_enforcers_attacking_vehicles_are_rioters(code_events):
    events = code_events("Blockaders set fire to a bus in Dhaka.")
    assert events and events[0].actor1_type == "Rioters"


@pytest.mark.model
def test_inter_clan_violence_is_an_event(code_events):
    events = code_events(
        "Inter-clan violence erupted in Afdere zone, leaving at least 5 people dead."
    )
    assert events and events[0].event_type is not None and events[0].fatalities == 5
