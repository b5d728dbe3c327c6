"""Filtering and reading events from the store; shared by the CLI, the exports and the web API.

SQL is never built from user strings: filters become a fixed WHERE clause with ``?``
parameters, and sort columns come from a whitelist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .errors import ConfigError
from .store import Store

SORTABLE = ("event_date", "fatalities", "country", "event_type", "confidence", "event_id")


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
    text: str | None = None  # substring of the article text or title
    article_id: str | None = None
    event_ids: list[str] = field(default_factory=list)

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.since:
            clauses.append("e.event_date >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("e.event_date <= ?")
            params.append(self.until)
        if self.country:
            clauses.append("(lower(e.country) = lower(?) OR lower(e.country_code) = lower(?))")
            params += [self.country, self.country]
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
                "(e.actor1 ILIKE ? OR e.actor2 ILIKE ? OR "
                "array_to_string(e.assoc_actor_1, '|') ILIKE ? OR "
                "array_to_string(e.assoc_actor_2, '|') ILIKE ?)"
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
                "e.article_id IN (SELECT article_id FROM articles WHERE text ILIKE ? OR title ILIKE ?)"
            )
            pat = f"%{_escape_like(self.text)}%"
            params += [pat, pat]
        if self.article_id:
            clauses.append("e.article_id = ?")
            params.append(self.article_id)
        if self.event_ids:
            clauses.append(f"e.event_id IN ({', '.join('?' for _ in self.event_ids)})")
            params += list(self.event_ids)
        sql = " AND ".join(clauses) if clauses else "TRUE"
        return sql, params


def _escape_like(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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
    """Events matching ``flt`` as JSON-ready dicts (dates as ISO strings)."""
    flt = flt or EventFilter()
    if sort not in SORTABLE:
        raise ConfigError(f"cannot sort by {sort!r}; choose one of {', '.join(SORTABLE)}")
    where, params = flt.where()
    direction = "DESC" if descending else "ASC"
    sql = (
        f"SELECT e.* FROM events e WHERE {where} "
        f"ORDER BY e.{sort} {direction} NULLS LAST, e.event_id"
    )
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = params + [int(limit), int(offset)]
    cur = store.con.execute(sql, params)
    cols = [d[0] for d in cur.description]
    return [_row(cols, r) for r in cur.fetchall()]


def count_events(store: Store, flt: EventFilter | None = None) -> int:
    where, params = (flt or EventFilter()).where()
    return int(store.con.execute(f"SELECT count(*) FROM events e WHERE {where}", params).fetchone()[0])


def _row(cols: list[str], values: tuple[Any, ...]) -> dict[str, Any]:
    d: dict[str, Any] = {}
    for c, v in zip(cols, values, strict=True):
        if isinstance(v, date):
            v = v.isoformat()
        d[c] = v
    return d
