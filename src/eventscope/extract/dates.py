"""Event dates, resolved against the publication date, with their precision.

:func:`resolve_date` follows this cascade and stops at the first step that gives a date:

1. a date expression in the event's own span. Absolute dates ("29 April 2020",
   "April 29, 2020", "3 JAN 90", "2020-04-29") are day-precise; a day and month without
   a year ("ON 30 DECEMBER") take the year that puts them on or before publication (news
   reports the past); "in March 2019" / "in early March" are month-precise (the 1st, or
   the 11th / 21st for mid- / late-); "in 2003" is year-precise (1 January). Weekdays
   ("on Sunday") are the most recent such day on or before publication (the publication
   day itself when it is that weekday, the week before with "last"); relative words
   ("yesterday", "last week", "earlier this year", "3 days ago") follow
   ``data/dates.yaml``. A range ("between 1 and 3 May", "overnight on 4-5 May") gives its
   start. The first expression in the span wins; a wire-service dateline at the head of
   the text, dates after "since" / "until" / "through" / "born", and day-month names of
   places ("9 October Avenue") are skipped. A date the text marks as approximate or as
   the report's ("Around 4 May 2020 (as reported)") is week-precise (ACLED's time
   precision 2). Future markers ("will", "is scheduled for", "should start in") turn a
   weekday, a day-month or a month forward ("a future in the past", "was scheduled
   for", stays past).
2. when the span is a clause, an expression elsewhere in its own sentence ("On Sunday,
   militants attacked a post, killing 11"); then a day- or week-precise expression in the
   two sentences before it in the same paragraph, then in the article's first sentence
   (the lede usually dates the story) when the span's sentence reads as a continuation
   of the story (it starts with "The", "They", a count, ...: ``continuation_starts``).
   A span telling of an ongoing activity ("militants have increased their attacks")
   borrows nothing. A date attached to a reporting verb ("police said on Monday") dates
   the report: used only when nothing else dates the event, with precision "week".
   Month- and year-precise expressions are not borrowed from other sentences: in news
   they are background ("In 2011, ...") far more often than the date of this event.
3. the publication date (``published``, or the dateline when ``published`` is None)
   with precision ``"week"``: the event happened around the report, and the precision
   says the day was not stated. Nothing at all gives ``date=None, precision=None``.

No dateparser in the hot path: every step is a regex or a table look-up (microseconds
per span). dateparser only reads a publication date in an unusual shape, once per
distinct value (:func:`parse_published`).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import KnowledgeError
from .knowledge import data_path, read_yaml

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

log = logging.getLogger(__name__)

LEXICON_FILE = "dates.yaml"
PRECISIONS = ("day", "week", "month", "year")


@dataclass(slots=True)
class ResolvedDate:
    """An event's date (its start) and how exact it is."""

    date: str | None  # YYYY-MM-DD (start of the event)
    precision: str | None  # "day" | "week" | "month" | "year"
    start: int | None  # evidence span (char offsets) of the date expression, None if from published
    end: int | None
    # Why the date is None when the text tells a date it cannot resolve ("on Sunday" with
    # no publication date to count back from); None otherwise.
    note: str | None = None


# --------------------------------------------------------------------------- lexicon


@dataclass(frozen=True, slots=True)
class DateLexicon:
    months: dict[str, int]  # full names and abbreviations
    full_months: frozenset[str]
    weekdays: dict[str, int]
    relative_days: dict[str, int]
    relative_periods: dict[str, tuple[str, int]]
    ago_units: dict[str, tuple[int, str]]
    month_parts: dict[str, int]
    non_event: frozenset[str]
    future: frozenset[str]
    approx_before: frozenset[str]
    approx_after: frozenset[str]
    continuation: frozenset[str]
    habitual: frozenset[str]
    reporting: frozenset[str]
    name_nouns: frozenset[str]
    patterns: dict[str, re.Pattern[str]]


def _alt(words: Any) -> str:
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in ordered)


def _int_table(raw: dict[str, Any], key: str, source: str, lo: int, hi: int) -> dict[str, int]:
    table = raw.get(key)
    if not isinstance(table, dict) or not table:
        raise KnowledgeError(f"{source}: '{key}' must be a non-empty mapping")
    out: dict[str, int] = {}
    for k, v in table.items():
        if not isinstance(k, str) or k != k.lower() or not k.strip():
            raise KnowledgeError(f"{source}: {key}: entry {k!r} must be lower-case text")
        if not isinstance(v, int) or isinstance(v, bool) or not lo <= v <= hi:
            raise KnowledgeError(
                f"{source}: {key}: {k!r} must be an integer in {lo}..{hi}, got {v!r}"
            )
        out[k] = v
    return out


