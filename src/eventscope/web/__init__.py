"""The analyst's workspace: an HTTP API and an offline dashboard over an event store.

``create_app(db)`` gives the ASGI app (FastAPI); ``serve(db=...)`` runs it with uvicorn and
is what ``eventscope serve`` calls. See :mod:`eventscope.web.security` for what protects the
analyst's browser from the (untrusted) article text.
"""

from __future__ import annotations

from .app import create_app, serve

__all__ = ["create_app", "serve"]
