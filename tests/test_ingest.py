"""Ingest: every input kind becomes Articles; bad input becomes one error each, in order."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from pathlib import Path

import httpx
import pytest

from eventscope.errors import (
    BinaryInputError,
    ConfigError,
    EmptyDocumentError,
    EncodingError,
    FetchError,
    InputError,
    JSONLError,
)
from eventscope.ingest import read_inputs
from eventscope.records import Article

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "ingest"
SEED = ROOT / "examples" / "seed_article.txt"
EXAMPLES = ROOT / "examples"

REPORT = "Gunmen killed five villagers in Maiduguri on Sunday, the police said."


def kinds(items: list) -> list[str]:
    return [type(x).__name__ for x in items]


def articles(items: list) -> list[Article]:
    assert all(isinstance(x, Article) for x in items), [str(x) for x in items]
    return items


# --------------------------------------------------------------------------- plain text
def test_seed_article_comment_form_cut_and_offsets_unchanged():
    raw = SEED.read_text(encoding="utf-8")
    [art] = articles(list(read_inputs([str(SEED)])))
    assert "Please enter your comment" not in art.text
    assert "Please enter your name" not in art.text
    assert art.text.endswith("the majority of whom were international visitors.")
    assert raw.startswith(art.text)  # a prefix: every offset is the file's offset
    assert art.extra["cleaned"] is True
    assert art.id == str(SEED) and art.source == str(SEED) and art.fmt == "text"


def test_plain_text_is_kept_exactly_except_trailing_whitespace(tmp_path):
    p = tmp_path / "report.txt"
    text = "  Rebels attacked a convoy.\r\nTwo soldiers died.\r\n\r\n\t \n"
    p.write_bytes(text.encode("utf-8"))
    [art] = articles(list(read_inputs([str(p)])))
    assert art.text == "  Rebels attacked a convoy.\r\nTwo soldiers died."
    assert "cleaned" not in art.extra
    assert art.published is None


def test_furniture_inside_the_text_is_not_touched(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(f"{REPORT}\nShare this\nFacebook\nThe army denied it.\n", encoding="utf-8")
    [art] = articles(list(read_inputs([str(p)])))
    assert art.text == f"{REPORT}\nShare this\nFacebook\nThe army denied it."


def test_utf8_bom_is_dropped_and_offsets_count_from_after_it(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbf" + REPORT.encode())
    [art] = articles(list(read_inputs([str(p)])))
    assert art.text == REPORT


def test_utf16_with_bom(tmp_path):
    p = tmp_path / "u16.txt"
    p.write_bytes(REPORT.encode("utf-16"))
    [art] = articles(list(read_inputs([str(p)])))
    assert art.text == REPORT


def test_windows_1252_text_is_decoded():
    [art] = articles(list(read_inputs([str(FIXTURES / "cp1252.txt")])))
    assert "Bogotá" in art.text and "Muñoz" in art.text and "“we are investigating”" in art.text


# --------------------------------------------------------------------------- published
def test_published_argument_fills_documents_without_a_date(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(REPORT, encoding="utf-8")
    [art] = articles(list(read_inputs([str(p)], published="2020-05-04T10:00:00Z")))
    assert art.published == "2020-05-04"
    assert art.extra["published_from"] == "argument"


def test_dateline_gives_the_date_before_the_argument(tmp_path):
    p = tmp_path / "wire.txt"
    p.write_text("SAN SALVADOR, 3 JAN 90 -- [TEXT] A BOMB EXPLODED TODAY.", encoding="utf-8")
    [art] = articles(list(read_inputs([str(p)], published="2020-05-04")))
    assert art.published == "1990-01-03"
    assert art.extra["published_from"] == "dateline"
    start, end = art.extra["published_span"]
    assert art.text[start:end] == "3 JAN 90"


def test_a_four_digit_year_is_not_read_as_two_digits():
    from eventscope.ingest.dates import normalise_date

    # "6 March 1990" is not 6 March 2019 ("19" of "1990" read as a two-digit year)
    assert normalise_date("6 March 1990") == "1990-03-06"
    assert normalise_date("15 JAN 90") == "1990-01-15"
    assert normalise_date("October 3, 1989") == "1989-10-03"


def test_document_date_wins_and_is_normalised(tmp_path):
    p = tmp_path / "b.jsonl"
    p.write_text(
        json.dumps({"id": "x", "text": REPORT, "published": "2020-05-03T23:30:00-05:00"}) + "\n",
        encoding="utf-8",
    )
    [art] = articles(list(read_inputs([str(p)], published="2021-01-01")))
    assert art.published == "2020-05-03"  # the publisher's local day, not UTC's
    assert art.extra["published_from"] == "document"


def test_unparseable_document_date_is_dropped_with_a_warning(tmp_path, caplog):
    p = tmp_path / "b.jsonl"
    p.write_text(json.dumps({"id": "doc-7", "text": REPORT, "published": "soon"}) + "\n")
    with caplog.at_level(logging.WARNING, logger="eventscope.ingest"):
        [art] = articles(list(read_inputs([str(p)])))
    assert art.published is None
    assert "doc-7" in caplog.text and "soon" in caplog.text


def test_bad_published_argument_is_a_usage_error(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(REPORT)
    with pytest.raises(ConfigError, match="--published"):
        read_inputs([str(p)], published="yesterday-ish")


def test_a_missing_path_among_several_is_an_error_line_and_the_rest_is_read(tmp_path):
    # README: bad input never stops a batch (issue 16: a missing file stopped the whole run)
    good = tmp_path / "a.txt"
    good.write_text(REPORT)
    items = list(read_inputs([str(tmp_path / "nope.txt"), str(good)]))
    assert isinstance(items[0], InputError) and "nope.txt" in str(items[0])
    assert "no such file" in str(items[0])
    assert isinstance(items[1], Article) and items[1].id == str(good)


def test_only_missing_paths_or_none_is_a_usage_error_before_anything_is_read(tmp_path):
    with pytest.raises(ConfigError, match="nope.txt"):
        read_inputs([str(tmp_path / "nope.txt"), str(tmp_path / "nope2.txt")])
    with pytest.raises(ConfigError, match="no input"):
        read_inputs([])


# --------------------------------------------------------------------------- JSONL
def test_jsonl_lines_become_articles_and_broken_lines_errors_with_line_numbers(tmp_path):
    p = tmp_path / "batch.jsonl"
    lines = [
        json.dumps(
            {
                "id": "a",
                "text": REPORT,
                "title": "T",
                "url": "https://x.org/a",
                "corpus": "demo",
                "published": "2020-05-02",
            }
        ),
        "{not json",
        "",
        json.dumps({"id": "c", "title": "no text"}),
        json.dumps({"text": "no id"}),
        json.dumps(["a list"]),
        json.dumps({"id": 7, "text": "   "}),
        json.dumps({"id": "h", "text": "Last line is read too."}),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_inputs([str(p)]))
    assert kinds(items) == [
        "Article",
        "JSONLError",
        "JSONLError",
        "JSONLError",
        "JSONLError",
        "EmptyDocumentError",
        "Article",
    ]
    a = items[0]
    assert (a.id, a.title, a.url, a.published, a.fmt) == (
        "a",
        "T",
        "https://x.org/a",
        "2020-05-02",
        "jsonl",
    )
    assert a.extra["corpus"] == "demo"
    assert [e.line for e in items[1:6]] == [2, 4, 5, 6, 7]
    assert f"{p}:2:" in str(items[1])
    assert items[1].doc_id == f"{p}:2"  # an error line without a known id still has its own
    assert "'c'" in str(items[2]) and "text" in str(items[2])
    assert items[2].doc_id == "c"  # the error line of the output can carry the document id
    assert "id" in str(items[3])
    assert items[6].id == "h"


def test_jsonl_line_longer_than_max_bytes_is_an_error_and_reading_goes_on(tmp_path):
    p = tmp_path / "big.jsonl"
    p.write_text(
        json.dumps({"id": "big", "text": "x" * 5000})
        + "\n"
        + json.dumps({"id": "small", "text": REPORT})
        + "\n"
    )
    items = list(read_inputs([str(p)], max_bytes=1000))
    assert kinds(items) == ["JSONLError", "Article"]
    assert items[0].line == 1 and "max_bytes" in str(items[0])


def test_gzipped_jsonl_and_text_are_read_and_a_truncated_one_is_an_error(tmp_path):
    import gzip

    with gzip.open(tmp_path / "a.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(json.dumps({"id": "g1", "text": REPORT}) + "\n")
    (tmp_path / "b.txt.gz").write_bytes(gzip.compress(REPORT.encode()))
    (tmp_path / "c.txt.gz").write_bytes(gzip.compress(REPORT.encode())[:-6])
    items = list(read_inputs([str(tmp_path)]))
    assert kinds(items) == ["Article", "Article", "InputError"]
    assert items[0].id == "g1" and items[1].text == REPORT
    assert "c.txt.gz" in str(items[2])


def test_json_file_with_a_list_of_documents(tmp_path):
    p = tmp_path / "docs.json"
    p.write_text(json.dumps([{"id": "1", "text": REPORT}, {"id": "2"}]))
    items = list(read_inputs([str(p)]))
    assert kinds(items) == ["Article", "JSONLError"]


# --------------------------------------------------------------------------- the messy batch
def test_folder_batch_yields_every_good_document_and_one_error_each_in_order(tmp_path):
    d = tmp_path / "batch"
    (d / "sub").mkdir(parents=True)
    (d / "a_good.txt").write_text(REPORT)
    (d / "b_binary.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (d / "c_junk.txt").write_bytes(bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 40)
    (d / "d_empty.txt").write_text("  \n\n")
    (d / "e_batch.jsonl").write_text(
        json.dumps({"id": "j1", "text": REPORT})
        + "\n{broken\n"
        + json.dumps({"id": "j3", "text": REPORT + " Again."})
        + "\n"
    )
    (d / "sub" / "f_nested.txt").write_text("Troops clashed with rebels.")
    (d / ".hidden.txt").write_text("not read")
    (d / "README.md").write_text("A corpus description, not news.")
    items = list(read_inputs([str(d)]))
    assert kinds(items) == [
        "Article",
        "BinaryInputError",
        "EncodingError",
        "EmptyDocumentError",
        "Article",
        "JSONLError",
        "Article",
        "Article",
    ]
    assert items[0].id == str(d / "a_good.txt")
    assert items[7].id == str(d / "sub" / "f_nested.txt")
    for err, name in zip(items[1:4], ("b_binary.png", "c_junk.txt", "d_empty.txt"), strict=True):
        assert name in str(err)
    assert "PNG" in str(items[1])
    assert "e_batch.jsonl:2" in str(items[5])


def test_rereading_gives_identical_ids_and_content_hashes():
    first = [(a.id, a.content_hash) for a in read_inputs([str(EXAMPLES)])]
    second = [(a.id, a.content_hash) for a in read_inputs([str(EXAMPLES)])]
    assert first == second and len(first) >= 20


def test_pdf_is_refused_with_advice(tmp_path):
    p = tmp_path / "report.pdf"
    p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    [err] = list(read_inputs([str(p)]))
    assert isinstance(err, BinaryInputError) and "pdftotext" in str(err)


def test_nul_bytes_mean_binary(tmp_path):
    p = tmp_path / "data.bin"
    p.write_bytes(b"some text\x00\x01\x02\x00 more")
    [err] = list(read_inputs([str(p)]))
    assert isinstance(err, BinaryInputError) and "data.bin" in str(err)


def test_file_larger_than_max_bytes(tmp_path):
    p = tmp_path / "huge.txt"
    p.write_text(REPORT * 100)
    [err] = list(read_inputs([str(p)], max_bytes=500))
    assert isinstance(err, InputError) and "max_bytes" in str(err)


# --------------------------------------------------------------------------- HTML
def test_html_page_main_text_title_canonical_url_and_old_date():
    path = FIXTURES / "wire_page.html"
    [art] = articles(list(read_inputs([str(path)], published="2020-01-01")))
    assert art.fmt == "html" and art.id == str(path)
    assert "a pipe bomb wrecked the front of a savings bank office" in art.text
    for furniture in ("Please enter", "Share this", "cookies", "All rights reserved", "Sport"):
        assert furniture not in art.text
    assert art.title == "Pipe bomb wrecks savings bank in Pereira"
    assert art.url == "https://news.example.org/1989/11/14/bomb-pereira"  # canonical first
    assert art.published == "1989-11-14"  # htmldate's 1995 floor is lowered for archives


def test_html_without_article_text_is_an_empty_document(tmp_path):
    p = tmp_path / "app.html"
    p.write_text(
        "<!DOCTYPE html><html><head><title>App</title><script>var x = 1;</script></head>"
        "<body><div id='root'></div><nav><a href='/'>Home</a></nav></body></html>"
    )
    [err] = list(read_inputs([str(p)]))
    assert isinstance(err, EmptyDocumentError) and "app.html" in str(err)


def test_html_in_a_declared_legacy_charset(tmp_path):
    body = "<p>" + "La explosión en Bogotá dejó tres heridos, informó la policía. " * 6 + "</p>"
    page = (
        '<html><head><meta charset="windows-1252"><title>Bogotá</title></head><body>'
        f"<article>{body}</article></body></html>"
    )
    p = tmp_path / "es.html"
    p.write_bytes(page.encode("cp1252"))
    [art] = articles(list(read_inputs([str(p)])))
    assert "explosión en Bogotá" in art.text


# --------------------------------------------------------------------------- feeds
RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Test wire</title><link>https://wire.example.org/</link>
<item>
  <title>Bomb in Lima</title>
  <link>https://wire.example.org/lima-bomb</link>
  <guid isPermaLink="false">w-1</guid>
  <pubDate>Wed, 15 Nov 1989 22:30:00 -0500</pubDate>
  <description>Short summary.</description>
  <content:encoded><![CDATA[<p>A bomb exploded in Lima.</p>
    <p>Two people were hurt.</p>]]></content:encoded>
</item>
<item>
  <title>Summary only</title>
  <link>https://wire.example.org/summary</link>
  <description>&lt;p&gt;Rebels attacked a post in
    &lt;b&gt;Ayacucho&lt;/b&gt;.&lt;/p&gt;</description>
</item>
<item><title>Empty</title><link>https://wire.example.org/empty</link></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Atom wire</title><id>urn:x</id><updated>2020-05-04T00:00:00Z</updated>
  <entry>
    <title>Clash in Afgoye</title><id>urn:entry:1</id>
    <link href="https://atom.example.org/afgoye"/>
    <published>2020-05-04T08:00:00+03:00</published><updated>2020-05-05T00:00:00Z</updated>
    <content type="html">&lt;p&gt;Troops clashed with militants in Afgoye.&lt;/p&gt;</content>
  </entry>
</feed>
"""


