"""Trends: events and fatalities per week or month by region, actor or type, and surges.

Series
------
:func:`series` counts events and sums fatalities per period (``week``: ISO weeks, Monday
first, labelled ``2015-W03``; ``month``: ``2015-01``) for each group of :data:`BY` (country,
admin1 within its country, actor, event type), in one DuckDB query over the corrected events
(:func:`eventscope.query.events_from`, so analysts' corrections and rejections count), with
the same filters as the event list (:class:`eventscope.query.EventFilter`) and optionally
their ``origin`` ('machine' or 'acled'). Every group gets every period of the range, zeros
included, so series line up. An event counts in a period only when its date is at least as
precise as the period: a month-precision date is kept out of weekly series (it would pile up
on the month's first Monday), a year-precision date out of both; ``left_out`` says how many.
An actor's series counts the events it took part in (actor 1 or actor 2).

Surges: which test, and why
---------------------------
A period is a surge when its count (or its fatalities) is improbably high against the same
group's own trailing baseline: the ``baseline`` periods just before it (default 8).

* **Events: Poisson, or negative binomial when the baseline is over-dispersed.** Counts of
  independent events in a fixed window are Poisson to a first approximation, so the p-value
  is the upper tail P(X >= observed) with the mean of the baseline as the rate. Conflict is
  bursty, though: when the baseline's sample variance exceeds its mean, a Poisson tail is far
  too small and flags every ordinary bad week; then the tail is that of a negative binomial
  with the baseline's mean and variance (method of moments), which is wider. The Poisson
  tail is the negative binomial's limit when the variance equals the mean, so the two agree
  where they meet.
* **Fatalities: negative binomial with a compound-Poisson floor on the variance.** Deaths
  come in clusters (one massacre is 30 deaths in one event), so fatality totals are never
  Poisson: if events are Poisson with rate r and an event kills f, the period's total has
  variance r E[f^2], far above its mean r E[f]. The variance used is therefore the larger
  of the baseline's sample variance (8 numbers: noisy, often far too small) and that
  compound-Poisson variance, estimated per period as the sum of f^2 over its events
  (computed in the same SQL), averaged over the baseline; a group whose baseline holds no
  deaths borrows E[f^2] from all groups of the series (times its own event rate). Measured
  on benchmarks/bench_trends.py's synthetic store, whose 15 countries x 4 years are
  stationary by construction (any alert is false): 21 false weekly fatality alerts in
  3,000 tests with the earlier floor (mean x fatalities per event, which ignores the spread
  of the tolls) against 2 with this one, as the nominal 0.001 expects.
* **Guards.** The baseline's mean is never taken as 0: half an event is added to its total
  (a Jeffreys-like prior), so a first event against an empty history gets a finite,
  honest p-value. A surge also needs at least ``min_count`` events (default 5; fatalities:
  ``min_fatalities``, default 10), so 0 -> 2 is never a surge however small its p-value,
  at least ``min_ratio`` times the baseline mean (default 1.5), and a full baseline: the
  first ``baseline`` periods of the data are never tested.
* **Multiple testing.** Many groups times many periods are tested, so the default level is
  strict (p <= 0.001): 50 countries over 52 weeks is 2,600 tests, about 2.6 false alarms a
  year at that level on a truly flat world, against 26 at 0.01.

Everything here is deterministic: the same store and rules give the same alerts in the same
order (sorted by period, then p-value, then group).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from .errors import ConfigError
from .query import EventFilter, events_from
from .store import Store

#: What a series can be grouped by: name -> SQL expressions of (key, country, country_code).
BY = ("country", "admin1", "actor", "event_type")
EVERY = ("week", "month")
ORIGINS = ("machine", "acled")

#: Date precisions fine enough for each period length (events.date_precision).
_PRECISE_ENOUGH = {"week": ("day", "week"), "month": ("day", "week", "month")}

DEFAULT_BASELINE = 8
DEFAULT_P_VALUE = 0.001
DEFAULT_MIN_COUNT = 5
DEFAULT_MIN_FATALITIES = 10
DEFAULT_MIN_RATIO = 1.5


# --------------------------------------------------------------------------- series
@dataclass(slots=True)
class Series:
    """One group's counts and fatalities per period (all of ``periods``, zeros included)."""

    key: str
    country: str | None
    country_code: str | None
    events: list[int]
    fatalities: list[int]
    #: per period, the sum over its events of fatalities squared (the compound-Poisson
    #: variance of the fatalities); None when unknown
    fatalities_sq: list[int] | None = None

    @property
    def total(self) -> int:
        return sum(self.events)

    def squares(self) -> list[float]:
        """``fatalities_sq``, or when unknown its lower bound (sum f)^2 / n (equal tolls)."""
        if self.fatalities_sq is not None:
            return [float(x) for x in self.fatalities_sq]
        return [
            f * f / n if n else float(f * f)
            for f, n in zip(self.fatalities, self.events, strict=True)
        ]


