"""ACLED's own files: import an ACLED export beside the machine-coded events, and the
conventions the ACLED CSV export shares with the import (actor-type labels, disorder types,
regions, time precision).

:func:`import_acled` reads an ACLED CSV export in either column set:

* the current one (2023 on: ``event_id_cnty, event_date, year, time_precision,
  disorder_type, event_type, sub_event_type, actor1, assoc_actor_1, inter1, ..., interaction,
  civilian_targeting, iso, region, country, admin1, admin2, admin3, location, latitude,
  longitude, geo_precision, source, source_scale, notes, fatalities, tags, timestamp``);
* the pre-2019 one (``data_id, iso, event_id_cnty, event_id_no_cnty, event_date, year,
  time_precision, event_type, actor1, ally_actor_1, inter1, ...``, no sub-event type, the
  2015 event types such as ``Battle-No change of territory`` or ``Riots/Protests``), and the
  2019-2022 one between them.

``inter1``/``inter2`` may be numeric codes (1-8) or text labels ("State forces", and the
older plural "State Forces", "Rebel Groups", ...); dates ISO (``2020-04-29``), ACLED's
"29 April 2020", or day-first ``29/04/2020``. Column names are matched case-insensitively.

Imported events are stored with ``origin = 'acled'`` and ``event_id = 'acled:' +
event_id_cnty``; importing a newer export of the same events updates them (ACLED is a living
dataset: an event keeps its ``event_id_cnty`` when ACLED revises it). After the import,
machine-coded events that match an imported one get its id in ``acled_link``
(:func:`eventscope.crossreport.link_acled`).
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import InputError, KnowledgeError, StoreError

log = logging.getLogger(__name__)

#: ACLED's actor-type ("inter") codes and their labels (codebook; the API's text labels).
INTER_LABELS = {
    1: "State forces",
    2: "Rebel group",
    3: "Political militia",
    4: "Identity militia",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/Other forces",
}
INTER_CODES = {v: k for k, v in INTER_LABELS.items()}
# Older exports' labels, lower-cased: "State Forces", "Rebel Groups", "Protestors", ...
_INTER_ALIASES = {
    **{v.lower(): k for k, v in INTER_LABELS.items()},
    "state forces": 1,
    "rebel groups": 2,
    "political militias": 3,
    "identity militias": 4,
    "protestors": 6,
    "civilian": 7,
    "external/other force": 8,
    "external forces/other forces": 8,
    "governments and state security services": 1,
}

#: The 2015 (pre-2019) event types: (event type, sub-event type) of the current codebook.
#: "Riots/Protests" depends on the actors (rioters make a riot), see :func:`_legacy_type`.
LEGACY_TYPES: dict[str, tuple[str, str | None]] = {
    "battle-no change of territory": ("Battles", "Armed clash"),
    "battle-government regains territory": ("Battles", "Government regains territory"),
    "battle-non-state actor overtakes territory": (
        "Battles",
        "Non-state actor overtakes territory",
    ),
    "remote violence": ("Explosions/Remote violence", None),
    "violence against civilians": ("Violence against civilians", None),
    "strategic development": ("Strategic developments", None),
    "headquarters or base established": (
        "Strategic developments",
        "Headquarters or base established",
    ),
    "non-violent transfer of territory": (
        "Strategic developments",
        "Non-violent transfer of territory",
    ),
    "non-violent activity by a conflict actor": ("Strategic developments", "Other"),
}

#: ACLED ``time_precision`` codes <-> eventscope's date precisions. ACLED has three codes; a
#: date eventscope knows only to the month or the year is code 3, "the month or a longer
#: period" (codebook), and a code 3 read back is "month".
TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}
PRECISION_OF_CODE = {1: "day", 2: "week", 3: "month"}

#: ACLED's disorder type of each event type (codebook 2023). Excessive force against
#: protesters is both political violence and a demonstration.
DISORDER_TYPE = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
BOTH_DISORDERS = {"Excessive force against protesters": "Political violence; Demonstrations"}


def inter_code(value: Any) -> int | None:
    """An ``inter`` cell (numeric code or text label) as its code; None when empty."""
    if value is None:
        return None
    s = str(value).strip()
    if not s or s.lower() in ("nan", "na", "none", "0"):
        return None
    if s.isdigit():
        n = int(s)
        return n if n in INTER_LABELS else None
    try:
        f = float(s)
        return int(f) if f.is_integer() and int(f) in INTER_LABELS else None
    except ValueError:
        pass
    return _INTER_ALIASES.get(s.lower())


def interaction(i1: int | None, i2: int | None, *, numeric: bool = False) -> int | str | None:
    """ACLED's interaction of two actor types: the lower code first (``12``, or the API's
    text "State forces-Rebel group"); one actor alone is ``10`` / "State forces only"."""
    if i1 is None and i2 is None:
        return None
    if i1 is None or i2 is None:
        one = i1 if i1 is not None else i2
        assert one is not None
        return one * 10 if numeric else f"{INTER_LABELS[one]} only"
    lo, hi = min(i1, i2), max(i1, i2)
    return int(f"{lo}{hi}") if numeric else f"{INTER_LABELS[lo]}-{INTER_LABELS[hi]}"


def disorder_type(event_type: str | None, sub_event_type: str | None = None) -> str | None:
    if sub_event_type in BOTH_DISORDERS:
        return BOTH_DISORDERS[sub_event_type]
    return DISORDER_TYPE.get(event_type or "")


def civilian_targeting(ev: dict[str, Any]) -> str | None:
    """ACLED's ``civilian_targeting``: "Civilian targeting" when civilians are the target of
    political violence (an actor of type Civilians in a violent event), else empty."""
    if DISORDER_TYPE.get(ev.get("event_type") or "") != "Political violence":
        return None
    if "Civilians" in (ev.get("actor1_type"), ev.get("actor2_type")):
        return "Civilian targeting"
    return None


@lru_cache(maxsize=1)
def _regions() -> dict[str, str]:
    from .extract.knowledge import data_path, read_yaml

    name = "acled_regions.yaml"
    data = read_yaml(data_path(name))
    out: dict[str, str] = {}
    for region, codes in data.items():
        if not isinstance(codes, list) or not all(
            isinstance(c, str) and len(c) == 2 for c in codes
        ):
            raise KnowledgeError(f"data/{name}: {region}: expected a list of alpha-2 codes")
        for c in codes:
            if c in out:
                raise KnowledgeError(f"data/{name}: {c} is in {out[c]} and {region}")
            out[c] = str(region)
    return out


def region_of(country_code: str | None) -> str | None:
    """ACLED's region of a country (ISO alpha-2)."""
    return _regions().get((country_code or "").upper())


