"""Exports of the event list: CSV with ACLED's column names where they apply, GeoJSON, Parquet.

ACLED's columns that eventscope has no equivalent for (``admin3``, ``source_scale``,
``tags``, ...) are left out rather than filled with placeholders; eventscope's own fields
(``plover``, ``injuries``, ``confidence``, ``article_id``) follow ACLED's columns.

Events come from :func:`eventscope.query.query_events`, so exports carry analysts'
corrections (``corrected_fields`` names the fields an analyst changed) and leave out
rejected events unless the filter includes them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import ConfigError

# ACLED actor-type ("inter") codes, as in the ACLED codebook.
INTER_CODES = {
    "State forces": 1,
    "Rebel group": 2,
    "Political militia": 3,
    "Identity militia": 4,
    "Rioters": 5,
    "Protesters": 6,
    "Civilians": 7,
    "External/Other forces": 8,
}
TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}

CSV_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "iso", "country", "admin1", "admin2", "location", "latitude", "longitude", "geo_precision",
    "source", "notes", "fatalities",
    # eventscope's own fields
    "plover", "injuries", "date_precision", "actor1_type", "actor2_type", "country_code",
    "geonameid", "confidence", "article_id", "url", "corrected_fields",
)


def _iso_numeric(alpha2: str | None) -> int | None:
    if not alpha2:
        return None
    import pycountry

    c = pycountry.countries.get(alpha_2=alpha2.upper())
    return int(c.numeric) if c is not None else None


def acled_row(ev: dict[str, Any]) -> dict[str, Any]:
    """One event (a dict from :func:`eventscope.query.query_events`) in ACLED's columns."""
    i1 = INTER_CODES.get(ev.get("actor1_type") or "")
    i2 = INTER_CODES.get(ev.get("actor2_type") or "")
    interaction = None
    if i1 is not None:
        interaction = int(f"{min(i1, i2)}{max(i1, i2)}") if i2 is not None else i1 * 10
    date = ev.get("event_date")
    return {
        "event_id_cnty": ev.get("event_id"),
        "event_date": date,
        "year": int(date[:4]) if date else None,
        "time_precision": TIME_PRECISION.get(ev.get("date_precision") or ""),
        "event_type": ev.get("event_type"),
        "sub_event_type": ev.get("sub_event_type"),
        "actor1": ev.get("actor1"),
        "assoc_actor_1": "; ".join(ev.get("assoc_actor_1") or []),
        "inter1": i1,
        "actor2": ev.get("actor2"),
        "assoc_actor_2": "; ".join(ev.get("assoc_actor_2") or []),
        "inter2": i2,
        "interaction": interaction,
        "iso": _iso_numeric(ev.get("country_code")),
        "country": ev.get("country"),
        "admin1": ev.get("admin1"),
        "admin2": ev.get("admin2"),
        "location": ev.get("location"),
        "latitude": ev.get("latitude"),
        "longitude": ev.get("longitude"),
        "geo_precision": ev.get("geo_precision"),
        "source": ev.get("source") or ev.get("url") or ev.get("doc_id"),
        "notes": ev.get("notes"),
        "fatalities": ev.get("fatalities"),
        "plover": ev.get("plover"),
        "injuries": ev.get("injuries"),
        "date_precision": ev.get("date_precision"),
        "actor1_type": ev.get("actor1_type"),
        "actor2_type": ev.get("actor2_type"),
        "country_code": ev.get("country_code"),
        "geonameid": ev.get("geonameid"),
        "confidence": ev.get("confidence"),
        "article_id": ev.get("article_id"),
        "url": ev.get("url"),
        "corrected_fields": "; ".join(ev.get("corrected_fields") or []),
    }


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, OWASP);
# text taken from articles (actors, places, notes) can start with anything.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """A text value a spreadsheet will not run: a leading formula character gets a ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(events: Iterable[dict[str, Any]]) -> str:
    """Events in ACLED's columns; text cells are guarded against spreadsheet formulas."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(CSV_COLUMNS), lineterminator="\n")
    w.writeheader()
    for ev in events:
        w.writerow({k: csv_safe(v) for k, v in acled_row(ev).items()})
    return buf.getvalue()


def to_geojson(events: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """A FeatureCollection; events without coordinates are kept with a null geometry."""
    features = []
    for ev in events:
        lat, lon = ev.get("latitude"), ev.get("longitude")
        geom = (
            {"type": "Point", "coordinates": [lon, lat]}
            if lat is not None and lon is not None
            else None
        )
        props = {k: v for k, v in ev.items() if k not in ("latitude", "longitude")}
        features.append({"type": "Feature", "id": ev.get("event_id"), "geometry": geom,
                         "properties": props})
    return {"type": "FeatureCollection", "features": features}


def write_export(events: list[dict[str, Any]], path: Path, fmt: str) -> None:
    """Write ``events`` to ``path`` as csv, geojson or parquet."""
    if fmt == "csv":
        path.write_text(to_csv(events), encoding="utf-8")
    elif fmt == "geojson":
        path.write_text(json.dumps(to_geojson(events), ensure_ascii=False, indent=1),
                        encoding="utf-8")
    elif fmt == "parquet":
        _write_parquet(events, path)
    else:
        raise ConfigError(f"unknown export format {fmt!r}; choose csv, geojson or parquet")


def _write_parquet(events: list[dict[str, Any]], path: Path) -> None:
    import duckdb

    rows = [acled_row(ev) for ev in events]
    con = duckdb.connect(":memory:")
    try:
        cols = list(CSV_COLUMNS)
        types = {
            "year": "INTEGER", "time_precision": "INTEGER", "inter1": "INTEGER",
            "inter2": "INTEGER", "interaction": "INTEGER", "iso": "INTEGER",
            "latitude": "DOUBLE", "longitude": "DOUBLE", "geo_precision": "INTEGER",
            "fatalities": "INTEGER", "injuries": "INTEGER", "geonameid": "BIGINT",
            "confidence": "DOUBLE", "event_date": "DATE",
        }
        ddl = ", ".join(f'"{c}" {types.get(c, "VARCHAR")}' for c in cols)
        con.execute(f"CREATE TABLE x ({ddl})")
        if rows:
            con.executemany(
                f"INSERT INTO x VALUES ({', '.join('?' for _ in cols)})",
                [[r[c] for c in cols] for r in rows],
            )
        con.execute("COPY x TO ? (FORMAT parquet)", [str(path)])
    finally:
        con.close()
