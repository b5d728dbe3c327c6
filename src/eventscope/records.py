"""Typed records that flow through the stages: Article -> (Event, Place, Evidence).

Field names follow ``CONTRACT.md`` exactly; ``None`` means unknown. ``to_dict``
gives the contract's JSON shape (keys in a fixed order, so output is deterministic).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

ACLED_EVENT_TYPES = (
    "Battles",
    "Protests",
    "Riots",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Strategic developments",
)

ACTOR_TYPES = (
    "State forces",
    "Rebel group",
    "Political militia",
    "Identity militia",
    "Rioters",
    "Protesters",
    "Civilians",
    "External/Other forces",
)

PLOVER_TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)

DATE_PRECISIONS = ("day", "week", "month", "year")


def content_id(text: str, *, prefix: str = "") -> str:
    """A content-derived id: the same text always gives the same id."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return f"{prefix}{digest}"


@dataclass(slots=True)
class Evidence:
    """A character span of the article text that supports one field of an event."""

    field: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "start": self.start, "end": self.end}


@dataclass(slots=True)
class Place:
    """A place mention in the text and the gazetteer entry it resolved to."""

    start: int
    end: int
    text: str
    name: str | None = None
    geonameid: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    country_code: str | None = None
    admin1: str | None = None
    feature_code: str | None = None
    # Not in the contract's required set, but useful downstream (added fields only).
    admin2: str | None = None
    population: int | None = None
    score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Event:
    """One event, coded in ACLED's and PLOVER's terms, with evidence for its fields."""

    event_id: str
    plover: str
    event_type: str | None = None
    sub_event_type: str | None = None
    event_date: str | None = None
    date_precision: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    actor1_type: str | None = None
    actor2_type: str | None = None
    assoc_actor_1: list[str] = field(default_factory=list)
    assoc_actor_2: list[str] = field(default_factory=list)
    country: str | None = None
    country_code: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geonameid: int | None = None
    geo_precision: int | None = None
    fatalities: int = 0
    injuries: int | None = None
    confidence: float = 0.5
    evidence: list[Evidence] = field(default_factory=list)
    # Added fields (the contract allows additions): the sentence the event came from.
    sentence_start: int | None = None
    sentence_end: int | None = None
    trigger: str | None = None
    # Why ``event_date`` is None when the text tells a date that cannot be resolved ("on
    # Sunday" with no publication date); None otherwise.
    date_note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["evidence"] = [e.to_dict() for e in self.evidence]
        return d

    def add_evidence(self, field_name: str, start: int, end: int) -> None:
        """Record a supporting span once (duplicates are ignored)."""
        for ev in self.evidence:
            if ev.field == field_name and ev.start == start and ev.end == end:
                return
        self.evidence.append(Evidence(field_name, start, end))


@dataclass(slots=True)
class Article:
    """One document as ingested: the text that every offset refers to, and its metadata."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    source: str | None = None  # file path, "-" or URL it came from
    fmt: str = "text"  # text | html | jsonl | warc | feed
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """Content-derived id of the text, used to store each article once."""
        return content_id(self.text)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "published": self.published,
        }


@dataclass(slots=True)
class DocumentResult:
    """What extraction produced for one article (or the error that stopped it)."""

    article: Article | None
    events: list[Event] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    error: str | None = None
    doc_id: str | None = None
    # What the document reports when it is no ACLED event but the event-type model recognises
    # it: NATURAL_DISASTER, MAN_MADE_DISASTER, DIPLO, ORG_CRIME or ATTRIB (CASE 2021's
    # classes); None otherwise. An added key of the contract's output, present only when set.
    non_event: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The contract's output document."""
        if self.article is None or self.error is not None:
            return {"id": self.doc_id, "error": self.error}
        a = self.article
        out: dict[str, Any] = {
            "id": a.id,
            "title": a.title,
            "url": a.url,
            "published": a.published,
        }
        if a.fmt in ("html", "warc", "feed"):
            out["text"] = a.text
        out["events"] = [e.to_dict() for e in self.events]
        out["places"] = [p.to_dict() for p in self.places]
        if self.non_event is not None:
            out["non_event"] = self.non_event
        return out
