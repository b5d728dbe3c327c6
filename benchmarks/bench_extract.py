"""Throughput and memory of `extract` against a bare spaCy pass over the same texts.

    python benchmarks/bench_extract.py CORPUS.jsonl [--limit N] [--batch-size 32]

Each side runs in its own fresh process (so peak memory is that side's own), over the
same texts (the ``text`` field of each JSONL line). Reported: documents/s, words/s, peak RSS,
the time spent in geocoding and in event coding, and the ratio extract / bare spaCy.
Not a timed test: figures depend on the machine; quote them with its description.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def _texts(path: Path, limit: int | None) -> list[dict[str, Any]]:
    docs = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                d = json.loads(line)
                docs.append(d)
                if limit and len(docs) >= limit:
                    break
    return docs


class _Timed:
    """Wraps an object and adds the time spent in the named methods to ``seconds``."""

    def __init__(self, inner: Any, methods: tuple[str, ...]) -> None:
        self.inner = inner
        self.seconds = 0.0
        for name in methods:
            setattr(self, name, self._wrap(getattr(inner, name)))

    def _wrap(self, fn: Any) -> Any:
        def timed(*a: Any, **kw: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                self.seconds += time.perf_counter() - t

        return timed


def run_side(mode: str, path: Path, limit: int | None, batch_size: int) -> dict[str, Any]:
    from eventscope.nlp import load_nlp, truecase, unwrap_lines

    docs = _texts(path, limit)
    words = sum(len(d["text"].split()) for d in docs)
    nlp = load_nlp()
    out: dict[str, Any] = {"mode": mode, "documents": len(docs), "words": words}
    if mode == "spacy":
        t0 = time.perf_counter()
        for _ in nlp.pipe((truecase(unwrap_lines(d["text"])) for d in docs), batch_size=batch_size):
            pass
        elapsed = time.perf_counter() - t0
    else:
        from eventscope.extract import Extractor
        from eventscope.extract.coder import EventCoder
        from eventscope.geo import Geocoder, load_gazetteer
        from eventscope.records import Article

        t_load = time.perf_counter()
        geocoder = Geocoder(load_gazetteer())
        out["gazetteer_load_seconds"] = round(time.perf_counter() - t_load, 3)
        from eventscope.extract.typemodel import builtin

        t_load = time.perf_counter()
        builtin()  # the event-type model, read from the cache (`make install` trains it)
        out["model_load_seconds"] = round(time.perf_counter() - t_load, 3)
        geo = _Timed(geocoder, ("places", "locate"))
        coder = _Timed(EventCoder(), ("code",))
        ex = Extractor(nlp=nlp, geocoder=geo, coder=coder, batch_size=batch_size)
        arts = (
            Article(id=str(d.get("id", i)), text=d["text"], published=d.get("published"))
            for i, d in enumerate(docs)
        )
        t0 = time.perf_counter()
        n_events = 0
        for r in ex.run(arts):
            n_events += len(r.events)
        elapsed = time.perf_counter() - t0
        out.update(
            events=n_events,
            geocoding_seconds=round(geo.seconds, 3),
            coding_seconds=round(coder.seconds, 3),
        )
    out["seconds"] = round(elapsed, 3)
    out["docs_per_s"] = round(len(docs) / elapsed, 2)
    out["words_per_s"] = round(words / elapsed, 1)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--side", choices=("spacy", "extract"), help=argparse.SUPPRESS)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    if args.side:
        print(json.dumps(run_side(args.side, args.corpus, args.limit, args.batch_size)))
        return 0
    sides = {}
    for side in ("spacy", "extract"):
        cmd = [
            sys.executable,
            __file__,
            str(args.corpus),
            "--side",
            side,
            "--batch-size",
            str(args.batch_size),
        ]
        if args.limit:
            cmd += ["--limit", str(args.limit)]
        res = subprocess.run(cmd, capture_output=True, text=True, env=os.environ.copy())
        if res.returncode != 0:
            print(res.stderr, file=sys.stderr)
            return 1
        sides[side] = json.loads(res.stdout.strip().splitlines()[-1])
    sp, ex = sides["spacy"], sides["extract"]
    ratio = ex["seconds"] / sp["seconds"]
    report = {
        "corpus": str(args.corpus),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "spacy": sp,
        "extract": ex,
        "time_ratio_extract_over_spacy": round(ratio, 3),
        "geocoding_share_of_extract": round(ex["geocoding_seconds"] / ex["seconds"], 3),
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"corpus: {args.corpus} ({sp['documents']} documents, {sp['words']} words)")
    print(f"machine: {report['machine']}")
    for name, s in (("bare spaCy", sp), ("extract", ex)):
        print(
            f"{name:>10}: {s['seconds']:8.2f} s  {s['docs_per_s']:8.2f} docs/s  "
            f"{s['words_per_s']:9.0f} words/s  peak {s['peak_rss_mb']:.0f} MB"
        )
    print(f"extract / bare spaCy time: {ratio:.3f} (+{(ratio - 1) * 100:.1f}%)")
    print(
        f"geocoding: {ex['geocoding_seconds']:.2f} s = "
        f"{report['geocoding_share_of_extract'] * 100:.1f}% of extract; event coding "
        f"{ex['coding_seconds']:.2f} s; gazetteer load {ex['gazetteer_load_seconds']:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
