"""Places: recognition, resolution, relative places and event location on a tiny gazetteer.

These tests build on ``spacy.blank("en")`` plus hand-set entities, so they need neither the
model nor the compiled gazetteer.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
import spacy

from eventscope.errors import GazetteerError
from eventscope.geo import Geocoder, gazetteer_info, load_gazetteer
from eventscope.geo.gazetteer import Gazetteer, Row, compile_rows, name_key
from eventscope.records import Article, Event

ROWS = [
    Row(298795, "Turkey", 39.0, 35.0, "PCLI", "TR", population=82_000_000),
    Row(163843, "Syria", 35.0, 38.0, "PCLI", "SY", population=17_000_000),
    Row(2420477, "Guinea", 10.83333, -10.66667, "PCLI", "GN", population=12_000_000),
    Row(614540, "Georgia", 42.0, 43.5, "PCLI", "GE", population=3_700_000),
    Row(
        6252001,
        "United States",
        39.76,
        -98.5,
        "PCLI",
        "US",
        population=327_000_000,
        alternate_names=["US", "U.S.", "America"],
    ),
    Row(4197000, "Georgia", 32.75, -83.5, "ADM1", "US", admin1="Georgia", population=10_000_000),
    Row(None, "Labe", 11.6, -12.2, "ADM1", "GN", admin1="Labe", population=180_000),
    Row(
        None,
        "Labe Prefecture",
        11.3,
        -12.3,
        "ADM2",
        "GN",
        admin1="Labe",
        admin2="Labe Prefecture",
        population=110_000,
        alternate_names=["Labe-Centre"],
    ),
    Row(
        2418362,
        "Labé",
        11.31823,
        -12.28333,
        "PPL",
        "GN",
        admin1="Labe",
        admin2="Labe Prefecture",
        population=107_571,
        alternate_names=["Labe"],
    ),
    Row(323786, "Ankara", 39.91987, 32.85427, "PPLC", "TR", admin1="Ankara", population=3_500_000),
    Row(
        170063,
        "Aleppo",
        36.20124,
        37.16117,
        "PPL",
        "SY",
        admin1="Aleppo",
        population=1_600_000,
        alternate_names=["Halab"],
    ),
    Row(
        4180439,
        "Athens",
        33.96,
        -83.38,
        "PPL",
        "US",
        admin1="Georgia",
        admin2="Clarke County",
        population=115_000,
    ),
    Row(264371, "Athens", 37.98376, 23.72784, "PPLC", "GR", admin1="Attica", population=664_000),
    Row(99532, "Mosul", 36.335, 43.11889, "PPL", "IQ", admin1="Nineveh", population=1_700_000),
    Row(99237, "Iraq", 33.0, 44.0, "PCLI", "IQ", population=38_000_000),
    Row(None, "Nineveh", 36.0, 42.5, "ADM1", "IQ", admin1="Nineveh", population=3_000_000),
    Row(4115412, "Hope", 33.66, -93.59, "PPL", "US", admin1="Arkansas", population=10_000),
    Row(1000001, "May", 35.0, -97.0, "PPL", "US", admin1="Oklahoma", population=600),
    Row(4509177, "Columbus", 39.96, -83.0, "PPL", "US", admin1="Ohio", population=900_000),
    Row(
        None,
        "Walton County",
        33.78,
        -83.73,
        "ADM2",
        "US",
        admin1="Georgia",
        admin2="Walton County",
        population=90_000,
    ),
    Row(
        None,
        "Oconee County",
        33.83,
        -83.44,
        "ADM2",
        "US",
        admin1="Georgia",
        admin2="Oconee County",
        population=40_000,
    ),
]
DEMONYMS = {
    "turkish": "TR",
    "syrian": "SY",
    "syrians": "SY",
    "iraqi": "IQ",
    "guinean": "GN",
    "american": "US",
}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.from_rows(ROWS, demonyms=DEMONYMS)


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


def parse(nlp, text: str, ents: list[tuple[str, str]] = ()):
    """A blank-pipeline doc with sentences split at full stops and the given entities."""
    doc = nlp(text)
    for i, tok in enumerate(doc):
        tok.is_sent_start = i == 0 or doc[i - 1].text == "."
    spans = []
    for surface, label in ents:
        start = text.index(surface)
        span = doc.char_span(start, start + len(surface), label=label)
        assert span is not None, surface
        spans.append(span)
    doc.ents = spans
    return doc


def places_of(gaz, nlp, text, ents=()):
    doc = parse(nlp, text, ents)
    art = Article(id="t", text=text)
    return Geocoder(gaz).places(doc, art), doc, art


def event_at(gaz, nlp, text, ents=(), sentence=None, plover="ASSAULT"):
    """An event told in ``sentence`` (the whole text by default), located."""
    places, doc, art = places_of(gaz, nlp, text, ents)
    s = text.index(sentence) if sentence else 0
    e = s + len(sentence) if sentence else len(text)
    ev = Event(event_id="e", plover=plover, sentence_start=s, sentence_end=e)
    Geocoder(gaz).locate(ev, doc, places, art)
    return ev


def test_name_key_folds_case_accents_dots_and_hyphens():
    assert name_key("Labé") == name_key("LABE") == "labe"
    assert name_key("Nord-Kivu") == "nord kivu"
    assert name_key("U.S.") == "us"


def test_country_and_capital_resolved_and_sorted(gaz, nlp):
    text = "The attack in Ankara shocked Turkey."
    places, _, _ = places_of(gaz, nlp, text, [("Ankara", "GPE"), ("Turkey", "GPE")])
    assert [p.text for p in places] == ["Ankara", "Turkey"]
    assert places[0].feature_code == "PPLC" and places[0].country_code == "TR"
    assert places[1].geonameid == 298795
    assert all(text[p.start : p.end] == p.text for p in places)


def test_gazetteer_scan_finds_places_the_model_missed(gaz, nlp):
    # no entities at all: the scan must find the place after "in"
    places, _, _ = places_of(gaz, nlp, "Fighting continued in Aleppo on Monday.")
    assert [p.name for p in places] == ["Aleppo"]


def test_country_beats_state_unless_context_says_otherwise(gaz, nlp):
    world, _, _ = places_of(gaz, nlp, "Troops entered Georgia last year.", [("Georgia", "GPE")])
    assert world[0].country_code == "GE"
    local, _, _ = places_of(
        gaz, nlp, "Students in Athens, Georgia protested.", [("Athens", "GPE"), ("Georgia", "GPE")]
    )
    assert [p.country_code for p in local] == ["US", "US"]
    assert local[0].admin1 == "Georgia" and local[1].feature_code == "ADM1"


def test_demonym_gives_country_but_never_event_location(gaz, nlp):
    text = "Turkish forces shelled Mosul. Syrian officials said so."
    places, doc, art = places_of(gaz, nlp, text, [("Turkish", "NORP"), ("Syrian", "NORP")])
    assert [(p.text, p.country_code) for p in places] == [
        ("Turkish", "TR"),
        ("Mosul", "IQ"),
        ("Syrian", "SY"),
    ]
    ev = Event(event_id="e", plover="ASSAULT", sentence_start=0, sentence_end=29)
    Geocoder(gaz).locate(ev, doc, places, art)
    assert ev.location == "Mosul" and ev.country == "Iraq" and ev.geo_precision == 1


def test_common_words_and_person_names_are_not_places(gaz, nlp):
    text = "Georgia Smith met Hope officials in May. Hope said Aleppo fell."
    places, _, _ = places_of(gaz, nlp, text, [("Georgia Smith", "PERSON")])
    assert [p.text for p in places] == ["Aleppo"]


def test_acled_note_parenthetical_gives_town_and_admin(gaz, nlp):
    text = "On 11 March 2021, traders marched in Labe town (Labe-Centre, Labe)."
    places, doc, art = places_of(gaz, nlp, text)
    ev = Event(event_id="e", plover="PROTEST", sentence_start=0, sentence_end=len(text))
    Geocoder(gaz).locate(ev, doc, places, art)
    assert ev.location == "Labé"
    assert (ev.country, ev.country_code, ev.admin1) == ("Guinea", "GN", "Labe")
    assert ev.admin2 == "Labe Prefecture"
    assert ev.geo_precision == 1
    loc_ev = [e for e in ev.evidence if e.field == "location"]
    assert text[loc_ev[0].start : loc_ev[0].end] == "Labe"


def test_near_place_has_precision_two_and_country_is_precision_three(gaz, nlp):
    text = "A bomb exploded near Mosul. Later, clashes broke out in Syria."
    places, doc, art = places_of(gaz, nlp, text, [("Mosul", "GPE"), ("Syria", "GPE")])
    ev = Event(event_id="e", plover="ASSAULT", sentence_start=0, sentence_end=27)
    Geocoder(gaz).locate(ev, doc, places, art)
    assert ev.location == "Mosul" and ev.geo_precision == 2
    ev2 = Event(event_id="e2", plover="ASSAULT", sentence_start=28, sentence_end=len(text))
    Geocoder(gaz).locate(ev2, doc, places, art)
    assert ev2.country == "Syria" and ev2.geo_precision == 3


def test_dateline_is_not_the_event_location(gaz, nlp):
    text = "ANKARA (Reuters) - Turkish jets struck Mosul on Sunday."
    places, doc, art = places_of(gaz, nlp, text, [("ANKARA", "GPE"), ("Mosul", "GPE")])
    ev = Event(event_id="e", plover="ASSAULT", sentence_start=0, sentence_end=len(text))
    Geocoder(gaz).locate(ev, doc, places, art)
    assert ev.location == "Mosul"


def test_actor_nationality_gives_country_when_no_place_is_named(gaz, nlp):
    text = "Soldiers opened fire on a crowd."
    places, doc, art = places_of(gaz, nlp, text)
    ev = Event(
        event_id="e",
        plover="ASSAULT",
        sentence_start=0,
        sentence_end=len(text),
        actor1="Military Forces of Guinea (2010-)",
    )
    Geocoder(gaz).locate(ev, doc, places, art)
    assert ev.country_code == "GN" and ev.geo_precision == 3


def test_missing_gazetteer_tells_how_to_rebuild(tmp_path: Path):
    with pytest.raises(GazetteerError, match="eventscope gazetteer build"):
        load_gazetteer(tmp_path / "nope.npz")


def test_corrupt_gazetteer_tells_how_to_rebuild(tmp_path: Path):
    bad = tmp_path / "gazetteer.npz"
    bad.write_bytes(b"PK\x03\x04this is not a gazetteer")
    with pytest.raises(GazetteerError, match="corrupt.*eventscope gazetteer build"):
        load_gazetteer(bad)
    other = tmp_path / "other.npz"
    with open(other, "wb") as fh:
        np.savez(fh, facts=np.frombuffer(b'{"format": "something else"}', dtype=np.uint8))
    with pytest.raises(GazetteerError, match="not an eventscope gazetteer"):
        load_gazetteer(other)


class _Planted:
    """What a hostile pickle would run on load: it writes a file."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self):
        return (Path.write_text, (self.target, "code ran"))


