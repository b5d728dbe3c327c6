"""Surge alerts: rules a user edits (YAML), the surges they find, and an Atom feed of them.

A rules file (the shipped default is ``data/alert_rules.yaml``; see its comments) has an
optional ``defaults`` mapping and a ``rules`` list; each rule names what to watch and how::

    defaults: {every: week, baseline: 8, p_value: 0.001, min_count: 5}
    rules:
      - name: Battles in Mali by province
        by: admin1            # country | admin1 | actor | event_type
        every: month          # week | month
        country: Mali         # the region: country and/or admin1 (optional)
        event_type: Battles   # optional: an ACLED event type
        actor: JNIM           # optional: text in actor 1 or 2
        measure: events       # events | fatalities | both (default both)
        p_value: 0.01

The file is validated when it is loaded; every problem raises :class:`ConfigError` naming
the file, the rule and the key. The test behind a surge is :mod:`eventscope.trends`'.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

import yaml

from . import __version__
from . import trends as tr
from .errors import ConfigError
from .query import EventFilter
from .records import ACLED_EVENT_TYPES
from .store import Store

log = logging.getLogger(__name__)

MEASURES = ("events", "fatalities", "both")
_RULE_KEYS = {
    "name",
    "by",
    "every",
    "measure",
    "country",
    "admin1",
    "actor",
    "event_type",
    "origin",
    "baseline",
    "p_value",
    "min_count",
    "min_fatalities",
    "min_ratio",
}
_DEFAULT_KEYS = _RULE_KEYS - {"name", "country", "admin1", "actor", "event_type"}


@dataclass(frozen=True, slots=True)
class Rule:
    """One alert rule: what to watch (grouping, filters) and the surge test's thresholds."""

    name: str
    by: str = "country"
    every: str = "week"
    measure: str = "both"
    country: str | None = None
    admin1: str | None = None
    actor: str | None = None
    event_type: str | None = None
    origin: str | None = None
    test: tr.SurgeTest = field(default_factory=tr.SurgeTest)

    def event_filter(self) -> EventFilter:
        return EventFilter(
            country=self.country, admin1=self.admin1, actor=self.actor, event_type=self.event_type
        )

    def measures(self) -> tuple[str, ...]:
        return ("events", "fatalities") if self.measure == "both" else (self.measure,)


def default_rules_path() -> Path:
    return Path(str(resources.files("eventscope").joinpath("data/alert_rules.yaml")))


def load_rules(path: str | Path | None = None) -> list[Rule]:
    """The rules of ``path`` (default: the shipped file), validated."""
    p = Path(path) if path is not None else default_rules_path()
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{p}: no such rules file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: cannot read the rules file ({exc})") from exc
    return parse_rules(text, source=str(p))


def parse_rules(text: str, *, source: str = "<rules>") -> list[Rule]:
    """Rules from YAML text; errors name ``source``, the rule and the key at fault."""
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: not valid YAML ({exc})") from exc
    if not isinstance(doc, Mapping):
        raise ConfigError(f"{source}: expected a mapping with a 'rules' list at the top")
    unknown = set(doc) - {"defaults", "rules"}
    if unknown:
        raise ConfigError(
            f"{source}: unknown top-level key(s) {', '.join(sorted(map(str, unknown)))}"
            "; expected 'defaults' and 'rules'"
        )
    defaults = doc.get("defaults") or {}
    if not isinstance(defaults, Mapping):
        raise ConfigError(f"{source}: 'defaults' must be a mapping")
    bad = set(defaults) - _DEFAULT_KEYS
    if bad:
        raise ConfigError(
            f"{source}: defaults: unknown key(s) {', '.join(sorted(map(str, bad)))}"
            f"; allowed: {', '.join(sorted(_DEFAULT_KEYS))}"
        )
    rules = doc.get("rules")
    if not isinstance(rules, list) or not rules:
        raise ConfigError(f"{source}: 'rules' must be a non-empty list of rules")
    out: list[Rule] = []
    names: set[str] = set()
    for i, raw in enumerate(rules, start=1):
        where = f"{source}: rule {i}"
        if not isinstance(raw, Mapping):
            raise ConfigError(f"{where}: must be a mapping (name: ..., by: ...)")
        if isinstance(raw.get("name"), str):
            where += f" ({raw['name']!r})"
        rule = _rule({**defaults, **raw}, where)
        if rule.name in names:
            raise ConfigError(f"{where}: another rule has the name {rule.name!r}")
        names.add(rule.name)
        out.append(rule)
    return out


