"""Filtering and reading events from the store; shared by the CLI, the exports and the web API.

Events are read as analysts see them: machine output with their corrections applied
(:data:`eventscope.corrections.CORRECTED_EVENTS_SQL`), so filters, lists, counts, statistics
and exports all use corrected values; rejected events are left out unless asked for.

SQL is never built from user strings: filters become a fixed WHERE clause with ``?``
parameters, and sort columns, grouping dimensions and intervals come from whitelists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .corrections import CORRECTED_EVENTS_BY_ID_SQL, CORRECTED_EVENTS_SQL
from .errors import ConfigError
from .store import ORIGINS, Store

SORTABLE = (
    "event_date", "fatalities", "country", "event_type", "confidence", "event_id",
    "sub_event_type", "admin1", "location", "actor1", "actor2", "injuries",
)
#: Dimensions the counts can be grouped by (column names of the events).
DIMENSIONS = ("country", "country_code", "admin1", "event_type", "sub_event_type", "actor1",
              "actor1_type", "plover")
INTERVALS = ("day", "week", "month", "year")

# Article columns joined to each listed event (its source) and the event's sentence, which
# exports write to ACLED's ``notes`` column.
_SOURCE_COLUMNS = (
    "a.doc_id, a.title, a.url, a.published, "
    "CAST(epoch(a.ingested_at) AS BIGINT) AS ingested_epoch, "
    "coalesce(e.notes, CASE WHEN e.sentence_start IS NOT NULL "
    "AND e.sentence_end > e.sentence_start "
    "THEN substring(a.text, e.sentence_start + 1, e.sentence_end - e.sentence_start) "
    "END) AS notes"
)
# ``e.notes`` (imported ACLED notes) is selected once, as ``notes`` above.
_EVENT_COLUMNS = "e.* EXCLUDE (notes)"


def events_from() -> str:
    """The FROM clause every event query uses: corrected events as ``e``."""
    return f"({CORRECTED_EVENTS_SQL}) e"


@dataclass(slots=True)
class EventFilter:
    """Filters on the event list; ``None`` means no filter on that field."""

    since: date | None = None
    until: date | None = None
    country: str | None = None  # name or ISO alpha-2, case-insensitive
    admin1: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor: str | None = None  # substring of actor1/actor2/assoc actors, case-insensitive
    min_fatalities: int | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    text: str | None = None  # substring of the article text or title, an actor or location
    article_id: str | None = None
    event_ids: list[str] = field(default_factory=list)
    include_rejected: bool = False  # rejected events are hidden unless this is set
    origin: str | None = None  # 'machine' (coded from articles) or 'acled' (imported)

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if not self.include_rejected:
            clauses.append("NOT e.rejected")
        if self.origin:
            if self.origin not in ORIGINS:
                raise ConfigError(
                    f"unknown origin {self.origin!r}; choose one of {', '.join(ORIGINS)}"
                )
            clauses.append("e.origin = ?")
            params.append(self.origin)
        if self.since:
            clauses.append("e.event_date >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("e.event_date <= ?")
            params.append(self.until)
        if self.country and self.country.strip():
            name = " ".join(self.country.split())
            code = country_code(name)
            if code is not None:
                clauses.append("(lower(e.country) = lower(?) OR upper(e.country_code) = ?)")
                params += [name, code]
            else:
                clauses.append("lower(e.country) = lower(?)")
                params.append(name)
        if self.admin1:
            clauses.append("lower(e.admin1) = lower(?)")
            params.append(self.admin1)
        if self.event_type:
            clauses.append("lower(e.event_type) = lower(?)")
            params.append(self.event_type)
        if self.sub_event_type:
            clauses.append("lower(e.sub_event_type) = lower(?)")
            params.append(self.sub_event_type)
        if self.actor:
            clauses.append(
                f"(e.actor1 ILIKE ? {_ESC} OR e.actor2 ILIKE ? {_ESC} OR "
                f"array_to_string(e.assoc_actor_1, '|') ILIKE ? {_ESC} OR "
                f"array_to_string(e.assoc_actor_2, '|') ILIKE ? {_ESC})"
            )
            pat = f"%{_escape_like(self.actor)}%"
            params += [pat] * 4
        if self.min_fatalities is not None:
            clauses.append("e.fatalities >= ?")
            params.append(int(self.min_fatalities))
        if self.bbox:
            west, south, east, north = self.bbox
            clauses.append("e.latitude BETWEEN ? AND ?")
            params += [south, north]
            if west <= east:
                clauses.append("e.longitude BETWEEN ? AND ?")
                params += [west, east]
            else:  # crosses the antimeridian
                clauses.append("(e.longitude >= ? OR e.longitude <= ?)")
                params += [west, east]
        if self.text:
            clauses.append(
                f"(e.actor1 ILIKE ? {_ESC} OR e.actor2 ILIKE ? {_ESC} OR e.location ILIKE ? {_ESC} "
                f"OR e.article_id IN (SELECT article_id FROM articles WHERE text ILIKE ? {_ESC} "
                f"OR title ILIKE ? {_ESC}))"
            )
            pat = f"%{_escape_like(self.text)}%"
            params += [pat] * 5
        if self.article_id:
            clauses.append("e.article_id = ?")
            params.append(self.article_id)
        if self.event_ids:
            clauses.append(f"e.event_id IN ({', '.join('?' for _ in self.event_ids)})")
            params += list(self.event_ids)
        sql = " AND ".join(clauses) if clauses else "TRUE"
        return sql, params


# A LIKE pattern has no escape character unless the query names one: without this clause
# "\\%" matched a backslash followed by anything, and a search for "%" found nothing.
_ESC = "ESCAPE '\\'"


def _escape_like(s: str) -> str:
    """``s`` as a literal inside a LIKE pattern (with :data:`_ESC`): %, _ and \\ escaped."""
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def country_code(value: str) -> str | None:
    """The ISO alpha-2 code a country filter means: a name ("Nigeria", "Ivory Coast"), an
    alpha-2 code ("ng") or an alpha-3 code ("NGA"), any case, spaces trimmed; None when
    it is none of these (the filter then compares names only)."""
    v = " ".join(value.split())
    if len(v) == 2 and v.isalpha():
        return v.upper()
    from .extract.knowledge import load_countries

    code = load_countries().code(v)
    return code.upper() if code else None


def event_type(value: str | None) -> str | None:
    """The ACLED event type ``value`` names (any case, trimmed), or ConfigError listing them.

    A filter on a type that does not exist would silently match nothing."""
    if value is None or not value.strip():
        return None
    from .records import ACLED_EVENT_TYPES

    wanted = " ".join(value.split()).lower()
    for t in ACLED_EVENT_TYPES:
        if t.lower() == wanted:
            return t
    raise ConfigError(
        f"unknown event type {value!r}; choose one of: {', '.join(ACLED_EVENT_TYPES)}"
    )


def parse_date(value: str | None, *, what: str = "date") -> date | None:
    """Parse a YYYY-MM-DD option, with an error a user can act on."""
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(f"{what} {value!r} is not a date; use YYYY-MM-DD") from exc


def query_events(
    store: Store,
    flt: EventFilter | None = None,
    *,
    limit: int | None = 100,
    offset: int = 0,
    sort: str = "event_date",
    descending: bool = True,
) -> list[dict[str, Any]]:
    """Events matching ``flt`` as JSON-ready dicts (dates as ISO strings), corrections applied.

    Each event also carries ``rejected``, ``corrected_fields`` and its source article's
    ``doc_id``, ``title``, ``url``, ``published`` and ``notes`` (the sentence it came from).
    """
    return query_page(store, flt, limit=limit, offset=offset, sort=sort,
                      descending=descending)[1]


def query_page(
    store: Store,
    flt: EventFilter | None = None,
    *,
    limit: int | None = 100,
    offset: int = 0,
    sort: str = "event_date",
    descending: bool = True,
) -> tuple[int, list[dict[str, Any]]]:
    """``(total, events)``: how many events match ``flt``, and one page of them."""
    flt = flt or EventFilter()
    if sort not in SORTABLE:
        raise ConfigError(f"cannot sort by {sort!r}; choose one of {', '.join(SORTABLE)}")
    where, params = flt.where()
    direction = "DESC" if descending else "ASC"
    order = f"ORDER BY e.{sort} {direction} NULLS LAST, e.event_id"
    if limit is None:  # everything (exports): one pass
        cur = store.con.execute(
            f"SELECT {_EVENT_COLUMNS}, {_SOURCE_COLUMNS} FROM {events_from()} "
            f"LEFT JOIN articles a ON a.article_id = e.article_id WHERE {where} {order}",
            params,
        )
        cols = [d[0] for d in cur.description]
        rows = [_row(cols, r) for r in cur.fetchall()]
        return len(rows), rows
    # A page: first the ids in order with the total (sorting narrow rows is what keeps a
    # page of 100,000 events fast; benchmarks/bench_api.py), then the full rows of those ids.
    found = store.con.execute(
        f"SELECT e.event_id, count(*) OVER () FROM {events_from()} WHERE {where} {order} "
        "LIMIT ? OFFSET ?",
        [*params, int(limit), int(offset)],
    ).fetchall()
    if not found:
        return (count_events(store, flt) if offset else 0), []
    total = int(found[0][1])
    ids = [r[0] for r in found]
    cur = store.con.execute(
        f"SELECT {_EVENT_COLUMNS}, {_SOURCE_COLUMNS} FROM ({CORRECTED_EVENTS_BY_ID_SQL}) e "
        "LEFT JOIN articles a ON a.article_id = e.article_id",
        [ids],
    )
    cols = [d[0] for d in cur.description]
    by_id = {r[0]: _row(cols, r) for r in cur.fetchall()}
    return total, [by_id[i] for i in ids if i in by_id]


def export_sql(
    flt: EventFilter | None = None, *, sort: str = "event_date", descending: bool = True
) -> tuple[str, list[Any]]:
    """The SQL (and its parameters) of every event matching ``flt`` with its source columns,
    as :func:`query_events` returns them: for exports that stream from DuckDB (``COPY``)."""
    if sort not in SORTABLE:
        raise ConfigError(f"cannot sort by {sort!r}; choose one of {', '.join(SORTABLE)}")
    where, params = (flt or EventFilter()).where()
    direction = "DESC" if descending else "ASC"
    return (
        f"SELECT {_EVENT_COLUMNS}, {_SOURCE_COLUMNS} FROM {events_from()} "
        f"LEFT JOIN articles a ON a.article_id = e.article_id WHERE {where} "
        f"ORDER BY e.{sort} {direction} NULLS LAST, e.event_id",
        params,
    )


def count_events(store: Store, flt: EventFilter | None = None) -> int:
    where, params = (flt or EventFilter()).where()
    row = store.con.execute(f"SELECT count(*) FROM {events_from()} WHERE {where}",
                            params).fetchone()
    return int(row[0])


def get_event(store: Store, event_id: str) -> dict[str, Any] | None:
    """One event (corrected, rejected or not) with its source columns, or None."""
    rows = query_events(store, EventFilter(event_ids=[event_id], include_rejected=True),
                        limit=1)
    return rows[0] if rows else None


def timeline(store: Store, flt: EventFilter | None = None, *,
             interval: str = "month") -> list[dict[str, Any]]:
    """Counts and fatalities per period (``interval`` of :data:`INTERVALS`), oldest first.

    Periods without events inside the range are included with zeros, so a chart's x axis
    is even; events without a date are left out.
    """
    if interval not in INTERVALS:
        raise ConfigError(f"unknown interval {interval!r}; choose one of {', '.join(INTERVALS)}")
    where, params = (flt or EventFilter()).where()
    rows = store.con.execute(
        f"SELECT CAST(date_trunc(?, e.event_date) AS DATE) AS period, count(*), "
        f"coalesce(sum(e.fatalities), 0) FROM {events_from()} "
        f"WHERE {where} AND e.event_date IS NOT NULL GROUP BY period ORDER BY period",
        [interval, *params],
    ).fetchall()
    found = {p: (int(n), int(f)) for p, n, f in rows}
    periods = _fill_periods(list(found), interval)
    return [
        {"period": p.isoformat(), "events": found.get(p, (0, 0))[0],
         "fatalities": found.get(p, (0, 0))[1]}
        for p in periods
    ]


MAX_FILLED_PERIODS = 5000


def _fill_periods(present: list[date], interval: str) -> list[date]:
    if not present:
        return []
    first, last = min(present), max(present)
    out = [first]
    cur = first
    while cur < last and len(out) < MAX_FILLED_PERIODS:
        cur = _next_period(cur, interval)
        out.append(cur)
    if len(out) >= MAX_FILLED_PERIODS:  # absurd range: show only periods with events
        return sorted(present)
    return out


def _next_period(d: date, interval: str) -> date:
    from datetime import timedelta

    if interval == "day":
        return d + timedelta(days=1)
    if interval == "week":
        return d + timedelta(days=7)
    if interval == "month":
        return date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return date(d.year + 1, 1, 1)


def counts_by(store: Store, flt: EventFilter | None = None, *, dimension: str = "country",
              limit: int = 50) -> list[dict[str, Any]]:
    """Counts and fatalities grouped by ``dimension`` (of :data:`DIMENSIONS`), largest first."""
    if dimension not in DIMENSIONS:
        raise ConfigError(
            f"cannot group by {dimension!r}; choose one of {', '.join(DIMENSIONS)}"
        )
    where, params = (flt or EventFilter()).where()
    rows = store.con.execute(
        f"SELECT e.{dimension} AS key, count(*) AS n, coalesce(sum(e.fatalities), 0) "
        f"FROM {events_from()} WHERE {where} GROUP BY key ORDER BY n DESC, key NULLS LAST "
        "LIMIT ?",
        [*params, int(limit)],
    ).fetchall()
    return [{"key": k, "events": int(n), "fatalities": int(f)} for k, n, f in rows]


def map_cells(store: Store, flt: EventFilter | None = None, *, cell: float | None,
              limit: int = 5000) -> list[dict[str, Any]]:
    """Events with coordinates for a map, clustered on a grid of ``cell`` degrees.

    Each cell gives its events' mean position, count and fatalities, and the id of its event
    with the most fatalities (the only one when ``events`` is 1). ``cell=None`` returns one
    entry per event.
    """
    where, params = (flt or EventFilter()).where()
    base = f"FROM {events_from()} WHERE {where} AND e.latitude IS NOT NULL " \
           "AND e.longitude IS NOT NULL"
    if cell is None:
        rows = store.con.execute(
            f"SELECT e.latitude, e.longitude, 1, e.fatalities, e.event_id, e.event_type {base} "
            "ORDER BY e.fatalities DESC, e.event_id LIMIT ?",
            [*params, int(limit)],
        ).fetchall()
    else:
        if not cell > 0:
            raise ConfigError("cell must be a positive number of degrees")
        rows = store.con.execute(
            "SELECT avg(e.latitude), avg(e.longitude), count(*), sum(e.fatalities), "
            # the cell's deadliest event (ties: the highest id, so the answer is deterministic)
            "arg_max(e.event_id, (e.fatalities, e.event_id)), "
            "arg_max(e.event_type, (e.fatalities, e.event_id)) "
            f"{base} GROUP BY floor(e.latitude / ?), floor(e.longitude / ?) "
            "ORDER BY count(*) DESC, sum(e.fatalities) DESC LIMIT ?",
            [*params, float(cell), float(cell), int(limit)],
        ).fetchall()
    return [
        {"latitude": round(lat, 5), "longitude": round(lon, 5), "events": int(n),
         "fatalities": int(f or 0), "event_id": eid, "event_type": et}
        for lat, lon, n, f, eid, et in rows
    ]


def facets(store: Store) -> dict[str, Any]:
    """What the filters can choose from: countries, types, the date range (rejected excluded)."""
    base = f"FROM {events_from()} WHERE NOT e.rejected"
    total, first, last = store.con.execute(
        f"SELECT count(*), min(e.event_date), max(e.event_date) {base}"
    ).fetchone()

    def distinct(col: str) -> list[dict[str, Any]]:
        rows = store.con.execute(
            f"SELECT e.{col}, count(*) AS n {base} AND e.{col} IS NOT NULL "
            f"GROUP BY e.{col} ORDER BY e.{col}"
        ).fetchall()
        return [{"value": v, "events": int(n)} for v, n in rows]

    return {
        "total": int(total),
        "first_date": first.isoformat() if first else None,
        "last_date": last.isoformat() if last else None,
        "countries": distinct("country"),
        "event_types": distinct("event_type"),
        "sub_event_types": distinct("sub_event_type"),
    }


def _row(cols: list[str], values: tuple[Any, ...]) -> dict[str, Any]:
    d: dict[str, Any] = {}
    for c, v in zip(cols, values, strict=True):
        if isinstance(v, date):
            v = v.isoformat()
        d[c] = v
    return d
