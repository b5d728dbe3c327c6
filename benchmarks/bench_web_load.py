"""Load: concurrent readers of the API while an analyst writes corrections.

Builds a store of synthetic events (``bench_api.fill``), starts ``eventscope serve`` with a
write token in a subprocess (the real server: uvicorn, its thread pool, the middleware),
then for ``--seconds`` runs ``--readers`` threads that each request the event list, maps and
timelines in rotation, and one writer thread that posts a correction every
``--write-every`` seconds. It reports requests served, errors (any status other than
200/201, or an exception), median and p95 latency, and the same figures with one reader,
so the two say whether requests are served concurrently.

    python benchmarks/bench_web_load.py [--events 100000] [--readers 8] [--seconds 20]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_api import OTHER, QUERIES, fill  # noqa: E402

TOKEN = "load-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(db: Path, port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(HERE.parent / "src") + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "eventscope.cli",
            "serve",
            "--db",
            str(db),
            "--port",
            str(port),
            "--token",
            TOKEN,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("the server did not start")


def _phase(
    base: str, readers: int, seconds: float, write_every: float, event_ids: list[str]
) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    writes = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    requests = [("/api/events", q) for q in QUERIES] + list(OTHER)

    def reader(k: int) -> None:
        rng = random.Random(k)
        with httpx.Client(base_url=base, timeout=60) as client:
            while time.monotonic() < stop:
                path, params = rng.choice(requests)
                t0 = time.perf_counter()
                try:
                    r = client.get(path, params=params)
                    ok = r.status_code == 200
                    what = f"{path} {r.status_code}"
                except httpx.HTTPError as exc:
                    ok, what = False, f"{path} {type(exc).__name__}"
                ms = (time.perf_counter() - t0) * 1000
                with lock:
                    latencies.append(ms)
                    if not ok:
                        errors.append(what)

    def writer() -> None:
        nonlocal writes
        rng = random.Random(99)
        headers = {"Authorization": f"Bearer {TOKEN}"}
        with httpx.Client(base_url=base, timeout=60, headers=headers) as client:
            while time.monotonic() < stop:
                eid = rng.choice(event_ids)
                try:
                    r = client.post(
                        f"/api/events/{eid}/corrections",
                        json={
                            "field": "fatalities",
                            "value": rng.randrange(50),
                            "author": "load test",
                        },
                    )
                    ok = r.status_code == 201
                    what = f"POST {r.status_code}"
                except httpx.HTTPError as exc:
                    ok, what = False, f"POST {type(exc).__name__}"
                with lock:
                    writes += 1
                    if not ok:
                        errors.append(what)
                time.sleep(write_every)

    threads = [threading.Thread(target=reader, args=(k,)) for k in range(readers)]
    threads.append(threading.Thread(target=writer))
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    latencies.sort()
    return {
        "readers": readers,
        "reads": len(latencies),
        "writes": writes,
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:10],
        "reads_per_s": round(len(latencies) / elapsed, 1),
        "median_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1) if latencies else None,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--readers", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--write-every", type=float, default=0.2)
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args(argv)

    from eventscope.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.duckdb"
        with Store.open(db) as store:
            fill(store, args.events)
            ids = [
                r[0]
                for r in store.con.execute(
                    "SELECT event_id FROM events USING SAMPLE 500 ROWS"
                ).fetchall()
            ]
        port = _free_port()
        server = _serve(db, port)
        try:
            base = f"http://127.0.0.1:{port}"
            one = _phase(base, 1, args.seconds, args.write_every, ids)
            many = _phase(base, args.readers, args.seconds, args.write_every, ids)
        finally:
            server.terminate()
            server.wait(timeout=30)
    result = {
        "events": args.events,
        "seconds_per_phase": args.seconds,
        "one_reader": one,
        "concurrent": many,
        "speed_up": round(many["reads_per_s"] / one["reads_per_s"], 2)
        if one["reads_per_s"]
        else None,
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n")
    return 0 if many["errors"] == 0 and one["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
