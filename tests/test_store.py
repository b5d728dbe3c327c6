"""The DuckDB store: schema, migrations, idempotent per-article writes."""

from __future__ import annotations

import pytest

from eventscope.errors import StoreError
from eventscope.records import Article, DocumentResult, Event, Place
from eventscope.store import SCHEMA_VERSION, Store


def _result(
    text: str = "Gunmen killed 3 villagers in Kano on Sunday.", n: int = 1
) -> DocumentResult:
    a = Article(id="doc-1", text=text, published="2022-05-12")
    events = []
    for i in range(n):
        ev = Event(
            event_id=f"ev-{a.content_hash}-{i}",
            plover="ASSAULT",
            event_type="Violence against civilians",
            sub_event_type="Attack",
            fatalities=3,
            country="Nigeria",
            country_code="NG",
            event_date="2022-05-08",
            date_precision="day",
            actor1="Unidentified Armed Group (Nigeria)",
        )
        ev.add_evidence("trigger", 7, 13)
        ev.add_evidence("fatalities", 14, 15)
        events.append(ev)
    return DocumentResult(article=a, events=events, places=[Place(28, 32, "Kano", name="Kano")])


def test_new_database_has_current_schema(tmp_path):
    with Store.open(tmp_path / "x.duckdb") as s:
        assert s.schema_version() == SCHEMA_VERSION
        assert s.counts() == {
            "articles": 0,
            "events": 0,
            "evidence": 0,
            "places": 0,
            "corrections": 0,
        }


def test_storing_the_same_article_twice_adds_nothing(tmp_path):
    db = tmp_path / "x.duckdb"
    with Store.open(db) as s:
        assert s.add_result(_result()) is True
        first = s.counts()
        assert s.add_result(_result()) is False
        assert s.counts() == first
    # and across processes / reopenings
    with Store.open(db) as s:
        assert s.add_result(_result()) is False
        assert (
            s.counts()
            == first
            == {"articles": 1, "events": 1, "evidence": 2, "places": 1, "corrections": 0}
        )


def test_reextraction_replaces_machine_output_only(tmp_path):
    with Store.open(tmp_path / "x.duckdb") as s:
        s.add_result(_result(n=2))
        s.con.execute(
            "INSERT INTO corrections VALUES "
            "('c1', 'ev-x', 'fatalities', '4', FALSE, 'ana', NULL, now())"
        )
        assert s.add_result(_result(n=1), replace=True) is True
        c = s.counts()
        assert c["events"] == 1 and c["articles"] == 1 and c["corrections"] == 1


def test_failed_write_leaves_no_partial_article(tmp_path):
    """A crash inside the transaction loses only the article in flight."""
    with Store.open(tmp_path / "x.duckdb") as s:
        bad = _result()
        bad.events[0].event_date = "not a date"  # DuckDB refuses it mid-transaction
        with pytest.raises(StoreError):
            s.add_result(bad)
        assert s.counts()["articles"] == 0 and s.counts()["events"] == 0
        assert s.add_result(_result()) is True  # a rerun completes


def test_read_only_open_of_missing_file_says_how_to_create_it(tmp_path):
    with pytest.raises(StoreError, match="eventscope ingest"):
        Store.open(tmp_path / "missing.duckdb", read_only=True)


def test_newer_schema_is_refused_with_advice(tmp_path):
    db = tmp_path / "x.duckdb"
    with Store.open(db) as s:
        s.con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="upgrade eventscope"):
        Store.open(db)


def test_not_a_database_file_gives_store_error(tmp_path):
    f = tmp_path / "notes.duckdb"
    f.write_text("this is not a database")
    with pytest.raises(StoreError, match="notes.duckdb"):
        Store.open(f)
