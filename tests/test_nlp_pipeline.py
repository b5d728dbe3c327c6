"""Text preparation and the extraction pipeline's stream handling (no model needed)."""

from __future__ import annotations

import spacy

from eventscope.errors import BinaryInputError, EventscopeError
from eventscope.extract.pipeline import Extractor, follow_location
from eventscope.nlp import is_shouting, truecase, unwrap_lines
from eventscope.records import Article, Event, Place


def test_truecase_keeps_every_offset():
    text = "SAN SALVADOR, 3 JAN 90 -- [TEXT] THE FMLN ATTACKED THE ARCE BATTALION. İSTANBUL TOO."
    out = truecase(text)
    assert len(out) == len(text)
    assert out.startswith("San Salvador, 3 Jan 90") and "the FMLN attacked" in out
    assert "İ" in out  # a character whose lower case is longer is left alone


def test_mixed_case_text_is_left_alone():
    text = (
        "Daesh militants attacked a water pumping station in Egypt on Sunday, killing 11 soldiers."
    )
    assert not is_shouting(text)
    assert truecase(text) is text


def test_hard_wrapped_lines_are_joined_one_character_for_one():
    text = (
        "SAN SALVADOR, 2 APR 90 (ACAN) -- [TEXT] A BOMB WENT OFF EARLY TODAY AT\n"
        "A BUS TERMINAL IN SAN\nSALVADOR AND ANOTHER AT A BANK BRANCH IN SANTA ANA,\n"
        "POLICE SOURCES SAID.\n\n   NO ONE WAS HURT."
    )
    out = unwrap_lines(text)
    assert len(out) == len(text)
    assert "IN SAN SALVADOR AND" in out and "TODAY AT A BUS" in out
    assert "SAID.\n\n   NO ONE" in out  # a paragraph break stays
    # one paragraph per line (news copy) is not wrapped: every line break stays
    news = "Cuomo died Thursday. He was 82.\nHe was governor for three terms.\nHe was married."
    assert unwrap_lines(news) is news


def test_the_stages_read_the_unwrapped_text_and_the_result_keeps_the_original():
    seen = []

    class Spy(FakeGeocoder):
        def places(self, doc, article):
            seen.append(article.text)
            return super().places(doc, article)

    text = "Gunmen attacked a police post in\nKano today and wounded two\nofficers, police said.\n"
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ex = Extractor(nlp=nlp, geocoder=Spy(), coder=FakeCoder())
    (res,) = ex.run([Article(id="w", text=text)])
    assert seen == [text.replace("in\nKano", "in Kano").replace("two\noff", "two off")]
    assert res.article.text == text and res.events[0].location == "Kano"


class FakeGeocoder:
    def places(self, doc, article):
        i = article.text.find("Kano")
        return [Place(i, i + 4, "Kano", name="Kano", country_code="NG")] if i >= 0 else []

    def locate(self, event, doc, places, article):
        if places:
            event.location = places[0].name
            event.country_code = places[0].country_code


class FakeCoder:
    def code(self, doc, article, places):
        if "boom" in article.text:
            raise EventscopeError("the coder could not cope")
        if "crash" in article.text:
            raise KeyError("bug")
        return [
            Event(event_id="", plover="ASSAULT", sentence_start=s.start_char) for s in doc.sents
        ]


def _extractor():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return Extractor(nlp=nlp, geocoder=FakeGeocoder(), coder=FakeCoder(), batch_size=2)


def test_stream_keeps_order_and_reports_every_failure():
    items = [
        Article(id="a", text="Gunmen attacked Kano. Two died."),
        BinaryInputError("not text", source="pic.jpg"),
        Article(id="b", text="   "),
        Article(id="c", text="boom"),
        Article(id="d", text="crash"),
        Article(id="e", text="Quiet day in Kano."),
    ]
    results = list(_extractor().run(items))
    assert [r.doc_id or r.article.id for r in results] == ["a", "pic.jpg", "b", "c", "d", "e"]
    assert [r.error is None for r in results] == [True, False, False, False, False, True]
    assert "pic.jpg" in results[1].error
    assert "no text" in results[2].error
    assert "could not cope" in results[3].error
    assert "internal error" in results[4].error
    assert len(results[0].events) == 2 and results[0].events[0].location == "Kano"


def test_event_ids_are_stable_and_distinct():
    a1 = list(_extractor().run([Article(id="a", text="One. Two.")]))[0]
    a2 = list(_extractor().run([Article(id="a", text="One. Two.")]))[0]
    ids1 = [e.event_id for e in a1.events]
    assert ids1 == [e.event_id for e in a2.events]
    assert len(set(ids1)) == 2 and all(i.startswith("ev-") for i in ids1)


def test_default_published_fills_only_missing_dates():
    ex = _extractor()
    ex.default_published = "2022-05-12"
    r1, r2 = ex.run(
        [Article(id="a", text="x."), Article(id="b", text="y.", published="2020-01-01")]
    )
    assert r1.article.published == "2022-05-12" and r2.article.published == "2020-01-01"


def test_local_actor_names_follow_the_located_country():
    text = "Gunmen killed two people in Bello."
    ev = Event(
        event_id="e",
        plover="ASSAULT",
        actor1="Unidentified Armed Group (United States)",
        actor2="Civilians (United States)",
        country_code="CO",
        country="Colombia",
        sentence_start=0,
        sentence_end=len(text),
    )
    follow_location(ev, text)
    assert ev.actor1 == "Unidentified Armed Group (Colombia)"
    assert ev.actor2 == "Civilians (Colombia)"


def test_a_nationality_the_text_gives_is_kept():
    text = "Gunmen killed two Colombian traders in San Cristobal."
    ev = Event(
        event_id="e",
        plover="ASSAULT",
        actor2="Civilians (Colombia)",
        country_code="VE",
        country="Venezuela",
        sentence_start=0,
        sentence_end=len(text),
    )
    follow_location(ev, text)
    assert ev.actor2 == "Civilians (Colombia)"
