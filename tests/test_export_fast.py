"""Parquet and GeoJSON exports streamed by DuckDB give what the row-by-row path gives."""

from __future__ import annotations

import json

import duckdb
import pytest

from eventscope import corrections
from eventscope.cli import main
from eventscope.export import _write_parquet, export_events, to_geojson
from eventscope.query import EventFilter, query_events
from eventscope.records import Article, DocumentResult, Event
from eventscope.store import Store

ACTOR_TYPES = [None, "State forces", "Rebel group", "Civilians", "Protesters", "Rioters"]
PRECISIONS = [None, "day", "week", "month", "year"]
PLACES = [
    ("Nigeria", "NG", 11.85, 13.16),
    ("Mali", "ML", 16.27, -0.04),
    (None, None, None, None),
    ("Kosovo", "XK", 42.6, 20.9),
]


@pytest.fixture()
def store(tmp_path):
    s = Store.open(tmp_path / "x.duckdb")
    for i in range(40):
        text = f"Report {i}: =fighting near the river; militia attacked the village. " * 2
        a = Article(
            id=f"doc-{i}",
            text=text,
            url=None if i % 3 else f"https://x.example/{i}",
            published="2022-05-12",
        )
        country, cc, lat, lon = PLACES[i % len(PLACES)]
        events = [
            Event(
                event_id=f"ev-{i}-{k}",
                plover="ASSAULT",
                event_type="Battles",
                sub_event_type="Armed clash",
                fatalities=(i * 7 + k) % 11,
                injuries=None if i % 2 else i,
                actor1=f"Militia {i}",
                actor2="Civilians",
                actor1_type=ACTOR_TYPES[i % 6],
                actor2_type=ACTOR_TYPES[(i + k + 1) % 6],
                assoc_actor_1=[f"Group {i}", "Other"][: i % 3],
                country=country,
                country_code=cc,
                latitude=lat,
                longitude=lon,
                event_date=None if i % 9 == 0 else f"2022-0{1 + i % 9}-1{k}",
                date_precision=PRECISIONS[i % 5],
                confidence=0.1 * (i % 10),
                geo_precision=1,
                sentence_start=0,
                sentence_end=30,
            )
            for k in range(2)
        ]
        s.add_result(DocumentResult(article=a, events=events))
    corrections.correct(s, "ev-3-0", "fatalities", 99, author="analyst")
    corrections.set_rejected(s, "ev-4-1", True, author="analyst")
    yield s
    s.close()


def _parquet_rows(path) -> list[tuple]:
    return duckdb.connect().execute(f"SELECT * FROM '{path}'").fetchall()


@pytest.mark.parametrize(
    "flt",
    [None, EventFilter(country="Nigeria"), EventFilter(include_rejected=True, min_fatalities=3)],
)
def test_parquet_streamed_equals_row_by_row(store, tmp_path, flt):
    fast, slow = tmp_path / "fast.parquet", tmp_path / "slow.parquet"
    n = export_events(store, flt, fast, "parquet")
    rows = query_events(store, flt, limit=None)
    _write_parquet(rows, slow)
    assert n == len(rows) > 0
    assert _parquet_rows(fast) == _parquet_rows(slow)


def test_geojson_streamed_equals_to_geojson(store, tmp_path):
    out = tmp_path / "x.geojson"
    export_events(store, None, out, "geojson")
    assert json.loads(out.read_text()) == json.loads(
        json.dumps(to_geojson(query_events(store, None, limit=None)), default=str)
    )


def test_cli_export_writes_parquet_with_corrections(store, tmp_path, capsys):
    path = store.path
    store.close()
    out = tmp_path / "e.parquet"
    assert main(["export", "--db", path, "-o", str(out)]) == 0
    assert "wrote 79 events" in capsys.readouterr().err  # 80 less the rejected one
    rows = (
        duckdb.connect()
        .execute(f"SELECT fatalities, corrected_fields FROM '{out}' WHERE event_id_cnty = 'ev-3-0'")
        .fetchall()
    )
    assert rows == [(99, "fatalities")]
