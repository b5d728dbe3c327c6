"""Benchmark: what cross-report merging adds to ingest time with 100,000 stored events.

Fills a store with synthetic reports (bulk ``INSERT ... SELECT`` from ``range()``), spread
over the countries and the two years (1989-1990) of the bundled examples so that the articles
ingested find many candidates, then ingests the examples (``examples/``: real extraction with
the spaCy model and the gazetteer) into it twice, each time into a freshly filled store:
with merging and with ``merge=False``. Ingest time = extraction (measured once, the model
already loaded) + storing. Target (issue 14): merging adds <= 10% to ingest time. Both wall and
CPU time are reported; on a shared machine wall time swings with the other jobs, so the exit
status holds when either is within the target (on an idle machine they agree).

    python benchmarks/bench_merge.py [--events 100000] [--rounds 3] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from eventscope.records import DocumentResult
from eventscope.store import Store

# name, ISO alpha-2, admin1, town, latitude, longitude: the examples' countries
PLACES = [
    ("Peru", "PE", "Junin", "Tarma", -11.42, -75.69),
    ("Peru", "PE", "Lima", "Lima", -12.05, -77.04),
    ("Colombia", "CO", "Cauca", "Toribio", 2.95, -76.27),
    ("Colombia", "CO", "Valle del Cauca", "Palmira", 3.54, -76.30),
    ("El Salvador", "SV", "San Salvador", "Mejicanos", 13.74, -89.21),
    ("Honduras", "HN", "Atlantida", "La Ceiba", 15.76, -86.78),
    ("Guatemala", "GT", "Escuintla", "Escuintla", 14.30, -90.79),
    ("Ecuador", "EC", "Guayas", "Guayaquil", -2.19, -79.89),
    ("Chile", "CL", "Santiago Metropolitan", "Puente Alto", -33.61, -70.58),
    ("Nicaragua", "NI", "Jinotega", "Wiwili", 13.62, -85.82),
    ("Bolivia", "BO", "Santa Cruz", "Santa Cruz", -17.79, -63.18),
    ("Philippines", "PH", "Davao", "Davao", 7.07, 125.61),
]
TYPES = [
    ("Battles", "Armed clash", "ASSAULT"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", "ASSAULT"),
    ("Violence against civilians", "Attack", "ASSAULT"),
    ("Protests", "Peaceful protest", "PROTEST"),
    ("Strategic developments", "Arrests", "COERCE"),
]
ACTORS = [
    "Military Forces",
    "Police Forces",
    "Unidentified Armed Group",
    "Rebel Group",
    "Communal Militia",
    "Protesters",
    "Civilians",
]
ACTOR_TYPES = [
    "State forces",
    "State forces",
    "Political militia",
    "Rebel group",
    "Identity militia",
    "Protesters",
    "Civilians",
]


def _sql_list(values: list[Any]) -> str:
    return "[" + ", ".join(repr(v) if isinstance(v, str) else str(v) for v in values) + "]"


def fill(store: Store, n: int, *, per_article: int = 4) -> None:
    """``n`` stored reports, each its own event (deterministic: hashes of the row number)."""
    con = store.con
    col = {
        k: _sql_list([c[i] for c in PLACES])
        for i, k in enumerate(("name", "cc", "adm", "town", "lat", "lon"))
    }
    typ = {k: _sql_list([t[i] for t in TYPES]) for i, k in enumerate(("et", "st", "pl"))}
    act, aty = _sql_list(ACTORS), _sql_list(ACTOR_TYPES)
    nc, nt, na = len(PLACES), len(TYPES), len(ACTORS)
    n_articles = max(1, n // per_article)
    con.execute(f"""
        INSERT INTO articles
        SELECT 'art-' || i, 'doc-' || i, 'Report ' || i, 'https://news.example.org/' || i,
               DATE '1989-01-01' + CAST(i % 730 AS INTEGER), 'bench', 'jsonl',
               'Fighting was reported again in the district. Report ' || i || '.',
               NULL, now(), '1', TRUE
        FROM range({n_articles}) t(i)
    """)
    con.execute(f"""
        CREATE TEMP TABLE synth AS
        SELECT 'ev-' || lpad(CAST(i AS VARCHAR), 8, '0') AS rid,
               'art-' || (i // {per_article}) AS aid,
               {typ["et"]}[1 + ty] AS et, {typ["st"]}[1 + ty] AS st, {typ["pl"]}[1 + ty] AS pl,
               DATE '1989-01-01' + CAST(hash(i * 7) % 730 AS INTEGER) AS d,
               {act}[1 + a1] AS actor1, {aty}[1 + a1] AS actor1_type,
               {act}[1 + a2] AS actor2, {aty}[1 + a2] AS actor2_type,
               {col["name"]}[1 + c] AS country, {col["cc"]}[1 + c] AS cc,
               {col["adm"]}[1 + c] AS adm, {col["town"]}[1 + c] AS town,
               {col["lat"]}[1 + c] + (CAST(hash(i * 17) % 2000 AS DOUBLE) - 1000) / 400 AS lat,
               {col["lon"]}[1 + c] + (CAST(hash(i * 19) % 2000 AS DOUBLE) - 1000) / 400 AS lon,
               CASE WHEN hash(i * 23) % 10 < 6 THEN 0 ELSE CAST(hash(i * 29) % 60 AS INTEGER)
               END AS killed
        FROM (SELECT i, CAST(hash(i * 3) % {nc} AS INTEGER) AS c,
                     CAST(hash(i * 5) % {nt} AS INTEGER) AS ty,
                     CAST(hash(i * 11) % {na} AS INTEGER) AS a1,
                     CAST(hash(i * 13) % {na} AS INTEGER) AS a2 FROM range({n}) t(i))
    """)
    con.execute("""
        INSERT INTO reports
        SELECT rid, rid, aid, et, st, pl, d, 'day', actor1, actor2, actor1_type, actor2_type,
               [], [], country, cc, adm, NULL, town, lat, lon, NULL, 1, killed, NULL, 0.7,
               'attacked', 0, 60, '1', 'https://news.example.org/' || aid, 'news.example.org'
        FROM synth
    """)
    con.execute("""
        INSERT INTO events (event_id, article_id, event_type, sub_event_type, plover,
            event_date, date_precision, actor1, actor2, actor1_type, actor2_type,
            assoc_actor_1, assoc_actor_2, country, country_code, admin1, admin2, location,
            latitude, longitude, geonameid, geo_precision, fatalities, injuries, confidence,
            trigger, sentence_start, sentence_end, pipeline_version, origin, source_count,
            source)
        SELECT rid, aid, et, st, pl, d, 'day', actor1, actor2, actor1_type, actor2_type, [], [],
               country, cc, adm, NULL, town, lat, lon, NULL, 1, killed, NULL, 0.7, 'attacked',
               0, 60, '1', 'machine', 1, 'news.example.org'
        FROM synth
    """)
    con.execute("DROP TABLE synth")


def extract_examples(root: Path) -> tuple[list[DocumentResult], float, float]:
    """The examples' results, and the wall and CPU time extraction took (model loaded)."""
    from eventscope.extract import Extractor
    from eventscope.ingest import read_inputs

    extractor = Extractor()
    list(extractor.run(read_inputs([str(root / "wire-palmira-murder.txt")])))  # warm up
    t0, c0 = time.perf_counter(), time.process_time()
    results = [r for r in extractor.run(read_inputs([str(root)])) if r.error is None]
    return results, time.perf_counter() - t0, time.process_time() - c0


def store_all(results: list[DocumentResult], n: int, *, merge: bool) -> tuple[float, float]:
    """Wall and CPU seconds to store ``results`` into a store holding ``n`` reports."""
    with Store.open(":memory:") as store:
        fill(store, n)
        t0, c0 = time.perf_counter(), time.process_time()
        for r in results:
            store.add_result(r, merge=merge)
        return time.perf_counter() - t0, time.process_time() - c0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--examples", default=str(Path(__file__).parents[1] / "examples"))
    ap.add_argument("--json", metavar="OUT")
    args = ap.parse_args(argv)
    results, t_extract, c_extract = extract_examples(Path(args.examples))
    with_merge, without = [], []
    for _ in range(args.rounds):
        without.append(store_all(results, args.events, merge=False))
        with_merge.append(store_all(results, args.events, merge=True))
    plain = statistics.median(w for w, _ in without)
    merged = statistics.median(w for w, _ in with_merge)
    plain_cpu = statistics.median(c for _, c in without)
    merged_cpu = statistics.median(c for _, c in with_merge)
    added = (merged - plain) / (t_extract + plain)
    # CPU seconds (this process, all its threads): what the work costs, whatever else runs
    # on the machine; on an idle machine wall and CPU agree.
    added_cpu = (merged_cpu - plain_cpu) / (c_extract + plain_cpu)
    out = {
        "stored_events": args.events,
        "articles": len(results),
        "reports": sum(len(r.events) for r in results),
        "extract_s": round(t_extract, 3),
        "store_without_merge_s": round(plain, 4),
        "store_with_merge_s": round(merged, 4),
        "merge_adds_to_ingest": round(added, 4),
        "extract_cpu_s": round(c_extract, 3),
        "store_without_merge_cpu_s": round(plain_cpu, 4),
        "store_with_merge_cpu_s": round(merged_cpu, 4),
        "merge_adds_to_ingest_cpu": round(added_cpu, 4),
        "target": "<= 0.10",
    }
    print(json.dumps(out, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n")
    return 0 if min(added, added_cpu) <= 0.10 else 1


if __name__ == "__main__":
    sys.exit(main())
