"""Ingest's parts: decoding cascade, dates and datelines, boilerplate rules, sniffing."""

from __future__ import annotations

import datetime as dt
import gzip
import time

import pytest
import yaml

from eventscope.errors import BinaryInputError, EncodingError, KnowledgeError
from eventscope.ingest.boilerplate import load_rules, parse_rules, strip_trailing
from eventscope.ingest.dates import find_dateline, normalise_date
from eventscope.ingest.decode import decode_bytes
from eventscope.ingest.sniff import is_feed, is_html, is_jsonl, is_warc, sniff_content

# --------------------------------------------------------------------------- decoding


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Взрыв произошёл в центре города, погибли три человека.", "cp1251"),
        ("Взрыв произошёл в центре города, погибли три человека.", "koi8-r"),
        ("Le café à São Paulo était fermé à côté de la gare, près de l’hôpital. " * 3, "cp1252"),
        ("Muñoz said the attack in Bogotá killed 3.", "latin-1"),
        ("东京发生爆炸，三人死亡，十人受伤。警方说，事件发生在今天早上的市中心。", "gb18030"),
        ("Rebels attacked the town of Quinchia.", "utf-16-le"),  # no BOM: NULs in every other byte
    ],
)
def test_legacy_encodings_are_detected(text, codec):
    assert decode_bytes(text.encode(codec), source="x") == text


@pytest.mark.parametrize(
    "data",
    [
        bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 40,  # bytes undefined in cp1252, repetitive
        bytes((i * 7919) % 128 + 128 for i in range(400)),  # high bytes without structure
    ],
)
def test_undecodable_bytes_are_an_encoding_error(data):
    with pytest.raises(EncodingError, match="UTF-8") as info:
        decode_bytes(data, source="junk.txt")
    assert "junk.txt" in str(info.value)


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (gzip.compress(b"hello"), "gzip"),
        (b"SQLite format 3\x00\x10\x00", "SQLite"),
        (b"\x7fELF\x02\x01\x01", "ELF"),
        (bytes(range(1, 32)) * 4, "control characters"),
    ],
)
def test_binary_formats_are_named(data, what):
    with pytest.raises(BinaryInputError, match=what):
        decode_bytes(data, source="f")


def test_header_charset_is_used_before_detection():
    data = "Déjà vu à Montréal".encode("cp1252")
    assert decode_bytes(data, source="x", content_type="text/html; charset=windows-1252") == (
        "Déjà vu à Montréal"
    )


def test_bom_with_invalid_body_is_an_encoding_error():
    with pytest.raises(EncodingError, match="byte-order mark"):
        decode_bytes(b"\xef\xbb\xbfok \xff\xfe\xfd", source="x")


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-05-11", "2022-05-11"),
        ("2022-05-11T23:30:00-05:00", "2022-05-11"),
        ("2022-05-11 10:00", "2022-05-11"),
        ("Wed, 11 May 2022 10:00:00 GMT", "2022-05-11"),
        ("3 JAN 90", "1990-01-03"),
        ("January 3, 1990", "1990-01-03"),
        ("20220511", "2022-05-11"),
        (dt.datetime(2020, 5, 4, 23, 0), "2020-05-04"),
        (dt.date(2020, 5, 4), "2020-05-04"),
        (time.strptime("2020-05-04", "%Y-%m-%d"), "2020-05-04"),
        ("2022-05", None),  # a month is not a day
        ("2022-02-30", None),
        ("11/05/2022", None),  # ambiguous day/month order
        ("11/28/2016", "2016-11-28"),
        ("28.11.2016", "2016-11-28"),
        ("3/3/2020", "2020-03-03"),
        ("9:55 AM ET", None),
        ("", None),
        (None, None),
        (12345, None),
    ],
)
def test_normalise_date(value, expected):
    assert normalise_date(value) == expected


@pytest.mark.parametrize(
    ("text", "date", "span"),
    [
        ("SAN SALVADOR, 3 JAN 90 -- [TEXT] A BOMB", "1990-01-03", "3 JAN 90"),
        ("PERTH (AUSTRALIA), JUNE 11 89 (AFP) -- [TEXT] X", "1989-06-11", "JUNE 11 89"),
        ("LIMA, January 3, 1990 (AFP) - Rebels attacked", "1990-01-03", "January 3, 1990"),
        ("KABUL, May 11 (Reuters) - no year", None, None),
        ("SAN SALVADOR, NO DATE -- [SPEECH]", None, None),
        ("On 5 April 2020, rebels attacked", None, None),
        ("Rebels attacked BOGOTA, 3 JAN 90 -- late in the text", None, None),
    ],
)
def test_find_dateline(text, date, span):
    found = find_dateline(text)
    if date is None:
        assert found is None
    else:
        assert found is not None and found.date == date
        assert text[found.start : found.end] == span


