"""The extraction pipeline: a stream of articles in, a stream of results out.

Cascade for each article (in input order, memory flat however long the stream):

1. the text is prepared for the model (:func:`eventscope.nlp.unwrap_lines` joins hard-wrapped
   lines, :func:`eventscope.nlp.truecase` recases ALL-CAPS wire text; both keep the length,
   so offsets index the original text);
2. spaCy parses it (``nlp.pipe`` in batches);
3. the geocoder recognises and resolves every place mention (:class:`eventscope.geo.Geocoder`);
4. the event coder finds and codes events (:class:`eventscope.extract.coder.EventCoder`);
5. the geocoder puts each event where it happened;
6. event ids are derived from the article, the pipeline version and the event's position.

A document that fails at any step yields a result with ``error`` set; the stream goes on.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import re
import signal
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import EmptyDocumentError, EventscopeError, InputError
from ..nlp import load_nlp, truecase, unwrap_lines
from ..records import Article, DocumentResult, Event, Place, content_id

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)


#: Seconds one document may take by default. Measured on this project's 2-core machines
#: (under load): a 20,000-character text 10 s, a 100,000-character one 112 s; the longest
#: document of the dev sets has 9,148 characters.
DOC_TIMEOUT = 300.0

#: Longest text one document may have (characters). spaCy refuses more than its
#: ``max_length`` (1,000,000: its error E088), and the cost grows faster than the length
#: (above: 5 times the text took 11 times as long, and 796 MB); a text this long is a
#: whole file of articles, to be split.
MAX_CHARS = 100_000


class DocumentTimeout(BaseException):
    """Raised inside a document's processing when its time limit has passed.

    A BaseException, like KeyboardInterrupt, so that no ``except Exception`` in a stage
    swallows it and lets the document run on past its limit."""


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`DocumentTimeout` in the block after ``seconds`` (wall clock).

    Uses ``SIGALRM``, so only in the main thread of a POSIX process; elsewhere (a web
    server's thread pool, Windows) the block runs without a limit.
    """
    if (
        not seconds
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise DocumentTimeout(f"more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclasses.dataclass(slots=True)
class _Prepared:
    """One item of the stream, ready for the model, or the error that stopped it."""

    text: str = ""
    article: Article | None = None
    view: Article | None = None
    error: InputError | None = None


class GeocoderLike(Protocol):
    def places(self, doc: Doc, article: Article) -> list[Place]: ...

    def locate(self, event: Event, doc: Doc, places: list[Place], article: Article) -> None: ...


class CoderLike(Protocol):
    def code(self, doc: Doc, article: Article, places: list[Place]) -> list[Event]: ...


def event_id(article: Article, event: Event, ordinal: int = 0) -> str:
    """Stable id from the document and where the event was found.

    The same document gives the same ids; so does a later pipeline version that finds the
    same event (same sentence, same PLOVER type), which lets analysts' corrections, keyed
    by event id, survive re-extraction. ``ordinal`` separates several events of one type
    in one sentence.
    """
    key = "\x1f".join(
        [article.id, article.content_hash, str(event.sentence_start), event.plover, str(ordinal)]
    )
    return content_id(key, prefix="ev-")


class Extractor:
    """Turns articles into :class:`DocumentResult` records.

    ``nlp``, ``geocoder`` and ``coder`` are injected (tests pass small fakes); when
    omitted, the defaults are loaded on first use, not at construction.

    ``doc_timeout``: seconds one document may take (parse and coding) before it is
    skipped with an error (None: no limit; enforced only in the main thread, by
    ``SIGALRM``). ``max_chars``: longest text accepted (default :data:`MAX_CHARS`,
    never more than the model's ``max_length``); a longer one is an error result.
    """

    def __init__(
        self,
        *,
        nlp: Language | None = None,
        geocoder: GeocoderLike | None = None,
        coder: CoderLike | None = None,
        batch_size: int = 32,
        default_published: str | None = None,
        doc_timeout: float | None = DOC_TIMEOUT,
        max_chars: int | None = None,
        model: str | None = None,
    ) -> None:
        self._nlp = nlp
        # ``model``: the event-type model of the default coder, by name so that worker
        # processes and Ray actors can build it themselves: None (the built-in one), "none"
        # (the rules alone) or a folder written by ``eventscope train``.
        self.model = model
        self.doc_timeout = doc_timeout or None
        self.max_chars = max_chars
        self._geocoder = geocoder
        self._coder = coder
        self.batch_size = batch_size
        self.default_published = default_published

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = load_nlp()
        return self._nlp

    @property
    def geocoder(self) -> GeocoderLike:
        if self._geocoder is None:
            from ..geo import Geocoder

            self._geocoder = Geocoder()
        return self._geocoder

    @property
    def coder(self) -> CoderLike:
        if self._coder is None:
            from .coder import EventCoder

            if self.model is None:
                self._coder = EventCoder()
            elif self.model == "none":
                self._coder = EventCoder(use_model=False)
            else:
                from .typemodel import TypeModel

                self._coder = EventCoder(model=TypeModel.load(Path(self.model)))
        return self._coder

    def extract_one(self, article: Article) -> DocumentResult:
        """Extract one article (convenience over :meth:`run`)."""
        return next(iter(self.run([article])))

    def run(self, items: Iterable[Article | InputError]) -> Iterator[DocumentResult]:
        """Extract a stream of articles; ingest errors pass through as error results.

        Nothing one document does ends the stream: an error (or a time-out) while it is
        read, parsed or coded becomes its error result, and the next document follows.
        The stream of ``items`` itself can fail only once (a reader that raises ends its
        iterator); that failure is one last error result.
        """
        nlp = self.nlp
        geocoder = self.geocoder
        coder = self.coder
        for batch in self._batches(items, nlp):
            yield from self._run_batch(batch, nlp, geocoder, coder)

    def _batches(
        self, items: Iterable[Article | InputError], nlp: Language
    ) -> Iterator[list[_Prepared]]:
        """``items`` prepared for the model, ``batch_size`` at a time."""
        max_chars = min(self.max_chars or MAX_CHARS, getattr(nlp, "max_length", MAX_CHARS))
        batch: list[_Prepared] = []
        it = iter(items)
        while True:
            try:
                item = next(it)
            except StopIteration:
                break
            except Exception as exc:  # noqa: BLE001 - a reader's bug ends its stream, not the run
                log.debug("the input stream failed", exc_info=True)
                batch.append(
                    _Prepared(
                        error=InputError(
                            f"reading the input failed ({type(exc).__name__}: {exc}); the documents"
                            " after this point were not read; please report it",
                            source="input",
                        )
                    )
                )
                break
            batch.append(self._prepare(item, max_chars))
            if len(batch) >= self.batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    def _prepare(self, item: Article | InputError, max_chars: int) -> _Prepared:
        if isinstance(item, InputError):
            return _Prepared(error=item)
        where = _where(item)
        if not item.text.strip():
            return _Prepared(
                error=EmptyDocumentError(
                    "the document has no text; give it a non-empty 'text'",
                    source=where,
                    doc_id=item.id,
                )
            )
        if len(item.text) > max_chars:
            # spaCy refuses texts over nlp.max_length (its error E088), and time and memory
            # grow faster than the length (MAX_CHARS). No news report is that long.
            return _Prepared(
                error=InputError(
                    f"the text has {len(item.text):,} characters, more than the {max_chars:,} "
                    "one document may have; split it into its articles (one per file or JSONL "
                    "line)",
                    source=where,
                    doc_id=item.id,
                )
            )
        if item.published is None and self.default_published:
            item.published = self.default_published
        # the stages read the text the model reads: hard-wrapped lines joined (same
        # offsets); the result keeps the article as it came
        unwrapped = unwrap_lines(item.text)
        view = item if unwrapped is item.text else dataclasses.replace(item, text=unwrapped)
        return _Prepared(text=truecase(unwrapped), article=item, view=view)

    def _run_batch(
        self, batch: list[_Prepared], nlp: Language, geocoder: GeocoderLike, coder: CoderLike
    ) -> Iterator[DocumentResult]:
        todo = [p for p in batch if p.article is not None]
        docs: list[Doc] | None = None
        if len(todo) > 1:
            try:
                # the whole batch gets one document's time: on a time-out or an error the
                # documents are parsed one by one, each with its own limit
                with time_limit(self.doc_timeout):
                    docs = list(nlp.pipe([p.text for p in todo], batch_size=self.batch_size))
            except (Exception, DocumentTimeout):  # noqa: BLE001 - find the culprit
                log.info(
                    "a batch of %d documents failed in the model; parsing them one by one",
                    len(todo),
                    exc_info=True,
                )
                docs = None
        parsed = iter(docs) if docs is not None else None
        for prep in batch:
            if prep.article is None:
                err = prep.error or InputError("unreadable document")
                yield DocumentResult(article=None, error=str(err), doc_id=err.doc_id)
                continue
            item = prep.article
            try:
                with time_limit(self.doc_timeout):
                    doc = next(parsed) if parsed is not None else nlp(prep.text)
                    result = self._process(doc, item, prep.view or item, geocoder, coder)
            except DocumentTimeout:
                log.info("document %s took more than %s s; skipped", item.id, self.doc_timeout)
                yield DocumentResult(
                    article=None,
                    doc_id=item.id,
                    error=f"{_where(item)}: processing took more than "
                    f"{self.doc_timeout:g} s (the per-document time limit); skipped",
                )
                continue
            except EventscopeError as exc:
                log.info("document %s failed: %s", item.id, exc)
                yield DocumentResult(article=None, error=str(exc), doc_id=item.id)
                continue
            except Exception as exc:  # a bug must not cost the rest of the batch
                # the error result is the user's one line; the traceback is for -vv
                log.debug("internal error on document %s", item.id, exc_info=True)
                yield DocumentResult(
                    article=None,
                    error=f"{_where(item)}: internal error ({type(exc).__name__}: "
                    f"{exc}); please report it",
                    doc_id=item.id,
                )
                continue
            yield result

    def _process(
        self,
        doc: Doc,
        article: Article,
        view: Article,
        geocoder: GeocoderLike,
        coder: CoderLike,
    ) -> DocumentResult:
        """Places, events and their locations of ``article``, read from ``view`` (the same
        article with hard-wrapped lines joined)."""
        places = geocoder.places(doc, view)
        events = coder.code(doc, view, places)
        seen: dict[tuple[int | None, str], int] = {}
        for ev in events:
            geocoder.locate(ev, doc, places, view)
            follow_location(ev, view.text)
            key = (ev.sentence_start, ev.plover)
            seen[key] = seen.get(key, -1) + 1
            ev.event_id = event_id(article, ev, seen[key])
        acled = any(e.event_type for e in events)
        non_event = None if acled else doc.user_data.get("non_event")
        return DocumentResult(article=article, events=events, places=places, non_event=non_event)


def _where(item: Article) -> str:
    """Where a failed document comes from: its file, and its id when that differs (a JSONL
    line, a WARC record)."""
    if item.source and item.id != item.source:
        return f"{item.source}: document {item.id!r}"
    return item.source or item.id


# Actor names that carry the event's country in ACLED's style rather than a nationality:
# "Civilians (Kenya)", "Protesters (Tunisia)", "Fulani Ethnic Militia (Ghana)", and the
# state's own forces: "Police Forces of South Africa".
_LOCAL_ACTOR = re.compile(r"(.+) \(([^()]+)\)")
_STATE_ACTOR = re.compile(r"(.+) of ([^()]+)")


@functools.cache
def _location_bound_heads() -> frozenset[str]:
    """Heads of the actor names the coder forms with the event's country in brackets: the
    generic templates "Protesters ({country})" and "Police Forces of {country}", and the
    groups named by the country they act in (``country_suffix`` in ``data/actors.yaml``)."""
    from .knowledge import load_actors

    heads = set()
    for entry in load_actors().entries:
        for template in (entry.name, entry.agent_name or ""):
            if template.endswith(" ({country})"):
                heads.add(template[: -len(" ({country})")])
            elif entry.state and template.endswith(" of {country}"):
                heads.add(template[: -len(" of {country}")])
        if entry.country_suffix and "{" not in entry.name:
            heads.add(entry.name)
    return frozenset(heads)


def follow_location(ev: Event, text: str) -> None:
    """Name location-bound actors by the country the event was put in.

    The coder names "Civilians (X)", "Protesters (X)" or "Fulani Ethnic Militia (X)" from the
    country its sentence's places suggest; the locator, which reads the whole text, may put
    the event in another country (a namesake abroad outvoted). The names follow the event's
    country unless the sentence gives that nationality itself ("Colombian civilians" in
    Venezuela, "Indian nationals" rioting in Nepal).
    """
    if not ev.country_code:
        return
    from .knowledge import load_countries

    countries = load_countries()
    here = countries.name(ev.country_code)
    if not here:
        return
    heads = _location_bound_heads()
    sentence: str | None = None
    for attr in ("actor1", "actor2"):
        name = getattr(ev, attr) or ""
        m = _LOCAL_ACTOR.fullmatch(name)
        state = m is None
        if state:
            m = _STATE_ACTOR.fullmatch(name)
        if m is None or m.group(2) == here or m.group(1) not in heads:
            continue
        code = countries.code(m.group(2))
        if code is None:
            continue  # not a country ("Islamic State (West Africa)")
        if sentence is None:
            start = ev.sentence_start or 0
            end = ev.sentence_end if ev.sentence_end is not None else len(text)
            sentence = text[start:end].lower()
        words = [w for w, c in countries.by_word.items() if c == code]
        if any(re.search(rf"\b{re.escape(w)}\b", sentence) for w in words):
            continue  # the text gives that nationality
        setattr(ev, attr, f"{m.group(1)} of {here}" if state else f"{m.group(1)} ({here})")
