"""The embedded gazetteer: compiled once from GeoNames data, loaded in about a second.

Two ways to fill it, one resolver over both:

- :func:`build_gazetteer` compiles the GeoNames extracts that ship inside PyPI packages
  (see :mod:`.sources`): cities500 with alternate names, countries, continents, US states and
  counties, first- and second-level divisions with names taken from the cities that lie in them;
- :func:`import_geonames` compiles real GeoNames dumps (``allCountries.zip``, ``cities500.zip``,
  ``admin1CodesASCII.txt``, ``admin2Codes.txt``, ``alternateNamesV2.zip``) for users who need
  every village.

The compiled index is one file in a cache directory (``$EVENTSCOPE_HOME`` or
``~/.cache/eventscope/``), never in the repository: a numpy ``.npz`` of plain arrays (numbers,
and strings as UTF-8 bytes with their offsets), read with ``allow_pickle=False``, so a file
that someone else could write can at worst be refused, never run code. A missing or
unreadable file raises :class:`~eventscope.errors.GazetteerError` telling the user to run
``eventscope gazetteer build``; a package-built file of another format version is rebuilt.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import json
import logging
import os
import re
import time
import unicodedata
import zipfile
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import GazetteerError

if TYPE_CHECKING:
    from ..records import Place

log = logging.getLogger(__name__)

FORMAT = "eventscope-gazetteer"
FORMAT_VERSION = 7
FILE_NAME = "gazetteer.npz"
# How similar a spelling variant's name must be (difflib ratio, article removed): 0.78 admits
# "Raqqa"/"Raqqah" (0.91) and "Hasakeh"/"Hasakah" (0.86) but not "Ministers"/"Munster" (0.75).
LOOSE_SIMILARITY = 0.78

REBUILD_HINT = "run `eventscope gazetteer build` (or `eventscope gazetteer import FILE...`)"

# Feature codes of first-level, second-level and country entries (GeoNames feature class A).
COUNTRY_CODES = frozenset({"PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCL", "TERR"})
ADMIN1_CODES = frozenset({"ADM1", "ADM1H"})
ADMIN2_CODES = frozenset({"ADM2", "ADM2H"})
# A settlement listed without a size ("populated locality" in GeoNames' feature codes): the
# villages countrystatecity adds to cities500. Not known to be any division's seat.
VILLAGE_CODE = "PPLL"


def home_dir() -> Path:
    """The directory for compiled data: ``$EVENTSCOPE_HOME`` or ``~/.cache/eventscope``."""
    env = os.environ.get("EVENTSCOPE_HOME")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "eventscope"


def default_path() -> Path:
    """Where the compiled gazetteer lives unless a path is given."""
    env = os.environ.get("EVENTSCOPE_GAZETTEER")
    if env:
        return Path(env).expanduser()
    return home_dir() / FILE_NAME


_PUNCT_RE = re.compile(r"[\u2010-\u2015\-_/]+")
_DROP_RE = re.compile(r"[.'\u2018\u2019`\u00b4\u02bb\u02bc\u02be\u02bf]")
_SPACE_RE = re.compile(r"\s+")


# Share of a place's towns left out at each side of the box that holds them: the 0.5% farthest
# out (Jiangsu's box with every city is 815 km off GeoNames' point, without them 60 km).
BOX_TRIM = 0.005


def trimmed_box(lats: list[float], lons: list[float]) -> tuple[float, float, float, float] | None:
    """(south, north, west, east) of the box that holds these points, the outermost BOX_TRIM
    on each side left out (a misfiled town must not stretch it); None when the box would cross
    the date line (Chukotka, Fiji: it would be the wrong way round)."""
    la, lo = sorted(lats), sorted(lons)
    n = len(la)
    low = min(n - 1, int(BOX_TRIM * n))
    high = max(0, n - 1 - low)
    if lo[high] - lo[low] > 180.0:
        return None
    return la[low], la[high], lo[low], lo[high]


@functools.lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """The lookup key of a name: case-folded, accents stripped, hyphens as spaces, no dots.

    "Labé" and "Labe", "Nord-Kivu" and "Nord Kivu", "St. Louis" and "St Louis", "U.S." and
    "US" share a key. Recognition decides separately whether a mention's case makes it a name.
    """
    s = unicodedata.normalize("NFKD", name)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = _DROP_RE.sub("", s)
    s = _PUNCT_RE.sub(" ", s)
    return _SPACE_RE.sub(" ", s).strip().casefold()


_LOOSE_ARTICLES = (
    "al ",
    "el ",
    "ash ",
    "as ",
    "ad ",
    "ar ",
    "az ",
    "an ",
    "at ",
    "adh ",
    "ath ",
    "ad ",
    "es ",
    "ech ",
    "ed ",
    "er ",
    "et ",
)
_NON_ALNUM = re.compile(r"[^a-z0-9]")
_VOWELS = re.compile(r"[aeiouy]")
_REPEATS = re.compile(r"(.)\1+")


def _strip_article(key: str) -> str:
    for art in _LOOSE_ARTICLES:
        if key.startswith(art):
            return key[len(art) :].replace(" ", "")
    return key.replace(" ", "")


_SOFT = (
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ie", "i"),
    ("y", "i"),
    ("e", "a"),
    ("q", "k"),
    ("kh", "k"),
    ("gh", "g"),
    ("dh", "d"),
    ("th", "t"),
    ("w", "u"),
)


@functools.lru_cache(maxsize=200_000)
def loose_keys(key: str) -> tuple[str, ...]:
    """Spelling-tolerant keys of a name key, for names transliterated in several ways.

    Two keys, both without the Arabic article and doubled letters: the consonant skeleton
    ("Elenovka"/"Olenivka", "Qalqiliyah"/"Qalqilyah") and a softened spelling for short names
    whose skeleton says too little ("Ar-Raqqa"/"Ar Raqqah", "Al-Hasakeh"/"Al Hasakah").
    Keys shorter than four letters are too ambiguous to use and are left out.
    """
    base = _NON_ALNUM.sub("", _strip_article(key))
    out = []
    skel = _REPEATS.sub(r"\1", _VOWELS.sub("", base))
    if len(skel) > 4 and skel.endswith("h"):
        skel = skel[:-1]
    if len(skel) >= 4:
        out.append(skel)
    soft = base
    for a, b in _SOFT:
        soft = soft.replace(a, b)
    soft = _REPEATS.sub(r"\1", soft)
    if len(soft) > 4 and soft.endswith("h"):
        soft = soft[:-1]
    if len(soft) >= 4:
        out.append("~" + soft)
    return tuple(out)


def is_latin(name: str) -> bool:
    """True when a name is written in Latin letters (what English news text uses)."""
    for ch in name:
        if ch.isalpha() and ord(ch) > 0x24F:
            return False
    return True


@dataclass(slots=True)
class Row:
    """One gazetteer entry before compilation (GeoNames' columns that the resolver uses)."""

    geonameid: int | None
    name: str
    latitude: float
    longitude: float
    feature_code: str
    country_code: str
    admin1: str | None = None  # the division's name, not its code
    admin2: str | None = None
    population: int = 0
    alternate_names: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Entry:
    """A compiled gazetteer entry, as the resolver sees it."""

    index: int
    geonameid: int | None
    name: str
    latitude: float
    longitude: float
    feature_code: str
    country_code: str
    admin1: str | None
    admin2: str | None
    population: int

    @property
    def is_country(self) -> bool:
        return self.feature_code in COUNTRY_CODES

    @property
    def is_admin1(self) -> bool:
        return self.feature_code in ADMIN1_CODES

    @property
    def is_admin2(self) -> bool:
        return self.feature_code in ADMIN2_CODES

    def as_place(self, start: int, end: int, text: str, *, score: float | None = None) -> Place:
        """The place mention ``text[start:end]`` resolved to this entry."""
        from ..records import Place

        return Place(
            start=start,
            end=end,
            text=text[start:end],
            name=self.name,
            geonameid=self.geonameid,
            latitude=self.latitude,
            longitude=self.longitude,
            country_code=self.country_code or None,
            admin1=self.admin1,
            feature_code=self.feature_code,
            admin2=self.admin2,
            population=self.population,
            score=score,
        )


class Gazetteer:
    """Compiled entries, a name index and country facts, all in memory.

    Build it with :func:`load_gazetteer` (from a compiled file) or :meth:`from_rows`
    (tests build a tiny one from a handful of rows).
    """

    def __init__(self, data: dict[str, Any]) -> None:
        self._ids: array = data["ids"]
        self._names: list[str] = data["names"]
        self._lat: array = data["lat"]
        self._lon: array = data["lon"]
        self._fcode: list[str] = data["fcode"]
        self._cc: list[str] = data["cc"]
        self._admin1: list[str | None] = data["admin1"]
        self._admin2: list[str | None] = data["admin2"]
        self._pop: array = data["pop"]
        # a dict of tuples when compiled in memory, a _PackedIndex when read from a file
        self._index: Any = data["index"]
        self._loose: Any = data["loose"]
        #: ISO alpha-2 -> index of the country's entry
        self.countries: dict[str, int] = data["countries"]
        #: ISO alpha-2 -> English short name (ACLED style)
        self.country_names: dict[str, str] = data["country_names"]
        #: demonym key ("syrian", "syrians") -> ISO alpha-2
        self.demonyms: dict[str, str] = data["demonyms"]
        #: (ISO alpha-2, admin1 name key) -> index of the ADM1 entry
        self.admin1_entries: dict[tuple[str, str], int] = data["admin1_entries"]
        self.meta: dict[str, Any] = data.get("meta", {})
        self._seats: dict[tuple[str, str | None, str | None], int] | None = None
        self._extents: dict[tuple[str, str | None], tuple[float, float, float, float]] | None = None

    def __len__(self) -> int:
        return len(self._names)

    def entry(self, i: int) -> Entry:
        gid = self._ids[i]
        return Entry(
            index=i,
            geonameid=gid if gid > 0 else None,
            name=self._names[i],
            latitude=self._lat[i],
            longitude=self._lon[i],
            feature_code=self._fcode[i],
            country_code=self._cc[i],
            admin1=self._admin1[i],
            admin2=self._admin2[i],
            population=self._pop[i],
        )

    def lookup(self, name: str) -> list[Entry]:
        """Every entry one of whose names has the same key as ``name``."""
        return [self.entry(i) for i in self._index.get(name_key(name), ())]

    def lookup_key(self, key: str) -> tuple[int, ...]:
        """Indices of entries for an already-normalised key (the fast path)."""
        return self._index.get(key, ())

    def lookup_loose(self, key: str) -> tuple[int, ...]:
        """Entries whose name is a spelling variant of ``key``: same consonant skeleton (see
        :func:`loose_keys`) and a main name similar enough once the article is gone."""
        keys = loose_keys(key)
        if not keys:
            return ()
        want = _strip_article(key)
        out = []
        seen: set[int] = set()
        for lk in keys:
            seen.update(self._loose.get(lk, ()))
        for i in sorted(seen):
            got = _strip_article(name_key(self._names[i]))
            if difflib.SequenceMatcher(None, want, got).ratio() >= LOOSE_SIMILARITY:
                out.append(i)
        return tuple(out)

    def has_key(self, key: str) -> bool:
        return key in self._index

    def name_count(self) -> int:
        """How many distinct name keys the index holds."""
        return len(self._index)

    def country(self, code: str) -> Entry | None:
        i = self.countries.get(code)
        return None if i is None else self.entry(i)

    def country_name(self, code: str | None) -> str | None:
        if code is None:
            return None
        return self.country_names.get(code)

    def extent(
        self, code: str, admin1: str | None = None
    ) -> tuple[float, float, float, float] | None:
        """The box (south, north, west, east) that holds the towns of a country, or of one of
        its first-level divisions (:func:`trimmed_box`); None where there are fewer than five
        towns here or the box would cross the date line."""
        if self._extents is None:
            lats: dict[tuple[str, str | None], list[float]] = {}
            lons: dict[tuple[str, str | None], list[float]] = {}
            for i, fcode in enumerate(self._fcode):
                if fcode.startswith("PPL") and fcode != VILLAGE_CODE and self._cc[i]:
                    for key in ((self._cc[i], None), (self._cc[i], self._admin1[i])):
                        lats.setdefault(key, []).append(self._lat[i])
                        lons.setdefault(key, []).append(self._lon[i])
            boxes: dict[tuple[str, str | None], tuple[float, float, float, float]] = {}
            for key, la in lats.items():
                box = trimmed_box(la, lons[key]) if len(la) >= 5 else None
                if box is not None:
                    boxes[key] = box
            self._extents = boxes
        return self._extents.get((code, admin1))

    def seat(self, code: str, admin1: str | None = None, admin2: str | None = None) -> Entry | None:
        """The seat of a country (its capital), a province or a district (the town named like
        it, else its largest town).

        ACLED codes an event known only at district, province or country level at the
        district's, province's or nation's capital; the package data has no PPLA codes, so a
        division's namesake town, or failing one its largest town, stands for its capital.
        """
        if self._seats is None:
            seats: dict[tuple[str, str | None, str | None], int] = {}
            for i, fcode in enumerate(self._fcode):
                if not fcode.startswith("PPL") or fcode == VILLAGE_CODE:
                    continue
                cc, a1, a2 = self._cc[i], self._admin1[i], self._admin2[i]
                if fcode == "PPLC":
                    seats[(cc, None, None)] = i
                if a1 is None:
                    continue
                keys = [(cc, a1, None)] if a2 is None else [(cc, a1, None), (cc, a1, a2)]
                for key in keys:
                    if key not in seats or self._pop[i] > self._pop[seats[key]]:
                        seats[key] = i
            self._seats = seats
        division = admin2 if admin2 is not None else admin1
        if division is not None:
            # a town that bears the division's name is its seat more often than the largest
            # town is ("Sikasso", "Idlib", "Puri", "Zacatecas": capitals named like their
            # region; Fresnillo is larger than Zacatecas)
            from .knowledge import bare_division_name

            own = name_key(bare_division_name(division) or division)
            namesakes = [
                i
                for i in self._index.get(own, ())
                if self._fcode[i].startswith("PPL")
                and self._fcode[i] != VILLAGE_CODE
                and self._cc[i] == code
                and self._admin1[i] == admin1
                and (admin2 is None or self._admin2[i] == admin2)
                and name_key(self._names[i]) == own
            ]
            if namesakes:
                return self.entry(max(namesakes, key=lambda i: (self._pop[i], -i)))
        found = self._seats.get((code, admin1, admin2))
        return None if found is None else self.entry(found)

    def admin1_entry(self, code: str, admin1: str | None) -> Entry | None:
        if admin1 is None:
            return None
        i = self.admin1_entries.get((code, name_key(admin1)))
        return None if i is None else self.entry(i)

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[Row],
        *,
        country_names: dict[str, str] | None = None,
        demonyms: dict[str, str] | None = None,
        meta: dict[str, Any] | None = None,
    ) -> Gazetteer:
        """Compile rows in memory (what :func:`build_gazetteer` writes to disk)."""
        return cls(compile_rows(rows, country_names=country_names, demonyms=demonyms, meta=meta))


