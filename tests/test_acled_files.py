"""ACLED files in and out: import-acled (current and pre-2019 layouts), the ACLED CSV export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from eventscope import acled
from eventscope.cli import main
from eventscope.errors import InputError
from eventscope.export import ACLED_COLUMNS, to_csv
from eventscope.query import EventFilter, query_events
from eventscope.records import Article, DocumentResult, Event
from eventscope.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
CURRENT = FIXTURES / "acled_export_current.csv"
LEGACY = FIXTURES / "acled_export_2015.csv"


def _read(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_import_then_export_gives_back_the_shared_columns(tmp_path):
    db = tmp_path / "x.duckdb"
    out = tmp_path / "out.csv"
    assert main(["import-acled", str(CURRENT), "--db", str(db)]) == 0
    assert main(["export", "--db", str(db), "-o", str(out), "--origin", "acled"]) == 0
    original = {r["event_id_cnty"]: r for r in _read(CURRENT.read_text(encoding="utf-8"))}
    exported = {r["event_id_cnty"]: r for r in _read(out.read_text(encoding="utf-8"))}
    assert set(exported) == set(original)
    for eid, row in original.items():
        for col in ACLED_COLUMNS:
            assert exported[eid][col] == row[col], (eid, col)


def test_reimport_updates_instead_of_duplicating(tmp_path):
    with Store.open(tmp_path / "x.duckdb") as s:
        first = acled.import_acled(s, CURRENT)
        again = acled.import_acled(s, CURRENT)
        assert first["imported"] == 4 and again == {"imported": 0, "updated": 4, "linked": 0}
        assert len(query_events(s, EventFilter(origin="acled"))) == 4


def test_pre_2019_export_with_numeric_codes_is_read_in_todays_terms(tmp_path):
    with Store.open(tmp_path / "x.duckdb") as s:
        acled.import_acled(s, LEGACY)
        rows = {r["event_id_cnty"]: r for r in query_events(s, EventFilter(origin="acled"))}
    assert rows["IND91001"]["event_type"] == "Battles"
    assert rows["IND91001"]["sub_event_type"] == "Armed clash"
    assert rows["IND91001"]["actor1_type"] == "State forces"
    assert rows["IND91001"]["event_date"] == "2015-04-12"  # day-first, as ACLED wrote it
    assert rows["IND91002"]["event_type"] == "Riots"  # rioters make Riots/Protests a riot
    assert rows["IND91003"]["event_type"] == "Protests"
    assert rows["IND91003"]["actor2_type"] is None  # inter2 0: no second actor
    assert rows["PAK91004"]["event_type"] == "Explosions/Remote violence"
    assert rows["PAK91004"]["country_code"] == "PK"


def test_not_an_acled_file_is_refused_with_advice(tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with Store.open(":memory:") as s, pytest.raises(InputError, match="not an ACLED export"):
        acled.import_acled(s, bad)


def _machine(store: Store) -> None:
    text = "Insurgents killed 14 villagers near Maiduguri on Sunday."
    a = Article(
        id="wire", text=text, url="https://www.example-news.ng/story/1", published="2024-03-04"
    )
    ev = Event(
        event_id="ev-machine-1",
        plover="ASSAULT",
        event_type="Violence against civilians",
        sub_event_type="Attack",
        event_date="2024-03-03",
        date_precision="day",
        actor1="Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad",
        actor1_type="Rebel group",
        actor2="Civilians (Nigeria)",
        actor2_type="Civilians",
        country="Nigeria",
        country_code="NG",
        admin1="Borno",
        admin2="Maiduguri",
        location="Maiduguri",
        latitude=11.85,
        longitude=13.16,
        geo_precision=1,
        fatalities=14,
    )
    plover_only = Event(event_id="ev-machine-2", plover="CONSULT", event_date="2024-03-03")
    store.add_result(DocumentResult(article=a, events=[ev, plover_only]))


def test_machine_events_are_kept_apart_and_linked_to_the_acled_event(tmp_path):
    with Store.open(tmp_path / "x.duckdb") as s:
        _machine(s)
        stats = acled.import_acled(s, CURRENT)
        assert stats["linked"] == 1
        machine = query_events(s, EventFilter(origin="machine"))
        imported = query_events(s, EventFilter(origin="acled"))
        assert {r["origin"] for r in machine} == {"machine"} and len(imported) == 4
        linked = {r["event_id"]: r["acled_link"] for r in machine}
        assert linked["ev-machine-1"] == "acled:NGA90001"
        csv_rows = _read(to_csv(machine))
    # the PLOVER-only event is no ACLED event: not in the ACLED file
    assert [r["event_id_cnty"] for r in csv_rows] == ["ev-machine-1"]
    row = csv_rows[0]
    assert row["source"] == "example-news.ng"  # the outlet, not a path
    assert row["inter1"] == "Rebel group" and row["interaction"] == "Rebel group-Civilians"
    assert row["disorder_type"] == "Political violence"
    assert row["civilian_targeting"] == "Civilian targeting"
    assert row["region"] == "Western Africa"
    numeric = _read(to_csv(machine, inter_numeric=True))[0]
    assert numeric["inter1"] == "2" and numeric["interaction"] == "27"


def test_year_precision_is_acleds_time_precision_3_and_bom_opens_in_excel():
    ev = {
        "event_id": "ev-1",
        "event_type": "Battles",
        "event_date": "2003-01-01",
        "date_precision": "year",
        "country_code": "CO",
        "notes": "Combates en Cauca",
    }
    text = to_csv([ev], bom=True)
    assert text.startswith("\ufeffevent_id_cnty,")
    row = _read(text)[0]
    assert row["time_precision"] == "3" and row["year"] == "2003"
    assert row["region"] == "South America"


def test_interaction_labels_follow_acled():
    assert acled.interaction(2, 1) == "State forces-Rebel group"
    assert acled.interaction(1, 2, numeric=True) == 12
    assert acled.interaction(6, None) == "Protesters only"
    assert acled.inter_code("Rebel Groups") == 2 and acled.inter_code("7") == 7
