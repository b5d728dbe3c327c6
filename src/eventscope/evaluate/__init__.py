"""``eventscope eval``: score extraction against gold files, and the quality gate.

Gold files are JSONL in the shape of ``../shared/data/dev`` (``id``, ``corpus``, ``text``,
``published``, ``gold``). The corpus name picks the scorers:

=============  =======================================================================
corpus         scorers
=============  =======================================================================
``acled*``     :func:`.events.score_acled` and :func:`.geo.score_event_locations`
``muc4*``      :func:`.events.score_muc`
``case2021*``  :func:`.events.score_case`
``tr-news``,   :func:`.geo.score_toponyms`
``lgl``
=============  =======================================================================

Every file is scored whole and in its two fixed parts (:mod:`.split`): ``NAME/tuning``, the
documents rules may be written from, and ``NAME/check``, the ones a change reports. Files of one
corpus given together (``acled_2020_dev`` and ``acled_2020_dev2``) are also scored as one set,
named by their stems joined with ``+``.

Scores are keyed by the gold file's stem (``acled_2020_dev/check``) so that the gate's pins
(``quality/pins.json``) name the file and part they were measured on. Like trafilatura's
evaluation, the pins are the scores last reached; CI fails when one drops by more than about
one document's worth (:func:`tolerance`), so a change never needs a compensating rule to pass.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

from ..errors import EvaluationError
from ..records import Article, DocumentResult
from .split import PARTS, split_indices

log = logging.getLogger(__name__)


def tolerance(scores: dict[str, Any]) -> float:
    """How far a pinned score may drop before the gate fails: one document's worth of the set
    it was measured on (1/n), so that one note coded differently never forces a compensating
    rule, while any drift of two or more documents fails. Scores and pins carry four
    decimals (scores rounded, pins floored), so the comparison also allows 1e-4 of rounding:
    without it one document of a 3,660-note file (0.00027) could read as 0.0003."""
    n = scores.get("documents") or 0
    return 1.0 / n + 1e-4 if n else 1e-4


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
    if corpus.startswith("case"):
        from . import events

        out.update(events.score_case(docs, results))
    elif corpus.startswith("acled"):
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


def score_parts(
    name: str, docs: list[dict[str, Any]], results: list[DocumentResult]
) -> dict[str, dict[str, Any]]:
    """``{name: whole, name/tuning: ..., name/check: ...}`` (an empty part is left out)."""
    out = {name: score(docs, results)}
    stems = name.split("+")
    for part in PARTS:
        keep: list[int] = []
        for stem, idx in _stem_indices(stems, docs).items():
            mine = split_indices([docs[j] for j in idx], stem=stem)[part]
            keep.extend(idx[k] for k in mine)
        if keep:
            keep.sort()
            out[f"{name}/{part}"] = score([docs[i] for i in keep], [results[i] for i in keep])
    return out


def _stem_indices(stems: list[str], docs: list[dict[str, Any]]) -> dict[str, list[int]]:
    """Positions of each file's documents in a (possibly combined) list."""
    if len(stems) == 1:
        return {stems[0]: list(range(len(docs)))}
    out: dict[str, list[int]] = {s: [] for s in stems}
    for i, d in enumerate(docs):
        out[d["_stem"]].append(i)
    return out


def run_eval(path: Path, *, limit: int | None = None, extractor: Any = None) -> dict[str, Any]:
    """Score one gold file, whole and by part; returns ``{file_stem[/part]: scores}``."""
    return run_evals([path], limit=limit, extractor=extractor)


def run_evals(
    paths: list[Path], *, limit: int | None = None, extractor: Any = None
) -> dict[str, Any]:
    """Score gold files, each whole and by part, and the files of one corpus as one set."""
    from ..extract import Extractor

    extractor = extractor or Extractor()
    reports: dict[str, Any] = {}
    by_corpus: dict[str, list[tuple[str, list[dict[str, Any]], list[DocumentResult]]]] = {}
    for path in paths:
        docs = load_gold(path, limit=limit)
        t0 = time.perf_counter()
        results = extract_gold(docs, extractor)
        elapsed = time.perf_counter() - t0
        parts = score_parts(path.stem, docs, results)
        parts[path.stem]["seconds"] = round(elapsed, 2)
        reports.update(parts)
        corpus = str(docs[0].get("corpus") or "")
        by_corpus.setdefault(corpus, []).append((path.stem, docs, results))
    for runs in by_corpus.values():
        if len(runs) < 2:
            continue
        name = "+".join(stem for stem, _, _ in runs)
        docs = [{**d, "_stem": stem} for stem, ds, _ in runs for d in ds]
        results = [r for _, _, rs in runs for r in rs]
        reports.update(score_parts(name, docs, results))
    return reports


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
            elif isinstance(v, dict) and v and all(isinstance(x, list) for x in v.values()):
                lines.append(f"  {key} (documents, score):")
                lines.extend(f"    {k:<34} {n:>5}  {r:.4f}" for k, (n, r) in v.items())
    return "\n".join(lines)


def format_parts(reports: dict[str, dict[str, Any]]) -> str:
    """One line per score: the whole file, its tuning part, its check part, and tuning minus
    check (how much the coding fits the tuning documents rather than the task)."""
    lines: list[str] = []
    for name in [n for n in reports if "/" not in n]:
        tun, chk = reports.get(f"{name}/tuning"), reports.get(f"{name}/check")
        if chk is None:
            continue
        whole = reports[name]
        lines.append(f"== {name}: {'whole':>8} {'tuning':>8} {'check':>8} {'gap':>8}")
        for key in sorted(whole):
            v = whole[key]
            if not isinstance(v, float) or key == "seconds":
                continue
            t = tun.get(key) if tun else None
            c = chk.get(key)
            cells = [f"{v:8.4f}", f"{t:8.4f}" if isinstance(t, float) else f"{'-':>8}"]
            cells.append(f"{c:8.4f}" if isinstance(c, float) else f"{'-':>8}")
            gap = t - c if isinstance(t, float) and isinstance(c, float) else None
            cells.append(f"{gap:+8.4f}" if gap is not None else f"{'-':>8}")
            lines.append(f"  {key:<36} " + " ".join(cells))
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
            elif got < floor - tolerance(reports[name]):
                failures.append(
                    f"{name}.{metric}: {got:.4f} dropped below its pin {floor:.4f} by more than"
                    f" one document's worth ({tolerance(reports[name]):.4f})"
                )
    return failures