def test_a_pickle_in_place_of_the_gazetteer_is_refused_without_running_it(tmp_path: Path):
    # the cache folder may be writable by others: loading must never execute what it holds
    planted = tmp_path / "planted.txt"
    path = tmp_path / "gazetteer.npz"
    path.write_bytes(pickle.dumps({"format": "eventscope-gazetteer", "x": _Planted(planted)}))
    with pytest.raises(GazetteerError, match="corrupt or unreadable"):
        load_gazetteer(path)
    assert not planted.exists()
    # nor an .npz whose arrays are pickled objects
    with open(path, "wb") as fh:
        np.savez(fh, facts=np.array([_Planted(planted)], dtype=object))
    with pytest.raises(GazetteerError, match="corrupt or unreadable"):
        load_gazetteer(path)
    assert not planted.exists()


def test_gazetteer_of_another_version_is_rebuilt_or_explained(tmp_path: Path, monkeypatch):
    from eventscope.geo import gazetteer as gz

    data = compile_rows(ROWS, demonyms=DEMONYMS, meta={"source": "packages"})
    data["version"] = gz.FORMAT_VERSION - 1
    path = gz._write(data, tmp_path / "gazetteer.npz")
    built: list[Path] = []

    def fake_build(target: Path | None = None) -> Path:
        # stands in for the two-minute build from package data
        built.append(Path(target or ""))
        return gz._write(compile_rows(ROWS, demonyms=DEMONYMS), Path(target or ""))

    monkeypatch.setattr(gz, "build_gazetteer", fake_build)
    gaz = load_gazetteer(path)
    assert built == [path]
    assert [e.name for e in gaz.lookup("Halab")] == ["Aleppo"]
    # a file imported from GeoNames dumps cannot be rebuilt without them: say how
    data["meta"] = {"source": "geonames:allCountries.zip"}
    other = gz._write(data, tmp_path / "imported.npz")
    with pytest.raises(GazetteerError, match="format version .*gazetteer import"):
        load_gazetteer(other)
    # the pickle an older eventscope left is never read: a new file is built beside it
    (tmp_path / "old.pkl").write_bytes(pickle.dumps({"x": _Planted(tmp_path / "ran.txt")}))
    load_gazetteer(tmp_path / "old.npz")
    assert built[-1] == tmp_path / "old.npz" and not (tmp_path / "ran.txt").exists()


def test_compiled_file_round_trips(tmp_path: Path):
    from eventscope.geo.gazetteer import _write

    data = compile_rows(ROWS, demonyms=DEMONYMS)
    path = _write(data, tmp_path / "g.npz")
    gaz = load_gazetteer(path)
    assert [e.name for e in gaz.lookup("Halab")] == ["Aleppo"]
    assert gaz.lookup("No such place") == []
    mem = Gazetteer(data)
    for i in range(len(mem)):
        assert gaz.entry(i) == mem.entry(i)
    assert dict(gaz._index.items()) == data["index"]
    assert gaz.admin1_entries == mem.admin1_entries and gaz.demonyms == mem.demonyms
    info = gazetteer_info(path)
    assert info["countries"] == 6 and info["admin1"] == 3 and info["entries"] == len(ROWS)


def test_locate_works_on_a_doc_without_sentence_boundaries(gaz, nlp):
    # a bare pipeline (no parser, no sentencizer): the article's place is the fallback
    text = "Talks were held. Later, fighting was reported in Aleppo."
    doc = nlp(text)
    art = Article(id="t", text=text)
    geo = Geocoder(gaz)
    places = geo.places(doc, art)
    ev = Event(event_id="e", plover="ASSAULT", sentence_start=0, sentence_end=16)
    geo.locate(ev, doc, places, art)
    assert ev.location == "Aleppo" and ev.country == "Syria"


def test_province_level_event_is_put_at_the_provincial_capital(gaz, nlp):
    # ACLED: an event known only at province level takes the provincial capital's point
    text = "Clashes were reported in Nineveh province on Monday."
    places, doc, art = places_of(gaz, nlp, text, [("Nineveh", "GPE")])
    ev = Event(event_id="e", plover="ASSAULT", sentence_start=0, sentence_end=len(text))
    Geocoder(gaz).locate(ev, doc, places, art)
    assert (ev.location, ev.admin1, ev.geo_precision) == ("Nineveh", "Nineveh", 3)
    assert (ev.latitude, ev.longitude) == (36.335, 43.11889)  # Mosul, its largest town


def test_us_news_conventions_name_places_without_the_usual_cues(gaz, nlp):
    text = (
        "State Sen. Ray Miller, D-Columbus, spoke of the bridge between Walton and Oconee counties."
    )
    places, _, _ = places_of(gaz, nlp, text)
    assert [(p.text, p.name) for p in places] == [
        ("Columbus", "Columbus"),
        ("Walton", "Walton County"),
        ("Oconee", "Oconee County"),
    ]