# --------------------------------------------------------------------------- boilerplate


def test_shipped_boilerplate_rules_all_parse():
    rules = load_rules()
    assert len(rules.lines) > 30 and rules.tail_starts
    for name, pattern in rules.lines + rules.tail_starts:
        assert name and pattern.pattern


def test_bad_pattern_is_a_knowledge_error_naming_file_and_group():
    raw = yaml.safe_load(
        """
        max_tail_lines: 5
        max_tail_chars: 100
        lines: [{name: broken-group, patterns: ["(unclosed"]}]
        tail_starts: [{name: t, patterns: [x]}]
        """
    )
    with pytest.raises(KnowledgeError, match=r"my\.yaml.*broken-group"):
        parse_rules(raw, where="my.yaml")


def test_missing_limit_is_a_knowledge_error():
    raw = {
        "lines": [{"name": "a", "patterns": ["x"]}],
        "tail_starts": [{"name": "b", "patterns": ["y"]}],
    }
    with pytest.raises(KnowledgeError, match="max_tail_lines"):
        parse_rules(raw, where="b.yaml")


BODY = (
    "Gunmen killed five villagers in Maiduguri on Sunday, the police said. The attackers "
    "arrived on motorcycles and set fire to several houses before fleeing into the bush."
)


@pytest.mark.parametrize(
    "tail",
    [
        "\n\nPlease enter your comment!\nPlease enter your name here",
        "\n\nShare this:\nFacebook\nTwitter\nWhatsApp\n",
        "\nSubscribe to our newsletter\n\nWe use cookies to give you the best experience.\nAccept",
        "\n\nRelated articles\nTroops retake town\nTalks postponed\n\n© 2024 Example News",
        "\n\nLeave a Reply\nCancel reply\nYour email address will not be published. "
        "Required fields are marked *\nComment *\nName *",
    ],
)
def test_trailing_furniture_is_cut_to_a_prefix(tail):
    result = strip_trailing(BODY + tail)
    assert result.text == BODY and result.cleaned


def test_a_related_heading_cannot_swallow_the_article():
    text = "Related\n" + BODY
    assert strip_trailing(text).text == text


@pytest.mark.parametrize(
    "last_line",
    [
        "Copyright lawsuits were not discussed at the meeting on Monday.",
        "(c) the government shall guarantee the safety of the hostages.",  # a communique's list
        "Soldiers posted under General Ochoa were moved to the border.",
        "Comments by the minister were not available.",
    ],
)
def test_prose_that_starts_like_furniture_is_kept(last_line):
    text = BODY + "\n" + last_line
    assert strip_trailing(text).text == text


# --------------------------------------------------------------------------- sniffing


def test_sniffing():
    assert sniff_content(b"WARC/1.1\r\nWARC-Type: warcinfo\r\n") == "warc"
    assert is_warc(gzip.compress(b"WARC/1.0\r\n"))
    assert not is_warc(gzip.compress(b"hello"))
    assert is_feed(b'<?xml version="1.0"?>\n<!-- c -->\n<rss version="2.0"><channel>')
    assert is_feed(b'<feed xmlns="http://www.w3.org/2005/Atom">')
    assert is_html(b"\xef\xbb\xbf<!DOCTYPE html><html>")
    assert is_html(b"<div>x</div><body>")
    assert is_jsonl(b'{"id": "a", "text": "x"}\n{"id": "b", "text": \n')
    assert not is_jsonl(b'{"id": "a"}\nplain text line\n')
    assert sniff_content(b"Rebels attacked { the town }") == "text"


# --------------------------------------------------------------------------- HTML


def test_relative_canonical_url_is_resolved_on_the_page_address():
    from eventscope.ingest.html import extract_page

    page = (
        '<html><head><link rel="canonical" href="/2020/05/04/clash?ref=a&amp;b=1"></head>'
        "<body><article><p>Troops clashed with militants near Afgoye on Monday, officials "
        "said, and two soldiers were wounded in the fighting.</p></article></body></html>"
    )
    got = extract_page(page, source="x", url="https://news.example.org/feed-item")
    assert got.url == "https://news.example.org/2020/05/04/clash?ref=a&b=1"


def test_fragment_to_text_keeps_blocks_and_drops_scripts():
    from eventscope.ingest.html import fragment_to_text

    html = "<p>First   para.</p><script>x()</script><ul><li>One</li><li>Two</li></ul>tail &amp; end"
    assert fragment_to_text(html) == "First para.\n\nOne\n\nTwo\n\ntail & end"
