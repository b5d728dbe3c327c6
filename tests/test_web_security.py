"""Tokens, headers and hosts: what keeps the analyst's database and browser safe."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import webcorpus  # noqa: E402
from webcorpus import Client  # noqa: E402

from eventscope.store import Store  # noqa: E402
from eventscope.web import create_app  # noqa: E402
from eventscope.web.security import CSP  # noqa: E402

EID = webcorpus.event_id("kenya-1")
FIX = {"field": "fatalities", "value": 3, "author": "A"}


@pytest.fixture
def store() -> Store:
    s = Store.open(":memory:")
    webcorpus.fill(s, hostile=True)
    return s


def test_writes_refused_without_configured_token(store: Store) -> None:
    client = Client(create_app(store))
    r = client.post(f"/api/events/{EID}/corrections", json=FIX)
    assert r.status_code == 403
    assert "--token" in r.json()["detail"] and "EVENTSCOPE_TOKEN" in r.json()["detail"]
    assert store.counts()["corrections"] == 0


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Bearer wrong"}, {"X-Eventscope-Token": "wrong"},
    {"Authorization": "Basic Z29vZA=="}, {"Cookie": "eventscope_token=good"},
])
def test_writes_need_the_right_token(store: Store, headers: dict[str, str]) -> None:
    client = Client(create_app(store, token="good"))
    r = client.post(f"/api/events/{EID}/corrections", json=FIX, headers=headers)
    assert r.status_code == 401
    assert store.counts()["corrections"] == 0


@pytest.mark.parametrize("headers", [{"Authorization": "Bearer good"},
                                     {"X-Eventscope-Token": "good"}])
def test_writes_with_token_in_either_header(store: Store, headers: dict[str, str]) -> None:
    client = Client(create_app(store, token="good"))
    r = client.post(f"/api/events/{EID}/corrections", json=FIX, headers=headers)
    assert r.status_code == 201
    assert store.counts()["corrections"] == 1


def test_reads_open_by_default_and_closed_with_read_token(store: Store) -> None:
    assert Client(create_app(store)).get("/api/events").status_code == 200
    client = Client(create_app(store, read_token="r"))
    for path in ("/", "/api/events", f"/api/events/{EID}", "/api/openapi.json",
                 "/api/events.csv", f"/events/{EID}.json"):
        assert client.get(path).status_code == 401, path
    assert client.get("/api/events", headers={"Authorization": "Bearer r"}).status_code == 200
    assert client.get("/static/css/app.css").status_code == 200  # no data in static files
    # /?token=... trades the token for an HttpOnly cookie and drops it from the URL.
    r = client.get("/?token=r&country=Kenya")
    assert r.status_code == 303 and r.headers["location"] == "/?country=Kenya"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    token_cookie = cookie.split(";")[0]
    assert client.get("/api/events", headers={"Cookie": token_cookie}).status_code == 200
    assert client.get("/?token=nope").status_code == 401


def test_security_headers_on_pages_api_and_errors(store: Store) -> None:
    client = Client(create_app(store))
    for path in ("/", f"/events/{EID}", "/api/events", "/api/events/none", "/static/js/common.js"):
        r = client.get(path)
        assert r.headers["content-security-policy"] == CSP, path
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
    assert "unsafe-eval" not in CSP and "frame-ancestors 'none'" in CSP


def test_pages_carry_no_data_and_no_inline_script(store: Store) -> None:
    client = Client(create_app(store))
    for path in ("/", f"/events/{webcorpus.event_id('hostile-1')}"):
        html = client.get(path).text
        assert "__pwned" not in html  # pages are static shells; data comes as JSON
        for line in html.splitlines():
            if "<script" in line:
                assert "src=" in line and "</script>" in line, line
        assert "style=" not in html


def test_hostile_values_come_back_as_json_strings(store: Store) -> None:
    client = Client(create_app(store))
    r = client.get(f"/api/events/{webcorpus.event_id('hostile-1')}")
    assert r.headers["content-type"] == "application/json"
    d = r.json()
    assert d["text"] == webcorpus.HOSTILE_TEXT
    assert d["event"]["actor1"] == "<script>window.__pwned=7</script>"


def test_host_header_checked_when_bound_to_loopback(store: Store) -> None:
    app = create_app(store, allowed_hosts=("127.0.0.1", "localhost"))
    client = Client(app)
    assert client.get("/api/events").status_code == 200  # base url 127.0.0.1
    r = client.get("/api/events", headers={"Host": "evil.example:8000"})
    assert r.status_code == 400
    assert client.get("/api/events", headers={"Host": "localhost:8000"}).status_code == 200


def test_swagger_ui_is_not_served(store: Store) -> None:
    # It would load its script from a CDN: not offline, and against the CSP.
    client = Client(create_app(store))
    assert client.get("/docs").status_code == 404
    assert client.get("/api").json()["openapi"] == "/api/openapi.json"


def test_without_token_the_file_is_opened_read_only(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    with Store.open(db) as s:
        webcorpus.fill(s)
    app = create_app(db)
    try:
        assert Client(app).get("/api/events").json()["total"] == len(webcorpus.SPECS)
        # Another reader (e.g. `eventscope events`) can open the file at the same time.
        with Store.open(db, read_only=True) as other:
            assert other.counts()["events"] == len(webcorpus.SPECS)
    finally:
        app.state.store.close()
