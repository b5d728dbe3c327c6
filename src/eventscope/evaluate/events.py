"""Scoring coded events against gold: ACLED event notes and MUC-4 messages.

:func:`score_acled` pairs each note's single gold event with the predicted event of highest
confidence (ties: the first in text order) and scores it field by field; a note with no
predicted event is wrong on every field. :func:`score_muc` scores relevant-message
detection (does the message report a terrorist incident?) and incident types.

Both return plain dicts with stable keys: rates in 0..1 and confusion tables
``{gold: {predicted: count}}`` (``"-"`` stands for none).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..errors import EvaluationError
from ..extract.relevance import Region, assess, incident_kind, load_region
from ..records import DocumentResult, Event

NONE = "-"


def best_event(events: list[Event]) -> Event | None:
    """The event scored against a note's single gold event: the most confident, first on ties."""
    return max(events, key=lambda ev: ev.confidence, default=None)


def _rate(num: int, den: int) -> float:
    return round(num / den, 4) if den else 0.0


def _by_id(results: list[DocumentResult]) -> dict[str, DocumentResult]:
    out: dict[str, DocumentResult] = {}
    for r in results:
        key = r.article.id if r.article is not None else r.doc_id
        if key is not None:
            out[str(key)] = r
    return out


def _pair(
    gold_docs: list[dict[str, Any]], results: list[DocumentResult]
) -> list[tuple[dict[str, Any], DocumentResult | None]]:
    if len(results) == len(gold_docs):
        return list(zip(gold_docs, results, strict=True))
    by_id = _by_id(results)
    return [(d, by_id.get(str(d.get("id")))) for d in gold_docs]


def score_acled(gold_docs: list[dict[str, Any]], results: list[DocumentResult]) -> dict[str, Any]:
    """Per-field scores of the ACLED event notes (one gold event per note)."""
    if not gold_docs:
        raise EvaluationError("no ACLED gold documents to score")
    n = 0
    hits: dict[str, int] = defaultdict(int)
    day_gold = 0
    confusion: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    sub_confusion: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    died = with_sub = 0
    per_sub: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for doc, res in _pair(gold_docs, results):
        gold_events = (doc.get("gold") or {}).get("events") or []
        if not gold_events:
            continue
        g = gold_events[0]
        n += 1
        events = res.events if res is not None and res.error is None else []
        p = best_event(events)
        pt = p.event_type if p else None
        ps = p.sub_event_type if p else None
        gtype = g.get("event_type") or g.get("acled_legacy_type")
        confusion[gtype or NONE][pt or NONE] += 1
        gsub = g.get("sub_event_type")
        if gsub:
            with_sub += 1
            sub_confusion[gsub][ps or NONE] += 1
            per_sub[gsub][0] += 1
            per_sub[gsub][1] += p is not None and ps == gsub
        gold_deaths = int(g.get("fatalities") or 0)
        died += gold_deaths > 0
        if g.get("date_precision") == "day":
            day_gold += 1
        if p is None:
            continue
        hits["detected"] += 1
        hits["event_type"] += _same_type(pt, g)
        hits["sub_event_type"] += bool(gsub) and ps == gsub
        if gold_deaths > 0:
            hits["fatalities_died"] += p.fatalities == gold_deaths
        if g.get("date_precision") == "day" and p.event_date and g.get("event_date"):
            hits["date_1day"] += _days_apart(p.event_date, str(g["event_date"])) <= 1
        hits["plover_violent"] += (p.plover == "ASSAULT") == (
            g.get("event_type")
            in ("Battles", "Explosions/Remote violence", "Violence against civilians")
        )
        hits["fatalities"] += p.fatalities == int(g.get("fatalities") or 0)
        if g.get("date_precision") == "day":
            hits["date"] += p.event_date == g.get("event_date")
        hits["actor1_type"] += p.actor1_type == g.get("actor1_type")
        hits["actor1"] += _same_actor(p.actor1, g.get("actor1"))
        hits["actor2_type"] += p.actor2_type == g.get("actor2_type")
        hits["actor2"] += _same_actor(p.actor2, g.get("actor2"))
    if n == 0:
        raise EvaluationError("no gold events in the ACLED documents")
    out: dict[str, Any] = {
        "events": n,
        "event_recall": _rate(hits["detected"], n),
        "event_type_accuracy": _rate(hits["event_type"], n),
        "fatalities_exact": _rate(hits["fatalities"], n),
        "date_exact": _rate(hits["date"], day_gold),
        "date_within_1day": _rate(hits["date_1day"], day_gold),
        "actor1_type_accuracy": _rate(hits["actor1_type"], n),
        "actor1_exact": _rate(hits["actor1"], n),
        "actor2_type_accuracy": _rate(hits["actor2_type"], n),
        "actor2_exact": _rate(hits["actor2"], n),
        "event_type_confusion": _plain(confusion),
    }
    if died:
        out["fatalities_exact_where_died"] = _rate(hits["fatalities_died"], died)
    if with_sub:
        # Notes of the older schema (2015) carry no sub-type: the sub-type scores are left out.
        out["sub_event_type_accuracy"] = _rate(hits["sub_event_type"], with_sub)
        out["sub_event_type_confusion"] = _plain(sub_confusion)
        out["per_sub_event_type"] = {
            k: [v[0], _rate(v[1], v[0])] for k, v in sorted(per_sub.items())
        }
        common = [_rate(v[1], v[0]) for v in per_sub.values() if v[0] >= MIN_PER_TYPE]
        if common:
            out["sub_event_type_min_accuracy"] = min(common)
    return out


#: A sub-type's own accuracy counts towards ``sub_event_type_min_accuracy`` from this many notes.
MIN_PER_TYPE = 5

