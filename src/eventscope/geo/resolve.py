"""Resolution: which gazetteer entry each place mention refers to.

Candidates are ranked the way a careful reader would:

1. **prior**: population (log scale) and feature type — a country or a first-level division
   is what a bare name usually means ("Georgia" in world news, "Texas"), then capitals, cities,
   districts;
2. **the name as written**: an entry whose main name is the mention beats one that merely
   lists it among alternate names;
3. **places named beside it**: "Derrag, Medea, Algeria", "Kabizo village (Rutshuru, Nord-Kivu)",
   "Athens, Ga.": a candidate inside the division or country named right after it wins;
4. **the article's context**: countries and first-level divisions that the article names
   unambiguously (including demonyms) lift candidates inside them;
5. **one sense per article**: the same name resolves the same way throughout an article,
   unless a place beside it says otherwise.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

from ..records import Place
from .gazetteer import ADMIN1_CODES, ADMIN2_CODES, COUNTRY_CODES, Gazetteer
from .recognize import Mention

# Feature-type priors (added to log10 population). Measured on the dev toponym corpora: a
# country must beat a city of the same name (Georgia, Turkey, Jordan), a state or province
# must beat all but the largest cities of its name (Texas, Alberta).
FEATURE_PRIOR = {
    "CONT": 6.0,
    "PCLI": 6.0, "PCLD": 4.0, "PCLF": 4.0, "PCLS": 4.0, "TERR": 3.0,
    "ADM1": 2.5, "ADM1H": 1.0,
    "PPLC": 1.5,
    "ADM2": 0.8,
}
MAIN_NAME_BONUS = 1.0
HIERARCHY_BONUS = 6.0
COUNTRY_CONTEXT_WEIGHT = 3.0
ADMIN1_CONTEXT_WEIGHT = 2.0
# Separators that make the next mention the container of this one: "X, Y" and "X (Y".
_CONTAINER_GAP = re.compile(r"^\s*(?:,|\(|,\s*in|-)\s*(?:the\s+)?$")
_ADMIN2_GAP = re.compile(r"^\s*(?:district|province|town|village|city|county|region|area|governorate|department|prefecture|municipality|commune|territory|upazila|tehsil)?\s*(?:,|\()\s*$", re.I)


def _contains(gaz: Gazetteer, outer: int, inner: int) -> bool:
    """Whether entry ``outer`` is a country or division that contains entry ``inner``."""
    if outer == inner:
        return False
    oc, icode = gaz._fcode[outer], gaz._fcode[inner]
    if gaz._cc[outer] != gaz._cc[inner] or not gaz._cc[outer]:
        return False
    if oc in COUNTRY_CODES:
        return icode not in COUNTRY_CODES
    if oc in ADMIN1_CODES:
        return icode not in ADMIN1_CODES and icode not in COUNTRY_CODES and (
            gaz._admin1[outer] == gaz._admin1[inner]
        )
    if oc in ADMIN2_CODES:
        return icode not in ADMIN2_CODES and icode not in ADMIN1_CODES and (
            icode not in COUNTRY_CODES
            and gaz._admin1[outer] == gaz._admin1[inner]
            and gaz._admin2[outer] == gaz._admin2[inner]
        )
    if icode.startswith("PPL") and oc.startswith("PPL"):
        return False
    return False


class Resolver:
    """Ranks each mention's candidates and turns the winners into :class:`Place` records."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer

    def prior(self, i: int, key: str) -> float:
        gaz = self.gaz
        score = math.log10(gaz._pop[i] + 10) + FEATURE_PRIOR.get(gaz._fcode[i], 0.0)
        if _main_key(gaz, i) == key:
            score += MAIN_NAME_BONUS
        return score

    def resolve(self, mentions: list[Mention], text: str) -> list[Place]:
        gaz = self.gaz
        if not mentions:
            return []
        priors: list[dict[int, float]] = [
            {c: self.prior(c, m.key) for c in m.candidates} for m in mentions
        ]

        # 3. places named beside each other: X, Y / X (Y, Z)
        bonus: list[dict[int, float]] = [defaultdict(float) for _ in mentions]
        for a in range(len(mentions) - 1):
            b = a + 1
            ma, mb = mentions[a], mentions[b]
            gap = text[ma.end : mb.start]
            if len(gap) > 12 or not (_CONTAINER_GAP.match(gap) or _ADMIN2_GAP.match(gap)):
                continue
            chain = [b]
            # "X (Y, Z)": Z contains X too
            if b + 1 < len(mentions) and len(text[mb.end : mentions[b + 1].start]) <= 3:
                chain.append(b + 1)
            for c_idx in chain:
                mc = mentions[c_idx]
                best_pair = None
                best_val = -1e9
                for ca in ma.candidates:
                    for cc_ in mc.candidates:
                        if _contains(gaz, cc_, ca):
                            val = priors[a][ca] + priors[c_idx][cc_]
                            if val > best_val:
                                best_val, best_pair = val, (ca, cc_)
                if best_pair is not None:
                    bonus[a][best_pair[0]] += HIERARCHY_BONUS
                    bonus[c_idx][best_pair[1]] += HIERARCHY_BONUS

        # 4. the article's country and division context, from unambiguous mentions
        countries: Counter[str] = Counter()
        admin1s: Counter[tuple[str, str]] = Counter()
        for k, m in enumerate(mentions):
            if m.country_hint:
                countries[m.country_hint] += 1
                continue
            top = _top(priors[k], bonus[k])
            if top is None:
                continue
            ccs = {gaz._cc[c] for c in m.candidates}
            code = gaz._fcode[top]
            if len(ccs) == 1 or code in COUNTRY_CODES or code in ADMIN1_CODES or bonus[k]:
                cc = gaz._cc[top]
                if cc:
                    countries[cc] += 1
                if code in ADMIN1_CODES or bonus[k]:
                    a1 = gaz._admin1[top]
                    if a1:
                        admin1s[(cc, a1)] += 1
        total = sum(countries.values()) or 1
        a1_total = sum(admin1s.values()) or 1

        def score(k: int, c: int) -> float:
            s = priors[k][c] + bonus[k].get(c, 0.0)
            cc = gaz._cc[c]
            if cc:
                s += COUNTRY_CONTEXT_WEIGHT * countries.get(cc, 0) / total
                a1 = gaz._admin1[c]
                if a1 and gaz._fcode[c] not in ADMIN1_CODES:
                    s += ADMIN1_CONTEXT_WEIGHT * admin1s.get((cc, a1), 0) / a1_total
            return s

        chosen: list[tuple[int, float] | None] = []
        for k, m in enumerate(mentions):
            if not m.candidates:
                chosen.append(None)
                continue
            best = max(m.candidates, key=lambda c, k=k: (score(k, c), -c))
            chosen.append((best, score(k, best)))

        # 5. one sense per article, unless a neighbour fixed this mention
        by_key: dict[str, tuple[int, float]] = {}
        for k, m in enumerate(mentions):
            ch = chosen[k]
            if ch is None or bonus[k]:
                continue
            if m.key not in by_key or ch[1] > by_key[m.key][1]:
                by_key[m.key] = ch
        places: list[Place] = []
        for k, m in enumerate(mentions):
            ch = chosen[k]
            if ch is None:
                continue
            if not bonus[k] and m.key in by_key:
                ch = by_key[m.key]
            e = gaz.entry(ch[0])
            places.append(
                Place(
                    start=m.start,
                    end=m.end,
                    text=text[m.start : m.end],
                    name=e.name,
                    geonameid=e.geonameid,
                    latitude=e.latitude,
                    longitude=e.longitude,
                    country_code=e.country_code or None,
                    admin1=e.admin1,
                    feature_code=e.feature_code,
                    admin2=e.admin2,
                    population=e.population,
                    score=round(ch[1], 3),
                )
            )
        return places


def _top(prior: dict[int, float], bonus: dict[int, float]) -> int | None:
    if not prior:
        return None
    return max(prior, key=lambda c: (prior[c] + bonus.get(c, 0.0), -c))


def _main_key(gaz: Gazetteer, i: int) -> str:
    from .gazetteer import name_key

    return name_key(gaz._names[i])
