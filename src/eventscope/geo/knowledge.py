"""The geo knowledge files under ``eventscope/data/geo/``: loaded once, validated on load.

Each loader raises :class:`~eventscope.errors.KnowledgeError` naming the file and the entry
that does not parse. :func:`load_all` loads every file (the test of the data uses it).
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import Any

import yaml

from ..errors import KnowledgeError

DATA_PACKAGE = "eventscope.data"


def _text(name: str) -> tuple[str, str]:
    ref = resources.files(DATA_PACKAGE) / "geo" / name
    where = f"eventscope/data/geo/{name}"
    try:
        return ref.read_text(encoding="utf-8"), where
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"{where}: cannot be read ({exc})") from exc


def _yaml(name: str) -> tuple[Any, str]:
    text, where = _text(name)
    try:
        # libyaml's safe loader when built in: the same data, ~10x faster to read
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)), where
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{where}: not valid YAML ({exc})") from exc


_ISO2 = re.compile(r"^[A-Z]{2}$")


def _iso2(value: Any, where: str, entry: str) -> str:
    if not isinstance(value, str) or not _ISO2.match(value):
        raise KnowledgeError(
            f"{where}: entry {entry!r}: {value!r} is not an ISO 3166-1 alpha-2 code"
        )
    return value


@functools.cache
def _country_names() -> dict[str, dict[str, Any]]:
    data, where = _yaml("country_names.yaml")
    if not isinstance(data, dict):
        raise KnowledgeError(f"{where}: expected a mapping of country codes")
    out: dict[str, dict[str, Any]] = {}
    for code, rec in data.items():
        _iso2(code, where, str(code))
        if not isinstance(rec, dict) or set(rec) - {"name", "aliases"}:
            raise KnowledgeError(f"{where}: entry {code!r}: expected keys 'name' and/or 'aliases'")
        name = rec.get("name")
        aliases = rec.get("aliases", [])
        if name is not None and not isinstance(name, str):
            raise KnowledgeError(f"{where}: entry {code!r}: 'name' must be a string")
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
            raise KnowledgeError(f"{where}: entry {code!r}: 'aliases' must be a list of names")
        out[code] = {"name": name, "aliases": list(aliases)}
    return out


def country_display_names() -> dict[str, str]:
    """ISO alpha-2 -> the English short name ACLED uses, where it differs from GeoNames'."""
    return {code: rec["name"] for code, rec in _country_names().items() if rec["name"]}


def country_aliases() -> dict[str, list[str]]:
    """ISO alpha-2 -> further names news text uses for the country."""
    return {code: rec["aliases"] for code, rec in _country_names().items() if rec["aliases"]}


@functools.cache
def _demonyms() -> dict[str, str | None]:
    data, where = _yaml("demonyms.yaml")
    if not isinstance(data, dict):
        raise KnowledgeError(f"{where}: expected a mapping of demonym to country code")
    out: dict[str, str | None] = {}
    for word, code in data.items():
        if not isinstance(word, str) or not word:
            raise KnowledgeError(f"{where}: entry {word!r}: the demonym must be a word")
        out[word] = None if code is None else _iso2(code, where, word)
    return out


def extra_demonyms() -> dict[str, str]:
    """Demonym -> ISO alpha-2 for the nationality words countryinfo lacks."""
    return {w: c for w, c in _demonyms().items() if c is not None}


def ambiguous_demonyms() -> frozenset[str]:
    """Nationality words that name no single country ("Kurdish", "Korean")."""
    return frozenset(w.casefold() for w, c in _demonyms().items() if c is None)


@functools.cache
def place_stopwords() -> frozenset[str]:
    """Place names that text mostly uses as common words or other names (case-folded)."""
    text, _where = _text("place_stopwords.txt")
    return frozenset(
        ln.strip().casefold() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")
    )


@functools.cache
def division_abbreviations() -> dict[str, tuple[str, str]]:
    """Style-guide abbreviation ("Ky.", "B.C.") -> (ISO alpha-2, the division's name)."""
    data, where = _yaml("state_abbreviations.yaml")
    if not isinstance(data, dict):
        raise KnowledgeError(f"{where}: expected a mapping of country codes")
    out: dict[str, tuple[str, str]] = {}
    for code, divisions in data.items():
        _iso2(code, where, str(code))
        if not isinstance(divisions, dict):
            raise KnowledgeError(f"{where}: entry {code!r}: expected division -> abbreviations")
        for name, abbrs in divisions.items():
            if not isinstance(abbrs, list) or not all(isinstance(a, str) and a for a in abbrs):
                raise KnowledgeError(
                    f"{where}: entry {code}/{name}: expected a list of abbreviations"
                )
            for a in abbrs:
                out.setdefault(a, (code, str(name)))
    return out


