"""The one exception tree of eventscope.

Every error a user can meet derives from :class:`EventscopeError`; errors of the
libraries below (DuckDB, spaCy, trafilatura, warcio, ...) are translated once, at
the boundary of the module that calls them, with ``raise ... from exc``::

    EventscopeError
    ├── ConfigError              bad settings or options (CLI exit status 2)
    ├── InputError               one document or file cannot be read
    │   ├── BinaryInputError       not text (NUL bytes, an image, an archive)
    │   ├── EncodingError          bytes that no supported encoding decodes
    │   ├── EmptyDocumentError     nothing left to analyse
    │   └── JSONLError             a broken JSONL line or a line missing a required field
    ├── FetchError               opt-in network fetch failed (timeout, size cap, HTTP status)
    ├── ModelError               the spaCy model or an event-type model is missing or broken
    ├── KnowledgeError           a shipped or user data file (lexicon, actor dictionary) is invalid
    ├── GazetteerError           the compiled gazetteer is missing or corrupt
    ├── StoreError               the DuckDB store cannot be opened, migrated or written
    │   └── StoreBusyError         another process holds the store (CLI exit status 3)
    └── EvaluationError          a gold file cannot be scored, or the quality gate failed

Messages say what went wrong, where (file, line), and what to do about it.
"""

from __future__ import annotations


class EventscopeError(Exception):
    """Base class of every error eventscope raises on purpose."""


class ConfigError(EventscopeError):
    """Invalid settings or command-line options."""


class InputError(EventscopeError):
    """A document or input file cannot be processed.

    ``source`` names the file (or ``-`` for standard input) and ``line`` the JSONL
    line number when there is one, so batch reports can point at the culprit.
    ``doc_id`` is the id of the failed document when it is known (a JSONL line's
    ``id``, a WARC record's URI), else ``source``: the ``id`` of its error line.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        doc_id: str | None = None,
    ):
        self.source = source
        self.line = line
        self.doc_id = doc_id if doc_id is not None else source
        where = ""
        if source is not None:
            where = f"{source}:{line}: " if line is not None else f"{source}: "
        super().__init__(where + message)
        self.reason = message


class BinaryInputError(InputError):
    """The input is binary, not text."""


class EncodingError(InputError):
    """The input's bytes could not be decoded as text."""


class EmptyDocumentError(InputError):
    """The document has no text left to analyse."""


class JSONLError(InputError):
    """A JSONL line is not valid JSON or lacks a required field."""


class FetchError(InputError):
    """Fetching a URL or a feed failed (network access is opt-in)."""


class ModelError(EventscopeError):
    """The spaCy model cannot be loaded."""


class KnowledgeError(EventscopeError):
    """A knowledge file (lexicon, actor dictionary, taxonomy) is invalid."""


class GazetteerError(EventscopeError):
    """The compiled gazetteer is missing or corrupt."""


class StoreError(EventscopeError):
    """The event store cannot be opened, migrated or written."""


class StoreBusyError(StoreError):
    """Another process holds the store; ``holder`` is its pid when known."""

    def __init__(self, message: str, *, holder: int | None = None):
        super().__init__(message)
        self.holder = holder


class EvaluationError(EventscopeError):
    """A gold file cannot be scored, or a pinned score dropped."""
