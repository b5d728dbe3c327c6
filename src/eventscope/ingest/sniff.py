"""Which reader an input needs: by file name first, by content when the name says nothing.

========================  =========================================================
name                      kind
========================  =========================================================
``.jsonl`` ``.ndjson``    jsonl (one document per line)
``.json``                 json (one document object, or a list of them)
``.html`` ``.htm`` ...    html
``.warc`` ``.warc.gz``    warc
``.rss`` ``.atom``        feed
``.xml``                  feed when it parses as one, else text
``.txt`` ``.text``        text
``NAME.gz``               the kind of NAME, read through gzip (``.warc.gz`` is warc)
anything else, and ``-``  by content: WARC, HTML, feed, JSONL (every non-empty
                          line of the first 64 KB looks like a JSON object), else text
========================  =========================================================
"""

from __future__ import annotations

import json
import re
import zlib

HEAD_BYTES = 65536

_EXT_KINDS: tuple[tuple[str, str], ...] = (
    (".warc.gz", "warc"),
    (".warc", "warc"),
    (".jsonl", "jsonl"),
    (".ndjson", "jsonl"),
    (".json", "json"),
    (".html", "html"),
    (".htm", "html"),
    (".xhtml", "html"),
    (".shtml", "html"),
    (".rss", "feed"),
    (".atom", "feed"),
    (".xml", "xml"),
    (".txt", "text"),
    (".text", "text"),
)

_HTML_RE = re.compile(rb"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE)
_FEED_RE = re.compile(rb"<(?:rss[\s>]|feed[\s>]|rdf:rdf[\s>])", re.IGNORECASE)
_LEAD_RE = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*", re.DOTALL)


def kind_from_name(name: str) -> str | None:
    """The reader a file name asks for, or None when the name says nothing."""
    lower = name.lower()
    for ext, kind in _EXT_KINDS:
        if lower.endswith(ext):
            return kind
    return None


def is_warc(head: bytes) -> bool:
    """True for a WARC file, plain or gzip-compressed (record by record, as warcio writes)."""
    if head.startswith(b"WARC/"):
        return True
    if head.startswith(b"\x1f\x8b"):
        try:
            inflated = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16)
        except zlib.error:
            return False
        return inflated.startswith(b"WARC/")
    return False


def _markup_start(head: bytes) -> bytes:
    m = _LEAD_RE.match(head)
    return head[m.end() if m else 0 :][:2048]


def is_feed(head: bytes) -> bool:
    """True when the document's first element is an RSS, Atom or RDF feed root."""
    return bool(_FEED_RE.match(_markup_start(head)))


def is_html(head: bytes) -> bool:
    """True when the document starts like an HTML page."""
    start = _markup_start(head)
    return bool(_HTML_RE.match(start)) or (
        start.startswith(b"<") and bool(_HTML_RE.search(head[:4096]))
    )


def is_jsonl(head: bytes) -> bool:
    """True when every non-empty line of ``head`` starts a JSON object and the first parses.

    A broken line further down still counts (it becomes a JSONLError, and the other
    lines are read), so one bad line does not turn a batch into one text document.
    """
    lines = [line.strip() for line in head.lstrip(b"\xef\xbb\xbf").split(b"\n")]
    lines = [line for line in lines if line]
    if not lines or not all(line.startswith(b"{") for line in lines):
        return False
    try:
        first = json.loads(lines[0])
    except RecursionError:  # nested ~1,000 deep: JSON all the same (the reader says why)
        return True
    except (ValueError, UnicodeDecodeError):
        return len(lines) == 1 and len(head) >= HEAD_BYTES  # one line longer than the head
    return isinstance(first, dict)


def sniff_content(head: bytes) -> str:
    """The kind of an input whose name does not tell (standard input, no extension)."""
    if is_warc(head):
        return "warc"
    if is_feed(head):
        return "feed"
    if is_html(head):
        return "html"
    if is_jsonl(head):
        return "jsonl"
    return "text"