def _rule(d: Mapping[str, Any], where: str) -> Rule:
    unknown = set(d) - _RULE_KEYS
    if unknown:
        raise ConfigError(
            f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
            f"allowed: {', '.join(sorted(_RULE_KEYS))}"
        )
    name = d.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}: 'name' is required (a short text)")

    def choice(key: str, choices: tuple[str, ...], default: str | None) -> str | None:
        v = d.get(key, default)
        if v is None:
            return None
        if v not in choices:
            raise ConfigError(f"{where}: {key} {v!r} is not one of {', '.join(choices)}")
        return str(v)

    def text(key: str) -> str | None:
        v = d.get(key)
        if v is None:
            return None
        if not isinstance(v, str) or not v.strip() or len(v) > 200:
            raise ConfigError(f"{where}: {key} must be a non-empty text of at most 200 characters")
        return v.strip()

    def number(key: str, default: float, lo: float, hi: float, *, integer: bool) -> Any:
        v = d.get(key, default)
        ok = isinstance(v, int) if integer else isinstance(v, int | float)
        if isinstance(v, bool) or not ok or not lo <= v <= hi:
            kind = "a whole number" if integer else "a number"
            raise ConfigError(f"{where}: {key} must be {kind} from {lo:g} to {hi:g}, not {v!r}")
        return v

    event_type = text("event_type")
    if event_type is not None:
        match = [t for t in ACLED_EVENT_TYPES if t.lower() == event_type.lower()]
        if not match:
            raise ConfigError(
                f"{where}: event_type {event_type!r} is not an ACLED event "
                f"type ({', '.join(ACLED_EVENT_TYPES)})"
            )
        event_type = match[0]
    p_value = number("p_value", tr.DEFAULT_P_VALUE, 0, 0.5, integer=False)
    if p_value <= 0:
        raise ConfigError(f"{where}: p_value must be above 0 (e.g. 0.001)")
    test = tr.SurgeTest(
        baseline=number("baseline", tr.DEFAULT_BASELINE, 2, 104, integer=True),
        p_value=float(p_value),
        min_count=number("min_count", tr.DEFAULT_MIN_COUNT, 1, 1_000_000, integer=True),
        min_fatalities=number(
            "min_fatalities", tr.DEFAULT_MIN_FATALITIES, 1, 10_000_000, integer=True
        ),
        min_ratio=float(number("min_ratio", tr.DEFAULT_MIN_RATIO, 1, 1000, integer=False)),
    )
    return Rule(
        name=name.strip(),
        by=choice("by", tr.BY, "country") or "country",
        every=choice("every", tr.EVERY, "week") or "week",
        measure=choice("measure", MEASURES, "both") or "both",
        country=text("country"),
        admin1=text("admin1"),
        actor=text("actor"),
        event_type=event_type,
        origin=choice("origin", tr.ORIGINS, None),
        test=test,
    )


# --------------------------------------------------------------------------- evaluation
def find_alerts(
    store: Store,
    rules: list[Rule],
    *,
    since: date | None = None,
    until: date | None = None,
    last: int | None = None,
) -> list[dict[str, Any]]:
    """Every surge the rules find, newest period first, then smallest p-value.

    ``since``/``until`` bound the events read (the baseline needs the periods before the
    first one tested); ``last`` keeps the surges of each rule's last ``last`` periods only.
    """
    found: list[dict[str, Any]] = []
    for rule in rules:
        flt = rule.event_filter()
        flt.since, flt.until = since, until
        t = tr.series(store, flt, by=rule.by, every=rule.every, origin=rule.origin)
        first_kept = len(t.periods) - last if last is not None else 0
        pooled = t.pooled_sq()
        for s in t.series:
            for hit in tr.surges(s, test=rule.test, measures=rule.measures(), pooled_sq=pooled):
                if hit.index < first_kept:
                    continue
                found.append(_alert(rule, t, s, hit))
    found.sort(
        key=lambda a: (
            -date.fromisoformat(a["start"]).toordinal(),
            a["p_value"],
            a["rule"],
            a["key"],
            a["measure"],
        )
    )
    return found


