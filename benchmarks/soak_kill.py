"""Soak: kill -9 an ingest at random moments; each re-run must end where a clean ingest ends.

One clean ``eventscope ingest`` of N invented articles (JSONL) gives the reference counts.
Then, per trial: a fresh database, an ingest killed with SIGKILL at a random moment (from
start-up to the clean run's duration), a check that the file still opens, and a re-run to
completion. The trial passes when the re-run's articles and events (and their ids) equal
the clean ingest's: 0 lost, 0 duplicated.

    python benchmarks/soak_kill.py [--articles 200] [--trials 20] [--seed 1] [--json OUT]

``make soak`` runs it with the defaults; ``tests/test_reliability.py`` runs 2 trials over
a small batch.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fuzz.corpus import good_text  # noqa: E402


def write_batch(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            day = 1 + i % 9
            doc = {"id": f"soak-{i}", "text": good_text(i), "published": f"2023-05-0{day}"}
            f.write(json.dumps(doc) + "\n")


def _command(src: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "eventscope.cli", "ingest", str(src), "--db", str(db)]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    src = str(ROOT / "src")
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def ingest(src: Path, db: Path, *, kill_after: float | None = None) -> tuple[int | None, float]:
    """Run an ingest; with ``kill_after``, SIGKILL it after that many seconds.

    Returns (exit status, or None when it was killed; seconds it ran).
    """
    t0 = time.monotonic()
    proc = subprocess.Popen(
        _command(src, db), env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        _, err = proc.communicate(timeout=kill_after)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        return None, time.monotonic() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"ingest failed ({proc.returncode}): {err[-2000:]}")
    return proc.returncode, time.monotonic() - t0


def snapshot(db: Path) -> dict[str, Any]:
    """Counts and ids of a database (opening it is part of the check)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:

        def one(sql: str) -> int:
            return int(con.execute(sql).fetchone()[0])

        return {
            "articles": one("SELECT count(*) FROM articles"),
            "distinct_articles": one("SELECT count(DISTINCT doc_id) FROM articles"),
            "events": one("SELECT count(*) FROM events"),
            "distinct_events": one("SELECT count(DISTINCT event_id) FROM events"),
            "evidence": one("SELECT count(*) FROM evidence"),
            "places": one("SELECT count(*) FROM places"),
            "event_ids": sorted(
                r[0] for r in con.execute("SELECT event_id FROM events").fetchall()
            ),
        }
    finally:
        con.close()


def run(n_articles: int, trials: int, seed: int, work: Path) -> dict[str, Any]:
    rng = random.Random(seed)
    src = work / "batch.jsonl"
    write_batch(src, n_articles)
    clean_db = work / "clean.duckdb"
    _, clean_seconds = ingest(src, clean_db)
    clean = snapshot(clean_db)
    # start-up (model, gazetteer) before the first article is written: most kill moments
    # fall after it, where there is something to lose
    one = work / "one.jsonl"
    write_batch(one, 1)
    _, startup = ingest(one, work / "one.duckdb")
    results: list[dict[str, Any]] = []
    t = -1
    # a run may finish before its kill moment (the machine got faster): that trial has no
    # kill, and another one is started, until ``trials`` runs were killed
    while sum(r["killed"] for r in results) < trials and t < 2 * trials:
        t += 1
        db = work / f"trial-{t}.duckdb"
        late = 0.9 * clean_seconds
        moment = rng.uniform(0.5, startup) if t % 5 == 0 else rng.uniform(startup, late)
        status, ran = ingest(src, db, kill_after=moment)
        opened = True
        try:
            partial = snapshot(db) if db.exists() else {"articles": 0, "events": 0}
        except Exception as exc:  # noqa: BLE001 - the figure is whether it opens
            opened, partial = False, {"error": str(exc)}
        ingest(src, db)
        final = snapshot(db)
        lost = len(set(clean["event_ids"]) - set(final["event_ids"])) + max(
            0, clean["articles"] - final["articles"]
        )
        duplicated = (final["events"] - final["distinct_events"]) + (
            final["articles"] - final["distinct_articles"]
        )
        extra = len(set(final["event_ids"]) - set(clean["event_ids"]))
        results.append(
            {
                "trial": t,
                "killed_after_s": round(moment, 1),
                "killed": status is None,
                "opened_after_kill": opened,
                "articles_at_kill": partial.get("articles"),
                "events_at_kill": partial.get("events"),
                "lost": lost,
                "duplicated": duplicated,
                "unexpected": extra,
                "same_as_clean": {k: final[k] for k in ("articles", "events", "evidence", "places")}
                == {k: clean[k] for k in ("articles", "events", "evidence", "places")},
            }
        )
        db.unlink(missing_ok=True)
        Path(str(db) + ".wal").unlink(missing_ok=True)
        print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    return {
        "articles": n_articles,
        "clean": {k: clean[k] for k in ("articles", "events", "evidence", "places")},
        "clean_seconds": round(clean_seconds, 1),
        "startup_seconds": round(startup, 1),
        "trials": len(results),
        "killed": sum(r["killed"] for r in results),
        "killed_mid_write": sum(
            1
            for r in results
            if r["killed"] and r["articles_at_kill"] and r["articles_at_kill"] < clean["articles"]
        ),
        "always_opened": all(r["opened_after_kill"] for r in results),
        "lost": sum(r["lost"] for r in results),
        "duplicated": sum(r["duplicated"] for r in results),
        "unexpected": sum(r["unexpected"] for r in results),
        "all_same_as_clean": all(r["same_as_clean"] for r in results),
        "runs": results,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        result = run(args.articles, args.trials, args.seed, Path(tmp))
    summary = {k: v for k, v in result.items() if k != "runs"}
    print(json.dumps(summary, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    ok = (
        result["lost"] == 0
        and result["duplicated"] == 0
        and result["always_opened"]
        and result["all_same_as_clean"]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
