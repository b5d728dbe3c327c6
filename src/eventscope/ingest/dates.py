"""Publication dates: normalise what inputs give to ``YYYY-MM-DD``; read datelines.

``published`` anchors relative dates ("yesterday", "on Sunday"), so a wrong date
is worse than none: anything that does not parse to a full calendar day is
``None`` (the caller logs a warning naming the document).

A timestamp keeps the calendar date as written in it (the publisher's local
day): "2022-05-11T23:30:00-05:00" is 2022-05-11, not the UTC day after, because
the reporter's "today" is the local day.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import time
from dataclasses import dataclass

_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("jan", "january", "ene", "enero"),
            ("feb", "february", "febrero"),
            ("mar", "march", "marzo"),
            ("apr", "april", "abr", "abril"),
            ("may", "mayo"),
            ("jun", "june", "junio"),
            ("jul", "july", "julio"),
            ("aug", "august", "ago", "agosto"),
            ("sep", "sept", "september", "septiembre"),
            ("oct", "october", "octubre"),
            ("nov", "november", "noviembre"),
            ("dec", "december", "dic", "diciembre"),
        ),
        start=1,
    )
    for name in names
}

_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_NUMERIC_RE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_DMY_RE = re.compile(r"(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4}|\d{2})\b")
_MDY_RE = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4}|\d{2})\b")

#: A wire-service dateline opening the text: a place in capitals, a comma, a full
#: date, then the dash or agency that ends a dateline ("SAN SALVADOR, 3 JAN 90 --",
#: "LIMA, January 3, 1990 (AFP) -"). Only full dates count: a dateline without a
#: year ("KABUL, May 11 (Reuters) -") cannot anchor anything by itself.
_DATELINE_RE = re.compile(
    r"\A\s*(?:\[[^\]\n]{0,80}\]\s*)?"
    r"[A-Z][A-Z .,'’()/-]{1,60}?,\s+"
    r"(?P<date>\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+(?:\d{4}|\d{2})"
    r"|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+(?:\d{4}|\d{2}))"
    r"\s*(?:\([^)\n]{1,40}\)\s*)?(?:--|—|–|-|:|\()"
)


def _two_digit_year(yy: int) -> int:
    # POSIX strptime's %y pivot: 69-99 -> 1900s, 00-68 -> 2000s (fixed, so that
    # output does not depend on the day the program runs).
    return 1900 + yy if yy >= 69 else 2000 + yy


def _make(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _numeric(a: int, b: int, year: int) -> str | None:
    """11/28/2016 or 28.11.2016: only when the order of day and month is certain."""
    if a == b:
        return _make(year, a, b)
    if a > 12 >= b:
        return _make(year, b, a)
    if b > 12 >= a:
        return _make(year, a, b)
    return None  # 05/11/2022: 5 November or May 11? Unknown beats wrong.


def _from_words(day: str, month: str, year: str) -> str | None:
    m = _MONTHS.get(month.lower().rstrip("."))
    if m is None:
        return None
    y = int(year)
    if len(year) == 2:
        y = _two_digit_year(y)
    return _make(y, m, int(day))


def normalise_date(value: object) -> str | None:
    """A publication date as ``YYYY-MM-DD``, or None when it is not a full date.

    Accepts ``date``/``datetime``, ``time.struct_time`` (feedparser), ISO 8601
    dates and timestamps, RFC 2822 dates (RSS, e-mail, HTTP, WARC headers use
    ISO or RFC forms), day-month-year or month-day-year with month names, and
    numeric dates whose day/month order is certain (28/11/2016, 11/28/2016).
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, time.struct_time):
        return _make(value.tm_year, value.tm_mon, value.tm_mday)
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s:
        return None
    m = _ISO_DATE_RE.match(s)
    if m:
        rest = s[m.end() :]
        if not rest or rest[0] in "T t" or rest[0] == "Z":
            return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return None
    if re.fullmatch(r"\d{8}", s):  # 20220511 (WARC/1.0 file names, some APIs)
        return _make(int(s[:4]), int(s[4:6]), int(s[6:]))
    m = _NUMERIC_RE.fullmatch(s)
    if m:
        return _numeric(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    try:
        parsed = email.utils.parsedate_to_datetime(s)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        return parsed.date().isoformat()
    m = _DMY_RE.search(s)
    if m:
        return _from_words(m.group(1), m.group(2), m.group(3))
    m = _MDY_RE.search(s)
    if m:
        return _from_words(m.group(2), m.group(1), m.group(3))
    return None


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dated dateline at the start of a text: its date and the span of the date."""

    date: str
    start: int
    end: int


def find_dateline(text: str) -> Dateline | None:
    """The publication date given by a wire dateline opening ``text``, if any."""
    m = _DATELINE_RE.match(text[:300])
    if not m:
        return None
    date = normalise_date(m.group("date"))
    if date is None:
        return None
    return Dateline(date, m.start("date"), m.end("date"))
