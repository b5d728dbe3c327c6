"""Web limits (issue 16): bodies refused unread, bounded offsets, literal searches, no
off-site redirect, no CORS, and an /api index that lists the real endpoints."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import webcorpus  # noqa: E402
from webcorpus import Client  # noqa: E402

from eventscope.store import Store  # noqa: E402
from eventscope.web import create_app  # noqa: E402
from eventscope.web.security import MAX_BODY  # noqa: E402

TOKEN = "limits-token"
EID = webcorpus.event_id("mali-1")


@pytest.fixture
def store() -> Store:
    s = Store.open(":memory:")
    webcorpus.fill(s)
    return s


def _post(
    app: Any,
    headers: dict[str, str],
    body_size: int,
    *,
    chunk: int = 65536,
    content_length: bool = True,
) -> tuple[int, int]:
    """POST a body of ``body_size`` bytes, generated only as the app asks for it.

    Returns (status, bytes the app read)."""
    read = 0
    status: list[int] = []
    hdrs = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    hdrs += [(b"host", b"127.0.0.1"), (b"content-type", b"application/json")]
    if content_length:
        hdrs.append((b"content-length", str(body_size).encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": f"/api/events/{EID}/corrections",
        "raw_path": f"/api/events/{EID}/corrections".encode(),
        "query_string": b"",
        "root_path": "",
        "headers": hdrs,
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 8000),
    }

    async def receive() -> dict[str, Any]:
        nonlocal read
        n = min(chunk, body_size - read)
        read += n
        return {"type": "http.request", "body": b" " * n, "more_body": read < body_size}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    async def call() -> None:
        try:
            await app(scope, receive, send)
        except Exception:  # noqa: BLE001 - the status sent is what the client sees
            if not status:
                raise

    asyncio.run(call())
    return status[0], read


def test_a_huge_post_without_the_token_is_refused_before_its_body_is_read(store: Store) -> None:
    # issue 16: a 300 MB POST without a token was read whole (server memory 129 -> 745 MB)
    app = create_app(store, token=TOKEN)
    status, read = _post(app, {}, 300_000_000)
    assert status == 401 and read == 0
    status, read = _post(app, {"Authorization": "Bearer wrong"}, 300_000_000)
    assert status == 401 and read == 0
    status, read = _post(create_app(store), {}, 300_000_000)  # writes off
    assert status == 403 and read == 0


def test_a_huge_body_with_the_token_is_413_by_length_or_as_it_streams(store: Store) -> None:
    app = create_app(store, token=TOKEN)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    status, read = _post(app, auth, 300_000_000)
    assert status == 413 and read == 0
    status, read = _post(app, auth, 300_000_000, content_length=False)
    assert status == 413 and read <= MAX_BODY + 65536
    client = Client(app)  # a normal correction still goes through
    r = client.post(
        f"/api/events/{EID}/corrections",
        headers=auth,
        json={"field": "fatalities", "value": 3, "author": "A"},
    )
    assert r.status_code == 201


@pytest.mark.parametrize(
    "path",
    [
        "/api/corrections?offset=1180591620717411303424",  # 2**70: was a 500
        "/api/corrections?offset=10000001",
        "/api/events?offset=10000001",
        "/api/events?limit=1000001",
        "/api/events?offset=-1",
        "/api/map?limit=100000000",
    ],
)
def test_absurd_offsets_and_limits_are_422(store: Store, path: str) -> None:
    r = Client(create_app(store)).get(path)
    assert r.status_code == 422, r.text


def test_searches_find_percent_underscore_and_backslash_literally(store: Store) -> None:
    client = Client(create_app(store, token=TOKEN))
    r = client.post(
        f"/api/events/{EID}/corrections",
        headers={"Authorization": f"Bearer {TOKEN}"},
        json={"field": "actor1", "value": "Brigade 100%_a\\b", "author": "A"},
    )
    assert r.status_code == 201, r.text
    for needle in ("%", "_", "\\", "100%_a\\b"):
        for param in ("q", "actor"):
            body = client.get("/api/events", params={param: needle}).json()
            assert [e["event_id"] for e in body["events"]] == [EID], (param, needle)
    assert client.get("/api/events", params={"q": "100%x"}).json()["total"] == 0


def test_the_read_token_redirect_never_leaves_the_server(store: Store) -> None:
    client = Client(create_app(store, read_token="rt"))
    for path in (
        "//evil.example/?token=rt",
        "/\\evil.example/?token=rt",
        "///evil.example/x?token=rt&a=1",
    ):
        r = client.get(path)
        assert r.status_code == 303, path
        location = r.headers["location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\")), location


def test_no_cors_headers_for_other_origins(store: Store) -> None:
    client = Client(create_app(store, token=TOKEN))
    origin = {"Origin": "https://evil.example"}
    r = client.get("/api/events", headers=origin)
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers
    r = client.request(
        "OPTIONS", "/api/events", headers={**origin, "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in r.headers


def test_api_index_lists_the_real_endpoints(store: Store) -> None:
    # on FastAPI 0.165 the index listed only the spec (issue 16)
    client = Client(create_app(store))
    index = client.get("/api").json()
    routes = {(r["path"], m) for r in index["routes"] for m in r["methods"]}
    spec = client.get(index["openapi"]).json()
    assert routes == {(p, m.upper()) for p, ops in spec["paths"].items() for m in ops}
    assert {
        ("/api/events", "GET"),
        ("/api/events/{event_id}", "GET"),
        ("/api/events/{event_id}/corrections", "POST"),
        ("/api/corrections", "GET"),
        ("/api/stats/timeline", "GET"),
        ("/api/map", "GET"),
    } <= routes
    assert all(r["summary"] for r in index["routes"] if r["path"] != "/api")
