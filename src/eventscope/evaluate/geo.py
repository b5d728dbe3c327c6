"""Scores for places: toponym corpora (TR-News, LGL) and ACLED event locations.

Toponyms (:func:`score_toponyms`), the field's standard measure (Gritta et al. 2018): a
predicted place is a true positive when its span overlaps a gold toponym's span *and* it
resolves within 161 km (100 miles) of the gold coordinates; a recognised but wrongly resolved
toponym counts both as a false positive and a false negative. Further:

- gold toponyms without coordinates (streets, buildings the corpus could not resolve) are
  left out, and a prediction overlapping one counts neither way;
- gold toponyms marked ``span_ok: false`` (the corpus's offsets are shifted) are moved to the
  occurrence of their text nearest to the given offset, within 60 characters; when there is
  none they are left out like the above (counted in ``gold_unplaced``);
- ``exact_geonameid`` is the share of matched toponyms resolved to the gold GeoNames id.

Event locations (:func:`score_event_locations`): each ACLED note has one gold event; it is
paired with the document's first predicted event of highest confidence. A document with no
predicted event, or one without coordinates, is a miss for every share. Country names are
compared exactly (after case and accent folding); first-level division names as spellings of
one name, since ACLED and GeoNames transliterate differently ("Idleb"/"Idlib").
"""

from __future__ import annotations

import math
import statistics
from typing import Any

from ..records import DocumentResult, Place
from .events import best_event

WITHIN_KM = 161.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _results_by_id(results: list[DocumentResult]) -> dict[str, DocumentResult]:
    out: dict[str, DocumentResult] = {}
    for r in results:
        rid = r.article.id if r.article is not None else r.doc_id
        if rid is not None:
            out[str(rid)] = r
    return out


def _place_gold(doc: dict[str, Any]) -> tuple[list[tuple[int, int, float, float, Any]], int, int]:
    """Scorable gold spans (start, end, lat, lon, geonameid), spans without coordinates and
    spans that could not be placed."""
    text = doc.get("text", "")
    scorable = []
    unresolved = 0
    unplaced = 0
    for g in (doc.get("gold") or {}).get("places", []):
        start, end = int(g["start"]), int(g["end"])
        if not g.get("span_ok", True):
            surface = g.get("text") or ""
            best = None
            if surface:
                lo = max(0, start - 60)
                pos = text.find(surface, lo)
                while pos != -1 and pos <= start + 60:
                    if best is None or abs(pos - start) < abs(best - start):
                        best = pos
                    pos = text.find(surface, pos + 1)
            if best is None:
                unplaced += 1
                continue
            start, end = best, best + len(surface)
        if g.get("latitude") is None or g.get("longitude") is None:
            unresolved += 1
            scorable.append((start, end, math.nan, math.nan, None))
            continue
        scorable.append(
            (start, end, float(g["latitude"]), float(g["longitude"]), g.get("geonameid"))
        )
    return scorable, unresolved, unplaced


