"""Turn extracted text and metadata into an :class:`Article` (one place for the rules).

Rules every reader follows:

- text: trailing page furniture and trailing whitespace are cut
  (:mod:`.boilerplate`); nothing else changes, so offsets index the input text
  (for HTML, WARC and feeds: the extracted text, which is output with the
  events). ``extra["cleaned"] = True`` records that furniture was cut.
- an empty or whitespace-only text is an :class:`EmptyDocumentError`.
- published, first that gives a full date: the document's own metadata, a wire
  dateline opening the text ("SAN SALVADOR, 3 JAN 90 --"), the container's date
  (WARC-Date, i.e. the crawl), the ``published`` argument. ``extra["published_from"]``
  says which (``document``, ``dateline``, ``container``, ``argument``), and for a
  dateline ``extra["published_span"]`` gives its ``[start, end]`` in the text.
  A date that does not parse is dropped with a warning naming the document.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from ..errors import EmptyDocumentError
from ..records import Article
from .boilerplate import strip_trailing
from .dates import find_dateline, normalise_date

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Options:
    """Settings of one :func:`read_inputs` call, handed to every reader."""

    published: str | None = None
    fetch: bool = False
    max_bytes: int = 20_000_000
    timeout: float = 20.0
    transport: Any = None  # an httpx transport (tests pass httpx.MockTransport)


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def no_surrogates(s: str) -> str:
    """``s`` with lone surrogates (``"\\ud800"`` in JSON) replaced by U+FFFD, one for one.

    They are not characters: UTF-8 output, spaCy and DuckDB all refuse them. The
    replacement keeps the length, so offsets still index the text.
    """
    return _SURROGATE_RE.sub("\ufffd", s) if _SURROGATE_RE.search(s) else s


def build_article(
    text: str,
    *,
    doc_id: str,
    source: str,
    fmt: str,
    opts: Options,
    title: str | None = None,
    url: str | None = None,
    published: object = None,
    container_date: object = None,
    extra: dict[str, Any] | None = None,
    line: int | None = None,
) -> Article:
    """Apply the module's rules; raise EmptyDocumentError when no text is left."""
    extra = dict(extra or {})
    text, doc_id = no_surrogates(text), no_surrogates(doc_id)
    stripped = strip_trailing(text)
    if not stripped.text.strip():
        what = (
            "only page furniture (comment form, share buttons)"
            if stripped.cleaned
            else ("no text" if not text else "only whitespace")
        )
        raise EmptyDocumentError(
            f"empty document: it has {what}; nothing to analyse",
            source=source,
            line=line,
            doc_id=doc_id,
        )
    if stripped.cleaned:
        extra["cleaned"] = True
        log.debug("%s: cut trailing %s", doc_id, ", ".join(sorted(set(stripped.removed))))
    date, origin = _published(stripped.text, published, container_date, opts, doc_id, extra)
    if origin is not None:
        extra["published_from"] = origin
    return Article(
        id=doc_id,
        text=stripped.text,
        title=_clean_str(title),
        url=_clean_str(url),
        published=date,
        source=source,
        fmt=fmt,
        extra=extra,
    )


def _clean_str(value: object) -> str | None:
    if value is None:
        return None
    s = no_surrogates(str(value)).strip()
    return s or None


def _published(
    text: str,
    own: object,
    container: object,
    opts: Options,
    doc_id: str,
    extra: dict[str, Any],
) -> tuple[str | None, str | None]:
    if own is not None and own != "":
        date = normalise_date(own)
        if date is not None:
            return date, "document"
        log.warning(
            "document %s: cannot read its publication date %r (want YYYY-MM-DD or an ISO "
            "or RFC 2822 date); left unknown",
            doc_id,
            own,
        )
    dateline = find_dateline(text)
    if dateline is not None:
        extra["published_span"] = [dateline.start, dateline.end]
        return dateline.date, "dateline"
    if container is not None:
        date = normalise_date(container)
        if date is not None:
            return date, "container"
    if opts.published is not None:
        return opts.published, "argument"
    return None, None
