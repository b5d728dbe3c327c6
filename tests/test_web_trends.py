"""/api/trends, /api/alerts and the Atom feed, called in-process over synthetic stores."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import feedparser
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import webcorpus  # noqa: E402
from test_trends import surge_store  # noqa: E402
from webcorpus import Client  # noqa: E402

from eventscope.store import Store  # noqa: E402
from eventscope.web import create_app  # noqa: E402

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")

RULES = """
rules:
  - {name: weekly countries, by: country, every: week}
  - {name: monthly types, by: event_type, every: month, baseline: 2, measure: fatalities}
"""


@pytest.fixture
def corpus_client() -> Client:
    s = Store.open(":memory:")
    webcorpus.fill(s)
    return Client(create_app(s))


@pytest.fixture
def surge_client(tmp_path: Path) -> Client:
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES)
    return Client(create_app(surge_store(Store.open(":memory:")), alert_rules=rules))


def test_trends_by_country_per_month(corpus_client: Client) -> None:
    r = corpus_client.get("/api/trends", params={"by": "country", "every": "month"})
    assert r.status_code == 200
    body = r.json()
    labels = [p["period"] for p in body["periods"]]
    assert labels[0] == "2023-01" and labels[-1] == "2023-10" and len(labels) == 10
    by_key = {s["key"]: s for s in body["series"]}
    assert by_key["Mali"]["events"] == [0, 1, 0, 1, 0, 0, 0, 0, 0, 0]
    assert by_key["Mali"]["fatalities"][1] == 12
    assert by_key["Mali"]["iso_numeric"] == "466"  # the map shapes' id
    assert body["series"][0]["total_events"] >= body["series"][-1]["total_events"]


def test_trends_filters_and_grouping(corpus_client: Client) -> None:
    body = corpus_client.get(
        "/api/trends", params={"by": "event_type", "every": "week", "country": "Mali"}
    ).json()
    assert {s["key"] for s in body["series"]} == {"Battles", "Explosions/Remote violence"}
    assert all(re.match(r"^\d{4}-W\d{2}$", p["period"]) for p in body["periods"])
    body = corpus_client.get("/api/trends", params={"by": "actor", "actor": "jnim"}).json()
    assert {s["key"] for s in body["series"]} == {"JNIM", "Military Forces of Mali"}
    assert corpus_client.get("/api/trends", params={"top": 2}).json()["series"].__len__() == 2


@pytest.mark.parametrize(
    "params",
    [{"by": "plover"}, {"every": "day"}, {"origin": "gdelt"}, {"top": 0}, {"since": "x"}],
)
def test_trends_rejects_bad_parameters(corpus_client: Client, params: dict[str, str]) -> None:
    assert corpus_client.get("/api/trends", params=params).status_code == 422


def test_alerts_list_the_surge(surge_client: Client) -> None:
    r = surge_client.get("/api/alerts")
    assert r.status_code == 200
    body = r.json()
    assert body["rules"] == ["weekly countries", "monthly types"]
    events = [a for a in body["alerts"] if a["measure"] == "events"]
    assert [(a["key"], a["period"], a["observed"]) for a in events] == [("Mali", "2024-W13", 30)]
    assert body["total"] == len(body["alerts"])
    assert surge_client.get("/api/alerts", params={"last": 1}).json()["total"] == 0


def test_openapi_describes_trends_and_alerts(corpus_client: Client) -> None:
    paths = corpus_client.get("/api/openapi.json").json()["paths"]
    assert {"/api/trends", "/api/alerts", "/alerts.atom"} <= set(paths)


def test_bad_rules_file_stops_the_app(tmp_path: Path) -> None:
    from eventscope.errors import ConfigError

    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - {name: a, by: planet}\n")
    with pytest.raises(ConfigError, match="bad.yaml: rule 1"):
        create_app(Store.open(":memory:"), alert_rules=bad)


def _check_atom(text: str) -> ET.Element:
    """The elements RFC 4287 requires of a feed and its entries (section 4.1)."""
    feed = ET.fromstring(text.encode("utf-8"))
    assert feed.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{tag}")) == 1, f"feed needs exactly one {tag}"
    assert RFC3339.match(feed.findtext(f"{ATOM}updated") or "")
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None  # so entries need none
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    ids = set()
    for entry in feed.findall(f"{ATOM}entry"):
        for tag in ("id", "title", "updated", "summary"):
            assert len(entry.findall(f"{ATOM}{tag}")) == 1, f"entry needs one {tag}"
        assert RFC3339.match(entry.findtext(f"{ATOM}updated") or "")
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None and link.get("href", "").startswith("http")
        ident = entry.findtext(f"{ATOM}id") or ""
        assert re.match(r"^[a-z][a-z0-9+.-]*:", ident), "an entry id is an IRI"
        ids.add(ident)
    assert len(ids) == len(feed.findall(f"{ATOM}entry")), "entry ids are unique"
    return feed


def test_atom_feed_validates_and_links_to_the_surge(surge_client: Client) -> None:
    r = surge_client.get("/alerts.atom")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/atom+xml")
    feed = _check_atom(r.text)
    entries = feed.findall(f"{ATOM}entry")
    assert entries, "the surge is in the feed"
    parsed = feedparser.parse(r.text)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    first = parsed.entries[0]
    assert "Mali" in first.title and "2024-W13" in first.title
    assert "country=Mali" in first.link and "since=2024-03-25" in first.link
    assert first.updated == "2024-04-01T00:00:00Z"  # the day the surge's week closed
    # The same store and rules give the same feed (ids and all).
    assert surge_client.get("/alerts.atom").text == r.text


def test_atom_feed_without_alerts_is_still_valid(tmp_path: Path) -> None:
    # One event per country and month: no count reaches the minimum of 5.
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - {name: counts, by: country, every: week, measure: events}\n")
    store = Store.open(":memory:")
    webcorpus.fill(store)
    r = Client(create_app(store, alert_rules=rules)).get("/alerts.atom")
    assert r.status_code == 200
    feed = _check_atom(r.text)
    assert feed.findall(f"{ATOM}entry") == []
    assert not feedparser.parse(r.text).bozo
