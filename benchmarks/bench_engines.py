"""Throughput of the engines, exports at file speed, and the dashboard during an ingest.

    python benchmarks/bench_engines.py CORPUS.jsonl [--json OUT] [--only PART ...]

Parts (each measured from outside, as a user runs the commands; start-up included):

- ``extract``: on the first 200 and on all documents of CORPUS: a bare spaCy pass (load the
  model, ``nlp.pipe`` over the truecased texts) and ``eventscope extract`` with one worker;
  on all documents also ``--workers 2`` and ``--engine ray --workers 2`` (when Ray is
  installed). Documents/s, the time ratio to bare spaCy, peak memory of each process/worker.
- ``export``: 100,000 synthetic events (``bench_api.fill``) exported to Parquet, GeoJSON, CSV.
- ``live``: the same 100,000 events served by ``eventscope serve`` while ``eventscope ingest``
  writes CORPUS into the same file: the filtered event list's latencies (median, p95), the
  errors (should be 0), and the events the dashboard saw appear during the run. The list is
  asked for every 0.2 s (with a count), as a few people changing filters would.

Targets (issue 15): workers 2 >= 1.7x workers 1 and >= 30 docs/s; Ray within 15% of workers
2; one worker <= 1.3x bare spaCy; <= 1 GB per worker; Parquet of 100,000 events <= 10 s; the
event list's median < 200 ms during an ingest. Figures depend on the machine and on what
else runs on it: quote them with its description.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

BIN = Path(sys.executable).parent
EVENTSCOPE = (
    [str(BIN / "eventscope")]
    if (BIN / "eventscope").exists()
    else [sys.executable, "-m", "eventscope.cli"]
)
TIME = shutil.which("time") or "/usr/bin/time"


def _head(corpus: Path, n: int | None, out: Path) -> int:
    k = 0
    with corpus.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for line in src:
            if line.strip():
                dst.write(line)
                k += 1
                if n and k >= n:
                    break
    return k


def _timed(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``cmd`` under /usr/bin/time: wall seconds, peak RSS of the process, its stderr."""
    t0 = time.perf_counter()
    res = subprocess.run(
        [TIME, "-f", "@@maxrss %M", *cmd],
        capture_output=True,
        text=True,
        env=env or os.environ.copy(),
    )
    wall = time.perf_counter() - t0
    if res.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed ({res.returncode}):\n{res.stderr[-2000:]}")
    m = re.search(r"@@maxrss (\d+)", res.stderr)
    workers = [float(x) for x in re.findall(r"peak memory (\d+) MB", res.stderr)]
    return {
        "seconds": round(wall, 2),
        "peak_rss_mb": round(int(m.group(1)) / 1024) if m else None,
        "worker_peak_mb": workers or None,
    }


def bare_spacy(path: str) -> None:
    """The reference pass (run in its own process by :func:`part_extract`)."""
    from eventscope.nlp import load_nlp, truecase, unwrap_lines

    nlp = load_nlp()
    with open(path, encoding="utf-8") as fh:
        texts = [json.loads(x)["text"] for x in fh if x.strip()]
    for _ in nlp.pipe((truecase(unwrap_lines(t)) for t in texts), batch_size=32):
        pass