#: The 2015 schema's "Riots/Protests" was split in two in 2019: either half is right.
_LEGACY_EITHER = {"Riots/Protests": ("Riots", "Protests")}


def _same_type(pred: str | None, gold: dict[str, Any]) -> bool:
    if pred is None:
        return False
    if gold.get("event_type"):
        return pred == gold["event_type"]
    return pred in _LEGACY_EITHER.get(str(gold.get("acled_legacy_type")), ())


def _days_apart(a: str, b: str) -> int:
    from datetime import date

    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)
    except ValueError:
        return 10**6


def _same_actor(pred: str | None, gold: str | None) -> bool:
    """Exact name, ignoring ACLED's period suffix: "Military Forces of Nigeria (2015-)"."""
    if pred is None or gold is None:
        return pred is None and gold is None
    return _strip_period(pred) == _strip_period(gold)


def _strip_period(name: str) -> str:
    import re

    return re.sub(r"\s*\(\d{4}-(\d{4})?\)", "", name).strip().lower()


def _plain(table: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    return {g: dict(sorted(row.items())) for g, row in sorted(table.items())}


def muc_incidents(events: list[Event], *, region: Region | None = None) -> list[str]:
    """The MUC-4 incident types among coded events, by :func:`relevance.incident_kind`.

    With ``region``, only events located in it count (events with no country are kept).
    """
    out: list[str] = []
    for ev in events:
        if region is not None and ev.country_code is not None:
            if not region.contains(ev.country_code):
                continue
        kind = incident_kind(ev)
        if kind is not None:
            out.append(kind)
    return out


def score_muc(gold_docs: list[dict[str, Any]], results: list[DocumentResult]) -> dict[str, Any]:
    """Relevant-message detection (precision, recall, F1) and incident-type recall.

    A message is predicted relevant when :func:`eventscope.extract.relevance.assess` finds a
    specific incident in the MUC-4 region (the nine countries of the task definition).
    """
    if not gold_docs:
        raise EvaluationError("no MUC-4 gold documents to score")
    region = load_region("muc4")
    tp = fp = fn = tn = 0
    type_hits = type_total = 0
    confusion: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for doc, res in _pair(gold_docs, results):
        gold = doc.get("gold") or {}
        relevant = bool(gold.get("relevant"))
        rel = assess(res, region=region) if res is not None else None
        kinds = rel.kinds if rel is not None and rel.relevant else []
        predicted = bool(kinds)
        if relevant and predicted:
            tp += 1
        elif relevant:
            fn += 1
        elif predicted:
            fp += 1
        else:
            tn += 1
        if relevant and predicted:
            for t in gold.get("templates") or []:
                gtype = str(t.get("incident_type") or "").split(" / ")[0].strip()
                type_total += 1
                type_hits += gtype in kinds
                confusion[gtype][kinds[0]] += 1
    precision = _rate(tp, tp + fp)
    recall = _rate(tp, tp + fn)
    f1 = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
    return {
        "relevance_precision": precision,
        "relevance_recall": recall,
        "relevance_f1": f1,
        "relevance_accuracy": _rate(tp + tn, tp + tn + fp + fn),
        "incident_type_recall": _rate(type_hits, type_total),
        "incident_type_confusion": _plain(confusion),
    }


#: CASE 2021 task 2's five classes that are no ACLED event.
CASE_NON_ACLED = ("NATURAL_DISASTER", "MAN_MADE_DISASTER", "DIPLO", "ORG_CRIME", "ATTRIB")


def case_label(res: DocumentResult | None) -> str:
    """The CASE 2021 class predicted for a snippet: the sub-type of its ACLED event, else the
    kind of non-event it was judged to report (``DocumentResult.non_event``), else ``-``."""
    if res is None or res.error is not None:
        return NONE
    ev = best_event([e for e in res.events if e.event_type])
    if ev is not None and ev.sub_event_type:
        return ev.sub_event_type
    return getattr(res, "non_event", None) or NONE


def score_case(gold_docs: list[dict[str, Any]], results: list[DocumentResult]) -> dict[str, Any]:
    """CASE 2021 task 2: weighted F1 over its 30 classes, as the shared task reports it (each
    class's F1 weighted by its gold support), and the share of non-ACLED snippets given no
    ACLED event."""
    if not gold_docs:
        raise EvaluationError("no CASE gold documents to score")
    pairs: list[tuple[str, str]] = []
    rejected = non_acled = 0
    confusion: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for doc, res in _pair(gold_docs, results):
        g = ((doc.get("gold") or {}).get("events") or [{}])[0]
        gold = g.get("sub_event_type") or g.get("case_subtype") or NONE
        pred = case_label(res)
        pairs.append((gold, pred))
        confusion[gold][pred] += 1
        if not g.get("sub_event_type"):
            non_acled += 1
            has_acled = res is not None and any(e.event_type for e in res.events)
            rejected += not has_acled
    gold_count: dict[str, int] = defaultdict(int)
    pred_count: dict[str, int] = defaultdict(int)
    tp: dict[str, int] = defaultdict(int)
    for gold, pred in pairs:
        gold_count[gold] += 1
        pred_count[pred] += 1
        tp[gold] += gold == pred
    weighted = 0.0
    for label, support in gold_count.items():
        p = tp[label] / pred_count[label] if pred_count[label] else 0.0
        r = tp[label] / support
        weighted += support * (2 * p * r / (p + r) if p + r else 0.0)
    return {
        "snippets": len(pairs),
        "weighted_f1": round(weighted / len(pairs), 4),
        "accuracy": _rate(sum(tp.values()), len(pairs)),
        "non_acled_rejected": _rate(rejected, non_acled),
        "class_confusion": _plain(confusion),
    }