def test_a_country_named_as_an_actor_is_not_the_event_location(gaz, nlp):
    text = "U.S. troops came under fire on Sunday near a checkpoint in Mosul."
    places, doc, art = places_of(gaz, nlp, text, [("U.S.", "GPE"), ("Mosul", "GPE")])
    ev = Event(event_id="e", plover="ASSAULT", sentence_start=0, sentence_end=len(text))
    Geocoder(gaz).locate(ev, doc, places, art)
    assert ev.location == "Mosul" and ev.country == "Iraq"


def test_all_caps_us_is_the_pronoun(gaz, nlp):
    text = "THE GUERRILLAS TOLD US THAT THEY HAD ATTACKED THE TOWN OF ALEPPO YESTERDAY."
    places, _, _ = places_of(gaz, nlp, text, [("US", "GPE")])
    assert [p.text for p in places] == ["ALEPPO"]


THEATRE_ROWS = [
    *ROWS,
    Row(690791, "Ukraine", 49.0, 32.0, "PCLI", "UA", population=44_000_000),
    Row(69543, "Yemen", 15.5, 47.5, "PCLI", "YE", population=28_000_000),
    Row(102358, "Saudi Arabia", 25.0, 45.0, "PCLI", "SA", population=33_000_000),
    Row(None, "Al Jawf", 29.8, 39.9, "ADM1", "SA", admin1="Al Jawf", population=500_000),
    Row(None, "Al Jawf", 16.2, 45.3, "ADM1", "YE", admin1="Al Jawf", population=90_000),
]


@pytest.fixture(scope="module")
def theatre_gaz() -> Gazetteer:
    return Gazetteer.from_rows(THEATRE_ROWS, demonyms={**DEMONYMS, "saudi": "SA"})


def test_a_mission_that_works_in_one_country_gives_the_country(theatre_gaz, nlp):
    text = "The OSCE SMM observed 16 explosions near Trudovskiye."
    places, doc, art = places_of(theatre_gaz, nlp, text)
    assert places == []  # a mission is not a place of the text
    ev = Event(event_id="e", plover="ASSAULT", sentence_start=0, sentence_end=len(text))
    Geocoder(theatre_gaz).locate(ev, doc, places, art)
    assert ev.country == "Ukraine" and ev.geo_precision == 3


def test_the_coalition_leader_named_in_a_force_is_not_where_it_strikes(theatre_gaz, nlp):
    text = "Saudi-led coalition airstrikes targeted a district (Al Jawf)."
    places, _, _ = places_of(theatre_gaz, nlp, text)
    jawf = [p for p in places if p.text == "Al Jawf"]
    assert jawf and jawf[0].country_code == "YE"


def test_a_village_word_does_not_make_a_namesake_abroad_credible(nlp):
    rows = [
        *ROWS,
        Row(3402000, "Choró", -4.84, -39.13, "PPL", "BR", admin1="Ceara", population=13_000),
    ]
    gaz = Gazetteer.from_rows(rows, demonyms=DEMONYMS)
    text = "Gunmen attacked Iraqi troops near Choro village (Mosul, Nineveh)."
    places, _, _ = places_of(gaz, nlp, text, [("Choro", "GPE"), ("Mosul", "GPE")])
    assert [p.country_code for p in places if p.text == "Choro"] == []
    assert {p.text: p.country_code for p in places}["Mosul"] == "IQ"


def test_the_army_of_a_country_is_an_actor_not_the_event_location(gaz, nlp):
    text = "Soldiers of the army of Turkey looted houses on Iraqi soil (Kouroula, Nineveh)."
    places, doc, art = places_of(gaz, nlp, text, [("Turkey", "GPE")])
    ev = Event(event_id="e", plover="ASSAULT", sentence_start=0, sentence_end=len(text))
    Geocoder(gaz).locate(ev, doc, places, art)
    assert ev.country_code == "IQ" and ev.admin1 == "Nineveh"


def test_a_spelling_variant_in_a_parenthesised_pair_is_a_place_even_as_a_person(nlp):
    rows = [
        *ROWS,
        Row(51967, "Somalia", 6.0, 48.0, "PCLI", "SO", population=15_000_000),
        Row(
            50899,
            "Wanlaweyn",
            2.62,
            44.89,
            "PPL",
            "SO",
            admin1="Lower Shabeelle",
            population=20_000,
        ),
    ]
    gaz = Gazetteer.from_rows(rows, demonyms=DEMONYMS)
    text = "Militants shot a soldier at Garas Barey (Wanla Weyn, Somalia). He died."
    places, _, _ = places_of(gaz, nlp, text, [("Garas Barey", "PERSON"), ("Wanla Weyn", "PERSON")])
    assert [(p.text, p.country_code) for p in places][0] == ("Wanla Weyn", "SO")


def test_a_division_seat_is_the_town_named_like_it_before_a_larger_town():
    rows = [
        Row(2453866, "Mali", 17.0, -4.0, "PCLI", "ML", population=19_000_000),
        Row(None, "Sikasso Region", 11.0, -6.0, "ADM1", "ML", admin1="Sikasso Region"),
        Row(
            2451185,
            "Sikasso",
            11.32,
            -5.67,
            "PPL",
            "ML",
            admin1="Sikasso Region",
            population=226_000,
        ),
        Row(
            2454268,
            "Koutiala",
            12.39,
            -5.46,
            "PPL",
            "ML",
            admin1="Sikasso Region",
            population=300_000,
        ),
    ]
    gaz = Gazetteer.from_rows(rows)
    assert gaz.seat("ML", "Sikasso Region").name == "Sikasso"
    other = Gazetteer.from_rows([r for r in rows if r.name != "Sikasso"])
    assert other.seat("ML", "Sikasso Region").name == "Koutiala"  # else the largest town


def test_a_namesake_outside_the_named_province_gives_way_to_the_province(nlp):
    rows = [*ROWS, Row(99000, "Sinjar", 33.4, 43.3, "PPL", "IQ", admin1="Anbar", population=3_000)]
    gaz = Gazetteer.from_rows(rows, demonyms=DEMONYMS)
    text = "Gunmen attacked a checkpoint in Sinjar district, Nineveh."
    places, doc, art = places_of(gaz, nlp, text, [("Sinjar", "GPE"), ("Nineveh", "GPE")])
    ev = Event(event_id="e", plover="ASSAULT", sentence_start=0, sentence_end=len(text))
    Geocoder(gaz).locate(ev, doc, places, art)
    assert ev.admin1 == "Nineveh"


def test_a_force_of_one_theatre_outweighs_the_nationalities_at_a_border(theatre_gaz, nlp):
    text = "Saudi-led coalition airstrikes targeted a frontline along the Turkish-Saudi border."
    places, doc, art = places_of(theatre_gaz, nlp, text)
    ev = Event(event_id="e", plover="ASSAULT", sentence_start=0, sentence_end=len(text))
    Geocoder(theatre_gaz).locate(ev, doc, places, art)
    assert ev.country == "Yemen"


def test_a_place_name_going_on_after_an_arabic_article_is_a_longer_name(nlp):
    rows = [*ROWS, Row(250258, "Mafraq", 32.34, 36.2, "PPL", "JO", population=57_000)]
    gaz = Gazetteer.from_rows(rows, demonyms=DEMONYMS)
    text = "An IED detonated in Mafraq ar Ruwayk area (Nineveh)."
    places, _, _ = places_of(gaz, nlp, text, [("Nineveh", "GPE")])
    assert [p.text for p in places] == ["Nineveh"]


def test_a_name_shown_to_be_unknown_is_unknown_where_it_is_repeated(nlp):
    rows = [*ROWS, Row(1270000, "Hat", 28.5, 77.0, "PPL", "IN", admin1="Haryana", population=4_000)]
    gaz = Gazetteer.from_rows(rows, demonyms=DEMONYMS)
    text = "Forces stormed Hat police station (Hat, Nineveh) to free an officer."
    places, _, _ = places_of(gaz, nlp, text, [("Nineveh", "GPE")])
    assert [p.country_code for p in places if p.text == "Hat"] == []