def compile_rows(
    rows: Iterable[Row],
    *,
    country_names: dict[str, str] | None = None,
    demonyms: dict[str, str] | None = None,
    meta: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Turn rows into the column lists and the name index that :class:`Gazetteer` holds."""
    ids = array("q")
    lat = array("d")
    lon = array("d")
    pop = array("q")
    names: list[str] = []
    fcode: list[str] = []
    cc: list[str] = []
    admin1: list[str | None] = []
    admin2: list[str | None] = []
    index: dict[str, list[int]] = {}
    countries: dict[str, int] = {}
    admin1_entries: dict[tuple[str, str], int] = {}
    interned: dict[str, str] = {}

    def intern(s: str | None) -> str | None:
        if s is None:
            return None
        return interned.setdefault(s, s)

    for row in rows:
        if _SEP in f"{row.name}{row.admin1}{row.admin2}":
            # (the compiled file separates strings with it; no real name holds it)
            row.name = row.name.replace(_SEP, "")
            row.admin1 = None if row.admin1 is None else row.admin1.replace(_SEP, "")
            row.admin2 = None if row.admin2 is None else row.admin2.replace(_SEP, "")
        i = len(names)
        ids.append(row.geonameid or 0)
        names.append(row.name)
        lat.append(round(row.latitude, 5))
        lon.append(round(row.longitude, 5))
        fcode.append(intern(row.feature_code) or "")
        cc.append(intern(row.country_code) or "")
        admin1.append(intern(row.admin1))
        admin2.append(intern(row.admin2))
        pop.append(int(row.population or 0))
        keys = {name_key(row.name)}
        for alt in row.alternate_names:
            if alt and is_latin(alt):
                keys.add(name_key(alt))
        keys.discard("")
        for k in keys:
            index.setdefault(k, []).append(i)
        if row.feature_code in COUNTRY_CODES and row.country_code:
            # The sovereign entry wins over a dependency sharing the code.
            if row.country_code not in countries or row.feature_code == "PCLI":
                countries[row.country_code] = i
        if row.feature_code in ADMIN1_CODES and row.country_code:
            for k in keys:
                admin1_entries.setdefault((row.country_code, k), i)
    frozen = {k: tuple(v) for k, v in index.items()}
    loose: dict[str, set[int]] = {}
    for k, v in frozen.items():
        # a village of unknown size is known by its listed spelling only: read loosely, such
        # names turn ethnonyms and surnames into places ("Qiang" as Qiyang)
        known = [i for i in v if fcode[i] != VILLAGE_CODE]
        if not known:
            continue
        for lk in loose_keys(k):
            loose.setdefault(lk, set()).update(known)
    loose_frozen = {k: tuple(sorted(v)) for k, v in loose.items()}
    names_by_cc = dict(country_names or {})
    for code, i in countries.items():
        names_by_cc.setdefault(code, names[i])
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "ids": ids,
        "names": names,
        "lat": lat,
        "lon": lon,
        "fcode": fcode,
        "cc": cc,
        "admin1": admin1,
        "admin2": admin2,
        "pop": pop,
        "index": frozen,
        "loose": loose_frozen,
        "countries": countries,
        "country_names": names_by_cc,
        "demonyms": dict(demonyms or {}),
        "admin1_entries": admin1_entries,
        "meta": dict(meta or {}),
    }


# Separates the strings of one column in the compiled file (names never hold it: see
# compile_rows, which drops control characters from names).
_SEP = "\x00"


class _PackedIndex:
    """A name index read from the compiled file: its keys in sorted order, and for each key a
    slice of one flat list of entry numbers. A key is found by bisection (no hash table to
    build at load: the index has half a million keys); its tuple is made when looked up."""

    __slots__ = ("_keys", "_off", "_flat")

    def __init__(self, keys: list[str], offsets: list[int], flat: list[int]) -> None:
        self._keys = keys  # sorted (see _pack_index)
        self._off = offsets
        self._flat = flat

    def _row(self, key: str) -> int | None:
        r = bisect.bisect_left(self._keys, key)
        return r if r < len(self._keys) and self._keys[r] == key else None

    def get(self, key: str, default: tuple[int, ...] = ()) -> tuple[int, ...]:
        r = self._row(key)
        if r is None:
            return default
        return tuple(self._flat[self._off[r] : self._off[r + 1]])

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._row(key) is not None

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def items(self) -> Iterator[tuple[str, tuple[int, ...]]]:
        for r, key in enumerate(self._keys):
            yield key, tuple(self._flat[self._off[r] : self._off[r + 1]])


def _pack_strings(values: Sequence[str]) -> np.ndarray:
    return np.frombuffer(_SEP.join(values).encode("utf-8"), dtype=np.uint8)


def _unpack_strings(arr: np.ndarray, n: int) -> list[str]:
    if n == 0:
        return []
    out = arr.tobytes().decode("utf-8").split(_SEP)
    if len(out) != n:
        raise ValueError(f"expected {n} strings, found {len(out)}")
    return out


def _pack_column(values: Sequence[str | None]) -> tuple[np.ndarray, np.ndarray]:
    """A column of few distinct values (feature codes, countries, divisions): the distinct
    values and one code per entry (-1 for None)."""
    distinct: dict[str, int] = {}
    codes = np.fromiter(
        (-1 if v is None else distinct.setdefault(v, len(distinct)) for v in values),
        dtype=np.int32,
        count=len(values),
    )
    return _pack_strings(list(distinct)), codes


def _unpack_column(vals: np.ndarray, codes: np.ndarray, n_vals: int) -> list[Any]:
    table: list[str | None] = [*_unpack_strings(vals, n_vals), None]
    # code -1 picks the None at the end of the table
    return list(map(table.__getitem__, codes.tolist()))


def _pack_index(index: Any) -> dict[str, np.ndarray]:
    keys = sorted(index)
    offsets = np.zeros(len(keys) + 1, dtype=np.int64)
    flat: list[int] = []
    for r, key in enumerate(keys):
        flat.extend(index.get(key, ()))
        offsets[r + 1] = len(flat)
    return {
        "keys": _pack_strings(keys),
        "offsets": offsets,
        "flat": np.asarray(flat, dtype=np.int32),
    }


def _write(data: dict[str, Any], path: Path) -> Path:
    """Write compiled data as a numpy ``.npz`` of plain arrays (no pickled objects)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    n = len(data["names"])
    facts = {
        "format": data["format"],
        "version": data["version"],
        "entries": n,
        "countries": data["countries"],
        "country_names": data["country_names"],
        "demonyms": data["demonyms"],
        "admin1_entries": [[cc, key, i] for (cc, key), i in sorted(data["admin1_entries"].items())],
        "meta": data.get("meta", {}),
    }
    arrays: dict[str, np.ndarray] = {
        "ids": np.asarray(data["ids"], dtype=np.int64),
        "lat": np.asarray(data["lat"], dtype=np.float64),
        "lon": np.asarray(data["lon"], dtype=np.float64),
        "pop": np.asarray(data["pop"], dtype=np.int64),
        "names": _pack_strings(data["names"]),
    }
    for col in ("fcode", "cc", "admin1", "admin2"):
        vals, codes = _pack_column(data[col])
        arrays[f"{col}_values"] = vals
        arrays[f"{col}_codes"] = codes
        facts[f"{col}_distinct"] = int(codes.max(initial=-1)) + 1
    for name in ("index", "loose"):
        for part, arr in _pack_index(data[name]).items():
            arrays[f"{name}_{part}"] = arr
        facts[f"{name}_keys"] = len(data[name])
    arrays["facts"] = np.frombuffer(json.dumps(facts).encode("utf-8"), dtype=np.uint8)
    # (one temporary file per process: two processes rebuilding at once must not interleave)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        np.savez(fh, **arrays)  # type: ignore[arg-type]
    os.replace(tmp, path)  # atomic: a reader never sees half a file
    _load.cache_clear()
    return path


def _read(path: Path) -> dict[str, Any]:
    """The compiled data of a file written by :func:`_write` (raises ValueError, KeyError or
    OSError on anything else)."""
    with np.load(path, allow_pickle=False) as z:
        facts = json.loads(z["facts"].tobytes().decode("utf-8"))
        if not isinstance(facts, dict) or facts.get("format") != FORMAT:
            return {"format": None}
        if facts.get("version") != FORMAT_VERSION:
            return {"format": FORMAT, "version": facts.get("version"), "meta": facts.get("meta")}
        n = int(facts["entries"])
        data: dict[str, Any] = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "ids": z["ids"].tolist(),
            "lat": z["lat"].tolist(),
            "lon": z["lon"].tolist(),
            "pop": z["pop"].tolist(),
            "names": _unpack_strings(z["names"], n),
        }
        for col in ("fcode", "cc", "admin1", "admin2"):
            data[col] = _unpack_column(
                z[f"{col}_values"], z[f"{col}_codes"], int(facts[f"{col}_distinct"])
            )
        for name in ("index", "loose"):
            data[name] = _PackedIndex(
                _unpack_strings(z[f"{name}_keys"], int(facts[f"{name}_keys"])),
                z[f"{name}_offsets"].tolist(),
                z[f"{name}_flat"].tolist(),
            )
    if not all(len(data[c]) == n for c in ("ids", "lat", "lon", "pop", "fcode", "cc")):
        raise ValueError("columns of different lengths")
    data["countries"] = facts["countries"]
    data["country_names"] = facts["country_names"]
    data["demonyms"] = facts["demonyms"]
    data["admin1_entries"] = {(cc, key): int(i) for cc, key, i in facts["admin1_entries"]}
    data["meta"] = facts.get("meta") or {}
    return data