def test_rss_entries_become_articles(tmp_path):
    p = tmp_path / "wire.rss"
    p.write_text(RSS, encoding="utf-8")
    items = list(read_inputs([str(p)], published="2000-01-01"))
    assert kinds(items) == ["Article", "Article", "EmptyDocumentError"]
    first, second, empty = items
    assert first.id == first.url == "https://wire.example.org/lima-bomb"
    assert first.text == "A bomb exploded in Lima.\n\nTwo people were hurt."  # content, not summary
    assert first.title == "Bomb in Lima" and first.fmt == "feed"
    assert first.published == "1989-11-15"  # the local day of a late-evening pubDate
    assert first.extra["feed_title"] == "Test wire" and first.extra["guid"] == "w-1"
    assert second.text == "Rebels attacked a post in Ayacucho."
    assert second.published == "2000-01-01"
    assert "#3" in str(empty)


@pytest.mark.parametrize("name", ["wire.atom", "wire.xml"])
def test_atom_feed(tmp_path, name):
    p = tmp_path / name
    p.write_text(ATOM, encoding="utf-8")
    [art] = articles(list(read_inputs([str(p)])))
    assert art.id == "https://atom.example.org/afgoye"
    assert art.text == "Troops clashed with militants in Afgoye."
    assert art.published == "2020-05-04"