def test_a_country_inside_an_organisations_name_is_a_toponym_under_its_own_name(gaz, nlp):
    text = "Environment Turkey warned of snow. Bank of America raised rates."
    ents = [("Environment Turkey", "ORG"), ("Bank of America", "ORG")]
    places, _, _ = places_of(gaz, nlp, text, ents)
    assert [p.text for p in places] == ["Turkey"]  # not the alternate name "America"


def test_a_region_is_a_place_but_one_across_borders_is_no_event_location(nlp):
    rows = [
        *ROWS,
        Row(None, "Darfur", 13.0, 24.5, "RGN", "SD"),
        Row(None, "Lake Chad", 13.25, 14.0, "RGN", ""),
    ]
    gaz = Gazetteer.from_rows(rows, demonyms=DEMONYMS)
    text = "Troops are stationed in Darfur. Fighters attacked a camp at Lake Chad in Nineveh."
    places, doc, art = places_of(gaz, nlp, text, [("Nineveh", "GPE")])
    assert {p.text: p.feature_code for p in places}["Darfur"] == "RGN"
    second = text.index("Fighters")
    ev = Event(event_id="e", plover="ASSAULT", sentence_start=second, sentence_end=len(text))
    Geocoder(gaz).locate(ev, doc, places, art)
    assert ev.country_code == "IQ" and ev.geo_precision == 3


def test_a_spelling_variant_left_aside_leaves_its_words_to_the_scan(nlp):
    rows = [*ROWS, Row(4156404, "Gainesville", 29.65, -82.32, "PPL", "US", population=145_000)]
    gaz = Gazetteer.from_rows(rows, demonyms=DEMONYMS)
    text = "Police were called. A Gainesville man was charged on Monday."
    places, _, _ = places_of(gaz, nlp, text, [("Gainesville", "ORG")])
    assert [p.text for p in places] == ["Gainesville"]


def test_a_province_after_of_inside_an_organisations_name_is_a_toponym(gaz, nlp):
    text = "On Monday he was treated at the clinic of the University of Nineveh."
    places, _, _ = places_of(gaz, nlp, text, [("the University of Nineveh", "ORG")])
    assert [p.text for p in places] == ["Nineveh"]


def test_a_capital_that_speaks_is_its_government_not_a_person(gaz, nlp):
    text = "Ankara said the talks had failed. Columbus said he would run."
    places, _, _ = places_of(gaz, nlp, text, [("Ankara", "GPE"), ("Columbus", "GPE")])
    assert [p.text for p in places] == ["Ankara"]


def test_a_district_and_a_town_named_apart_that_fit_together_settle_each_other(nlp):
    def county(name: str, state: str, lat: float, lon: float, pop: int) -> Row:
        return Row(None, name, lat, lon, "ADM2", "US", admin1=state, admin2=name, population=pop)

    rows = [
        *ROWS,
        county("Walker County", "Texas", 30.74, -95.57, 70_000),
        county("Walker County", "Alabama", 33.8, -87.3, 65_000),
        Row(1, "Huntsville", 30.72, -95.55, "PPL", "US", "Texas", "Walker County", 40_000),
        Row(2, "Huntsville", 34.73, -86.59, "PPL", "US", "Alabama", "Madison County", 200_000),
    ]
    gaz = Gazetteer.from_rows(rows, demonyms=DEMONYMS)
    text = "The burn ban for Walker County was lifted on Monday. The Huntsville fire chief agreed."
    places, _, _ = places_of(gaz, nlp, text, [("Walker County", "GPE"), ("Huntsville", "GPE")])
    assert {p.text: p.admin1 for p in places} == {"Walker County": "Texas", "Huntsville": "Texas"}


def test_a_dateline_run_into_the_text_and_a_named_county_before_an_office_are_places(gaz, nlp):
    # a feed that ran the lines together: the dateline follows the byline's date
    text = "By Ann Lee March 24, 2009 ATHENS -- Walton County dispatchers took the call."
    places, _, _ = places_of(gaz, nlp, text)
    assert [(p.text, p.name) for p in places] == [
        ("ATHENS", "Athens"),
        ("Walton County", "Walton County"),
    ]
    # a word in capitals before a dash inside a sentence is no dateline
    places, _, _ = places_of(gaz, nlp, "They met the HOPE - based team.")
    assert places == []


def test_a_small_province_abroad_named_like_the_articles_person_is_no_place(nlp):
    rows = [
        *ROWS,
        Row(None, "Nelson", -41.27, 173.28, "ADM1", "NZ", admin1="Nelson", population=50_000),
    ]
    small = Gazetteer.from_rows(rows, demonyms=DEMONYMS)
    # the model took the officer for an organisation; the initial says it is a person
    text = "Officer Tyrise M. Nelson left. Then Nelson called the station in Athens."
    places, _, _ = places_of(small, nlp, text, [("Tyrise M. Nelson", "ORG")])
    assert [p.text for p in places] == ["Athens"]
    # a state of millions named like a person stays the state
    text = "Georgia Smith said the storm hit Georgia."
    places, _, _ = places_of(small, nlp, text, [("Georgia Smith", "PERSON")])
    assert [p.name for p in places] == ["Georgia"]


def test_a_city_council_is_the_towns_not_a_district_named_city(nlp):
    district = Row(
        None,
        "Columbus City",
        53.35,
        -6.26,
        "ADM2",
        "IE",
        admin1="Leinster",
        admin2="Columbus City",
        population=500_000,
    )
    small = Gazetteer.from_rows([*ROWS, district], demonyms=DEMONYMS)
    text = "The Columbus City Council met in Ohio on Monday."
    places, _, _ = places_of(small, nlp, text)
    assert [(p.text, p.country_code) for p in places][0] == ("Columbus", "US")


def test_a_towns_police_or_mayor_after_its_name_makes_it_a_place(nlp):
    town = Row(
        4837000, "Harwinton", 41.77, -73.06, "PPL", "US", admin1="Connecticut", population=5_600
    )
    # a common word before an office is no town
    vice = Row(3691000, "Vice", -5.42, -80.78, "PPL", "PE", population=15_000)
    small = Gazetteer.from_rows([*ROWS, town, vice], demonyms=DEMONYMS)
    text = "Officers of the Harwinton Police Department arrived. Harwinton Mayor Ann Lee spoke."
    places, _, _ = places_of(small, nlp, text, [("Harwinton Police Department", "ORG")])
    assert [p.name for p in places] == ["Harwinton", "Harwinton"]
    places, _, _ = places_of(small, nlp, "The report said Harwinton police found the car.")
    assert [p.name for p in places] == ["Harwinton"]
    places, _, _ = places_of(small, nlp, "The motion passed over Vice Mayor Ray Melton's vote.")
    assert places == []


def test_a_spelling_variant_inside_a_longer_name_is_a_word_of_that_name(nlp):
    frost = Row(4692000, "Frost", 32.08, -96.81, "PPL", "US", admin1="Texas", population=600)
    small = Gazetteer.from_rows([*ROWS, frost], demonyms=DEMONYMS)
    assert small.lookup_loose(name_key("First"))  # "First" spells like "Frost"
    places, _, _ = places_of(small, nlp, "The meeting will be at First Baptist Church.")
    assert places == []


def test_a_state_abbreviation_named_apart_settles_which_town_is_meant(nlp):
    rows = [
        *ROWS,
        Row(
            4597040,
            "South Carolina",
            34.0,
            -81.0,
            "ADM1",
            "US",
            admin1="South Carolina",
            population=4_000_000,
        ),
        Row(
            4575352,
            "Columbia",
            34.0,
            -81.03,
            "PPL",
            "US",
            admin1="South Carolina",
            population=130_000,
        ),
        Row(4352053, "Columbia", 39.24, -76.84, "PPL", "US", admin1="Maryland", population=140_000),
    ]
    small = Gazetteer.from_rows(rows, demonyms=DEMONYMS)
    text = "Columbia police said the S.C. Highway Patrol helped them."
    places, _, _ = places_of(small, nlp, text, [("Columbia", "GPE")])
    assert [(p.text, p.admin1) for p in places] == [
        ("Columbia", "South Carolina"),
        ("S.C.", "South Carolina"),
    ]


