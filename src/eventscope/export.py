"""Exports of the event list: CSV with ACLED's column names where they apply, GeoJSON, Parquet.

The CSV follows ACLED's current export (2023 on), column for column, then eventscope's own
fields (``plover``, ``injuries``, ``confidence``, ``article_id``, ``origin``,
``source_count``, ...). As ACLED's API does today, ``inter1``/``inter2``/``interaction`` are
text labels ("State forces", "State forces-Rebel group"); ``inter_numeric=True`` gives the
codebook's numbers. ``source`` names the outlets (never a local path); ``disorder_type``,
``civilian_targeting`` and ``region`` are derived from the event where it was coded by
eventscope (imported ACLED events keep their own, and their ``admin3``, ``source_scale``,
``tags`` and ``timestamp``); a date known only to the month or the year is ACLED's
``time_precision`` 3. Events with no ACLED event type (PLOVER only) are no ACLED events and
are left out of the ACLED CSV. ``bom=True`` starts the file with a UTF-8 byte-order mark, so
that Excel reads its accents right.

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
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from . import acled
from .errors import ConfigError

if TYPE_CHECKING:
    from .query import EventFilter
    from .store import Store

# ACLED actor-type ("inter") codes, as in the ACLED codebook.
INTER_CODES = acled.INTER_CODES
TIME_PRECISION = acled.TIME_PRECISION

#: ACLED's columns (current export, in its order); the ones an ACLED file shares.
ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
CSV_COLUMNS = ACLED_COLUMNS + (
    # eventscope's own fields
    "plover",
    "injuries",
    "date_precision",
    "actor1_type",
    "actor2_type",
    "country_code",
    "geonameid",
    "confidence",
    "article_id",
    "url",
    "corrected_fields",
    "origin",
    "source_count",
    "acled_link",
)


def _iso_numeric(alpha2: str | None) -> int | None:
    if not alpha2:
        return None
    import pycountry

    c = pycountry.countries.get(alpha_2=alpha2.upper())
    return int(c.numeric) if c is not None else None


def _host(url: Any) -> str | None:
    if not url:
        return None
    host = (urlsplit(str(url)).hostname or "").removeprefix("www.")
    return host or None


def acled_row(ev: dict[str, Any], *, inter_numeric: bool = False) -> dict[str, Any]:
    """One event (a dict from :func:`eventscope.query.query_events`) in ACLED's columns."""
    i1 = INTER_CODES.get(ev.get("actor1_type") or "")
    i2 = INTER_CODES.get(ev.get("actor2_type") or "")
    date = ev.get("event_date")
    cc = ev.get("country_code")

    def inter(code: int | None) -> int | str | None:
        if code is None:
            return None
        return code if inter_numeric else acled.INTER_LABELS[code]

    return {
        "event_id_cnty": ev.get("event_id_cnty") or ev.get("event_id"),
        "event_date": date,
        "year": int(date[:4]) if date else None,
        "time_precision": TIME_PRECISION.get(ev.get("date_precision") or ""),
        "disorder_type": ev.get("disorder_type")
        or acled.disorder_type(ev.get("event_type"), ev.get("sub_event_type")),
        "event_type": ev.get("event_type"),
        "sub_event_type": ev.get("sub_event_type"),
        "actor1": ev.get("actor1"),
        "assoc_actor_1": "; ".join(ev.get("assoc_actor_1") or []),
        "inter1": inter(i1),
        "actor2": ev.get("actor2"),
        "assoc_actor_2": "; ".join(ev.get("assoc_actor_2") or []),
        "inter2": inter(i2),
        "interaction": acled.interaction(i1, i2, numeric=inter_numeric),
        "civilian_targeting": ev.get("civilian_targeting")
        if ev.get("origin") == "acled"
        else acled.civilian_targeting(ev),
        "iso": _iso_numeric(cc),
        "region": ev.get("region") or acled.region_of(cc),
        "country": ev.get("country"),
        "admin1": ev.get("admin1"),
        "admin2": ev.get("admin2"),
        "admin3": ev.get("admin3"),
        "location": ev.get("location"),
        "latitude": ev.get("latitude"),
        "longitude": ev.get("longitude"),
        "geo_precision": ev.get("geo_precision"),
        # the outlets (merged reports: all of them), never a local file's path
        "source": ev.get("source") or _host(ev.get("url")),
        "source_scale": ev.get("source_scale"),
        "notes": ev.get("notes"),
        "fatalities": ev.get("fatalities"),
        "tags": ev.get("tags"),
        "timestamp": ev.get("acled_timestamp") or ev.get("ingested_epoch"),
        "plover": ev.get("plover"),
        "injuries": ev.get("injuries"),
        "date_precision": ev.get("date_precision"),
        "actor1_type": ev.get("actor1_type"),
        "actor2_type": ev.get("actor2_type"),
        "country_code": cc,
        "geonameid": ev.get("geonameid"),
        "confidence": ev.get("confidence"),
        "article_id": ev.get("article_id") or None,
        "url": ev.get("url"),
        "corrected_fields": "; ".join(ev.get("corrected_fields") or []),
        "origin": ev.get("origin"),
        "source_count": ev.get("source_count"),
        "acled_link": ev.get("acled_link"),
    }


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, OWASP);
# text taken from articles (actors, places, notes) can start with anything.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """A text value a spreadsheet will not run: a leading formula character gets a ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(
    events: Iterable[dict[str, Any]], *, inter_numeric: bool = False, bom: bool = False
) -> str:
    """ACLED events in ACLED's columns (events without an ACLED type are left out); text
    cells are guarded against spreadsheet formulas."""
    buf = io.StringIO()
    if bom:
        buf.write("\ufeff")
    w = csv.DictWriter(buf, fieldnames=list(CSV_COLUMNS), lineterminator="\n")
    w.writeheader()
    for ev in events:
        if not ev.get("event_type"):
            continue  # PLOVER only: no ACLED event
        row = acled_row(ev, inter_numeric=inter_numeric)
        w.writerow({k: csv_safe(v) for k, v in row.items()})
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


