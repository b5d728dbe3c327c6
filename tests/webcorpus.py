"""A small synthetic corpus of coded events, for the web, corrections and browser tests.

The articles are invented (no dev data), the events are coded by hand with evidence spans
found in the text, so the tests need no spaCy model and know exactly what to expect.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx

from eventscope.records import Article, DocumentResult, Event, Place, content_id
from eventscope.store import Store


@dataclass(frozen=True)
class Spec:
    doc_id: str
    published: str
    text: str
    title: str
    event_type: str
    sub_event_type: str
    plover: str
    event_date: str
    actor1: str
    actor2: str | None
    location: str
    admin1: str
    country: str
    country_code: str
    lat: float
    lon: float
    fatalities: int
    trigger: str
    url: str | None = None


SPECS = [
    Spec("kenya-1", "2023-03-06",
         "Police clashed with protesters in Nairobi on Sunday. Two people were killed, "
         "officials said.",
         "Two killed in Nairobi protest", "Protests", "Excessive force against protesters",
         "ASSAULT", "2023-03-05", "Police Forces of Kenya", "Protesters (Kenya)", "Nairobi",
         "Nairobi", "Kenya", "KE", -1.2864, 36.8172, 2, "clashed",
         "https://news.example.org/kenya-1"),
    Spec("mali-1", "2023-02-11",
         "Militants attacked an army post near Gao on Friday, killing 12 soldiers.",
         "Army post attacked near Gao", "Battles", "Armed clash", "ASSAULT", "2023-02-10",
         "JNIM", "Military Forces of Mali", "Gao", "Gao", "Mali", "ML", 16.2717, -0.0447, 12,
         "attacked", "https://news.example.org/mali-1"),
    Spec("mali-2", "2023-04-02",
         "A roadside bomb exploded near Mopti on Saturday, killing three civilians.",
         "Roadside bomb near Mopti", "Explosions/Remote violence",
         "Remote explosive/landmine/IED", "ASSAULT", "2023-04-01", "Unidentified Armed Group",
         "Civilians (Mali)", "Mopti", "Mopti", "Mali", "ML", 14.4843, -4.1830, 3, "exploded"),
    Spec("nigeria-1", "2023-01-16",
         "Gunmen abducted 20 villagers in Zamfara on Sunday, residents said.",
         "Villagers abducted in Zamfara", "Violence against civilians",
         "Abduction/forced disappearance", "ASSAULT", "2023-01-15", "Unidentified Armed Group",
         "Civilians (Nigeria)", "Gusau", "Zamfara", "Nigeria", "NG", 12.1704, 6.6641, 0,
         "abducted"),
    Spec("nigeria-2", "2023-05-20",
         "Traders marched peacefully through Lagos on Friday to protest new fees.",
         "Traders march in Lagos", "Protests", "Peaceful protest", "PROTEST", "2023-05-19",
         "Protesters (Nigeria)", None, "Lagos", "Lagos", "Nigeria", "NG", 6.4541, 3.3947, 0,
         "marched"),
    Spec("syria-1", "2023-06-11",
         "An air strike hit a market in Idlib on Saturday, killing 9 people.",
         "Air strike on Idlib market", "Explosions/Remote violence", "Air/drone strike",
         "ASSAULT", "2023-06-10", "Military Forces of Syria", "Civilians (Syria)", "Idlib",
         "Idlib", "Syria", "SY", 35.9306, 36.6339, 9, "air strike"),
    Spec("colombia-1", "2023-07-03",
         "Rebels clashed with troops in Cauca on Sunday; four soldiers died.",
         "Clashes in Cauca", "Battles", "Armed clash", "ASSAULT", "2023-07-02", "ELN",
         "Military Forces of Colombia", "Popayan", "Cauca", "Colombia", "CO", 2.4448,
         -76.6147, 4, "clashed"),
    Spec("ukraine-1", "2023-08-14",
         "Shelling struck Kharkiv on Sunday, killing 7 people, the governor said.",
         "Shelling in Kharkiv", "Explosions/Remote violence",
         "Shelling/artillery/missile attack", "ASSAULT", "2023-08-13",
         "Military Forces of Russia", "Civilians (Ukraine)", "Kharkiv", "Kharkiv", "Ukraine",
         "UA", 49.9935, 36.2304, 7, "Shelling"),
    Spec("india-1", "2023-09-18",
         "Rioters torched shops in Manipur on Sunday; one man was killed.",
         "Riot in Manipur", "Riots", "Violent demonstration", "PROTEST", "2023-09-17",
         "Rioters (India)", "Civilians (India)", "Imphal", "Manipur", "India", "IN", 24.8170,
         93.9368, 1, "torched"),
    Spec("sudan-1", "2023-10-09",
         "Fighters of the RSF seized Nyala on Sunday after days of fighting that killed 30.",
         "RSF seizes Nyala", "Battles", "Non-state actor overtakes territory", "ASSAULT",
         "2023-10-08", "RSF", "Military Forces of Sudan", "Nyala", "South Darfur", "Sudan",
         "SD", 12.0489, 24.8807, 30, "seized"),
]


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def spec_result(spec: Spec, *, extra_text: str = "") -> DocumentResult:
    """The DocumentResult the pipeline would give for ``spec``, with evidence spans."""
    text = spec.text + extra_text
    article = Article(id=spec.doc_id, text=text, title=spec.title, url=spec.url,
                      published=spec.published, source=f"{spec.doc_id}.txt", fmt="text")
    ev = Event(
        event_id=content_id(f"{spec.doc_id}|0", prefix="ev-"),
        plover=spec.plover, event_type=spec.event_type, sub_event_type=spec.sub_event_type,
        event_date=spec.event_date, date_precision="day", actor1=spec.actor1,
        actor2=spec.actor2, actor1_type=None, actor2_type=None, country=spec.country,
        country_code=spec.country_code, admin1=spec.admin1, location=spec.location,
        latitude=spec.lat, longitude=spec.lon, geo_precision=1, fatalities=spec.fatalities,
        confidence=0.8, trigger=spec.trigger, sentence_start=0,
        sentence_end=len(spec.text.split(". ")[0]) + 1,
    )
    ev.add_evidence("trigger", *_span(text, spec.trigger))
    place_word = spec.location if spec.location in text else spec.admin1
    ev.add_evidence("location", *_span(text, place_word))
    for word in ("Sunday", "Saturday", "Friday"):
        if word in spec.text:
            ev.add_evidence("event_date", *_span(text, word))
            break
    places = [Place(*_span(text, place_word), text=place_word, name=spec.location,
                    latitude=spec.lat, longitude=spec.lon, country_code=spec.country_code,
                    admin1=spec.admin1, feature_code="PPL")]
    return DocumentResult(article=article, events=[ev], places=places)


def event_id(doc_id: str) -> str:
    return content_id(f"{doc_id}|0", prefix="ev-")


HOSTILE_TEXT = (
    'Protesters gathered in Nairobi on Sunday. <script>window.__pwned = 1; '
    'document.title = "PWNED"</script> <img src=x onerror="window.__pwned = 2"> '
    '"><svg onload="window.__pwned=3"> <a href="javascript:window.__pwned=4">click</a>'
)


def hostile_result() -> DocumentResult:
    """An article whose text, title and url try to run script in the analyst's browser."""
    text = HOSTILE_TEXT
    article = Article(
        id="hostile-1", text=text,
        title='<img src=x onerror="window.__pwned=5">Breaking</b>',
        url="javascript:window.__pwned=6", published="2023-03-06", fmt="text",
    )
    ev = Event(
        event_id=event_id("hostile-1"), plover="PROTEST", event_type="Protests",
        sub_event_type="Peaceful protest", event_date="2023-03-05", date_precision="day",
        actor1='<script>window.__pwned=7</script>', country="Kenya", country_code="KE",
        admin1="Nairobi", location='<b onmouseover="window.__pwned=8">Nairobi</b>',
        latitude=-1.29, longitude=36.82, geo_precision=1, fatalities=0, confidence=0.6,
        trigger="gathered", sentence_start=0, sentence_end=len(text),
    )
    ev.add_evidence("trigger", *_span(text, "gathered"))
    ev.add_evidence("location", *_span(text, "Nairobi"))
    s, e = _span(text, "<script>")
    ev.add_evidence("actor1", s, e + 40)
    s, e = _span(text, "<img")
    ev.add_evidence("notes", s, e + 20)
    return DocumentResult(article=article, events=[ev], places=[])


def fill(store: Store, *, hostile: bool = False) -> list[DocumentResult]:
    """Store the synthetic corpus (and the hostile article) in ``store``."""
    results = [spec_result(s) for s in SPECS]
    if hostile:
        results.append(hostile_result())
    for r in results:
        # Each spec is a distinct event that the web tests find by its id: kept apart even
        # where cross-report merging would join two (same type, day and town).
        store.add_result(r, merge=False)
    return results


class Client:
    """Synchronous calls into the ASGI app (one event loop per call keeps tests simple)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def request(self, method: str, url: str, **kw: Any) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport,
                                         base_url="http://127.0.0.1") as c:
                return await c.request(method, url, **kw)

        return asyncio.run(go())

    def get(self, url: str, **kw: Any) -> httpx.Response:
        return self.request("GET", url, **kw)

    def post(self, url: str, **kw: Any) -> httpx.Response:
        return self.request("POST", url, **kw)