def test_a_province_abroad_no_larger_than_a_city_of_its_name_gives_way_to_the_city(nlp):
    rows = [
        *ROWS,
        Row(None, "Gaza", -23.0, 33.0, "ADM1", "MZ", admin1="Gaza", population=385_000),
        Row(281133, "Gaza", 31.5, 34.47, "PPL", "PS", admin1="Gaza Strip", population=410_000),
    ]
    small = Gazetteer.from_rows(rows, demonyms=DEMONYMS)
    places, _, _ = places_of(small, nlp, "Rockets were fired from Gaza on Monday.")
    assert [(p.name, p.country_code) for p in places] == [("Gaza", "PS")]


def test_a_country_named_again_and_again_settles_a_town_of_its_own(nlp):
    rows = [
        *ROWS,
        Row(6251999, "Canada", 60.0, -96.0, "PCLI", "CA", population=37_000_000),
        Row(2643743, "London", 51.5, -0.13, "PPLC", "GB", admin1="England", population=8_000_000),
        Row(6058560, "London", 42.98, -81.23, "PPL", "CA", admin1="Ontario", population=346_000),
    ]
    small = Gazetteer.from_rows(rows, demonyms=DEMONYMS)
    text = (
        "A London rally thanked Canada. Organisers said Canada must do more. "
        "The London group wrote to Canada."
    )
    places, _, _ = places_of(small, nlp, text)
    assert {p.country_code for p in places if p.text == "London"} == {"CA"}
    # named once, the country does not outweigh the capital
    places, _, _ = places_of(small, nlp, "A London rally thanked Canada.")
    assert {p.country_code for p in places if p.text == "London"} == {"GB"}


def test_a_country_inside_a_hyphenated_compound_token_is_a_place(gaz, nlp):
    text = "Turkey joined the U.S.-led coalition as a partner."
    places, _, _ = places_of(gaz, nlp, text, [("Turkey", "GPE")])
    assert [(p.text, p.country_code) for p in places] == [("Turkey", "TR"), ("U.S.", "US")]


def test_a_two_word_person_whose_surname_stands_alone_later_is_no_place(nlp):
    town = Row(4893886, "Gary", 41.59, -87.35, "PPL", "US", admin1="Indiana", population=80_000)
    wilson = Row(
        4499379, "Wilson", 35.72, -77.92, "PPL", "US", admin1="North Carolina", population=60_000
    )
    small = Gazetteer.from_rows([*ROWS, town, wilson], demonyms=DEMONYMS)
    text = "Gary Wilson, 54, was sentenced. In January, Wilson had pled guilty in Athens."
    ents = [("Gary Wilson", "PERSON")]
    places, _, _ = places_of(small, nlp, text, ents)
    assert [p.text for p in places] == ["Athens"]


def test_a_country_after_united_inside_a_partys_name_is_no_place(nlp):
    russia = Row(2017370, "Russia", 60.0, 100.0, "PCLI", "RU", population=144_000_000)
    small = Gazetteer.from_rows([*ROWS, russia], demonyms=DEMONYMS)
    text = "He ran against the United Russia candidate in Ankara."
    places, _, _ = places_of(small, nlp, text, [("United Russia", "ORG")])
    assert [p.text for p in places] == ["Ankara"]


def test_a_name_before_administration_is_a_president_not_a_place(nlp):
    bush = Row(359000, "Bush", 29.15, 31.13, "PPL", "EG", admin1="Bani Suwayf", population=60_000)
    small = Gazetteer.from_rows([*ROWS, bush], demonyms=DEMONYMS)
    places, _, _ = places_of(small, nlp, "The Bush administration sent envoys to Ankara.")
    assert [p.text for p in places] == ["Ankara"]


def test_a_saints_name_in_the_possessive_is_an_institution_not_the_town(nlp):
    town = Row(
        5847000,
        "Saint Michael",
        45.2,
        -93.66,
        "PPL",
        "US",
        admin1="Minnesota",
        population=16_000,
        alternate_names=["St. Michael"],
    )
    small = Gazetteer.from_rows([*ROWS, town], demonyms=DEMONYMS)
    text = "Buses stop at St. Michael's Catholic School."
    places, _, _ = places_of(small, nlp, text, [("St. Michael", "GPE")])
    assert places == []
    # the town under its own name is still the town
    places, _, _ = places_of(small, nlp, "He lives in St. Michael.", [("St. Michael", "GPE")])
    assert [p.name for p in places] == ["Saint Michael"]


def test_a_place_name_the_model_cut_short_is_read_whole(nlp):
    # "Valle del Cauca" tagged as "Valle": the longer name the gazetteer knows wins
    rows = [
        Row(3687925, "Cali", 3.437, -76.52, "PPLA", "CO", admin1="Valle del Cauca", population=2e6),
        Row(3687029, "Valle del Cauca", 3.75, -76.5, "ADM1", "CO", admin1="Valle del Cauca"),
        Row(3600000, "Valle", 13.5, -87.6, "ADM1", "HN", admin1="Valle"),
        Row(3687000, "Cauca", 2.5, -76.8, "ADM1", "CO", admin1="Cauca"),
    ]
    small = Gazetteer.from_rows([*ROWS, *rows], demonyms=DEMONYMS)
    text = "Residents blocked roads in Cali, Valle del Cauca, on Monday."
    places, _, _ = places_of(small, nlp, text, [("Cali", "GPE"), ("Valle", "GPE")])
    assert [(p.text, p.country_code) for p in places] == [
        ("Cali", "CO"),
        ("Valle del Cauca", "CO"),
    ]


def test_a_village_and_its_province_without_the_comma_give_the_province(nlp):
    # the model reads "in Tlacotepec Oaxaca" as a person; the province named last still counts
    oaxaca = Row(
        3522509, "Oaxaca", 17.0, -96.5, "ADM1", "MX", admin1="Oaxaca", population=4_000_000
    )
    small = Gazetteer.from_rows([*ROWS, oaxaca], demonyms=DEMONYMS)
    text = "On 3 March 2020, in Tlacotepec Oaxaca, a man was found dead."
    places, _, _ = places_of(small, nlp, text, [("Tlacotepec Oaxaca", "PERSON")])
    assert [(p.text, p.country_code) for p in places] == [("Oaxaca", "MX")]


def test_a_village_and_its_province_read_as_an_organisation_give_the_province(nlp):
    sinaloa = Row(3983035, "Sinaloa", 25.0, -107.5, "ADM1", "MX", admin1="Sinaloa")
    small = Gazetteer.from_rows([*ROWS, sinaloa], demonyms=DEMONYMS)
    text = "On 3 March 2020, in Cosala Sinaloa, a man was found dead."
    places, _, _ = places_of(small, nlp, text, [("Cosala Sinaloa", "ORG")])
    assert [(p.text, p.country_code) for p in places] == [("Sinaloa", "MX")]


def test_a_town_the_article_shows_as_a_place_stays_one_where_it_seems_to_speak(gaz, nlp):
    # "Columbus said" alone makes a person of every Columbus; "Columbus residents" show the town
    text = "About 55 Columbus residents marched. Columbus said no to the plan."
    places, _, _ = places_of(gaz, nlp, text)
    assert [(p.start, p.text) for p in places] == [(9, "Columbus")]
    # a name before a noun after "in" is no proof ("in Columbus' honor")
    text = "A tree grows in Columbus' honor. Columbus said he would run."
    places, _, _ = places_of(gaz, nlp, text)
    assert [p.text for p in places] == []


def test_wording_of_us_local_news_reads_a_town_named_alone_in_the_us(gaz, nlp):
    text = "The Athens council met. The Athens mayor spoke."
    places, _, _ = places_of(gaz, nlp, text, [("Athens", "GPE")])
    assert {p.country_code for p in places} == {"GR"}
    text = "The Athens council met. The county sheriff and the Board of Education spoke."
    places, _, _ = places_of(gaz, nlp, text, [("Athens", "GPE")])
    assert {p.country_code for p in places} == {"US"}