def write_export(
    events: list[dict[str, Any]],
    path: Path,
    fmt: str,
    *,
    inter_numeric: bool = False,
    bom: bool = False,
) -> None:
    """Write ``events`` to ``path`` as csv, geojson or parquet (``inter_numeric`` and
    ``bom``: the CSV's options, see the module docstring)."""
    if fmt == "csv":
        path.write_text(to_csv(events, inter_numeric=inter_numeric, bom=bom), encoding="utf-8")
    elif fmt == "geojson":
        path.write_text(json.dumps(to_geojson(events), ensure_ascii=False, indent=1),
                        encoding="utf-8")
    elif fmt == "parquet":
        _write_parquet(events, path)
    else:
        raise ConfigError(f"unknown export format {fmt!r}; choose csv, geojson or parquet")


# --------------------------------------------------------------------------- at file speed
# Each export column as SQL over the rows of :func:`eventscope.query.export_sql` (``x``): the
# same values as :func:`acled_row` (tests/test_export_fast.py compares them), computed and
# written by DuckDB. A column added to CSV_COLUMNS without an entry here makes the Parquet
# export take the slower path through acled_row, so it is never wrong, only slower.
def _inter_sql(col: str) -> str:
    whens = " ".join(f"WHEN '{k}' THEN {v}" for k, v in INTER_CODES.items())
    return f"(CASE x.{col} {whens} END)"


def _iso_sql() -> str:
    import pycountry

    whens = " ".join(
        f"WHEN '{c.alpha_2}' THEN {int(c.numeric)}" for c in pycountry.countries
    )
    return f"(CASE upper(x.country_code) {whens} END)"


def _sql_columns() -> dict[str, str]:
    i1, i2 = _inter_sql("actor1_type"), _inter_sql("actor2_type")
    prec = " ".join(f"WHEN '{k}' THEN {v}" for k, v in TIME_PRECISION.items())
    return {
        "event_id_cnty": "x.event_id",
        "event_date": "x.event_date",
        "year": "CAST(year(x.event_date) AS INTEGER)",
        "time_precision": f"(CASE x.date_precision {prec} END)",
        "event_type": "x.event_type",
        "sub_event_type": "x.sub_event_type",
        "actor1": "x.actor1",
        "assoc_actor_1": "array_to_string(coalesce(x.assoc_actor_1, []), '; ')",
        "inter1": i1,
        "actor2": "x.actor2",
        "assoc_actor_2": "array_to_string(coalesce(x.assoc_actor_2, []), '; ')",
        "inter2": i2,
        "interaction": f"(CASE WHEN {i1} IS NULL THEN NULL WHEN {i2} IS NULL THEN {i1} * 10 "
        f"ELSE least({i1}, {i2}) * 10 + greatest({i1}, {i2}) END)",
        "iso": _iso_sql(),
        "country": "x.country",
        "admin1": "x.admin1",
        "admin2": "x.admin2",
        "location": "x.location",
        "latitude": "x.latitude",
        "longitude": "x.longitude",
        "geo_precision": "x.geo_precision",
        "source": "coalesce(nullif(x.url, ''), x.doc_id)",
        "notes": "x.notes",
        "fatalities": "x.fatalities",
        "plover": "x.plover",
        "injuries": "x.injuries",
        "date_precision": "x.date_precision",
        "actor1_type": "x.actor1_type",
        "actor2_type": "x.actor2_type",
        "country_code": "x.country_code",
        "geonameid": "x.geonameid",
        "confidence": "x.confidence",
        "article_id": "x.article_id",
        "url": "x.url",
        "corrected_fields": "array_to_string(coalesce(x.corrected_fields, []), '; ')",
    }


