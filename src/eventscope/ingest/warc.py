"""WARC archives (plain or .warc.gz): each HTML or text response is an article.

``response`` records (and ``resource`` records, as written by some crawlers)
with a 2xx status and an HTML, XHTML or plain-text body become articles; feeds
inside the archive become one article per entry. Requests, metadata, revisits,
redirects, error pages and other media are not documents and are skipped (logged
at debug level).

id = ``WARC-Target-URI`` (else ``file#n``, n counting the records read);
url = the page's canonical URL, else the target URI; published = the page's
date, falling back to ``WARC-Date`` (when the page was crawled) only when the
page gives none. ``fmt = "warc"``.
"""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator
from typing import IO, Any

from ..errors import InputError
from ..records import Article
from .article import Options, build_article
from .decode import decode_bytes
from .feed import read_feed
from .html import extract_page
from .sniff import is_feed, is_html, is_warc

log = logging.getLogger(__name__)

_TEXT_TYPES = ("text/plain",)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


def read_warc(stream: IO[bytes], *, source: str, opts: Options) -> Iterator[Article | InputError]:
    """Yield an Article (or an InputError) per document record of the archive."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    head = _peek(stream)
    if not is_warc(head):
        yield InputError(
            "not a WARC file (it does not start with a 'WARC/' record header); check the file",
            source=source,
        )
        return
    archive = ArchiveIterator(stream)
    records = iter(archive)
    n = 0
    while True:
        try:
            record, warning = _quietly(records)
        except ArchiveLoadFailed as exc:
            yield _broken(source, n, exc)
            return
        except (ValueError, AttributeError, KeyError, EOFError, OSError) as exc:
            # warcio's parser fails on malformed headers with whatever the failing line
            # raises (a response without WARC-Target-URI: AttributeError); each means
            # this archive cannot be read past record n.
            yield _broken(source, n, exc)
            return
        if warning:
            yield InputError(
                f"the archive is damaged after record {n} ({warning}); later records may be lost",
                source=source,
            )
        if record is None:
            cut = _unread_tail(archive, stream)
            if cut and n:
                yield InputError(
                    f"the archive ends inside a record header after record {n} ({cut:,} bytes "
                    "that are not a whole record); the archive is truncated, the records "
                    "before it were read",
                    source=source,
                )
            break
        n += 1
        if record.rec_type in ("response", "resource"):
            yield from _record(record, n=n, source=source, opts=opts)
    if n == 0:
        yield InputError("the WARC file holds no records", source=source)


def _unread_tail(archive: Any, stream: IO[bytes]) -> int:
    """Bytes after the last whole record that warcio stopped at without a word.

    warcio ends the iteration quietly when the archive stops inside a record's header (an
    interrupted copy); its ``offset`` then points at where that record starts, short of the
    end of the stream. Blank lines between records do not count.
    """
    try:
        rest = stream.read()
        end = archive.fh.tell()
    except (OSError, ValueError, AttributeError):
        return 0
    tail = end - int(archive.offset or 0)
    return tail if tail > 4 or (rest and rest.strip()) else 0


def _broken(source: str, n: int, exc: Exception) -> InputError:
    return InputError(
        f"the WARC archive is broken after record {n} ({type(exc).__name__}: {exc}); "
        "the records before it were read",
        source=source,
    )


def _peek(stream: IO[bytes]) -> bytes:
    """The first bytes of a stream, leaving it where it was (file, BytesIO or buffered pipe)."""
    peek = getattr(stream, "peek", None)
    if peek is not None:
        return bytes(peek(4096)[:4096])
    pos = stream.tell()
    head = stream.read(4096)
    stream.seek(pos)
    return head


def _quietly(records: Iterator[Any]) -> tuple[Any, str]:
    """The next record (None at the end) and the warnings warcio wrote to stderr.

    warcio reports a damaged record (a wrong Content-Length) by writing to
    ``sys.stderr``; the warning becomes an InputError value instead.
    """
    captured = io.StringIO()
    with contextlib.redirect_stderr(captured):
        record = next(records, None)
    return record, " ".join(captured.getvalue().split())


def _record(record: Any, *, n: int, source: str, opts: Options) -> Iterator[Article | InputError]:
    uri = record.rec_headers.get_header("WARC-Target-URI")
    where = f"{source}#{n}"
    doc_id = uri or where
    if record.rec_type == "response":
        if record.http_headers is None:
            log.debug("%s: response without HTTP headers (%s); skipped", where, uri)
            return
        status = record.http_headers.get_statuscode()
        if not (status or "").startswith("2"):
            log.debug("%s: HTTP %s for %s; not a document", where, status, uri)
            return
        ctype = record.http_headers.get_header("Content-Type") or ""
    else:
        ctype = record.rec_headers.get_header("Content-Type") or ""
    mime = ctype.split(";")[0].strip().lower()
    body = record.content_stream().read(opts.max_bytes + 1)
    if len(body) > opts.max_bytes:
        yield InputError(
            f"the record for {uri} is larger than {opts.max_bytes:,} bytes (max_bytes); skipped",
            source=where,
            doc_id=doc_id,
        )
        return
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:  # the archive ends inside this record (an interrupted crawl or copy)
        yield InputError(
            f"the record for {uri} is cut off ({missing:,} bytes missing); the archive is "
            "truncated",
            source=where,
            doc_id=doc_id,
        )
        return
    if mime in _FEED_TYPES or (mime in ("application/xml", "text/xml") and is_feed(body)):
        yield from read_feed(body, source=where, opts=opts)
        return
    if mime in _HTML_TYPES or (not mime and is_html(body[:4096])):
        kind = "html"
    elif mime in _TEXT_TYPES:
        kind = "text"
    else:
        log.debug("%s: %s is %s, not a document; skipped", where, uri, mime or "untyped")
        return
    warc_date = record.rec_headers.get_header("WARC-Date")
    try:
        text = decode_bytes(body, source=where, content_type=ctype)
        if kind == "html":
            page = extract_page(text, source=where, url=uri)
            yield build_article(
                page.text,
                doc_id=doc_id,
                source=where,
                fmt="warc",
                opts=opts,
                title=page.title,
                url=page.url or uri,
                published=page.date,
                container_date=warc_date,
                extra={"record": n},
            )
        else:
            yield build_article(
                text,
                doc_id=doc_id,
                source=where,
                fmt="warc",
                opts=opts,
                url=uri,
                container_date=warc_date,
                extra={"record": n},
            )
    except InputError as exc:
        if exc.doc_id == where:
            exc.doc_id = doc_id
        yield exc
