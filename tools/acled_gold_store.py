"""Load the gold events of ACLED dev files into a throwaway store, for trends and alerts.

A stop-gap until ``eventscope import-acled`` reads ACLED's own CSV: each note of a gold
JSONL file (``../shared/data/dev/acled_*.jsonl``) becomes an article (its text, so the
dashboard shows it) and each of its gold events an event, exactly as ACLED coded it (date,
type, actors, place, fatalities). Two bulk ``INSERT ... SELECT`` statements per file, read by
DuckDB itself. Nothing of the dev data is written into the repository: the store goes where
``--db`` says.

    python tools/acled_gold_store.py --db /tmp/acled.duckdb \\
        ../shared/data/dev/acled_2015_asia_dev.jsonl
    eventscope alerts --db /tmp/acled.duckdb
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from eventscope.store import Store


def _country_code(name: str) -> str | None:
    import pycountry

    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        try:
            return str(pycountry.countries.search_fuzzy(name)[0].alpha_2)
        except LookupError:
            return None


def load(store: Store, path: Path) -> tuple[int, int]:
    """Store the gold notes and events of one file; returns (notes, events) added."""
    con = store.con
    src = f"read_json({str(path)!r}, format = 'newline_delimited')"
    countries = [
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT g.country FROM (SELECT unnest(gold.events) AS g FROM {src}) "
            "WHERE g.country IS NOT NULL ORDER BY 1"
        ).fetchall()
    ]
    before = store.counts()
    with store.transaction():
        con.execute("CREATE OR REPLACE TEMP TABLE gold_codes (country VARCHAR, code VARCHAR)")
        if countries:
            con.executemany(
                "INSERT INTO gold_codes VALUES (?, ?)", [[c, _country_code(c)] for c in countries]
            )
        con.execute(
            "INSERT OR IGNORE INTO articles (article_id, doc_id, title, url, published, source, "
            "fmt, text, extra, ingested_at, pipeline_version, extracted) "
            "SELECT 'gold-' || md5(? || '|' || id), id, title ->> '$', url ->> '$', "
            "TRY_CAST(published ->> '$' AS DATE), ? || '#' || id, 'text', "
            "coalesce(text, ''), NULL, now(), 'acled-gold', TRUE "
            f"FROM {src}",
            [path.name, path.name],
        )
        con.execute(
            "INSERT OR IGNORE INTO events (event_id, article_id, event_type, sub_event_type, "
            "plover, event_date, date_precision, actor1, actor2, actor1_type, actor2_type, "
            "assoc_actor_1, assoc_actor_2, country, country_code, admin1, admin2, location, "
            "latitude, longitude, geo_precision, fatalities, confidence, pipeline_version) "
            "SELECT 'gold-' || md5(? || '|' || id || '|' || i), 'gold-' || md5(? || '|' || id), "
            "g.event_type, g.sub_event_type, 'ASSAULT', TRY_CAST(g.event_date AS DATE), "
            "coalesce(g.date_precision, 'day'), g.actor1, g.actor2, g.actor1_type, "
            "g.actor2_type, coalesce(string_split(g.assoc_actor_1, '; '), []), "
            "coalesce(string_split(g.assoc_actor_2, '; '), []), g.country, c.code, g.admin1, "
            "g.admin2, g.location, g.latitude, g.longitude, g.geo_precision, "
            "coalesce(g.fatalities, 0), 1.0, 'acled-gold' "
            f"FROM (SELECT id, unnest(gold.events) AS g, "
            f"generate_subscripts(gold.events, 1) AS i FROM {src}) "
            "LEFT JOIN gold_codes c ON c.country = g.country",
            [path.name, path.name],
        )
        con.execute("DROP TABLE gold_codes")
        has_origin = con.execute(
            "SELECT count(*) FROM information_schema.columns "
            "WHERE table_name = 'events' AND column_name = 'origin'"
        ).fetchone()
        if has_origin and has_origin[0]:  # schema 2: these are ACLED's events, not ours
            con.execute("UPDATE events SET origin = 'acled' WHERE pipeline_version = 'acled-gold'")
    after = store.counts()
    return after["articles"] - before["articles"], after["events"] - before["events"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
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
