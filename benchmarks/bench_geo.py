"""Cost of places: gazetteer load time and geocoding time against spaCy parsing.

    python benchmarks/bench_geo.py CORPUS.jsonl [--limit N]

Reports the cold load time of the compiled gazetteer (in a fresh process, as a CLI run pays
it), then, over the corpus: spaCy parse time, ``Geocoder.places`` time and ``Geocoder.locate``
time (one event per document, on its first sentence), and geocoding's share of the total.
Not a timed test: figures depend on the machine; quote them with its description.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

_LOAD = (
    "import time; t=time.perf_counter(); from eventscope.geo import load_gazetteer; "
    "g=load_gazetteer(); print(time.perf_counter()-t, len(g))"
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args(argv)

    out = subprocess.run([sys.executable, "-c", _LOAD], capture_output=True, text=True, check=True)
    load_s, entries = out.stdout.split()

    from eventscope.geo import Geocoder
    from eventscope.nlp import load_nlp, truecase, unwrap_lines
    from eventscope.records import Article, Event

    rows = []
    with args.corpus.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
                if args.limit and len(rows) >= args.limit:
                    break
    nlp = load_nlp()
    geo = Geocoder()
    geo.gazetteer  # noqa: B018 - load outside the timed loop (reported above)
    t0 = time.perf_counter()
    docs = list(nlp.pipe((truecase(unwrap_lines(r["text"])) for r in rows), batch_size=32))
    parse_s = time.perf_counter() - t0
    places_s = locate_s = 0.0
    n_places = 0
    for r, doc in zip(rows, docs, strict=True):
        art = Article(id=str(r.get("id")), text=r["text"])
        t = time.perf_counter()
        places = geo.places(doc, art)
        places_s += time.perf_counter() - t
        n_places += len(places)
        sent = next(iter(doc.sents), None)
        ev = Event(
            event_id="e",
            plover="ASSAULT",
            sentence_start=sent.start_char if sent is not None else 0,
            sentence_end=sent.end_char if sent is not None else len(r["text"]),
        )
        t = time.perf_counter()
        geo.locate(ev, doc, places, art)
        locate_s += time.perf_counter() - t
    words = sum(len(d) for d in docs)
    geo_s = places_s + locate_s
    print(f"corpus: {args.corpus} ({len(rows)} documents, {words} tokens)")
    print(f"machine: {platform.machine()}, {platform.python_version()}")
    print(f"gazetteer: {entries} entries, cold load {float(load_s):.2f} s")
    print(f"spaCy parse: {parse_s:.2f} s ({words / parse_s:.0f} tokens/s)")
    print(f"places: {places_s:.2f} s for {n_places} places; locate: {locate_s:.3f} s")
    print(f"geocoding share of parse + geocoding: {100 * geo_s / (parse_s + geo_s):.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