def _str_list(raw: dict[str, Any], key: str, source: str) -> frozenset[str]:
    items = raw.get(key)
    if not isinstance(items, list) or not items:
        raise KnowledgeError(f"{source}: '{key}' must be a non-empty list")
    for item in items:
        if not isinstance(item, str) or item != item.lower() or not item.strip():
            raise KnowledgeError(f"{source}: {key}: entry {item!r} must be lower-case text")
    return frozenset(items)


def _validate(raw: Any, source: str) -> DateLexicon:
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{source}: expected a mapping at the top level")
    full = _int_table(raw, "months", source, 1, 12)
    abbr = _int_table(raw, "month_abbreviations", source, 1, 12)
    weekdays = _int_table(raw, "weekdays", source, 0, 6)
    rel_days = _int_table(raw, "relative_days", source, 0, 31)
    parts = _int_table(raw, "month_parts", source, 1, 28)
    periods: dict[str, tuple[str, int]] = {}
    table = raw.get("relative_periods")
    if not isinstance(table, dict) or not table:
        raise KnowledgeError(f"{source}: 'relative_periods' must be a non-empty mapping")
    for k, v in table.items():
        if (
            not isinstance(k, str)
            or k != k.lower()
            or not isinstance(v, dict)
            or v.get("unit") not in ("week", "weekend", "month", "year")
            or not isinstance(v.get("offset"), int)
            or v["offset"] not in (0, -1)
        ):
            raise KnowledgeError(
                f"{source}: relative_periods: {k!r} needs lower-case text and "
                "{unit: week|weekend|month|year, offset: 0|-1}"
            )
        periods[k] = (v["unit"], v["offset"])
    ago: dict[str, tuple[int, str]] = {}
    table = raw.get("ago_units")
    if not isinstance(table, dict) or not table:
        raise KnowledgeError(f"{source}: 'ago_units' must be a non-empty mapping")
    for k, v in table.items():
        if (
            not isinstance(k, str)
            or not isinstance(v, dict)
            or not isinstance(v.get("days"), int)
            or v.get("precision") not in PRECISIONS
        ):
            raise KnowledgeError(
                f"{source}: ago_units: {k!r} needs {{days: <int>, precision: day|week|month|year}}"
            )
        ago[k] = (v["days"], v["precision"])
    non_event = _str_list(raw, "non_event_prepositions", source)
    future = _str_list(raw, "future_markers", source)
    approx_before = _str_list(raw, "approximate_before", source)
    approx_after = _str_list(raw, "approximate_after", source)
    continuation = _str_list(raw, "continuation_starts", source)
    habitual = _str_list(raw, "habitual_markers", source)
    reporting = _str_list(raw, "reporting_verbs", source)
    name_nouns = _str_list(raw, "date_name_nouns", source)
    known = {
        "reporting_verbs",
        "date_name_nouns",
        "continuation_starts",
        "habitual_markers",
        "approximate_before",
        "approximate_after",
        "months",
        "month_abbreviations",
        "weekdays",
        "relative_days",
        "relative_periods",
        "ago_units",
        "month_parts",
        "non_event_prepositions",
        "future_markers",
    }
    unknown = set(raw) - known
    if unknown:
        raise KnowledgeError(f"{source}: unknown section(s) {sorted(unknown)}")
    months = {**abbr, **full}
    try:
        patterns = _build_patterns(months, full, weekdays, rel_days, periods, ago, parts)
        patterns["reporting_before"] = re.compile(rf"\b(?:{_alt(reporting)})\s*$")
        patterns["reporting_after"] = re.compile(rf"\s*(?:(?:{_alt(reporting)})\b|that\b)")
        patterns["name_after"] = re.compile(rf"\s*(?:{_alt(name_nouns)})(?!\w)")
        patterns["future"] = re.compile(rf"(?<!\w)(?:{_alt(future)})\b")
        patterns["non_event"] = re.compile(rf"\b(?:{_alt(non_event)})\s*$")
        # "believed to have been fired", "would have been killed": a perfect infinitive or
        # modal, not an ongoing activity
        not_perfect = "".join(
            rf"(?<!\b{w} )" for w in ("to", "would", "could", "may", "might", "should", "must")
        )
        patterns["habitual"] = re.compile(rf"{not_perfect}\b(?:{_alt(habitual)})\b")
        patterns["approx_before"] = re.compile(rf"(?<!\w)(?:{_alt(approx_before)})$")
    except re.error as exc:
        raise KnowledgeError(f"{source}: an entry makes an invalid pattern: {exc}") from exc
    return DateLexicon(
        months=months,
        full_months=frozenset(full),
        weekdays=weekdays,
        relative_days=rel_days,
        relative_periods=periods,
        ago_units=ago,
        month_parts=parts,
        non_event=non_event,
        future=future,
        approx_before=approx_before,
        approx_after=approx_after,
        continuation=continuation,
        habitual=habitual,
        reporting=reporting,
        name_nouns=name_nouns,
        patterns=patterns,
    )