@functools.cache
def relative_terms() -> dict[str, Any]:
    """Direction words, proximity words and division words (see ``relative.yaml``)."""
    data, where = _yaml("relative.yaml")
    if not isinstance(data, dict):
        raise KnowledgeError(f"{where}: expected a mapping")
    for key in ("directions", "near", "divisions", "region_words"):
        if key not in data:
            raise KnowledgeError(f"{where}: missing section {key!r}")
    dirs = data["directions"]
    if not isinstance(dirs, dict):
        raise KnowledgeError(f"{where}: 'directions' must map a word to a bearing")
    for word, bearing in dirs.items():
        if not isinstance(bearing, int | float) or not 0 <= bearing < 360:
            raise KnowledgeError(f"{where}: direction {word!r}: bearing must be in [0, 360)")
    for key in ("near", "divisions", "region_words"):
        vals = data[key]
        if not isinstance(vals, list) or not all(isinstance(v, str) and v for v in vals):
            raise KnowledgeError(f"{where}: {key!r} must be a list of words")
    return data


def _affixes(filename: str) -> tuple[list[str], list[str], str]:
    """The 'prefixes' and 'suffixes' word lists of a knowledge file, checked, and its name."""
    data, where = _yaml(filename)
    if not isinstance(data, dict) or set(data) != {"prefixes", "suffixes"}:
        raise KnowledgeError(f"{where}: expected sections 'prefixes' and 'suffixes'")
    for key in ("prefixes", "suffixes"):
        vals = data[key]
        if not isinstance(vals, list) or not all(isinstance(v, str) and v.strip() for v in vals):
            raise KnowledgeError(f"{where}: {key!r} must be a list of words")
    return data["prefixes"], data["suffixes"], where


@functools.cache
def division_generic_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(prefixes, suffixes) that division names carry ("Muhafazat ...", "... Province")."""
    prefixes, suffixes, _ = _affixes("division_names.yaml")
    # Longest first, so "Provincia de" is tried before "Provincia".
    return (
        tuple(sorted(prefixes, key=len, reverse=True)),
        tuple(sorted(suffixes, key=len, reverse=True)),
    )


def bare_division_name(name: str) -> str | None:
    """The division's name without its generic word, or None when it carries none."""
    prefixes, suffixes = division_generic_words()
    for p in prefixes:
        if name.startswith(p + " ") or (p.endswith("'") and name.startswith(p)):
            rest = name[len(p) :].strip()
            return rest or None
    for s in suffixes:
        if name.endswith(" " + s):
            rest = name[: -len(s)].strip()
            return rest or None
    return None


@functools.cache
def village_division_words() -> tuple[frozenset[str], frozenset[str]]:
    """(prefixes, suffixes), as name keys, that mark a listed "city" as a division
    (``village_divisions.yaml``: "Huyện ...", "... Shi")."""
    prefixes, suffixes, where = _affixes("village_divisions.yaml")
    for key, vals in (("prefixes", prefixes), ("suffixes", suffixes)):
        bad = [v for v in vals if v != v.strip().lower()]
        if bad:
            raise KnowledgeError(f"{where}: {key!r}: {bad[0]!r} is not written as a name key")
    return frozenset(prefixes), frozenset(suffixes)


RECOGNITION_LISTS = (
    "feature_suffixes",
    "locative",
    "strong_locative",
    "connectors",
    "articles",
    "media_words",
    "speech_verbs",
    "titles",
    "place_nouns",
    "civic_words",
    "town_offices",
    "town_forces",
    "local_government",
    "division_offices",
    "compound_suffixes",
    "person_nouns",
    "feature_prefixes",
    "resident_nouns",
    "seat_institutions",
    "kin_nouns",
)


@functools.cache
def recognition_words() -> dict[str, frozenset[str]]:
    """The word lists recognition reads around a name (see ``recognition.yaml``)."""
    data, where = _yaml("recognition.yaml")
    if not isinstance(data, dict):
        raise KnowledgeError(f"{where}: expected a mapping of word lists")
    out: dict[str, frozenset[str]] = {}
    for key in RECOGNITION_LISTS:
        vals = data.get(key)
        if not isinstance(vals, list) or not all(isinstance(v, str) and v for v in vals):
            raise KnowledgeError(
                f"{where}: {key!r} must be a list of words (YAML reads "
                "unquoted on/off/yes/no/y/n as booleans: quote them)"
            )
        out[key] = frozenset(v.lower() for v in vals)
    return out


@functools.cache
def continent_adjectives() -> dict[str, str]:
    """Adjective ("European") -> the continent's GeoNames name ("Europe")."""
    data, where = _yaml("continents.yaml")
    if not isinstance(data, dict):
        raise KnowledgeError(f"{where}: expected a mapping of adjective to continent")
    out: dict[str, str] = {}
    for adj, cont in data.items():
        if not isinstance(adj, str) or not isinstance(cont, str) or not adj or not cont:
            raise KnowledgeError(f"{where}: entry {adj!r}: expected 'Adjective: Continent'")
        out[adj] = cont
    return out


