"""Analysts' corrections: kept apart from machine output, applied when events are read.

A correction is one row of the store's ``corrections`` table, never an edit of ``events``:

* a **field correction** (``field`` set, ``value`` the new value as JSON, ``null`` allowed for
  nullable fields) replaces the machine's value of that field;
* a **status row** (``field`` NULL) rejects the event (``rejected`` TRUE) or restores it
  (``rejected`` FALSE).

Every row names its author and carries a timestamp, and nothing is ever deleted, so the history
of an event is the list of its rows. The latest row per (event, field) wins. Because
re-extraction (``Store.add_result(replace=True)``) rewrites ``events`` but never touches
``corrections``, and event ids are content-derived, corrections survive re-extraction.

Corrections are applied on read by :data:`CORRECTED_EVENTS_SQL`, a fixed SQL expression (no user
string in it) that :mod:`eventscope.query` selects from, so the CLI, the exports and the web API
all see corrected values and filter on them.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

from .errors import ConfigError, KnowledgeError, StoreError
from .records import ACLED_EVENT_TYPES, ACTOR_TYPES, DATE_PRECISIONS, PLOVER_TYPES
from .store import Store

log = logging.getLogger(__name__)

MAX_TEXT = 500  # longest value of a text field an analyst may enter
MAX_NOTE = 4000
MAX_AUTHOR = 100


@lru_cache(maxsize=1)
def sub_event_types() -> tuple[str, ...]:
    """ACLED's sub-event types, read once from the shipped taxonomy (``data/taxonomy.yaml``)."""
    import yaml

    name = "taxonomy.yaml"
    try:
        raw = resources.files("eventscope.data").joinpath(name).read_text(encoding="utf-8")
        data = yaml.safe_load(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"data/{name}: cannot read the ACLED taxonomy: {exc}") from exc
    out: list[str] = []
    types = data.get("event_types") if isinstance(data, dict) else None
    if not isinstance(types, dict):
        raise KnowledgeError(f"data/{name}: no `event_types` mapping")
    for etype, spec in types.items():
        subs = spec.get("sub_event_types") if isinstance(spec, dict) else None
        if not isinstance(subs, dict) or not subs:
            raise KnowledgeError(f"data/{name}: event type {etype!r} has no sub_event_types")
        out.extend(str(s) for s in subs)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """What an analyst may write into one event field."""

    name: str
    kind: str  # text | choice | int | float | date | list
    sql_type: str  # DuckDB type of the events column (to cast the JSON value on read)
    nullable: bool = True
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "kind": self.kind, "nullable": self.nullable}
        if self.choices:
            d["choices"] = list(self.choices)
        if self.minimum is not None:
            d["minimum"] = self.minimum
        if self.maximum is not None:
            d["maximum"] = self.maximum
        return d


def _specs() -> dict[str, FieldSpec]:
    text = "text"
    specs = [
        FieldSpec("event_type", "choice", "VARCHAR", choices=ACLED_EVENT_TYPES),
        FieldSpec("sub_event_type", "choice", "VARCHAR", choices=()),  # filled lazily
        FieldSpec("plover", "choice", "VARCHAR", nullable=False, choices=PLOVER_TYPES),
        FieldSpec("event_date", "date", "DATE"),
        FieldSpec("date_precision", "choice", "VARCHAR", choices=DATE_PRECISIONS),
        FieldSpec("actor1", text, "VARCHAR"),
        FieldSpec("actor2", text, "VARCHAR"),
        FieldSpec("actor1_type", "choice", "VARCHAR", choices=ACTOR_TYPES),
        FieldSpec("actor2_type", "choice", "VARCHAR", choices=ACTOR_TYPES),
        FieldSpec("assoc_actor_1", "list", "VARCHAR[]", nullable=False),
        FieldSpec("assoc_actor_2", "list", "VARCHAR[]", nullable=False),
        FieldSpec("country", text, "VARCHAR"),
        FieldSpec("country_code", "text", "VARCHAR"),
        FieldSpec("admin1", text, "VARCHAR"),
        FieldSpec("admin2", text, "VARCHAR"),
        FieldSpec("location", text, "VARCHAR"),
        FieldSpec("latitude", "float", "DOUBLE", minimum=-90, maximum=90),
        FieldSpec("longitude", "float", "DOUBLE", minimum=-180, maximum=180),
        FieldSpec("geonameid", "int", "BIGINT", minimum=0),
        FieldSpec("geo_precision", "int", "INTEGER", minimum=1, maximum=3),
        # ACLED: fatalities is never unknown, 0 when no death is reported.
        FieldSpec("fatalities", "int", "INTEGER", nullable=False, minimum=0, maximum=1_000_000),
        FieldSpec("injuries", "int", "INTEGER", minimum=0, maximum=1_000_000),
    ]
    return {s.name: s for s in specs}


