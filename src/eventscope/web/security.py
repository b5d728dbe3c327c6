"""What keeps the analyst's browser and database safe from the articles and from other sites.

* Article text, titles, urls and every coded field are untrusted. The pages contain no
  server-side data at all: scripts (only from ``/static``, no inline script, enforced by the
  Content-Security-Policy below) fetch JSON and build the DOM with ``textContent``.
* Writes need a token (``--token`` or ``EVENTSCOPE_TOKEN``), sent in a header
  (``Authorization: Bearer`` or ``X-Eventscope-Token``), never in a cookie, so another site
  cannot make the analyst's browser write (no CSRF). With no token configured writes are off.
* Reads are open unless a read token is set; then the header, or a cookie set by visiting
  ``/?token=...`` once, is needed.
* When bound to a loopback address, only loopback ``Host`` headers are answered, so a web page
  cannot reach the server through DNS rebinding.
* A request that writes (any method but GET, HEAD and OPTIONS) is refused before its body is
  read when it carries no valid token (401; 403 with writes off), and any body larger than
  :data:`MAX_BODY` is refused (413) by its ``Content-Length`` or as soon as a streamed body
  passes the limit: a 300 MB upload costs the server nothing (:class:`BodyGuard`).
* No CORS headers are ever sent: other origins cannot read the API from a browser.
* The server binds 127.0.0.1 unless told otherwise (``eventscope serve --host``).
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

CSP = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
])

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

# The API docs page (FastAPI's Swagger UI) loads its script from a CDN; offline and under our
# CSP it could not run, so only the OpenAPI JSON and a plain list of routes are served.
READ_COOKIE = "eventscope_read_token"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")

Next = Callable[[Request], Awaitable[Response]]

#: Largest request body accepted (bytes). A correction is a few hundred bytes.
MAX_BODY = 1_000_000
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_LEADING_SLASHES = re.compile(r"^[/\\]+")


def request_token(request: Request) -> str | None:
    """The token a request carries in ``Authorization: Bearer`` or ``X-Eventscope-Token``."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return request.headers.get("x-eventscope-token") or None


def same_token(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def make_security_middleware(*, read_token: str | None,
                             allowed_hosts: tuple[str, ...] | None) -> Callable[..., object]:
    async def middleware(request: Request, call_next: Next) -> Response:
        if allowed_hosts is not None:
            host = request.headers.get("host", "")
            hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if hostname not in allowed_hosts:
                return _secure(JSONResponse(
                    {"detail": f"host {host!r} not allowed; open the dashboard through "
                               "127.0.0.1 or localhost"}, status_code=400))
        if read_token is not None and not request.url.path.startswith("/static/"):
            query_token = request.query_params.get("token")
            if query_token is not None and same_token(query_token, read_token):
                # Trade the token in the URL for a cookie, and drop it from the address bar.
                target = request.url.remove_query_params("token")
                resp = RedirectResponse(local_path(target.path) + (f"?{target.query}"
                                                                   if target.query else ""), 303)
                resp.set_cookie(READ_COOKIE, read_token, httponly=True, samesite="strict")
                return _secure(resp)
            given = request_token(request) or request.cookies.get(READ_COOKIE)
            if not same_token(given, read_token):
                return _secure(JSONResponse(
                    {"detail": "this server needs a read token: send it as "
                               "`Authorization: Bearer TOKEN` or open /?token=TOKEN once"},
                    status_code=401, headers={"WWW-Authenticate": "Bearer"}))
        response = await call_next(request)
        return _secure(response)

    return middleware


def local_path(path: str) -> str:
    """``path`` as a path on this server: "//evil.example/" would send a browser to another
    site (a scheme-relative URL), and browsers read a backslash as a slash."""
    return "/" + _LEADING_SLASHES.sub("", path)


class BodyGuard:
    """ASGI middleware: refuse writes without the token, and large bodies, before reading them.

    FastAPI reads and parses a request's body before a route's dependencies run (where the
    token used to be checked), so without this a 300 MB POST without a token was read
    whole before its 401 (server memory 129 -> 745 MB, measured in issue 16).
    """

    def __init__(self, app: Any, *, token: str | None, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.token = token
        self.max_body = max_body

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        if self.token is None:
            await _refuse(send, 403, "writes are disabled on this server: restart it with "
                          "`eventscope serve --token TOKEN` (or set EVENTSCOPE_TOKEN)")
            return
        given = _header_token(headers)
        if not same_token(given, self.token):
            await _refuse(send, 401, "wrong or missing token for writes",
                          {"www-authenticate": "Bearer"})
            return
        length = headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                await _refuse(send, 400, "bad Content-Length")
                return
            if int(length) > self.max_body:
                await _refuse(send, 413, f"request body over {self.max_body:,} bytes")
                return
        # A body sent without Content-Length (chunked) is read here, up to the limit, and
        # handed on whole: refusing it from inside the app would reach the client as
        # FastAPI's 400 "error parsing the body".
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            body += message.get("body", b"")
            if len(body) > self.max_body:
                await _refuse(send, 413, f"request body over {self.max_body:,} bytes")
                return
            if not message.get("more_body"):
                break
        replayed = False

        async def replay() -> dict[str, Any]:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return dict(await receive())

        await self.app(scope, replay, send)


def _header_token(headers: dict[str, str]) -> str | None:
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return headers.get("x-eventscope-token") or None


async def _refuse(send: Any, status: int, detail: str,
                  extra: dict[str, str] | None = None) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(body)).encode()),
               (b"connection", b"close")]
    headers += [(k.encode(), v.encode()) for k, v in (extra or {}).items()]
    headers += [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _secure(response: Response) -> Response:
    for k, v in SECURITY_HEADERS.items():
        response.headers.setdefault(k, v)
    return response
