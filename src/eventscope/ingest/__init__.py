"""Ingest: every kind of input becomes :class:`~eventscope.records.Article` records.

:func:`read_inputs` is the one entry point. It yields, in input order, one
Article per document, or an :class:`~eventscope.errors.InputError` instance (not
raised) for a document or file that cannot be read, so a batch goes on. Only
usage errors raise (:class:`~eventscope.errors.ConfigError`: a path that does not
exist, a bad ``published``), before anything is read.

The stages, one module each::

    sniff        which reader (file name first, content when the name says nothing)
    decode       bytes -> text, or BinaryInputError / EncodingError
    html         trafilatura main text + title, canonical URL, publication date
    jsonl        the contract's JSONL input (and .json), streamed line by line
    feed         RSS/Atom entries (feedparser)
    warc         WARC responses (warcio)
    fetch        opt-in download of URLs (httpx)
    boilerplate  trailing comment forms / share buttons cut from plain text
    article      the common rules: text, empty documents, publication date

Ids: a JSONL document keeps its ``id``; a file is its path as given (a file
found in a folder: the folder as given joined with its relative path); a WARC
record its target URI; a feed entry its link; standard input ``-``; a fetched
page its URL. ``Article.content_hash`` identifies the text itself.
"""

from __future__ import annotations

import gzip
import io
import logging
import os
import re
import sys
import zlib
from collections.abc import Iterator, Sequence
from typing import IO, Any, BinaryIO, TextIO

from ..errors import ConfigError, InputError
from ..records import Article
from .article import Options, build_article
from .dates import normalise_date
from .decode import decode_bytes
from .feed import read_feed
from .fetch import fetch_url
from .html import extract_page
from .jsonl import read_json, read_jsonl
from .sniff import HEAD_BYTES, is_feed, kind_from_name, sniff_content
from .warc import read_warc

__all__ = ["read_inputs", "read_data", "Options"]

log = logging.getLogger(__name__)

#: Files in an input folder that describe the corpus rather than belong to it
#: (a folder of news often carries its README or LICENSE). A file named
#: explicitly on the command line is always read.
_CORPUS_DOC_RE = re.compile(
    r"(readme|license|licence|notice|changelog|authors|contributing|copying)(\.[a-z0-9]+)?",
    re.IGNORECASE,
)
#: Operating-system litter, never documents.
_LITTER = frozenset({"thumbs.db", "desktop.ini", "icon\r"})


def read_inputs(
    paths: Sequence[str],
    *,
    published: str | None = None,
    fetch: bool = False,
    stdin: TextIO | BinaryIO | None = None,
    max_bytes: int = 20_000_000,
    timeout: float = 20.0,
    transport: Any = None,
) -> Iterator[Article | InputError]:
    """Read files, folders, ``-`` (standard input) and URLs into Articles, in order.

    - ``published``: publication date (``YYYY-MM-DD`` or ISO datetime) for the
      documents that carry none of their own (metadata or dateline).
    - ``fetch``: allow downloading ``http(s)://`` inputs; otherwise each URL yields
      a FetchError saying how to allow it.
    - ``stdin``: the stream ``-`` reads (default ``sys.stdin``); binary or text.
    - ``max_bytes``: size limit of one document (a file, a JSONL line, a WARC
      record, a download).
    - ``timeout``: seconds for a download.
    - ``transport``: an httpx transport for downloads (tests use MockTransport).

    Folders are read recursively in sorted order, skipping hidden files and
    folders, README/LICENSE-style files and OS litter (Thumbs.db). A path that does
    not exist yields an InputError in its place (the others are read); when none of
    the paths exists, or none is given, or ``published`` is unreadable, ConfigError
    is raised at call time, before anything is yielded.

    Nothing a file contains ends the stream: whatever a reader raises becomes an
    InputError naming the file, and the next input is read.
    """
    if isinstance(paths, str):
        paths = [paths]
    date = _published_arg(published)
    if max_bytes <= 0:
        raise ConfigError(f"max_bytes must be positive, not {max_bytes}")
    if timeout <= 0:
        raise ConfigError(f"timeout must be positive, not {timeout}")
    if not paths:
        raise ConfigError("no input: give files, folders, URLs, or - for standard input")
    missing = [p for p in paths if _missing(p)]
    if len(missing) == len(paths):
        raise ConfigError(
            f"{missing[0]}: no such file or folder"
            + (f" (and {len(missing) - 1} more missing inputs)" if len(missing) > 1 else "")
        )
    opts = Options(
        published=date, fetch=fetch, max_bytes=max_bytes, timeout=timeout, transport=transport
    )
    return _read_all(list(paths), opts, stdin)