_SPECS = _specs()
#: Event fields an analyst may correct, in the contract's order.
CORRECTABLE_FIELDS: tuple[str, ...] = tuple(_SPECS)


def field_spec(name: str) -> FieldSpec:
    """The spec of a correctable field (``sub_event_type`` with the taxonomy's choices)."""
    spec = _SPECS.get(name)
    if spec is None:
        raise ConfigError(
            f"{name!r} is not a field an analyst can correct; choose one of "
            f"{', '.join(CORRECTABLE_FIELDS)}"
        )
    if name == "sub_event_type":
        return FieldSpec(spec.name, spec.kind, spec.sql_type, choices=sub_event_types())
    return spec


def field_specs() -> list[FieldSpec]:
    return [field_spec(n) for n in CORRECTABLE_FIELDS]


_ALPHA2 = re.compile(r"^[A-Z]{2}$")


def coerce_value(name: str, value: Any) -> Any:
    """Validate and normalise an analyst's value for field ``name`` (ConfigError if invalid).

    Strings from a form are accepted for every kind (``"12"`` for a count, ``"a; b"`` for a
    list); an empty string means "unknown" (None) where the field allows it.
    """
    spec = field_spec(name)
    if isinstance(value, str):
        value = value.strip()
        if value == "" and spec.kind != "list":
            value = None
    if value is None:
        if not spec.nullable:
            raise ConfigError(f"{name} cannot be empty")
        return None
    if spec.kind == "choice":
        if not isinstance(value, str):
            raise ConfigError(f"{name} must be a string")
        by_lower = {c.lower(): c for c in spec.choices}
        if value.lower() not in by_lower:
            raise ConfigError(f"{value!r} is not a valid {name}; choose one of "
                              f"{', '.join(spec.choices)}")
        return by_lower[value.lower()]
    if spec.kind == "text":
        if not isinstance(value, str):
            raise ConfigError(f"{name} must be a string")
        if len(value) > MAX_TEXT:
            raise ConfigError(f"{name} is longer than {MAX_TEXT} characters")
        if name == "country_code":
            value = value.upper()
            if not _ALPHA2.match(value):
                raise ConfigError(f"country_code {value!r} is not an ISO 3166-1 alpha-2 code")
        return value
    if spec.kind == "list":
        if isinstance(value, str):
            items = [v.strip() for v in value.split(";")]
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            items = [v.strip() for v in value]
        else:
            raise ConfigError(f"{name} must be a list of names (or names separated by ';')")
        items = [v for v in items if v]
        if any(len(v) > MAX_TEXT for v in items):
            raise ConfigError(f"a name in {name} is longer than {MAX_TEXT} characters")
        return items
    if spec.kind == "date":
        if not isinstance(value, str):
            raise ConfigError(f"{name} must be a date YYYY-MM-DD")
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError as exc:
            raise ConfigError(f"{name} {value!r} is not a date; use YYYY-MM-DD") from exc
    # numbers
    number: int | float
    if isinstance(value, bool):
        raise ConfigError(f"{name} must be a number")
    try:
        if spec.kind == "int":
            if isinstance(value, float) and not value.is_integer():
                raise ValueError(value)
            number = int(value)
        else:
            number = float(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{name} must be {'a whole' if spec.kind == 'int' else 'a'} "
                          f"number, not {value!r}") from exc
    if spec.kind == "float" and number != number:  # NaN
        raise ConfigError(f"{name} must be a number")
    if spec.minimum is not None and number < spec.minimum:
        raise ConfigError(f"{name} must be at least {spec.minimum:g}")
    if spec.maximum is not None and number > spec.maximum:
        raise ConfigError(f"{name} must be at most {spec.maximum:g}")
    return number


