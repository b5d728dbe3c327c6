"""Event-location context (eventscope.geo.context) and its use by the locator.

A tiny in-memory gazetteer: no model, no compiled gazetteer, no dev data.
"""

from __future__ import annotations

import pytest
import spacy

from eventscope.geo import Geocoder
from eventscope.geo.context import containers, country_votes, pick_in, scan
from eventscope.geo.gazetteer import Gazetteer, Row
from eventscope.records import Article, Event, Place

ROWS = [
    Row(1, "Argentina", -34.0, -64.0, "PCLI", "AR", population=44_000_000),
    Row(2, "Puerto Rico", 18.2, -66.5, "PCLI", "PR", population=3_000_000),
    Row(3, "San Juan", 18.46633, -66.10572, "PPLC", "PR", admin1="San Juan", population=400_000),
    Row(None, "San Juan", 18.4, -66.1, "ADM1", "PR", admin1="San Juan", population=400_000),
    Row(4, "San Juan", -31.5375, -68.53639, "PPL", "AR", admin1="San Juan", population=112_778),
    Row(None, "San Juan", -31.0, -68.9, "ADM1", "AR", admin1="San Juan", population=680_000),
    Row(5, "Chimbas", -31.49, -68.53, "PPL", "AR", admin1="San Juan", population=70_000),
    Row(6, "Turkey", 39.0, 35.0, "PCLI", "TR", population=82_000_000),
    Row(7, "Bagcilar", 37.8, 27.9, "PPL", "TR", admin1="Aydin", population=2_000),
    Row(8, "Bagcilar", 41.039, 28.8567, "PPL", "TR", admin1="Istanbul", population=750_000),
    Row(9, "Istanbul", 41.01384, 28.94966, "PPL", "TR", admin1="Istanbul", population=14_000_000),
    Row(None, "Istanbul", 41.1, 28.9, "ADM1", "TR", admin1="Istanbul", population=15_000_000),
    Row(10, "Syria", 35.0, 38.0, "PCLI", "SY", population=17_000_000),
    Row(11, "Al Hasakah", 36.50237, 40.74772, "PPL", "SY", admin1="Al-Hasakah", population=188_000),
    Row(
        12,
        "Tall Tamr",
        36.6534,
        40.3718,
        "PPL",
        "SY",
        admin1="Al-Hasakah",
        population=7_000,
        alternate_names=["Tal Tamer"],
    ),
    Row(13, "Tal Tamer", 10.0, 10.0, "PPL", "NG", admin1="Borno", population=900),
    Row(14, "El Alto", -4.27, -81.22, "PPL", "PE", admin1="Piura", population=7_000),
    Row(15, "El Alto", 8.1, -80.5, "PPL", "PA", admin1="Cocle", population=1_000),
    Row(None, "La Paz", -15.0, -68.3, "ADM1", "BO", admin1="La Paz", population=2_288_118),
    Row(16, "La Paz", -16.5, -68.15, "PPLG", "BO", admin1="La Paz", population=812_799),
]


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.from_rows(ROWS, demonyms={"turkish": "TR", "syrian": "SY"})


def _place(gaz: Gazetteer, text: str, surface: str, country: str, code: str = "PPL") -> Place:
    start = text.index(surface)
    e = next(x for x in gaz.lookup(surface) if x.country_code == country and x.feature_code == code)
    return Place(
        start=start,
        end=start + len(surface),
        text=surface,
        name=e.name,
        latitude=e.latitude,
        longitude=e.longitude,
        country_code=e.country_code,
        feature_code=e.feature_code,
        admin1=e.admin1,
        geonameid=e.geonameid,
    )


def test_an_unambiguous_town_outvotes_a_namesake_capital(gaz):
    text = "On 12 May 2021, in San Juan (San Juan), guards of the Chimbas jail went on strike."
    places = [
        _place(gaz, text, "San Juan", "PR", "PPLC"),
        _place(gaz, text, "Chimbas", "AR"),
    ]
    votes = country_votes(gaz, text, places, set(), (0, len(text)))
    assert votes["AR"] > votes["PR"]


def test_bracketed_divisions_are_read_after_the_place(gaz):
    text = "traders marched in Mamou town (Mamou-Centre, Mamou), demanding the release"
    p = Place(start=19, end=24, text="Mamou")
    assert [c[2] for c in containers(text, p)] == ["Mamou-Centre", "Mamou"]
    text = "in Irapuato, Guanajuato, two men were shot dead"
    p = Place(start=3, end=11, text="Irapuato")
    assert [c[2] for c in containers(text, p)] == ["Guanajuato"]


def test_a_list_of_places_is_no_container(gaz):
    text = "raids in Herat, Farah, Nimroz, and Helmand provinces."
    p = Place(start=9, end=14, text="Herat")
    assert containers(text, p) == []


def test_a_name_is_looked_for_inside_the_province(gaz):
    e = pick_in(gaz, "Bagcilar", "TR", admin1="Istanbul", divisions=False)
    assert e is not None and e.admin1 == "Istanbul"
    assert pick_in(gaz, "Bagcilar", "SY") is None


def test_a_town_left_out_is_found_in_the_texts_country_and_province(gaz):
    text = "unknown gunmen burned wheat fields on the outskirts of Tal Tamer, a town of Al-Hasakeh."
    found = scan(gaz, text, (0, len(text)), [], "SY", {"Al-Hasakah"})
    assert ("Tal Tamer", "SY", "Al-Hasakah") in [(p.text, p.country_code, p.admin1) for p in found]
    # not in another province of the country
    assert not any(
        p.text == "Tal Tamer" for p in scan(gaz, text, (0, len(text)), [], "SY", {"Aleppo"})
    )