def test_a_town_people_are_named_by_is_a_place(nlp):
    rows = [*ROWS, Row(9000001, "Harlowe", 40.0, -80.0, "PPL", "US", population=6_000)]
    small = Gazetteer.from_rows(rows, demonyms=DEMONYMS)
    # the model took the small town for a person; "A Harlowe woman" says it is the town
    text = "A Harlowe woman won the prize."
    places, _, _ = places_of(small, nlp, text, [("Harlowe", "PERSON")])
    assert [p.text for p in places] == ["Harlowe"]
    places, _, _ = places_of(small, nlp, "Harlowe won the prize.", [("Harlowe", "PERSON")])
    assert places == []


def test_the_city_a_university_is_named_after_is_a_toponym(gaz, nlp):
    text = "She studied at the University of Columbus for years."
    places, _, _ = places_of(gaz, nlp, text, [("the University of Columbus", "ORG")])
    assert [p.text for p in places] == ["Columbus"]


def test_a_named_county_run_into_a_persons_name_is_still_a_place(gaz, nlp):
    text = "The boat was found, said Walton County Sheriff Ann Lee."
    ents = [("Walton County Sheriff Ann Lee", "PERSON")]
    places, _, _ = places_of(gaz, nlp, text, ents)
    assert [p.text for p in places] == ["Walton County"]


def test_a_towns_board_or_community_center_after_its_name_makes_it_a_place(nlp):
    rows = [*ROWS, Row(9000002, "Harlowe", 40.0, -80.0, "PPL", "US", population=1_200)]
    small = Gazetteer.from_rows(rows, demonyms=DEMONYMS)
    places, _, _ = places_of(small, nlp, "The Harlowe Board of Health met on Monday.")
    assert [p.text for p in places] == ["Harlowe"]
    places, _, _ = places_of(small, nlp, "The Harlowe project met on Monday.")
    assert places == []


def test_a_towns_council_shows_it_a_place_where_a_name_seems_to_give_a_person(gaz, nlp):
    # "Historic Columbus" read as a person's name would make a person of every Columbus
    text = "Columbus City Council met. The street runs in Historic Columbus to the river."
    ents = [("Historic Columbus", "PERSON")]
    places, _, _ = places_of(gaz, nlp, text, ents)
    assert [p.text for p in places][:1] == ["Columbus"]


def test_a_name_given_kin_is_a_person_even_a_countrys_name(gaz, nlp):
    text = "Georgia won the spelling bee. Georgia's mother drove her home."
    places, _, _ = places_of(gaz, nlp, text, [("Georgia", "GPE")])
    assert places == []
    # the country itself keeps its place
    text = "Georgia began talks. Georgia's president said so."
    places, _, _ = places_of(gaz, nlp, text, [("Georgia", "GPE")])
    assert [p.text for p in places] == ["Georgia", "Georgia"]


def test_a_spelling_variant_before_a_number_is_a_numbered_unit(nlp):
    rows = [*ROWS, Row(9000003, "Throop", 41.0, -75.0, "PPL", "US", population=4_000)]
    small = Gazetteer.from_rows(rows, demonyms=DEMONYMS)
    places, _, _ = places_of(small, nlp, "Crew 9 and Troop 40 will sell cookies.")
    assert places == []
    # an exact name before a number too, unless it is a strong name
    places, _, _ = places_of(small, nlp, "The bus turned onto Throop 12 at noon.")
    assert places == []


def test_an_areas_council_or_borough_makes_it_a_place_and_prefers_the_division(nlp):
    borough = Row(None, "Northfold", 51.65, -0.08, "ADMD", "GB", admin1="Northfold")
    town = Row(
        4837001, "Northfold", 41.99, -72.59, "PPL", "US", admin1="Connecticut", population=45_000
    )
    small = Gazetteer.from_rows([*ROWS, borough, town], demonyms=DEMONYMS)
    text = "Paul Smith, Northfold Council\u2019s head of culture, opened the garden."
    ents = [("Paul Smith", "PERSON"), ("Northfold Council", "ORG")]
    places, _, _ = places_of(small, nlp, text, ents)
    assert [(p.text, p.country_code, p.feature_code) for p in places] == [
        ("Northfold", "GB", "ADMD")
    ]
    text = "An officer from Northfold Borough gave evidence."
    places, _, _ = places_of(small, nlp, text)
    assert [(p.text, p.country_code) for p in places] == [("Northfold", "GB")]
    # in lower case the words name no area
    places, _, _ = places_of(small, nlp, "The borough council met on Monday.")
    assert places == []


def test_a_misreading_left_out_casts_no_vote_for_its_country(nlp):
    rows = [
        *ROWS,
        Row(2150001, "Millbrook", -27.1, 152.9, "PPL", "AU", admin1="Queensland", population=600),
        Row(
            2150002,
            "Alderbrook",
            -16.98,
            145.74,
            "PPL",
            "AU",
            admin1="Queensland",
            population=10_600,
        ),
        Row(2650003, "Alderbrook", 51.62, -0.06, "PPL", "GB", admin1="England", population=82_000),
    ]
    small = Gazetteer.from_rows(rows, demonyms=DEMONYMS)
    # "Millbrook Theatre" is a hall, not the hamlet in Australia: left out, it must not pull
    # the town named beside it to Australia
    text = (
        "Pupils cooked for judges at Millbrook Theatre, in Silver Street, Alderbrook. The "
        "Alderbrook project ran all summer. Parents in Alderbrook came too."
    )
    # (the model took the hall's first word for a place)
    places, _, _ = places_of(small, nlp, text, [("Millbrook", "GPE")])
    assert {(p.text, p.country_code) for p in places} == {("Alderbrook", "GB")}


def test_a_states_office_after_its_name_makes_it_the_state_not_its_city(nlp):
    rows = [
        *ROWS,
        Row(5001, "Lakeland", 42.0, -75.0, "ADM1", "US", admin1="Lakeland", population=19_000_000),
        Row(
            5002,
            "Lakeland",
            40.7,
            -74.0,
            "PPL",
            "US",
            admin1="Lakeland",
            population=8_000_000,
        ),
    ]
    small = Gazetteer.from_rows(rows, demonyms=DEMONYMS)
    text = "The former Lakeland Gov. Jane Roe opened the bridge."
    places, _, _ = places_of(small, nlp, text, [("Lakeland", "GPE"), ("Jane Roe", "PERSON")])
    assert [p.feature_code for p in places] == ["ADM1"]
    # without the office the name is the city, as large as a good share of its state
    text = "Crowds filled Lakeland on Sunday."
    places, _, _ = places_of(small, nlp, text, [("Lakeland", "GPE")])
    assert [p.feature_code for p in places] == ["PPL"]


def test_a_famous_city_abroad_beats_one_of_many_namesakes_of_the_articles_country(nlp):
    def town(gid, state, pop, lat, lon, name="Castelmar"):
        return Row(gid, name, lat, lon, "PPL", "US", admin1=state, population=pop)

    rows = [
        *ROWS,
        Row(3001, "Castelmar", 45.4, 11.0, "PPLC", "IT", admin1="Veneto", population=2_500_000),
        Row(3002, "Italy", 42.8, 12.8, "PCLI", "IT", population=60_000_000),
        town(3003, "Texas", 25_000, 33.66, -95.55),
        town(3004, "Tennessee", 10_000, 36.30, -88.32),
        town(3005, "Kentucky", 9_800, 38.21, -84.25),
        town(3006, "Illinois", 8_500, 39.61, -87.70),
        town(3007, "New Jersey", 280_000, 40.73, -74.17, name="Newfield"),
        town(3008, "California", 880_000, 37.77, -122.42, name="Bayport"),
        Row(3009, "Texas", 31.0, -100.0, "ADM1", "US", admin1="Texas", population=29_000_000),
    ]
    small = Gazetteer.from_rows(rows, demonyms=DEMONYMS)
    text = "She flew from Newfield to Castelmar after a long layover in Bayport."
    ents = [("Newfield", "GPE"), ("Castelmar", "GPE"), ("Bayport", "GPE")]
    places, _, _ = places_of(small, nlp, text, ents)
    assert {p.text: p.country_code for p in places}["Castelmar"] == "IT"
    # the state named, or the wording of US local news, says which namesake is meant
    text = "She drove from Newfield to Castelmar, Texas, after a long stop in Bayport."
    places, _, _ = places_of(small, nlp, text, ents)
    assert {p.text: p.admin1 for p in places}["Castelmar"] == "Texas"
    text = "The Sheriff said she drove from Newfield to Castelmar after a stop in Bayport."
    places, _, _ = places_of(small, nlp, text, ents)
    assert {p.text: p.country_code for p in places}["Castelmar"] == "US"


