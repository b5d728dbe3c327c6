"""Fixtures of the end-to-end tests: the dashboard served by uvicorn over a database built
from the synthetic corpus (plus a hostile article), and headless Debian Chromium.

These tests never skip: without Chromium or the front-end libraries they fail and say which
`make` target installs what is missing.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/webcorpus.py
sys.path.insert(0, str(HERE))  # tests/browser/cdp.py

import webcorpus  # noqa: E402
from cdp import CHROMIUM, Chromium  # noqa: E402

TOKEN = "browser-test-token"
SCREENSHOTS = HERE.parent.parent / "out" / "browser"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(db: Path, *, token: str | None = TOKEN) -> Iterator[str]:
    """Serve the dashboard over ``db`` with uvicorn in a thread; yields its base URL."""
    import uvicorn

    from eventscope.web import create_app
    from eventscope.web.app import assets_missing

    missing = assets_missing()
    if missing:
        pytest.fail(f"dashboard libraries missing ({', '.join(missing)}): run `make web-assets`")
    app = create_app(db, token=token, allowed_hosts=("127.0.0.1",))
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the dashboard server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
        app.state.store.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example database: the synthetic corpus and a hostile article."""
    from eventscope.store import Store

    db = tmp_path_factory.mktemp("web") / "example.duckdb"
    with Store.open(db) as store:
        webcorpus.fill(store, hostile=True)
    with running_server(db) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Chromium]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps` (installs Debian's "
                    "chromium package) to run the browser tests")
    chromium = Chromium(CHROMIUM)
    try:
        chromium.send("Browser.getVersion", timeout=60)
    except Exception as exc:
        chromium.close()
        pytest.fail(f"{CHROMIUM} did not start: {exc}")
    yield chromium
    chromium.close()


@pytest.fixture(scope="session")
def write_token() -> str:
    return TOKEN


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
