"""Event-location context: what the rest of a text says about the place an event is put at.

The resolver picks each mention's gazetteer entry on its own evidence; an event's location
can use more, because short reports such as ACLED notes say where an event happened in a
fixed shape ("in Rubaya (Masisi, Nord-Kivu)": the place, then its district and province)
and never name the country. Here:

- :func:`country_votes`: every place mention of the text votes for the countries its name
  can lie in (an unambiguous name counts fully, a name found in k countries 1/k each), with
  a bonus for the country the resolver chose; country names, forces of one theatre ("UPDF")
  and, weakly, nationalities ("Palestinian fishermen") vote too. "San Juan (San Juan),
  guards of the Chimbas jail" is in Argentina: Chimbas can only be there;
- :func:`containers`: the divisions named right after a place ("X (A2, A1)", "X, A1",
  "X town in A1 province"), as names;
- :func:`pick_in`: the gazetteer entry of a name inside a country (and division), to
  re-resolve a place the rest of the note puts elsewhere, or a division named in brackets
  that no mention covered.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict

from ..records import Place
from .gazetteer import ADMIN1_CODES, ADMIN2_CODES, COUNTRY_CODES, Entry, Gazetteer, name_key
from .knowledge import bare_division_name, theatre_matches, theatre_names

# weights of the votes: measured on the ACLED 2020 dev notes (country accuracy 0.9416 with
# the resolver's country alone); a nationality is often a foreign force ("Turkish troops
# entered Atarib"), so it counts half, and a country named is often a foreign actor ("Turkey
# and Russia ran a joint patrol ... near Kobani"), so it counts no more than a town; a
# division named in brackets ("(Karan, Banadir)") is ACLED's own admin field; mentions
# outside the event's sentence count half
_RESOLVED_BONUS = 0.25
_DEMONYM_WEIGHT = 0.5
_COUNTRY_WEIGHT = 1.0
_THEATRE_WEIGHT = 1.5
_BRACKET_WEIGHT = 1.0
_OUTSIDE_SENTENCE = 0.5

_NAME = (
    r"[A-Z][\w'\u2019-]*(?:[\s-]+(?:(?:al|el|ad|an|ar|as|ash|at|az|de|del|la|le|of|do|da|dos|"
    r"das|du|des|wa)[\s-]+)*[A-Z][\w'\u2019-]*)*"
)
_GENERIC = (
    r"(?:\s+(?:town|village|city|area|areas|camp|district|districts|sub-county|subdivision|"
    r"upazila|township|municipality|commune|county|province|governorate|state|region|LGA|"
    r"neighbou?rhood|locality|sector|department|prefecture|tehsil|zone))?"
)
# "X (A2, A1)", "X town (A1)", "Ilaro Division (Yewa South LGA, Ogun)", "Mafraq ar
# Ruwayk area (Marib)": the brackets right after the name and up to three words that name
# what the place is or go on with its name
_BRACKET = re.compile(r"(?:\s+[\w'\u2019-]+){0,3}\s*\(([^()]{2,80})\)")
# "X, A1": one capitalised name after a comma, ended by a comma, a full stop or a clause
_COMMA = re.compile(
    _GENERIC
    + r",\s+("
    + _NAME
    + r")"
    + _GENERIC
    # ended by a clause, not by a list going on ("in Herat, Farah, Nimroz and Helmand")
    + r"(?=\s*(?:[.;)]|$|,(?!\s*[A-Z])|\s+(?!and\b|or\b)(?:[a-z]|\d)))"
)
_IN_DIVISION = re.compile(
    _GENERIC + r"\s+(?:in|of)\s+(?:the\s+)?(" + _NAME + r")\s+(?:province|governorate|state|"
    r"region|district|department|county)\b"
)


# "Suvarna Rural Municipality-2" (a ward), "the Nagorno Karabakh-Azerbaijani frontline": a
# name joined by a hyphen to a number or another name
_JOINED = re.compile(r"(?<=[A-Za-z])-(?=[A-Z0-9])")


def theatres_in(text: str) -> list[tuple[int, int, str]]:
    """(start, end, ISO alpha-2) of each theatre name in the text (:func:`.knowledge.
    theatre_matches`), also when a hyphen joins it to a ward number or another name."""
    found = theatre_matches(text)
    joined = _JOINED.sub(" ", text)  # same length: offsets still index the text
    if joined != text:
        starts = {t[0] for t in found}
        found = sorted(found + [t for t in theatre_matches(joined) if t[0] not in starts])
    return found


@functools.lru_cache(maxsize=8192)
def _countries_of(gaz: Gazetteer, name: str) -> frozenset[str]:
    key = name_key(name)
    idx = gaz.lookup_key(key)
    return frozenset(c for c in (gaz.entry(i).country_code for i in idx) if c)


_ANY_BRACKET = re.compile(r"\(([^()]{2,80})\)")


def _bracket_parts(text: str, m: re.Match[str]) -> list[tuple[int, str]]:
    """The comma-separated names inside a bracket match (group 1): (start offset, name)."""
    out: list[tuple[int, str]] = []
    pos = m.start(1)
    for part in m.group(1).split(","):
        out.append((pos + len(part) - len(part.lstrip()), part.strip()))
        pos += len(part) + 1
    return out


def countries_named(gaz: Gazetteer, name: str) -> frozenset[str]:
    """Countries with a place, a division or the name of the country itself named so."""
    return _countries_of(gaz, name) | division_countries(gaz, name)


@functools.lru_cache(maxsize=8192)
def division_countries(gaz: Gazetteer, name: str) -> frozenset[str]:
    """Countries with a province or district of that name (or a division the GeoNames
    extract lacks: Chile's Los Rios, Ghana's North East)."""
    return frozenset(
        e.country_code
        for e in _candidates(gaz, name)
        if e.feature_code in ADMIN1_CODES
        or e.feature_code in ADMIN2_CODES
        or e.feature_code == "ADMD"
    )


def country_votes(
    gaz: Gazetteer,
    text: str,
    places: list[Place],
    demonyms: set[int],
    sentence: tuple[int, int],
    *,
    resolved_bonus: bool = True,
) -> dict[str, float]:
    """Votes of every mention of the text for the country it is about (see the docstring).

    ``demonyms`` holds ``id()`` of the places that are nationalities; ``sentence`` is the
    span of the event's sentence; without ``resolved_bonus`` the resolver's choice of each
    mention's country counts no more than the other countries its name can lie in.
    """
    votes: dict[str, float] = defaultdict(float)
    s, e = sentence

    def weight(start: int) -> float:
        return 1.0 if s <= start < e else _OUTSIDE_SENTENCE

    brackets = [(m.start(1), m.end(1)) for m in _ANY_BRACKET.finditer(text)]
    for p in places:
        cc = p.country_code
        if not cc:
            continue
        w = weight(p.start)
        in_brackets = any(a <= p.start < b for a, b in brackets)
        code = p.feature_code or ""
        if id(p) in demonyms:
            votes[cc] += _DEMONYM_WEIGHT * w
            continue
        if code in COUNTRY_CODES:
            votes[cc] += _COUNTRY_WEIGHT * w
            continue
        if code == "CONT":
            continue
        # ACLED's admin fields in brackets name divisions: "(Buenos Aires)" votes for the
        # countries with a division of that name, not for every town named so
        ccs = set(
            (division_countries(gaz, p.text) if in_brackets else frozenset())
            or _countries_of(gaz, p.text)
        )
        ccs.add(cc)
        share = 1.0 / len(ccs)
        for c in ccs:
            votes[c] += share * w
        if resolved_bonus:
            votes[cc] += _RESOLVED_BONUS * w
    for start, _e, cc in theatres_in(text):
        votes[cc] += _THEATRE_WEIGHT * weight(start)
    covered = [(p.start, p.end) for p in places]
    for m in _ANY_BRACKET.finditer(text):
        for start, name in _bracket_parts(text, m):
            if not name or not name[0].isupper() or len(name) > 40:
                continue
            if any(a < start + len(name) and start < b for a, b in covered):
                continue  # a mention already voted
            divs = division_countries(gaz, name)
            for c in divs:
                votes[c] += _BRACKET_WEIGHT * weight(m.start()) / len(divs)
    return dict(votes)


def containers(text: str, p: Place) -> list[tuple[int, int, str]]:
    """Divisions named right after a place, most specific first: (start, end, name)."""
    out: list[tuple[int, int, str]] = []
    m = _BRACKET.match(text, p.end)
    if m:
        for s, name in _bracket_parts(text, m):
            if name and name[0].isupper() and len(name) <= 40:
                out.append((s, s + len(name), name))
        return out
    m = _COMMA.match(text, p.end) or _IN_DIVISION.match(text, p.end)
    if m:
        out.append((m.start(1), m.end(1), m.group(1)))
    return out


def _division_key(name: str) -> str:
    return name_key(bare_division_name(name) or name)


def same_division(a: str | None, b: str | None) -> bool:
    """Two spellings of one division's name ("Idleb"/"Idlib" aside: exact keys only)."""
    if not a or not b:
        return False
    return _division_key(a).replace(" ", "") == _division_key(b).replace(" ", "")