def read_data(
    data: bytes | str,
    *,
    name: str = "-",
    published: str | None = None,
    max_bytes: int = 20_000_000,
) -> Iterator[Article | InputError]:
    """Read an in-memory input (an upload, pasted text) as if it were a file called ``name``.

    The name's extension chooses the reader as for files (``.jsonl``, ``.html``,
    ``.rss``, ``.warc.gz``...); without one the content is sniffed. Text documents
    get ``name`` as their id.
    """
    opts = Options(published=_published_arg(published), max_bytes=max_bytes)
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    return _read_named(raw, name, opts)


def _read_named(data: bytes, name: str, opts: Options) -> Iterator[Article | InputError]:
    if len(data) > opts.max_bytes:
        yield InputError(
            f"the input is larger than max_bytes ({opts.max_bytes:,} bytes)", source=name
        )
        return
    kind = kind_from_name(name)
    if kind == "xml":
        kind = "feed" if is_feed(data[:HEAD_BYTES]) else "text"
    elif kind is None:
        kind = sniff_content(data[:HEAD_BYTES])
    yield from _read_document(data, kind=kind, source=name, doc_id=name, opts=opts)


def _published_arg(published: str | None) -> str | None:
    if published is None or not str(published).strip():
        return None
    date = normalise_date(str(published))
    if date is None:
        raise ConfigError(f"--published {published!r}: not a date; give it as YYYY-MM-DD")
    return date


def _is_url(path: str) -> bool:
    return path.lower().startswith(("http://", "https://"))


def _read_all(
    paths: list[str], opts: Options, stdin: TextIO | BinaryIO | None
) -> Iterator[Article | InputError]:
    for path in paths:
        if path == "-":
            yield from _guarded(_read_stdin(stdin, opts), "-")
        elif _is_url(path):
            yield from _guarded(_read_url(path, opts), path)
        elif _missing(path):
            yield InputError("no such file or folder; the other inputs are read", source=path)
        elif os.path.isdir(path):
            yield from _read_folder(path, opts)
        else:
            yield from _guarded(_read_file(path, opts), path)


def _missing(path: str) -> bool:
    # lexists: a broken symlink is there, and its reader says why it cannot be opened
    return path != "-" and not _is_url(path) and not os.path.lexists(path)


def _guarded(items: Iterator[Article | InputError], source: str) -> Iterator[Article | InputError]:
    """The items of one input; an exception a reader did not foresee ends that input only.

    Readers turn every failure they know into an InputError value. This is the net
    under them, so that a file that breaks a library below (a parser's recursion, a
    codec) costs its own documents, never the rest of the batch.
    """
    n = 0
    try:
        for item in items:
            n += 1
            yield item
    except Exception as exc:  # noqa: BLE001 - the batch boundary: one input's failure
        log.debug("reader failed on %s", source, exc_info=True)
        after = f" after {n} documents" if n else ""
        yield InputError(
            f"cannot read this input{after} ({type(exc).__name__}: {exc}); the other "
            "inputs are read",
            source=source,
        )


# --------------------------------------------------------------------------- folders
def _read_folder(root: str, opts: Options) -> Iterator[Article | InputError]:
    errors: list[OSError] = []
    files: list[tuple[tuple[str, ...], str]] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if name.startswith(".") or name.lower() in _LITTER or name.endswith("~"):
                continue
            path = os.path.join(dirpath, name)
            if _CORPUS_DOC_RE.fullmatch(name):
                log.info("%s: a corpus description, not a document; skipped", path)
                continue
            files.append((tuple(os.path.relpath(path, root).split(os.sep)), path))
    for err in errors:
        yield InputError(
            f"cannot list this folder ({err.strerror}); its files were not read",
            source=err.filename or root,
        )
    for _, path in sorted(files):
        yield from _guarded(_read_file(path, opts), path)


# --------------------------------------------------------------------------- files
def _read_file(path: str, opts: Options) -> Iterator[Article | InputError]:
    kind = kind_from_name(path)
    # batch.jsonl.gz, page.html.gz...: read through gzip (a .warc.gz is read by warcio,
    # which handles its record-by-record compression itself).
    compressed = kind != "warc" and path.lower().endswith(".gz")
    if compressed:
        kind = kind_from_name(path[:-3])
    try:
        f: Any = gzip.open(path, "rb") if compressed else open(path, "rb")  # noqa: SIM115
    except OSError as exc:
        yield InputError(f"cannot open the file ({exc.strerror or exc})", source=path)
        return
    with f:
        try:
            if kind is None or kind == "xml":
                head = f.read(HEAD_BYTES)
                f.seek(0)
                if kind == "xml":
                    kind = "feed" if is_feed(head) else "text"
                else:
                    kind = sniff_content(head)
            if kind == "jsonl":
                yield from read_jsonl(f, source=path, opts=opts)
                return
            if kind == "warc":
                yield from read_warc(f, source=path, opts=opts)
                return
            data = f.read(opts.max_bytes + 1)
        except (OSError, EOFError, zlib.error) as exc:  # EOFError: a truncated .gz
            what = getattr(exc, "strerror", None) or exc or "truncated"
            if compressed:
                what = f"{what}; the gzip file is damaged"
            yield InputError(f"cannot read the file ({what})", source=path)
            return
    if len(data) > opts.max_bytes:
        yield InputError(
            f"the file is larger than max_bytes ({opts.max_bytes:,} bytes); split it or "
            "raise the limit",
            source=path,
        )
        return
    yield from _read_document(data, kind=kind, source=path, doc_id=path, opts=opts)


