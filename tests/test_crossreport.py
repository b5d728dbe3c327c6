"""Cross-report merging: several articles about one incident make one event."""

from __future__ import annotations

from typing import Any

import pytest

from eventscope import crossreport
from eventscope.corrections import correct
from eventscope.errors import ConfigError
from eventscope.query import EventFilter, count_events, get_event, query_events
from eventscope.records import Article, DocumentResult, Event
from eventscope.store import Store


def _report(
    text: str,
    *,
    killed: int,
    doc: str,
    url: str,
    date: str = "2024-03-03",
    precision: str = "day",
    lat: float = 11.85,
    lon: float = 13.16,
    event_type: str = "Violence against civilians",
    actor1: str | None = "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad",
    actor1_type: str | None = "Rebel group",
    admin1: str = "Borno",
    admin2: str = "Maiduguri",
) -> DocumentResult:
    a = Article(id=doc, text=text, published="2024-03-04", url=url)
    ev = Event(
        event_id=f"ev-{a.content_hash[:12]}",
        plover="ASSAULT",
        event_type=event_type,
        sub_event_type="Attack",
        fatalities=killed,
        event_date=date,
        date_precision=precision,
        actor1=actor1,
        actor1_type=actor1_type,
        actor2="Civilians (Nigeria)",
        actor2_type="Civilians",
        country="Nigeria",
        country_code="NG",
        admin1=admin1,
        admin2=admin2,
        location="Maiduguri",
        latitude=lat,
        longitude=lon,
        geo_precision=1,
        sentence_start=0,
        sentence_end=len(text),
    )
    ev.add_evidence("fatalities", 0, 10)
    return DocumentResult(article=a, events=[ev])


def _first() -> DocumentResult:
    return _report(
        "Gunmen killed 12 villagers near Maiduguri in Borno state on Sunday.",
        killed=12,
        doc="wire-a",
        url="https://www.premiumtimesng.com/news/borno-attack.html",
    )


def _second() -> DocumentResult:
    return _report(
        "Fourteen people died when insurgents attacked a village outside Maiduguri, Borno.",
        killed=14,
        doc="wire-b",
        url="https://dailytrust.com/borno-village-attack",
    )


def _snapshot(store: Store) -> list[tuple[Any, ...]]:
    return store.con.execute(
        "SELECT event_id, fatalities, source_count, source, event_date FROM events "
        "ORDER BY event_id"
    ).fetchall()


def test_two_reports_of_one_attack_are_one_event_with_the_lower_toll():
    with Store.open(":memory:") as s:
        s.add_result(_first())
        s.add_result(_second())
        rows = query_events(s, EventFilter())
        assert len(rows) == 1
        ev = rows[0]
        assert ev["source_count"] == 2
        assert ev["fatalities"] == 12  # ACLED: the lowest figure, not 26
        assert ev["source"] == "dailytrust.com; premiumtimesng.com"  # outlets, not paths
        reports = crossreport.reports_of(s, ev["event_id"])
        assert sorted(r["fatalities"] for r in reports) == [12, 14]  # each figure kept
        assert {r["url"] for r in reports} == {
            "https://www.premiumtimesng.com/news/borno-attack.html",
            "https://dailytrust.com/borno-village-attack",
        }
        assert all(r["evidence"] for r in reports)


def test_order_and_reingesting_change_no_event_and_no_id():
    with Store.open(":memory:") as ab:
        ab.add_result(_first())
        ab.add_result(_second())
        want = _snapshot(ab)
        # re-ingesting either changes nothing
        assert ab.add_result(_first()) is False
        assert ab.add_result(_second()) is False
        assert _snapshot(ab) == want
        # re-extracting either changes nothing either
        assert ab.add_result(_second(), replace=True) is True
        assert _snapshot(ab) == want
    with Store.open(":memory:") as ba:
        ba.add_result(_second())
        ba.add_result(_first())
        assert _snapshot(ba) == want


def test_unrelated_incidents_stay_apart():
    far = _report(
        "Gunmen killed 5 people in Kano.",
        killed=5,
        doc="wire-c",
        url="https://example.org/kano",
        lat=12.0,
        lon=8.52,
        admin1="Kano",
        admin2="Kano Municipal",
    )
    later = _report(
        "Gunmen killed 3 villagers near Maiduguri a month later.",
        killed=3,
        doc="wire-d",
        url="https://example.org/later",
        date="2024-04-05",
    )
    protest = _report(
        "Hundreds protested in Maiduguri.",
        killed=0,
        doc="wire-e",
        url="https://example.org/protest",
        event_type="Protests",
        actor1="Protesters (Nigeria)",
        actor1_type="Protesters",
    )
    with Store.open(":memory:") as s:
        for r in (_first(), far, later, protest):
            s.add_result(r)
        assert count_events(s) == 4