def _candidates(gaz: Gazetteer, name: str) -> list[Entry]:
    key = name_key(name)
    idx = gaz.lookup_key(key)
    if not idx:
        bare = bare_division_name(name)
        if bare:
            idx = gaz.lookup_key(name_key(bare))
    if not idx and len(key) >= 5:
        idx = gaz.lookup_loose(key)
    return [gaz.entry(i) for i in idx]


def pick_in(
    gaz: Gazetteer,
    name: str,
    country: str,
    *,
    admin1: str | None = None,
    divisions: bool = True,
) -> Entry | None:
    """The entry named ``name`` in ``country`` (and in ``admin1`` when given): a town before
    a division of the same name unless ``divisions`` asks for the division first; the most
    populous among equals."""
    best: Entry | None = None
    best_key: tuple[int, int, int] | None = None
    for e in _candidates(gaz, name):
        if e.country_code != country or e.feature_code in COUNTRY_CODES:
            continue
        in_a1 = admin1 is None or same_division(e.admin1, admin1)
        if admin1 is not None and not in_a1:
            continue
        is_div = e.feature_code in ADMIN1_CODES or e.feature_code in ADMIN2_CODES
        rank = (1 if is_div == divisions else 0, 1 if e.feature_code.startswith("PPL") else 0)
        key = (rank[0], rank[1], e.population)
        if best_key is None or key > best_key:
            best, best_key = e, key
    return best


