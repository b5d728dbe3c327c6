"""Trends and surge alerts on synthetic series and synthetic stores (no dev data)."""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from pathlib import Path

import pytest

from eventscope import alerts as al
from eventscope import trends as tr
from eventscope.cli import main
from eventscope.errors import ConfigError
from eventscope.query import EventFilter
from eventscope.records import Article, DocumentResult, Event, content_id
from eventscope.store import Store

MONDAY = date(2024, 1, 1)  # a Monday, ISO week 2024-W01


def add_events(store: Store, rows: list[dict[str, object]], *, doc: str = "synthetic") -> None:
    """Store ``rows`` (Event fields) as the events of one article (one transaction)."""
    events = []
    for i, r in enumerate(rows):
        fields: dict[str, object] = {
            "plover": "ASSAULT",
            "event_type": "Battles",
            "date_precision": "day",
            "country": "Mali",
            "country_code": "ML",
            "admin1": "Gao",
            "actor1": "JNIM",
            **r,
        }
        events.append(Event(event_id=content_id(f"{doc}|{i}", prefix="ev-"), **fields))  # type: ignore[arg-type]
    store.add_result(
        DocumentResult(
            article=Article(id=doc, text=f"{doc} text", fmt="text"), events=events, places=[]
        )
    )


def weekly(counts: list[int], *, deaths: int = 1, **fields: object) -> list[dict[str, object]]:
    """``counts[i]`` events in week i from MONDAY, each with ``deaths`` fatalities."""
    rows = []
    for week, n in enumerate(counts):
        for j in range(n):
            day = MONDAY + timedelta(days=7 * week + j % 7)
            rows.append({"event_date": day.isoformat(), "fatalities": deaths, **fields})
    return rows


FLAT = [6, 5, 7, 6, 5, 6, 7, 5, 6, 6, 5, 7]


@pytest.fixture
def store() -> Store:
    return Store.open(":memory:")


# ------------------------------------------------------------------------------ tails
def test_tails_match_known_values() -> None:
    # P(X >= 10 | Poisson(2)) and a negative binomial of mean 2, variance 6 (size 1, p 1/3):
    # P(X >= k) = (2/3)^k.
    assert tr.poisson_sf(10, 2.0) == pytest.approx(4.6498075e-05, rel=1e-6)
    assert tr.nbinom_sf(10, 2.0, 6.0) == pytest.approx((2 / 3) ** 10, rel=1e-9)
    assert tr.nbinom_sf(3, 2.0, 6.0) == pytest.approx((2 / 3) ** 3, rel=1e-9)
    assert tr.poisson_sf(0, 3.0) == 1.0
    # far tails stay accurate (summed upward, not 1 - the rest)
    assert tr.poisson_sf(500, 300.0) == pytest.approx(3.8074e-26, rel=1e-3)
    # equal variance and mean: the negative binomial is the Poisson
    assert tr.nbinom_sf(9, 4.0, 4.0) == tr.poisson_sf(9, 4.0)


# ------------------------------------------------------------------------------ surges
def _series(events: list[int], fatalities: list[int] | None = None) -> tr.Series:
    return tr.Series("Mali", "Mali", "ML", events, fatalities or [0] * len(events))


def test_clear_surge_is_found_in_its_period() -> None:
    s = _series([*FLAT, 30, 6])
    hits = tr.surges(s, measures=("events",))
    assert [(h.index, h.observed) for h in hits] == [(12, 30)]
    assert hits[0].p_value < 1e-6
    assert hits[0].expected == pytest.approx((sum(FLAT[4:12]) + 0.5) / 8, abs=1e-3)


def test_flat_series_has_no_surge() -> None:
    assert tr.surges(_series(FLAT * 3, [n * 2 for n in FLAT * 3])) == []


def test_zero_to_two_is_never_a_surge() -> None:
    s = _series([0] * 10 + [2])
    level = tr.SurgeTest(p_value=0.01)
    assert tr.surges(s) == [] and tr.surges(s, test=level) == []
    # ...though its p-value (0.0019) is below that level: the minimum count is what stops it
    assert tr.poisson_sf(2, 0.5 / 8) < 0.01
    loose = tr.SurgeTest(p_value=0.01, min_count=2)
    assert [h.observed for h in tr.surges(s, test=loose, measures=("events",))] == [2]


def test_overdispersed_baseline_needs_more_to_alarm() -> None:
    bursty = [0, 12, 1, 0, 14, 2, 0, 11]  # mean 5, variance ~36
    steady = [5, 5, 6, 4, 5, 5, 4, 6]  # mean 5, variance ~0.6
    for history, expect in ((bursty, []), (steady, [16])):
        hits = tr.surges(_series([*history, 16]), measures=("events",))
        assert [h.observed for h in hits] == expect
    hit = tr.check_period([*bursty, 16], 8, measure="events", test=tr.SurgeTest(p_value=1))
    assert hit is not None and hit.test == "negative-binomial"


