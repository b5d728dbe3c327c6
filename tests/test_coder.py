"""The event coder: detection, ACLED type and sub-type, PLOVER, modality, merging.

Unit tests of the knowledge files and the codebook rules need no model; the tests that parse
sentences use the real spaCy model (marked ``model``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from eventscope.errors import KnowledgeError
from eventscope.extract import knowledge
from eventscope.extract.typing_rules import decide
from eventscope.records import ACLED_EVENT_TYPES, PLOVER_TYPES, Article

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev"

# --------------------------------------------------------------------------- knowledge


def test_taxonomy_lists_all_25_acled_sub_event_types():
    tax = knowledge.load_taxonomy()
    assert len(tax.event_type_of) == 25
    assert set(tax.event_type_of.values()) == set(ACLED_EVENT_TYPES)
    assert set(tax.plover_of.values()) <= set(PLOVER_TYPES)
    # spelled as in the codebook
    for sub in (
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Abduction/forced disappearance",
        "Non-state actor overtakes territory",
        "Looting/property destruction",
        "Excessive force against protesters",
    ):
        assert sub in tax.event_type_of


def test_every_trigger_file_entry_parses():
    trig = knowledge.load_triggers()
    assert set(trig.triggers) == set(knowledge.TRIGGER_CLASSES)
    for cls, phrases in trig.triggers.items():
        assert phrases, cls
        assert all(p == p.lower() and p.strip() == p for p in phrases), cls
    assert "will" in trig.modal_aux and "foiled" in trig.foiled


def test_every_country_entry_parses():
    c = knowledge.load_countries()
    assert c.by_word["nigerian"] == "NG"
    assert c.by_word["norway"] == "NO"  # YAML's "NO" is not read as false
    assert c.name("CD") == "Democratic Republic of Congo"


def test_every_actor_entry_parses():
    actors = knowledge.load_actors()
    names = {e.name for e in actors.entries}
    assert "Islamic State" in names and "Al Shabaab" in names
    for e in actors.entries:
        assert e.aliases or e.exact, e.name


def test_a_broken_user_actor_file_names_the_entry(tmp_path):
    bad = tmp_path / "mine.yaml"
    bad.write_text(yaml.safe_dump({"groups": [{"name": "X Front", "type": "Rebels"}]}))
    with pytest.raises(KnowledgeError, match="X Front"):
        knowledge._parse_actor_file(bad)


# --------------------------------------------------------------------------- codebook rules


def _decide(cues, mods=(), **kw):
    args = dict(
        foiled=False,
        agent_type=None,
        patient_type=None,
        civilian_victims=False,
        forces_mentioned=False,
    )
    args.update(kw)
    return decide(set(cues), set(mods), **args)


def test_actor_types_decide_armed_clash_versus_attack():
    assert (
        _decide({"attack"}, agent_type="Rebel group", patient_type="State forces").sub_event_type
        == "Armed clash"
    )
    assert (
        _decide({"attack"}, agent_type="Rebel group", patient_type="Civilians").sub_event_type
        == "Attack"
    )


def test_weapon_decides_the_remote_violence_sub_type():
    assert _decide({"attack", "air"}).sub_event_type == "Air/drone strike"
    assert _decide({"shelling"}).sub_event_type == "Shelling/artillery/missile attack"
    assert _decide({"ied", "kill"}).sub_event_type == "Remote explosive/landmine/IED"
    assert _decide({"suicide", "ied"}).sub_event_type == "Suicide bomb"
    assert _decide({"grenade"}).sub_event_type == "Grenade"


def test_protest_sub_types():
    assert _decide({"protest"}).sub_event_type == "Peaceful protest"
    assert (
        _decide({"protest"}, {"intervention"}, state_present=True).sub_event_type
        == "Protest with intervention"
    )
    # protesters who block a road have not been intervened upon
    assert _decide({"protest"}, {"intervention"}).sub_event_type == "Peaceful protest"
    assert _decide({"protest", "riot"}).sub_event_type == "Violent demonstration"
    assert _decide({"protest", "kill"}, {"excessive", "at_protesters"}).sub_event_type == (
        "Excessive force against protesters"
    )
    # demonstrators who attack are rioters; people who attack the demonstrators intervene
    assert _decide({"protest", "attack"}, agent_type="Protesters").sub_event_type == (
        "Violent demonstration"
    )
    assert (
        _decide(
            {"protest", "attack"}, agent_type="Civilians", patient_type="Protesters"
        ).sub_event_type
        == "Protest with intervention"
    )


def test_two_armed_sides_clashing_are_no_mob():
    # a stray "fight" ("a campaign to fight smuggling") does not make gunmen a mob
    kw = dict(agent_type="Political militia", patient_type="State forces")
    assert _decide({"clash", "mob"}, **kw).sub_event_type == "Armed clash"
    assert _decide({"clash", "mob"}, agent_type="Civilians").sub_event_type == "Mob violence"


def test_a_prison_riot_without_a_demand_is_mob_violence():
    # ACLED: a violent demonstration has a demonstration's purpose; prisoners rioting with
    # no demand are a mob, and with one they demonstrate
    assert _decide({"riot"}, {"detention"}).sub_event_type == "Mob violence"
    assert _decide({"riot"}, {"detention", "grievance"}).sub_event_type == ("Violent demonstration")
    assert _decide({"riot"}).sub_event_type == "Violent demonstration"


def test_foiled_attack_is_disrupted_weapons_use():
    assert _decide(set(), foiled=True, weapon_named=True).sub_event_type == (
        "Disrupted weapons use"
    )
    # "dismantled four arsenals" names no weapon in use: not a foiled attack
    assert _decide(set(), foiled=True) is None


def test_non_state_arrests_are_abductions():
    # ACLED: only a state arrests; an armed group detaining people abducts them
    assert _decide({"arrest"}, agent_type="State forces").sub_event_type == "Arrests"
    assert _decide({"arrest"}, agent_type="Rebel group").sub_event_type == (
        "Abduction/forced disappearance"
    )


def test_a_ban_on_protests_is_a_measure_not_a_protest():
    d = _decide({"protest", "change", "restriction"}, agent_type="State forces")
    assert d.sub_event_type == "Change to group/activity"


def test_crowds_wrecking_property_riot_and_armed_groups_loot():
    assert _decide({"looting"}, agent_type="Civilians").sub_event_type == "Mob violence"
    assert _decide({"looting"}, {"grievance"}, agent_type="Civilians").sub_event_type == (
        "Violent demonstration"
    )
    assert _decide({"looting"}, agent_type="Rebel group").sub_event_type == (
        "Looting/property destruction"
    )


def test_meeting_and_threat_are_outside_acled():
    d = _decide({"meeting"})
    assert d.sub_event_type is None and d.plover == "CONSULT"
    assert _decide({"threat"}).plover == "THREATEN"


def test_coder_runs_on_a_blank_pipeline_without_a_parser():
    import spacy

    from eventscope.extract.coder import EventCoder

    nlp = spacy.blank("en")
    text = "Gunmen killed five villagers in Zamfara, Nigeria. Nothing else happened."
    (ev,) = EventCoder().code(nlp(text), Article(id="b", text=text), [])
    assert (ev.event_type, ev.sub_event_type) == ("Violence against civilians", "Attack")
    assert ev.actor2 == "Civilians (Nigeria)"
    assert text[ev.sentence_start : ev.sentence_end].startswith("Gunmen")


# --------------------------------------------------------------------------- with the model


@pytest.fixture(scope="module")
def code():
    from eventscope.extract.coder import EventCoder
    from eventscope.nlp import load_nlp, truecase

    nlp = load_nlp()
    coder = EventCoder()

    def run(text: str, published: str | None = "2020-05-04"):
        doc = nlp(truecase(text))
        return coder.code(doc, Article(id="t", text=text, published=published), [])

    return run


@pytest.mark.model
def test_an_article_with_no_event_yields_none(code):
    assert code("The central bank kept interest rates unchanged on Tuesday.") == []


@pytest.mark.model
def test_planned_and_denied_events_are_not_violent_events(code):
    events = code("The rebels will attack the capital next week, a spokesman said.")
    assert all(e.event_type not in ("Battles", "Violence against civilians") for e in events)
    events = code("The army denied that its planes had bombed the village.")
    assert all(e.plover != "ASSAULT" for e in events)


@pytest.mark.model
def test_a_refusal_denies_its_complement_not_its_subjects_act(code):
    # the protesters acted: rejecting a proposal is their protest
    events = code("Protesters in Kisumu rejected the proposal of the governor on Monday.")
    assert [e.sub_event_type for e in events] == ["Peaceful protest"]
    # what is refused did not happen; a plan does not make its planners act
    assert not [e for e in code("Rebels refused to attack the convoy near Goma.")]
    assert not [e for e in code("Protesters planned a march in Nairobi for Friday.")]


@pytest.mark.model
def test_foiled_bombing_is_disrupted_weapons_use(code):
    events = code("On 3 May 2020, police foiled a bomb attack on a market in Kano, Nigeria.")
    assert [e.sub_event_type for e in events] == ["Disrupted weapons use"]


@pytest.mark.model
def test_gunmen_killing_villagers_is_an_attack_on_civilians(code):
    (ev,) = code("On 2 May 2020, gunmen killed five villagers in Zamfara, Nigeria.")
    assert ev.event_type == "Violence against civilians" and ev.sub_event_type == "Attack"
    assert ev.actor1 == "Unidentified Armed Group (Nigeria)"
    assert ev.actor2 == "Civilians (Nigeria)" and ev.actor2_type == "Civilians"
    assert ev.fatalities == 5
    fields = {e.field for e in ev.evidence}
    assert {"trigger", "actor1", "fatalities"} <= fields


@pytest.mark.model
def test_nigerian_air_force_strike(code):
    (ev,) = code(
        "On 1 May 2020, the Nigerian Air Force carried out airstrikes on Boko Haram "
        "camps in Borno, Nigeria."
    )
    assert ev.sub_event_type == "Air/drone strike"
    assert ev.actor1 == "Military Forces of Nigeria" and ev.actor1_type == "State forces"
    assert ev.actor2.startswith("Boko Haram")


@pytest.mark.model
def test_protest_dispersed_by_police_across_sentences(code):
    (ev,) = code(
        "On 4 May 2020, residents protested in Nairobi, Kenya against evictions. "
        "Police fired tear gas to disperse them."
    )
    assert ev.sub_event_type == "Protest with intervention"
    assert ev.actor1 == "Protesters (Kenya)"
    assert ev.actor2 == "Police Forces of Kenya"


@pytest.mark.model
def test_a_later_dispersal_refines_the_protest_across_other_sentences(code):
    events = code(
        "On 4 May 2020, traders staged a demonstration in Cusco, Peru against the closure "
        "of the market. The mayor had closed the market two weeks earlier. "
        "They demanded compensation. Police intervened to disperse the demonstrators."
    )
    protests = [e for e in events if e.event_type == "Protests"]
    assert [e.sub_event_type for e in protests] == ["Protest with intervention"]


@pytest.mark.model
def test_protesters_removed_by_police_is_an_intervention(code):
    events = code(
        "On 28 April 2020, about 100 vendors demonstrated outside the town hall in Leon, "
        "Mexico. The protesters were removed by the police."
    )
    assert [e.sub_event_type for e in events] == ["Protest with intervention"]


@pytest.mark.model
def test_two_events_in_one_sentence_are_kept_apart(code):
    events = code(
        "A Daesh offshoot in Egypt claimed an attack on a water pumping station on "
        "Sunday, killing at least 11 soldiers, and the group has claimed multiple "
        "attacks in Israel recently.",
        published="2022-05-12",
    )
    assert len(events) == 2
    egypt, israel = events
    assert egypt.actor1 == "Islamic State (Egypt)" and egypt.fatalities == 11
    assert israel.fatalities == 0


@pytest.mark.model
def test_forces_hit_by_an_ied_are_its_target(code):
    (ev,) = code("On 26 April 2020, a Malian army truck struck an IED outside Boulkessi, Mali.")
    assert ev.sub_event_type == "Remote explosive/landmine/IED"
    assert ev.actor1 == "Unidentified Armed Group (Mali)"
    assert ev.actor2 == "Military Forces of Mali"


@pytest.mark.model
def test_a_claimed_bombing_is_coded_to_the_group_that_claimed_it(code):
    # ACLED codes a claimed attack to the claimant, even when the claim comes a sentence later
    (ev,) = code(
        "On 3 May 2020, a roadside bomb hit a police truck near Gao, Mali. "
        "Two policemen were wounded. JNIM claimed responsibility for the blast."
    )
    assert ev.sub_event_type == "Remote explosive/landmine/IED"
    assert ev.actor1.startswith("JNIM") and ev.actor1_type == "Rebel group"
    assert ev.actor2 == "Police Forces of Mali"
    (ev,) = code(
        "On 3 May 2020, three farmers were killed when their car hit a landmine in Kandahar, "
        "Afghanistan. Officials said the Taliban planted the mine."
    )
    assert ev.actor1 == "Taliban"


@pytest.mark.model
def test_a_crowd_of_people_attacking_is_a_mob_and_a_few_men_an_armed_group(code):
    # ACLED: civilians who take part in violence are Rioters; unnamed attackers are not
    (ev,) = code("On 3 May 2020, about 300 people attacked a police post in Kisumu, Kenya.")
    assert ev.sub_event_type == "Mob violence"
    assert ev.actor1 == "Rioters (Kenya)" and ev.actor1_type == "Rioters"
    (ev,) = code(
        "On 26 April 2020, a group of people shot and killed a shopkeeper in Nakuru, Kenya."
    )
    assert ev.sub_event_type == "Attack" and ev.actor1_type == "Political militia"


@pytest.mark.model
def test_unidentified_warplanes_are_unidentified_military_forces(code):
    (ev,) = code("On 2 May 2020, unidentified drones struck a truck near Sirte, Libya.")
    assert ev.sub_event_type == "Air/drone strike"
    assert ev.actor1 == "Unidentified Military Forces"
    assert ev.actor1_type == "External/Other forces"
    # the weapon alone names no actor: the event country's forces are the default
    (ev,) = code("On 2 May 2020, warplanes struck a truck near Sirte, Libya.")
    assert ev.sub_event_type == "Air/drone strike" and ev.actor1 != "Unidentified Military Forces"


@pytest.mark.model
def test_the_author_of_an_operation_is_who_acted(code):
    # "killed during an operation by X": X acted, though the killing's clause names nobody
    events = code(
        "On 26 April 2020, 3 Taliban fighters were killed and 5 others were detained during an "
        "operation by the Afghan police in Baghlan, Afghanistan."
    )
    clash = next(e for e in events if e.sub_event_type == "Armed clash")
    assert clash.actor1 == "Police Forces of Afghanistan" and clash.actor2 == "Taliban"


@pytest.mark.model
def test_a_crowd_is_named_by_its_own_nationality(code):
    # ACLED: settlers who beat someone are rioters, named by their own country
    (ev,) = code("On 6 May 2020, Israeli settlers beat a Palestinian farmer near Nablus.")
    assert ev.sub_event_type == "Mob violence"
    assert ev.actor1 == "Rioters (Israel)" and ev.actor1_type == "Rioters"


@pytest.mark.model
def test_an_organisation_burning_property_is_property_destruction_of_civilians(code):
    (ev,) = code(
        "On 6 May 2020, the Sons of Anger initiative set fire to a warehouse in Izmir, Turkey."
    )
    assert ev.sub_event_type == "Looting/property destruction"
    assert ev.actor1_type == "Political militia"
    # ACLED: the owners of property destroyed are the other side, civilians by default
    assert ev.actor2 == "Civilians (Turkey)"


@pytest.mark.model
def test_a_people_noun_that_qualifies_a_building_is_no_victim(code):
    # "a student dormitory" was attacked, not students: property destruction, no attack
    (ev,) = code(
        "On 26 April 2020, militants launched an arson attack on a student dormitory in Jos, "
        "Nigeria. The hostel was badly damaged."
    )
    assert ev.sub_event_type == "Looting/property destruction"


@pytest.mark.model
def test_a_currency_exchange_is_no_exchange_of_fire(code):
    (ev,) = code(
        "On 26 April 2020, a car bomb went off beside a bakery in Azaz, Syria, killing a trader "
        "who worked in currency exchange."
    )
    assert ev.sub_event_type == "Remote explosive/landmine/IED"


@pytest.mark.model
def test_they_continues_the_subject_of_the_sentence_before(code):
    # the young men, not an unknown armed group, fought the police: mob violence
    events = code(
        "On 26 April 2020, several hundred young men gathered on a square in Larissa, Greece. "
        "They clashed with police who were trying to break up the gathering."
    )
    assert "Armed clash" not in [e.sub_event_type for e in events]
    assert any(e.actor1 == "Rioters (Greece)" for e in events)


@pytest.mark.model
def test_an_off_duty_soldier_killed_is_a_civilian_victim(code):
    (ev,) = code(
        "On 26 April 2020, Al Shabaab gunmen shot dead an off-duty soldier in Kismayo, Somalia."
    )
    assert ev.sub_event_type == "Attack" and ev.actor1 == "Al Shabaab"


@pytest.mark.model
def test_all_caps_wire_text_is_coded(code):
    events = code(
        "SAN SALVADOR, 3 JAN 90 -- URBAN GUERRILLAS OF THE FMLN KIDNAPPED A JUDGE IN SAN "
        "SALVADOR YESTERDAY.",
        published=None,
    )
    kidnap = [e for e in events if e.sub_event_type == "Abduction/forced disappearance"]
    assert kidnap and kidnap[0].actor1.startswith("FMLN")


@pytest.mark.model
def test_habitual_and_recalled_violence_is_not_an_event(code):
    assert code("The group mostly targets security forces with roadside bombs.") == []
    events = code(
        "A shepherd was killed when unexploded bombs left over from earlier fighting blew up."
    )
    assert [e.sub_event_type for e in events] == ["Remote explosive/landmine/IED"]


@pytest.mark.model
def test_the_seed_article_events(code):
    from .conftest import SEED

    events = code(SEED.read_text(encoding="utf-8"), published="2022-05-12")
    meeting = [e for e in events if e.plover == "CONSULT"]
    assert len(meeting) == 1 and meeting[0].event_type is None
    assert meeting[0].event_date == "2022-05-11"
    assert meeting[0].actor1 == "Global Coalition Against Daesh"
    assert not [e for e in events if e.event_date == "2022-05-11" and e.event_type]
    egypt = next(e for e in events if e.actor1 == "Islamic State (Egypt)")
    assert egypt.fatalities == 11 and egypt.event_date == "2022-05-08"
    casablanca = next(e for e in events if (e.event_date or "").startswith("2003"))
    assert casablanca.sub_event_type == "Suicide bomb" and casablanca.fatalities == 33
    marrakesh = next(e for e in events if (e.event_date or "").startswith("2011"))
    assert marrakesh.event_type == "Explosions/Remote violence" and marrakesh.fatalities == 17
    afghanistan = next(e for e in events if e.actor1 == "Islamic State (Afghanistan)")
    assert afghanistan.actor2 == "Taliban" and afghanistan.fatalities == 0
    # populations, inmates and hopes are not events or deaths
    assert sum(e.fatalities for e in events) == 11 + 33 + 17
    assert all(e.event_date != "2022-05-16" for e in events)  # "the meeting on Monday"
    for e in events:
        assert {ev.field for ev in e.evidence} >= {"trigger"}
        assert 0 < e.confidence < 1


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "sub_event_type", "actor1"),
    [
        (
            "On 6 May 2020, gunmen threw a grenade at a bar in Bujumbura, Burundi, injuring 4 "
            "people.",
            "Grenade",
            "Unidentified Armed Group (Burundi)",
        ),
        (
            "On 7 May 2020, Malian forces recaptured the town of Diafarabe from JNIM militants.",
            "Government regains territory",
            "Military Forces of Mali",
        ),
        (
            "On 8 May 2020, Al Shabaab militants took control of the town of Bardale in Somalia.",
            "Non-state actor overtakes territory",
            "Al Shabaab",
        ),
        (
            "On 2 May 2020, JNIM militants established a base in the forest near Boni, Mali.",
            "Headquarters or base established",
            "JNIM: Group for Support of Islam and Muslims",
        ),
        (
            "On 4 May 2020, the government of South Sudan and the SPLM-IO signed a ceasefire "
            "agreement in Juba.",
            "Agreement",
            "Government of South Sudan",
        ),
        (
            "On 3 May 2020, soldiers defused an IED planted on the road to Gao, Mali.",
            "Disrupted weapons use",
            "Military Forces of Mali",
        ),
    ],
)
def test_sub_event_types_beyond_the_dev_notes(code, text, sub_event_type, actor1):
    (ev,) = code(text)
    assert ev.sub_event_type == sub_event_type
    assert ev.actor1 == actor1


@pytest.mark.model
@pytest.mark.devdata
@pytest.mark.skipif(not DEV.exists(), reason=f"dev data not found at {DEV}")
def test_acled_coding_floor():
    from eventscope.evaluate import run_eval

    s = run_eval(DEV / "acled_2020_dev.jsonl")["acled_2020_dev"]
    # measured 0.921, 0.888, 0.888 (targets 0.90, 0.80, 0.85): a drop of a few notes fails
    assert s["event_type_accuracy"] >= 0.915, s
    assert s["sub_event_type_accuracy"] >= 0.88, s
    assert s["actor1_type_accuracy"] >= 0.88, s


@pytest.mark.model
def test_its_attacks_belong_to_the_group_named_before(code):
    events = code(
        "Al Shabaab has lost ground in southern Somalia this year, officials say. Analysts "
        "expect a long insurgency in the country's south despite the losses. "
        "Its attacks included an assault on 2 May 2020 on an army base in Somalia."
    )
    assert [e.actor1 for e in events] == ["Al Shabaab"]


@pytest.mark.model
def test_people_a_group_name_describes_are_not_that_group(code):
    (ev,) = code(
        "On 2 May 2020, gunmen attacked a prison in Borno, Nigeria, that held 400 Boko Haram "
        "inmates."
    )
    assert not (ev.actor2 or "").startswith("Boko Haram")


@pytest.mark.model
def test_a_branch_named_by_one_country_does_not_name_events_in_another(code):
    events = code(
        "A Daesh offshoot in Egypt claimed an attack on a checkpoint in Egypt on Sunday, "
        "killing 11 soldiers, and the group has claimed multiple attacks in Israel recently."
    )
    assert [e.actor1 for e in events] == ["Islamic State (Egypt)", "Islamic State (Israel)"]


def test_a_trigger_word_inside_an_idiom_reports_no_event():
    import spacy

    from eventscope.extract.detect import CueFinder
    from eventscope.extract.knowledge import load_triggers

    nlp = spacy.blank("en")
    finder = CueFinder(nlp.vocab, load_triggers())
    doc = nlp("The rebels offered a ceasefire in exchange for an amnesty.")
    assert not [c for c in finder.triggers(doc, set()) if doc[c.start : c.end].text == "exchange"]
    doc = nlp("Soldiers and rebels had an exchange of fire near the bridge.")
    assert [c for c in finder.triggers(doc, set()) if c.cls == "clash"]


@pytest.mark.model
def test_the_source_of_the_news_is_not_a_party_to_the_event(code):
    text = (
        "Bomb damages bridge near Zacapa\n"
        "GUATEMALA CITY, 27 July 1989 (DPA) -- A bomb damaged a road bridge near Zacapa "
        "yesterday, injuring a truck driver, the National Police said.\n"
        "An army spokesman attributed the blast to the rebels."
    )
    events = [e for e in code(text) if e.event_type == "Explosions/Remote violence"]
    assert events and all(not (e.actor2 or "").startswith("Military") for e in events)