def test_the_locator_puts_a_town_inside_the_province_named_after_it(gaz):
    text = "On 6 May 2020, an arson attack targeted a building in Bagcilar, Istanbul."
    places = [_place(gaz, text, "Bagcilar", "TR"), _place(gaz, text, "Istanbul", "TR")]
    places[0] = Place(
        start=places[0].start,
        end=places[0].end,
        text="Bagcilar",
        name="Bagcilar",
        latitude=37.8,
        longitude=27.9,
        country_code="TR",
        feature_code="PPL",
        admin1="Aydin",
    )
    ev = Event(event_id="e", plover="ASSAULT", sentence_start=0, sentence_end=len(text))
    nlp = spacy.blank("en")
    Geocoder(gaz).locate(ev, nlp(text), places, Article(id="t", text=text))
    assert ev.admin1 == "Istanbul"
    assert ev.latitude == pytest.approx(41.039)


def test_a_namesake_outside_the_province_named_after_it_gives_way_to_the_province(gaz):
    text = "On 22 October 2021, in El Alto, La Paz, police broke up a drivers' roadblock."
    places = [_place(gaz, text, "El Alto", "PE")]
    ev = Event(event_id="e", plover="PROTEST", sentence_start=0, sentence_end=len(text))
    Geocoder(gaz).locate(ev, spacy.blank("en")(text), places, Article(id="t", text=text))
    assert ev.country_code == "BO"
    assert ev.admin1 == "La Paz"


def test_every_theatre_area_names_a_known_theatre():
    from eventscope.geo.context import areas_in, theatre_areas

    areas = theatre_areas()
    assert areas["OSCE SMM"] == ("Donetsk", "Luhansk")
    assert areas_in("the OSCE SMM observed 4 explosions near Orikhove") == {
        "UA": ("Donetsk", "Luhansk")
    }


def test_a_report_of_a_theatre_naming_no_place_is_put_in_its_first_province():
    rows = [
        Row(1, "Ukraine", 49.0, 32.0, "PCLI", "UA", population=44_000_000),
        Row(2, "Kyiv", 50.45, 30.52, "PPLC", "UA", admin1="Kyiv City", population=2_900_000),
        Row(None, "Donetsk", 48.14, 37.74, "ADM1", "UA", admin1="Donetsk", population=4_000_000),
        Row(3, "Donetsk", 48.02, 37.80, "PPL", "UA", admin1="Donetsk", population=900_000),
    ]
    g = Gazetteer.from_rows(rows)
    text = "On 8 March 2021, the OSCE SMM recorded 9 undetermined explosions near Bohdanivka."
    ev = Event(event_id="e", plover="ASSAULT", sentence_start=0, sentence_end=len(text))
    Geocoder(g).locate(ev, spacy.blank("en")(text), [], Article(id="t", text=text))
    assert ev.country_code == "UA"
    assert ev.admin1 == "Donetsk"
    assert ev.latitude == pytest.approx(48.02)


def test_acled_brackets_give_the_division_when_nothing_else_is_known():
    from eventscope.geo.context import bracket_divisions

    rows = [
        Row(
            None,
            "Banaadir",
            2.07,
            45.33,
            "ADM1",
            "SO",
            admin1="Banaadir",
            population=2_000_000,
            alternate_names=["Banadir"],
        ),
        Row(1, "Mogadishu", 2.04, 45.34, "PPLC", "SO", admin1="Banaadir", population=2_500_000),
    ]
    g = Gazetteer.from_rows(rows)
    text = "a hand grenade was thrown at a checkpoint in Mogadishu-Hodan district (Hodan, Banadir)."
    found = bracket_divisions(g, text, (0, len(text)), [], None)
    assert [(p.text, p.country_code) for p in found] == [("Banadir", "SO")]


def test_a_province_standing_in_for_an_unknown_village_has_precision_two(gaz):
    text = "On 2 May 2020, gunmen attacked Rubaya (Masisi, Istanbul)."
    places = [_place(gaz, text, "Istanbul", "TR", "ADM1")]
    ev = Event(event_id="e", plover="ASSAULT", sentence_start=0, sentence_end=len(text))
    Geocoder(gaz).locate(ev, spacy.blank("en")(text), places, Article(id="t", text=text))
    assert (ev.admin1, ev.geo_precision) == ("Istanbul", 2)


def test_a_compass_countryside_or_distance_moves_the_point_that_way():
    from eventscope.geo.relative import moved, relation

    text = "government artillery hit Kansafra in the southern countryside of Daraa."
    start = text.index("Daraa")
    rel = relation(text, Place(start=start, end=start + 5, text="Daraa"))
    assert (rel.near, rel.direction, rel.offset_km) == (True, 180, 20.0)
    text = "troops swept an area 35km north of Arbinda, coded at Arbinda"
    start = text.index("Arbinda")
    rel = relation(text, Place(start=start, end=start + 7, text="Arbinda"))
    assert (rel.direction, rel.offset_km) == (0, 35.0)
    lat, lon = moved(14.23, -0.87, 0, 35.0)
    assert lat == pytest.approx(14.54, abs=0.01) and lon == pytest.approx(-0.87)
