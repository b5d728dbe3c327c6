"""Rows from real GeoNames dumps, in the formats geonames.org publishes them.

- ``allCountries.zip`` / ``cities500.zip`` / ``XX.zip`` (or the ``.txt`` inside): the main
  table, tab-separated, 19 columns (geonameid, name, asciiname, alternatenames, latitude,
  longitude, feature class, feature code, country code, cc2, admin1..4 codes, population,
  elevation, dem, timezone, modification date);
- ``admin1CodesASCII.txt``: ``CC.A1`` -> name, ascii name, geonameid;
- ``admin2Codes.txt``: ``CC.A1.A2`` -> name, ascii name, geonameid;
- ``alternateNamesV2.zip`` (or ``.txt``): alternateNameId, geonameid, language, name,
  isPreferredName, isShortName, isColloquial, isHistoric, from, to. English, unlabelled and
  abbreviation names are kept; historic and colloquial ones are not.

Only the features an event can happen at are kept: countries and divisions (class A),
populated places (P), and areas, islands, regions and the like (L, T, some S and H codes).
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from ..errors import GazetteerError
from .gazetteer import Row
from .knowledge import bare_division_name

log = logging.getLogger(__name__)

KEEP_CLASSES = frozenset({"A", "P"})
KEEP_CODES = frozenset(
    {
        "RGN",
        "AREA",
        "ISL",
        "ISLS",
        "PEN",
        "VAL",
        "MT",
        "MTS",
        "PLN",
        "DSRT",
        "OAS",
        "CAPE",
        "AIRP",
        "CMP",
        "CMPRF",
        "MILB",
        "INSM",
        "PRT",
        "PRSN",
        "DAM",
        "BDG",
        "STM",
        "LK",
        "BAY",
        "GULF",
        "SEA",
        "CNL",
        "PRK",
        "RSV",
        "CONT",
        "ZN",
        "ZNB",
    }
)
ALT_LANGS = frozenset({"", "en", "abbr"})


def _lines(path: Path, member_hint: str | None = None) -> Iterator[str]:
    """Text lines of a dump file, reading a ``.zip`` member without unpacking it to disk."""
    try:
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as zf:
                names = [
                    n for n in zf.namelist() if n.endswith(".txt") and "readme" not in n.lower()
                ]
                if member_hint:
                    names = [n for n in names if member_hint.lower() in n.lower()] or names
                if not names:
                    raise GazetteerError(f"{path}: the archive holds no .txt table")
                with zf.open(names[0]) as raw:
                    yield from io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        else:
            with open(path, encoding="utf-8", newline="\n") as fh:
                yield from fh
    except (OSError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise GazetteerError(f"cannot read the GeoNames file {path}: {exc}") from exc


def _kind(path: Path) -> str:
    n = path.name.lower()
    if n.startswith("admin1codes"):
        return "admin1"
    if n.startswith("admin2codes"):
        return "admin2"
    if n.startswith("alternatenames"):
        return "alternates"
    return "main"


def _code_names(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for lineno, line in enumerate(_lines(path), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 3:
            raise GazetteerError(f"{path}:{lineno}: expected code, name, ascii name, geonameid")
        out[cols[0]] = cols[2] or cols[1]
    return out


def _alternates(path: Path, wanted: set[int] | None) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    for lineno, line in enumerate(_lines(path, "alternateNames"), start=1):
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 4:
            raise GazetteerError(f"{path}:{lineno}: not an alternateNames row")
        lang = cols[2]
        if lang not in ALT_LANGS:
            continue
        if len(cols) > 7 and (cols[6] == "1" or cols[7] == "1"):
            continue  # colloquial or historic
        try:
            gid = int(cols[1])
        except ValueError as exc:
            raise GazetteerError(f"{path}:{lineno}: bad geonameid {cols[1]!r}") from exc
        if wanted is not None and gid not in wanted:
            continue
        out[gid].append(cols[3])
    return out


def dump_rows(files: list[Path]) -> Iterator[Row]:
    """Rows from GeoNames dump files (see the module docstring for what is kept)."""
    mains = [f for f in files if _kind(f) == "main"]
    if not mains:
        raise GazetteerError(
            "no GeoNames main table given: pass allCountries.zip or cities500.zip "
            "(admin codes and alternate names are additions to it)"
        )
    admin1: dict[str, str] = {}
    admin2: dict[str, str] = {}
    alt_files = []
    for f in files:
        if not f.exists():
            raise GazetteerError(f"{f}: no such file")
        kind = _kind(f)
        if kind == "admin1":
            admin1.update(_code_names(f))
        elif kind == "admin2":
            admin2.update(_code_names(f))
        elif kind == "alternates":
            alt_files.append(f)

    rows: list[Row] = []
    for f in mains:
        for lineno, line in enumerate(_lines(f), start=1):
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 15:
                raise GazetteerError(f"{f}:{lineno}: expected the 19 columns of a GeoNames table")
            fclass, fcode = cols[6], cols[7]
            if fclass not in KEEP_CLASSES and fcode not in KEEP_CODES:
                continue
            try:
                gid = int(cols[0])
                lat, lon = float(cols[4]), float(cols[5])
                pop = int(cols[14] or 0)
            except ValueError as exc:
                raise GazetteerError(f"{f}:{lineno}: bad number ({exc})") from exc
            cc = cols[8]
            a1 = admin1.get(f"{cc}.{cols[10]}") if cols[10] else None
            a2 = admin2.get(f"{cc}.{cols[10]}.{cols[11]}") if cols[11] else None
            if fcode.startswith("ADM1") and a1 is None:
                a1 = cols[2] or cols[1]
            if fcode.startswith("ADM2") and a2 is None:
                a2 = cols[2] or cols[1]
            alts = [a for a in cols[3].split(",") if a] if cols[3] else []
            if cols[2] and cols[2] != cols[1]:
                alts.append(cols[2])
            if fclass == "A":
                # "Muhafazat Hadramawt" is also "Hadramawt"
                bare = bare_division_name(cols[2] or cols[1])
                if bare:
                    alts.append(bare)
            rows.append(Row(gid, cols[1], lat, lon, fcode or fclass, cc, a1, a2, pop, alts))
    if alt_files:
        wanted = {r.geonameid for r in rows if r.geonameid is not None}
        extra: dict[int, list[str]] = defaultdict(list)
        for f in alt_files:
            for gid, names in _alternates(f, wanted).items():
                extra[gid].extend(names)
        for r in rows:
            if r.geonameid in extra:
                r.alternate_names.extend(extra[r.geonameid])
    log.info("read %d GeoNames rows from %d file(s)", len(rows), len(files))
    yield from rows
