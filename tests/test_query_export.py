"""Event filters and the CSV / GeoJSON / Parquet exports."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from eventscope.errors import ConfigError
from eventscope.export import to_csv, to_geojson, write_export
from eventscope.query import EventFilter, count_events, parse_date, query_events
from eventscope.records import Article, DocumentResult, Event
from eventscope.store import Store


@pytest.fixture()
def store():
    s = Store.open(":memory:")
    rows = [
        (
            "Egypt",
            "EG",
            "Explosions/Remote violence",
            "2022-05-08",
            11,
            "Islamic State (Egypt)",
            30.6,
            32.3,
        ),
        (
            "Morocco",
            "MA",
            "Explosions/Remote violence",
            "2003-05-16",
            33,
            "Unidentified Armed Group (Morocco)",
            33.6,
            -7.6,
        ),
        ("Nigeria", "NG", "Battles", "2020-04-28", 0, "Military Forces of Nigeria", 11.8, 13.1),
        ("Kenya", "KE", "Protests", "2020-05-02", 0, "Protesters (Kenya)", -1.3, 36.8),
    ]
    for i, (country, cc, et, d, fat, a1, lat, lon) in enumerate(rows):
        a = Article(id=f"d{i}", text=f"Report {i} about {country} {a1}.", published=d)
        ev = Event(
            event_id=f"e{i}",
            plover="ASSAULT",
            event_type=et,
            country=country,
            country_code=cc,
            event_date=d,
            date_precision="day",
            fatalities=fat,
            actor1=a1,
            actor1_type="State forces" if "Military" in a1 else "Rebel group",
            latitude=lat,
            longitude=lon,
            assoc_actor_1=["Boko Haram"] if cc == "NG" else [],
        )
        s.add_result(DocumentResult(article=a, events=[ev]))
    yield s
    s.close()


def ids(rows):
    return sorted(r["event_id"] for r in rows)


def test_filters_combine(store):
    assert ids(query_events(store, EventFilter(country="eg"))) == ["e0"]
    assert ids(query_events(store, EventFilter(country="Morocco"))) == ["e1"]
    assert ids(query_events(store, EventFilter(min_fatalities=10))) == ["e0", "e1"]
    assert ids(
        query_events(store, EventFilter(since=date(2020, 1, 1), until=date(2020, 12, 31)))
    ) == ["e2", "e3"]
    assert ids(query_events(store, EventFilter(event_type="battles"))) == ["e2"]
    assert ids(query_events(store, EventFilter(actor="islamic state"))) == ["e0"]
    assert ids(query_events(store, EventFilter(actor="boko"))) == ["e2"]  # associated actors too
    assert ids(query_events(store, EventFilter(bbox=(-10, 20, 40, 35)))) == ["e0", "e1"]
    assert ids(query_events(store, EventFilter(text="Kenya"))) == ["e3"]
    assert count_events(store, EventFilter(min_fatalities=1)) == 2


def test_like_wildcards_in_user_text_are_literal(store):
    assert query_events(store, EventFilter(actor="%")) == []
    assert query_events(store, EventFilter(text="_")) == []


def test_pagination_and_order(store):
    page1 = query_events(store, limit=2, offset=0)
    page2 = query_events(store, limit=2, offset=2)
    assert [r["event_date"] for r in page1 + page2] == [
        "2022-05-08",
        "2020-05-02",
        "2020-04-28",
        "2003-05-16",
    ]


def test_bad_sort_and_bad_date_are_usage_errors(store):
    with pytest.raises(ConfigError):
        query_events(store, sort="fatalities; DROP TABLE events")
    with pytest.raises(ConfigError, match="YYYY-MM-DD"):
        parse_date("12/05/2022", what="--since")


def test_csv_uses_acled_columns(store):
    rows = query_events(store, EventFilter(country="NG"))
    out = list(csv.DictReader(io.StringIO(to_csv(rows))))
    assert out[0]["event_id_cnty"] == "e2"
    assert out[0]["iso"] == "566"  # ACLED's numeric ISO 3166 code for Nigeria
    # inter codes as ACLED's API gives them today: text labels; numeric on request
    assert out[0]["inter1"] == "State forces"
    assert out[0]["time_precision"] == "1" and out[0]["year"] == "2020"
    numeric = list(csv.DictReader(io.StringIO(to_csv(rows, inter_numeric=True))))
    assert numeric[0]["inter1"] == "1"
    assert out[0]["assoc_actor_1"] == "Boko Haram"


def test_geojson_points_are_lon_lat(store):
    fc = to_geojson(query_events(store, EventFilter(country="EG")))
    assert fc["features"][0]["geometry"]["coordinates"] == [32.3, 30.6]
    json.dumps(fc)


def test_parquet_round_trip(store, tmp_path):
    import duckdb

    out = tmp_path / "ev.parquet"
    write_export(query_events(store, limit=None), out, "parquet")
    n, total = duckdb.sql(f"SELECT count(*), sum(fatalities) FROM '{out}'").fetchone()
    assert (n, total) == (4, 44)


def test_unknown_export_format(store, tmp_path):
    with pytest.raises(ConfigError, match="csv, geojson or parquet"):
        write_export([], tmp_path / "x.xlsx", "xlsx")