def _vague(doc: str, date: str, killed: int) -> DocumentResult:
    return _report(
        f"Insurgents killed {killed} people near Maiduguri, residents said ({doc}).",
        killed=killed,
        doc=doc,
        url=f"https://example.org/{doc}",
        date=date,
        precision="week",
    )


def test_reports_of_one_news_cycle_join_and_the_earliest_date_is_kept():
    with Store.open(":memory:") as s:
        s.add_result(_vague("wire-f", "2024-03-05", 14))
        s.add_result(_vague("wire-g", "2024-03-04", 15))
        (ev,) = query_events(s, EventFilter())
        assert ev["event_date"] == "2024-03-04" and ev["date_precision"] == "week"
        assert ev["fatalities"] == 14 and ev["source_count"] == 2


def test_a_vague_date_is_not_merged_with_a_precise_one_on_type_and_place_alone():
    with Store.open(":memory:") as s:
        s.add_result(_vague("wire-f", "2024-03-05", 14))
        s.add_result(_first())
        assert count_events(s) == 2


def test_reextraction_that_drops_the_bridge_splits_the_event():
    with Store.open(":memory:") as s:
        s.add_result(_first())
        s.add_result(_second())
        assert count_events(s) == 1
        gone = _second()
        gone.events = []  # a later pipeline finds no event in the second article
        s.add_result(gone, replace=True)
        (ev,) = query_events(s, EventFilter())
        assert ev["source_count"] == 1 and ev["fatalities"] == 12


def test_an_analyst_split_and_merge_survive_reextraction():
    with Store.open(":memory:") as s:
        s.add_result(_first())
        s.add_result(_second())
        (ev,) = query_events(s, EventFilter())
        second_id = _second().events[0].event_id
        with pytest.raises(ConfigError):
            crossreport.split_event(s, ev["event_id"], ["ev-nope"], author="ana")
        crossreport.split_event(s, ev["event_id"], [second_id], author="ana", note="two raids")
        assert count_events(s) == 2
        s.add_result(_second(), replace=True)
        s.add_result(_first(), replace=True)
        assert count_events(s) == 2
        assert sorted(r["fatalities"] for r in query_events(s, EventFilter())) == [12, 14]
        ids = [r["event_id"] for r in query_events(s, EventFilter())]
        merged = crossreport.merge_events(s, ids, author="ana")
        s.add_result(_first(), replace=True)
        (ev,) = query_events(s, EventFilter())
        assert ev["event_id"] == merged and ev["source_count"] == 2


def test_a_correction_follows_its_event_when_another_report_joins():
    with Store.open(":memory:") as s:
        s.add_result(_second())
        eid = _second().events[0].event_id
        correct(s, eid, "fatalities", 13, author="ana")
        s.add_result(_first())  # joins; the representative (and the id) may change
        (ev,) = query_events(s, EventFilter())
        assert ev["fatalities"] == 13 and "fatalities" in ev["corrected_fields"]
        assert get_event(s, ev["event_id"]) is not None


def test_date_intervals_follow_precision():
    assert crossreport.date_interval("2024-03-10", "month")[0].isoformat() == "2024-03-01"
    assert crossreport.date_interval("2024-12-10", "month")[1].isoformat() == "2024-12-31"
    assert crossreport.date_interval("2024-01-01", "year")[1].isoformat() == "2024-12-31"
    assert crossreport.date_interval(None, "day") is None


def test_lowest_figure_ignores_reports_silent_on_deaths():
    assert crossreport.lowest_figure([0, 14, 12]) == 12
    assert crossreport.lowest_figure([0, 0]) is None


def test_a_schema_1_database_migrates_with_each_event_its_own_report(tmp_path):
    import duckdb

    from eventscope.store import MIGRATIONS

    db = tmp_path / "v1.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    for sql in MIGRATIONS[0][1]:
        con.execute(sql)
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    con.execute(
        "INSERT INTO articles VALUES ('a1', 'doc', NULL, 'https://x.org/1', NULL, NULL, "
        "'text', 'Gunmen killed 12.', NULL, now(), '1', TRUE)"
    )
    con.execute(
        "INSERT INTO events VALUES ('ev-old', 'a1', 'Battles', 'Armed clash', 'ASSAULT', "
        "DATE '2024-03-03', 'day', NULL, NULL, NULL, NULL, [], [], 'Nigeria', 'NG', NULL, "
        "NULL, NULL, NULL, NULL, NULL, NULL, 12, NULL, 0.5, NULL, 0, 17, '1')"
    )
    con.close()
    with Store.open(db) as s:
        (ev,) = query_events(s, EventFilter(origin="machine"))
        assert ev["event_id"] == "ev-old" and ev["source_count"] == 1
        assert [r["report_id"] for r in crossreport.reports_of(s, "ev-old")] == ["ev-old"]