def _read_document(
    data: bytes,
    *,
    kind: str,
    source: str,
    doc_id: str,
    opts: Options,
    url: str | None = None,
    content_type: str | None = None,
) -> Iterator[Article | InputError]:
    """Read one in-memory input of a known kind (a file, standard input, a download)."""
    if kind == "jsonl":
        yield from read_jsonl(io.BytesIO(data), source=source, opts=opts)
        return
    if kind == "warc":
        yield from read_warc(io.BytesIO(data), source=source, opts=opts)
        return
    if kind == "feed":
        yield from read_feed(data, source=source, opts=opts)
        return
    try:
        text = decode_bytes(data, source=source, content_type=content_type)
        if kind == "json":
            yield from read_json(text, source=source, opts=opts)
        elif kind == "html":
            page = extract_page(text, source=source, url=url)
            yield build_article(
                page.text,
                doc_id=doc_id,
                source=source,
                fmt="html",
                opts=opts,
                title=page.title,
                url=page.url or url,
                published=page.date,
            )
        else:
            yield build_article(text, doc_id=doc_id, source=source, fmt="text", opts=opts, url=url)
    except InputError as exc:
        yield exc


# --------------------------------------------------------------------------- stdin
def _read_stdin(stdin: TextIO | BinaryIO | None, opts: Options) -> Iterator[Article | InputError]:
    stream: Any = stdin if stdin is not None else sys.stdin
    if stream is None:
        yield InputError("there is no standard input to read", source="-")
        return
    stream = getattr(stream, "buffer", stream)  # a text wrapper's bytes, when it has them
    try:
        head = stream.read(HEAD_BYTES)
        if isinstance(head, str):  # a text stream without a buffer (io.StringIO)
            data = (head + stream.read()).encode("utf-8", "surrogatepass")
            stream, head = io.BytesIO(data), data[:HEAD_BYTES]
            stream.seek(len(head))
    except OSError as exc:
        yield InputError(f"cannot read standard input ({exc.strerror})", source="-")
        return
    kind = sniff_content(head)
    log.debug("standard input looks like %s", kind)
    whole = io.BufferedReader(_Prefixed(head, stream))
    if kind == "jsonl":
        yield from read_jsonl(whole, source="-", opts=opts)
        return
    if kind == "warc":
        yield from read_warc(whole, source="-", opts=opts)
        return
    data = whole.read(opts.max_bytes + 1)
    if len(data) > opts.max_bytes:
        yield InputError(
            f"standard input is larger than max_bytes ({opts.max_bytes:,} bytes); give it "
            "as JSONL to stream it, or raise the limit",
            source="-",
        )
        return
    yield from _read_document(data, kind=kind, source="-", doc_id="-", opts=opts)


class _Prefixed(io.RawIOBase):
    """A byte stream: bytes already read (for sniffing) followed by the rest of a stream."""

    def __init__(self, head: bytes, rest: IO[bytes]):
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        chunk = self._rest.read(len(buffer))
        if not chunk:
            return 0
        n = len(chunk)
        buffer[:n] = chunk
        return n


# --------------------------------------------------------------------------- URLs
_KIND_BY_MIME = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/rdf+xml": "feed",
    "text/plain": "text",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/json": "json",
}


def _read_url(url: str, opts: Options) -> Iterator[Article | InputError]:
    try:
        got = fetch_url(url, opts=opts)
    except InputError as exc:
        yield exc
        return
    mime = got.content_type.split(";")[0].strip().lower()
    kind = _KIND_BY_MIME.get(mime)
    head = got.body[:HEAD_BYTES]
    if kind is None or (kind == "html" and is_feed(head)):
        kind = sniff_content(head)
    if kind == "text" and mime in ("application/xml", "text/xml") and is_feed(head):
        kind = "feed"
    log.info("fetched %s (%s, %d bytes) as %s", url, mime or "untyped", len(got.body), kind)
    yield from _read_document(
        got.body,
        kind=kind,
        source=url,
        doc_id=url,
        opts=opts,
        url=got.url,
        content_type=got.content_type or None,
    )
