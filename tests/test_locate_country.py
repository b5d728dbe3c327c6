"""The country (and stand-in place) of an event whose note names little: ACLED notes name no
country, and often a village the gazetteer lacks.

Tiny in-memory gazetteers: no model, no compiled gazetteer, no dev data.
"""

from __future__ import annotations

import pytest
import spacy

from eventscope.geo import Geocoder
from eventscope.geo.gazetteer import Gazetteer, Row
from eventscope.records import Article, Event, Place


def _locate(gaz: Gazetteer, text: str, places: list[Place]) -> Event:
    ev = Event(event_id="e", plover="ASSAULT", sentence_start=0, sentence_end=len(text))
    Geocoder(gaz).locate(ev, spacy.blank("en")(text), places, Article(id="t", text=text))
    return ev


def _place(gaz: Gazetteer, text: str, surface: str, country: str, code: str = "PPL") -> Place:
    start = text.index(surface)
    e = next(x for x in gaz.lookup(surface) if x.country_code == country and x.feature_code == code)
    return e.as_place(start, start + len(surface), text)


def test_an_armed_group_of_one_country_gives_the_country_and_its_province():
    rows = [
        Row(1, "Yemen", 15.5, 47.5, "PCLI", "YE", population=28_000_000),
        Row(2, "Sanaa", 15.35, 44.2, "PPLC", "YE", admin1="Amanat Al Asimah", population=1_900_000),
        Row(None, "Aden", 12.8, 45.0, "ADM1", "YE", admin1="Aden", population=800_000),
        Row(3, "Aden", 12.78, 45.04, "PPL", "YE", admin1="Aden", population=550_000),
    ]
    text = (
        "On 17 June 2021, the STC announced a week-long ban on public gatherings to slow the virus."
    )
    ev = _locate(Gazetteer.from_rows(rows), text, [])
    assert (ev.country_code, ev.admin1) == ("YE", "Aden")
    assert ev.latitude == pytest.approx(12.78)


def test_a_town_of_one_country_beats_the_nationality_of_a_foreign_force():
    rows = [
        Row(1, "Turkey", 39.0, 35.0, "PCLI", "TR", population=82_000_000),
        Row(2, "Syria", 35.0, 38.0, "PCLI", "SY", population=17_000_000),
        Row(
            3,
            "Al Atarib",
            36.14,
            36.83,
            "PPL",
            "SY",
            admin1="Aleppo",
            population=28_000,
            alternate_names=["Atarib"],
        ),
    ]
    gaz = Gazetteer.from_rows(rows, demonyms={"turkish": "TR"})
    text = "On 14 March 2021, a Turkish army column of 30 vehicles entered Atarib from the north."
    turkish = gaz.country("TR")
    assert turkish is not None
    start = text.index("Turkish")
    places = [turkish.as_place(start, start + len("Turkish"), text)]
    ev = _locate(gaz, text, places)
    assert (ev.country_code, ev.location) == ("SY", "Al Atarib")


def test_a_namesake_division_goes_to_the_country_that_sees_more_events():
    # Ghana's North East region (2019) is no first-level division of the GeoNames extract
    rows = [
        Row(1, "Botswana", -22.0, 24.0, "PCLI", "BW", population=2_300_000),
        Row(2, "Ghana", 8.0, -1.0, "PCLI", "GH", population=30_000_000),
        Row(
            None, "North East", -21.17, 27.5, "ADM1", "BW", admin1="North East", population=136_449
        ),
        Row(None, "North East", 10.5, -0.37, "ADMD", "GH", admin1="North East", population=0),
    ]
    gaz = Gazetteer.from_rows(rows)
    text = "On 19 August 2021, herders wounded a trader in Wulugu (West Mamprusi, North East)."
    ev = _locate(gaz, text, [_place(gaz, text, "North East", "BW", "ADM1")])
    assert ev.country_code == "GH"
    assert ev.latitude == pytest.approx(10.5)


def test_every_country_has_one_event_tier():
    from eventscope.geo.context import event_tiers

    tiers = event_tiers()
    assert tiers["SY"] == 3 and tiers["GH"] == 1
    assert "BW" not in tiers


