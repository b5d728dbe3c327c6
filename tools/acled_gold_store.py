"""Load the gold events of ACLED dev files into a throwaway store, for trends and alerts.

A stop-gap until ``eventscope import-acled`` reads ACLED's own CSV: each note of a gold
JSONL file (``../shared/data/dev/acled_*.jsonl``) becomes an article and each of its gold
events an event, exactly as ACLED coded it (date, type, actors, place, fatalities). Nothing
of the dev data is written into the repository: the store goes where ``--db`` says.

    python tools/acled_gold_store.py --db /tmp/acled.duckdb \
        ../shared/data/dev/acled_2015_asia_dev.jsonl
    eventscope alerts --db /tmp/acled.duckdb
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from eventscope.records import Article, DocumentResult, Event, content_id
from eventscope.store import Store


def _country_code(name: str | None, cache: dict[str, str | None]) -> str | None:
    if not name:
        return None
    if name not in cache:
        import pycountry

        try:
            cache[name] = pycountry.countries.lookup(name).alpha_2
        except LookupError:
            try:
                cache[name] = pycountry.countries.search_fuzzy(name)[0].alpha_2
            except LookupError:
                cache[name] = None
    return cache[name]


def load(store: Store, path: Path) -> tuple[int, int]:
    """Store the gold events of one file; returns (notes stored, events stored)."""
    codes: dict[str, str | None] = {}
    notes = events = 0
    with path.open(encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            text = doc.get("text") or ""
            # The note's id keeps two identical texts apart (the store keys on the text).
            article = Article(
                id=doc["id"],
                text=f"{text}\n[{doc['id']}]",
                title=doc.get("title"),
                url=doc.get("url"),
                published=doc.get("published"),
                source=f"{path.name}#{doc['id']}",
                fmt="text",
            )
            evs = []
            for i, g in enumerate((doc.get("gold") or {}).get("events") or []):
                evs.append(
                    Event(
                        event_id=content_id(f"{path.name}|{doc['id']}|{i}", prefix="gold-"),
                        plover="ASSAULT",
                        event_type=g.get("event_type"),
                        sub_event_type=g.get("sub_event_type"),
                        event_date=g.get("event_date"),
                        date_precision=g.get("date_precision") or "day",
                        actor1=g.get("actor1"),
                        actor2=g.get("actor2"),
                        actor1_type=g.get("actor1_type"),
                        actor2_type=g.get("actor2_type"),
                        country=g.get("country"),
                        country_code=_country_code(g.get("country"), codes),
                        admin1=g.get("admin1"),
                        admin2=g.get("admin2"),
                        location=g.get("location"),
                        latitude=g.get("latitude"),
                        longitude=g.get("longitude"),
                        geo_precision=g.get("geo_precision"),
                        fatalities=int(g.get("fatalities") or 0),
                        confidence=1.0,
                    )
                )
            if store.add_result(DocumentResult(article=article, events=evs, places=[])):
                notes += 1
                events += len(evs)
    return notes, events


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--db", required=True)
    args = ap.parse_args(argv)
    with Store.open(args.db) as store:
        for p in args.files:
            notes, events = load(store, p)
            print(f"{p.name}: {notes} notes, {events} events", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