def test_xml_that_is_not_a_feed_is_text(tmp_path):
    p = tmp_path / "note.xml"
    p.write_text("<note><body>Rebels attacked.</body></note>")
    [art] = articles(list(read_inputs([str(p)])))
    assert art.fmt == "text"


def test_broken_feed_is_an_input_error(tmp_path):
    p = tmp_path / "broken.rss"
    p.write_text("<rss><channel><item><title>cut off")
    items = list(read_inputs([str(p)]))
    assert len(items) == 1 and isinstance(items[0], InputError) and "broken.rss" in str(items[0])


# --------------------------------------------------------------------------- WARC
def _warc(path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = (FIXTURES / "wire_page.html").read_bytes()
    undated = (
        b"<html><head><title>Undated</title></head><body><article><p>"
        + b"Police said gunmen shot two farmers near Quinchia on Monday night. " * 5
        + b"</p></article></body></html>"
    )
    records = [
        ("https://news.example.org/bomb", "200 OK", "text/html; charset=utf-8", page),
        ("https://news.example.org/undated", "200 OK", "text/html", undated),
        ("https://news.example.org/plain", "200 OK", "text/plain; charset=utf-8", REPORT.encode()),
        ("https://news.example.org/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n"),
        ("https://news.example.org/gone", "404 Not Found", "text/html", b"<html>gone</html>"),
    ]
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        for uri, status, ctype, body in records:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    uri,
                    "response",
                    payload=io.BytesIO(body),
                    http_headers=headers,
                    warc_headers_dict={"WARC-Date": "2024-03-01T10:00:00Z"},
                )
            )
        writer.write_record(
            writer.create_warc_record(
                "https://news.example.org/bomb",
                "request",
                payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"),
            )
        )