def _alert(rule: Rule, t: tr.Trends, s: tr.Series, hit: tr.Surge) -> dict[str, Any]:
    start = t.periods[hit.index]
    end = tr.period_end(start, t.every)
    label = tr.period_label(start, t.every)
    ident = hashlib.sha256(
        f"{rule.name}|{rule.by}|{t.every}|{s.key}|{label}|{hit.measure}".encode()
    ).hexdigest()[:20]
    # The dashboard's filters that show this surge's events.
    link: dict[str, str] = {"since": start.isoformat(), "until": end.isoformat()}
    if rule.country:
        link["country"] = rule.country
    if rule.admin1:
        link["admin1"] = rule.admin1
    if rule.event_type:
        link["event_type"] = rule.event_type
    if rule.actor:
        link["actor"] = rule.actor
    if t.by == "country":
        link["country"] = s.country or s.key
    elif t.by == "admin1":
        link["country"] = s.country or ""
        link["admin1"] = s.key.rsplit(", ", 1)[0]
    elif t.by == "event_type":
        link["event_type"] = s.key
    else:
        link["actor"] = s.key
    what = "events" if hit.measure == "events" else "fatalities"
    return {
        "id": f"alert-{ident}",
        "rule": rule.name,
        "by": t.by,
        "every": t.every,
        "key": s.key,
        "country": s.country,
        "country_code": s.country_code,
        "period": label,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "measure": hit.measure,
        "observed": hit.observed,
        "expected": hit.expected,
        "ratio": hit.ratio,
        "p_value": float(f"{hit.p_value:.3g}"),
        "test": hit.test,
        "baseline_periods": rule.test.baseline,
        "title": f"{s.key}: {hit.observed} {what} in {label} "
        f"(×{hit.ratio:g} the {rule.test.baseline}-{t.every} baseline of "
        f"{hit.expected:g})",
        "query": urlencode(link),
    }


# --------------------------------------------------------------------------- Atom
ATOM_NS = "http://www.w3.org/2005/Atom"


def _atom_time(d: date | datetime) -> str:
    if isinstance(d, datetime):
        return d.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{d.isoformat()}T00:00:00Z"


def atom_feed(
    alerts: list[dict[str, Any]],
    *,
    base_url: str,
    feed_path: str = "/alerts.atom",
    title: str = "eventscope surge alerts",
    fallback_updated: datetime | None = None,
) -> str:
    """An Atom feed (RFC 4287) of ``alerts``, one entry each, linking to the dashboard.

    An entry's ``updated`` is when its period closed (the day after it ends), so the feed
    is the same for the same store and rules; the feed's is the newest entry's, or
    ``fallback_updated`` (the store's last ingestion) when there is none.
    """
    base = base_url.rstrip("/")
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            node.text = text
        return node

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    sub(feed, "id", f"{base}{feed_path}")
    sub(feed, "title", title)
    closed = [date.fromisoformat(a["end"]) + timedelta(days=1) for a in alerts]
    updated = (
        _atom_time(max(closed))
        if closed
        else _atom_time(fallback_updated or datetime(1970, 1, 1, tzinfo=UTC))
    )
    sub(feed, "updated", updated)
    author = sub(feed, "author")
    sub(author, "name", "eventscope")
    sub(feed, "link", href=f"{base}{feed_path}", rel="self", type="application/atom+xml")
    sub(feed, "link", href=f"{base}/", rel="alternate", type="text/html")
    sub(feed, "generator", "eventscope", version=__version__)
    sub(
        feed,
        "subtitle",
        "Periods whose events or fatalities are improbably high against "
        "the region's own trailing baseline",
    )
    for a, when in zip(alerts, closed, strict=True):
        entry = sub(feed, "entry")
        sub(entry, "id", f"urn:eventscope:{a['id']}")
        sub(entry, "title", a["title"])
        sub(entry, "updated", _atom_time(when))
        sub(entry, "link", href=f"{base}/?{a['query']}", rel="alternate", type="text/html")
        sub(entry, "category", term=a["measure"])
        sub(
            entry,
            "summary",
            (
                f"Rule {a['rule']!r}: {a['key']} had {a['observed']} {a['measure']} in "
                f"{a['period']} ({a['start']} to {a['end']}) against a mean of {a['expected']:g} "
                f"over the {a['baseline_periods']} {a['every']}s before "
                f"({a['test']} tail, p = {a['p_value']:.2g})."
            ),
        )
    body = ET.tostring(feed, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


def last_ingested(store: Store) -> datetime | None:
    row = store.con.execute("SELECT max(ingested_at) FROM articles").fetchone()
    if not row or row[0] is None:
        return None
    ts: datetime = row[0]
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)