@dataclass(slots=True)
class Trends:
    """Series of several groups over the same periods (oldest first)."""

    by: str
    every: str
    periods: list[date]  # first day of each period
    series: list[Series]
    left_out: int  # events whose date is too coarse for the period length

    def labels(self) -> list[str]:
        return [period_label(p, self.every) for p in self.periods]

    def pooled_sq(self) -> float:
        """Mean squared fatalities per event over every group and period (at least 1)."""
        n = sum(s.total for s in self.series)
        return max(1.0, sum(sum(s.squares()) for s in self.series) / n) if n else 1.0

    def to_dict(self, surge_test: SurgeTest | None = None) -> dict[str, Any]:
        """JSON-ready; with ``surge_test`` each series also lists its surges."""
        labels = self.labels()
        pooled = self.pooled_sq()
        return {
            "by": self.by,
            "every": self.every,
            "periods": [
                {
                    "period": lab,
                    "start": p.isoformat(),
                    "end": period_end(p, self.every).isoformat(),
                }
                for lab, p in zip(labels, self.periods, strict=True)
            ],
            "left_out": self.left_out,
            "series": [
                {
                    "key": s.key,
                    "country": s.country,
                    "country_code": s.country_code,
                    "iso_numeric": iso_numeric(s.country_code) if self.by == "country" else None,
                    "events": s.events,
                    "fatalities": s.fatalities,
                    "total_events": s.total,
                    "total_fatalities": sum(s.fatalities),
                    "change": change(s.events),
                    **(
                        {"surges": _surge_dicts(s, surge_test, labels, pooled)}
                        if surge_test
                        else {}
                    ),
                }
                for s in self.series
            ],
        }

    def rows(self) -> list[dict[str, Any]]:
        """One row per group and period (the long form the CLI's table and CSV print)."""
        labels = self.labels()
        return [
            {"key": s.key, "country": s.country, "period": lab, "events": n, "fatalities": f}
            for s in self.series
            for lab, n, f in zip(labels, s.events, s.fatalities, strict=True)
        ]


@lru_cache(maxsize=512)
def iso_numeric(alpha2: str | None) -> str | None:
    """ISO 3166 numeric code of an alpha-2 code ('ML' -> '466'), the map shapes' ids."""
    if not alpha2:
        return None
    import pycountry

    c = pycountry.countries.get(alpha_2=alpha2.upper())
    return str(c.numeric) if c is not None else None


def _surge_dicts(
    s: Series, test: SurgeTest, labels: list[str], pooled: float
) -> list[dict[str, Any]]:
    return [
        {
            "index": h.index,
            "period": labels[h.index],
            "measure": h.measure,
            "observed": h.observed,
            "expected": h.expected,
            "p_value": float(f"{h.p_value:.3g}"),
        }
        for h in surges(s, test=test, pooled_sq=pooled)
    ]


def period_label(start: date, every: str) -> str:
    if every == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{start.year}-{start.month:02d}"