def _build_patterns(
    months: dict[str, int],
    full: dict[str, int],
    weekdays: dict[str, int],
    rel_days: dict[str, int],
    periods: dict[str, tuple[str, int]],
    ago: dict[str, tuple[int, str]],
    parts: dict[str, int],
) -> dict[str, re.Pattern[str]]:
    mon = rf"(?P<mon>{_alt(months)})\.?"
    fmon = rf"(?P<mon>{_alt(full)})"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    day_range = r"(?:\s*(?:-|–|/|\band\b|\bto\b)\s*[0-3]?\d(?:st|nd|rd|th)?)?"
    year = r"(?P<year>(?:1[89]|20)\d\d|'?\d\d)"
    lead = r"(?:\bbetween\s+)?(?:the\s+(?:night\s+)?(?:of\s+)?)?"
    part = rf"(?:(?P<part>{_alt(parts)})[\s-]+(?:of\s+)?)?"
    m_preps = "in|during|early|mid|late|last|this|of|on|since|until|by|from|throughout"
    y_preps = "in|during|since|of|throughout|early|mid|late|until|by"
    pats = {
        "iso": r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b",
        # all-numeric day, month and a four-digit year: "03/15/2018", "15.03.2018"
        "numeric": (
            r"(?<![\d/.-])(?P<a>[0-3]?\d)(?P<sep>[/.-])(?P<b>[0-3]?\d)(?P=sep)"
            r"(?P<year>(?:19|20)\d\d)(?![\d/.-]\d)"
        ),
        "dmy": rf"\b{lead}{day}{day_range}\s+(?:of\s+)?{mon},?\s+{year}\b(?!\s*(?:-|:)\s*\d)",
        "mdy": rf"\b{mon}\s+{day}{day_range},?\s+(?P<year>(?:1[89]|20)\d\d)\b",
        "dm": rf"\b{lead}{day}{day_range}\s+(?:of\s+)?{mon}\b",
        "md": rf"\b{mon}\s+{day}\b(?!\s*(?:,\s*)?\d)(?![\w:])",
        "my": rf"\b{part}{mon},?\s+(?:of\s+)?(?P<year>(?:1[89]|20)\d\d)\b",
        "m": (rf"\b(?:(?P<prep>{m_preps})[\s-]+)(?:{part})?(?:the\s+month\s+of\s+)?{fmon}\b"),
        "y": (
            rf"\b(?P<prep>{y_preps})\s+(?:the\s+year\s+)?(?:of\s+)?"
            r"(?P<year>(?:1[89]|20)\d\d)\b(?!\s*(?:-|–)\s*\d)"
        ),
        "weekday": (
            rf"\b(?:(?P<mod>last|this|past|next|on|early|late)\s+)?(?P<wd>{_alt(weekdays)})(?:'s|’s)?\b"
        ),
        "rel_day": rf"\b(?P<rel>{_alt(rel_days)})\b",
        "rel_period": rf"\b(?P<rel>{_alt(periods)})\b",
        "ago": rf"\b(?P<n>\d+|{_alt(_SMALL)})\s+(?P<unit>{_alt(ago)})\s+ago\b",
        "ymd_words": rf"\b(?P<year>(?:19|20)\d\d),?\s+{mon}\s+{day}\b",
        "dateline": rf"^\s*[^\n,]{{1,40}},\s+{day}\s+{mon}\s+{year}\b",
        "dateline_mdy": rf"^\s*[^\n,]{{1,40}},\s+{mon}\s+{day},?\s+(?P<year>(?:19|20)\d\d)\b",
    }
    return {k: re.compile(v) for k, v in pats.items()}


@functools.lru_cache(maxsize=4)
def load_date_lexicon(path: str | None = None) -> DateLexicon:
    """Load and validate ``dates.yaml`` once per process; ``path`` overrides the shipped file."""
    file = data_path(LEXICON_FILE) if path is None else Path(path)
    source = str(file)
    raw = read_yaml(file)
    return _validate(raw, source)


