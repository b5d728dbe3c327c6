"""Cross-report merging: many articles reporting one incident make one event.

(Not :mod:`eventscope.extract.merge`, which joins the mentions of one event *inside* one
article; this module works across articles, in the store.)

Every event extracted from an article is stored as a **report** (table ``reports``). Two
reports *match* (:func:`compatible`) when all of these hold:

1. **type**: the same ACLED event type. (Measured on MUC-4's tuning part, the looser "same
   disorder family" (political violence, demonstrations, strategic developments) merged
   three times as many message pairs at half the precision: 0.185 against 0.400.) Reports
   without an ACLED type never merge.
2. **dates** compatible with their precisions: each date stands for an interval (day: the
   day; week ±7 days; month and year the whole month or year) and the intervals overlap; and
   either both are day-precise, or both are week-precise ("around the report") and within a
   day of each other. A day-precise report and a vague one are not merged on type, place
   and date alone: in a busy week (San Salvador, November 1989) that joined separate
   incidents. Undated reports never merge.
3. **places** compatible with their precisions: both finer than a country (``geo_precision``
   1 or 2, with coordinates), the same country, and either the same admin2 or coordinates
   within :data:`MAX_KM` for the coarser precision (10 km for towns: Lima and Callao, 12 km
   apart, had separate bombings on one day).
4. **actors** compatible: when both reports name actors beyond a kind of actor
   ("Unidentified Armed Group (Peru)", "Civilians (Peru)", "Military Forces of ...": any
   report fits them), at least one name agrees.

An event is a connected group of matching reports (single link), computed so that it depends
only on the set of reports and analysts' decisions, never on the order of ingestion: the
:func:`recluster` of the reports an article touches gives the same groups whichever article came
first. The event row is computed from its reports (:func:`aggregate`): the fields of its
representative report (the best date precision, then the best place precision, then the
highest confidence, then the smallest id: a total order, so deterministic), the earliest date
among the reports of the best date precision, fatalities as ACLED records them (the lowest
figure reported; a report silent on deaths gives no figure, so it does not pull a toll to 0),
``source_count`` (distinct articles) and ``source`` (their outlets). Its ``event_id`` is its
representative's report id, so an event reported once keeps the id extraction gave it.

Analysts' decisions (``merge_decisions``, written by :func:`split_event` and
:func:`merge_events`) name report pairs, whose ids are content-derived and survive
re-extraction: a "same" pair is joined whatever the matcher says, a "different" pair is never
joined, even through a third report (joins are made in a fixed order and a join that would put
a "different" pair together is skipped).

Candidates are found with one indexed query per article (country and a date window), so the
cost grows with the reports near the article's events, not with the size of the store
(``benchmarks/bench_merge.py``).
"""

from __future__ import annotations

import logging
import math
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from .acled import DISORDER_TYPE
from .errors import ConfigError, StoreError
from .records import Article

log = logging.getLogger(__name__)

# ACLED's disorder types (codebook 2023), by event type, are the family two reports must
# share: DISORDER_TYPE, imported from .acled, where the ACLED export also reads them.

#: Largest distance (km) between two reports' places, by the coarser geo_precision
#: (1 a town or village, 2 near a town / part of a region, 3 a region's centre). Set from
#: the sizes these precisions stand for in ACLED's codebook, checked on MUC-4's tuning part.
MAX_KM = {1: 10.0, 2: 25.0, 3: 50.0}
#: Half-width (days) of the interval a date stands for, by precision (month/year: calendar).
DATE_SLACK = {"day": 0, "week": 7}
PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}

_MATCH_COLUMNS = (
    "report_id",
    "event_id",
    "article_id",
    "event_type",
    "event_date",
    "date_precision",
    "actor1",
    "actor2",
    "actor1_type",
    "actor2_type",
    "country_code",
    "admin1",
    "admin2",
    "latitude",
    "longitude",
    "geo_precision",
)


# --------------------------------------------------------------------------- matching
def family(event_type: str | None) -> str | None:
    return DISORDER_TYPE.get(event_type or "")


