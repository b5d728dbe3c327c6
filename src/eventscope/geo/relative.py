"""Relative places: "near Mosul", "40 km east of Kabul", "northeast Syria", "Al Husha district".

The toponym span stays the name itself (what toponym corpora annotate); what this module
reads is the wording around it, to give the event ACLED's ``geo_precision``:

- 1: the place itself ("in Celaya");
- 2: near it or part of a region ("near Mosul", "outskirts of Kabul", "40 km east of X",
  "Khogyani district", "northern Homs countryside");
- 3: a province or larger ("in Nangarhar province", "northeast Syria").
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from ..errors import KnowledgeError
from ..records import Place
from .gazetteer import ADMIN1_CODES, ADMIN2_CODES, COUNTRY_CODES
from .knowledge import relative_terms


@dataclass(frozen=True, slots=True)
class Relation:
    """How the text relates an event to a named place."""

    near: bool = False  # "near", "outside", "km north of"
    direction: float | None = None  # bearing of "northern", "northeast", "east of"
    division_word: str | None = None  # "district", "town" written after the name
    # how far from the place in ``direction``: "40 km north of X" (as written), "the southern
    # countryside of X" (a typical distance, see _COUNTRYSIDE_KM)
    offset_km: float | None = None


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    terms = relative_terms()
    near = sorted((re.escape(w) for w in terms["near"]), key=len, reverse=True)
    dirs = sorted((re.escape(w) for w in terms["directions"]), key=len, reverse=True)
    divs = sorted((re.escape(w) for w in terms["divisions"]), key=len, reverse=True)
    near_re = re.compile(
        r"\b(?:" + "|".join(near) + r")\s+(?:the\s+)?(?:town|village|city\s+of\s+)?$", re.I
    )
    dist_re = re.compile(
        r"\b(\d[\d.,]*)\s*(?:-\s*)?(km|kms|kilomet(?:er|re)s?|miles?|mi)\s+(?:\w+\s+){0,2}?("
        + "|".join(dirs)
        + r")?\s*(?:of|from)\s+(?:the\s+)?$",
        re.I,
    )
    dir_re = re.compile(r"\b(" + "|".join(dirs) + r")(?:\s+of)?\s+(?:the\s+)?$", re.I)
    div_re = re.compile(r"^\s+(" + "|".join(divs) + r")\b", re.I)
    return near_re, dist_re, dir_re, div_re


# "the southern countryside of Idleb", "Ar-Raqqa eastern countryside", "the West Zone of Rio
# de Janeiro" (a city's zones in Brazilian notes): the villages or districts ACLED
# codes there lie this far from the town in that direction, typically (ACLED 2020 dev notes
# with a compass word and "countryside": within 25 km of the gold place for 7 more events at
# 20, 25 or 30 km, 4 more at 15 km)
_COUNTRYSIDE_KM = 20.0
_COUNTRYSIDE = r"(?:countryside|outskirts|suburbs|rural\s+areas?|zone)"


@functools.cache
def _countryside_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    dirs = sorted((re.escape(w) for w in relative_terms()["directions"]), key=len, reverse=True)
    alt = "|".join(dirs)
    before = re.compile(r"\b(" + alt + r")\s+" + _COUNTRYSIDE + r"\s+of\s+(?:the\s+)?$", re.I)
    after = re.compile(r"^\s+(" + alt + r")\s+" + _COUNTRYSIDE + r"\b", re.I)
    return before, after


def _km(number: str, unit: str) -> float | None:
    try:
        value = float(number.replace(",", ""))
    except ValueError:
        return None
    return value * 1.609344 if unit.lower().startswith("mi") else value


def relation(text: str, place: Place) -> Relation:
    """Read the words around a place mention."""
    near_re, dist_re, dir_re, div_re = _patterns()
    before = text[max(0, place.start - 40) : place.start]
    after = text[place.end : place.end + 30]
    near = False
    direction = None
    offset = None
    m = dist_re.search(before)
    side_before, side_after = _countryside_patterns()
    side = side_before.search(before) or side_after.match(after)
    if m:
        near = True
        if m.group(3):
            direction = relative_terms()["directions"].get(m.group(3).lower())
            offset = _km(m.group(1), m.group(2))
    elif side:
        near = True
        direction = relative_terms()["directions"].get(side.group(1).lower())
        offset = _COUNTRYSIDE_KM
    elif near_re.search(before):
        near = True
    else:
        d = dir_re.search(before)
        if d:
            direction = relative_terms()["directions"].get(d.group(1).lower())
            if before.rstrip().lower().endswith("of") or before.rstrip().lower().endswith("of the"):
                near = True  # "east of Mosul": outside it, not in its eastern part
    w = div_re.match(after)
    return Relation(
        near=near,
        direction=direction,
        division_word=w.group(1).lower() if w else None,
        offset_km=offset if direction is not None else None,
    )


def moved(lat: float, lon: float, bearing: float, km: float) -> tuple[float, float]:
    """The point ``km`` from (lat, lon) along ``bearing`` (degrees from north)."""
    r = km / 6371.0
    p1, l1, b = math.radians(lat), math.radians(lon), math.radians(bearing)
    p2 = math.asin(math.sin(p1) * math.cos(r) + math.cos(p1) * math.sin(r) * math.cos(b))
    l2 = l1 + math.atan2(
        math.sin(b) * math.sin(r) * math.cos(p1), math.cos(r) - math.sin(p1) * math.sin(p2)
    )
    return math.degrees(p2), (math.degrees(l2) + 540.0) % 360.0 - 180.0


@functools.cache
def _level_pattern() -> tuple[re.Pattern[str], dict[str, int]]:
    data = relative_terms().get("division_levels")
    if not isinstance(data, dict) or set(data) != {"admin1", "admin2"}:
        raise KnowledgeError("relative.yaml: 'division_levels' needs lists 'admin1' and 'admin2'")
    levels: dict[str, int] = {}
    for key, level in (("admin1", 1), ("admin2", 2)):
        words = data[key]
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise KnowledgeError(f"relative.yaml: division_levels.{key} must be a list of words")
        for w in words:
            levels[w.lower()] = level
    alts = sorted((re.escape(w) for w in levels), key=len, reverse=True)
    return re.compile(r"\s+(" + "|".join(alts) + r")\b", re.I), levels


def division_level(text: str, place: Place) -> int | None:
    """1 when the word after the name makes it a province ("Al Bayda governorate"), 2 a
    district ("Maywand district"), else None."""
    pattern, levels = _level_pattern()
    m = pattern.match(text, place.end)
    return levels[m.group(1).lower()] if m else None


def precision(place: Place, rel: Relation) -> int:
    """ACLED ``geo_precision`` of an event put at ``place`` with the given wording."""
    code = place.feature_code or ""
    if rel.near and (code in ADMIN1_CODES or code == "ADMD"):
        # "near Orikhove" put at the province the gazetteer has for want of the village
        return 2
    if code in COUNTRY_CODES or code in ADMIN1_CODES or code in ("CONT", "ADMD", "RGN"):
        return 3
    if rel.near or rel.direction is not None:
        return 2
    if code in ADMIN2_CODES:
        return 2
    if rel.division_word and rel.division_word not in ("town", "village", "city", "camp"):
        return 2
    return 1