@dataclass(frozen=True, slots=True)
class Correction:
    """One analyst's correction (or rejection/restoration) of one event."""

    correction_id: str
    event_id: str
    field: str | None
    value: Any
    rejected: bool
    author: str
    note: str | None
    created_at: str  # ISO 8601, UTC

    @property
    def action(self) -> str:
        if self.field is not None:
            return "correct"
        return "reject" if self.rejected else "restore"

    def to_dict(self) -> dict[str, Any]:
        return {
            "correction_id": self.correction_id,
            "event_id": self.event_id,
            "action": self.action,
            "field": self.field,
            "value": self.value,
            "rejected": self.rejected,
            "author": self.author,
            "note": self.note,
            "created_at": self.created_at,
        }


def _check_author(author: str | None, note: str | None) -> tuple[str, str | None]:
    author = (author or "").strip()
    if not author:
        raise ConfigError("a correction needs an author (who made it)")
    if len(author) > MAX_AUTHOR:
        raise ConfigError(f"author is longer than {MAX_AUTHOR} characters")
    note = (note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE:
        raise ConfigError(f"note is longer than {MAX_NOTE} characters")
    return author, note


def _event_exists(store: Store, event_id: str) -> bool:
    return store.con.execute(
        "SELECT 1 FROM events WHERE event_id = ?", [event_id]
    ).fetchone() is not None


def _insert(store: Store, event_id: str, field: str | None, value: Any, rejected: bool,
            author: str, note: str | None) -> Correction:
    duckdb = __import__("duckdb")
    now = datetime.now(UTC).replace(tzinfo=None)
    try:
        with store.transaction():
            # History is ordered by time: keep timestamps strictly increasing per event even
            # when two corrections land within the clock's resolution.
            row = store.con.execute(
                "SELECT max(created_at) FROM corrections WHERE event_id = ?", [event_id]
            ).fetchone()
            if row and row[0] is not None and row[0] >= now:
                now = row[0] + timedelta(microseconds=1)
            cid = uuid.uuid4().hex
            store.con.execute(
                "INSERT INTO corrections VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [cid, event_id, field, json.dumps(value, ensure_ascii=False), rejected, author,
                 note, now],
            )
    except duckdb.Error as exc:
        raise StoreError(f"{store.path}: cannot store the correction: {exc}") from exc
    log.info("%s %s %s by %s", event_id, field or ("rejected" if rejected else "restored"),
             value, author)
    return Correction(cid, event_id, field, value, rejected, author, note, now.isoformat())


def correct(store: Store, event_id: str, field: str, value: Any, *, author: str,
            note: str | None = None) -> Correction:
    """Record that ``field`` of ``event_id`` should read ``value`` (validated first)."""
    author, note = _check_author(author, note)
    clean = coerce_value(field, value)
    if not _event_exists(store, event_id):
        raise LookupError(event_id)
    return _insert(store, event_id, field, clean, False, author, note)


def set_rejected(store: Store, event_id: str, rejected: bool, *, author: str,
                 note: str | None = None) -> Correction:
    """Reject an event (hidden from lists and exports by default) or restore it."""
    author, note = _check_author(author, note)
    if not _event_exists(store, event_id):
        raise LookupError(event_id)
    return _insert(store, event_id, None, None, bool(rejected), author, note)


def history(store: Store, event_id: str) -> list[Correction]:
    """Every correction of an event, oldest first."""
    rows = store.con.execute(
        "SELECT correction_id, event_id, field, value, rejected, author, note, created_at "
        "FROM corrections WHERE event_id = ? OR event_id IN "
        "(SELECT report_id FROM reports WHERE event_id = ?) ORDER BY created_at, correction_id",
        [event_id, event_id],
    ).fetchall()
    out = []
    for cid, eid, fld, val, rej, author, note, created in rows:
        out.append(Correction(cid, eid, fld, json.loads(val) if val is not None else None,
                              bool(rej), author, note,
                              created.isoformat() if hasattr(created, "isoformat") else created))
    return out