def is_ambiguous(gaz: Gazetteer, name: str) -> bool:
    """Whether more than one gazetteer entry bears the name."""
    return len(_candidates(gaz, name)) > 1


def in_one_country(gaz: Gazetteer, name: str) -> bool:
    """Whether every entry that bears the name lies in one country."""
    return len({e.country_code for e in _candidates(gaz, name)}) == 1


# "in Ras al Ain", "the town of Basira", "in al-Bukamal", "convoys entered Idleb": a
# capitalised name a locative word introduces (an Arabic article may come first, in lower case)
_SCAN = re.compile(
    r"\b(?:in|at|near|outside|of|from|to|entered)\s+(?:the\s+)?"
    # "in rural Ras al Ain", "the countryside of Tal Tamer", "the town of Basira"
    r"(?:(?:rural|eastern|western|northern|southern|central)\s+)?"
    r"(?:(?:town|village|city|area|camp|countryside|outskirts|vicinity)\s+of\s+)?"
    r"((?:(?:al|el|ad|an|ar|as|ash|at|az)-)?" + _NAME + r")"
)
# "shelled Kitaf wa al Buqe district (Saada)": a name before ACLED's bracketed divisions
_SCAN_BEFORE_BRACKET = re.compile(
    r"(?<![\w'\u2019-])((?:(?:al|el|ad|an|ar|as|ash|at|az)-)?" + _NAME + r")" + _GENERIC + r"\s*\("
)
# "in Carayaca, Vargas state": a province its word names (looked for as a province only)
_SCAN_PROVINCE = re.compile(
    r"(?<![\w'\u2019-])(" + _NAME + r")\s+(?:state|province|governorate|region|department)\b"
)
_SCAN_MAX_WORDS = 5
_TIGHT = re.compile(r"\b(?:in|at|near|entered)\s+(?:the\s+)?$")


