"""Relevant-message detection (eventscope.extract.relevance): does a document report a
specific incident of political violence that happened, in a given region?"""

from __future__ import annotations

import pytest

from eventscope.errors import KnowledgeError
from eventscope.extract import relevance
from eventscope.extract.relevance import assess, incident_kind, load_cues, load_region
from eventscope.records import Article, DocumentResult, Event


def _doc(text: str, *events: Event) -> DocumentResult:
    return DocumentResult(article=Article(id="d", text=text), events=list(events))


def _event(text: str, phrase: str, **kw) -> Event:
    start = text.index(phrase)
    # the sentence holding the phrase
    s = text.rfind(".", 0, start) + 1
    e = text.find(".", start)
    base = dict(
        event_id="",
        plover="ASSAULT",
        event_type="Explosions/Remote violence",
        sub_event_type="Remote explosive/landmine/IED",
        country_code="SV",
        sentence_start=s,
        sentence_end=(e + 1) if e >= 0 else len(text),
    )
    base.update(kw)
    return Event(**base)


def _triggered(text: str, phrase: str, **kw) -> Event:
    """An event coded from ``phrase``, with the trigger's evidence span the coder gives."""
    from eventscope.records import Evidence

    at = text.index(phrase)
    ev = _event(text, phrase, trigger=phrase.lower(), **kw)
    ev.evidence.append(Evidence(field="trigger", start=at, end=at + len(phrase)))
    return ev


def test_knowledge_files_parse():
    cues = load_cues()
    kinds = dict(cues.incident_verbs)
    assert kinds["BOMBING"].search("A BOMB EXPLODED") and kinds["KIDNAPPING"].search("KIDNAPPED")
    assert cues.specific_time.search("on 30 December")
    region = load_region("muc4")
    assert region.countries == frozenset({"AR", "BO", "CL", "CO", "EC", "SV", "GT", "HN", "PE"})
    assert region.names["san salvador"] == "SV"
    assert "clandestine" in region.placeless_datelines


def test_unknown_region_is_a_knowledge_error():
    with pytest.raises(KnowledgeError, match="unknown region 'atlantis'.*muc4"):
        load_region("atlantis")
    with pytest.raises(KnowledgeError, match="nowhere.yaml"):
        load_region("nowhere.yaml")