# --------------------------------------------------------------------------- helpers

_SMALL = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a few": 3,
    "several": 3,
}


@functools.lru_cache(maxsize=1024)
def parse_published(published: str | None) -> dt.date | None:
    """The publication date as a date; None when absent or unreadable.

    The contract's forms (``YYYY-MM-DD``, ISO datetime) are read directly. Page metadata
    in other shapes ("24 November 2016", "Dec 17, 2016", "2016 Oct 17") goes through this
    module's own patterns, and only then through dateparser, requiring a day, a month
    and a year so that a bare time ("7:58 AM ET") is never read as today. Cached: each
    distinct value is parsed (and warned about) once.
    """
    if not published or not published.strip():
        return None
    value = published.strip()
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        pass
    lex = load_date_lexicon()
    low = value.lower()
    for key in ("dmy", "mdy"):
        m = lex.patterns[key].search(low)
        if m and len(m["year"].lstrip("'")) == 4:
            d = _safe_date(int(m["year"]), lex.months[m["mon"].rstrip(".")], int(m["day"]))
            if d is not None:
                return d
    m = lex.patterns["ymd_words"].search(low)
    if m:
        d = _safe_date(int(m["year"]), lex.months[m["mon"].rstrip(".")], int(m["day"]))
        if d is not None:
            return d
    if not re.search(r"(?<!\d)(?:19|20)\d\d(?!\d)", value):
        # no four-digit year: "Dec 13, 20" (cut short) or "7:58 AM ET" would be guessed
        log.warning("unreadable publication date %r; relative dates cannot be resolved", published)
        return None
    try:
        import dateparser  # rare fallback, off the hot path (cached per value)

        parsed = dateparser.parse(
            value, settings={"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past"}
        )
    except Exception as exc:  # dateparser raises assorted errors on odd input
        log.debug("dateparser failed on %r: %s", value, exc)
        parsed = None
    if parsed is not None:
        return parsed.date()
    log.warning("unreadable publication date %r; relative dates cannot be resolved", published)
    return None


def _full_year(text: str, anchor: dt.date | None) -> int:
    """ "2020" -> 2020; "90" / "'90" -> 1990 or 2090, whichever is not after the anchor."""
    y = text.lstrip("'")
    if len(y) == 4:
        return int(y)
    yy = int(y)
    if anchor is None:
        return 1900 + yy if yy >= 50 else 2000 + yy
    century = anchor.year // 100 * 100
    year = century + yy
    return year - 100 if year > anchor.year + 1 else year


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _year_before(month: int, day: int, anchor: dt.date) -> dt.date | None:
    """The date with this month and day on or before the anchor (news reports the past)."""
    d = _safe_date(anchor.year, month, day)
    if d is not None and d <= anchor:
        return d
    return _safe_date(anchor.year - 1, month, day) or d


def _numeric_date(a: int, b: int, year: int, sep: str) -> dt.date | None:
    """An all-numeric date. A first number over 12 is the day ("15/03/2018"), a second one
    over 12 the day too ("03/15/2018"); when both could be months, slashes read month first
    (the US convention of wire services and of GTD's incident summaries) and dots or dashes
    day first (the European one: "05.03.2020")."""
    if a > 12 or (b <= 12 and sep != "/"):
        return _safe_date(year, b, a)
    return _safe_date(year, a, b)


