"""Analysts' corrections: validated, attributed, kept apart, applied on read, never lost."""

from __future__ import annotations

import csv
import io
import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import webcorpus  # noqa: E402

from eventscope import corrections as corr  # noqa: E402
from eventscope.errors import ConfigError  # noqa: E402
from eventscope.export import to_csv  # noqa: E402
from eventscope.query import EventFilter, count_events, get_event, query_events  # noqa: E402
from eventscope.store import Store  # noqa: E402

MALI_1 = webcorpus.event_id("mali-1")


@pytest.fixture
def store() -> Store:
    s = Store.open(":memory:")
    webcorpus.fill(s)
    return s


def _event(store: Store, eid: str = MALI_1) -> dict:
    ev = get_event(store, eid)
    assert ev is not None
    return ev


def test_correction_applies_on_read_and_machine_row_is_untouched(store: Store) -> None:
    c = corr.correct(store, MALI_1, "actor1", "JNIM (Katiba Macina)", author="Ana",
                     note="named in paragraph 3")
    assert c.author == "Ana" and c.action == "correct" and c.created_at
    assert _event(store)["actor1"] == "JNIM (Katiba Macina)"
    assert _event(store)["corrected_fields"] == ["actor1"]
    raw = store.con.execute("SELECT actor1 FROM events WHERE event_id = ?", [MALI_1]).fetchone()
    assert raw == ("JNIM",)
    assert corr.machine_values(store, MALI_1, ["actor1"]) == {"actor1": "JNIM"}


def test_latest_correction_per_field_wins_and_history_keeps_all(store: Store) -> None:
    corr.correct(store, MALI_1, "fatalities", 14, author="Ana")
    corr.correct(store, MALI_1, "fatalities", 15, author="Ben")
    corr.correct(store, MALI_1, "location", "Gao city", author="Ana")
    ev = _event(store)
    assert ev["fatalities"] == 15 and ev["location"] == "Gao city"
    assert ev["corrected_fields"] == ["fatalities", "location"]
    hist = corr.history(store, MALI_1)
    assert [(h.field, h.value, h.author) for h in hist] == [
        ("fatalities", 14, "Ana"), ("fatalities", 15, "Ben"), ("location", "Gao city", "Ana")]
    stamps = [h.created_at for h in hist]
    assert stamps == sorted(stamps) and len(set(stamps)) == 3


def test_corrections_survive_reextraction(store: Store) -> None:
    corr.correct(store, MALI_1, "fatalities", 15, author="Ana")
    corr.set_rejected(store, webcorpus.event_id("mali-2"), True, author="Ana")
    spec = next(s for s in webcorpus.SPECS if s.doc_id == "mali-1")
    # The pipeline runs again over the same article (e.g. after an upgrade).
    assert store.add_result(webcorpus.spec_result(spec), replace=True)
    assert store.counts()["corrections"] == 2
    assert _event(store)["fatalities"] == 15
    assert _event(store)["corrected_fields"] == ["fatalities"]
    assert count_events(store, EventFilter(country="Mali")) == 1


def test_correcting_to_unknown_and_back(store: Store) -> None:
    corr.correct(store, MALI_1, "actor2", "", author="Ana")  # form's empty string = unknown
    assert _event(store)["actor2"] is None
    assert "actor2" in _event(store)["corrected_fields"]
    corr.correct(store, MALI_1, "actor2", "Military Forces of Mali (2021-)", author="Ana")
    assert _event(store)["actor2"] == "Military Forces of Mali (2021-)"


@pytest.mark.parametrize(
    ("field", "value", "stored"),
    [
        ("event_type", "battles", "Battles"),  # canonical spelling
        ("sub_event_type", "armed clash", "Armed clash"),
        ("event_date", "2023-02-09", "2023-02-09"),
        ("fatalities", "20", 20),
        ("injuries", 4.0, 4),
        ("latitude", "16.5", 16.5),
        ("geo_precision", 2, 2),
        ("assoc_actor_1", "Ansar Dine; Katiba Macina", ["Ansar Dine", "Katiba Macina"]),
        ("assoc_actor_2", [], []),
        ("country_code", "ml", "ML"),
        ("actor1_type", "rebel group", "Rebel group"),
        ("date_precision", "week", "week"),
    ],
)
def test_values_are_normalised_and_read_back_typed(store: Store, field: str, value: object,
                                                   stored: object) -> None:
    corr.correct(store, MALI_1, field, value, author="Ana")
    assert _event(store)[field] == stored


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("event_type", "Skirmish"), ("sub_event_type", "Brawl"), ("plover", None),
        ("event_date", "2023-02-30"), ("fatalities", "many"), ("fatalities", 2.5),
        ("fatalities", True), ("injuries", -1), ("longitude", 181), ("geo_precision", 4),
        ("country_code", "MLI"), ("actor1", "x" * 501), ("assoc_actor_1", [1, 2]),
        ("latitude", float("nan")), ("confidence", 1.0), ("article_id", "x"),
    ],
)
def test_invalid_values_raise_config_error(store: Store, field: str, value: object) -> None:
    with pytest.raises(ConfigError):
        corr.correct(store, MALI_1, field, value, author="Ana")
    assert store.counts()["corrections"] == 0