def build_gazetteer(path: Path | None = None) -> Path:
    """Compile the gazetteer from GeoNames data shipped in PyPI packages; return its path."""
    from .sources import package_country_facts, package_rows

    target = Path(path) if path is not None else default_path()
    t0 = time.perf_counter()
    country_names, demonyms = package_country_facts()
    rows = list(package_rows())
    meta = {
        "source": "packages",
        "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "entries": len(rows),
    }
    data = compile_rows(rows, country_names=country_names, demonyms=demonyms, meta=meta)
    _write(data, target)
    log.info("built gazetteer %s: %d entries in %.1fs", target, len(rows), time.perf_counter() - t0)
    return target


def import_geonames(files: list[Path], path: Path | None = None) -> Path:
    """Compile real GeoNames dumps (published formats) into the gazetteer; return its path.

    ``files`` may hold ``allCountries.zip`` / ``cities500.zip`` (or their ``.txt``),
    ``admin1CodesASCII.txt``, ``admin2Codes.txt`` and ``alternateNamesV2.zip``. Country names,
    country points missing from the dump and demonyms still come from the packaged data.
    """
    from .geonames_dump import dump_rows
    from .sources import package_country_facts, package_country_rows

    target = Path(path) if path is not None else default_path()
    t0 = time.perf_counter()
    country_names, demonyms = package_country_facts()
    rows = list(dump_rows([Path(f) for f in files]))
    have = {r.country_code for r in rows if r.feature_code in COUNTRY_CODES}
    rows.extend(r for r in package_country_rows() if r.country_code not in have)
    meta = {
        "source": "geonames:" + ",".join(Path(f).name for f in files),
        "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "entries": len(rows),
    }
    data = compile_rows(rows, country_names=country_names, demonyms=demonyms, meta=meta)
    _write(data, target)
    log.info(
        "imported gazetteer %s: %d entries in %.1fs", target, len(rows), time.perf_counter() - t0
    )
    return target