def score_toponyms(gold_docs: list[dict], results: list[DocumentResult]) -> dict:
    """Precision, recall and F1 of toponyms recognised and resolved within 161 km."""
    by_id = _results_by_id(results)
    tp = fp = fn = 0
    matched = exact = 0
    rec_tp = rec_fp = 0
    errors: list[float] = []
    gold_total = unresolved_total = unplaced_total = 0
    missing_docs = 0
    for doc in gold_docs:
        gold, unresolved, unplaced = _place_gold(doc)
        unresolved_total += unresolved
        unplaced_total += unplaced
        res = by_id.get(str(doc["id"]))
        preds: list[Place] = list(res.places) if res is not None and res.error is None else []
        if res is None or res.error is not None:
            missing_docs += 1
        used: set[int] = set()
        for gs, ge, glat, glon, gid in gold:
            scorable = not math.isnan(glat)
            if scorable:
                gold_total += 1
            hit = None
            for k, p in enumerate(preds):
                if k not in used and p.start < ge and gs < p.end:
                    hit = k
                    break
            if hit is None:
                if scorable:
                    fn += 1
                continue
            used.add(hit)
            if not scorable:
                continue  # a prediction on a gold span without coordinates counts neither way
            rec_tp += 1
            p = preds[hit]
            if p.latitude is None or p.longitude is None:
                fp += 1
                fn += 1
                continue
            matched += 1
            d = haversine_km(glat, glon, p.latitude, p.longitude)
            errors.append(d)
            if gid is not None and p.geonameid == gid:
                exact += 1
            if d <= WITHIN_KM:
                tp += 1
            else:
                fp += 1
                fn += 1
        extra = len(preds) - len(used)
        fp += extra
        rec_fp += extra
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    rec_p = rec_tp / (rec_tp + rec_fp) if rec_tp + rec_fp else 0.0
    rec_r = rec_tp / gold_total if gold_total else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "recognition_precision": round(rec_p, 4),
        "recognition_recall": round(rec_r, 4),
        "accuracy_161km": round(tp / matched, 4) if matched else 0.0,
        "exact_geonameid": round(exact / matched, 4) if matched else 0.0,
        "median_error_km": round(statistics.median(errors), 1) if errors else 0.0,
        "gold": gold_total,
        "gold_without_coordinates": unresolved_total,
        "gold_unplaced": unplaced_total,
        "predicted": rec_tp + rec_fp,
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": fn,
        "documents": len(gold_docs),
        "documents_missing": missing_docs,
    }


def _norm(name: str | None) -> str:
    if not name:
        return ""
    from ..geo.gazetteer import name_key
    from ..geo.knowledge import bare_division_name

    bare = bare_division_name(name)
    return name_key(bare or name).replace(" ", "")


def _same_division(pred: str | None, gold: str | None) -> bool:
    """Division names compared as spellings of one name: ACLED writes "Idleb", "Al-Hasakeh",
    "Dar'a" where GeoNames writes "Idlib", "Al-Hasakah", "Daraa"."""
    a, b = _norm(pred), _norm(gold)
    if not a or not b:
        return False
    if a == b:
        return True
    import difflib

    from ..geo.gazetteer import loose_keys

    if set(loose_keys(a)) & set(loose_keys(b)):
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


def score_event_locations(gold_docs: list[dict], results: list[DocumentResult]) -> dict:
    """Country and admin1 accuracy, share within 25/50 km, median error of ACLED events."""
    by_id = _results_by_id(results)
    n = 0
    country_ok = admin1_ok = within25 = within50 = precision_ok = 0
    located = 0
    errors: list[float] = []
    for doc in gold_docs:
        gold_events = (doc.get("gold") or {}).get("events") or []
        if not gold_events:
            continue
        g = gold_events[0]
        n += 1
        res = by_id.get(str(doc["id"]))
        ev = best_event(res.events) if res is not None and res.error is None else None
        if ev is None:
            continue
        if _norm(ev.country) and _norm(ev.country) == _norm(g.get("country")):
            country_ok += 1
        if _same_division(ev.admin1, g.get("admin1")):
            admin1_ok += 1
        if ev.geo_precision is not None and ev.geo_precision == g.get("geo_precision"):
            precision_ok += 1
        if ev.latitude is None or ev.longitude is None or g.get("latitude") is None:
            continue
        located += 1
        d = haversine_km(float(g["latitude"]), float(g["longitude"]), ev.latitude, ev.longitude)
        errors.append(d)
        within25 += d <= 25.0
        within50 += d <= 50.0

    def share(k: int) -> float:
        return round(k / n, 4) if n else 0.0

    return {
        "events": n,
        "located": located,
        "country_accuracy": share(country_ok),
        "admin1_accuracy": share(admin1_ok),
        "geo_precision_accuracy": share(precision_ok),
        "within_25km": share(within25),
        "within_50km": share(within50),
        "median_error_km": round(statistics.median(errors), 1) if errors else 0.0,
    }