# --------------------------------------------------------------------------- reading
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%d/%m/%Y")


def parse_acled_date(value: str) -> date | None:
    s = (value or "").strip()
    if not s:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    return None


@lru_cache(maxsize=4096)
def _country_code(iso: str | None, country: str | None) -> str | None:
    import pycountry

    if iso and iso.strip().isdigit():
        c = pycountry.countries.get(numeric=f"{int(iso.strip()):03d}")
        if c is not None:
            return str(c.alpha_2)
    if country:
        if country.strip().lower() == "kosovo":
            return "XK"
        try:
            return str(pycountry.countries.lookup(country.strip()).alpha_2)
        except LookupError:
            return None
    return None


def _num(value: str | None, kind: type) -> Any:
    s = (value or "").strip()
    if not s:
        return None
    try:
        return kind(float(s)) if kind is int else kind(s)
    except ValueError:
        return None


def _names(value: str | None) -> list[str]:
    return [n.strip() for n in (value or "").split(";") if n.strip()]


def _legacy_type(raw: str, i1: int | None, i2: int | None) -> tuple[str | None, str | None]:
    key = raw.strip().lower()
    if key == "riots/protests":
        return ("Riots", None) if 5 in (i1, i2) else ("Protests", None)
    if key in LEGACY_TYPES:
        return LEGACY_TYPES[key]
    return None, None


def _text(row: dict[str, str], key: str) -> str | None:
    v = (row.get(key) or "").strip()
    return v or None