@functools.cache
def theatre_names() -> dict[str, str]:
    """Name of a mission, force or country-specific division word -> ISO alpha-2 of the one
    country it acts in ("OSCE SMM" -> UA, "LGA" -> NG); see ``theatres.yaml``."""
    data, where = _yaml("theatres.yaml")
    if not isinstance(data, dict):
        raise KnowledgeError(f"{where}: expected a mapping of country code to names")
    out: dict[str, str] = {}
    for code, names in data.items():
        _iso2(code, where, str(code))
        if not isinstance(names, list) or not names:
            raise KnowledgeError(f"{where}: entry {code!r}: expected a list of names")
        for name in names:
            if not isinstance(name, str) or not name.strip():
                raise KnowledgeError(f"{where}: entry {code!r}: {name!r} is not a name")
            if name in out and out[name] != code:
                raise KnowledgeError(
                    f"{where}: entry {code!r}: {name!r} is already listed under {out[name]!r}"
                )
            out[name] = code
            if name[0].islower():
                out.setdefault(name[0].upper() + name[1:], code)
    return out


@functools.cache
def _theatre_pattern() -> re.Pattern[str]:
    names = sorted(theatre_names(), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")


def theatre_matches(text: str) -> list[tuple[int, int, str]]:
    """(start, end, ISO alpha-2) of each theatre name in the text, in order."""
    names = theatre_names()
    return [(m.start(), m.end(), names[m.group(0)]) for m in _theatre_pattern().finditer(text)]


@functools.cache
def regions() -> list[tuple[str, float, float, str, list[str]]]:
    """(name, latitude, longitude, ISO alpha-2 or "", aliases) of the regions news names as
    places that no gazetteer extract has ("Darfur", "the Balkans"); see ``regions.yaml``."""
    return [(n, la, lo, c, al) for n, la, lo, c, al, f, _a, _p in _region_records() if f == "RGN"]


def missing_places() -> list[tuple[str, float, float, str, list[str], str, str | None, int]]:
    """(name, latitude, longitude, ISO alpha-2, aliases, feature code, admin1 name, population)
    of the towns the package extracts lack ("El Alto", Bolivia); see ``regions.yaml``."""
    return [r for r in _region_records() if r[5] != "RGN"]


def _region_records() -> list[tuple[str, float, float, str, list[str], str, str | None, int]]:
    """Every entry of ``regions.yaml``, with its feature code (RGN unless given)."""
    data, where = _yaml("regions.yaml")
    if not isinstance(data, dict):
        raise KnowledgeError(f"{where}: expected a mapping of region names")
    out = []
    for name, rec in data.items():
        if not isinstance(name, str) or not isinstance(rec, dict):
            raise KnowledgeError(f"{where}: entry {name!r}: expected 'Name: {{lat, lon, ...}}'")
        if set(rec) - {"lat", "lon", "country", "aliases", "feature", "admin1", "population"}:
            raise KnowledgeError(f"{where}: entry {name!r}: unknown keys {sorted(set(rec))}")
        lat, lon = rec.get("lat"), rec.get("lon")
        if not isinstance(lat, (int, float)) or not isinstance(lon, (int, float)):
            raise KnowledgeError(f"{where}: entry {name!r}: 'lat' and 'lon' must be numbers")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise KnowledgeError(f"{where}: entry {name!r}: point out of range")
        code = rec.get("country")
        code = "" if code is None else _iso2(code, where, name)
        aliases = rec.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
            raise KnowledgeError(f"{where}: entry {name!r}: 'aliases' must be a list of names")
        feature = rec.get("feature", "RGN")
        admin1 = rec.get("admin1")
        population = rec.get("population", 0)
        if not isinstance(feature, str) or not (admin1 is None or isinstance(admin1, str)):
            raise KnowledgeError(f"{where}: entry {name!r}: 'feature', 'admin1' must be names")
        if not isinstance(population, int):
            raise KnowledgeError(f"{where}: entry {name!r}: 'population' must be a number")
        out.append((name, float(lat), float(lon), code, list(aliases), feature, admin1, population))
    return out


@functools.cache
def country_cues() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(ISO alpha-2, pattern) pairs: wording that places an article in one country."""
    data, where = _yaml("country_cues.yaml")
    if not isinstance(data, dict):
        raise KnowledgeError(f"{where}: expected a mapping of country code to patterns")
    out: list[tuple[str, re.Pattern[str]]] = []
    for code, patterns in data.items():
        cc = _iso2(code, where, str(code))
        if not isinstance(patterns, list) or not all(isinstance(p, str) and p for p in patterns):
            raise KnowledgeError(f"{where}: entry {code!r}: expected a list of patterns")
        for pat in patterns:
            try:
                out.append((cc, re.compile(pat)))
            except re.error as exc:
                msg = f"{where}: entry {code!r}: bad pattern {pat!r} ({exc})"
                raise KnowledgeError(msg) from exc
    return tuple(out)


def load_all() -> None:
    """Load and validate every geo knowledge file (raises KnowledgeError on the first bad one)."""
    country_display_names()
    country_cues()
    extra_demonyms()
    place_stopwords()
    division_abbreviations()
    relative_terms()
    division_generic_words()
    village_division_words()
    recognition_words()
    continent_adjectives()
    theatre_names()
    regions()