@functools.lru_cache(maxsize=2)
def _load(path: Path) -> Gazetteer:
    if not path.exists() and path.with_suffix(".pkl").exists() and path.suffix == ".npz":
        # the pickle of eventscope <= format 6 beside it: never read, replaced by a build
        log.warning(
            "found an old-format gazetteer %s (not read): building %s from package data",
            path.with_suffix(".pkl"),
            path,
        )
        build_gazetteer(path)
    if not path.exists():
        raise GazetteerError(f"no compiled gazetteer at {path}; {REBUILD_HINT}.")
    try:
        data = _read(path)
    except (OSError, EOFError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
        # (numpy refuses a pickled array with ValueError: a file holding one is not ours)
        raise GazetteerError(
            f"the gazetteer file {path} is corrupt or unreadable ({type(exc).__name__}); "
            f"{REBUILD_HINT}."
        ) from exc
    if data.get("format") != FORMAT:
        raise GazetteerError(f"{path} is not an eventscope gazetteer; {REBUILD_HINT}.")
    if data.get("version") != FORMAT_VERSION:
        meta = data.get("meta") or {}
        if meta.get("source") == "packages":
            # built from package data: rebuilt here, as `make install` would
            log.warning(
                "the gazetteer at %s has format version %s, this eventscope reads version %s: "
                "rebuilding it from package data (about two minutes)",
                path,
                data.get("version"),
                FORMAT_VERSION,
            )
            build_gazetteer(path)
            return _load(path)
        raise GazetteerError(
            f"the gazetteer at {path} has format version {data.get('version')}, this eventscope "
            f"reads version {FORMAT_VERSION}; {REBUILD_HINT}."
        )
    return Gazetteer(data)


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """Load (once per process and path) the compiled gazetteer."""
    return _load(Path(path) if path is not None else default_path())


def gazetteer_info(path: Path | None = None) -> dict[str, Any]:
    """What the compiled gazetteer holds: path, size, source, counts by kind, load time."""
    target = Path(path) if path is not None else default_path()
    t0 = time.perf_counter()
    gaz = load_gazetteer(target)
    load_s = time.perf_counter() - t0
    kinds = {"countries": 0, "admin1": 0, "admin2": 0, "populated_places": 0, "other": 0}
    for code in gaz._fcode:
        if code in COUNTRY_CODES:
            kinds["countries"] += 1
        elif code in ADMIN1_CODES:
            kinds["admin1"] += 1
        elif code in ADMIN2_CODES:
            kinds["admin2"] += 1
        elif code.startswith("PPL"):
            kinds["populated_places"] += 1
        else:
            kinds["other"] += 1
    return {
        "path": str(target),
        "bytes": target.stat().st_size,
        "format_version": FORMAT_VERSION,
        "entries": len(gaz),
        "names": gaz.name_count(),
        **kinds,
        "source": gaz.meta.get("source"),
        "built": gaz.meta.get("built"),
        "load_seconds": round(load_s, 3),
    }


def iter_entries(gaz: Gazetteer) -> Iterator[Entry]:
    for i in range(len(gaz)):
        yield gaz.entry(i)