def period_end(start: date, every: str) -> date:
    """The last day of the period that begins on ``start``."""
    return next_period(start, every) - timedelta(days=1)


def next_period(start: date, every: str) -> date:
    if every == "week":
        return start + timedelta(days=7)
    return date(start.year + (start.month == 12), start.month % 12 + 1, 1)


def _check(by: str, every: str, origin: str | None) -> None:
    if by not in BY:
        raise ConfigError(f"cannot group trends by {by!r}; choose one of {', '.join(BY)}")
    if every not in EVERY:
        raise ConfigError(f"unknown period {every!r}; choose one of {', '.join(EVERY)}")
    if origin is not None and origin not in ORIGINS:
        raise ConfigError(f"unknown origin {origin!r}; choose one of {', '.join(ORIGINS)}")


def _has_origin(store: Store) -> bool:
    row = store.con.execute(
        "SELECT count(*) FROM information_schema.columns "
        "WHERE table_name = 'events' AND column_name = 'origin'"
    ).fetchone()
    return bool(row and row[0])


def _origin_clause(store: Store, origin: str | None) -> tuple[str, list[Any]]:
    """Filter on the events' origin; a store without the column holds machine events only."""
    if origin is None:
        return "TRUE", []
    if _has_origin(store):
        return "e.origin = ?", [origin]
    return ("TRUE" if origin == "machine" else "FALSE"), []


# The group of each event: (key, country, country_code) as SQL over ``e``. An admin1 is
# named with its country (admin1 names repeat across countries: Punjab, Georgia).
_GROUP_SQL = {
    "country": ("e.country", "e.country", "e.country_code"),
    "admin1": ("e.admin1 || ', ' || e.country", "e.country", "e.country_code"),
    "event_type": ("e.event_type", "NULL", "NULL"),
    "actor": ("a.actor", "NULL", "NULL"),
}


def series(
    store: Store,
    flt: EventFilter | None = None,
    *,
    by: str = "country",
    every: str = "month",
    origin: str | None = None,
    top: int | None = None,
) -> Trends:
    """Counts and fatalities per period for each group, the largest groups first.

    ``top`` keeps the ``top`` groups with the most events (ties by name); the periods run
    from the first to the last period with an event (or from ``flt.since`` / to
    ``flt.until`` when set), every group over all of them.
    """
    _check(by, every, origin)
    flt = flt or EventFilter()
    where, params = flt.where()
    o_sql, o_params = _origin_clause(store, origin)
    key, country, code = _GROUP_SQL[by]
    precise = _PRECISE_ENOUGH[every]
    source = f"{events_from()}"
    if by == "actor":
        # One row per (event, actor it involves): actor1 and actor2, each once.
        source = (
            f"{events_from()} CROSS JOIN (SELECT DISTINCT unnest(list_filter("
            "[e.actor1, e.actor2], x -> x IS NOT NULL AND x <> '')) AS actor) a"
        )
    base_where = f"{where} AND {o_sql} AND e.event_date IS NOT NULL"
    sql = f"""
        WITH ev AS (
            SELECT {key} AS key, {country} AS country, {code} AS code,
                   CAST(date_trunc('{every}', e.event_date) AS DATE) AS period,
                   e.fatalities AS fatalities
            FROM {source}
            WHERE {base_where}
              AND coalesce(e.date_precision, 'day') IN ({", ".join("?" for _ in precise)})
        )
        SELECT key, any_value(country), any_value(code), period, count(*),
               coalesce(sum(fatalities), 0),
               coalesce(sum(CAST(fatalities AS BIGINT) * fatalities), 0)
        FROM ev WHERE key IS NOT NULL GROUP BY key, period
    """
    rows = store.con.execute(sql, [*params, *o_params, *precise]).fetchall()
    left = store.con.execute(
        f"SELECT count(*) FROM {events_from()} WHERE {base_where} AND "
        f"coalesce(e.date_precision, 'day') NOT IN ({', '.join('?' for _ in precise)})",
        [*params, *o_params, *precise],
    ).fetchone()
    left_out = int(left[0]) if left else 0
    present = [r[3] for r in rows]
    if flt.since:
        present.append(_trunc(flt.since, every))
    if flt.until:
        present.append(_trunc(flt.until, every))
    periods = _periods(present, every)
    index = {p: i for i, p in enumerate(periods)}
    groups: dict[str, Series] = {}
    for k, ctry, cc, p, n, f, f2 in rows:
        if p not in index:  # outside since/until (cannot happen with the filter, but be safe)
            continue
        s = groups.get(k)
        if s is None:
            zeros = [0] * len(periods)
            s = groups[k] = Series(k, ctry, cc, list(zeros), list(zeros), list(zeros))
        s.events[index[p]] = int(n)
        s.fatalities[index[p]] = int(f)
        s.fatalities_sq[index[p]] = int(f2)  # type: ignore[index]
    ordered = sorted(groups.values(), key=lambda s: (-s.total, s.key))
    if top is not None:
        ordered = ordered[: max(0, top)]
    return Trends(by=by, every=every, periods=periods, series=ordered, left_out=left_out)


