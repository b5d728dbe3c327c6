"""RSS 2.0 / RSS 1.0 (RDF) / Atom feeds: each entry becomes an article.

An entry's text is its longest ``content`` (Atom ``content``, RSS
``content:encoded``), else its ``summary``/``description``, converted from HTML
with :func:`.html.fragment_to_text`. Its id is the entry's link, else its
guid/id, else ``file#n``. The date is ``published`` (else ``updated``), read from
the raw string so the publisher's local day is kept (feedparser's parsed tuples
are in UTC). The feed's title and the entry's guid go to ``extra``.

feedparser gets the bytes as a stream, never a string: given a string that
looks like a URL it would fetch it, and network access is opt-in.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

from ..errors import EmptyDocumentError, InputError
from ..records import Article
from .article import Options, build_article
from .html import fragment_to_text

log = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_feed(data: bytes, *, source: str, opts: Options) -> Iterator[Article | InputError]:
    """Yield an Article (or an InputError) per entry of the feed in ``data``."""
    import feedparser

    parsed = feedparser.parse(io.BytesIO(data))
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo") and not parsed.get("version"):
            reason = parsed.get("bozo_exception")
            yield InputError(
                f"not a readable RSS/Atom feed ({reason}); check that the file is a complete feed",
                source=source,
            )
        else:
            yield EmptyDocumentError("the feed has no entries", source=source)
        return
    if parsed.get("bozo"):
        log.info(
            "%s: feed has errors (%s); reading its entries anyway",
            source,
            parsed.get("bozo_exception"),
        )
    feed_title = (parsed.get("feed") or {}).get("title")
    for n, entry in enumerate(entries, start=1):
        yield _entry_article(entry, n=n, source=source, feed_title=feed_title, opts=opts)


def _entry_text(entry: Any) -> str:
    candidates: list[tuple[str, str]] = []
    for content in entry.get("content") or []:
        candidates.append((content.get("value") or "", content.get("type") or "text/html"))
    if not any(value.strip() for value, _ in candidates):
        detail = entry.get("summary_detail") or {}
        candidates = [(entry.get("summary") or "", detail.get("type") or "text/html")]
    value, ctype = max(candidates, key=lambda c: len(c[0]))
    if ctype in _HTML_TYPES:
        return fragment_to_text(value)
    return value.strip()


def _entry_article(
    entry: Any, *, n: int, source: str, feed_title: str | None, opts: Options
) -> Article | InputError:
    link = entry.get("link")
    guid = entry.get("id")
    doc_id = link or guid or f"{source}#{n}"
    title = entry.get("title")
    title_detail = entry.get("title_detail") or {}
    if title and title_detail.get("type") in _HTML_TYPES:
        title = fragment_to_text(title)
    extra: dict[str, Any] = {"entry": n}
    if feed_title:
        extra["feed_title"] = feed_title
    if guid and guid != link:
        extra["guid"] = guid
    published = entry.get("published") or entry.get("updated")
    if published is None:
        published = entry.get("published_parsed") or entry.get("updated_parsed")
    try:
        return build_article(
            _entry_text(entry),
            doc_id=doc_id,
            source=f"{source}#{n}",
            fmt="feed",
            opts=opts,
            title=title,
            url=link,
            published=published,
            extra=extra,
        )
    except InputError as exc:
        return exc