def test_the_province_standing_in_for_a_namesake_is_introduced_as_the_town_was():
    rows = [
        Row(1, "Mexico", 23.0, -102.0, "PCLI", "MX", population=126_000_000),
        Row(2, "Monterrey", 25.67, -100.31, "PPL", "MX", admin1="Nuevo Leon", population=1_100_000),
        Row(3, "San Felipe", 21.48, -101.21, "PPL", "MX", admin1="Guanajuato", population=30_000),
        Row(None, "Hidalgo", 20.5, -98.9, "ADM1", "MX", admin1="Hidalgo", population=2_800_000),
        Row(None, "Mexico", 19.5, -99.5, "ADM1", "MX", admin1="Mexico", population=16_000_000),
    ]
    gaz = Gazetteer.from_rows(rows)
    text = (
        "Around 15 July 2021, in San Felipe, Hidalgo, two bodies were dumped "
        "on the Mexico-Pachuca highway."
    )
    places = [
        _place(gaz, text, "San Felipe", "MX"),
        _place(gaz, text, "Hidalgo", "MX", "ADM1"),
        Place(
            start=text.index("Mexico-"),
            end=text.index("Mexico-") + 6,
            text="Mexico",
            name="Mexico",
            latitude=19.5,
            longitude=-99.5,
            country_code="MX",
            feature_code="ADM1",
            admin1="Mexico",
        ),
    ]
    ev = _locate(gaz, text, places)
    assert ev.admin1 == "Hidalgo"


def test_the_place_acled_says_it_coded_to_wins():
    rows = [
        Row(1, "Greece", 39.0, 22.0, "PCLI", "GR", population=10_700_000),
        Row(
            2, "Kalamaria", 40.58, 22.95, "PPL", "GR", admin1="Central Macedonia", population=91_000
        ),
        Row(
            3,
            "Thessaloniki",
            40.64,
            22.93,
            "PPL",
            "GR",
            admin1="Central Macedonia",
            population=325_000,
        ),
    ]
    gaz = Gazetteer.from_rows(rows)
    text = (
        "On 21 March 2021, around 60 youths threw stones at riot police in Kalamaria "
        "[coded to Thessaloniki] late at night."
    )
    places = [_place(gaz, text, "Kalamaria", "GR"), _place(gaz, text, "Thessaloniki", "GR")]
    ev = _locate(gaz, text, places)
    assert ev.location == "Thessaloniki"


def test_a_namesake_abroad_gives_way_to_the_country_the_note_names():
    rows = [
        Row(1, "Nepal", 28.0, 84.0, "PCLI", "NP", population=29_000_000),
        Row(2, "Kathmandu", 27.7, 85.32, "PPLC", "NP", admin1="Central", population=1_400_000),
        Row(3, "India", 22.0, 79.0, "PCLI", "IN", population=1_300_000_000),
        Row(4, "Bara", 24.8, 84.79, "PPL", "IN", admin1="Bihar", population=5_000),
        Row(5, "Bara", 10.0, 11.0, "PPL", "NG", admin1="Gombe", population=11_673),
    ]
    gaz = Gazetteer.from_rows(rows)
    text = (
        "On 7 May 2020, smugglers assaulted police near Hardiya area (Bara district) of "
        "Kalaiya Sub-Metropolitan City in Nepal."
    )
    places = [_place(gaz, text, "Bara", "IN"), _place(gaz, text, "Nepal", "NP", "PCLI")]
    ev = _locate(gaz, text, places)
    assert ev.country_code == "NP"


def test_a_theatre_name_joined_by_a_hyphen_is_still_read():
    from eventscope.geo.context import theatres_in

    text = "Indian nationals chased off a forest patrol near Pheta Rural Municipality-3 (Bara)."
    assert [t[2] for t in theatres_in(text)] == ["NP"]
    text = "a soldier was killed on the Nagorno Karabakh-Azerbaijani frontline"
    assert [t[2] for t in theatres_in(text)] == ["AZ"]
    assert [t[2] for t in theatres_in("Saudi-led coalition airstrikes")] == ["YE"]


def test_a_state_abbreviation_in_brackets_gives_the_state():
    from eventscope.geo.context import bracket_divisions

    rows = [
        Row(1, "India", 22.0, 79.0, "PCLI", "IN", population=1_300_000_000),
        Row(None, "Uttar Pradesh", 27.0, 80.9, "ADM1", "IN", admin1="Uttar Pradesh", population=1),
    ]
    g = Gazetteer.from_rows(rows)
    text = "villagers threw bricks at a police team in Sidhauli (UP) during a liquor raid."
    found = bracket_divisions(g, text, (0, len(text)), [], None)
    assert [(p.text, p.admin1) for p in found] == [("UP", "Uttar Pradesh")]
    # an abbreviation alone in brackets names no state
    text = "the members (UP) voted."
    assert bracket_divisions(g, text, (0, len(text)), [], None) == []