def test_author_is_required_and_unknown_event_is_lookup_error(store: Store) -> None:
    with pytest.raises(ConfigError, match="author"):
        corr.correct(store, MALI_1, "fatalities", 1, author=" ")
    with pytest.raises(LookupError):
        corr.correct(store, "ev-missing", "fatalities", 1, author="Ana")


def test_rejected_events_leave_lists_counts_and_exports(store: Store) -> None:
    corr.set_rejected(store, MALI_1, True, author="Ana", note="not an event: a commemoration")
    assert count_events(store) == len(webcorpus.SPECS) - 1
    assert MALI_1 not in to_csv(query_events(store, limit=None))
    everything = query_events(store, EventFilter(include_rejected=True), limit=None)
    assert {e["event_id"]: e["rejected"] for e in everything}[MALI_1] is True
    corr.set_rejected(store, MALI_1, False, author="Ben")
    assert count_events(store) == len(webcorpus.SPECS)
    assert [h.action for h in corr.history(store, MALI_1)] == ["reject", "restore"]


def test_filters_and_exports_use_corrected_values(store: Store) -> None:
    corr.correct(store, MALI_1, "country", "Niger", author="Ana")
    corr.correct(store, MALI_1, "country_code", "NE", author="Ana")
    corr.correct(store, MALI_1, "event_date", "2022-12-31", author="Ana")
    assert count_events(store, EventFilter(country="Mali")) == 1
    assert count_events(store, EventFilter(country="NE")) == 1
    assert count_events(store, EventFilter(until=date(2022, 12, 31))) == 1
    rows = list(csv.DictReader(io.StringIO(to_csv(query_events(store, limit=None)))))
    row = next(r for r in rows if r["event_id_cnty"] == MALI_1)
    assert row["country"] == "Niger" and row["iso"] == "562" and row["year"] == "2022"
    assert row["corrected_fields"] == "country; country_code; event_date"


def test_every_correctable_field_reads_back_from_duckdb(store: Store) -> None:
    # One valid value per field goes in and comes out with the column's type.
    samples = {
        "event_type": "Riots", "sub_event_type": "Mob violence", "plover": "PROTEST",
        "event_date": "2023-01-01", "date_precision": "month", "actor1": "A", "actor2": None,
        "actor1_type": "Rioters", "actor2_type": "Civilians", "assoc_actor_1": ["X"],
        "assoc_actor_2": ["Y", "Z"], "country": "Mali", "country_code": "ML",
        "admin1": "Gao", "admin2": "Ansongo", "location": "Ansongo", "latitude": 15.66,
        "longitude": 0.5, "geonameid": 2460954, "geo_precision": 2, "fatalities": 0,
        "injuries": 7,
    }
    assert set(samples) == set(corr.CORRECTABLE_FIELDS)
    for field, value in samples.items():
        corr.correct(store, MALI_1, field, value, author="Ana")
    ev = _event(store)
    for field, value in samples.items():
        assert ev[field] == value, field
    assert sorted(ev["corrected_fields"]) == sorted(samples)


def test_taxonomy_gives_the_25_acled_sub_event_types() -> None:
    subs = corr.sub_event_types()
    assert len(subs) == 25 and len(set(subs)) == 25
    assert "Shelling/artillery/missile attack" in subs


def test_csv_export_defuses_spreadsheet_formulas(store: Store) -> None:
    # An analyst's (or an article's) text must not become a formula in Excel/LibreOffice.
    corr.correct(store, MALI_1, "actor1", '=HYPERLINK("http://evil.example","x")', author="A")
    corr.correct(store, MALI_1, "location", "@SUM(1+1)", author="A")
    rows = list(csv.DictReader(io.StringIO(to_csv(query_events(store, limit=None)))))
    row = next(r for r in rows if r["event_id_cnty"] == MALI_1)
    assert row["actor1"] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    assert row["location"] == "'@SUM(1+1)"
    assert float(row["longitude"]) == pytest.approx(-0.0447)  # numbers stay numbers


def test_audit_log_lists_all_and_flags_orphans(store: Store) -> None:
    corr.correct(store, MALI_1, "fatalities", 15, author="Ana")
    corr.set_rejected(store, webcorpus.event_id("kenya-1"), True, author="Ben")
    # The event is gone from the machine output (e.g. a new pipeline gave it a new id).
    store.con.execute("DELETE FROM events WHERE event_id = ?", [MALI_1])
    store.con.execute("DELETE FROM reports WHERE report_id = ?", [MALI_1])
    total, rows = corr.all_corrections(store)
    assert total == 2
    assert [(r["author"], r["action"], r["orphaned"]) for r in rows] == [
        ("Ben", "reject", False), ("Ana", "correct", True)]
    total, rows = corr.all_corrections(store, orphaned_only=True)
    assert total == 1 and rows[0]["event_id"] == MALI_1