_PARQUET_TYPES = {
    "year": "INTEGER", "time_precision": "INTEGER", "inter1": "INTEGER",
    "inter2": "INTEGER", "interaction": "INTEGER", "iso": "INTEGER",
    "latitude": "DOUBLE", "longitude": "DOUBLE", "geo_precision": "INTEGER",
    "fatalities": "INTEGER", "injuries": "INTEGER", "geonameid": "BIGINT",
    "confidence": "DOUBLE", "event_date": "DATE",
}


def export_events(
    store: Store,
    flt: EventFilter | None,
    path: Path,
    fmt: str,
    *,
    inter_numeric: bool = False,
    bom: bool = False,
) -> int:
    """Write the events matching ``flt`` to ``path`` as csv, geojson or parquet; how many.

    Parquet and GeoJSON stream from DuckDB (``COPY`` and JSON built in SQL): memory stays
    flat and 100,000 events take seconds. CSV goes through :func:`to_csv` (ACLED events only:
    the count is of the rows written); ``inter_numeric`` and ``bom`` are its options."""
    from .query import export_sql, query_events

    if fmt == "csv":
        events = query_events(store, flt, limit=None)
        write_export(events, path, fmt, inter_numeric=inter_numeric, bom=bom)
        return sum(1 for ev in events if ev.get("event_type"))
    base, params = export_sql(flt)
    n = int(store.con.execute(f"SELECT count(*) FROM ({base}) x", params).fetchone()[0])
    if fmt == "parquet":
        exprs = _sql_columns()
        if all(c in exprs for c in CSV_COLUMNS):
            cols = ", ".join(
                f'CAST({exprs[c]} AS {_PARQUET_TYPES.get(c, "VARCHAR")}) AS "{c}"'
                for c in CSV_COLUMNS
            )
            store.con.execute(
                f"COPY (SELECT {cols} FROM ({base}) x) TO {_literal(path)} (FORMAT parquet)",
                params,
            )
            return n
    elif fmt == "geojson":
        _stream_geojson(store, base, params, path)
        return n
    write_export(query_events(store, flt, limit=None), path, fmt)
    return n


def _literal(path: str | Path) -> str:
    """A file name as an SQL string literal (COPY's target is bound before the query's
    parameters, so it is not passed as one)."""
    return "'" + str(path).replace("'", "''") + "'"


def _stream_geojson(store: Store, base: str, params: list[Any], path: Path) -> None:
    """A FeatureCollection as :func:`to_geojson` gives it, each feature built by DuckDB."""
    names = [
        d[0] for d in store.con.execute(f"SELECT * FROM ({base}) x LIMIT 0", params).description
    ]
    props = ", ".join(
        f"'{n}', x.\"{n}\"" for n in names if n not in ("latitude", "longitude")
    )
    cur = store.con.execute(
        "SELECT json_object('type', 'Feature', 'id', x.event_id, 'geometry', "
        "CASE WHEN x.latitude IS NOT NULL AND x.longitude IS NOT NULL THEN json_object("
        "'type', 'Point', 'coordinates', json_array(x.longitude, x.latitude)) END, "
        f"'properties', json_object({props})) FROM ({base}) x",
        params,
    )
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"type": "FeatureCollection", "features": [')
        first = True
        while rows := cur.fetchmany(10_000):
            for (feature,) in rows:
                fh.write(("\n" if first else ",\n") + feature)
                first = False
        fh.write("\n]}\n")


def _write_parquet(events: list[dict[str, Any]], path: Path) -> None:
    """Events (dicts from query_events) through :func:`acled_row` into Parquet: rows go to a
    temporary JSON-lines file that DuckDB reads in one pass (row-by-row inserts took 216 s
    for 50,000 events)."""
    import os
    import tempfile

    import duckdb

    fd, tmp = tempfile.mkstemp(suffix=".jsonl", prefix="eventscope-export-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for ev in events:
                row = acled_row(ev, inter_numeric=True)
                fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        types = ", ".join(f"'{c}': '{_PARQUET_TYPES.get(c, 'VARCHAR')}'" for c in CSV_COLUMNS)
        con = duckdb.connect(":memory:")
        try:
            con.execute(
                f"COPY (SELECT * FROM read_json({_literal(tmp)}, format = 'newline_delimited', "
                f"columns = {{{types}}})) TO {_literal(path)} (FORMAT parquet)"
            )
        finally:
            con.close()
    finally:
        os.unlink(tmp)