def test_a_town_the_gazetteer_lacks_is_put_in_the_state_named_beside_it(nlp):
    rows = [
        *ROWS,
        Row(4001, "Brackley", 33.82, -98.69, "PPL", "US", admin1="Texas", population=1_700),
        Row(4002, "Missouri", 38.25, -92.50, "ADM1", "US", admin1="Missouri", population=6_000_000),
        Row(4003, "Texas", 31.0, -100.0, "ADM1", "US", admin1="Texas", population=29_000_000),
    ]
    small = Gazetteer.from_rows(rows, demonyms=DEMONYMS)
    text = "A car left the road in Brackley, Missouri, on Friday."
    ents = [("Brackley", "GPE"), ("Missouri", "GPE")]
    places, doc, art = places_of(small, nlp, text, ents)
    # not Brackley, Texas: the town is in Missouri, and Missouri is all the gazetteer knows
    assert [(p.text, p.admin1, p.feature_code) for p in places] == [
        ("Brackley", "Missouri", "ADM1"),
        ("Missouri", "Missouri", "ADM1"),
    ]
    ev = event_at(small, nlp, text, ents, plover="ACCIDENT")
    # put at the state for want of the town: near the town, not the whole state
    assert ev.admin1 == "Missouri" and ev.geo_precision == 2


def test_a_nationality_opening_an_organisations_name_is_its_countrys_toponym(gaz, nlp):
    text = "The Guinean Press Agency said the road was closed."
    places, _, _ = places_of(gaz, nlp, text, [("The Guinean Press Agency", "ORG")])
    assert [(p.text, p.country_code) for p in places] == [("Guinean", "GN")]
    # a weapon the model took for an organisation is no country's name
    text = "Turkish F-16 jets were seen over the area."
    places, _, _ = places_of(gaz, nlp, text, [("Turkish F-16", "ORG")])
    assert places == []


def test_a_small_province_named_by_a_plain_word_is_no_place_heading_a_company(nlp):
    rows = [
        *ROWS,
        Row(None, "Lakes", 6.8, 29.7, "ADM1", "SS", admin1="Lakes", population=44_000),
        Row(None, "Al Jawf", 16.2, 45.5, "ADM1", "YE", admin1="Al Jawf", population=44_000),
    ]
    small = Gazetteer.from_rows(rows, demonyms=DEMONYMS)
    text = "Lakes Edge Apartments was sold by a firm in Columbus."
    places, _, _ = places_of(small, nlp, text, [("Lakes Edge Apartments", "ORG")])
    assert [p.text for p in places] == ["Columbus"]
    # a province's own name the model ran into an organisation is still the province
    text = "A road links Al Jawf Governorate Office to the coast."
    places, _, _ = places_of(small, nlp, text, [("Al Jawf Governorate Office", "ORG")])
    assert [p.name for p in places] == ["Al Jawf"]


def test_a_village_of_unknown_size_ranks_below_a_listed_namesake(gaz, nlp):
    rows = [
        *ROWS,
        Row(None, "Qarnayn", 15.1, 44.2, "PPLL", "YE", admin1="Sanaa"),
        Row(7001, "Qarn", 33.2, 36.1, "PPL", "SY", population=60, alternate_names=["Qarnayn"]),
    ]
    small = Gazetteer.from_rows(rows, demonyms=DEMONYMS)
    places, _, _ = places_of(small, nlp, "Shells fell on Qarnayn.", [("Qarnayn", "GPE")])
    assert [p.country_code for p in places] == ["SY"]


def test_two_places_run_into_one_organisation_are_two_places(nlp):
    rows = [
        *ROWS,
        Row(8001, "Brindle", -18.65, 146.16, "PPL", "AU", admin1="Queensland", population=4_500),
        Row(
            8002, "Karrawong", -19.26, 146.81, "PPL", "AU", admin1="Queensland", population=180_000
        ),
    ]
    small = Gazetteer.from_rows(rows, demonyms=DEMONYMS)
    text = "They drove south to Brindle or Karrawong in a white van."
    places, _, _ = places_of(small, nlp, text, [("Brindle or Karrawong", "ORG")])
    assert [p.name for p in places] == ["Brindle", "Karrawong"]


def test_a_dash_between_spaces_ends_a_persons_name(gaz, nlp):
    text = "Two states went to Mr Smith - Georgia and Syria - by a few votes."
    places, _, _ = places_of(gaz, nlp, text, [("Smith - Georgia", "PERSON")])
    assert "Georgia" in [p.text for p in places]


def test_a_country_level_event_takes_a_town_named_before_it_not_one_named_further_on(gaz, nlp):
    def locate(text, sentence):
        ents = [("Labe", "GPE"), ("Guinea", "GPE")]
        return event_at(gaz, nlp, text, ents, sentence, plover="CONSULT")

    # the same story told first at the town: the country's event is there
    text = "Police seized arms in Labe on Monday. It was the largest seizure in Guinea this year."
    ev = locate(text, "It was the largest seizure in Guinea this year.")
    assert ev.location == "Lab\u00e9"
    # a town named further on belongs to what the text goes on to tell
    text = "Ministers met in Guinea on Monday. In Labe in 2003, a bomb killed five people."
    ev = locate(text, "Ministers met in Guinea on Monday.")
    assert ev.location == "Guinea" and ev.geo_precision == 3


def test_a_direction_in_a_country_puts_the_event_in_that_part_of_it(nlp):
    def town(gid, name, lat, lon, code="PPL"):
        return Row(gid, name, lat, lon, code, "SY", admin1="X", population=100_000)

    rows = [
        *ROWS,
        town(9001, "Damascus", 33.51, 36.29, "PPLC"),
        town(9002, "Aleppo", 36.20, 37.16),
        town(9003, "Qamishli", 37.05, 41.22),
        town(9004, "Daraa", 32.62, 36.10),
        town(9005, "Latakia", 35.52, 35.79),
    ]
    small = Gazetteer.from_rows(rows, demonyms=DEMONYMS)
    text = "Fighters stormed a jail in northeast Syria on Thursday."
    ev = event_at(small, nlp, text, [("Syria", "GPE")])
    assert ev.location == "Syria" and ev.geo_precision == 3
    # the north-east of the towns' box, not the capital in the south-west
    assert ev.latitude > 35.0 and ev.longitude > 38.5


def test_a_direction_in_a_province_puts_the_event_in_that_part_of_it(nlp):
    def town(gid, name, lat, lon):
        return Row(gid, name, lat, lon, "PPL", "IQ", admin1="Nineveh", population=50_000)

    rows = [
        *ROWS,
        town(9101, "Sinjar", 36.32, 41.88),
        town(9102, "Zummar", 36.64, 42.56),
        town(9103, "Qayyarah", 35.81, 43.29),
        town(9104, "Tal Afar", 36.38, 42.45),
        town(9105, "Bashiqa", 36.45, 43.35),
    ]
    small = Gazetteer.from_rows(rows, demonyms=DEMONYMS)
    text = "A roadside bomb hit a patrol in southern Nineveh on Thursday."
    ev = event_at(small, nlp, text, [("Nineveh", "GPE")])
    assert ev.admin1 == "Nineveh" and ev.latitude < 36.1