def _trunc(d: date, every: str) -> date:
    if every == "week":
        return d - timedelta(days=d.weekday())
    return date(d.year, d.month, 1)


MAX_PERIODS = 2000


def _periods(present: list[date], every: str) -> list[date]:
    if not present:
        return []
    first, last = min(present), max(present)
    out = [first]
    while out[-1] < last:
        if len(out) >= MAX_PERIODS:
            raise ConfigError(
                f"{period_label(first, every)} to {period_label(last, every)} is more than "
                f"{MAX_PERIODS} periods; narrow it with since/until or use a longer period"
            )
        out.append(next_period(out[-1], every))
    return out


def change(values: list[int], *, baseline: int = DEFAULT_BASELINE) -> dict[str, Any] | None:
    """The last period against the mean of up to ``baseline`` periods before it.

    ``ratio`` is (last + 0.5) / (mean + 0.5), so it is defined for a zero baseline and a
    0 -> 0 change is 1; ``None`` for a series of fewer than two periods.
    """
    if len(values) < 2:
        return None
    last = values[-1]
    window = values[-1 - baseline : -1]
    mean = sum(window) / len(window)
    return {
        "last": last,
        "baseline_mean": round(mean, 3),
        "ratio": round((last + 0.5) / (mean + 0.5), 3),
    }


# --------------------------------------------------------------------------- tails
def poisson_sf(k: int, mu: float) -> float:
    """P(X >= k) for X ~ Poisson(mu)."""
    if k <= 0:
        return 1.0
    if mu <= 0:
        return 0.0
    if k <= mu:  # the tail is large: 1 - P(X < k), summed from 0
        return max(0.0, 1.0 - sum(math.exp(_poisson_logpmf(i, mu)) for i in range(k)))
    return min(1.0, _sum_tail(lambda i: _poisson_logpmf(i, mu), k))


def nbinom_sf(k: int, mean: float, var: float) -> float:
    """P(X >= k) for a negative binomial with this mean and variance (> mean).

    With variance <= mean it is the Poisson tail (the negative binomial's limit).
    """
    if k <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    if var <= mean * (1 + 1e-9):
        return poisson_sf(k, mean)
    r = mean * mean / (var - mean)  # size
    p = mean / var  # success probability: mean = r (1 - p) / p
    if k <= mean:
        return max(0.0, 1.0 - sum(math.exp(_nb_logpmf(i, r, p)) for i in range(k)))
    return min(1.0, _sum_tail(lambda i: _nb_logpmf(i, r, p), k))


def _poisson_logpmf(i: int, mu: float) -> float:
    return i * math.log(mu) - mu - math.lgamma(i + 1)


