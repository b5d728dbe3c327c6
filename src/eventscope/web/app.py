"""The ASGI app: the dashboard pages, their JSON twins, the API and the static files.

Pages are static HTML shells (``static/*.html``) whose scripts fetch the API; each page
names its JSON twin in a ``Link: <...>; rel="alternate"`` header (and the dashboard in a
``<link rel="alternate">``): ``/`` has ``/api/events``, ``/events/{id}`` has
``/events/{id}.json``.
"""

from __future__ import annotations

import errno
import logging
import socket
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..errors import ConfigError, EventscopeError, StoreError
from ..store import Store
from . import api
from .security import BodyGuard, make_security_middleware

log = logging.getLogger(__name__)


def static_dir() -> Path:
    return Path(str(resources.files("eventscope.web").joinpath("static")))


VENDOR_FILES = ("vendor/leaflet.js", "vendor/leaflet.css", "vendor/topojson-client.min.js",
                "vendor/countries-50m.json")


def assets_missing() -> list[str]:
    """Front-end files that `make web-assets` should have copied from npm, if missing."""
    root = static_dir()
    return [f for f in VENDOR_FILES if not (root / f).is_file()]


def create_app(db: str | Path | Store, *, token: str | None = None,
               read_token: str | None = None,
               allowed_hosts: tuple[str, ...] | None = None,
               alert_rules: str | Path | None = None) -> FastAPI:
    """The dashboard and API over ``db`` (a path or an open Store).

    ``token`` enables writes (corrections). A path is opened as a
    :class:`~eventscope.live.LiveStore`: the server never blocks an ``ingest`` into the same
    file and sees its events as they are committed. ``read_token``
    makes reads need a token too; ``allowed_hosts`` restricts the ``Host`` header (``serve``
    sets it on loopback). ``alert_rules`` is the rules file of ``/api/alerts`` and
    ``/alerts.atom`` (default: the shipped one), validated here so a bad file stops startup.
    """
    from ..alerts import load_rules
    from ..live import LiveStore, SharedStore

    rules = load_rules(alert_rules)  # before the store: a bad file stops startup cleanly
    store = SharedStore(db) if isinstance(db, Store) else LiveStore(str(db), writable=bool(token))
    app = FastAPI(
        title="eventscope",
        version=__version__,
        description="Conflict events coded from news, with the evidence for each field and "
                    "analysts' corrections. Reads are open unless the server has a read "
                    "token; writes need the write token in `Authorization: Bearer` or "
                    "`X-Eventscope-Token`.",
        openapi_url="/api/openapi.json",
        # Swagger UI and ReDoc load scripts from a CDN: not offline, and blocked by our CSP.
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.state.token = token or None
    app.state.read_token = read_token or None
    app.middleware("http")(make_security_middleware(read_token=read_token or None,
                                                    allowed_hosts=allowed_hosts))
    # outermost: writes without the token and oversized bodies are refused unread
    app.add_middleware(BodyGuard, token=token or None)
    app.include_router(api.router)
    app.include_router(api.feeds)
    app.state.alert_rules_path = alert_rules
    app.state.alert_rules = rules
    _add_error_handlers(app)
    _add_pages(app)
    app.mount("/static", StaticFiles(directory=static_dir()), name="static")
    missing = assets_missing()
    if missing:
        log.warning("dashboard libraries missing (%s): run `make web-assets`", ", ".join(missing))
    return app


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ConfigError)
    async def config_error(request: Request, exc: ConfigError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> JSONResponse:
        log.error("%s", exc)
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @app.exception_handler(EventscopeError)
    async def other_error(request: Request, exc: EventscopeError) -> JSONResponse:
        log.error("%s", exc)
        return JSONResponse({"detail": str(exc)}, status_code=500)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        # Keep FastAPI's detail list, without echoing the (untrusted) input back.
        errors = [{k: v for k, v in e.items() if k not in ("input", "ctx", "url")}
                  for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)


def _page(name: str, alternate: str | None) -> FileResponse:
    headers = {"Cache-Control": "no-cache"}
    if alternate:
        headers["Link"] = f'<{alternate}>; rel="alternate"; type="application/json"'
    return FileResponse(static_dir() / name, media_type="text/html; charset=utf-8",
                        headers=headers)


def _add_pages(app: FastAPI) -> None:
    @app.get("/", include_in_schema=False)
    def dashboard(request: Request) -> Response:
        alt = "/api/events" + (f"?{request.url.query}" if request.url.query else "")
        return _page("index.html", alt)

    @app.get("/events/{event_id}.json", include_in_schema=False)
    def event_json(event_id: str, request: Request) -> dict[str, Any]:
        with request.app.state.store.reader() as store:
            return api.event_detail(store, event_id)

    @app.get("/events/{event_id}", include_in_schema=False)
    def event_page(event_id: str, request: Request) -> Response:
        with request.app.state.store.reader() as store:
            found = store.con.execute("SELECT 1 FROM events WHERE event_id = ?",
                                      [event_id]).fetchone()
        if not found:
            raise HTTPException(404, f"no event {event_id!r}")
        # Percent-encode anything but the id characters we generate, for the header.
        from urllib.parse import quote

        return _page("event.html", f"/events/{quote(event_id, safe='')}.json")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)


def serve(db: str | Path, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          read_token: str | None = None, alert_rules: str | Path | None = None) -> None:
    """Run the dashboard and API with uvicorn until interrupted (what `eventscope serve` calls).

    ``token`` defaults to ``EVENTSCOPE_TOKEN`` and ``read_token`` to
    ``EVENTSCOPE_READ_TOKEN``. On a loopback address only loopback Host headers are served.
    """
    import os

    import uvicorn

    token = token or os.environ.get("EVENTSCOPE_TOKEN") or None
    read_token = read_token or os.environ.get("EVENTSCOPE_READ_TOKEN") or None
    if not Path(str(db)).exists():
        raise StoreError(f"{db}: no such database. Create it with `eventscope ingest PATH "
                         f"--db {db}` (or `make demo`).")
    if host not in ("127.0.0.1", "localhost", "::1") and read_token is None:
        log.warning("serving on %s without a read token: anyone who can reach this address "
                    "can read the database", host)
    loopback = host in ("127.0.0.1", "localhost", "::1")
    allowed = ("127.0.0.1", "localhost", "[::1]", "::1") if loopback else None
    app = create_app(db, token=token, read_token=read_token, allowed_hosts=allowed,
                     alert_rules=alert_rules)
    if token is None:
        log.warning("no write token: corrections are off (use --token or EVENTSCOPE_TOKEN)")
    shown = f"[{host}]" if ":" in host else host
    try:
        sock = listen(host, port)
    except BaseException:
        app.state.store.close()
        raise
    # The one place the server talks to the user directly: where to point the browser.
    logging.getLogger("eventscope").warning("dashboard at http://%s:%d/", shown, port)
    try:
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        server.run(sockets=[sock])
    finally:
        sock.close()
        app.state.store.close()


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``, or ConfigError saying the port is taken.

    Bound before "dashboard at ..." is printed, so the address printed is one that answers.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ConfigError(f"--host {host}: not an address of this machine ({exc})") from exc
    family, kind, proto, _, addr = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(addr)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(
                f"port {port} on {host} is in use (another `eventscope serve`?); stop it or "
                f"choose another port with --port {port + 1}"
            ) from exc
        raise ConfigError(f"cannot listen on {host}:{port} ({exc.strerror})") from exc
    sock.set_inheritable(True)
    return sock
