"""Turn the ACLED gold files of ``../shared/data/dev`` into an ACLED-style CSV, at run time.

The dev files hold ACLED events (one note per line, ``gold.events``) but not ACLED's export
layout; this writes them in it, so that ``eventscope import-acled`` can load real ACLED series
(trends, alerts, linking) without a copy of the data ever entering the repository::

    python -m eventscope.evaluate.acled_csv ../shared/data/dev/acled_*.jsonl -o /tmp/acled.csv
    eventscope import-acled /tmp/acled.csv --db /tmp/acled.duckdb

``event_id_cnty`` is the note's id; ``notes`` its text; ``source`` is left empty (the dev files
do not name the outlets); the 2015 notes' old types (``acled_legacy_type``) are written as the
pre-2019 exports did, and read back by the importer in today's terms. Write the CSV outside the
repository: ACLED's terms forbid redistributing it.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..acled import INTER_CODES, TIME_PRECISION, interaction
from ..export import ACLED_COLUMNS


def gold_rows(paths: Iterable[Path]) -> Iterable[dict[str, Any]]:
    """ACLED-export rows of every gold event of the files (notes without events skipped)."""
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                doc = json.loads(line)
                events = (doc.get("gold") or {}).get("events") or []
                for n, ev in enumerate(events):
                    eid = str(doc["id"]) if len(events) == 1 else f"{doc['id']}-{n + 1}"
                    yield _row(eid, doc.get("text") or "", ev)


def _row(eid: str, text: str, ev: dict[str, Any]) -> dict[str, Any]:
    i1 = INTER_CODES.get(ev.get("actor1_type") or "")
    i2 = INTER_CODES.get(ev.get("actor2_type") or "")
    date = ev.get("event_date") or ""
    return {
        "event_id_cnty": eid,
        "event_date": date,
        "year": date[:4],
        "time_precision": TIME_PRECISION.get(ev.get("date_precision") or "day", 1),
        "event_type": ev.get("event_type") or ev.get("acled_legacy_type"),
        "sub_event_type": ev.get("sub_event_type"),
        "actor1": ev.get("actor1"),
        "assoc_actor_1": ev.get("assoc_actor_1"),
        "inter1": ev.get("actor1_type"),
        "actor2": ev.get("actor2"),
        "assoc_actor_2": ev.get("assoc_actor_2"),
        "inter2": ev.get("actor2_type"),
        "interaction": interaction(i1, i2),
        "iso": _iso(ev.get("country")),
        "country": ev.get("country"),
        "admin1": ev.get("admin1"),
        "admin2": ev.get("admin2"),
        "location": ev.get("location"),
        "latitude": ev.get("latitude"),
        "longitude": ev.get("longitude"),
        "geo_precision": ev.get("geo_precision"),
        "notes": text,
        "fatalities": ev.get("fatalities") or 0,
    }


@lru_cache(maxsize=512)
def _iso(country: str | None) -> int | None:
    import pycountry

    try:
        return int(pycountry.countries.lookup(country or "").numeric)
    except LookupError:
        return None


def write_csv(paths: Sequence[Path], out: Path) -> int:
    """Write the gold events of ``paths`` to ``out``; returns how many rows."""
    n = 0
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(ACLED_COLUMNS), lineterminator="\n")
        w.writeheader()
        for row in gold_rows(paths):
            if not row["event_date"] or not row["event_type"]:
                continue
            w.writerow(row)
            n += 1
    return n


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eventscope.evaluate.acled_csv",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", nargs="+", type=Path, metavar="ACLED_GOLD.jsonl")
    ap.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.csv")
    args = ap.parse_args(argv)
    n = write_csv(args.gold, args.output)
    print(f"wrote {n} ACLED events to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