def _follow(text: str, code: str, name: str, actor1: str, actor2: str | None = None) -> Event:
    from eventscope.extract.pipeline import follow_location

    ev = Event(
        event_id="e",
        plover="PROTEST",
        actor1=actor1,
        actor2=actor2,
        country_code=code,
        country=name,
        sentence_start=0,
        sentence_end=len(text),
    )
    follow_location(ev, text)
    return ev


def test_protesters_militias_and_the_states_forces_follow_the_located_country():
    text = "Residents rallied outside the municipal office in Amdoun (Amdoun, Beja)."
    assert _follow(text, "TN", "Tunisia", "Protesters (Portugal)").actor1 == "Protesters (Tunisia)"
    text = "Suspected Fulani herdsmen shot a trader near Wulugu (West Mamprusi, North East)."
    ev = _follow(text, "GH", "Ghana", "Fulani Ethnic Militia (Botswana)", "Civilians (Botswana)")
    assert (ev.actor1, ev.actor2) == ("Fulani Ethnic Militia (Ghana)", "Civilians (Ghana)")
    text = "Police dispersed protesters in Mamelodi (City of Tshwane, Gauteng)."
    ev = _follow(text, "ZA", "South Africa", "Protesters (South Africa)", "Police Forces of Chile")
    assert ev.actor2 == "Police Forces of South Africa"


def test_foreign_forces_and_named_branches_keep_their_names():
    text = "Turkish forces shelled Tal Tamer (Al-Hasakeh)."
    ev = _follow(text, "SY", "Syria", "Military Forces of Turkey", "Civilians (Syria)")
    assert ev.actor1 == "Military Forces of Turkey"
    text = "ISWAP fighters attacked Monguno (Monguno, Borno)."
    ev = _follow(text, "NG", "Nigeria", "Islamic State (West Africa)")
    assert ev.actor1 == "Islamic State (West Africa)"


def test_a_quarter_the_gazetteer_knows_next_to_its_town_is_coded_itself():
    rows = [
        Row(1, "Bayt Hanina", 31.83, 35.22, "PPL", "PS", admin1="West Bank", population=30_000),
        Row(2, "Jerusalem", 31.78, 35.22, "PPLC", "IL", admin1="Jerusalem", population=800_000),
        Row(3, "Cidade Nova", -1.4, -48.4, "PPL", "BR", admin1="Para", population=5_000),
        Row(4, "Manaus", -3.1, -60.02, "PPL", "BR", admin1="Amazonas", population=2_000_000),
    ]
    gaz = Gazetteer.from_rows(rows)
    text = "On 3 June 2021, police beat a teenager in the Beit Hanina neighbourhood of Jerusalem."
    start = text.index("Beit Hanina")
    quarter = gaz.lookup("Bayt Hanina")[0].as_place(start, start + 11, text)
    ev = _locate(gaz, text, [quarter, _place(gaz, text, "Jerusalem", "IL", "PPLC")])
    assert ev.location == "Bayt Hanina"
    # a namesake far from the town stays a quarter of that town
    text = "On 7 May 2020, police killed a man in the Cidade Nova neighbourhood of Manaus."
    places = [_place(gaz, text, "Cidade Nova", "BR"), _place(gaz, text, "Manaus", "BR")]
    assert _locate(gaz, text, places).location == "Manaus"


def test_a_name_that_goes_on_after_the_mention_is_another_place():
    rows = [
        Row(1, "Kan Pauk", 16.92, 96.06, "PPL", "MM", admin1="Yangon", population=600),
        Row(2, "Dawei", 14.08, 98.19, "PPL", "MM", admin1="Tanintharyi", population=136_000),
    ]
    gaz = Gazetteer.from_rows(rows)
    text = (
        "On 3 June 2021, near Kan Pauk Taung village, Launglon Township, Dawei District, "
        "a mine blast wounded a farmer."
    )
    places = [_place(gaz, text, "Kan Pauk", "MM"), _place(gaz, text, "Dawei", "MM")]
    assert _locate(gaz, text, places).admin1 == "Tanintharyi"
    # a sentence the note forgot to end does not go on with the name
    text = "a fire gutted a shop in Dawei The blaze spread near Kan Pauk."
    places = [_place(gaz, text, "Dawei", "MM"), _place(gaz, text, "Kan Pauk", "MM")]
    assert _locate(gaz, text, places).location == "Dawei"
