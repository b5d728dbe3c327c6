"""Fuzz: the hostile corpus mixed with good documents through the real `eventscope ingest`.

Builds the corpus of ``tests/fuzz/corpus.py`` (``--long`` adds a 50 MB text, a 5 MB single
line and 40 random files), runs one ``eventscope ingest`` over all of it in a subprocess and
reports: inputs tried, clear error lines, tracebacks, hangs (the run must end within
``--timeout``), good documents lost, exit status, wall time and the peak memory of the run.

    python benchmarks/fuzz_ingest.py [--long] [--timeout 1800] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fuzz.corpus import build  # noqa: E402


def run(work: Path, *, long: bool, timeout: float) -> dict[str, Any]:
    import duckdb

    corpus = build(work / "corpus", long=long)
    db = work / "fuzz.duckdb"
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    t0 = time.monotonic()
    hang = False
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "eventscope.cli", "ingest", *corpus.inputs, "--db", str(db)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )
        status, err = proc.returncode, proc.stderr
    except subprocess.TimeoutExpired as exc:
        hang, status = True, None
        err = exc.stderr.decode() if isinstance(exc.stderr, bytes) else (exc.stderr or "")
    seconds = time.monotonic() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    lines = [x for x in err.splitlines() if x.startswith("eventscope: error: ")]
    named = {name: sum(name in x for x in lines) for name in corpus.bad}
    stored: set[str] = set()
    if db.exists():
        con = duckdb.connect(str(db), read_only=True)
        stored = {r[0] for r in con.execute("SELECT doc_id FROM articles").fetchall()}
        con.close()
    return {
        "inputs_tried": len(corpus.bad) + len(corpus.good_ids),
        "hostile_inputs": len(corpus.bad),
        "good_documents": len(corpus.good_ids),
        "clear_error_lines": len(lines),
        "hostile_with_exactly_one_error_line": sum(1 for n in named.values() if n == 1),
        "tracebacks": err.count("Traceback"),
        "hangs": int(hang),
        "good_documents_lost": len(corpus.good_ids - stored),
        "exit_status": status,
        "seconds": round(seconds, 1),
        "peak_memory_mb": round(peak_mb),
        "missing_error_lines": sorted(n for n, k in named.items() if k != 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--long", action="store_true", help="add the big inputs (make soak)")
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        result = run(Path(tmp), long=args.long, timeout=args.timeout)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n")
    ok = (
        result["tracebacks"] == 0
        and result["hangs"] == 0
        and result["good_documents_lost"] == 0
        and not result["missing_error_lines"]
        and result["peak_memory_mb"] < 1024
        and result["exit_status"] == 1
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