def test_one_deadly_attack_is_not_a_fatality_surge_where_attacks_are_deadly() -> None:
    # Two attacks a week killing 10 each; one week of 40 deaths (one more attack, and a
    # deadlier one) is within what clustered deaths do. A Poisson test would call it a surge.
    events = [2] * 8 + [3]
    deaths = [20, 18, 22, 20, 21, 19, 20, 20, 40]
    assert tr.surges(_series(events, deaths), measures=("fatalities",)) == []
    assert tr.poisson_sf(40, 20.0) < 0.001
    # 200 deaths in that week is a surge
    hits = tr.surges(_series(events, [*deaths[:8], 200]), measures=("fatalities",))
    assert [(h.measure, h.observed) for h in hits] == [("fatalities", 200)]


def test_uneven_tolls_widen_the_fatality_baseline() -> None:
    # Two events a week, 20 dead a week: equal tolls (10 + 10) or one deadly attack (20 + 0).
    # The second is burstier (sum of squares 400, not 200), so 100 dead is less surprising.
    events, deaths = [2] * 8 + [3], [20] * 8 + [100]
    even = tr.Series("Mali", "Mali", "ML", events, deaths, [200] * 8 + [3400])
    uneven = tr.Series("Mali", "Mali", "ML", events, deaths, [400] * 8 + [3400])
    assert [h.observed for h in tr.surges(even, measures=("fatalities",))] == [100]
    assert tr.surges(uneven, measures=("fatalities",)) == []
    # the squares come from the store, per period, in the same query
    store = Store.open(":memory:")
    add_events(store, [{"event_date": "2024-01-02", "fatalities": f} for f in (20, 0, 3)])
    (s,) = tr.series(store, every="week").series
    assert s.fatalities_sq == [409]


def test_surge_detection_is_deterministic() -> None:
    s = _series([*FLAT, 30, 6, 25], [*FLAT, 90, 5, 80])
    first = tr.surges(s)
    assert first == tr.surges(s)
    assert [h.index for h in first] == sorted(h.index for h in first)


# ------------------------------------------------------------------------------ series
def test_series_counts_per_week_with_zero_weeks(store: Store) -> None:
    add_events(store, weekly([2, 0, 3], deaths=4))
    add_events(
        store,
        weekly([1], deaths=0, country="Niger", country_code="NE", admin1="Tillaberi"),
        doc="niger",
    )
    t = tr.series(store, by="country", every="week")
    assert t.labels() == ["2024-W01", "2024-W02", "2024-W03"]
    mali, niger = t.series
    assert (mali.key, mali.events, mali.fatalities) == ("Mali", [2, 0, 3], [8, 0, 12])
    assert (niger.key, niger.events) == ("Niger", [1, 0, 0])
    d = t.to_dict()
    assert d["series"][0]["iso_numeric"] == "466"
    assert d["periods"][1] == {"period": "2024-W02", "start": "2024-01-08", "end": "2024-01-14"}


def test_series_groups_and_filters(store: Store) -> None:
    add_events(
        store,
        [
            {"event_date": "2024-01-03", "fatalities": 2, "actor2": "Military Forces of Mali"},
            {
                "event_date": "2024-02-10",
                "fatalities": 1,
                "admin1": "Mopti",
                "event_type": "Violence against civilians",
            },
            {
                "event_date": "2024-02-20",
                "fatalities": 0,
                "admin1": "Punjab",
                "country": "Pakistan",
                "country_code": "PK",
                "actor1": "Police Forces of Pakistan",
            },
        ],
    )
    t = tr.series(store, by="admin1", every="month")
    assert {s.key: s.events for s in t.series} == {
        "Gao, Mali": [1, 0],
        "Mopti, Mali": [0, 1],
        "Punjab, Pakistan": [0, 1],
    }
    actors = {s.key: s.events for s in tr.series(store, by="actor", every="month").series}
    assert actors["JNIM"] == [1, 1]
    assert actors["Military Forces of Mali"] == [1, 0]  # actor 2 counts too
    types = tr.series(store, EventFilter(country="ML"), by="event_type", every="month")
    assert {s.key: s.fatalities for s in types.series} == {
        "Battles": [2, 0],
        "Violence against civilians": [0, 1],
    }
    # since/until widen the range with empty periods
    wide = tr.series(store, EventFilter(since=date(2023, 12, 1)), every="month")
    assert wide.labels() == ["2023-12", "2024-01", "2024-02"]


def test_coarse_dates_stay_out_of_shorter_periods(store: Store) -> None:
    add_events(
        store,
        [
            {"event_date": "2024-03-01", "date_precision": "month", "fatalities": 5},
            {"event_date": "2024-03-12", "fatalities": 1},
        ],
    )
    weekly_t = tr.series(store, every="week")
    assert weekly_t.left_out == 1 and sum(weekly_t.series[0].events) == 1
    monthly_t = tr.series(store, every="month")
    assert monthly_t.left_out == 0 and monthly_t.series[0].events == [2]


def test_origin_filter_on_a_store_without_origins(store: Store) -> None:
    add_events(store, weekly([1, 2]))
    assert tr.series(store, origin="machine").series[0].events == [3]
    assert tr.series(store, origin="acled").series == []
    with pytest.raises(ConfigError, match="origin"):
        tr.series(store, origin="gdelt")