def event_from_row(row: dict[str, str], *, where: str) -> dict[str, Any]:
    """One row of an ACLED export (keys lower-cased) as an ``events`` row of origin acled."""
    eid = _text(row, "event_id_cnty")
    if not eid:
        raise InputError(f"{where}: no event_id_cnty; is this an ACLED export?")
    day = parse_acled_date(row.get("event_date") or "")
    if day is None:
        raise InputError(f"{where}: event_date {row.get('event_date')!r} is not a date")
    i1, i2 = inter_code(row.get("inter1")), inter_code(row.get("inter2"))
    etype, sub = _text(row, "event_type"), _text(row, "sub_event_type")
    if etype and etype not in DISORDER_TYPE:
        etype, legacy_sub = _legacy_type(etype, i1, i2)
        sub = sub or legacy_sub
    tp = _num(row.get("time_precision"), int)
    cc = _country_code(row.get("iso"), row.get("country"))
    assoc1 = _names(row.get("assoc_actor_1") or row.get("ally_actor_1"))
    assoc2 = _names(row.get("assoc_actor_2") or row.get("ally_actor_2"))
    ev: dict[str, Any] = {
        "event_id": f"acled:{eid}",
        "article_id": "",
        "event_type": etype,
        "sub_event_type": sub,
        "plover": "ASSAULT"
        if DISORDER_TYPE.get(etype or "") == "Political violence"
        else "PROTEST"
        if DISORDER_TYPE.get(etype or "") == "Demonstrations"
        else "MOBILIZE",
        "event_date": day,
        "date_precision": PRECISION_OF_CODE.get(tp or 1, "month"),
        "actor1": _text(row, "actor1"),
        "actor2": _text(row, "actor2"),
        "actor1_type": INTER_LABELS.get(i1) if i1 else None,
        "actor2_type": INTER_LABELS.get(i2) if i2 else None,
        "assoc_actor_1": assoc1,
        "assoc_actor_2": assoc2,
        "country": _text(row, "country"),
        "country_code": cc,
        "admin1": _text(row, "admin1"),
        "admin2": _text(row, "admin2"),
        "location": _text(row, "location"),
        "latitude": _num(row.get("latitude"), float),
        "longitude": _num(row.get("longitude"), float),
        "geo_precision": _num(row.get("geo_precision"), int),
        "fatalities": _num(row.get("fatalities"), int) or 0,
        "confidence": 1.0,
        "origin": "acled",
        "source_count": 1,
        "source": _text(row, "source"),
        "notes": _text(row, "notes"),
        "event_id_cnty": eid,
        "disorder_type": _text(row, "disorder_type") or disorder_type(etype, sub),
        "civilian_targeting": _text(row, "civilian_targeting"),
        "region": _text(row, "region"),
        "admin3": _text(row, "admin3"),
        "source_scale": _text(row, "source_scale"),
        "tags": _text(row, "tags"),
        "acled_timestamp": _num(row.get("timestamp"), int),
    }
    return ev


def read_acled_csv(path: Path) -> Iterator[dict[str, Any]]:
    """The events of an ACLED CSV export (a BOM, ``;`` or tab separators are accepted)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    if reader.fieldnames is None:
        raise InputError(f"{path}: empty file; expected an ACLED CSV export")
    fields = [f.strip().lower() for f in reader.fieldnames]
    missing = {"event_id_cnty", "event_date", "event_type"} - set(fields)
    if missing:
        raise InputError(
            f"{path}: not an ACLED export (no {', '.join(sorted(missing))} column); export "
            "the events from ACLED's data export tool or API as CSV"
        )
    reader.fieldnames = fields
    for lineno, row in enumerate(reader, 2):
        yield event_from_row({k: v for k, v in row.items() if k}, where=f"{path}:{lineno}")


def import_acled(store: Any, path: Path) -> dict[str, int]:
    """Load an ACLED export into ``store`` as events of origin ``acled`` and link the
    machine-coded events that match them. Returns counts: ``imported``, ``updated``,
    ``linked`` (machine events linked to an imported event)."""
    from .crossreport import link_acled
    from .store import EVENT_COLUMNS

    duckdb = __import__("duckdb")
    events = list(read_acled_csv(path))
    ids = [e["event_id"] for e in events]
    try:
        with store.transaction():
            before = {
                r[0]
                for r in store.con.execute(
                    "SELECT event_id FROM events WHERE event_id IN (SELECT unnest(?))", [ids]
                ).fetchall()
            }
            # Many rows per statement: DuckDB's executemany runs one statement per row.
            one = "(" + ", ".join("?" for _ in EVENT_COLUMNS) + ")"
            for i in range(0, len(events), 200):
                chunk = events[i : i + 200]
                store.con.execute(
                    f"INSERT OR REPLACE INTO events ({', '.join(EVENT_COLUMNS)}) VALUES "
                    + ", ".join(one for _ in chunk),
                    [_value(e, c) for e in chunk for c in EVENT_COLUMNS],
                )
            store._has_acled_events = True if events else None
            linked = link_acled(store, events)
    except duckdb.Error as exc:
        raise StoreError(f"{store.path}: cannot import {path}: {exc}") from exc
    return {"imported": len(set(ids) - before), "updated": len(before), "linked": linked}


def _value(ev: dict[str, Any], column: str) -> Any:
    v = ev.get(column)
    if v is None and column.startswith("assoc_actor"):
        return []
    return v


def rows_to_csv(rows: Iterable[dict[str, Any]], columns: list[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow(r)
    return buf.getvalue()
