"""JSONL (one document per line, the contract's input shape) and JSON documents.

A line is ``{"id": str, "text": str, "title"?, "url"?, "published"?, ...}``;
other fields are kept in ``Article.extra``. A line that is not valid JSON, not
an object, too long, or lacks ``id``/``text`` becomes a :class:`JSONLError` naming
file and line, and the following lines are still read. JSON is UTF-8 (RFC 8259),
so a line that is not is an :class:`EncodingError`. Blank lines are skipped.

The file is streamed line by line: a batch of any size needs memory for one line.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import IO, Any

from ..errors import EncodingError, InputError, JSONLError
from ..records import Article
from .article import Options, build_article, no_surrogates

log = logging.getLogger(__name__)

KNOWN_FIELDS = ("id", "text", "title", "url", "published")


def read_jsonl(stream: IO[bytes], *, source: str, opts: Options) -> Iterator[Article | InputError]:
    """Yield one Article (or an InputError) per non-blank line of ``stream``."""
    seen: set[str] = set()
    lineno = 0
    while True:
        raw = stream.readline(opts.max_bytes + 1)
        if not raw:
            return
        lineno += 1
        if len(raw) > opts.max_bytes and not raw.endswith(b"\n"):
            _skip_rest_of_line(stream)
            yield JSONLError(
                f"the line is longer than {opts.max_bytes:,} bytes (max_bytes); split the "
                "document or raise the limit",
                source=source,
                line=lineno,
                doc_id=f"{source}:{lineno}",
            )
            continue
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield EncodingError(
                f"the line is not UTF-8 (byte {exc.start}); JSON must be UTF-8, re-save the file "
                "as UTF-8",
                source=source,
                line=lineno,
                doc_id=f"{source}:{lineno}",
            )
            continue
        try:
            obj = parse_json(line.rstrip("\r\n"))
        except JSONLError as exc:
            yield JSONLError(
                f"{exc.reason}; the other lines are still read",
                source=source,
                line=lineno,
                doc_id=f"{source}:{lineno}",
            )
            continue
        item = document_from_object(obj, source=source, line=lineno, opts=opts)
        if isinstance(item, Article):
            if item.id in seen:
                log.warning("%s:%d: id %r was used before in this file", source, lineno, item.id)
            seen.add(item.id)
        yield item


def read_json(data: str, *, source: str, opts: Options) -> Iterator[Article | InputError]:
    """A ``.json`` file: one document object, or a list of document objects."""
    try:
        obj = parse_json(data, whole_file=True)
    except JSONLError as exc:
        yield JSONLError(exc.reason, source=source)
        return
    if isinstance(obj, list):
        for i, element in enumerate(obj, start=1):
            yield document_from_object(element, source=f"{source}[{i}]", line=None, opts=opts)
    else:
        yield document_from_object(obj, source=source, line=None, opts=opts)


def parse_json(text: str, *, whole_file: bool = False) -> Any:
    """``json.loads`` with every way it can fail turned into a :class:`JSONLError`.

    Besides syntax errors, Python's parser raises RecursionError on arrays or objects
    nested ~1,000 deep and ValueError on integers of more than 4,300 digits (the
    int-from-string limit of CPython 3.11+); a document is neither. Lone surrogates
    (``"\\ud800"``) are legal JSON escapes but not characters: they become U+FFFD, which
    keeps every offset, so the document is still read (:func:`scrub`).
    """
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}" if whole_file else f"column {exc.pos + 1}"
        raise JSONLError(f"not valid JSON ({exc.msg} at {where})") from exc
    except RecursionError as exc:
        raise JSONLError(
            "the JSON is nested too deeply to be a document (arrays or objects inside each "
            "other more than ~1,000 levels deep)"
        ) from exc
    except ValueError as exc:  # an integer of more than 4,300 digits
        if "integer string conversion" in str(exc):
            raise JSONLError(
                "the JSON holds a number of more than 4,300 digits; no document needs one"
            ) from exc
        raise JSONLError(f"the JSON cannot be read ({exc})") from exc
    return scrub(obj)


def scrub(value: Any, depth: int = 0) -> Any:
    """``value`` with lone surrogates in its strings replaced by U+FFFD (same length).

    They cannot be encoded (UTF-8 output, spaCy, DuckDB all refuse them), and a
    surrogate pair written as two escapes has already been joined by the parser.
    """
    if isinstance(value, str):
        return no_surrogates(value)
    if depth > 200:
        return value
    if isinstance(value, dict):
        return {scrub(k, depth + 1): scrub(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, depth + 1) for v in value]
    return value


def document_from_object(
    obj: Any, *, source: str, line: int | None, opts: Options
) -> Article | InputError:
    """Validate one contract input object and build its Article."""
    if not isinstance(obj, dict):
        return JSONLError(
            f"expected a JSON object with 'id' and 'text', got {type(obj).__name__}",
            source=source,
            line=line,
            doc_id=_where(source, line),
        )
    doc_id = obj.get("id")
    if isinstance(doc_id, int) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    if not isinstance(doc_id, str) or not doc_id.strip():
        return JSONLError(
            "the document has no 'id' (a non-empty string); every JSONL document needs one",
            source=source,
            line=line,
            doc_id=_where(source, line),
        )
    text = obj.get("text")
    if not isinstance(text, str):
        what = "no 'text'" if text is None else f"a 'text' that is a {type(text).__name__}"
        return JSONLError(
            f"document {doc_id!r} has {what}; 'text' must be a string",
            source=source,
            line=line,
            doc_id=doc_id,
        )
    meta: dict[str, str | None] = {}
    for name in ("title", "url"):
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            log.warning(
                "%s: document %r: '%s' is a %s, not a string; ignored",
                source if line is None else f"{source}:{line}",
                doc_id,
                name,
                type(value).__name__,
            )
            value = None
        meta[name] = value
    extra = {k: v for k, v in obj.items() if k not in KNOWN_FIELDS}
    try:
        return build_article(
            text,
            doc_id=doc_id,
            source=source,
            fmt="jsonl",
            opts=opts,
            title=meta["title"],
            url=meta["url"],
            published=obj.get("published"),
            extra=extra,
            line=line,
        )
    except InputError as exc:
        return exc


def _where(source: str, line: int | None) -> str:
    return source if line is None else f"{source}:{line}"


def _skip_rest_of_line(stream: IO[bytes]) -> None:
    while True:
        chunk = stream.readline(1 << 20)
        if not chunk or chunk.endswith(b"\n"):
            return
