"""Benchmark: trends series and surge alerts over 100,000 stored events.

Fills a store with the synthetic events of ``bench_api.py`` (15 countries, four years, with
analysts' corrections), then times :func:`eventscope.trends.series` for each grouping and
period length and :func:`eventscope.alerts.find_alerts` with the shipped rules, best of 3.

    python benchmarks/bench_trends.py [--events 100000] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import fill  # noqa: E402

from eventscope import alerts, trends  # noqa: E402
from eventscope.store import Store  # noqa: E402


def best_ms(fn: Any, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return round(min(times), 1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        with Store.open(db) as store:
            fill(store, args.events)
        with Store.open(db, read_only=True) as store:
            result: dict[str, Any] = {"events": store.counts()["events"], "series_ms": {}}
            for by in trends.BY:
                for every in trends.EVERY:
                    result["series_ms"][f"{by}/{every}"] = best_ms(
                        lambda by=by, every=every: trends.series(store, by=by, every=every)
                    )
            rules = alerts.load_rules()
            found: list[dict[str, Any]] = []
            result["alerts_shipped_rules_ms"] = best_ms(
                lambda: found.__setitem__(slice(None), alerts.find_alerts(store, rules))
            )
            result["alerts_found"] = len(found)
    text = json.dumps(result, indent=2)
    sys.stdout.write(text + "\n")
    if args.json:
        Path(args.json).write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