def _as_date(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def date_interval(value: Any, precision: str | None) -> tuple[date, date] | None:
    """The days a date of this precision may stand for (None when there is no date)."""
    d = _as_date(value)
    if d is None:
        return None
    if precision == "month":
        nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        return d.replace(day=1), nxt - timedelta(days=1)
    if precision == "year":
        return date(d.year, 1, 1), date(d.year, 12, 31)
    slack = timedelta(days=DATE_SLACK.get(precision or "day", 1))
    return d - slack, d + slack


def dates_compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    ia = date_interval(a.get("event_date"), a.get("date_precision"))
    ib = date_interval(b.get("event_date"), b.get("date_precision"))
    if ia is None or ib is None:
        return False
    return ia[0] <= ib[1] and ib[0] <= ia[1]


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _norm(s: Any) -> str:
    return " ".join(str(s).lower().split()) if s else ""


def places_compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    ca, cb = a.get("country_code"), b.get("country_code")
    if not ca or not cb or ca.upper() != cb.upper():
        return False
    a2a, a2b = _norm(a.get("admin2")), _norm(b.get("admin2"))
    if a2a and a2b and a2a == a2b:
        return True
    la, oa, lb, ob = a.get("latitude"), a.get("longitude"), b.get("latitude"), b.get("longitude")
    if la is not None and oa is not None and lb is not None and ob is not None:
        prec = max(int(a.get("geo_precision") or 3), int(b.get("geo_precision") or 3))
        return km(la, oa, lb, ob) <= MAX_KM.get(prec, MAX_KM[3])
    a1a, a1b = _norm(a.get("admin1")), _norm(b.get("admin1"))
    return not (a1a and a1b and a1a != a1b)


def actors_compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """No contradiction between the actors: when both reports name actors (beyond a kind of
    actor such as "Unidentified Armed Group (Peru)" or "Civilians (Peru)", which fits any
    report), at least one name agrees."""
    named_a, named_b = _named(a), _named(b)
    return not (named_a and named_b and not named_a & named_b)


#: Actor names that say who only by kind ("Unidentified Armed Group (Peru)", "Civilians
#: (Peru)"): two reports naming them share no identifying detail.
GENERIC_ACTOR_PREFIXES = (
    "unidentified",
    "civilians",
    "protesters",
    "rioters",
    "military forces of",
    "police forces of",
    "government of",
)


def _named(r: dict[str, Any]) -> set[str]:
    names = {_norm(r.get(k)) for k in ("actor1", "actor2")}
    return {n for n in names if n and not n.startswith(GENERIC_ACTOR_PREFIXES)}


def _specific_place(r: dict[str, Any]) -> bool:
    """A place finer than a country: a town or a part of a region (geo_precision 1-2)."""
    return r.get("geo_precision") in (1, 2) and r.get("latitude") is not None


def compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two reports (or a report and an imported ACLED event) describe one event."""
    if a.get("event_type") is None or a.get("event_type") != b.get("event_type"):
        return False
    if a.get("article_id") is not None and a.get("article_id") == b.get("article_id"):
        return False  # one article's events were already merged by extraction
    if not (_specific_place(a) and _specific_place(b)):
        return False
    if not (dates_compatible(a, b) and places_compatible(a, b) and actors_compatible(a, b)):
        return False
    pa, pb = a.get("date_precision"), b.get("date_precision")
    if pa == "day" and pb == "day":
        return True
    if pa == "week" and pb == "week":
        # Both dated only by their reports ("around" the publication date): reports of one
        # news cycle, published within a day of each other.
        da, db = _as_date(a.get("event_date")), _as_date(b.get("event_date"))
        return da is not None and db is not None and abs((da - db).days) <= 1
    # A precise date and a vague one (or a month, a year) fit too many incidents of a
    # busy week to be merged on type, place and date alone (MUC-4 tuning: see the module
    # docstring); they stay apart unless an analyst joins them.
    return False


# --------------------------------------------------------------------------- candidates
#: Precisions a report must have to be merged at all (see :func:`compatible`).
MERGEABLE_PRECISIONS = ("day", "week")


def _window(rows: Sequence[dict[str, Any]]) -> tuple[list[str], date, date] | None:
    """The countries and the days (±1) where :func:`compatible` may find a match."""
    countries: set[str] = set()
    lo: date | None = None
    hi: date | None = None
    for r in rows:
        d = _as_date(r.get("event_date"))
        if d is None or r.get("date_precision") not in MERGEABLE_PRECISIONS:
            continue
        if not r.get("country_code") or r.get("event_type") is None:
            continue
        countries.add(str(r["country_code"]))
        lo = d if lo is None else min(lo, d)
        hi = d if hi is None else max(hi, d)
    if not countries or lo is None or hi is None:
        return None
    return sorted(countries), lo - timedelta(days=1), hi + timedelta(days=1)


def _window_sql(table: str, rows: Sequence[dict[str, Any]]) -> tuple[str, list[Any]] | None:
    """WHERE clause selecting rows of ``table`` that :func:`compatible` may match with
    ``rows``: the same countries, day- or week-precise, within a day of their dates."""
    w = _window(rows)
    if w is None:
        return None
    countries, lo, hi = w
    sql = (
        f"{table}.event_date BETWEEN ? AND ? "
        f"AND {table}.country_code IN ({', '.join('?' for _ in countries)}) "
        f"AND {table}.date_precision IN ('day', 'week')"
    )
    return sql, [lo, hi, *countries]


def _fetch(store: Any, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    cur = store.con.execute(sql, list(params))
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def candidates(store: Any, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored reports that may match any of ``rows`` (one indexed query)."""
    w = _window_sql("r", rows)
    if w is None:
        return []
    sql, params = w
    return _fetch(store, f"SELECT {', '.join(_MATCH_COLUMNS)} FROM reports r WHERE {sql}", params)


# --------------------------------------------------------------------------- clustering
def _decisions(store: Any, ids: Iterable[str]) -> dict[tuple[str, str], bool]:
    """The latest analyst decision on each pair touching ``ids``: True = same event."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    rows = store.con.execute(
        "SELECT report_a, report_b, same FROM merge_decisions "
        "WHERE report_a IN (SELECT unnest(?)) OR report_b IN (SELECT unnest(?)) "
        "ORDER BY created_at, decision_id",
        [ids, ids],
    ).fetchall()
    out: dict[tuple[str, str], bool] = {}
    for a, b, same in rows:
        out[(min(a, b), max(a, b))] = bool(same)
    return out


def cluster(
    rows: Sequence[dict[str, Any]], decisions: dict[tuple[str, str], bool], *, merge: bool = True
) -> list[list[str]]:
    """Group reports into events: analysts' "same" pairs first, then matching pairs, in id
    order; a join that would put an analyst's "different" pair into one event is skipped.
    The result depends only on ``rows`` and ``decisions``, never on their order."""
    by_id = {r["report_id"]: r for r in rows}
    ids = sorted(by_id)
    parent = {i: i for i in ids}
    members = {i: {i} for i in ids}
    apart: dict[str, set[str]] = {}
    for (a, b), same in decisions.items():
        if not same and a in by_id and b in by_id:
            apart.setdefault(a, set()).add(b)
            apart.setdefault(b, set()).add(a)

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra == rb:
            return
        ma, mb = members[ra], members[rb]
        if any(apart.get(x, set()) & mb for x in ma):
            return
        if rb < ra:
            ra, rb = rb, ra
        parent[rb] = ra
        members[ra] = ma | mb
        del members[rb]

    for (a, b), same in sorted(decisions.items()):
        if same and a in by_id and b in by_id:
            join(a, b)
    if merge:
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                if (a, b) in decisions:
                    continue
                if compatible(by_id[a], by_id[b]):
                    join(a, b)
    return sorted(sorted(m) for m in members.values())


def _rep_key(r: dict[str, Any]) -> tuple[Any, ...]:
    return (
        PRECISION_RANK.get(r.get("date_precision") or "", 9),
        r.get("geo_precision") or 9,
        -(r.get("confidence") or 0.0),
        r["report_id"],
    )


def lowest_figure(values: Iterable[int | None]) -> int | None:
    """ACLED's fatality rule across reports: the lowest figure reported. A report that gives
    no figure (0: extraction's "none reported") is no figure, so 12 and 0 give 12."""
    figures = [int(v) for v in values if v]
    return min(figures) if figures else None


def aggregate(reports: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The event row of a group of reports (full report rows)."""
    ordered = sorted(reports, key=_rep_key)
    rep = ordered[0]
    out = {k: v for k, v in rep.items() if k not in ("report_id", "url", "outlet")}
    out["event_id"] = rep["report_id"]
    best = PRECISION_RANK.get(rep.get("date_precision") or "", 9)
    dated = [
        _as_date(r.get("event_date"))
        for r in ordered
        if PRECISION_RANK.get(r.get("date_precision") or "", 9) == best
    ]
    dates = [d for d in dated if d is not None]
    if dates:
        out["event_date"] = min(dates)
    out["fatalities"] = lowest_figure(r.get("fatalities") for r in reports) or 0
    out["injuries"] = lowest_figure(r.get("injuries") for r in reports)
    if out["injuries"] is None and any(r.get("injuries") == 0 for r in reports):
        out["injuries"] = 0
    out["confidence"] = max((r.get("confidence") or 0.0) for r in reports)
    out["source_count"] = len({r["article_id"] for r in reports})
    outlets = sorted({r["outlet"] for r in reports if r.get("outlet")})
    out["source"] = "; ".join(outlets) if outlets else None
    out["origin"] = "machine"
    return out


def _report_rows(store: Any, where: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    return _fetch(store, f"SELECT * FROM reports WHERE {where}", params)


def recluster(
    store: Any,
    new_report_ids: Sequence[str],
    old_event_ids: Sequence[str] = (),
    *,
    merge: bool = True,
) -> list[str]:
    """Regroup the events that ``new_report_ids`` (just stored) and the removal of reports of
    ``old_event_ids`` touch, and rewrite their ``events`` rows. Runs inside the caller's
    transaction. Returns the ids of the events written."""
    clusters: set[str] = set(old_event_ids)
    new = (
        _report_rows(store, "report_id IN (SELECT unnest(?))", [sorted(new_report_ids)])
        if new_report_ids
        else []
    )
    new_ids = {r["report_id"] for r in new}
    if merge and new:
        for cand in candidates(store, new):
            if cand["report_id"] in new_ids or cand["event_id"] in clusters:
                continue
            if any(compatible(n, cand) for n in new):
                clusters.add(cand["event_id"])
    # Reports an analyst paired with these (either verdict) are regrouped with them.
    seed = new_ids | set(clusters)
    if clusters:
        seed |= {
            r[0]
            for r in store.con.execute(
                "SELECT report_id FROM reports WHERE event_id IN (SELECT unnest(?))",
                [sorted(clusters)],
            ).fetchall()
        }
    decided = _decisions(store, seed)
    linked = {x for pair in decided for x in pair} - seed
    if linked:
        clusters |= {
            r[0]
            for r in store.con.execute(
                "SELECT event_id FROM reports WHERE report_id IN (SELECT unnest(?))",
                [sorted(linked)],
            ).fetchall()
        }
    rows = list(new)
    if clusters:
        rows += [
            r
            for r in _report_rows(store, "event_id IN (SELECT unnest(?))", [sorted(clusters)])
            if r["report_id"] not in new_ids
        ]
    if clusters:
        store.con.execute(
            "DELETE FROM events WHERE origin = 'machine' AND event_id IN (SELECT unnest(?))",
            [sorted(clusters)],
        )
    if not rows:
        return []
    decided = _decisions(store, [r["report_id"] for r in rows])
    by_id = {r["report_id"]: r for r in rows}
    written: list[str] = []
    events = []
    for group in cluster(rows, decided, merge=merge):
        ev = aggregate([by_id[i] for i in group])
        events.append((ev, group))
    acled = _acled_candidates(store, rows) if merge and _has_acled(store) else []
    for ev, group in events:
        links = sorted(a["event_id"] for a in acled if any(compatible(by_id[i], a) for i in group))
        ev["acled_link"] = links[0] if links else None
        moved = [i for i in group if by_id[i]["event_id"] != ev["event_id"]]
        if moved:
            store.con.execute(
                "UPDATE reports SET event_id = ? WHERE report_id IN (SELECT unnest(?))",
                [ev["event_id"], moved],
            )
        written.append(ev["event_id"])
    _write_events(store, [ev for ev, _ in events])
    return written


def _has_acled(store: Any) -> bool:
    """Whether the store holds imported ACLED events (asked once per connection; an import
    through this connection sets it)."""
    known = getattr(store, "_has_acled_events", None)
    if known is None:
        known = (
            store.con.execute("SELECT 1 FROM events WHERE origin = 'acled' LIMIT 1").fetchone()
            is not None
        )
        store._has_acled_events = known
    return bool(known)


def _acled_candidates(store: Any, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    w = _window_sql("e", rows)
    if w is None:
        return []
    sql, params = w
    cols = ", ".join(f"e.{c}" for c in _MATCH_COLUMNS if c not in ("report_id",))
    found = _fetch(store, f"SELECT {cols} FROM events e WHERE e.origin = 'acled' AND {sql}", params)
    for f in found:
        f["article_id"] = None
    return found


def _write_events(store: Any, events: Sequence[dict[str, Any]]) -> None:
    """Insert event rows, many per statement."""
    from .store import EVENT_COLUMNS

    one = "(" + ", ".join("?" for _ in EVENT_COLUMNS) + ")"
    for i in range(0, len(events), 100):
        chunk = events[i : i + 100]
        values: list[Any] = [
            [] if ev.get(c) is None and c.startswith("assoc_actor") else ev.get(c)
            for ev in chunk
            for c in EVENT_COLUMNS
        ]
        store.con.execute(
            f"INSERT OR REPLACE INTO events ({', '.join(EVENT_COLUMNS)}) VALUES "
            + ", ".join(one for _ in chunk),
            values,
        )


def link_acled(store: Any, acled_events: Sequence[dict[str, Any]]) -> int:
    """After an import: set ``acled_link`` on machine events that match the imported ACLED
    events (the smallest matching ACLED id). Returns how many machine events were linked."""
    if not acled_events:
        return 0
    cands = candidates(store, acled_events)
    touched = sorted({c["event_id"] for c in cands if any(compatible(c, a) for a in acled_events)})
    n = 0
    for eid in touched:
        reps = _report_rows(store, "event_id = ?", [eid])
        acled = _acled_candidates(store, reps)
        links = sorted(a["event_id"] for a in acled if any(compatible(r, a) for r in reps))
        store.con.execute(
            "UPDATE events SET acled_link = ? WHERE event_id = ?",
            [links[0] if links else None, eid],
        )
        n += bool(links)
    return n


def remerge_all(store: Any, *, merge: bool = True) -> int:
    """Regroup every stored report (after a migration from schema 1, or a change of the
    matching rules). Returns the number of machine events afterwards."""
    ids = [
        r[0]
        for r in store.con.execute("SELECT report_id FROM reports ORDER BY report_id").fetchall()
    ]
    with store.transaction():
        store.con.execute("DELETE FROM events WHERE origin = 'machine'")
        store.con.execute("UPDATE reports SET event_id = report_id")
        for i in range(0, len(ids), 500):
            recluster(store, ids[i : i + 500], merge=merge)
    return int(
        store.con.execute("SELECT count(*) FROM events WHERE origin = 'machine'").fetchone()[0]
    )


# --------------------------------------------------------------------------- analysts
def reports_of(store: Any, event_id: str) -> list[dict[str, Any]]:
    """The reports of an event: article, URL, outlet, each report's own date and figures,
    and its evidence spans (offsets into that report's article)."""
    rows = _report_rows(store, "event_id = ? ORDER BY report_id", [event_id])
    out = []
    for r in rows:
        ev = store.con.execute(
            'SELECT field, "start", "end" FROM evidence WHERE event_id = ? ORDER BY "start", field',
            [r["report_id"]],
        ).fetchall()
        out.append(
            {
                "report_id": r["report_id"],
                "article_id": r["article_id"],
                "url": r["url"],
                "outlet": r["outlet"],
                "event_type": r["event_type"],
                "event_date": r["event_date"].isoformat() if r["event_date"] else None,
                "date_precision": r["date_precision"],
                "location": r["location"],
                "fatalities": r["fatalities"],
                "injuries": r["injuries"],
                "evidence": [{"field": f, "start": s, "end": e} for f, s, e in ev],
            }
        )
    return out


def _decide(
    store: Any, pairs: Iterable[tuple[str, str]], same: bool, author: str, note: str | None
) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    for a, b in pairs:
        if a == b:
            continue
        store.con.execute(
            "INSERT INTO merge_decisions VALUES (?, ?, ?, ?, ?, ?, ?)",
            [uuid.uuid4().hex, min(a, b), max(a, b), same, author, note, now],
        )
        now += timedelta(microseconds=1)


def _members(store: Any, event_id: str) -> list[str]:
    ids = [
        r[0]
        for r in store.con.execute(
            "SELECT report_id FROM reports WHERE event_id = ? ORDER BY report_id", [event_id]
        ).fetchall()
    ]
    if not ids:
        raise LookupError(event_id)
    return ids


def split_event(
    store: Any, event_id: str, report_ids: Sequence[str], *, author: str, note: str | None = None
) -> list[str]:
    """Take ``report_ids`` out of event ``event_id`` into an event of their own. Recorded as
    analysts' decisions on report pairs, so it survives re-extraction and re-merging.
    Returns the ids of the resulting events."""
    author = (author or "").strip()
    if not author:
        raise ConfigError("a split needs an author (who made it)")
    members = _members(store, event_id)
    out = sorted(set(report_ids))
    rest = [m for m in members if m not in out]
    if not out or any(r not in members for r in out):
        raise ConfigError(f"give reports of event {event_id} to split off: {', '.join(members)}")
    if not rest:
        raise ConfigError("a split must leave at least one report in the event")
    duckdb = __import__("duckdb")
    try:
        with store.transaction():
            _decide(store, [(a, b) for a in out for b in rest], False, author, note)
            _decide(store, [(out[0], x) for x in out[1:]], True, author, note)
            _decide(store, [(rest[0], x) for x in rest[1:]], True, author, note)
            written = recluster(store, [], [event_id])
    except duckdb.Error as exc:
        raise StoreError(f"{store.path}: cannot split {event_id}: {exc}") from exc
    return written


def merge_events(
    store: Any, event_ids: Sequence[str], *, author: str, note: str | None = None
) -> str:
    """Merge machine events into one (an analyst's decision that survives re-extraction).
    Returns the id of the merged event."""
    author = (author or "").strip()
    if not author:
        raise ConfigError("a merge needs an author (who made it)")
    ids = sorted(set(event_ids))
    if len(ids) < 2:
        raise ConfigError("give at least two events to merge")
    firsts = [_members(store, e)[0] for e in ids]
    duckdb = __import__("duckdb")
    try:
        with store.transaction():
            _decide(store, [(firsts[0], x) for x in firsts[1:]], True, author, note)
            written = recluster(store, [], ids)
    except duckdb.Error as exc:
        raise StoreError(f"{store.path}: cannot merge {', '.join(ids)}: {exc}") from exc
    containing = store.con.execute(
        "SELECT event_id FROM reports WHERE report_id = ?", [firsts[0]]
    ).fetchone()
    return str(containing[0]) if containing else written[0]


def outlet_of(article: Article) -> str | None:
    """The outlet that published an article, never a local path: a name the input gave
    (``outlet``, ``source_name``, ``publisher``, ``sitename``, a feed's title), else the host
    of its URL without ``www.``."""
    for key in ("outlet", "source_name", "publisher", "sitename", "feed_title"):
        v = article.extra.get(key)
        if isinstance(v, str) and v.strip():
            return v.strip()
    if article.url:
        host = urlsplit(article.url).hostname or ""
        host = host.removeprefix("www.")
        if host:
            return host
    return None
