"""Hostile payloads in every field the pages show: none of them may run (issue 16).

Each of five payload shapes (a script element, an image's onerror, an svg's onload, an
attribute break-out, a ``javascript:`` URL) is put in every text field of an article, of
its event and of an analyst's correction, each with its own number, so a payload that ran
names itself in ``window.__pwned``. The pages are then opened (dashboard with the event
selected, the event's own page), and every highlight, link and row is clicked.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cdp import Chromium
from conftest import TOKEN, running_server

from eventscope.records import Article, DocumentResult, Event, content_id
from eventscope.store import Store

pytestmark = pytest.mark.browser

SHAPES = (
    "<script>window.__pwned={n}</script>",
    '<img src=x onerror="window.__pwned={n}">',
    '"><svg onload="window.__pwned={n}">',
    "' onmouseover='window.__pwned={n}' x='",
    "javascript:window.__pwned={n}",
)
ARTICLE_FIELDS = ("title", "url", "doc_id")
EVENT_FIELDS = (
    "actor1",
    "actor2",
    "assoc_actor_1",
    "assoc_actor_2",
    "location",
    "admin1",
    "admin2",
    "country",
    "sub_event_type",
    "trigger",
    "date_precision",
    "actor1_type",
    "actor2_type",
)
CORRECTION_FIELDS = ("author", "note", "value")
TRIED: list[str] = []


def _payload(shape: int, field: str) -> str:
    n = 100 * (shape + 1) + len(TRIED)
    p = SHAPES[shape].format(n=n)
    TRIED.append(f"{field}:{n}")
    return p


def _result(shape: int) -> DocumentResult:
    text = (
        f"Police fired on protesters in Nairobi on Sunday. {_payload(shape, 'text')} "
        f"Witnesses said two people died. {_payload(shape, 'text')}"
    )
    a = {f: _payload(shape, f) for f in ARTICLE_FIELDS}
    article = Article(
        id=a["doc_id"],
        text=text,
        title=a["title"],
        url=a["url"],
        published="2023-03-06",
        fmt="html",
    )
    e = {f: _payload(shape, f) for f in EVENT_FIELDS}
    ev = Event(
        event_id=content_id(f"hostile-field-{shape}", prefix="ev-"),
        plover="ASSAULT",
        event_type="Violence against civilians",
        sub_event_type=e["sub_event_type"],
        event_date="2023-03-05",
        date_precision=e["date_precision"],
        actor1=e["actor1"],
        actor2=e["actor2"],
        actor1_type=e["actor1_type"],
        actor2_type=e["actor2_type"],
        assoc_actor_1=[e["assoc_actor_1"]],
        assoc_actor_2=[e["assoc_actor_2"]],
        country=e["country"],
        country_code="KE",
        admin1=e["admin1"],
        admin2=e["admin2"],
        location=e["location"],
        latitude=-1.29 + shape / 10,
        longitude=36.82,
        geo_precision=1,
        fatalities=2,
        confidence=0.5,
        trigger=e["trigger"],
        sentence_start=0,
        sentence_end=len(text),
    )
    ev.add_evidence("trigger", 7, 12)
    start = text.index(SHAPES[shape][:4])
    ev.add_evidence("actor1", start, start + 20)
    ev.add_evidence("location", text.index("Nairobi"), text.index("Nairobi") + 7)
    return DocumentResult(article=article, events=[ev], places=[])


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    from eventscope import corrections

    db = tmp_path_factory.mktemp("hostile") / "fields.duckdb"
    ids = []
    with Store.open(db) as store:
        for shape in range(len(SHAPES)):
            r = _result(shape)
            store.add_result(r)
            ids.append(r.events[0].event_id)
            corrections.correct(
                store,
                ids[-1],
                "location",
                _payload(shape, "value"),
                author=_payload(shape, "author")[:100],
                note=_payload(shape, "note"),
            )
    with running_server(db, token=TOKEN) as url:
        yield url, ids


def _clean(page) -> dict:
    return page.eval(
        "({pwned: window.__pwned === undefined ? null : window.__pwned,"
        " csp: window.__csp, errors: window.__errors, title: document.title})"
    )


def test_no_payload_in_any_field_runs(browser: Chromium, hostile_server, screenshots: Path):
    url, ids = hostile_server
    assert len(TRIED) >= 5 * (2 + len(ARTICLE_FIELDS) + len(EVENT_FIELDS) + 3)
    page = browser.new_page()
    try:
        page.navigate(f"{url}/")
        page.wait_for("document.documentElement.dataset.state === 'ready'", what="dashboard")
        page.wait_for(
            f"document.querySelectorAll('#events tbody tr').length >= {len(ids)}",
            what="the event table",
        )
        for sel in ("#events tbody tr td", "path.es-marker, path.es-cluster"):
            page.click(sel)
        page.browser.pump(0.3)
        state = _clean(page)
        assert state["pwned"] is None and state["csp"] == [] and state["errors"] == [], state
        for eid in ids:
            page.navigate(f"{url}/?event={eid}")
            page.wait_for(
                "document.querySelector('#detail .article-text') !== null", what="the event view"
            )
            page.wait_for(
                "document.querySelector('#detail .history') !== null",
                what="the corrections history",
            )
            assert (
                page.eval(
                    "document.querySelectorAll('#detail script, #detail img, "
                    "#detail svg, #events img, #events svg').length"
                )
                == 0
            )
            assert page.eval(
                "[...document.querySelectorAll('a')]"
                ".every(a => !a.href.toLowerCase().startsWith('javascript:'))"
            )
            for sel in (
                "#detail mark.ev",
                "#detail .sources li",
                "#detail .fields td",
                "#detail .history li",
            ):
                page.click(sel)
            page.browser.pump(0.2)
            state = _clean(page)
            assert state["pwned"] is None, f"payload {state['pwned']} ran"
            assert state["csp"] == [] and state["errors"] == [], state
            page.navigate(f"{url}/events/{eid}")
            page.wait_for(
                "document.documentElement.dataset.state === 'ready'", what="the event page"
            )
            page.click("#detail mark.ev")
            page.browser.pump(0.2)
            state = _clean(page)
            assert state["pwned"] is None and state["csp"] == [] and state["errors"] == [], state
            assert "__pwned" not in state["title"]
        page.screenshot(screenshots / "hostile-fields.png")
    finally:
        page.close()
