"""Opt-in network fetch of a URL (httpx): the only place ingest touches the network.

The body is streamed and the download stops at ``max_bytes``; redirects are
followed; the request times out after ``timeout`` seconds. httpx errors are
translated here, once, into :class:`FetchError` with what to do about them.
Tests pass an ``httpx.MockTransport`` as ``transport``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .. import __version__
from ..errors import FetchError
from .article import Options

log = logging.getLogger(__name__)

USER_AGENT = f"eventscope/{__version__} (news event extraction; +https://github.com/eventscope)"


@dataclass(frozen=True, slots=True)
class Fetched:
    """A downloaded body with what the server said about it."""

    url: str  # after redirects
    content_type: str
    body: bytes


def fetch_url(url: str, *, opts: Options) -> Fetched:
    """Download ``url`` (at most ``opts.max_bytes``); FetchError on any failure."""
    import httpx

    if not opts.fetch:
        raise FetchError(
            "network access is off, so this URL is not downloaded; pass --fetch "
            "(fetch=True) to allow it, or save the page and give its file",
            source=url,
        )
    try:
        with (
            httpx.Client(
                transport=opts.transport,
                timeout=opts.timeout,
                follow_redirects=True,
                headers={"User-Agent": USER_AGENT},
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise FetchError(
                    f"the server answered HTTP {response.status_code} "
                    f"{response.reason_phrase}; check the URL",
                    source=url,
                )
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > opts.max_bytes:
                raise FetchError(
                    f"the page is {int(declared):,} bytes, more than max_bytes "
                    f"({opts.max_bytes:,}); not downloaded",
                    source=url,
                )
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > opts.max_bytes:
                    raise FetchError(
                        f"the download passed max_bytes ({opts.max_bytes:,} bytes) and was stopped",
                        source=url,
                    )
                chunks.append(chunk)
            return Fetched(
                url=str(response.url),
                content_type=response.headers.get("Content-Type", ""),
                body=b"".join(chunks),
            )
    except httpx.TimeoutException as exc:
        raise FetchError(
            f"no answer within {opts.timeout:g} s; try again later or raise the timeout",
            source=url,
        ) from exc
    except httpx.InvalidURL as exc:
        raise FetchError(f"not a valid URL ({exc})", source=url) from exc
    except httpx.HTTPError as exc:
        raise FetchError(
            f"the download failed ({type(exc).__name__}: {exc}); check the URL and the network",
            source=url,
        ) from exc