def test_warc_html_and_text_responses_become_articles(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    _warc(path)
    items = articles(list(read_inputs([str(path)])))
    assert [a.id for a in items] == [
        "https://news.example.org/bomb",
        "https://news.example.org/undated",
        "https://news.example.org/plain",
    ]
    bomb, undated, plain = items
    assert all(a.fmt == "warc" for a in items)
    assert bomb.published == "1989-11-14"  # the page's own date beats the crawl date
    assert bomb.url == "https://news.example.org/1989/11/14/bomb-pereira"
    assert "Please enter" not in bomb.text
    assert undated.published == "2024-03-01"  # WARC-Date only as a fallback
    assert undated.extra["published_from"] == "container"
    assert plain.text == REPORT and plain.url == "https://news.example.org/plain"


def test_warc_without_gz_suffix_is_recognised_by_content(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    _warc(path)
    renamed = tmp_path / "crawl.bin"
    renamed.write_bytes(path.read_bytes())
    assert len(articles(list(read_inputs([str(renamed)])))) == 3


def test_broken_warc_files_are_errors_not_silence(tmp_path, capsys):
    good = tmp_path / "good.warc.gz"
    _warc(good)
    data = good.read_bytes()
    (tmp_path / "a_not.warc").write_text("this is not an archive\n")
    (tmp_path / "b_cut.warc.gz").write_bytes(data[: len(data) // 3])
    (tmp_path / "c_bad_length.warc").write_bytes(
        b"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: https://x.org/\r\n"
        b"Content-Type: text/plain\r\nContent-Length: 1\r\n\r\nxyz"
    )
    (tmp_path / "d_no_uri.warc").write_bytes(
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 3\r\n\r\nxyz\r\n\r\n"
    )
    good.unlink()
    items = list(read_inputs([str(tmp_path)]))
    errors = [x for x in items if isinstance(x, InputError)]
    assert "a_not.warc" in str(errors[0]) and "not a WARC file" in str(errors[0])
    assert any("b_cut.warc.gz" in str(e) and "cut off" in str(e) for e in errors)
    assert any("c_bad_length.warc" in str(e) and "damaged" in str(e) for e in errors)
    assert any("d_no_uri.warc" in str(e) and "broken" in str(e) for e in errors)
    assert capsys.readouterr().err == ""  # warcio's own warnings do not leak to stderr


# --------------------------------------------------------------------------- stdin
def test_stdin_jsonl_with_a_broken_line():
    data = json.dumps({"id": "s1", "text": REPORT}) + '\n{"id": "s2", "text": \n'
    items = list(read_inputs(["-"], stdin=io.BytesIO(data.encode())))
    assert kinds(items) == ["Article", "JSONLError"]
    assert items[1].source == "-" and items[1].line == 2


def test_stdin_html_and_text():
    page = (FIXTURES / "wire_page.html").read_bytes()
    [html] = articles(list(read_inputs(["-"], stdin=io.BytesIO(page))))
    assert html.fmt == "html" and html.id == "-" and "savings bank office" in html.text
    [text] = articles(list(read_inputs(["-"], stdin=io.StringIO(REPORT + "\n"))))
    assert text.fmt == "text" and text.text == REPORT


def test_stdin_and_files_keep_input_order(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("First.")
    items = articles(list(read_inputs([str(p), "-", str(p)], stdin=io.BytesIO(b"Second."))))
    assert [a.text for a in items] == ["First.", "Second.", "First."]


# --------------------------------------------------------------------------- URLs
def test_url_without_fetch_is_a_fetch_error_that_says_how():
    [err] = list(read_inputs(["https://news.example.org/a"]))
    assert isinstance(err, FetchError)
    assert "--fetch" in str(err) and "https://news.example.org/a" in str(err)


def _transport(routes: dict[str, httpx.Response]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == "https://slow.example.org/":
            raise httpx.ReadTimeout("timed out", request=request)
        return routes.get(str(request.url), httpx.Response(404))

    return httpx.MockTransport(handler)


def test_fetch_html_feed_and_failures_through_a_mock_transport():
    page = (FIXTURES / "wire_page.html").read_bytes()
    routes = {
        "https://news.example.org/a": httpx.Response(
            200, headers={"Content-Type": "text/html; charset=utf-8"}, content=page
        ),
        "https://news.example.org/feed": httpx.Response(
            200, headers={"Content-Type": "application/rss+xml"}, content=RSS.encode()
        ),
        "https://news.example.org/big": httpx.Response(
            200, headers={"Content-Type": "text/plain"}, content=b"x" * 5000
        ),
    }
    urls = [
        "https://news.example.org/a",
        "https://news.example.org/feed",
        "https://news.example.org/missing",
        "https://slow.example.org/",
        "https://news.example.org/big",
    ]
    items = list(read_inputs(urls, fetch=True, transport=_transport(routes), max_bytes=4000))
    assert kinds(items) == [
        "Article",
        "Article",
        "Article",
        "EmptyDocumentError",
        "FetchError",
        "FetchError",
        "FetchError",
    ]
    page_art = items[0]
    assert page_art.id == "https://news.example.org/a" and page_art.fmt == "html"
    assert page_art.url == "https://news.example.org/1989/11/14/bomb-pereira"
    assert items[1].id == "https://wire.example.org/lima-bomb"
    assert "404" in str(items[4])
    assert "20 s" in str(items[5]) or "within" in str(items[5])
    assert "max_bytes" in str(items[6])


# --------------------------------------------------------------------------- the examples
def test_bundled_examples_read_without_errors():
    items = list(read_inputs([str(EXAMPLES)]))
    assert not [str(x) for x in items if isinstance(x, InputError)]
    fmts = {a.fmt for a in items}
    assert fmts == {"text", "html", "jsonl", "feed", "warc"}
    ids = [a.id for a in items]
    assert not any(i.endswith("README.md") for i in ids)
    # every wire report gets its publication date (metadata, dateline or feed)
    undated = [a.id for a in items if a.published is None]
    assert undated == [str(EXAMPLES / "seed_article.txt")]
    assert all(dt.date.fromisoformat(a.published) for a in items if a.published)
    # the README's table: 5 texts, 4 pages, a batch of 7, a feed of 4, a WARC of 2 records
    per_fmt: dict[str, int] = {}
    for a in items:
        per_fmt[a.fmt] = per_fmt.get(a.fmt, 0) + 1
    assert per_fmt == {"text": 5, "html": 4, "jsonl": 7, "feed": 4, "warc": 2}
    # plain-text wire messages are dated by their datelines, in both styles
    by_id = {a.id: a for a in items}
    assert by_id[str(EXAMPLES / "wire-lima-explosives.txt")].published == "1990-02-12"
    assert by_id[str(EXAMPLES / "wire-palmira-murder.txt")].published == "1989-10-03"
    # the WARC records are the pages' texts, dated by the page, not by the crawl
    pages = {a.url: a for a in items if a.fmt == "html"}
    for rec in (a for a in items if a.fmt == "warc"):
        assert rec.text == pages[rec.url].text and rec.published == pages[rec.url].published
    # everything but the seed article was written for the project (examples/README.md)
    for path in EXAMPLES.iterdir():
        assert "muc" not in path.name.lower()
        if path.suffix in (".html", ".rss"):
            assert "written by the eventscope authors" in path.read_text(encoding="utf-8")


def test_decoding_errors_are_input_errors():
    assert issubclass(EncodingError, InputError) and issubclass(JSONLError, InputError)


# --------------------------------------------------------------------------- in memory
def test_read_data_reads_uploads_by_name_or_content():
    from eventscope.ingest import read_data

    [text] = articles(list(read_data(REPORT, name="pasted", published="2020-05-04")))
    assert text.id == "pasted" and text.text == REPORT and text.published == "2020-05-04"
    [page] = articles(list(read_data((FIXTURES / "wire_page.html").read_bytes(), name="up.html")))
    assert page.fmt == "html" and "savings bank office" in page.text
    feed = list(read_data(RSS, name="feed.xml"))
    assert [a.fmt for a in feed[:2]] == ["feed", "feed"]
    batch = list(read_data('{"id": "u1", "text": "Rebels attacked."}\n{bad\n', name="b.jsonl"))
    assert kinds(batch) == ["Article", "JSONLError"]