def test_bad_grouping_is_a_config_error(store: Store) -> None:
    with pytest.raises(ConfigError, match="cannot group trends by 'plover'"):
        tr.series(store, by="plover")


# ------------------------------------------------------------------------------ rules
def test_shipped_rules_load() -> None:
    rules = al.load_rules()
    assert len(rules) >= 3
    assert {r.by for r in rules} <= set(tr.BY)
    assert all(0 < r.test.p_value < 0.5 for r in rules)


RULES = """
defaults: {baseline: 8, min_count: 5}
rules:
  - name: weekly
    by: country
    every: week
    measure: events
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules: []", "'rules' must be a non-empty list"),
        ("rules:\n  - by: country", "rule 1: 'name' is required"),
        ("rules:\n  - {name: a, by: district}", "rule 1 ('a'): by 'district' is not one of"),
        ("rules:\n  - {name: a, p_value: 2}", "p_value must be a number from 0 to 0.5"),
        ("rules:\n  - {name: a, min_count: 2.5}", "min_count must be a whole number"),
        ("rules:\n  - {name: a, treshold: 3}", "unknown key(s) treshold"),
        ("rules:\n  - {name: a}\n  - {name: a}", "rule 2 ('a'): another rule has the name"),
        ("rules:\n  - {name: a, event_type: Fights}", "not an ACLED event type"),
        ("defaults: {country: Mali}\nrules:\n  - {name: a}", "defaults: unknown key(s) country"),
        ("rules: [", "not valid YAML"),
        ("- name: a", "expected a mapping with a 'rules' list"),
    ],
)
def test_bad_rules_name_the_file_and_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "my_rules.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        al.load_rules(path)
    assert str(err.value).startswith(str(path))
    assert message in str(err.value)


def test_rules_defaults_and_event_type_case(tmp_path: Path) -> None:
    rules = al.parse_rules(RULES + "    event_type: battles\n    p_value: 0.01\n")
    (r,) = rules
    assert (r.by, r.every, r.measures(), r.event_type) == (
        "country",
        "week",
        ("events",),
        "Battles",
    )
    assert (r.test.baseline, r.test.min_count, r.test.p_value) == (8, 5, 0.01)


# ------------------------------------------------------------------------------ alerts
def surge_store(store: Store) -> Store:
    add_events(store, weekly([*FLAT, 30, 6]))
    add_events(
        store,
        weekly(FLAT + FLAT[:2], country="Niger", country_code="NE", admin1="Tillaberi"),
        doc="niger",
    )
    return store


def test_alerts_find_the_surge_and_only_it(store: Store) -> None:
    found = al.find_alerts(surge_store(store), al.parse_rules(RULES))
    assert [(a["key"], a["period"], a["measure"], a["observed"]) for a in found] == [
        ("Mali", "2024-W13", "events", 30)
    ]
    a = found[0]
    assert a["start"] == "2024-03-25" and a["end"] == "2024-03-31"
    assert a["test"] in ("poisson", "negative-binomial") and a["p_value"] < 1e-6
    assert "country=Mali" in a["query"] and "since=2024-03-25" in a["query"]
    # the same store and rules give the same alerts, ids included
    assert al.find_alerts(store, al.parse_rules(RULES)) == found
    # --last 1: only the last week is tested, and it is no surge
    assert al.find_alerts(store, al.parse_rules(RULES), last=1) == []


def test_cli_trends_and_alerts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "t.duckdb"
    with Store.open(db) as s:
        surge_store(s)
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES)
    assert main(["trends", "--db", str(db), "--every", "week", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "key,country,period,events,fatalities"
    assert "Mali,Mali,2024-W13,30,30" in lines
    assert main(["trends", "--db", str(db), "--every", "month", "--format", "json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert [p["period"] for p in body["periods"]] == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert main(["trends", "--db", str(db), "--every", "week"]) == 0
    table = capsys.readouterr().out
    assert "2024-W13" in table and "30 (30)" in table
    assert main(["alerts", "--db", str(db), "--rules", str(rules), "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert [(a["key"], a["period"]) for a in found] == [("Mali", "2024-W13")]
    assert main(["alerts", "--db", str(db), "--rules", str(rules)]) == 0
    assert "2024-W13" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - {name: x, every: day}\n")
    assert main(["alerts", "--db", str(db), "--rules", str(bad)]) == 2
    assert f"{bad}: rule 1 ('x'): every 'day'" in capsys.readouterr().err


def test_change_ratio_is_defined_for_zero_baselines() -> None:
    assert tr.change([0, 0, 0]) == {"last": 0, "baseline_mean": 0.0, "ratio": 1.0}
    c = tr.change([2, 2, 8])
    assert c is not None and c["ratio"] == pytest.approx(8.5 / 2.5)
    assert tr.change([3]) is None
    assert math.isfinite(tr.change([0, 9])["ratio"])  # type: ignore[index]
