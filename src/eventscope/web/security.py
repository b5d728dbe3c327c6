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
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

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
                resp = RedirectResponse(str(target.path) + (f"?{target.query}"
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


def _secure(response: Response) -> Response:
    for k, v in SECURITY_HEADERS.items():
        response.headers.setdefault(k, v)
    return response