def _towns_in(gaz: Gazetteer, name: str, country: str | None) -> list[Entry]:
    """Populated places and districts of the country with the name, or with a spelling of
    it ("Karama": "Al Karamah") when none bears it exactly. With no country: those of a
    name found in one country only."""
    key = name_key(name)

    def towns(idx: tuple[int, ...]) -> list[Entry]:
        out = [gaz.entry(i) for i in idx]
        if country is None:
            if len({c.country_code for c in out}) != 1:
                return []
        else:
            out = [c for c in out if c.country_code == country]
        return [
            c for c in out if c.feature_code.startswith("PPL") or c.feature_code in ADMIN2_CODES
        ]

    found = towns(gaz.lookup_key(key))
    if not found and len(key) >= 5 and country is not None:
        found = towns(gaz.lookup_loose(key))
    return found


def scan(
    gaz: Gazetteer,
    text: str,
    span: tuple[int, int],
    covered: list[tuple[int, int]],
    country: str | None,
    admin1s: set[str],
) -> list[Place]:
    """Towns of ``country`` that a locative word introduces in ``span`` and no mention
    covers ("in Tall Abyad in ar-Raqqah": the recognizer found only the province).

    A name is taken only as a populated place of the country the text is about, inside one
    of the provinces ``admin1s`` its other places lie in, or, when they give none, as the
    only town of that name in the country: a name the recognizer left out is more often a
    common word than a place. With no ``country`` (a text that names no place the
    recognizer knew), only names found in one country are taken.
    """
    from .knowledge import place_stopwords

    stop = place_stopwords()
    out: list[Place] = []
    s, e = span
    seen: set[int] = set()
    if country is not None:
        for m in _SCAN_PROVINCE.finditer(text, s, e):
            start, end = m.start(1), m.end(1)
            if any(a < end and start < b for a, b in covered):
                continue
            province = pick_in(gaz, m.group(1), country, divisions=True)
            if province is not None and (
                province.feature_code in ADMIN1_CODES or province.feature_code == "ADMD"
            ):
                seen.add(start)
                out.append(province.as_place(start, end, text))
    matches = [*_SCAN.finditer(text, s, e), *_SCAN_BEFORE_BRACKET.finditer(text, s, e)]
    for m in matches:
        start, end = m.start(1), m.end(1)
        name = m.group(1)
        if start in seen or any(a < end and start < b for a, b in covered):
            continue
        if country is None and m.re is _SCAN and not _TIGHT.search(text, max(0, start - 12), start):
            continue  # with nothing else to go on, only "in X", "at X", "near X" or "X (A2, A1)"
        if len(name.split()) > _SCAN_MAX_WORDS or name.casefold() in stop or len(name) < 4:
            continue
        found = _towns_in(gaz, name, country)
        if admin1s:
            found = [c for c in found if any(same_division(c.admin1, a) for a in admin1s)]
        elif len(found) > 1:
            continue
        if not found:
            continue
        best = max(found, key=lambda c: (c.feature_code.startswith("PPL"), c.population, -c.index))
        seen.add(start)
        out.append(best.as_place(start, end, text))
    return out