def test_a_region_file_of_ones_own_is_read_like_the_shipped_one(tmp_path):
    own = tmp_path / "andes.yaml"
    own.write_text("name: andes\ncountries: [PE, BO]\nnames: {PE: [lima]}\n", encoding="utf-8")
    region = load_region(str(own))
    assert region.name == "andes" and region.contains("BO") and not region.contains("SV")
    text = "LIMA, 5 MAY 90 -- A BOMB EXPLODED YESTERDAY AT A BANK."
    assert assess(_doc(text, _event(text, "BOMB", country_code="PE")), region=region).relevant
    bad = tmp_path / "bad.yaml"
    bad.write_text("countries: [Peru]\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="bad.yaml.*ISO 3166"):
        load_region(str(bad))


def test_a_bombing_in_the_region_is_relevant_and_one_abroad_is_not():
    text = "SAN SALVADOR, 3 JAN 90 -- A BOMB EXPLODED YESTERDAY AT A POWER STATION."
    region = load_region("muc4")
    assert assess(_doc(text, _event(text, "BOMB")), region=region).kinds == ["BOMBING"]
    # a sentence that names a country outside the region puts the incident there
    abroad = "SAN SALVADOR, 3 JAN 90 -- A BOMB EXPLODED YESTERDAY IN MADRID, SPAIN."
    ev = _event(abroad, "BOMB", country_code="ES")
    assert not assess(_doc(abroad, ev), region=region).relevant
    # without a region the same event counts
    assert assess(_doc(abroad, ev)).relevant


def test_the_region_test_reads_the_sentence_and_dateline_not_only_the_geocoder():
    region = load_region("muc4")
    # the geocoder put 'the capital' in the wrong country; the message was filed in Bogota
    text = "BOGOTA, 3 JAN 90 -- A BOMB EXPLODED LATE LAST NIGHT OUTSIDE A HOTEL IN THE CAPITAL."
    misplaced = _event(text, "BOMB", country_code="US")
    assert assess(_doc(text, misplaced), region=region).relevant
    # the same report filed from Managua (Nicaragua) is about somewhere else
    managua = text.replace("BOGOTA,", "MANAGUA (NICARAGUA),")
    ev = _event(managua, "BOMB", country_code="NI")
    assert not assess(_doc(managua, ev), region=region).relevant
    # a sentence naming a city of the region wins over a wrong geocode
    named = (
        "MANAGUA (NICARAGUA), 3 JAN 90 -- A BOMB EXPLODED LATE LAST NIGHT OUTSIDE A HOTEL IN "
        "MEDELLIN."
    )
    ev = _event(named, "BOMB", country_code="MX")
    assert assess(_doc(named, ev), region=region).relevant


def test_an_incident_recalled_from_a_past_year_is_not_a_report():
    text = "LIMA, 5 MAY 90 -- THE TRIAL OF THOSE WHO KILLED TWO JUDGES IN 1988 OPENED."
    ev = _event(
        text,
        "KILLED",
        event_type="Violence against civilians",
        sub_event_type="Attack",
        fatalities=2,
        country_code="PE",
    )
    assert not assess(_doc(text, ev)).relevant


def test_attacks_need_a_toll_and_army_initiated_combat_is_no_incident():
    attack = Event(event_id="", plover="ASSAULT", sub_event_type="Attack", fatalities=0)
    assert incident_kind(attack) is None
    attack.fatalities = 2
    assert incident_kind(attack) == "ATTACK"
    army = Event(
        event_id="",
        plover="ASSAULT",
        sub_event_type="Armed clash",
        fatalities=3,
        actor1_type="State forces",
    )
    assert incident_kind(army) is None
    army.actor1_type = "Rebel group"
    assert incident_kind(army) == "ATTACK"
    threat = Event(event_id="", plover="THREATEN")
    assert incident_kind(threat) == "THREAT"


def test_lexical_pass_finds_an_uncoded_incident_with_a_concrete_time():
    text = (
        "BOGOTA, 3 JAN 90 -- [TEXT] THE MAYOR SPOKE ABOUT THE BUDGET. "
        "TWO POLICEMEN WERE KILLED LAST NIGHT IN A SUBURB."
    )
    rel = assess(_doc(text))
    assert rel.relevant
    assert "KILLED LAST NIGHT" in text[rel.incidents[0].start : rel.incidents[0].end]
    assert rel.kinds == ["ATTACK"]
    bomb = "BOGOTA, 3 JAN 90 -- [TEXT] THE MAYOR SPOKE. A CAR BOMB EXPLODED TODAY DOWNTOWN."
    assert assess(_doc(bomb)).kinds == ["BOMBING"]
    # a general statement without a concrete time is not a report
    assert not assess(_doc("BOGOTA, 3 JAN 90 -- TERRORISM HAS KILLED THOUSANDS.")).relevant


def test_a_failed_document_is_not_relevant():
    assert not assess(DocumentResult(article=None, error="boom")).relevant


def test_bad_cue_pattern_is_reported_with_the_file(monkeypatch, tmp_path):
    bad = tmp_path / "relevance.yaml"
    bad.write_text(
        "incident_verbs: {ATTACK: ['(']}\nspecific_time: [today]\nrecalled: [trial]\n"
        "commentary_genres: [speech]\n"
    )
    monkeypatch.setattr(relevance, "data_path", lambda name: bad)
    load_cues.cache_clear()
    try:
        with pytest.raises(KnowledgeError, match="incident_verbs"):
            load_cues()
    finally:
        load_cues.cache_clear()


def test_seizures_arrests_and_warnings_are_not_incidents():
    def ev(sub: str | None, trigger: str, plover: str = "ASSAULT") -> Event:
        return Event(event_id="", plover=plover, sub_event_type=sub, trigger=trigger)

    assert incident_kind(ev("Looting/property destruction", "seized")) is None
    assert incident_kind(ev("Looting/property destruction", "set fire")) == "ARSON"
    police = ev("Looting/property destruction", "destroyed")
    police.actor1_type = "State forces"  # drug laboratories destroyed in a police operation
    assert incident_kind(police) is None
    assert incident_kind(ev("Abduction/forced disappearance", "arrested")) is None
    assert incident_kind(ev("Abduction/forced disappearance", "kidnapped")) == "KIDNAPPING"
    assert incident_kind(ev(None, "warned", "THREATEN")) is None
    assert incident_kind(ev(None, "death threats", "THREATEN")) == "THREAT"


def test_a_murder_named_without_a_time_is_a_reference_not_a_report():
    text = "LIMA, 5 MAY 90 -- THE PARTY REJECTED THE MURDER OF THE MAYOR."
    ev = _event(
        text,
        "MURDER",
        sub_event_type="Attack",
        fatalities=1,
        country_code="PE",
        trigger="murder",
    )
    assert not assess(_doc(text, ev)).relevant
    timed = "LIMA, 5 MAY 90 -- THE MURDER OF THE MAYOR YESTERDAY SHOCKED THE TOWN."
    ev2 = _event(
        timed, "MURDER", sub_event_type="Attack", fatalities=1, country_code="PE", trigger="murder"
    )
    assert assess(_doc(timed, ev2)).relevant


def test_a_speech_is_not_an_incident_report():
    text = (
        "SANTIAGO, 11 JUN 89 (DOMESTIC SERVICE) -- [SPEECH] [PRESIDENT] [TEXT] A BOMB "
        "EXPLODED YESTERDAY IN OUR CAPITAL, AND WE WILL NOT YIELD."
    )
    assert not assess(_doc(text, _event(text, "BOMB", country_code="CL"))).relevant
    report = text.replace("[SPEECH] [PRESIDENT] ", "")
    assert assess(_doc(report, _event(report, "BOMB", country_code="CL"))).relevant


# --------------------------------------------------------------------------- ALL-CAPS wire text

WIRE = (
    "SAN SALVADOR, 3 JAN 90 (ACAN-EFE) -- [TEXT] AN URBAN COMMANDO LOYAL TO THE "
    "FARABUNDO MARTI NATIONAL\n"
    "LIBERATION FRONT [FMLN] YESTERDAY KIDNAPPED MAYOR JOSE NAPOLEON GARCIA IN SAN MIGUEL\n"
    "DEPARTMENT, EL SALVADOR.  THE POLICE SAID HE WAS DRIVEN AWAY IN A PICKUP TRUCK.\n"
)


def test_truecase_shows_names_and_keeps_offsets():
    from eventscope.nlp import truecase

    out = truecase(WIRE)
    assert len(out) == len(WIRE)
    assert out.lower() == WIRE.lower()
    assert "Farabundo Marti National\nLiberation Front [FMLN]" in out
    assert "Jose Napoleon Garcia in San Miguel" in out
    assert "El Salvador" in out and "3 Jan 90" in out
    # common words stay lower case, wrapped lines do not start a sentence
    assert "urban commando loyal to the" in out and "\ndepartment, El Salvador" in out
    assert "The police said he was driven" in out


@pytest.mark.model
def test_all_caps_wire_text_does_not_defeat_the_ner():
    from eventscope.nlp import load_nlp, truecase

    doc = load_nlp()(truecase(WIRE))
    ents = {(e.text.replace("\n", " "), e.label_) for e in doc.ents}
    assert ("San Salvador", "GPE") in ents
    assert any(label == "PERSON" and "Garcia" in text for text, label in ents)
    assert ("El Salvador", "GPE") in ents


@pytest.mark.model
def test_an_all_caps_kidnapping_report_is_relevant_and_a_speech_is_not():
    from eventscope.extract import Extractor

    ex = Extractor()
    region = load_region("muc4")
    report = ex.extract_one(Article(id="r", text=WIRE))
    assert assess(report, region=region).kinds[:1] == ["KIDNAPPING"]
    speech = WIRE.replace("[TEXT]", "[SPEECH] [PRESIDENT CRISTIANI] [TEXT]")
    assert not assess(ex.extract_one(Article(id="s", text=speech)), region=region).relevant


def test_a_killing_alone_counts_in_the_lead_a_bombing_anywhere():
    lead = "LIMA, 5 MAY 90 -- [TEXT] THE CONGRESS DEBATED THE NEW BUDGET FOR THE COMING YEAR."
    killing = lead + " TWO POLICEMEN WERE KILLED YESTERDAY BY UNKNOWN GUNMEN."
    ev = _event(
        killing,
        "KILLED",
        event_type="Violence against civilians",
        sub_event_type="Attack",
        fatalities=2,
        country_code="PE",
    )
    assert not assess(_doc(killing, ev)).relevant
    first = "LIMA, 5 MAY 90 -- [TEXT] TWO POLICEMEN WERE KILLED YESTERDAY BY UNKNOWN GUNMEN."
    ev = _event(
        first,
        "KILLED",
        event_type="Violence against civilians",
        sub_event_type="Attack",
        fatalities=2,
        country_code="PE",
    )
    assert assess(_doc(first, ev)).relevant
    bombing = lead + " A BOMB EXPLODED YESTERDAY AT A BANK."
    assert assess(_doc(bombing, _event(bombing, "BOMB", country_code="PE"))).relevant


def test_relevance_explains_itself_as_plain_data():
    text = "SAN SALVADOR, 3 JAN 90 -- A BOMB EXPLODED YESTERDAY AT A POWER STATION."
    rel = assess(_doc(text, _event(text, "BOMB")), region=load_region("muc4"))
    d = relevance.as_dict(rel, load_region("muc4"))
    assert d["relevant"] is True and d["region"] == "muc4"
    (inc,) = d["incidents"]
    assert inc["kind"] == "BOMBING" and "BOMB EXPLODED" in text[inc["start"] : inc["end"]]
    assert inc["event_id"] == rel.incidents[0].event.event_id


def test_killings_in_combat_between_armed_forces_are_a_military_action_not_an_incident():
    region = load_region("muc4")
    text = (
        "SAN SALVADOR, 3 JAN 90 -- THREE SOLDIERS AND FIVE GUERRILLAS WERE KILLED TODAY IN "
        "SKIRMISHES NEAR ZACATECOLUCA, AN ARMY SPOKESMAN SAID."
    )
    kw = dict(sub_event_type="Armed clash", trigger="killed", fatalities=8)
    assert not assess(_doc(text, _event(text, "KILLED", **kw)), region=region).relevant
    # civilians caught in the fighting make it an incident all the same
    civ = text.replace("THREE SOLDIERS AND FIVE GUERRILLAS", "FOUR CIVILIANS")
    assert assess(_doc(civ, _event(civ, "KILLED", **kw)), region=region).relevant
    # and an attack reported without combat words stays one
    attack = text.replace("IN SKIRMISHES NEAR", "BY GUERRILLAS NEAR")
    assert assess(_doc(attack, _event(attack, "KILLED", **kw)), region=region).relevant


def test_a_time_dating_the_speech_does_not_date_the_murder_it_names():
    from eventscope.records import Evidence

    def murder(text: str) -> Event:
        at = text.index("MURDER")
        ev = _event(
            text,
            "MURDER",
            sub_event_type="Attack",
            fatalities=4,
            country_code="SV",
            trigger="murder",
        )
        ev.evidence.append(Evidence(field="trigger", start=at, end=at + 6))
        return ev

    speech = "CARACAS, 20 NOV 89 -- THE PRESIDENT SPOKE TODAY ABOUT THE MURDER OF FOUR NUNS."
    assert not assess(_doc(speech, murder(speech))).relevant
    for fresh in (
        "SAN SALVADOR, 20 NOV 89 -- THE MURDER YESTERDAY OF FOUR NUNS SHOCKED THE CITY.",
        "SAN SALVADOR, 20 NOV 89 -- THE PRESIDENT CONDEMNED TODAY'S MURDER OF FOUR NUNS.",
    ):
        assert assess(_doc(fresh, murder(fresh))).relevant, fresh


def test_explosives_seized_in_a_raid_are_not_a_bombing():
    region = load_region("muc4")
    text = (
        "SAN SALVADOR, 14 NOV 89 -- TROOPS SEIZED 330 POUNDS OF EXPLOSIVES AND 16 GRENADES "
        "YESTERDAY IN A SAFE HOUSE OF THE TERRORISTS."
    )
    ev = _event(text, "GRENADES", trigger="grenades")
    assert not assess(_doc(text, ev), region=region).relevant
    thrown = "SAN SALVADOR, 14 NOV 89 -- TERRORISTS THREW 2 GRENADES YESTERDAY AT A POLICE POST."
    assert assess(
        _doc(thrown, _event(thrown, "GRENADES", trigger="grenades")), region=region
    ).relevant


def test_a_guerrilla_attack_is_an_incident_even_without_a_toll():
    # MUC-4 keys an attack on a police post that killed nobody; a toll-less attack by an
    # unnamed or state actor is more often recalled or a military operation
    raid = Event(event_id="", plover="ASSAULT", sub_event_type="Attack", fatalities=0)
    raid.actor1_type = "Rebel group"
    assert incident_kind(raid) == "ATTACK"
    raid.actor1_type = "State forces"
    assert incident_kind(raid) is None
    raid.actor1_type = None
    assert incident_kind(raid) is None


def test_an_accusation_reports_an_incident_but_a_charge_in_court_recalls_one():
    region = load_region("muc4")
    text = (
        "SAN SALVADOR, 3 JAN 90 -- THE ARMED FORCES ACCUSED FMLN GUERRILLAS OF MURDERING TWO "
        "PEASANTS IN USULUTAN DEPARTMENT."
    )
    kw = dict(sub_event_type="Attack", fatalities=2, trigger="murdering")
    assert assess(_doc(text, _event(text, "MURDERING", **kw)), region=region).relevant
    court = text.replace("THE ARMED FORCES ACCUSED", "A JUDGE CHARGED").replace(" OF ", " WITH ")
    assert not assess(_doc(court, _event(court, "MURDERING", **kw)), region=region).relevant


def test_a_progressive_is_a_verb_not_a_reference_noun():
    from eventscope.records import Evidence

    text = "SAN SALVADOR, 5 DEC 89 -- THE PLANES HAD BEEN BOMBING THE NEIGHBOURHOOD OF ZACAMIL."
    at = text.index("BOMBING")
    ev = _event(text, "BOMBING", trigger="bombing")
    ev.evidence.append(Evidence(field="trigger", start=at, end=at + 7))
    assert assess(_doc(text, ev), region=load_region("muc4")).kinds == ["BOMBING"]
    named = "SAN SALVADOR, 5 DEC 89 -- THE PARTY REJECTED THE BOMBING OF THE NEIGHBOURHOOD."
    at = named.index("BOMBING")
    ev = _event(named, "BOMBING", trigger="bombing")
    ev.evidence.append(Evidence(field="trigger", start=at, end=at + 7))
    assert not assess(_doc(named, ev), region=load_region("muc4")).relevant


def test_a_bomb_named_as_the_weapon_of_an_attack_is_found_without_the_coder():
    text = (
        "BOGOTA, 3 JAN 90 -- [TEXT] THE COLONEL SAID DRUG TRAFFICKERS WERE BEHIND A CAR-BOMB "
        "ATTACK THAT HE SURVIVED UNHURT TODAY."
    )
    assert assess(_doc(text), region=load_region("muc4")).kinds == ["BOMBING"]
    # without a concrete time it is a reference to a known one
    old = text.replace(" TODAY", "")
    assert not assess(_doc(old), region=load_region("muc4")).relevant


def test_an_attack_without_a_toll_on_a_civilian_target_is_an_incident():
    region = load_region("muc4")
    text = (
        "SAN SALVADOR, 24 JAN 90 -- [TEXT] UNIDENTIFIED MEN CARRIED OUT AN ATTACK THIS MORNING "
        "ON THE RESIDENCE OF A SUPREME COURT JUSTICE."
    )
    kw = dict(sub_event_type="Attack", fatalities=0, actor1_type="State forces", trigger="attack")
    assert incident_kind(_event(text, "ATTACK", **kw)) is None
    assert assess(_doc(text, _event(text, "ATTACK", **kw)), region=region).kinds == ["ATTACK"]
    post = text.replace("THE RESIDENCE OF A SUPREME COURT JUSTICE", "AN ARMY POST")
    assert not assess(_doc(post, _event(post, "ATTACK", **kw)), region=region).relevant


def test_a_thrown_bomb_and_an_attempt_on_a_life_are_found_without_the_coder():
    region = load_region("muc4")
    for text, kind in (
        ("LIMA, 3 JAN 90 -- [TEXT] TERRORISTS THREW TWO GRENADES AT A BANK TODAY.", "BOMBING"),
        (
            "BOGOTA, 3 JAN 90 -- [TEXT] THE LABOUR MINISTER SURVIVED AN ATTEMPT ON HIS LIFE IN "
            "CENTRAL CALI TWENTY MINUTES AGO.",
            "ATTACK",
        ),
        (
            "BOGOTA, 3 JAN 90 -- [TEXT] TWO EXPLOSIONS HAVE TAKEN PLACE IN NORTHERN CALI, THE "
            "SECOND ONE MINUTES AGO.",
            "BOMBING",
        ),
    ):
        assert assess(_doc(text), region=region).kinds == [kind], text


def test_the_lexical_pass_leaves_out_operations_of_the_army_and_police():
    region = load_region("muc4")
    text = (
        "SAN SALVADOR, 3 JAN 90 -- [TEXT] THE ARMY TODAY ATTACKED THE GUERRILLAS NEAR THE VOLCANO."
    )
    assert not assess(_doc(text), region=region).relevant
    civ = text.replace("THE GUERRILLAS", "PEASANTS")
    assert assess(_doc(civ), region=region).kinds == ["ATTACK"]
    rebels = text.replace(
        "THE ARMY TODAY ATTACKED THE GUERRILLAS", "GUERRILLAS TODAY ATTACKED A TOWN"
    )
    assert assess(_doc(rebels), region=region).kinds == ["ATTACK"]


def test_a_killing_counts_in_the_lead_by_its_trigger_not_by_the_coders_long_sentence():
    from eventscope.records import Evidence

    text = (
        "SAN SALVADOR, 3 JAN 90 -- [TEXT] THE BISHOP TODAY SAID THAT HE REMAINS HOPEFUL ABOUT "
        "THE PEACE TALKS. HE ADDED THAT DOZENS OF CATECHISTS HAVE BEEN KILLED DURING THE WAR."
    )
    at = text.index("KILLED")
    # the coder's sentence runs from the lead into the background
    ev = _event(text, "KILLED", sub_event_type="Attack", fatalities=5, trigger="killed")
    ev.sentence_start = text.index("THE BISHOP")
    ev.sentence_end = len(text)
    ev.evidence.append(Evidence(field="trigger", start=at, end=at + 6))
    assert not assess(_doc(text, ev), region=load_region("muc4")).relevant
    # without a trigger offset the sentence is all there is to go by
    ev.evidence.clear()
    assert assess(_doc(text, ev), region=load_region("muc4")).relevant


def test_the_dead_of_an_accident_are_no_attack():
    region = load_region("muc4")
    text = (
        "TEGUCIGALPA, 21 OCT 89 -- [TEXT] ALL 46 PEOPLE ON BOARD WERE KILLED WHEN A CARGO "
        "PLANE CRASHED TODAY IN THE MOUNTAINS."
    )
    kw = dict(sub_event_type="Attack", fatalities=46, trigger="killed", country_code="HN")
    assert not assess(_doc(text, _event(text, "KILLED", **kw)), region=region).relevant
    attack = text.replace("WHEN A CARGO PLANE CRASHED TODAY", "IN AN ATTACK TODAY ON A CARGO PLANE")
    assert assess(_doc(attack, _event(attack, "KILLED", **kw)), region=region).relevant


def test_a_broadcasters_continuity_line_is_not_the_lead():
    from eventscope.records import Evidence

    region = load_region("muc4")
    text = (
        "SAN MIGUEL, 4 FEB 90 (RADIO ORIENTE) -- [TEXT] ATTENTION, DEAR LISTENERS. WE "
        "CONTINUE REPORTING ON EVENTS IN THE EASTERN DEPARTMENTS. A POWER SUBSTATION NEAR "
        "USULUTAN CAME UNDER ATTACK AT DAWN TODAY FROM REBEL UNITS."
    )
    at = text.index("ATTACK")
    ev = _event(text, "ATTACK", sub_event_type="Attack", trigger="attack")
    ev.actor1_type = "Rebel group"
    ev.evidence.append(Evidence(field="trigger", start=at, end=at + 6))
    lead = relevance._lead(text)
    assert text[lead[0] : lead[1]].strip().startswith("A POWER SUBSTATION")
    assert assess(_doc(text, ev), region=region).relevant
    # a continuity word before news leaves the news its lead
    news = text.replace(
        "WE CONTINUE REPORTING ON EVENTS IN THE EASTERN DEPARTMENTS.",
        "ATTENTION: OUR CORRESPONDENT IN SAN MIGUEL REPORTS THAT TALKS WILL RESUME NEXT WEEK.",
    )
    lead = relevance._lead(news)
    assert "TALKS WILL RESUME" in news[lead[0] : lead[1]]
    ev2 = _event(news, "ATTACK", sub_event_type="Attack", trigger="attack")
    ev2.actor1_type = "Rebel group"
    at = news.index("ATTACK")
    ev2.evidence.append(Evidence(field="trigger", start=at, end=at + 6))
    assert not assess(_doc(news, ev2), region=region).relevant


def test_casualties_inflicted_on_troops_are_combat():
    region = load_region("muc4")
    text = (
        "CLANDESTINE, 9 MAR 90 (RADIO REBELDE) -- [TEXT] REBEL COLUMNS INFLICTED 12 "
        "CASUALTIES ON AN ARMY PATROL TODAY NEAR THE TOWN OF GOTERA."
    )
    kw = dict(sub_event_type="Armed clash", trigger="casualties", injuries=12)
    ev = _event(text, "CASUALTIES", actor1_type="Rebel group", **kw)
    assert not assess(_doc(text, ev), region=region).relevant
    # an attack whose casualties include civilians is an incident
    civ = text.replace("AN ARMY PATROL", "CIVILIANS")
    ev = _event(civ, "CASUALTIES", actor1_type="Rebel group", **kw)
    assert assess(_doc(civ, ev), region=region).relevant


def test_a_reference_noun_with_a_present_perfect_toll_is_news():
    from eventscope.records import Evidence

    region = load_region("muc4")
    text = (
        "CALI, 2 JUN 90 (EFE) -- [TEXT] THREE BOMBINGS IN THE CENTRE OF CALI HAVE INJURED "
        "FOUR BANK EMPLOYEES AND SHATTERED SHOP WINDOWS."
    )

    def bombing(t: str) -> Event:
        ev = _event(t, "BOMBINGS", trigger="bombings", country_code="CO")
        at = t.index("BOMBINGS")
        ev.evidence.append(Evidence(field="trigger", start=at, end=at + 8))
        return ev

    assert assess(_doc(text, bombing(text)), region=region).relevant
    # the same noun named by a speaker is a reference to a known incident
    said = (
        "CALI, 2 JUN 90 (EFE) -- [TEXT] THE MINISTER SPOKE OF THE THREE BOMBINGS IN THE "
        "CENTRE OF CALI AND OF THE DAMAGE THEY DID."
    )
    assert not assess(_doc(said, bombing(said)), region=region).relevant


def test_a_condemnation_in_the_lead_brings_the_news_of_an_attack():
    region = load_region("muc4")
    text = (
        "MANAGUA, 2 MAR 90 -- [TEXT] THE FOREIGN MINISTRY TODAY CONDEMNED A DYNAMITE ATTACK "
        "AGAINST A RURAL CLINIC IN CHALATENANGO, EL SALVADOR. "
        "OFFICIALS SPOKE OF THE NEED FOR DIALOGUE AND OF THE ECONOMY FOR AN HOUR."
    )

    def attack(t: str) -> Event:
        from eventscope.records import Evidence

        ev = _event(t, "DYNAMITE ATTACK", trigger="dynamite attack", country_code="SV")
        at = t.index("DYNAMITE ATTACK")
        ev.evidence.append(Evidence(field="trigger", start=at, end=at + 15))
        return ev

    assert assess(_doc(text, attack(text)), region=region).relevant
    # the same condemnation further down names an incident the reader knows
    later = text.replace(
        "THE FOREIGN MINISTRY TODAY CONDEMNED A DYNAMITE ATTACK AGAINST A RURAL CLINIC IN "
        "CHALATENANGO, EL SALVADOR. OFFICIALS SPOKE OF THE NEED FOR DIALOGUE AND OF THE ECONOMY "
        "FOR AN HOUR.",
        "OFFICIALS SPOKE OF THE NEED FOR DIALOGUE AND OF THE ECONOMY FOR AN HOUR. THE MINISTRY "
        "ALSO CONDEMNED A DYNAMITE ATTACK AGAINST A RURAL CLINIC IN CHALATENANGO, EL SALVADOR.",
    )
    assert not assess(_doc(later, attack(later)), region=region).relevant


def test_state_forces_firing_on_civilians_is_an_incident_but_their_combat_is_not():
    region = load_region("muc4")
    text = (
        "SAN SALVADOR, 13 NOV 89 -- [TEXT] THE ARMY REPORTED THAT 30 CIVILIANS AND 200 "
        "GUERRILLAS HAVE BEEN KILLED IN FIERCE CLASHES IN THE CAPITAL SINCE 11 NOVEMBER."
    )
    kw = dict(
        sub_event_type="Armed clash", fatalities=230, actor1_type="State forces", trigger="clashes"
    )
    assert incident_kind(_event(text, "CLASHES", **kw)) is None
    assert assess(_doc(text, _event(text, "CLASHES", **kw)), region=region).kinds == ["ATTACK"]
    combat = text.replace("30 CIVILIANS AND 200 GUERRILLAS", "230 GUERRILLAS")
    assert not assess(_doc(combat, _event(combat, "CLASHES", **kw)), region=region).relevant


def test_an_armed_groups_attack_on_the_police_counts_past_the_lead():
    lead = "LIMA, 5 MAY 90 -- [TEXT] THE CONGRESS DEBATED THE NEW BUDGET FOR THE COMING YEAR."
    text = lead + " GUERRILLAS ATTACKED A POLICE POST YESTERDAY, KILLING TWO POLICEMEN."
    kw = dict(
        sub_event_type="Armed clash",
        fatalities=2,
        country_code="PE",
        actor1_type="Rebel group",
        actor2_type="State forces",
    )
    assert assess(_doc(text, _event(text, "ATTACKED", **kw))).relevant
    # the same killing of civilians past the lead is background
    kw.update(sub_event_type="Attack", actor2_type="Civilians")
    assert not assess(_doc(text, _event(text, "ATTACKED", **kw))).relevant


def test_a_participle_after_a_determiner_names_an_incident_it_does_not_report_one():
    kw = dict(
        sub_event_type="Attack", fatalities=6, country_code="SV", actor1_type="Political militia"
    )
    named = "SAN SALVADOR, 9 JAN 90 -- THE CHURCH PRAISED THE INQUIRY INTO THE MURDERED PRIESTS."
    assert not assess(_doc(named, _triggered(named, "MURDERED", **kw))).relevant
    told = "SAN SALVADOR, 9 JAN 90 -- SIX PRIESTS WERE MURDERED IN THEIR RESIDENCE."
    assert assess(_doc(told, _triggered(told, "MURDERED", **kw))).relevant


def test_a_country_owning_a_mission_or_firm_is_not_where_the_bomb_went_off():
    region = load_region("muc4")
    text = (
        "SANTIAGO, 15 MAY 90 -- [TEXT] THE OTHER BOMBS DAMAGED AN ISRAELI COMMUNITY OFFICE AND "
        "THE U.S. CONSULATE."
    )
    assert assess(_doc(text, _event(text, "BOMBS", country_code="US")), region=region).relevant
    # a country named as the place is still the place
    abroad = text.replace("AN ISRAELI COMMUNITY OFFICE", "AN OFFICE IN ISRAEL")
    ev = _event(abroad, "BOMBS", country_code="US")
    assert not assess(_doc(abroad, ev), region=region).relevant


def test_an_air_force_bombing_a_settlement_of_civilians_is_an_incident():
    region = load_region("muc4")
    text = (
        "CLANDESTINE, 11 FEB 90 -- [TEXT] TODAY THE AIR FORCE BEGAN BOMBING A SETTLEMENT OF "
        "REPATRIATES IN CHALATENANGO."
    )
    kw = dict(
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        actor1_type="State forces",
        trigger="bombing",
    )
    assert assess(_doc(text, _event(text, "BOMBING", **kw)), region=region).kinds == ["ATTACK"]
    camp = text.replace("A SETTLEMENT OF REPATRIATES", "A GUERRILLA CAMP")
    assert not assess(_doc(camp, _event(camp, "BOMBING", **kw)), region=region).relevant


def test_a_killing_by_mistake_and_a_report_called_unfounded_are_not_incidents():
    region = load_region("muc4")
    kw = dict(sub_event_type="Attack", fatalities=9, actor1_type="State forces")
    text = "GUATEMALA CITY, 19 AUG 89 -- [TEXT] ARMY TROOPS KILLED NINE PEASANTS YESTERDAY."
    assert assess(_doc(text, _event(text, "KILLED", **kw)), region=region).relevant
    mistake = text.replace("YESTERDAY", "BY MISTAKE YESTERDAY")
    assert not assess(_doc(mistake, _event(mistake, "KILLED", **kw)), region=region).relevant
    denied = (
        "SAN SALVADOR, 12 NOV 89 -- [TEXT] THE REPORT THAT GUNMEN KILLED NINE PEASANTS IS "
        "ABSOLUTELY UNFOUNDED."
    )
    kw["actor1_type"] = "Political militia"
    assert not assess(_doc(denied, _event(denied, "KILLED", **kw)), region=region).relevant


def test_central_american_is_the_region_and_not_the_united_states():
    region = load_region("muc4")
    text = (
        "CLANDESTINE, 22 JUL 89 -- [TEXT] A BOMB EXPLODED AT DAYBREAK ON 22 JULY AT THE "
        "CENTRAL AMERICAN UNIVERSITY."
    )
    assert assess(_doc(text, _event(text, "BOMB", country_code=None)), region=region).relevant
    us = text.replace("CENTRAL AMERICAN UNIVERSITY", "AMERICAN UNIVERSITY")
    assert not assess(_doc(us, _event(us, "BOMB", country_code=None)), region=region).relevant


def test_violence_in_the_present_passive_or_inside_a_case_is_not_an_incident():
    region = load_region("muc4")
    kw = dict(sub_event_type="Attack", fatalities=6, actor1_type="Political militia")
    told = "SAN SALVADOR, 7 MAY 90 -- [TEXT] GUNMEN KILLED SIX PEASANTS TODAY IN SAN MIGUEL."
    assert assess(_doc(told, _triggered(told, "KILLED", **kw)), region=region).relevant
    generic = "SAN SALVADOR, 7 MAY 90 -- [TEXT] HE SAID TODAY THAT PEASANTS ARE BEING KILLED."
    assert not assess(_doc(generic, _triggered(generic, "KILLED", **kw)), region=region).relevant
    case = (
        "SAN SALVADOR, 7 MAY 90 -- [TEXT] THE MINISTER SPOKE TODAY ABOUT THE CASE OF THE SIX "
        "PRIESTS ASSASSINATED AT THE UNIVERSITY."
    )
    assert not assess(_doc(case, _triggered(case, "ASSASSINATED", **kw)), region=region).relevant
    # a hostage still being held is news
    held = "SAN SALVADOR, 7 MAY 90 -- [TEXT] THE AMBASSADOR IS BEING HELD HOSTAGE TODAY."
    kw.update(sub_event_type="Abduction/forced disappearance", fatalities=0)
    assert assess(_doc(held, _triggered(held, "HELD", **kw)), region=region).relevant
