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
   unambiguously (including demonyms, and forces or missions of one theatre: "the OSCE SMM")
   lift candidates inside them; a district and a town named apart that fit into each other
   ("Walker County ... Huntsville") lift each other;
5. **one sense per article**: the same name resolves the same way throughout an article,
   unless a place beside it says otherwise.
"""

from __future__ import annotations

import functools
import math
import re
from collections import defaultdict
from collections.abc import Callable

from ..records import Place
from .gazetteer import ADMIN1_CODES, ADMIN2_CODES, COUNTRY_CODES, Gazetteer
from .knowledge import country_cues
from .recognize import Mention

# Feature-type priors (added to log10 population). Measured on the dev toponym corpora: a
# country must beat a city of the same name (Georgia, Turkey, Jordan), a state or province
# must beat all but the largest cities of its name (Texas, Alberta).
FEATURE_PRIOR = {
    "CONT": 4.0,
    "PCLI": 3.5,
    "PCLD": 2.5,
    "PCLF": 2.5,
    "PCLS": 2.5,
    "TERR": 2.0,
    "ADM1": 2.5,
    "ADM1H": 1.0,
    "PPLC": 1.0,
    "ADM2": 0.0,
    "ADMD": 2.0,
    # An airport with an IATA code is as well known as a town of some 10,000 people, and its
    # short name ("Heathrow") is never its main name
    "AIRP": 4.0,
    # a region news names as a place ("Darfur", "the Balkans"): no population to go by; as well
    # known as a town of 10,000 (the regions file lists only names used for the region)
    "RGN": 4.0,
    # a village from a list without populations (countrystatecity; geo/sources.py): below any
    # namesake of the cities500 extract, which lists every place of 500 people or more
    "PPLL": -1.0,
}
MAIN_NAME_BONUS = 1.0
# Below this prior (about 3,000 people under an exact name) a candidate is "small".
WEAK_PRIOR = 4.5
MEDIUM_PRIOR = 6.0
# A candidate found only by its spelling skeleton is worth a tenth of an exact-name one.
LOOSE_PENALTY = 1.0
HIERARCHY_BONUS = 6.0
# Context weights multiply log(1 + number of unambiguous mentions): the first mention of a
# country or province counts most, later ones less.
COUNTRY_CONTEXT_WEIGHT = 3.0
ADMIN1_CONTEXT_WEIGHT = 2.5
# A nationality word is weaker evidence of where things happen than a place name: conflict
# reports name foreign forces ("Saudi-led airstrikes", "Turkish convoys") by nationality.
DEMONYM_VOTE = 0.5
# Wording of one country's local news (data/geo/country_cues.yaml: "Sheriff", "Interstate 40",
# "Elementary School") votes for that country, each distinct pattern this much, up to one
# whole vote: a town named alone ("the Athens council") is then read there, not abroad.
CUE_VOTE = 0.5
REPEAT_WEIGHT = 0.25
DIVISION_WORD_BONUS = 2.0
ADMIN_WORDS = frozenset(
    {
        "district",
        "districts",
        "province",
        "provinces",
        "governorate",
        "region",
        "state",
        "county",
        "parish",
        "department",
        "prefecture",
        "municipality",
        "territory",
        "oblast",
        "raion",
        "division",
        "lga",
        "woreda",
        "zone",
        "upazila",
        "tehsil",
        "wilaya",
        "circle",
        "cercle",
        # the local government of an area ("Enfield Council", "Wigan Borough")
        "council",
        "borough",
        # an office of a state after its name ("New York Gov."; see STATE_OFFICE)
        "state office",
    }
)
# What recognition puts as the "division word" of a name an office of a state follows.
STATE_OFFICE = "state office"
LOCAL_GOVERNMENT_WORDS = frozenset({"council", "borough"})
# A reading abroad this much better known (prior: log10 population plus type) makes a town's
# country support count only in its share of the country's namesakes (see resolve, 4b').
# Measured on the dev toponym corpora: 2.0 (a hundredfold) lifts TR-News F1 by 0.003 and LGL
# by 0.0003; 1.0 and 3.0 each do less on TR-News.
NAMESAKE_MARGIN = 2.0
# Votes for the town's own state (beyond its own) that count as the state being named.
NAMESAKE_STATE_SUPPORT = 0.3
SETTLEMENT_WORDS = frozenset({"town", "village", "city", "settlement", "camp"})
# Two places of one article within this distance support each other (a county and its towns).
NEAR_KM = 150.0
NEAR_BONUS = 2.0
# A candidate that a district (or a town) named elsewhere in the article contains (or lies in).
NESTED_BONUS = 3.0
# Separators that make the next mention the container of this one: "X, Y" and "X (Y".
_CONTAINER_GAP = re.compile(
    r"^\s*(?:,|\(|,\s*in|-|(?:(?:city|town|village|area|camp|district)\s+)?in)\s*(?:the\s+)?$"
)
_ADMIN2_GAP = re.compile(
    r"^\s*(?:district|province|town|village|city|county|region|area|governorate|department|"
    r"prefecture|municipality|commune|territory|upazila|tehsil|lga|state|sub-county|"
    r"subdivision|sector|camp|frontline|front)?\s*(?:,|\()\s*$",
    re.I,
)


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
        return (
            icode not in ADMIN1_CODES
            and icode not in COUNTRY_CODES
            and (gaz._admin1[outer] == gaz._admin1[inner])
        )
    if oc in ADMIN2_CODES:
        return (
            icode not in ADMIN2_CODES
            and icode not in ADMIN1_CODES
            and (
                icode not in COUNTRY_CODES
                and gaz._admin1[outer] == gaz._admin1[inner]
                and gaz._admin2[outer] == gaz._admin2[inner]
            )
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

    def _priors(self, m: Mention) -> dict[int, float]:
        gaz = self.gaz
        pri = {
            c: self.prior(c, m.key) - (LOOSE_PENALTY if c in m.loose else 0.0) for c in m.candidates
        }
        # "Merida state", "Khogyani district": the word after the name says its kind
        if m.division_word in ADMIN_WORDS:
            # (a division of no fixed level, "ADMD", for the local government of an area:
            # "Enfield Council" is London's borough; "Matara district" stays GeoNames' entry)
            local = m.division_word in LOCAL_GOVERNMENT_WORDS
            for c in m.candidates:
                code = gaz._fcode[c]
                if code in ADMIN1_CODES or code in ADMIN2_CODES or (local and code == "ADMD"):
                    pri[c] += DIVISION_WORD_BONUS
        elif m.division_word in SETTLEMENT_WORDS:
            for c in m.candidates:
                if gaz._fcode[c].startswith("PPL"):
                    pri[c] += DIVISION_WORD_BONUS
        # A city named like its own province is what the name means when it is the capital of
        # the country or a large share of the province ("New York", "Washington"; but
        # "Quebec" is the province).
        # The same holds for a district named after its seat ("in Maraba, Para" is the town).
        divisions = [
            c
            for c in m.candidates
            if gaz._fcode[c] in ADMIN1_CODES or gaz._fcode[c] in ADMIN2_CODES
        ]
        if divisions:
            for c in m.candidates:
                code = gaz._fcode[c]
                if not code.startswith("PPL") or not _same_name(_main_key(gaz, c), m.key):
                    continue
                if m.division_word == STATE_OFFICE:
                    continue  # "New York Gov.": the governor is the state's, not the city's
                for a in divisions:
                    if (
                        gaz._cc[a] != gaz._cc[c]
                        or gaz._admin1[a] != gaz._admin1[c]
                        and (code != "PPLC")
                    ):
                        continue
                    if gaz._fcode[a] in ADMIN2_CODES and gaz._admin2[a] != gaz._admin2[c]:
                        continue
                    if code == "PPLC" or gaz._pop[c] >= 0.3 * gaz._pop[a]:
                        pri[c] = max(pri[c], pri[a] + 0.5)
            # A province abroad no larger than a city of its name is no better known than the
            # city: "Gaza" is the city of 400,000 before Mozambique's province of as many
            # (its towns' sum), "Portland" Oregon's city before Jamaica's parish.
            cities = [
                c
                for c in m.candidates
                if gaz._fcode[c].startswith("PPL") and _main_key(gaz, c) == m.key
            ]
            # (a name two provinces share is a province's name: "Al Jawf")
            provinces = [a for a in divisions if gaz._fcode[a] in ADMIN1_CODES]
            for a in provinces if len(provinces) == 1 else ():
                if any(
                    gaz._cc[c] != gaz._cc[a] and gaz._pop[c] >= 0.5 * gaz._pop[a] for c in cities
                ):
                    pri[a] -= FEATURE_PRIOR["ADM1"]
        return pri

    def _weak_stranger(
        self,
        k: int,
        m: Mention,
        c: int,
        priors: list[dict[int, float]],
        bonus: list[dict[int, float]],
        countries: dict[str, float],
        own_c: list[dict[str, float]],
    ) -> bool:
        """A small namesake abroad that nothing else in the article supports is a misreading.

        "Khetolai village (Jaisalmer, Rajasthan)" is not Khiitola in Russia, "Sahara in Aleppo"
        not a hamlet in Yemen: when the only reading of a mention is a small place (or a mere
        spelling variant) in a country no other mention points to, while the article is about
        another country, the mention is left unresolved rather than put on the wrong continent.
        """
        if m.country_hint or bonus[k]:
            return False
        gaz = self.gaz
        cc = gaz._cc[c]
        loose_only = bool(m.loose) and all(x in m.loose for x in m.candidates)
        prior = priors[k].get(c, MEDIUM_PRIOR)
        # "Choro village" says the place is a village, not that it is a large one
        if m.division_word in SETTLEMENT_WORDS and gaz._fcode[c].startswith("PPL"):
            prior -= DIVISION_WORD_BONUS
        elif m.division_word in ADMIN_WORDS and (
            gaz._fcode[c] in ADMIN1_CODES or gaz._fcode[c] in ADMIN2_CODES
        ):
            prior -= DIVISION_WORD_BONUS
        if loose_only:
            # a mere spelling variant is not trusted against the article's context, however
            # large the place it spells
            prior = min(prior, WEAK_PRIOR - 0.01)
        if not cc or prior >= MEDIUM_PRIOR:
            return False
        here = countries.get(cc, 0.0) - own_c[k].get(cc, 0.0)
        if here >= 0.5:
            return False
        elsewhere = max(
            (v - own_c[k].get(code, 0.0) for code, v in countries.items() if code != cc),
            default=0.0,
        )
        # a small place needs one other mention against it, a town of up to ~100,000 two
        # (a nationality word alone was tried as enough against a small place, DEMONYM_VOTE:
        # on the ACLED tuning notes it cost country accuracy, 0.9398 -> 0.9388 for 2020 and
        # 0.7335 -> 0.7315 for Asia 2015: "Turkish forces shelled <village>" names a foreign
        # force as often as "a Pakistani soldier was killed in <village>" names a local one)
        return elsewhere >= 0.9 if prior < WEAK_PRIOR else elsewhere >= 1.8

    def resolve(self, mentions: list[Mention], text: str) -> list[Place]:
        gaz = self.gaz
        if not mentions:
            return []
        priors: list[dict[int, float]] = [self._priors(m) for m in mentions]

        # 3. places named beside each other: X, Y / X (Y, Z)
        bonus: list[dict[int, float]] = [defaultdict(float) for _ in mentions]
        orphans: set[int] = set()
        in_state: dict[int, int] = {}
        # names of forces and missions ("Rafi LGA") give context only, never a container
        seq = [k for k, m in enumerate(mentions) if m.source != "theatre"]
        for pos in range(len(seq) - 1):
            a, b = seq[pos], seq[pos + 1]
            ma, mb = mentions[a], mentions[b]
            gap = text[ma.end : mb.start]
            if len(gap) > 12 or not (_CONTAINER_GAP.match(gap) or _ADMIN2_GAP.match(gap)):
                continue
            chain = [b]
            # "X (Y, Z)": Z contains X too
            if pos + 2 < len(seq) and len(text[mb.end : mentions[seq[pos + 2]].start]) <= 3:
                chain.append(seq[pos + 2])
            held = any(_contains(gaz, cc_, ca) for cc_ in mb.candidates for ca in ma.candidates)
            if (
                mb.candidates
                and not held
                and any(
                    gaz._fcode[c] in ADMIN1_CODES or gaz._fcode[c] in COUNTRY_CODES
                    for c in mb.candidates
                )
                and not {gaz._cc[ca] for ca in ma.candidates} & {gaz._cc[c] for c in mb.candidates}
                and all(
                    gaz._fcode[ca] not in COUNTRY_CODES and gaz._fcode[ca] != "CONT"
                    for ca in ma.candidates
                )
                and not ma.country_hint
            ):
                # "Mambasa, Nord-Kivu", "Monterrey, Hidalgo": the province is certain and no
                # reading of the name lies in it, so the name is a place the gazetteer lacks
                orphans.add(a)
            elif (
                ma.candidates
                and mb.candidates
                and not ma.country_hint
                and all(gaz._fcode[ca].startswith("PPL") for ca in ma.candidates)
                and not held
            ):
                # "Holliday, Mo.": the state is named and no town of the name lies in it (the
                # gazetteer lacks this one; its namesake is in Texas): the town is put in the
                # state it is said to be in, at the state's precision
                state = max(mb.candidates, key=lambda c: (priors[b][c], -c))
                if gaz._fcode[state] in ADMIN1_CODES and any(
                    gaz._cc[ca] == gaz._cc[state] for ca in ma.candidates
                ):
                    in_state[a] = state
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

        # 4. the article's country and division context. Every mention votes for the countries
        # (and provinces) its candidates lie in, in proportion to how likely each candidate is
        # on its own (population and type: 10 ** score); a candidate is then lifted by the
        # votes of the *other* mentions for its country and province. An unambiguous mention
        # casts a whole vote; "Georgia" splits its vote and cannot confirm itself.
        countries: dict[str, float] = defaultdict(float)
        admin1s: dict[tuple[str, str], float] = defaultdict(float)
        own_c: list[dict[str, float]] = []
        own_a: list[dict[tuple[str, str], float]] = []
        # a name votes once however often it is repeated ("Hat police station (Hat, ...)"
        # must not confirm itself)
        first_of_key: dict[str, int] = {}
        repeats: dict[str, int] = defaultdict(int)
        for k, m in enumerate(mentions):
            first_of_key.setdefault(m.key, k)
            repeats[m.key] += 1
        for k, m in enumerate(mentions):
            if first_of_key[m.key] != k:
                own_c.append(own_c[first_of_key[m.key]])
                own_a.append(own_a[first_of_key[m.key]])
                continue
            vc: dict[str, float] = defaultdict(float)
            va: dict[tuple[str, str], float] = defaultdict(float)
            if not m.votes:
                pass
            elif m.country_hint:
                vc[m.country_hint] = DEMONYM_VOTE if m.source == "demonym" else 1.0
                if m.source == "abbreviation":
                    # "S.C.", "Ky.": the style-guide abbreviation names the state itself
                    for c in m.candidates:
                        a1 = gaz._admin1[c]
                        if a1 and gaz._fcode[c] in ADMIN1_CODES:
                            va[(gaz._cc[c], a1)] = 1.0
            elif m.candidates:
                vals = {c: priors[k][c] + bonus[k].get(c, 0.0) for c in m.candidates}
                top = max(vals.values())
                weights = {c: 10 ** (v - top) for c, v in vals.items()}
                total_w = sum(weights.values())
                for c, w in weights.items():
                    cc = gaz._cc[c]
                    if not cc:
                        continue
                    vc[cc] = max(vc[cc], 0.0) + w / total_w
                    a1 = gaz._admin1[c]
                    if a1 and gaz._fcode[c] not in COUNTRY_CODES:
                        va[(cc, a1)] += w / total_w
            # a country named again and again is what the article is about ("Canada" three
            # times lifts "London" in Ontario): repeats add a little, never confirming
            # the name itself (its own share is taken out whole)
            rep = 1.0 + REPEAT_WEIGHT * math.log(repeats[m.key])
            for cc, v in vc.items():
                countries[cc] += min(v, 1.0) * rep
            for key, v in va.items():
                admin1s[key] += min(v, 1.0) * rep
            own_c.append({cc: min(v, 1.0) * rep for cc, v in vc.items()})
            own_a.append({key: min(v, 1.0) * rep for key, v in va.items()})

        cues = _cue_votes(text)
        for cc, v in cues.items():
            countries[cc] += v

        # 4a. a district and a town named anywhere in the article that fit into each other
        # ("Walker County ... Huntsville": Huntsville, Texas lies in Walker County, Texas)
        districts: dict[tuple[str, str | None, str | None], set[str]] = defaultdict(set)
        towns: dict[tuple[str, str | None, str | None], set[str]] = defaultdict(set)
        for m in mentions:
            if m.country_hint or m.context_only:
                continue
            for c in m.candidates:
                a2 = gaz._admin2[c]
                if a2 is None:
                    continue
                where = (gaz._cc[c], gaz._admin1[c], a2)
                if gaz._fcode[c] in ADMIN2_CODES:
                    districts[where].add(m.key)
                elif gaz._fcode[c].startswith("PPL"):
                    towns[where].add(m.key)

        def nested(k: int, c: int) -> bool:
            a2 = gaz._admin2[c]
            if a2 is None or mentions[k].country_hint:
                return False
            where = (gaz._cc[c], gaz._admin1[c], a2)
            other = districts if gaz._fcode[c].startswith("PPL") else towns
            if gaz._fcode[c] not in ADMIN2_CODES and not gaz._fcode[c].startswith("PPL"):
                return False
            own = _bare_key(mentions[k].key)
            # "Plymouth" and "Plymouth County" are one name: they do not confirm each other
            return any(_bare_key(o) != own for o in other.get(where, ()))

        # 4b'. namesakes of a famous place abroad. Support for a country says the article is
        # there, not which of the country's towns of one name it means: "Newark to Paris" in a
        # US story is France's capital, not one of a dozen small US Parises. So where a reading
        # abroad is far better known (NAMESAKE_MARGIN), a town's country support counts in
        # proportion to its share of its country's namesakes (by prior), unless the article
        # names its state or its district, or reads as that country's local news
        # (country_cues.yaml: "Paris Public Library ... Sheriff" stays Paris, Illinois).
        share: list[dict[int, float]] = []
        top_by_cc: list[dict[str, float]] = []
        for k, m in enumerate(mentions):
            per_cc: dict[str, float] = defaultdict(float)
            tops: dict[str, float] = {}
            for c in m.candidates:
                cc = gaz._cc[c]
                tops[cc] = max(tops.get(cc, -1e9), priors[k][c])
                if gaz._fcode[c].startswith("PPL"):
                    per_cc[cc] += 10 ** priors[k][c]
            top_by_cc.append(tops)
            share.append(
                {
                    c: 10 ** priors[k][c] / per_cc[gaz._cc[c]]
                    for c in m.candidates
                    if gaz._fcode[c].startswith("PPL")
                }
            )

        def famous_abroad(k: int, c: int) -> bool:
            cc, p = gaz._cc[c], priors[k][c]
            return any(v > p + NAMESAKE_MARGIN for o, v in top_by_cc[k].items() if o != cc)

        def score(k: int, c: int) -> float:
            s = priors[k][c] + bonus[k].get(c, 0.0)
            if nested(k, c):
                s += NESTED_BONUS
            cc = gaz._cc[c]
            if cc:
                a1 = gaz._admin1[c]
                a_others = 0.0
                if a1 and gaz._fcode[c] not in ADMIN1_CODES:
                    a_others = admin1s.get((cc, a1), 0.0) - own_a[k].get((cc, a1), 0.0)
                    s += ADMIN1_CONTEXT_WEIGHT * math.log1p(max(a_others, 0.0))
                others = countries.get(cc, 0.0) - own_c[k].get(cc, 0.0)
                if (
                    c in share[k]
                    and not cues.get(cc)
                    and a_others <= NAMESAKE_STATE_SUPPORT  # its state is not named
                    and famous_abroad(k, c)
                    and not nested(k, c)
                ):
                    others *= share[k][c]
                s += COUNTRY_CONTEXT_WEIGHT * math.log1p(max(others, 0.0))
            return s

        # 4c. a misreading casts no vote: a name whose best reading is a small place abroad that
        # nothing else in the article supports (see _weak_stranger: "Millfield Theatre" read as
        # a hamlet in Australia) is left out below, and its vote for that country goes with it
        # (only a town found under its own name: a spelling variant of a province, "Ar-Raqqa",
        # is weak evidence against the article but still a vote for where it lies; all judged
        # against the same tallies, so the order of mentions does not matter)
        misread: list[int] = []
        for k, m in enumerate(mentions):
            if first_of_key[m.key] != k or not m.candidates or m.country_hint:
                continue
            if m.loose and all(x in m.loose for x in m.candidates):
                continue
            best = _argmax(m.candidates, functools.partial(score, k))
            if gaz._fcode[best].startswith("PPL") and self._weak_stranger(
                k, m, best, priors, bonus, countries, own_c
            ):
                misread.append(k)
        for k in misread:
            for cc, v in own_c[k].items():
                countries[cc] -= v
            for akey, v in own_a[k].items():
                admin1s[akey] -= v
            own_c[k].clear()
            own_a[k].clear()

        chosen: list[tuple[int, float] | None] = []
        for k, m in enumerate(mentions):
            if not m.candidates:
                chosen.append(None)
                continue
            best = _argmax(m.candidates, functools.partial(score, k))
            chosen.append((best, score(k, best)))

        # 4b. places named in the same article lie near each other ("Edmonton, south of
        # Cairns"): a second pass lifts candidates close to the other mentions' choices.
        anchors = [
            (gaz._lat[ch[0]], gaz._lon[ch[0]], mentions[k].key)
            for k, ch in enumerate(chosen)
            if ch is not None
            and not mentions[k].country_hint
            and gaz._fcode[ch[0]] not in COUNTRY_CODES
            and gaz._fcode[ch[0]] != "CONT"
        ]
        if len(anchors) > 1:
            for k, m in enumerate(mentions):
                if len(m.candidates) < 2 or chosen[k] is None or bonus[k]:
                    continue

                def near_score(c: int, k: int = k, key: str = m.key) -> float:
                    base = score(k, c)
                    if gaz._fcode[c] in COUNTRY_CODES or gaz._fcode[c] == "CONT":
                        return base
                    lat, lon = gaz._lat[c], gaz._lon[c]
                    for alat, alon, akey in anchors:
                        if (
                            akey != key
                            and abs(alat - lat) < 1.5
                            and _km(alat, alon, lat, lon) <= NEAR_KM
                        ):
                            return base + NEAR_BONUS
                    return base

                best = _argmax(m.candidates, near_score)
                chosen[k] = (best, near_score(best))

        # 5. one sense per article, unless a neighbour fixed this mention
        by_key: dict[str, tuple[int, float]] = {}
        for k, m in enumerate(mentions):
            ch = chosen[k]
            if ch is None or bonus[k]:
                continue
            if m.key not in by_key or ch[1] > by_key[m.key][1]:
                by_key[m.key] = ch
        # a name shown to be a place the gazetteer lacks ("Hat, Al Mahrah") is that place
        # wherever the article repeats it ("Hat police station"), unless its reading is a large
        # place (then the province may be the misreading: "Tiruchirappalli, TN")
        orphan_keys = {mentions[k].key for k in orphans}
        places: list[Place] = []
        for k, m in enumerate(mentions):
            ch = chosen[k]
            if ch is None or m.context_only:
                continue
            if k in in_state:
                state = in_state[k]
                places.append(gaz.entry(state).as_place(m.start, m.end, text, score=0.0))
                continue
            if not bonus[k] and m.key in by_key:
                ch = by_key[m.key]
            if (
                k in orphans
                or (
                    m.key in orphan_keys
                    and not bonus[k]
                    and priors[k].get(ch[0], MEDIUM_PRIOR) < MEDIUM_PRIOR
                )
                or self._weak_stranger(k, m, ch[0], priors, bonus, countries, own_c)
            ):
                continue
            places.append(gaz.entry(ch[0]).as_place(m.start, m.end, text, score=round(ch[1], 3)))
        return places


def _cue_votes(text: str) -> dict[str, float]:
    """Votes for the countries whose local-news wording the text uses (CUE_VOTE a pattern)."""
    votes: dict[str, float] = defaultdict(float)
    for cc, pattern in country_cues():
        if pattern.search(text) is not None:
            votes[cc] = min(1.0, votes[cc] + CUE_VOTE)
    return votes


def _bare_key(key: str) -> str:
    """A name key without a trailing division word ("walker county" -> "walker")."""
    head, _, last = key.rpartition(" ")
    return head if head and (last in ADMIN_WORDS or last in ("co", "city")) else key


def _same_name(a: str, b: str) -> bool:
    """Equal names, or spellings of one name ("Odesa"/"Odessa")."""
    from .gazetteer import loose_keys

    return a == b or bool(set(loose_keys(a)) & set(loose_keys(b)))


def _argmax(cands: tuple[int, ...], value: Callable[[int], float]) -> int:
    """The candidate of highest value; ties go to the lower index (deterministic)."""
    return max(cands, key=lambda c: (value(c), -c))


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def _top(prior: dict[int, float], bonus: dict[int, float]) -> int | None:
    if not prior:
        return None
    return max(prior, key=lambda c: (prior[c] + bonus.get(c, 0.0), -c))


def _main_key(gaz: Gazetteer, i: int) -> str:
    from .gazetteer import name_key

    return name_key(gaz._names[i])