def _nb_logpmf(i: int, r: float, p: float) -> float:
    return (
        math.lgamma(i + r)
        - math.lgamma(r)
        - math.lgamma(i + 1)
        + r * math.log(p)
        + i * math.log1p(-p)
    )


def _sum_tail(logpmf: Any, k: int) -> float:
    """Sum pmf(i) for i >= k, past the mode, until the terms no longer matter."""
    total = 0.0
    i = k
    while True:
        term = math.exp(logpmf(i))
        total += term
        if term <= total * 1e-15 or (term == 0.0 and i > k + 10) or i - k > 1_000_000:
            return total
        i += 1


# --------------------------------------------------------------------------- surges
@dataclass(frozen=True, slots=True)
class SurgeTest:
    """The thresholds of a surge test (see the module docstring for why these defaults)."""

    baseline: int = DEFAULT_BASELINE
    p_value: float = DEFAULT_P_VALUE
    min_count: int = DEFAULT_MIN_COUNT
    min_fatalities: int = DEFAULT_MIN_FATALITIES
    min_ratio: float = DEFAULT_MIN_RATIO


@dataclass(frozen=True, slots=True)
class Surge:
    """One period of one group that the test found improbably high."""

    index: int  # position of the period in the series
    measure: str  # "events" or "fatalities"
    observed: int
    expected: float  # the baseline's mean
    ratio: float
    p_value: float
    test: str  # "poisson" or "negative-binomial"


def check_period(
    values: list[int], i: int, *, measure: str, test: SurgeTest, var_floor: float = 0.0
) -> Surge | None:
    """Test period ``i`` of ``values`` against the ``test.baseline`` periods before it.

    The variance used is the baseline's sample variance, at least ``var_floor`` (the
    compound-Poisson variance for fatalities, see :func:`surges`).
    """
    k = test.baseline
    if i < k or i >= len(values):
        return None
    observed = values[i]
    floor = test.min_count if measure == "events" else test.min_fatalities
    if observed < floor:
        return None
    window = values[i - k : i]
    raw_mean = sum(window) / k
    mean = (sum(window) + 0.5) / k  # never 0: half an event added to the history
    if observed < test.min_ratio * mean:
        return None
    var = sum((v - raw_mean) ** 2 for v in window) / (k - 1) if k > 1 else mean
    var = max(var, var_floor)
    if var > mean * (1 + 1e-9):
        p, name = nbinom_sf(observed, mean, var), "negative-binomial"
    else:
        p, name = poisson_sf(observed, mean), "poisson"
    if p > test.p_value:
        return None
    return Surge(
        index=i,
        measure=measure,
        observed=observed,
        expected=round(mean, 3),
        ratio=round(observed / mean, 2),
        p_value=p,
        test=name,
    )


def surges(
    s: Series,
    *,
    test: SurgeTest | None = None,
    measures: tuple[str, ...] = ("events", "fatalities"),
    pooled_sq: float = 1.0,
) -> list[Surge]:
    """Every surge of one series, oldest first (events before fatalities in a period).

    Fatalities are tested with the compound-Poisson variance as a floor: the baseline's
    mean per period of the sum of squared fatalities per event, and at least the baseline's
    event rate times ``pooled_sq`` (the mean squared fatalities per event of all groups,
    :meth:`Trends.pooled_sq`), which a group without deaths in its baseline borrows.
    """
    test = test or SurgeTest()
    k = test.baseline
    sq = s.squares()
    out: list[Surge] = []
    for i in range(k, len(s.events)):
        if "events" in measures:
            hit = check_period(s.events, i, measure="events", test=test)
            if hit:
                out.append(hit)
        if "fatalities" in measures:
            rate = (sum(s.events[i - k : i]) + 0.5) / k
            floor = max(sum(sq[i - k : i]) / k, rate * max(1.0, pooled_sq))
            hit = check_period(s.fatalities, i, measure="fatalities", test=test, var_floor=floor)
            if hit:
                out.append(hit)
    return out