def all_corrections(store: Store, *, limit: int = 100, offset: int = 0,
                    orphaned_only: bool = False) -> tuple[int, list[dict[str, Any]]]:
    """The audit log of every correction, newest first: ``(total, rows)``.

    Each row says whether its event still exists (``orphaned`` is true when re-extraction
    with a new pipeline version gave the event another id, so the correction no longer
    applies and an analyst should carry it over).
    """
    # A correction made on an event whose reports have since merged into another event
    # still applies (it follows its report): orphaned only when neither exists.
    orphan = "(ev.event_id IS NULL AND r.report_id IS NULL)"
    where = f"WHERE {orphan}" if orphaned_only else ""
    base = (
        "FROM corrections c LEFT JOIN events ev ON ev.event_id = c.event_id "
        f"LEFT JOIN reports r ON r.report_id = c.event_id {where}"
    )
    total = int(store.con.execute(f"SELECT count(*) {base}").fetchone()[0])
    rows = store.con.execute(
        "SELECT c.correction_id, c.event_id, c.field, c.value, c.rejected, c.author, c.note, "
        f"c.created_at, {orphan} {base} "
        "ORDER BY c.created_at DESC, c.correction_id DESC LIMIT ? OFFSET ?",
        [int(limit), int(offset)],
    ).fetchall()
    out = []
    for cid, eid, fld, val, rej, author, note, created, orphan in rows:
        c = Correction(cid, eid, fld, json.loads(val) if val is not None else None, bool(rej),
                       author, note, created.isoformat())
        out.append({**c.to_dict(), "orphaned": bool(orphan)})
    return total, out


def _corrected_events_sql(events: str = "events") -> str:
    """SELECT of the events in ``events`` with the latest correction of each field applied.

    Built from the fixed field list and a fixed ``events`` relation; it holds no user input.
    """
    pivots = []
    cols = []
    for name in ("event_id", "article_id"):
        cols.append(f"e.{name}")
    from .store import EVENT_COLUMNS

    for name in EVENT_COLUMNS:
        if name in ("event_id", "article_id"):
            continue
        spec = _SPECS.get(name)
        if spec is None:
            cols.append(f"e.{name}")
            continue
        pivots.append(f"any_value(value) FILTER (WHERE field = '{name}') AS v_{name}")
        if spec.kind == "list":
            expr = f"coalesce(CAST(p.v_{name} AS VARCHAR[]), [])"
        elif spec.sql_type == "VARCHAR":
            expr = f"(p.v_{name} ->> '$')"
        else:
            expr = f"CAST(p.v_{name} ->> '$' AS {spec.sql_type})"
        cols.append(f"CASE WHEN p.v_{name} IS NULL THEN e.{name} ELSE {expr} END AS {name}")
    cols.append("coalesce(p.rejected, FALSE) AS rejected")
    cols.append("coalesce(p.corrected_fields, []) AS corrected_fields")
    return (
        "SELECT " + ", ".join(cols) + f" FROM {events} e LEFT JOIN ("
        "SELECT event_id, "
        "bool_or(rejected) FILTER (WHERE field IS NULL) AS rejected, "
        "list(field ORDER BY field) FILTER (WHERE field IS NOT NULL) AS corrected_fields, "
        + ", ".join(pivots)
        + " FROM (SELECT *, row_number() OVER (PARTITION BY event_id, coalesce(field, '') "
        "ORDER BY created_at DESC, correction_id DESC) AS rn FROM ("
        # A correction names the event id it was made on; when reports have since merged
        # into (or split from) that event, it follows the report of that id.
        "SELECT c.* REPLACE (coalesce(r.event_id, c.event_id) AS event_id) FROM corrections c "
        "LEFT JOIN reports r ON r.report_id = c.event_id)) "
        "WHERE rn = 1 GROUP BY event_id) p ON p.event_id = e.event_id"
    )


#: Events as analysts see them: machine output with corrections applied, plus ``rejected``
#: and ``corrected_fields`` columns. Select from it as a subquery: ``FROM (...) e``.
CORRECTED_EVENTS_SQL = _corrected_events_sql()
#: The same for a list of event ids given as its one ``?`` parameter (fast for one page).
CORRECTED_EVENTS_BY_ID_SQL = _corrected_events_sql(
    "(SELECT * FROM events WHERE event_id IN (SELECT unnest(?)))"
)


def machine_values(store: Store, event_id: str, fields: list[str]) -> dict[str, Any]:
    """The machine's own values of ``fields`` (what the corrections replaced)."""
    wanted = [f for f in fields if f in _SPECS]
    if not wanted:
        return {}
    cur = store.con.execute(
        f"SELECT {', '.join(wanted)} FROM events WHERE event_id = ?", [event_id]
    )
    row = cur.fetchone()
    if row is None:
        return {}
    out = {}
    for k, v in zip(wanted, row, strict=True):
        out[k] = v.isoformat() if hasattr(v, "isoformat") else v
    return out
