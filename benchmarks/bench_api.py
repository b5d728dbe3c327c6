"""Benchmark: the filtered event list of the web API over 100,000 stored events.

Fills a DuckDB store with synthetic events (bulk ``INSERT ... SELECT`` from ``range()``:
seconds, not minutes), adds analysts' corrections and rejections so the corrected-events
view has work to do, then times ``GET /api/events`` in-process (httpx ASGI transport, the
same app ``eventscope serve`` runs) over a rotation of filters. Target: median < 200 ms.

    python benchmarks/bench_api.py [--events 100000] [--requests 50] [--db FILE] [--json OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from eventscope.store import MACHINE_COLUMNS, Store
from eventscope.web import create_app

COUNTRIES = [  # name, ISO alpha-2, admin1, town, latitude, longitude
    ("Mali", "ML", "Gao", "Gao", 16.27, -0.04),
    ("Nigeria", "NG", "Borno", "Maiduguri", 11.85, 13.16),
    ("Sudan", "SD", "Khartoum", "Omdurman", 15.64, 32.48),
    ("Syria", "SY", "Idlib", "Idlib", 35.93, 36.63),
    ("Ukraine", "UA", "Donetsk", "Bakhmut", 48.59, 38.00),
    ("Colombia", "CO", "Cauca", "Popayan", 2.44, -76.61),
    ("Kenya", "KE", "Nairobi", "Nairobi", -1.29, 36.82),
    ("India", "IN", "Manipur", "Imphal", 24.82, 93.94),
    ("Mexico", "MX", "Guerrero", "Chilpancingo", 17.55, -99.50),
    ("Yemen", "YE", "Taizz", "Taizz", 13.58, 44.02),
    ("Somalia", "SO", "Banaadir", "Mogadishu", 2.04, 45.34),
    ("Myanmar", "MM", "Sagaing", "Monywa", 22.11, 95.14),
    ("Burkina Faso", "BF", "Sahel", "Djibo", 14.10, -1.63),
    ("Iraq", "IQ", "Nineveh", "Mosul", 36.34, 43.13),
    ("Pakistan", "PK", "Balochistan", "Quetta", 30.18, 66.99),
]
TYPES = [  # event type, sub-event type, PLOVER
    ("Battles", "Armed clash", "ASSAULT"),
    ("Explosions/Remote violence", "Air/drone strike", "ASSAULT"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", "ASSAULT"),
    ("Violence against civilians", "Attack", "ASSAULT"),
    ("Protests", "Peaceful protest", "PROTEST"),
    ("Riots", "Mob violence", "ASSAULT"),
    ("Strategic developments", "Arrests", "COERCE"),
]
ACTORS = ["Military Forces", "Police Forces", "Unidentified Armed Group", "Rebel Coalition",
          "Communal Militia", "Protesters", "Rioters", "Civilians"]


def _sql_list(values: list[Any]) -> str:
    return "[" + ", ".join(repr(v) if isinstance(v, str) else str(v) for v in values) + "]"


def fill(store: Store, n_events: int, *, per_article: int = 5, n_corrections: int = 2000) -> None:
    """Bulk-insert ``n_events`` synthetic events (deterministic: hashes of the row number)."""
    con = store.con
    n_articles = max(1, n_events // per_article)
    col = {k: _sql_list([c[i] for c in COUNTRIES]) for i, k in
           enumerate(("name", "cc", "adm", "town", "lat", "lon"))}
    typ = {k: _sql_list([t[i] for t in TYPES]) for i, k in enumerate(("et", "st", "pl"))}
    actors = _sql_list(ACTORS)
    nc, nt, na = len(COUNTRIES), len(TYPES), len(ACTORS)
    # About 600 characters of text per article; one in 50 mentions a market (for `q`).
    con.execute(f"""
        INSERT INTO articles
        SELECT 'art-' || i, 'doc-' || i, 'Report ' || i, 'https://news.example.org/' || i,
               DATE '2020-01-01' + CAST(i % 1461 AS INTEGER), 'bench', 'jsonl',
               repeat('Fighting was reported again in the district, officials said. ', 9)
                 || CASE WHEN i % 50 = 0 THEN 'A market was hit. ' ELSE '' END
                 || 'Report number ' || i || '.',
               NULL, now(), '1', TRUE
        FROM range({n_articles}) t(i)
    """)
    con.execute(f"""
        INSERT INTO events ({', '.join(MACHINE_COLUMNS)})
        SELECT 'ev-' || lpad(CAST(i AS VARCHAR), 8, '0') AS event_id,
               'art-' || (i // {per_article}),
               {typ['et']}[1 + ty], {typ['st']}[1 + ty], {typ['pl']}[1 + ty],
               DATE '2020-01-01' + CAST(hash(i * 7) % 1461 AS INTEGER), 'day',
               {actors}[1 + CAST(hash(i * 11) % {na} AS INTEGER)] || ' of ' || {col['name']}[1 + c],
               {actors}[1 + CAST(hash(i * 13) % {na} AS INTEGER)], NULL, NULL, [], [],
               {col['name']}[1 + c], {col['cc']}[1 + c], {col['adm']}[1 + c], NULL,
               {col['town']}[1 + c],
               {col['lat']}[1 + c] + (CAST(hash(i * 17) % 2000 AS DOUBLE) - 1000) / 400,
               {col['lon']}[1 + c] + (CAST(hash(i * 19) % 2000 AS DOUBLE) - 1000) / 400,
               NULL, 1,
               CASE WHEN hash(i * 23) % 10 < 6 THEN 0 ELSE CAST(hash(i * 29) % 60 AS INTEGER) END,
               NULL, 0.7, 'attacked', 0, 60, '1'
        FROM (SELECT i, CAST(hash(i * 3) % {nc} AS INTEGER) AS c,
                     CAST(hash(i * 5) % {nt} AS INTEGER) AS ty FROM range({n_events}) t(i))
    """)
    # each event its own report (schema 2), so corrections' remapping through reports has
    # a full table to join
    con.execute(
        f"INSERT INTO reports SELECT event_id, {', '.join(MACHINE_COLUMNS)}, NULL, NULL "
        "FROM events"
    )
    con.execute(f"""
        INSERT INTO evidence
        SELECT 'ev-' || lpad(CAST(i AS VARCHAR), 8, '0'), f.field, f.s, f.e
        FROM range({n_events}) t(i),
             (VALUES ('trigger', 0, 8), ('location', 30, 38)) f(field, s, e)
    """)
    # Corrections: fatalities revised on some events, a few rejected (every 97th / 331st).
    step = max(1, n_events // n_corrections)
    con.execute(f"""
        INSERT INTO corrections
        SELECT 'c-' || i, 'ev-' || lpad(CAST(i AS VARCHAR), 8, '0'),
               CASE WHEN i % 331 = 0 THEN NULL ELSE 'fatalities' END,
               CASE WHEN i % 331 = 0 THEN 'null' ELSE CAST(i % 40 AS VARCHAR) END::JSON,
               i % 331 = 0, 'bench analyst', NULL, now()
        FROM range(0, {n_events}, {step}) t(i)
    """)


QUERIES: list[dict[str, Any]] = [
    {},
    {"country": "Mali"},
    {"country": "NG", "event_type": "Battles"},
    {"since": "2021-01-01", "until": "2021-06-30"},
    {"bbox": "-5,10,5,20"},
    {"min_fatalities": 30},
    {"actor": "militia"},
    {"q": "market"},
    {"event_type": "Protests", "since": "2022-01-01"},
    {"sub_event_type": "Air/drone strike", "country": "Syria", "min_fatalities": 5},
    {"sort": "fatalities", "order": "desc"},
    {"offset": 20000},
    {"admin1": "Donetsk", "limit": 500},
    {"include_rejected": "true", "country": "Yemen"},
    {"bbox": "30,-5,50,20", "event_type": "Violence against civilians", "limit": 200},
]

OTHER: list[tuple[str, dict[str, Any]]] = [
    ("/api/stats/timeline", {"interval": "month"}),
    ("/api/stats/timeline", {"interval": "week", "country": "Sudan"}),
    ("/api/map", {"cell": 11.25}),
    ("/api/map", {"cell": 0.7, "bbox": "-5,10,5,20"}),
    ("/api/stats/by", {"dimension": "country"}),
]


async def _time(client: httpx.AsyncClient, path: str, params: dict[str, Any]) -> float:
    t0 = time.perf_counter()
    r = await client.get(path, params=params)
    elapsed = (time.perf_counter() - t0) * 1000
    if r.status_code != 200:
        raise RuntimeError(f"{path} {params}: HTTP {r.status_code} {r.text[:200]}")
    return elapsed


async def run(app: Any, n_requests: int) -> dict[str, Any]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        await _time(client, "/api/events", {})  # warm-up (imports, first plan)
        times = []
        for i in range(n_requests):
            times.append(await _time(client, "/api/events", QUERIES[i % len(QUERIES)]))
        other = {}
        for path, params in OTHER:
            label = f"{path}?{'&'.join(f'{k}={v}' for k, v in params.items())}"
            other[label] = round(min([await _time(client, path, params) for _ in range(3)]), 1)
    times.sort()
    return {
        "requests": n_requests,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 1),
        "max_ms": round(times[-1], 1),
        "other_endpoints_best_of_3_ms": other,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=50)
    ap.add_argument("--db", help="database file to build (default: a temporary file)")
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args(argv)

    tmp = tempfile.TemporaryDirectory()
    db = Path(args.db) if args.db else Path(tmp.name) / "bench.duckdb"
    db.unlink(missing_ok=True)
    t0 = time.perf_counter()
    with Store.open(db) as store:
        fill(store, args.events)
        counts = store.counts()
    fill_s = time.perf_counter() - t0
    app = create_app(db)
    try:
        result = asyncio.run(run(app, args.requests))
    finally:
        app.state.store.close()
        tmp.cleanup()
    result = {"events": counts["events"], "articles": counts["articles"],
              "corrections": counts["corrections"], "fill_seconds": round(fill_s, 1), **result}
    text = json.dumps(result, indent=2)
    sys.stdout.write(text + "\n")
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    target = 200.0
    if result["median_ms"] >= target:
        sys.stderr.write(f"median {result['median_ms']} ms is over the {target:.0f} ms target\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