def part_extract(corpus: Path, tmp: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    try:
        import ray  # noqa: F401

        have_ray = True
    except ImportError:
        have_ray = False
    for n in (200, None):
        sub = tmp / f"corpus_{n or 'all'}.jsonl"
        docs = _head(corpus, n, sub)
        runs: dict[str, Any] = {}
        runs["bare_spacy"] = _timed([sys.executable, __file__, "--bare", str(sub)])
        base = [*EVENTSCOPE, "-v", "extract", str(sub), "-o", os.devnull]
        runs["workers_1"] = _timed(base)
        if n is None:
            runs["workers_2"] = _timed([*base, "--workers", "2"])
            if have_ray:
                runs["ray_2"] = _timed([*base, "--engine", "ray", "--workers", "2"])
        for r in runs.values():
            r["docs_per_s"] = round(docs / r["seconds"], 2)
        label = f"{docs}_documents"
        out[label] = runs
        r1, sp = runs["workers_1"], runs["bare_spacy"]
        out[label]["workers_1_over_bare_spacy"] = round(r1["seconds"] / sp["seconds"], 3)
        if "workers_2" in runs:
            out[label]["speedup_workers_2"] = round(r1["seconds"] / runs["workers_2"]["seconds"], 3)
        if "ray_2" in runs:
            out[label]["ray_2_over_workers_2"] = round(
                runs["ray_2"]["seconds"] / runs["workers_2"]["seconds"], 3
            )
        print(json.dumps({label: out[label]}, indent=1), flush=True)
    return out


def _fill(db: Path, n: int) -> dict[str, int]:
    from bench_api import fill

    from eventscope.store import Store

    with Store.open(db) as store:
        fill(store, n)
        return store.counts()


def part_export(tmp: Path, n_events: int) -> dict[str, Any]:
    db = tmp / "export.duckdb"
    counts = _fill(db, n_events)
    out: dict[str, Any] = {"events": counts["events"]}
    for fmt in ("parquet", "geojson", "csv"):
        target = tmp / f"events.{fmt}"
        r = _timed([*EVENTSCOPE, "export", "--db", str(db), "-o", str(target)])
        out[fmt] = {
            "seconds": r["seconds"],
            "peak_rss_mb": r["peak_rss_mb"],
            "bytes": target.stat().st_size,
        }
    print(json.dumps({"export": out}, indent=1), flush=True)
    return out


PAUSE = 0.2  # seconds between two looks at the event list during the ingest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def part_live(corpus: Path, tmp: Path, n_events: int) -> dict[str, Any]:
    from bench_api import QUERIES

    db = tmp / "live.duckdb"
    _fill(db, n_events)
    port = _free_port()
    server = subprocess.Popen(
        [*EVENTSCOPE, "serve", "--db", str(db), "--port", str(port)], stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            for _ in range(200):
                try:
                    client.get("/api/events", params={"limit": 1})
                    break
                except httpx.TransportError:
                    time.sleep(0.1)

            failures: list[str] = []

            def sample(i: int) -> tuple[float, int, int]:
                t0 = time.perf_counter()
                r = client.get("/api/events", params=QUERIES[i % len(QUERIES)])
                ms = (time.perf_counter() - t0) * 1000
                if r.status_code != 200:
                    failures.append(f"{r.status_code} {r.text[:300]}")
                total = client.get("/api/events", params={"limit": 1}).json().get("total", -1)
                return ms, r.status_code, total

            idle = [sample(i)[0] for i in range(30)]
            start_total = sample(0)[2]
            ingest = subprocess.Popen(
                [*EVENTSCOPE, "ingest", str(corpus), "--db", str(db)],
                stderr=subprocess.PIPE,
                text=True,
            )
            busy: list[float] = []
            errors = 0
            totals = []
            i = 0
            while ingest.poll() is None:
                ms, status, total = sample(i)
                i += 1
                busy.append(ms)
                errors += status != 200
                totals.append(total)
                time.sleep(PAUSE)  # a person (or a few) changing filters, not a load test
            _, ingest_err = ingest.communicate()
            end_total = sample(0)[2]
    finally:
        server.terminate()
        server.wait(30)
    busy.sort()
    grew_during = sorted({t for t in totals if start_total < t < end_total})
    out = {
        "events_before": start_total,
        "events_after": end_total,
        "distinct_totals_seen_during_ingest": len(grew_during),
        "requests_during_ingest": len(busy),
        "errors": errors,
        "error_samples": failures[:3],
        "median_ms_idle": round(statistics.median(idle), 1),
        "median_ms_during_ingest": round(statistics.median(busy), 1) if busy else None,
        "p95_ms_during_ingest": round(busy[int(0.95 * (len(busy) - 1))], 1) if busy else None,
        "ingest": ingest_err.strip().splitlines()[-1] if ingest_err.strip() else "",
    }
    print(json.dumps({"live": out}, indent=1), flush=True)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("corpus", type=Path, nargs="?")
    ap.add_argument("--bare", help=argparse.SUPPRESS)
    ap.add_argument("--only", nargs="*", choices=("extract", "export", "live"))
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--json", type=Path, help="write every figure to this file")
    args = ap.parse_args()
    if args.bare:
        bare_spacy(args.bare)
        return 0
    if args.corpus is None:
        ap.error("give the corpus (e.g. ../shared/data/dev/lgl.jsonl)")
    parts = args.only or ["extract", "export", "live"]
    report: dict[str, Any] = {
        "corpus": str(args.corpus),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f} at the start",
    }
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        if "extract" in parts:
            report["extract"] = part_extract(args.corpus, tmp)
        if "export" in parts:
            report["export"] = part_export(tmp, args.events)
        if "live" in parts:
            report["live"] = part_live(args.corpus, tmp, args.events)
    report["load_average_at_the_end"] = round(os.getloadavg()[0], 1)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
