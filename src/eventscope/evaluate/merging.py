"""Score cross-report merging (:mod:`eventscope.crossreport`) on MUC-4's answer keys.

**Gold pairing.** MUC-4 keys give each message's incidents as templates (type, date, location,
perpetrators, targets). Two messages report one event when a template of one and a template
of the other describe the same incident (:func:`same_incident`):

* the same ``incident_type`` (``ATTACK``, the keys' type when the means is unclear, fits any);
* compatible dates: a key's date is a day ("19 APR 89"), a range ("19 APR 89 - 21 APR 89") or
  "on or before" ("- 19 APR 89", read as the 30 days up to it); the intervals overlap, ±1 day;
* compatible locations: a country in common, and when both keys name places below the
  country (``COUNTRY: DEPARTMENT: TOWN``; a slot may run several locations together), a place
  in common;
* a shared participant: a named human target or a physical target of one key found among the
  other key's targets (names, physical targets or descriptions: keys put a victim's name in
  either slot), or the same perpetrator organisation *and* the same target description
  (quoted strings compared after normalisation; a slot's ``"A" / "B"`` alternatives each
  count).

**System pairing.** The whole file's messages are stored in one throwaway store (each extracted
event one report, merged as ``eventscope ingest`` merges, so a chain may run through the other
part); two messages are paired when one stored event has reports from both.

**Scores.** Pairwise precision and recall over message pairs, among messages that have at
least one template: a message without templates is one whose incidents MUC-4 does not key
(military clashes, threats, ...), so whether the system should pair it cannot be judged. For
the same reason the main figures count the events of the types MUC-4 keys
(:data:`KEYED_TYPES`: merged battles between armed forces are no error MUC-4 can see);
``..., every event type`` counts them all. Pairs are counted within a part (:mod:`.split`):
``tuning`` and ``check``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from itertools import combinations
from typing import Any

from ..records import DocumentResult
from .split import part_of

_MONTHS = {
    m: i + 1 for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split())
}
_DATE = re.compile(r"(\d{1,2})\s+([A-Z]{3})\s+(\d{2,4})")


def _day(text: str) -> date | None:
    m = _DATE.search(text)
    if not m or m.group(2) not in _MONTHS:
        return None
    y = int(m.group(3))
    y = y + 1900 if y < 100 else y
    try:
        return date(y, _MONTHS[m.group(2)], int(m.group(1)))
    except ValueError:
        return None


def key_interval(value: str | None) -> tuple[date, date] | None:
    """The days a MUC-4 ``incident_date`` slot may stand for."""
    if not value:
        return None
    spans: list[tuple[date, date]] = []
    for alt in value.split(" / "):  # "(- 29 MAR 89) / (28 MAR 89 - 29 MAR 89)": either
        v = alt.strip(" ()")
        if v.startswith("-"):
            d = _day(v)
            if d:
                spans.append((d - timedelta(days=30), d))
            continue
        days = [d for d in (_day(p) for p in v.split(" - ")) if d is not None]
        if days:
            spans.append((min(days), max(days)))
    if not spans:
        return None
    return min(s[0] for s in spans), max(s[1] for s in spans)


def _path(location: str | None) -> list[str]:
    if not location:
        return []
    out = []
    for part in location.split(":"):
        name = re.sub(r"\([^)]*\)", "", part.split("/")[0]).strip(' -"()')
        if name:
            out.append(name)
    return out


def _places(location: str | None) -> tuple[set[str], set[str]]:
    """(countries, places below them) named in a location slot, which may hold several
    locations run together ("GUATEMALA: GUATEMALA CITY (CITY) EL SALVADOR: ...")."""
    countries: set[str] = set()
    below: set[str] = set()
    for alt in re.split(r"\)\s+(?=[A-Z])|\s/\s", location or ""):
        path = _path(alt + (")" if alt.count("(") > alt.count(")") else ""))
        if path:
            countries.add(path[0].split("  ")[0])
            below.update(path[1:])
    return countries, below


def _places_agree(la: str | None, lb: str | None) -> bool:
    """A country in common, and a place below it in common when both keys name one."""
    ca, pa = _places(la)
    cb, pb = _places(lb)
    if not any(x == y or x.startswith(y + " ") or y.startswith(x + " ") for x in ca for y in cb):
        return False
    return not (pa and pb) or bool(pa & pb)


def _strings(values: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for v in values or ():
        for q in re.findall(r'"([^"]+)"', v or ""):
            q = " ".join(q.split())
            if q:
                out.add(q)
    return out


def same_incident(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two answer-key templates describe one incident (module docstring)."""
    ta, tb = a.get("incident_type"), b.get("incident_type")
    if not ta or not tb or (ta != tb and "ATTACK" not in (ta, tb)):
        return False
    ia, ib = key_interval(a.get("incident_date")), key_interval(b.get("incident_date"))
    if ia is None or ib is None:
        return False
    one = timedelta(days=1)
    if not (ia[0] - one <= ib[1] and ib[0] - one <= ia[1]):
        return False
    if not _places_agree(a.get("incident_location"), b.get("incident_location")):
        return False
    # A named target or a physical target of one key, named anywhere in the other's targets
    # (one key lists "MARILIN RAMIREZ" as a name, another in the description).
    named_a = _strings(a.get("hum_tgt_name", [])) | _strings(a.get("phys_tgt_id", []))
    named_b = _strings(b.get("hum_tgt_name", [])) | _strings(b.get("phys_tgt_id", []))
    any_a = named_a | _strings(a.get("hum_tgt_description", []))
    any_b = named_b | _strings(b.get("hum_tgt_description", []))
    if (named_a & any_b) or (named_b & any_a):
        return True
    return bool(
        _strings(a.get("perp_organization_id", [])) & _strings(b.get("perp_organization_id", []))
        and _strings(a.get("hum_tgt_description", [])) & _strings(b.get("hum_tgt_description", []))
    )


