"""Geo knowledge files, GeoNames dump import, relative places and the geo scores.

No model and no compiled gazetteer needed: dumps are written in GeoNames' published formats
into a temporary folder, and scores are computed on hand-made results.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import spacy

from eventscope.errors import GazetteerError, KnowledgeError
from eventscope.evaluate.geo import score_event_locations, score_toponyms
from eventscope.geo import Geocoder, import_geonames, knowledge, load_gazetteer
from eventscope.geo.relative import precision, relation
from eventscope.records import Article, DocumentResult, Event, Place

# --- knowledge files ---------------------------------------------------------------------


def test_every_geo_knowledge_file_parses():
    knowledge.load_all()
    assert knowledge.country_display_names()["CD"] == "Democratic Republic of Congo"
    assert knowledge.division_abbreviations()["Ky."] == ("US", "Kentucky")
    assert knowledge.extra_demonyms()["Syrian"] == "SY"
    assert "january" in knowledge.place_stopwords()
    assert knowledge.bare_division_name("Muhafazat Hadramawt") == "Hadramawt"
    assert knowledge.bare_division_name("Anderson County") is None  # "County" stays
    assert knowledge.theatre_names()["OSCE SMM"] == "UA"
    darfur = [r for r in knowledge.regions() if r[0] == "Darfur"]
    assert darfur and darfur[0][3] == "SD" and 10 < darfur[0][1] < 16
    assert knowledge.theatre_names()["Woreda"] == "ET"  # lower-case names match capitalised
    # whole words only: "LGA" is Nigeria's division word, "LGAS" or "ALGA" are not
    assert [m[2] for m in knowledge.theatre_matches("Rafi LGA, Niger; ALGA; LGAS")] == ["NG"]
    # wording of one country's local news, compiled
    assert any(cc == "US" and p.search("on Interstate 75") for cc, p in knowledge.country_cues())


def test_a_bad_knowledge_entry_is_named(monkeypatch):
    monkeypatch.setattr(
        knowledge,
        "_text",
        lambda name: ("SY: {name: Syria}\nXYZ: {name: Nowhere}\n", f"geo/{name}"),
    )
    knowledge._country_names.cache_clear()
    try:
        with pytest.raises(KnowledgeError, match="geo/country_names.yaml.*'XYZ'"):
            knowledge._country_names()
    finally:
        knowledge._country_names.cache_clear()


def test_yaml_booleans_are_caught_as_bad_codes(monkeypatch):
    # "NO" (Norway) unquoted is YAML's False: the loader must say so, not map to False
    monkeypatch.setattr(knowledge, "_text", lambda name: ("Norwegian: NO\n", f"geo/{name}"))
    knowledge._demonyms.cache_clear()
    try:
        with pytest.raises(KnowledgeError, match="Norwegian"):
            knowledge._demonyms()
    finally:
        knowledge._demonyms.cache_clear()


# --- GeoNames dump import ----------------------------------------------------------------


def _main_row(gid, name, ascii_name, alts, lat, lon, fclass, fcode, cc, a1, a2, pop):
    return "\t".join(
        [
            str(gid),
            name,
            ascii_name,
            ",".join(alts),
            str(lat),
            str(lon),
            fclass,
            fcode,
            cc,
            "",
            a1,
            a2,
            "",
            "",
            str(pop),
            "",
            "100",
            "Africa/Conakry",
            "2020-01-01",
        ]
    )


@pytest.fixture
def dump_files(tmp_path: Path) -> list[Path]:
    rows = [
        _main_row(
            2420477,
            "Guinea",
            "Guinea",
            ["Guinée"],
            10.83333,
            -10.66667,
            "A",
            "PCLI",
            "GN",
            "00",
            "",
            12_000_000,
        ),
        _main_row(8335088, "Labe", "Labe", [], 11.5, -12.5, "A", "ADM1", "GN", "05", "", 995_000),
        _main_row(
            2418362,
            "Labé",
            "Labe",
            ["Labe"],
            11.31823,
            -12.28333,
            "P",
            "PPLA",
            "GN",
            "05",
            "99",
            58_649,
        ),
        _main_row(9999001, "Kabizo", "Kabizo", [], 11.2, -12.1, "P", "PPL", "GN", "05", "99", 800),
        _main_row(
            9999002, "Mont Loura", "Mont Loura", [], 12.0, -12.0, "T", "MT", "GN", "05", "", 0
        ),
        _main_row(
            9999003, "Some Stream", "Some Stream", [], 11.0, -12.0, "H", "STMI", "GN", "05", "", 0
        ),
    ]
    main = tmp_path / "GN.zip"
    with zipfile.ZipFile(main, "w") as zf:
        zf.writestr("readme.txt", "about this file")
        zf.writestr("GN.txt", "\n".join(rows) + "\n")
    admin1 = tmp_path / "admin1CodesASCII.txt"
    admin1.write_text("GN.05\tLabé\tLabe\t8335088\n", encoding="utf-8")
    admin2 = tmp_path / "admin2Codes.txt"
    admin2.write_text("GN.05.99\tLabé Prefecture\tLabe Prefecture\t8335099\n", encoding="utf-8")
    alts = tmp_path / "alternateNamesV2.zip"
    with zipfile.ZipFile(alts, "w") as zf:
        zf.writestr(
            "alternateNamesV2.txt",
            "1\t9999001\ten\tKabizo village\t\t\t\t\t\t\n"
            "2\t9999001\tfr\tKabizo-le-Haut\t\t\t\t\t\t\n"  # not English: left out
            "3\t9999001\ten\tOld Kabizo\t\t\t\t1\t\t\n",  # historic: left out
        )
    return [main, admin1, admin2, alts]


def test_import_geonames_dump_compiles_a_working_gazetteer(tmp_path, dump_files):
    path = import_geonames(dump_files, tmp_path / "g.npz")
    gaz = load_gazetteer(path)
    labe = [e for e in gaz.lookup("Labe") if e.feature_code == "PPLA"][0]
    assert (labe.admin1, labe.admin2, labe.country_code) == ("Labe", "Labe Prefecture", "GN")
    assert [e.name for e in gaz.lookup("Kabizo village")] == ["Kabizo"]
    assert gaz.lookup("Kabizo-le-Haut") == [] and gaz.lookup("Old Kabizo") == []
    assert gaz.lookup("Some Stream") == []  # a stream is not where events are coded
    assert [e.feature_code for e in gaz.lookup("Mont Loura")] == ["MT"]
    assert gaz.country_name("GN") == "Guinea"
    # the same resolver runs on it
    text = "On 2 May 2020, gunmen attacked Kabizo village (Labe)."
    doc = spacy.blank("en")(text)
    art = Article(id="d", text=text)
    geo = Geocoder(gaz)
    places = geo.places(doc, art)
    assert [p.name for p in places] == ["Kabizo", "Labe"]
    ev = Event(event_id="e", plover="ASSAULT", sentence_start=0, sentence_end=len(text))
    geo.locate(ev, doc, places, art)
    assert (ev.location, ev.admin1, ev.country) == ("Kabizo", "Labe", "Guinea")


def test_import_without_main_table_says_what_is_missing(tmp_path, dump_files):
    with pytest.raises(GazetteerError, match="allCountries.zip or cities500.zip"):
        import_geonames([dump_files[1]], tmp_path / "g.npz")


def test_import_of_a_broken_table_names_the_line(tmp_path):
    bad = tmp_path / "cities500.txt"
    bad.write_text("1\tOnly\tthree columns\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="cities500.txt:1"):
        import_geonames([bad], tmp_path / "g.npz")


# --- relative places ---------------------------------------------------------------------


def _place(text: str, name: str, code: str = "PPL") -> Place:
    start = text.index(name)
    return Place(
        start, start + len(name), name, name=name, feature_code=code, latitude=0.0, longitude=0.0
    )


@pytest.mark.parametrize(
    ("text", "name", "code", "near", "prec"),
    [
        ("Clashes in Celaya left two dead.", "Celaya", "PPL", False, 1),
        ("A bomb went off near Mosul on Sunday.", "Mosul", "PPL", True, 2),
        ("Troops were ambushed 40 km north of Kabul.", "Kabul", "PPLC", True, 2),
        ("An attack on a station east of the Suez Canal.", "Suez", "PPL", True, 2),
        ("Fighting in northeast Syria continued.", "Syria", "PCLI", False, 3),
        ("Shelling hit Khogyani district, Nangarhar.", "Khogyani", "PPL", False, 2),
        ("Protests in Labe town (Labe-Centre, Labe).", "Labe", "PPL", False, 1),
        ("A patrol in Al-Hasakeh province.", "Al-Hasakeh", "ADM1", False, 3),
    ],
)
def test_relative_wording_gives_acled_precision(text, name, code, near, prec):
    p = _place(text, name, code)
    rel = relation(text, p)
    assert rel.near is near
    assert precision(p, rel) == prec


def test_direction_words_give_a_bearing():
    text = "Fighting in northeast Syria continued."
    assert relation(text, _place(text, "Syria", "PCLI")).direction == 45


# --- scores ------------------------------------------------------------------------------


def _doc(text: str, places: list[dict]) -> dict:
    return {"id": "d1", "text": text, "gold": {"places": places}}


def test_score_toponyms_counts_wrong_resolution_as_fp_and_fn():
    text = "Paris and Lyon and Nice."
    gold = _doc(
        text,
        [
            {
                "start": 0,
                "end": 5,
                "text": "Paris",
                "span_ok": True,
                "latitude": 48.85,
                "longitude": 2.35,
                "geonameid": 2988507,
            },
            {
                "start": 10,
                "end": 14,
                "text": "Lyon",
                "span_ok": True,
                "latitude": 45.75,
                "longitude": 4.85,
                "geonameid": 2996944,
            },
            {
                "start": 19,
                "end": 23,
                "text": "Nice",
                "span_ok": True,
                "latitude": None,
                "longitude": None,
                "geonameid": None,
            },
        ],
    )
    res = DocumentResult(
        article=Article(id="d1", text=text),
        places=[
            Place(0, 5, "Paris", latitude=48.86, longitude=2.34, geonameid=2988507),
            Place(10, 14, "Lyon", latitude=33.66, longitude=-95.56),  # wrong: Texas
            Place(19, 23, "Nice", latitude=43.7, longitude=7.27),  # gold has no coordinates
        ],
    )
    s = score_toponyms([gold], [res])
    assert (s["true_positives"], s["false_positives"], s["false_negatives"]) == (1, 1, 1)
    assert s["precision"] == 0.5 and s["recall"] == 0.5
    assert s["recognition_recall"] == 1.0 and s["exact_geonameid"] == 0.5
    assert s["gold_without_coordinates"] == 1


def test_score_toponyms_moves_shifted_gold_spans_to_their_text():
    text = "We flew to Winnipeg today."
    gold = _doc(
        text,
        [
            {
                "start": 12,
                "end": 20,
                "text": "Winnipeg",
                "span_ok": False,
                "latitude": 49.88,
                "longitude": -97.15,
                "geonameid": 6183235,
            }
        ],
    )
    res = DocumentResult(
        article=Article(id="d1", text=text),
        places=[Place(11, 19, "Winnipeg", latitude=49.9, longitude=-97.1)],
    )
    s = score_toponyms([gold], [res])
    assert s["true_positives"] == 1 and s["false_positives"] == 0


def test_score_event_locations_pairs_one_event_and_counts_misses():
    gold = [
        {
            "id": "a",
            "gold": {
                "events": [
                    {
                        "country": "Guinea",
                        "admin1": "Labe",
                        "latitude": 11.3182,
                        "longitude": -12.2833,
                        "geo_precision": 1,
                    }
                ]
            },
        },
        {
            "id": "b",
            "gold": {
                "events": [
                    {
                        "country": "Yemen",
                        "admin1": "Hadramawt",
                        "latitude": 14.54,
                        "longitude": 49.12,
                        "geo_precision": 2,
                    }
                ]
            },
        },
    ]
    ev = Event(
        event_id="e",
        plover="PROTEST",
        country="Guinea",
        admin1="Labe",
        latitude=11.32,
        longitude=-12.28,
        geo_precision=1,
    )
    results = [
        DocumentResult(article=Article(id="a", text="x"), events=[ev]),
        DocumentResult(article=Article(id="b", text="y"), events=[]),  # no event: a miss
    ]
    s = score_event_locations(gold, results)
    assert s["events"] == 2 and s["located"] == 1
    assert s["country_accuracy"] == 0.5 and s["within_25km"] == 0.5
    assert s["median_error_km"] < 1.0


def test_division_names_compare_as_spellings_but_countries_do_not_blur():
    from eventscope.evaluate.geo import _same_division

    assert _same_division("Idlib", "Idleb") and _same_division("Al-Hasakah", "Al-Hasakeh")
    assert _same_division("Daraa", "Dar'a")
    assert not _same_division("Donetsk", "Luhansk")
    assert not _same_division("North Kivu", "South Kivu")
    assert not _same_division(None, "Labe")


def test_regions_enter_the_package_gazetteer_as_region_features():
    from eventscope.geo.sources import _region_rows

    rows = {r.name: r for r in _region_rows()}
    assert (
        rows["Balkans"].feature_code == "RGN" and "the Balkans" in rows["Balkans"].alternate_names
    )
    assert rows["Sinai"].country_code == "EG"
    # a town the package extracts lack enters as the town it is, once
    alto = [r for r in _region_rows() if r.name == "El Alto"]
    assert len(alto) == 1 and alto[0].feature_code.startswith("PPL")
    assert alto[0].country_code == "BO" and alto[0].admin1 == "La Paz"
    assert alto[0].population > 100_000


def test_a_division_point_is_the_midpoint_of_two_estimates_of_its_centre():
    from eventscope.geo.sources import _box_centre, _midpoint

    # a misfiled town far out does not stretch the box (outermost 0.5% left out)
    members = [(10.0 + i / 100, 20.0 + i / 100, 0) for i in range(400)] + [(40.0, 60.0, 0)]
    lat, lon = _box_centre(members)
    assert abs(lat - 12.0) < 0.1 and abs(lon - 22.0) < 0.1
    assert _midpoint((-20.0, 144.0), (-22.0, 146.0)) == (-21.0, 145.0)
    # across the date line the midpoint stays between the two points
    lat, lon = _midpoint((0.0, 179.0), (0.0, -179.0))
    assert lat == 0.0 and abs(abs(lon) - 180.0) < 1e-9


def test_an_airport_alias_that_is_a_common_word_is_left_out():
    from eventscope.geo.sources import _common_word

    assert _common_word("Lakes") and not _common_word("Heathrow")
    assert not _common_word("Brainerd Lakes")


def test_an_airport_is_not_known_by_the_name_of_the_university_it_serves(monkeypatch):
    from eventscope.geo import sources

    def fake_dir(module: str) -> Path:
        raise GazetteerError("not installed")

    # without airportsdata there are no airport rows (and no error)
    monkeypatch.setattr(sources, "_package_dir", fake_dir)
    assert list(sources._airport_rows(set())) == []
    assert "university" in sources._INSTITUTION_WORDS
