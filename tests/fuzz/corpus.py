"""Generate the reliability suite's fuzz corpus: hostile inputs mixed with good documents.

``build(folder, long=False, seed=0)`` writes one file (or symlink) per hostile case and
good documents of every format around them, and returns a :class:`Corpus` that says which
document ids must be stored and which inputs must each get an error line. The fast version
(``long=False``) keeps every case small enough for ``pytest``; ``long=True`` adds the big
ones (a 50 MB text, a 5 MB single line, many random files) for ``make soak``.

Used by ``tests/test_reliability.py`` and ``benchmarks/fuzz_ingest.py``; run it alone to
look at the files: ``python -m tests.fuzz.corpus OUT_DIR [--long]``.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

PLACES = (
    ("Maiduguri", "Borno"),
    ("Mogadishu", "Banaadir"),
    ("Gao", "Gao"),
    ("Kabul", "Kabul"),
    ("Nairobi", "Nairobi"),
    ("Aleppo", "Aleppo"),
    ("Kandahar", "Kandahar"),
    ("Bamako", "Bamako"),
    ("Goma", "North Kivu"),
    ("Kaduna", "Kaduna"),
    ("Mosul", "Nineveh"),
    ("Tripoli", "Tripoli"),
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def good_text(i: int) -> str:
    """An invented news report with one clear event (a different one for each ``i``)."""
    place, region = PLACES[i % len(PLACES)]
    day = DAYS[i % len(DAYS)]
    n = 2 + i % 17
    kinds = (
        f"Gunmen killed {n} villagers in {place} on {day}, local officials said.",
        f"Militants attacked an army post near {place} on {day}, killing {n} soldiers.",
        f"Police fired tear gas at protesters in {place} on {day}; {n} people were injured.",
        f"A roadside bomb exploded near {place} on {day}, killing {n} civilians.",
    )
    return (
        f"{kinds[i % len(kinds)]} The attack in {region} was the latest of several this "
        f"month, residents told reporters. (report {i})"
    )


@dataclass
class Corpus:
    """What a run over ``inputs`` must do."""

    inputs: list[str]  # the paths to give the command, in order (some may be missing)
    good_ids: set[str] = field(default_factory=set)  # documents that must be stored
    bad: dict[str, str] = field(default_factory=dict)  # name in an error line -> the case


def _html(title: str, body: str) -> str:
    return (
        f"<!doctype html><html><head><title>{title}</title>"
        '<meta property="article:published_time" content="2023-05-02"></head>'
        f"<body><article><h1>{title}</h1><p>{body}</p></article></body></html>"
    )


def _warc_record(uri: str, html: str) -> bytes:
    body = html.encode("utf-8")
    http = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Target-URI: {uri}\r\nWARC-Date: 2023-05-02T10:00:00Z\r\n"
        f"WARC-Record-ID: <urn:uuid:{abs(hash(uri)):032x}>\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    return head + http + b"\r\n\r\n"


def build(root: Path, *, long: bool = False, seed: int = 0) -> Corpus:
    """Write the corpus into ``root`` (created); see the module docstring."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    d = root / "batch"
    d.mkdir(exist_ok=True)
    corpus = Corpus(inputs=[])
    counter = iter(range(10**6))

    def good_file(name: str) -> None:
        i = next(counter)
        (d / name).write_text(good_text(i), encoding="utf-8")
        corpus.good_ids.add(str(d / name))

    def bad_file(name: str, data: bytes, case: str) -> None:
        (d / name).write_bytes(data)
        corpus.bad[name] = case

    # --- good documents in every format, between the bad ones (names sort them in between)
    for k in range(4):
        good_file(f"a{k}_good.txt")
    i = next(counter)
    (d / "b_good.html").write_text(_html(f"Report {i}", good_text(i)), encoding="utf-8")
    corpus.good_ids.add(str(d / "b_good.html"))
    # a JSONL batch whose bad lines sit between good ones
    lines = []
    for k in range(3):
        i = next(counter)
        lines.append(json.dumps({"id": f"jl-good-{k}", "text": good_text(i)}))
        corpus.good_ids.add(f"jl-good-{k}")
    deep = "[" * 5000 + "]" * 5000
    lines.insert(1, '{"id": "jl-deep", "text": "x", "extra": ' + deep + "}")
    lines.insert(2, '{"id": "jl-bignum", "text": "x", "n": ' + "7" * 5000 + "}")
    corpus.bad["c_mixed.jsonl:2"] = "JSONL line nested 5,000 deep"
    corpus.bad["c_mixed.jsonl:3"] = "JSONL number of 5,000 digits"
    (d / "c_mixed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # lone surrogates in text, title and id: the document is kept (U+FFFD in its place)
    i = next(counter)
    sur = [
        '{"id": "sur-text", "text": ' + json.dumps(good_text(i))[:-1] + ' \\ud800 end."}',
        '{"id": "sur-title", "title": "bad \\udfff title", "text": '
        + json.dumps(good_text(next(counter)))
        + "}",
        '{"id": "sur-id-\\ud800", "text": ' + json.dumps(good_text(next(counter))) + "}",
    ]
    (d / "d_surrogates.jsonl").write_text("\n".join(sur) + "\n", encoding="utf-8")
    corpus.good_ids |= {"sur-text", "sur-title", "sur-id-\ufffd"}
    # UTF-16 without a byte-order mark is decoded (NULs in every other byte)
    i = next(counter)
    (d / "e_utf16_nobom.txt").write_bytes(good_text(i).encode("utf-16-le"))
    corpus.good_ids.add(str(d / "e_utf16_nobom.txt"))

    # --- hostile inputs: each must give one error line naming it
    bad_file(
        "f_corrupt.jsonl.gz",
        gzip.compress(b'{"id": "z", "text": "never read"}\n' * 50)[:10] + b"\xff" * 200,
        "corrupt gzip (zlib.error)",
    )
    bad_file(
        "f_truncated.txt.gz", gzip.compress(good_text(0).encode() * 30)[:-30], "truncated gzip"
    )
    bad_file("g_nested.json", ("[" * 5000 + "]" * 5000).encode(), "JSON nested 5,000 deep")
    bad_file(
        "g_nested_noext",
        ('{"a": ' * 5000 + "1" + "}" * 5000).encode(),
        "JSON nested 5,000 deep, no extension",
    )
    bad_file(
        "h_bignum.json",
        ('{"id": "n", "text": "t", "n": ' + "9" * 5000 + "}").encode(),
        "JSON number of 5,000 digits",
    )
    long_text = (good_text(1) + " ") * (1_050_000 // len(good_text(1)) + 1)
    bad_file("i_long_text.txt", long_text.encode(), "text over 1,000,000 characters")
    bad_file("j_random.txt", bytes(rng.randrange(256) for _ in range(5000)), "random bytes")
    bad_file(
        "j_random_noext",
        bytes(rng.randrange(256) for _ in range(5000)),
        "random bytes, no extension",
    )
    bad_file("k_invalid_utf8.txt", bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 40, "invalid UTF-8")
    bad_file(
        "l_nul.txt",
        b"Gunmen killed\x00\x00 five\x00 people\x00" * 20 + b"\xff\xfe\x00",
        "NUL bytes",
    )
    bad_file(
        "m_scripts_only.html",
        b"<html><head><script>var a=1;</script></head><body><script>"
        + b"document.write('x');" * 50
        + b"</script></body></html>",
        "HTML that is only scripts",
    )
    bad_file(
        "n_png_named.txt",
        b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(300)),
        "a PNG with a .txt name",
    )
    bad_file("n_gzip_named.html", gzip.compress(b"<html>x</html>"), "gzip with a .html name")
    bad_file("n_text_named.warc", good_text(2).encode(), "text with a .warc name")
    (d / "n_html_named.jsonl").write_text(_html("Not JSON", good_text(3)), encoding="utf-8")
    corpus.bad["n_html_named.jsonl:1"] = "HTML with a .jsonl name"
    # a WARC archive cut inside the second record's header
    first = _warc_record("http://example.org/warc-good-1", _html("Good", good_text(next(counter))))
    corpus.good_ids.add("http://example.org/warc-good-1")
    second = _warc_record("http://example.org/warc-cut", _html("Cut", good_text(5)))
    bad_file("o_cut_header.warc", first + second[:60], "WARC cut inside a record header")
    other = _warc_record("http://example.org/warc-good-2", _html("Good", good_text(next(counter))))
    bad_file("o_cut_body.warc", other + second[: len(second) // 2], "WARC cut inside a record body")
    corpus.good_ids.add("http://example.org/warc-good-2")
    # a 5 MB single line (a JSONL document of 5 MB of text) and an oversized text
    word_line = "ceasefire talks " * (5_000_000 // 16)
    bad_file(
        "p_5mb_line.jsonl",
        (json.dumps({"id": "p-5mb", "text": word_line}) + "\n").encode(),
        "a 5 MB single line",
    )
    corpus.bad["p-5mb"] = corpus.bad.pop("p_5mb_line.jsonl")
    # symlink loops: two links pointing at each other, a link to itself
    for a, b in (("q_loop_a.txt", "q_loop_b.txt"), ("q_loop_b.txt", "q_loop_a.txt")):
        os.symlink(d / b, d / a)
        corpus.bad[a] = "symlink loop"
    os.symlink(d / "q_self.txt", d / "q_self.txt")
    corpus.bad["q_self.txt"] = "a symlink to itself"
    os.symlink(d, d / "q_dir_loop")  # a folder loop: not followed
    for k in range(2):
        good_file(f"z{k}_good.txt")

    if long:
        # the big ones: a 50 MB text, a 5 MB single line of text, many random files
        with open(d / "r_50mb.txt", "w", encoding="utf-8") as f:
            chunk = (good_text(7) + " ") * 1000
            while f.tell() < 50_000_000:
                f.write(chunk)
        corpus.bad["r_50mb.txt"] = "a 50 MB text"
        (d / "r_5mb_single_line.txt").write_text(word_line, encoding="utf-8")
        corpus.bad["r_5mb_single_line.txt"] = "a 5 MB single line of text"
        for k in range(40):
            # (10 random bytes often decode as a legacy code page: 24 of 40 did; such a
            # "document" is stored with no events, which is no failure)
            size = rng.choice((1000, 100_000))
            bad_file(
                f"s_random_{k:02d}.bin",
                bytes(rng.randrange(256) for _ in range(size)),
                "random bytes",
            )
        for k in range(8):
            good_file(f"t{k}_good.txt")

    missing = str(root / "missing.txt")
    corpus.inputs = [str(d), missing, str(root / "extra.txt")]
    i = next(counter)
    (root / "extra.txt").write_text(good_text(i), encoding="utf-8")
    corpus.good_ids.add(str(root / "extra.txt"))
    corpus.bad["missing.txt"] = "a missing file among several inputs"
    return corpus


if __name__ == "__main__":  # pragma: no cover
    out = Path(sys.argv[1])
    c = build(out, long="--long" in sys.argv)
    print(f"{len(c.good_ids)} good documents, {len(c.bad)} bad inputs in {out}")