def gold_pairs(docs: Sequence[dict[str, Any]]) -> set[tuple[str, str]]:
    """Message pairs (ids, sorted) whose keys share an incident."""
    keyed = [(str(d["id"]), d.get("gold", {}).get("templates") or []) for d in docs]
    keyed = [(i, t) for i, t in keyed if t]
    out: set[tuple[str, str]] = set()
    for (ia, ta), (ib, tb) in combinations(keyed, 2):
        if any(same_incident(x, y) for x in ta for y in tb):
            out.add((min(ia, ib), max(ia, ib)))
    return out


#: The ACLED types of the incidents MUC-4 keys (attacks on civilians and property,
#: bombings, arson, kidnapping); combat between armed forces and demonstrations are not keyed.
KEYED_TYPES = ("Violence against civilians", "Explosions/Remote violence", "Strategic developments")


def merged_groups(results: Sequence[DocumentResult]) -> list[tuple[str | None, list[str]]]:
    """Each event the store's merging makes of several messages: (its type, the message ids)."""
    from ..store import Store

    with Store.open(":memory:") as store:
        doc_of: dict[str, str] = {}
        for r in results:
            if r.article is None:
                continue
            doc_of[r.article.content_hash] = r.article.id
            store.add_result(r)
        rows = store.con.execute(
            "SELECT r.event_id, e.event_type, list(DISTINCT r.article_id ORDER BY r.article_id) "
            "FROM reports r JOIN events e ON e.event_id = r.event_id "
            "GROUP BY r.event_id, e.event_type HAVING count(DISTINCT r.article_id) > 1 "
            "ORDER BY r.event_id"
        ).fetchall()
    return [(etype, sorted({doc_of[a] for a in arts if a in doc_of})) for _e, etype, arts in rows]


def system_pairs(
    groups: Sequence[tuple[str | None, list[str]]], *, types: Sequence[str] | None = None
) -> set[tuple[str, str]]:
    """Message pairs put into one event (of ``types`` if given)."""
    out: set[tuple[str, str]] = set()
    for etype, docs in groups:
        if types is None or etype in types:
            out.update(combinations(docs, 2))
    return out


def score_merging(
    docs: Sequence[dict[str, Any]], results: Sequence[DocumentResult]
) -> dict[str, dict[str, Any]]:
    """Pairwise precision and recall of merging, whole and per part (module docstring)."""
    keyed = {str(d["id"]) for d in docs if d.get("gold", {}).get("templates")}
    gold = gold_pairs(docs)
    groups = merged_groups(results)
    system = {p for p in system_pairs(groups) if p[0] in keyed and p[1] in keyed}
    of_keyed_types = {p for p in system_pairs(groups, types=KEYED_TYPES) if p in system}
    parts = {str(d["id"]): part_of(d.get("id")) for d in docs}
    out: dict[str, dict[str, Any]] = {}
    for name, pairs in [(n, of_keyed_types) for n in ("all", "tuning", "check")] + [
        (f"{n}, every event type", system) for n in ("tuning", "check")
    ]:
        part = name.split(",")[0]

        def keep(p: tuple[str, str], part: str = part) -> bool:
            return part == "all" or (parts[p[0]] == part and parts[p[1]] == part)

        g = {p for p in gold if keep(p)}
        s = {p for p in pairs if keep(p)}
        tp = len(g & s)
        out[name] = {
            "messages_keyed": sum(1 for i in keyed if part == "all" or parts[i] == part),
            "gold_pairs": len(g),
            "system_pairs": len(s),
            "true_pairs": tp,
            "precision": round(tp / len(s), 4) if s else None,
            "recall": round(tp / len(g), 4) if g else None,
        }
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m eventscope.evaluate.merging ../shared/data/dev/muc4_dev.jsonl``"""
    import argparse
    import json
    import sys
    from pathlib import Path

    from . import extract_gold, load_gold

    ap = argparse.ArgumentParser(prog="python -m eventscope.evaluate.merging",
                                 description="Score cross-report merging on MUC-4 keys.")
    ap.add_argument("gold", type=Path, metavar="MUC4.jsonl")
    ap.add_argument("--limit", type=int, help="only the first N messages")
    args = ap.parse_args(argv)
    docs = load_gold(args.gold, limit=args.limit)
    scores = score_merging(docs, extract_gold(docs))
    json.dump(scores, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