def _shift_month(d: dt.date, months: int) -> dt.date:
    idx = d.year * 12 + (d.month - 1) + months
    return dt.date(idx // 12, idx % 12 + 1, 1)


@dataclass(slots=True)
class _Found:
    date: dt.date
    precision: str
    start: int
    end: int
    reported: bool = False  # attached to a reporting verb: dates the report


# --------------------------------------------------------------------------- matching


def _find(
    text: str, anchor: dt.date | None, lex: DateLexicon, *, skip_until: int = 0
) -> list[_Found]:
    """Every date expression in ``text`` (lower-cased), resolved, in text order."""
    p = lex.patterns
    found: list[_Found] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return a >= skip_until and not any(a < e and s < b for s, e in taken)

    def non_event(a: int) -> bool:
        return bool(p["non_event"].search(text, max(0, a - 20), a))

    def add(d: dt.date | None, precision: str, a: int, b: int) -> None:
        taken.append((a, b))
        if d is None or non_event(a):
            return
        if p["name_after"].match(text, b):
            return  # "9 October Avenue", "the 19 April Movement"
        reported = bool(
            p["reporting_before"].search(text, max(0, a - 20), a)
            or p["reporting_after"].match(text, b)
        )
        found.append(_Found(d, precision, a, b, reported))

    def future_context(a: int) -> bool:
        before = re.split(r"[.!?;]\s", text[max(0, a - 80) : a])[-1]
        m = p["future"].search(before)
        # "was scheduled for Sept. 26", "were to meet on Monday": a future in the past
        if m is None:
            return False
        return not re.search(r"\b(?:was|were|had)\s+$", before[: m.start()])

    for m in p["iso"].finditer(text):
        if free(*m.span()):
            add(_safe_date(int(m["year"]), int(m["month"]), int(m["day"])), "day", *m.span())
    for m in p["numeric"].finditer(text):
        if free(*m.span()):
            add(_numeric_date(int(m["a"]), int(m["b"]), int(m["year"]), m["sep"]), "day", *m.span())
    for key in ("dmy", "mdy"):
        for m in p[key].finditer(text):
            if free(*m.span()):
                y = _full_year(m["year"], anchor)
                add(
                    _safe_date(y, lex.months[m["mon"].rstrip(".")], int(m["day"])), "day", *m.span()
                )
    for key in ("dm", "md"):
        for m in p[key].finditer(text):
            if not free(*m.span()) or anchor is None:
                continue
            mon = m["mon"].rstrip(".")
            if mon == "may" and key == "md" and not re.match(r"\d", text[m.end("mon") + 1 :]):
                continue
            month, day_n = lex.months[mon], int(m["day"])
            d = _year_before(month, day_n, anchor)
            if future_context(m.start()) and d is not None and d < anchor:
                # "elections are scheduled for 12 November": the next such day
                d = _safe_date(d.year + 1, month, day_n) or d
            add(d, "day", *m.span())
    for m in p["my"].finditer(text):
        if free(*m.span()):
            first = lex.month_parts.get(" ".join((m["part"] or "").split()), 1)
            add(
                _safe_date(int(m["year"]), lex.months[m["mon"].rstrip(".")], first),
                "month",
                *m.span(),
            )
    for m in p["m"].finditer(text):
        if not free(*m.span()) or anchor is None:
            continue
        prep = m["prep"]
        if m["mon"] == "may" and prep in ("of", "on", "by", "this"):
            continue  # "by may", "this may" are too often the verb
        first = lex.month_parts.get(" ".join((m["part"] or prep or "").split()), 1)
        month = lex.months[m["mon"]]
        d = _year_before(month, 1, anchor)
        if prep == "last" and d is not None and d.year == anchor.year and month == anchor.month:
            d = _safe_date(anchor.year - 1, month, 1)
        elif (
            d is not None and prep != "last" and future_context(m.start()) and month != anchor.month
        ):
            # "work should start in April", "matches are planned for July": the next one
            d = _safe_date(anchor.year + (month < anchor.month), month, 1)
        if d is not None:
            d = d.replace(day=first)
        if prep == "since":
            taken.append(m.span())
            continue
        add(
            d,
            "month",
            m.start("mon") if prep in ("in", "during", "of", "on", "throughout") else m.start(),
            m.end(),
        )
    for m in p["y"].finditer(text):
        if free(*m.span()):
            if m["prep"] in ("since", "until", "by"):
                taken.append(m.span())
                continue
            add(dt.date(int(m["year"]), 1, 1), "year", *m.span())
    if anchor is not None:
        _relative(text, anchor, lex, free, add)
    found.sort(key=lambda f: f.start)
    # "overnight on 4-5 May", "last night (Sunday)": a vague word right before a fuller
    # date only qualifies it.
    return [
        f
        for i, f in enumerate(found)
        if not (
            i + 1 < len(found)
            and found[i + 1].start - f.end <= 5
            and f.precision == "day"
            and found[i + 1].precision == "day"
            and (
                p["rel_day"].fullmatch(text, f.start, f.end)
                or p["weekday"].fullmatch(text, f.start, f.end)  # "Tuesday, April 14"
            )
        )
    ]


def _relative(text: str, anchor: dt.date, lex: DateLexicon, free: Any, add: Any) -> None:
    p = lex.patterns
    for m in p["rel_period"].finditer(text):
        if not free(*m.span()):
            continue
        unit, offset = lex.relative_periods[" ".join(m["rel"].split())]
        if unit == "week":
            d = anchor - dt.timedelta(days=anchor.weekday()) + dt.timedelta(weeks=offset)
            add(d, "week", *m.span())
        elif unit == "weekend":
            back = (anchor.weekday() - 5) % 7  # the latest Saturday on or before publication
            d = anchor - dt.timedelta(days=back) + dt.timedelta(weeks=offset)
            add(d, "week", *m.span())
        elif unit == "month":
            add(_shift_month(anchor.replace(day=1), offset), "month", *m.span())
        else:
            add(dt.date(anchor.year + offset, 1, 1), "year", *m.span())
    for m in p["ago"].finditer(text):
        if not free(*m.span()):
            continue
        n_text = " ".join(m["n"].split())
        n = int(n_text) if n_text.isdigit() else _SMALL.get(n_text, 1)
        days, precision = lex.ago_units[m["unit"]]
        d = anchor - dt.timedelta(days=n * days)
        if precision == "month":
            d = d.replace(day=1)  # a month-precise date is the month's first day
        elif precision == "year":
            d = d.replace(month=1, day=1)
        add(d, precision, *m.span())
    for m in p["rel_day"].finditer(text):
        if free(*m.span()):
            add(
                anchor - dt.timedelta(days=lex.relative_days[" ".join(m["rel"].split())]),
                "day",
                *m.span(),
            )
    for m in p["weekday"].finditer(text):
        if not free(*m.span()):
            continue
        wd = lex.weekdays[m["wd"]]
        mod = m["mod"]
        back = (anchor.weekday() - wd) % 7
        sentence_before = text[max(0, m.start() - 80) : m.start()]
        sentence_before = re.split(r"[.!?;]\s", sentence_before)[-1]
        future = mod == "next" or any(
            re.search(rf"(?<!\w){re.escape(w)}\b", sentence_before) for w in lex.future
        )
        if future:
            ahead = (wd - anchor.weekday()) % 7 or 7
            d = anchor + dt.timedelta(days=ahead)
        else:
            if mod in ("last", "past") and back == 0:
                back = 7
            d = anchor - dt.timedelta(days=back)
        add(d, "day", *m.span())


# --------------------------------------------------------------------------- public API


# How far into a text a dateline may open a line: a page's text starts with its headline
# ("Gunmen attack police post\nSAN SALVADOR, 6 March 1990 (AFP) -- ...").
DATELINE_WITHIN = 300


def _dateline(text: str) -> tuple[int, re.Match[str]] | None:
    """A wire-service dateline opening the text or one of the lines of its first
    :data:`DATELINE_WITHIN` characters, with the offset of that line."""
    lex = load_date_lexicon()
    head = text[: DATELINE_WITHIN + 200].lower()
    starts = [0, *(i + 1 for i, ch in enumerate(head[:DATELINE_WITHIN]) if ch == "\n")]
    for pos in starts:
        sub = head[pos:]
        m = lex.patterns["dateline"].match(sub) or lex.patterns["dateline_mdy"].match(sub)
        if m:
            return pos, m
    return None


def _dateline_date(found: tuple[int, re.Match[str]] | None) -> str | None:
    if found is None:
        return None
    lex = load_date_lexicon()
    _, m = found
    if m.re is lex.patterns["dateline"]:
        year = _full_year(m["year"], None)
    else:
        year = int(m["year"])
    d = _safe_date(year, lex.months[m["mon"].rstrip(".")], int(m["day"]))
    return d.isoformat() if d else None


def _span_of(found: tuple[int, re.Match[str]] | None) -> tuple[int, int]:
    if found is None:
        return 0, 0
    pos, m = found
    return pos, pos + m.end()


def dateline_date(text: str) -> str | None:
    """The date of a wire-service dateline at the head of ``text`` ("SAN SALVADOR, 3 JAN 90 --"),
    or opening a line after a headline."""
    return _dateline_date(_dateline(text))


def _dateline_span(text: str) -> tuple[int, int]:
    """(start, end) of the dateline of the text ((0, 0) when there is none)."""
    return _span_of(_dateline(text))


def _dateline_end(text: str) -> int:
    """Offset just after a dateline at the head of the text (0 when there is none)."""
    return _dateline_span(text)[1]


def resolve_text(
    text: str,
    published: str | None,
    *,
    offset: int = 0,
    context: list[tuple[str, int]] | None = None,
    own_sentence: tuple[str, int] | None = None,
) -> ResolvedDate:
    """:func:`resolve_date` on plain text; ``offset`` shifts evidence spans.

    ``own_sentence`` is (text, offset) of the sentence the text is a clause of, with the
    clause blanked; ``context`` lists (text, offset) of other sentences to borrow a day- or
    week-precise date from, nearest first.
    """
    lex = load_date_lexicon()
    if published is None and offset == 0:
        published = dateline_date(text)
    anchor = parse_published(published)
    low = text.lower()
    skip = _dateline_end(text) if offset == 0 else 0
    found = _find(low, anchor, lex, skip_until=skip)
    primary = [f for f in found if not f.reported]
    if primary:
        f = primary[0]
        precision = f.precision
        if precision == "day" and _approximate(low, f.start, f.end, lex):
            precision = "week"
        return ResolvedDate(f.date.isoformat(), precision, f.start + offset, f.end + offset)
    habitual = bool(lex.patterns["habitual"].search(low))
    if own_sentence is not None and not habitual:
        # the span is a clause: the rest of its sentence dates it ("On Sunday, militants
        # attacked a post, killing 11"), whatever the precision; not a clause telling of
        # an ongoing activity ("..., and the group has claimed attacks in Israel recently")
        otext, ooff = own_sentence
        olow = otext.lower()
        for f in _find(olow, anchor, lex, skip_until=_dateline_end(otext) if ooff == 0 else 0):
            if not f.reported:
                precision = f.precision
                if precision == "day" and _approximate(olow, f.start, f.end, lex):
                    precision = "week"
                return ResolvedDate(f.date.isoformat(), precision, f.start + ooff, f.end + ooff)
    if habitual:
        context = []  # an ongoing activity: no single date to borrow
    for ctext, coff in context or []:
        cskip = _dateline_end(ctext) if coff == 0 else 0
        for f in _find(ctext.lower(), anchor, lex, skip_until=cskip):
            if f.precision in ("day", "week") and not f.reported:
                return ResolvedDate(f.date.isoformat(), f.precision, f.start + coff, f.end + coff)
    if found:
        # Only the report is dated ("police said on Monday that ..."): the event happened
        # around it, so the report's date with precision "week" at most.
        f = found[0]
        precision = "week" if f.precision == "day" else f.precision
        return ResolvedDate(f.date.isoformat(), precision, f.start + offset, f.end + offset)
    if anchor is not None:
        return ResolvedDate(anchor.isoformat(), "week", None, None)
    note = unanchored_note(text, lex) or "no date in the text and no publication date"
    return ResolvedDate(None, None, None, None, note)


def unanchored_note(text: str, lex: DateLexicon | None = None) -> str | None:
    """Why a text with no publication date gets no date: the relative expression it holds
    ("on Sunday", "yesterday", "3 days ago", "on 5 March" without a year) needs a date to
    count from, and guessing one would be wrong more often than not."""
    lex = lex or load_date_lexicon()
    p = lex.patterns
    low = text.lower()
    for key in ("rel_day", "rel_period", "ago", "weekday", "dm", "md", "m"):
        m = p[key].search(low)
        if m is None or (key == "md" and m["mon"].rstrip(".") == "may"):
            continue
        if key == "m" and m["mon"] == "may" and m["prep"] in ("of", "on", "by", "this"):
            continue
        expr = " ".join(text[m.start() : m.end()].split())
        return f"relative date '{expr}' and no publication date to resolve it against"
    return None


def _approximate(text: str, start: int, end: int, lex: DateLexicon) -> bool:
    before = text[max(0, start - 30) : start].rstrip()
    after = text[end : end + 20].lstrip()
    if lex.patterns["approx_before"].search(before):
        return True
    return any(after.startswith(w) for w in lex.approx_after)


_PARA_BREAK = re.compile(r"\n\s*\n|\n(?=\s)")


@dataclass(slots=True)
class _DocInfo:
    doc: Doc
    text: str
    sents: list[tuple[int, int]]
    dateline_span: tuple[int, int]
    dateline: str | None


# The coder asks once per event, and ``Doc.text`` / ``Doc.sents`` walk every token: what
# depends only on the document is computed once and kept for the latest document.
_DOC_CACHE: list[_DocInfo] = []


def _doc_info(doc: Doc) -> _DocInfo:
    if _DOC_CACHE and _DOC_CACHE[0].doc is doc:
        return _DOC_CACHE[0]
    text = doc.text
    if doc.has_annotation("SENT_START"):
        bounds = [(s.start_char, s.end_char) for s in doc.sents]
    else:
        bounds = [(m.start(), m.end()) for m in re.finditer(r"[^.!?\n]+(?:[.!?]+|$)", text)]
    found = _dateline(text)  # read once for both
    info = _DocInfo(doc, text, bounds, _span_of(found), _dateline_date(found))
    _DOC_CACHE[:] = [info]
    return info


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per document (``Doc.text`` joins every token each call)."""
    return _doc_info(doc).text


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) character offsets of the sentences of ``doc`` (cached per document)."""
    return _doc_info(doc).sents


def paragraph_bounds(doc: Doc, pos: int) -> tuple[int, int]:
    """(start, end) of the paragraph around character ``pos`` (blank lines separate them)."""
    text = _doc_info(doc).text
    start = 0
    for m in _PARA_BREAK.finditer(text, 0, pos):
        start = m.end()
    m2 = _PARA_BREAK.search(text, pos)
    return start, (m2.start() if m2 else len(text))


def continues_story(sentence: str) -> bool:
    """True when a sentence reads as the continuation of the one before it: it starts
    with a pronoun, a definite article, a count, ... (``continuation_starts``)."""
    first = re.match(r"\s*([\w’']+)", sentence)
    word = first.group(1).lower() if first else ""
    return word in load_date_lexicon().continuation or word.isdigit()


def _context_sentences(span: Span) -> tuple[tuple[str, int] | None, list[tuple[str, int]]]:
    """The rest of the span's own sentence (the span blanked, offsets kept), and up to two
    sentences before it in its paragraph, then the article's first sentence."""
    info = _doc_info(span.doc)
    text = info.text
    sents = info.sents
    lead = len(span.text) - len(span.text.lstrip())
    start = span.start_char + lead  # a sentence may begin with the paragraph break
    para_start = 0
    for m in _PARA_BREAK.finditer(text, 0, start):
        para_start = m.end()
    own = next(((a, b) for a, b in sents if a <= start < b), None)
    own_rest: tuple[str, int] | None = None
    first_char = start
    if own is not None:
        a, b = own
        first_char = min(first_char, a + len(text[a:b]) - len(text[a:b].lstrip()))
        if a < span.start_char or b > span.end_char:  # the span is a clause of it
            lo, hi = max(a, span.start_char), min(b, span.end_char)
            own_rest = (text[a:lo] + " " * (hi - lo) + text[hi:b], a)
    before = []
    for a, b in sents:
        a2 = a + len(text[a:b]) - len(text[a:b].lstrip())
        if b <= first_char and a2 >= para_start:
            before.append((a, b))
    out = [(text[a:b], a) for a, b in reversed(before[-2:])]
    continues = continues_story(text[first_char : first_char + 40])
    if continues and sents and sents[0][1] <= first_char and sents[0] not in before[-2:]:
        out.append((text[sents[0][0] : sents[0][1]], sents[0][0]))
    dateline_end = info.dateline_span[1]
    if dateline_end and span.end_char <= dateline_end + 40:  # the agency, the dash: "(AFP) --"
        # a headline (the text up to the dateline) tells the lead's event: the lead dates it
        # ("Gunmen attack police post\nSAN SALVADOR, 6 March 1990 (AFP) -- ... last night")
        nxt = next(((a, b) for a, b in sents if a >= span.end_char and b > a), None)
        if nxt is not None:
            out.append((text[nxt[0] : nxt[1]], nxt[0]))
    return own_rest, out


def resolve_date(span: Span, published: str | None) -> ResolvedDate:
    """The date of the event told in ``span`` (its sentence or sentences).

    ``published`` (``YYYY-MM-DD`` or ISO datetime) anchors relative expressions; when it
    is None the dateline at the head of the document stands in for it. Evidence offsets
    index ``span.doc.text``. See the module docstring for the cascade.
    """
    info = _doc_info(span.doc)
    if parse_published(published) is None and info.dateline is not None:
        published = info.dateline  # none given, or unreadable ("7:58 AM ET"): the dateline
    low_span = span.text
    # The dateline is publication metadata, not the event's date: blank it inside the span.
    ds, de = info.dateline_span
    lo, hi = max(ds, span.start_char), min(de, span.end_char)
    if lo < hi:
        a, b = lo - span.start_char, hi - span.start_char
        low_span = low_span[:a] + " " * (b - a) + low_span[b:]
    own_rest, context = _context_sentences(span)
    if parse_published(published) is None and info.sents:
        # No publication date: a date the text opens with ("03/15/2018: Assailants
        # attacked ...") is the only one there is for the story's later sentences.
        a, b = info.sents[0]
        if b <= span.start_char and (info.text[a:b], a) not in context:
            context.append((info.text[a:b], a))
    return resolve_text(
        low_span, published, offset=span.start_char, context=context, own_sentence=own_rest
    )
