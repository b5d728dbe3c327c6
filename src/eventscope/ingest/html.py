"""HTML to article text: trafilatura for whole pages, a small walker for fragments.

A page goes through trafilatura (main-text extraction: navigation, share
buttons, comment forms and footers are dropped), with its metadata:

- title: trafilatura's (``og:title``, ``<h1>``, ``<title>`` cascade);
- URL: ``<link rel="canonical">`` first, then ``og:url``, then trafilatura's;
- date: trafilatura/htmldate looking for the ORIGINAL publication date in the
  markup only (meta tags, ``<time>``, JSON-LD, the URL). The "extensive search"
  through the visible text is off: it picks up event dates and copyright years
  ("© 2024" made a 1990 wire report look published in 2024), and a wrong
  ``published`` shifts every relative date in the article.

When the default extraction finds nothing (very short pages), a recall-oriented
pass is tried before the page is reported empty.

Feed entries carry HTML fragments (no page around them): :func:`fragment_to_text`
keeps all their text, one block element per paragraph.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from ..errors import EmptyDocumentError

log = logging.getLogger(__name__)

#: htmldate refuses dates before its ``min_date`` (1995 by default); news archives
#: (the MUC-4 wire reports of 1988-91, digitised back issues) are older.
MIN_DATE = "1900-01-01"

_DATE_PARAMS: dict[str, Any] = {
    "original_date": True,
    "extensive_search": False,
    "min_date": MIN_DATE,
}

_CANONICAL_RE = re.compile(r"<link\b[^>]*\brel\s*=\s*[\"']?canonical[\"']?[^>]*>", re.IGNORECASE)
_OG_URL_RE = re.compile(r"<meta\b[^>]*\bproperty\s*=\s*[\"']og:url[\"'][^>]*>", re.IGNORECASE)
_HREF_RE = re.compile(r"\b(?:href|content)\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)


_WORD_RE = re.compile(r"[^\W\d_]{2,}")


def _has_prose(text: str) -> bool:
    """True when some line reads like prose (four words or more), not menu labels.

    On a page without an article (an app shell, an index) trafilatura may return
    the navigation ("Home"); that is no document to analyse.
    """
    return any(len(_WORD_RE.findall(line)) >= 4 for line in text.splitlines())


@dataclass(frozen=True, slots=True)
class Page:
    """What a page yields: its main text and metadata (None when absent)."""

    text: str
    title: str | None
    url: str | None
    date: str | None


def _page_url(html: str, base: str | None) -> str | None:
    """The page's own URL: canonical link, else og:url; relative ones resolved on ``base``."""
    from html import unescape
    from urllib.parse import urljoin

    head = html[:200_000]
    for regex in (_CANONICAL_RE, _OG_URL_RE):
        for tag in regex.findall(head):
            m = _HREF_RE.search(tag)
            if not m:
                continue
            href = unescape(m.group(1).strip())
            if base and not href.lower().startswith(("http://", "https://")):
                href = urljoin(base, href)
            if href.lower().startswith(("http://", "https://")):
                return href
    return None


def extract_page(html: str, *, source: str, url: str | None = None) -> Page:
    """Main text and metadata of an HTML page; EmptyDocumentError when there is no text.

    ``url`` is where the page came from (a WARC record, a fetch), used by
    trafilatura for dates in URLs and as the fallback URL.
    """
    from trafilatura import bare_extraction

    doc: Any = None
    for favor_recall in (False, True):
        doc = bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            favor_recall=favor_recall,
            date_extraction_params=dict(_DATE_PARAMS),
        )
        if doc is not None and _has_prose(doc.text or ""):
            break
    if doc is None or not _has_prose(doc.text or ""):
        raise EmptyDocumentError(
            "no article text could be extracted from this HTML page (an index page, a "
            "page built by JavaScript, or a paywall?); save the article text instead",
            source=source,
        )
    title = (doc.title or "").strip() or None
    return Page(
        text=str(doc.text),
        title=title,
        url=_page_url(html, url) or (doc.url or None) or url,
        date=doc.date or None,
    )


_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote pre table tr section article "
    "header footer figure figcaption dd dt hr".split()
)
_SKIP_TAGS = frozenset("script style noscript iframe svg form button nav".split())


def fragment_to_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed entry's content): blocks become paragraphs.

    Plain text (no tags) is returned with its entities decoded. Runs of spaces
    inside a block are collapsed as a browser would show them.
    """
    from lxml import etree
    from lxml import html as lxml_html

    if "<" not in fragment:
        import html as std_html

        return std_html.unescape(fragment).strip()
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError) as exc:
        log.debug("cannot parse an HTML fragment (%s); using it as text", exc)
        return fragment.strip()
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = re.sub(r"\s+", " ", "".join(current)).strip()
        if line:
            blocks.append(line)
        current.clear()

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if tag in _SKIP_TAGS:
            if el.tail:
                current.append(el.tail)
            return
        if tag in _BLOCK_TAGS:
            flush()
        if el.text and tag:
            current.append(el.text)
        for child in el:
            walk(child)
        if tag in _BLOCK_TAGS:
            flush()
        if el.tail:
            current.append(el.tail)

    walk(root)
    flush()
    return "\n\n".join(blocks)