# Small namesakes abroad of words that news text capitalises inside longer names (issue 13)
NAMESAKE_ROWS = [
    Row(1168579, "Pakistan", 30.0, 70.0, "PCLI", "PK", population=212_000_000),
    Row(3017382, "France", 46.0, 2.0, "PCLI", "FR", population=67_000_000),
    Row(3996063, "Mexico", 23.0, -102.0, "PCLI", "MX", population=126_000_000),
    Row(3144096, "Norway", 62.0, 10.0, "PCLI", "NO", population=5_300_000),
    Row(298795, "Turkey", 39.0, 35.0, "PCLI", "TR", population=82_000_000),
    Row(3017501, "Forcé", 48.03, -0.71, "PPL", "FR", admin1="Pays de la Loire", population=900),
    Row(3530000, "El Control", 25.9, -97.8, "PPL", "MX", admin1="Tamaulipas", population=3136),
    Row(3163000, "Ål", 60.63, 8.56, "PPL", "NO", admin1="Buskerud", population=2278),
    Row(750000, "Battal", 40.0, 33.0, "PPL", "TR", admin1="Ankara", population=1200),
    Row(1174872, "Karachi", 24.86, 67.01, "PPL", "PK", admin1="Sindh", population=11_600_000),
    Row(6252001, "United States", 39.76, -98.5, "PCLI", "US", population=327_000_000),
    Row(4829764, "Alabama", 32.75, -86.75, "ADM1", "US", admin1="Alabama", population=4_800_000),
    Row(4059102, "Dothan", 31.22, -85.39, "PPL", "US", admin1="Alabama", population=68_000),
]


@pytest.fixture(scope="module")
def namesakes() -> Gazetteer:
    return Gazetteer.from_rows(NAMESAKE_ROWS, demonyms={"pakistani": "PK", "pakistanis": "PK"})


def test_a_common_word_inside_an_organisations_name_is_no_place(namesakes, nlp):
    for text in (
        "Two men were hurt by the Border Security Force on Monday.",
        "Troops exchanged fire along the Line of Control on Monday.",
        "Officers of the Border Patrol Police were hurt.",
    ):
        places, _, _ = places_of(namesakes, nlp, text)
        assert places == [], text
    # the word standing on its own after "in" is still the place
    alone, _, _ = places_of(namesakes, nlp, "Fighting was reported in Battal on Monday.")
    assert [p.name for p in alone] == ["Battal"]


def test_capitals_of_three_letters_are_an_acronym_not_a_small_town(namesakes, nlp):
    places, _, _ = places_of(namesakes, nlp, "Two groups of AL clashed on Monday.", [("AL", "GPE")])
    assert places == []
    ev = event_at(namesakes, nlp, "Two groups of AL clashed on Monday.", [("AL", "GPE")])
    assert ev.country_code is None
    # a postal code after its town is the state ("Dothan, AL"), not an acronym
    places, _, _ = places_of(
        namesakes,
        nlp,
        "A man was shot in Dothan, AL on Monday.",
        [("Dothan", "GPE"), ("AL", "GPE")],
    )
    assert [(p.name, p.country_code) for p in places] == [("Dothan", "US"), ("Alabama", "US")]


def test_a_town_abroad_gives_way_to_the_country_the_wording_belongs_to(nlp):
    # "Rampura" is a town of India in the gazetteer; a note about the Awami League is
    # Bangladesh's, whose Rampura the gazetteer lacks: the country, never the town
    rows = [
        Row(1210997, "Bangladesh", 24.0, 90.0, "PCLI", "BD", population=160_000_000),
        Row(1269750, "India", 22.0, 79.0, "PCLI", "IN", population=1_350_000_000),
        Row(1185241, "Dhaka", 23.71, 90.41, "PPLC", "BD", admin1="Dhaka", population=10_000_000),
        Row(1258986, "Rampura", 30.25, 75.24, "PPL", "IN", admin1="Punjab", population=45_000),
        Row(1258987, "Rampura", 26.0, 80.0, "PPL", "IN", admin1="Uttar Pradesh", population=11_000),
    ]
    gaz = Gazetteer.from_rows(rows)
    text = "Activists of the Awami League torched a bus at Rampura on Monday."
    ev = event_at(gaz, nlp, text, [("Rampura", "GPE")])
    assert ev.country_code == "BD" and ev.geo_precision == 3
    # without the wording, the town is read where the gazetteer has it
    ev = event_at(gaz, nlp, "A bus was torched at Rampura on Monday.", [("Rampura", "GPE")])
    assert ev.country_code == "IN" and ev.location == "Rampura"


def test_a_name_before_a_valley_is_not_a_town_listing_it_as_an_alternate_name(nlp):
    rows = [
        Row(294640, "Israel", 31.5, 34.75, "PCLI", "IL", population=8_900_000),
        Row(
            293690,
            "Tirat Karmel",
            32.76,
            34.97,
            "PPL",
            "IL",
            admin1="Haifa",
            population=27_800,
            alternate_names=["Tirah"],
        ),
    ]
    gaz = Gazetteer.from_rows(rows)
    text = "Militants were killed in Tirah valley on Monday."
    places, _, _ = places_of(gaz, nlp, text, [("Tirah", "GPE")])
    assert places == []
    # the town's alternate name on its own still finds it
    places, _, _ = places_of(
        gaz, nlp, "Militants were killed in Tirah on Monday.", [("Tirah", "GPE")]
    )
    assert [p.name for p in places] == ["Tirat Karmel"]


def test_a_country_named_as_the_owner_of_a_weapon_is_not_where_it_struck(nlp):
    # "a US drone strike" names the attacker's country; the note's wording (the TTP acts in
    # Pakistan only, theatres.yaml) says where, at country precision
    gaz = Gazetteer.from_rows(
        [
            *NAMESAKE_ROWS[:-3],
            Row(
                6252001,
                "United States",
                39.76,
                -98.5,
                "PCLI",
                "US",
                population=327_000_000,
                alternate_names=["US"],
            ),
        ],
        demonyms={"pakistani": "PK"},
    )
    text = "Five TTP militants were killed by a US drone strike in Shawal on Monday."
    ev = event_at(gaz, nlp, text, [("US", "GPE")])
    assert ev.country_code == "PK" and ev.geo_precision == 3
    # the country named as where it happened is still the location
    ev = event_at(gaz, nlp, "A drone strike was reported in the US on Monday.", [("US", "GPE")])
    assert ev.country_code == "US"


def test_capitals_of_five_letters_are_an_acronym_unless_a_dateline(nlp):
    rows = [
        *NAMESAKE_ROWS,
        Row(2990440, "Nice", 43.70, 7.27, "PPL", "FR", admin1="Provence", population=340_000),
    ]
    gaz = Gazetteer.from_rows(rows)
    for ents in ((), (("NICE", "GPE"),)):
        places, _, _ = places_of(gaz, nlp, "New guidance from NICE was published on Monday.", ents)
        assert places == [], ents
    # a dateline at the start of a line is the place the report was filed from
    places, _, _ = places_of(gaz, nlp, "NICE - Police said on Monday that two men were held.")
    assert [p.name for p in places] == ["Nice"]
    # and the town under its own name is still the town
    places, _, _ = places_of(gaz, nlp, "Two men were held in Nice on Monday.")
    assert [p.name for p in places] == ["Nice"]


def test_a_group_named_after_its_country_gives_the_country_of_a_note_naming_no_place(
    namesakes, nlp
):
    text = "Supporters of the party blocked a road on Monday."
    places, doc, art = places_of(namesakes, nlp, text)
    ev = Event(
        event_id="e",
        plover="PROTEST",
        sentence_start=0,
        sentence_end=len(text),
        actor1="TLP: Tehreek-e-Labbaik Pakistan",
    )
    Geocoder(namesakes).locate(ev, doc, places, art)
    assert ev.country_code == "PK" and ev.geo_precision == 3
    # an actor whose name holds no country leaves the event unplaced (never a guessed town)
    ev = Event(event_id="e", plover="PROTEST", sentence_start=0, sentence_end=len(text))
    ev.actor1 = "Protesters"
    Geocoder(namesakes).locate(ev, doc, places, art)
    assert ev.country_code is None and ev.latitude is None