@functools.cache
def event_tiers() -> dict[str, int]:
    """ISO alpha-2 -> how many conflict and protest events the country sees, as a tier 0-3
    (``event_countries.yaml``; 0 when not listed)."""
    from ..errors import KnowledgeError
    from .knowledge import _yaml

    data, where = _yaml("event_countries.yaml")
    if not isinstance(data, dict):
        raise KnowledgeError(f"{where}: expected a mapping of tiers to country codes")
    out: dict[str, int] = {}
    for tier, codes in data.items():
        if tier not in (1, 2, 3) or not isinstance(codes, list):
            raise KnowledgeError(f"{where}: {tier!r}: expected a tier 1-3 with a list of codes")
        for code in codes:
            if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{2}", code):
                raise KnowledgeError(f"{where}: {code!r} is not an ISO 3166-1 alpha-2 code")
            if code in out:
                raise KnowledgeError(f"{where}: {code!r} is listed twice")
            out[code] = tier
    return out


@functools.cache
def theatre_areas() -> dict[str, tuple[str, ...]]:
    """Theatre name -> the first-level divisions it acts in (``theatre_areas.yaml``)."""
    from ..errors import KnowledgeError
    from .knowledge import _yaml

    data, where = _yaml("theatre_areas.yaml")
    if not isinstance(data, dict):
        raise KnowledgeError(f"{where}: expected a mapping of theatre names to division lists")
    known = theatre_names()
    out: dict[str, tuple[str, ...]] = {}
    for name, divisions in data.items():
        if name not in known:
            raise KnowledgeError(f"{where}: {name!r} is not a theatre of theatres.yaml")
        if not isinstance(divisions, list) or not all(
            isinstance(d, str) and d.strip() for d in divisions
        ):
            raise KnowledgeError(f"{where}: {name!r}: expected a list of division names")
        out[name] = tuple(divisions)
    return out


def areas_in(text: str) -> dict[str, tuple[str, ...]]:
    """ISO alpha-2 -> the provinces the theatres named in the text act in."""
    areas = theatre_areas()
    out: dict[str, list[str]] = {}
    for start, end, cc in theatres_in(text):
        for d in areas.get(text[start:end], ()):
            if d not in out.setdefault(cc, []):
                out[cc].append(d)
    return {cc: tuple(ds) for cc, ds in out.items()}


_BEFORE_BRACKET_NAME = re.compile(r"[A-Z][\w'\u2019-]*\s*$")


def bracket_divisions(
    gaz: Gazetteer,
    text: str,
    span: tuple[int, int],
    covered: list[tuple[int, int]],
    country: str | None,
) -> list[Place]:
    """Divisions named in ACLED's brackets in ``span`` that no mention covers ("(Hodan,
    Banadir)": Somalia's Banaadir), for an event with no other place: in ``country``, or
    with none, a division name of one country only."""
    from .knowledge import division_abbreviations

    out: list[Place] = []
    s, e = span
    for m in _ANY_BRACKET.finditer(text, s, e):
        for start, name in _bracket_parts(text, m):
            end = start + len(name)
            if any(a < end and start < b for a, b in covered):
                continue
            abbr = division_abbreviations().get(name) if name.isupper() else None
            if abbr is not None and (country is None or abbr[0] == country):
                # "in Sidhauli (UP)": a state's abbreviation after a village's name
                if _BEFORE_BRACKET_NAME.search(text, max(0, m.start() - 40), m.start()):
                    div = gaz.admin1_entry(*abbr)
                    if div is not None:
                        out.append(div.as_place(start, end, text))
                continue
            if len(name) < 4 or not name[0].isupper() or name.isupper() or len(name) > 40:
                continue
            divs = [
                c
                for c in _candidates(gaz, name)
                if c.feature_code in ADMIN1_CODES
                or c.feature_code in ADMIN2_CODES
                or c.feature_code == "ADMD"
            ]
            if country is not None:
                divs = [c for c in divs if c.country_code == country]
            elif len({c.country_code for c in divs}) != 1:
                continue
            if divs:
                best = max(divs, key=lambda c: (c.population, -c.index))
                out.append(best.as_place(start, end, text))
    return out
