"""``eventscope eval``: score extraction against gold files, and the quality gate.

Gold files are JSONL in the shape of ``../shared/data/dev`` (``id``, ``corpus``, ``text``,
``published``, ``gold``). The corpus name picks the scorers:

=============  =======================================================================
corpus         scorers
=============  =======================================================================
``acled*``     :func:`.events.score_acled` and :func:`.geo.score_event_locations`
``muc4*``      :func:`.events.score_muc`
``tr-news``,   :func:`.geo.score_toponyms`
``lgl``
=============  =======================================================================

Scores are keyed by the gold file's stem (``acled_2020_dev``) so that the gate's pins
(``quality/pins.json``) name the file they were measured on. Like trafilatura's evaluation,
the pins are the scores last reached; CI fails when one drops, and raising a pin is part of
the change that earned it.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

from ..errors import EvaluationError
from ..records import Article, DocumentResult

log = logging.getLogger(__name__)

#: A pinned score may drop by this much before the gate fails (float noise only: output is
#: deterministic, so any real drop fails).
TOLERANCE = 1e-6


def load_gold(path: Path, *, limit: int | None = None) -> list[dict[str, Any]]:
    """Read a gold JSONL file, with errors naming the file and line."""
    if not path.exists():
        raise EvaluationError(f"{path}: no such gold file")
    docs: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvaluationError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from exc
            if not isinstance(doc, dict) or "text" not in doc or "gold" not in doc:
                raise EvaluationError(f"{path}:{lineno}: a gold line needs 'text' and 'gold'")
            docs.append(doc)
            if limit is not None and len(docs) >= limit:
                break
    if not docs:
        raise EvaluationError(f"{path}: no gold documents")
    return docs


def extract_gold(docs: list[dict[str, Any]], extractor: Any = None) -> list[DocumentResult]:
    """Run the pipeline over gold documents (in order, one result per document)."""
    from ..extract import Extractor

    extractor = extractor or Extractor()
    articles = [
        Article(
            id=str(d.get("id")),
            text=d["text"],
            title=d.get("title"),
            url=d.get("url"),
            published=(d.get("published") or None),
            source=str(d.get("id")),
            fmt="jsonl",
        )
        for d in docs
    ]
    return list(extractor.run(articles))


def score(docs: list[dict[str, Any]], results: list[DocumentResult]) -> dict[str, Any]:
    """Pick the scorers for the corpus of ``docs`` and merge their scores."""
    corpus = str(docs[0].get("corpus") or "")
    out: dict[str, Any] = {"corpus": corpus, "documents": len(docs)}
    if corpus.startswith("acled"):
        from . import events, geo

        out.update(events.score_acled(docs, results))
        out.update({f"geo_{k}": v for k, v in geo.score_event_locations(docs, results).items()})
    elif corpus.startswith("muc4"):
        from . import events

        out.update(events.score_muc(docs, results))
    elif corpus in ("tr-news", "lgl") or "places" in docs[0].get("gold", {}):
        from . import geo

        out.update(geo.score_toponyms(docs, results))
    else:
        raise EvaluationError(f"no scorer for corpus {corpus!r}")
    out["failed_documents"] = sum(1 for r in results if r.error is not None)
    return out


def run_eval(path: Path, *, limit: int | None = None, extractor: Any = None) -> dict[str, Any]:
    """Score one gold file; returns ``{file_stem: scores}``."""
    docs = load_gold(path, limit=limit)
    t0 = time.perf_counter()
    results = extract_gold(docs, extractor)
    elapsed = time.perf_counter() - t0
    scores = score(docs, results)
    scores["seconds"] = round(elapsed, 2)
    return {path.stem: scores}


def format_report(reports: dict[str, dict[str, Any]]) -> str:
    """Per-field scores, one block per gold file, and confusion tables where present."""
    lines: list[str] = []
    for name, scores in reports.items():
        lines.append(f"== {name} ({scores.get('corpus')}, {scores.get('documents')} documents)")
        for key in sorted(scores):
            v = scores[key]
            if isinstance(v, float):
                lines.append(f"  {key:<36} {v:.4f}")
            elif isinstance(v, int) and not isinstance(v, bool):
                lines.append(f"  {key:<36} {v}")
        for key in sorted(scores):
            v = scores[key]
            if isinstance(v, dict) and v and all(isinstance(x, dict) for x in v.values()):
                lines.append(f"  {key}:")
                lines.extend("    " + row for row in _confusion(v))
    return "\n".join(lines)


def _confusion(table: dict[str, dict[str, int]]) -> list[str]:
    golds = sorted(table)
    preds = sorted({p for row in table.values() for p in row})
    short = {p: (p or "-")[:12] for p in preds}
    label = "gold / predicted"
    head = f"{label:<28}" + "".join(f"{short[p]:>13}" for p in preds)
    rows = [head]
    for g in golds:
        rows.append(f"{(g or '-')[:27]:<28}" + "".join(f"{table[g].get(p, 0):>13}" for p in preds))
    return rows


def check_gate(reports: dict[str, dict[str, Any]], pins_path: Path) -> list[str]:
    """Compare scores with the pins; returns one message per dropped score."""
    try:
        pins = json.loads(pins_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise EvaluationError(f"{pins_path}: cannot read the pinned scores ({exc})") from exc
    failures = []
    for name, pinned in pins.items():
        if name.startswith("_") or name not in reports:
            continue
        for metric, floor in pinned.items():
            got = reports[name].get(metric)
            if got is None:
                failures.append(f"{name}.{metric}: pinned at {floor} but not measured")
            elif got < floor - TOLERANCE:
                failures.append(f"{name}.{metric}: {got:.4f} dropped below its pin {floor:.4f}")
    return failures
