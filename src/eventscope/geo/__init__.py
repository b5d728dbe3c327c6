"""Places: every place in the text resolved to coordinates, every event put where it happened.

No search server: an embedded gazetteer compiled from GeoNames data (:mod:`.gazetteer`,
:mod:`.sources`, :mod:`.geonames_dump`), recognition of place mentions (:mod:`.recognize`),
resolution to gazetteer entries (:mod:`.resolve`), relative places (:mod:`.relative`) and event
location (:mod:`.locate`). :class:`Geocoder` is what the extraction pipeline calls.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from ..records import Article, Event, Place
from .gazetteer import (
    Gazetteer,
    build_gazetteer,
    default_path,
    gazetteer_info,
    import_geonames,
    load_gazetteer,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .locate import Locator
    from .recognize import Recognizer
    from .resolve import Resolver

log = logging.getLogger(__name__)

__all__ = [
    "Geocoder",
    "Gazetteer",
    "build_gazetteer",
    "load_gazetteer",
    "import_geonames",
    "gazetteer_info",
    "default_path",
]


class Geocoder:
    """Recognises and resolves place mentions, and locates events.

    ``gazetteer`` is injected (tests pass a tiny in-memory one); when omitted the compiled
    default is loaded on first use, so a missing gazetteer fails at the first document with a
    :class:`~eventscope.errors.GazetteerError` that says how to build it.
    """

    def __init__(self, gazetteer: Gazetteer | None = None, *, path: Path | None = None) -> None:
        self._gaz = gazetteer
        self._path = path
        self._recognizer: Recognizer | None = None
        self._resolver: Resolver | None = None
        self._locator: Locator | None = None

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gaz is None:
            self._gaz = load_gazetteer(self._path)
        return self._gaz

    def _parts(self) -> tuple[Recognizer, Resolver, Locator]:
        if self._recognizer is None or self._resolver is None or self._locator is None:
            from .locate import Locator
            from .recognize import Recognizer
            from .resolve import Resolver

            gaz = self.gazetteer
            self._recognizer = Recognizer(gaz)
            self._resolver = Resolver(gaz)
            self._locator = Locator(gaz)
        return self._recognizer, self._resolver, self._locator

    def places(self, doc: Doc, article: Article) -> list[Place]:
        """Every resolved place mention of the article, sorted by start offset.

        ``doc`` may be parsed from a truecased copy of ``article.text`` (same length); spans
        and ``Place.text`` index ``article.text``.
        """
        recognizer, resolver, _ = self._parts()
        mentions = recognizer.mentions(doc, article.text)
        places = resolver.resolve(mentions, article.text)
        places.sort(key=lambda p: (p.start, p.end))
        return places

    def locate(self, event: Event, doc: Doc, places: list[Place], article: Article) -> None:
        """Fill the event's location fields (country ... geo_precision) and their evidence."""
        _, _, locator = self._parts()
        locator.locate(event, doc, places, article)
