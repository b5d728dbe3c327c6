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

import dataclasses
import functools
import logging
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import EmptyDocumentError, EventscopeError, InputError
from ..nlp import load_nlp, truecase, unwrap_lines
from ..records import Article, DocumentResult, Event, Place, content_id

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)


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
    """

    def __init__(
        self,
        *,
        nlp: Language | None = None,
        geocoder: GeocoderLike | None = None,
        coder: CoderLike | None = None,
        batch_size: int = 32,
        default_published: str | None = None,
    ) -> None:
        self._nlp = nlp
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

            self._coder = EventCoder()
        return self._coder

    def extract_one(self, article: Article) -> DocumentResult:
        """Extract one article (convenience over :meth:`run`)."""
        return next(iter(self.run([article])))

    def run(self, items: Iterable[Article | InputError]) -> Iterator[DocumentResult]:
        """Extract a stream of articles; ingest errors pass through as error results."""
        nlp = self.nlp
        geocoder = self.geocoder
        coder = self.coder

        def texts() -> Iterator[tuple[str, Any]]:
            for item in items:
                if isinstance(item, InputError):
                    yield "", item
                    continue
                if not item.text.strip():
                    yield (
                        "",
                        EmptyDocumentError(
                            "the document has no text; give it a non-empty 'text'",
                            source=item.source or item.id,
                            doc_id=item.id,
                        ),
                    )
                    continue
                if item.published is None and self.default_published:
                    item.published = self.default_published
                # the stages read the text the model reads: hard-wrapped lines joined (same
                # offsets); the result keeps the article as it came
                unwrapped = unwrap_lines(item.text)
                view = item if unwrapped is item.text else dataclasses.replace(item, text=unwrapped)
                yield truecase(unwrapped), (item, view)

        for doc, ctx in nlp.pipe(texts(), as_tuples=True, batch_size=self.batch_size):
            if isinstance(ctx, InputError):
                yield DocumentResult(
                    article=None, error=str(ctx), doc_id=getattr(ctx, "doc_id", ctx.source)
                )
                continue
            item, view = ctx
            try:
                yield self._process(doc, item, view, geocoder, coder)
            except EventscopeError as exc:
                log.warning("document %s failed: %s", item.id, exc)
                yield DocumentResult(article=None, error=str(exc), doc_id=item.id)
            except Exception as exc:  # a bug must not cost the rest of the batch
                log.exception("internal error on document %s", item.id)
                yield DocumentResult(
                    article=None,
                    error=f"internal error ({type(exc).__name__}: {exc}); please report it",
                    doc_id=item.id,
                )

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
