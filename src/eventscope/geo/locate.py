"""Event location: the place where an event happened, with ACLED's fields.

ACLED codes the most precise place where the event happened, not the place a report was
filed from or a country merely mentioned. The cascade:

1. places named in the event's sentence, demonyms and continents left out, with the towns the
   recognizer left out that a locative word or ACLED's brackets introduce, looked for in the
   country the text votes for and its provinces (:func:`.context.scan`; "in Tall Abyad in
   ar-Raqqah"), and with nothing else the divisions ACLED names in brackets
   (:func:`.context.bracket_divisions`); each town re-resolved inside the province named after
   it ("Bagcilar, Istanbul"); among them the one a locative word introduces ("in", "at",
   "near") and the most specific one (a town before its district, province or country: "in
   Mamou town (Mamou-Centre, Mamou)" is Mamou town), a dateline ("KABUL (Reuters) -") only when
   nothing else is named;
2. else the places of the sentences right before and after it;
3. else the article's main place: the most specific place of its most named country;
4. the place chosen is then checked against the rest of the text (:mod:`.context`): a
   namesake outside the province named after it gives way to the town of that name in the
   province's country, or to the province ("El Alto, La Paz"); a namesake of an ambiguous
   name gives way to the town of that name in the country every other mention votes for
   ("San Juan (San Juan) ... Chimbas" is Argentina's); a town outside the provinces of a
   theatre named in the text to the town of that name inside them, or to the first of them
   ("the OSCE SMM observed ... near Orikhove");
5. else a country only: from a force or mission of one theatre in the sentence ("the OSCE SMM"
   is Ukraine, at the first province of its area), a demonym in the sentence ("Syrian
   forces"), the nationality in the actor's name ("Military Forces of Egypt"), or those of
   the article, at precision 3.

As in ACLED's codebook, an event known only at district, province or country level keeps the
division as its ``location`` (and ``geonameid``) but takes the coordinates of the division's
capital (here: its largest town, or the national capital). A province standing in for a
village the gazetteer lacks gets precision 2, as ACLED's coders, who knew the village, most
often give.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from ..records import Article, Event, Place
from .context import (
    areas_in,
    bracket_divisions,
    containers,
    countries_named,
    country_votes,
    division_countries,
    event_tiers,
    in_one_country,
    is_ambiguous,
    pick_in,
    same_division,
    scan,
    theatres_in,
)
from .gazetteer import ADMIN1_CODES, ADMIN2_CODES, COUNTRY_CODES, Gazetteer, name_key
from .relative import division_level, moved, precision, relation

_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|near|outside|inside|on|into|around|across|of|from|to|towards|throughout)"
    r"\s+(?:the\s+)?(?:(?:\w+\s+){0,2}(?:of\s+)?)?$",
    re.I,
)
_TIGHT_LOCATIVE = re.compile(
    r"\b(?:in|at|near|outside|inside|on|around|throughout)\s+(?:the\s+)?"
    # "in East Aifat district", "in northern Homs"
    r"(?:(?:north|south|east|west|central|northern|southern|eastern|western)\s+)?$",
    re.I,
)
_ORIGIN_BEFORE = re.compile(r"\b(?:from|to|towards|toward)\s+(?:the\s+)?$", re.I)
_ACTOR_NOUN_AFTER = re.compile(
    r"(?:'s|\u2019s)?\s+(?:troops|forces|soldiers|army|military|marines|navy|air force|embassy|"
    r"ambassador|officials?|government|citizens?|nationals?|state department|president|"
    r"authorities|media|press|warplanes|aircraft|jets|drones?|advisers|advisors|diplomats?|"
    r"envoy|minister|ministry|coalition|-led)\b",
    re.I,
)
# "the army of South Sudan", "forces of the Government of Yemen": the same nationality as actor;
# "the Central Bank of Libya": an institution, not where it happened
_ACTOR_NOUN_BEFORE = re.compile(
    r"\b(?:troops|forces|soldiers|army|armies|military|navy|air force|embassy|ambassador|"
    r"government|president|authorities|ministry|minister|police|coalition|"
    # an institution named after its country: "outside the Central Bank of Libya (Tripoli)"
    r"bank|university|parliament|council|court)\s+of\s+(?:the\s+)?$",
    re.I,
)
_SUBPLACE_AFTER = re.compile(
    r"\s+(?:neighbou?rhood|community|quarter|street|road|avenue|market|mall|square|suburb|"
    r"colony|estate|block|sector|cemetery)\b",
    re.I,
)
# ACLED's coders say where they put an event: "in Kalamaria [coded to Thessaloniki]"
_CODED_TO = re.compile(r"\[\s*coded\s+(?:to|as|in|at)\s+([^\]]{2,120})\]", re.I)
# "in Durango, Torreon, and Gomez Palacio": a list goes on after the place
_LIST_GOES_ON = re.compile(r"\s*(?:,\s*(?:(?:and|or|AND|OR)\s+)?|\s+(?:and|or|AND|OR)\s+)[A-Z]")
# "near Balad district of Salahuddin province", "in Sumer village in Tuz district of Kirkuk":
# a name a tight locative introduces, then its kind and the division it lies in
_GOVERNED_DIVISION = re.compile(
    r"\b(?:in|at|near|outside)\s+(?:the\s+)?(?:[A-Z][\w'\u2019-]*\s+){1,4}"
    r"(?:district|sub-district|subdistrict|town|village|area|city|county|township|camp)"
    r"\s+(?:of|in)\s+(?:the\s+)?$"
)
# "in Yenimahalle, Ankara": a name the gazetteer lacks, then the town or province around it
_GOVERNED_COMMA = re.compile(
    r"\b(?:in|at|near|outside)\s+(?:the\s+)?(?:[A-Z][\w'\u2019-]*\s+){0,3}[A-Z][\w'\u2019-]*"
    r"(?=(,\s+)$)"
)
# "Bar Elias", "Kan Pauk Taung village", "Nyaung Pin Zay ward": the name goes on after the
# mention (the recognizer or the gazetteer knew only its first words). Not a word naming what
# the place is ("Mrauk-U Township"), nor a month, a weekday or a word that starts a sentence
# the note forgot the full stop before ("in Bagcilar, Istanbul The attack caused")
_NAME_GOES_ON = re.compile(
    r"[ \t]+(?!(?:Town|Township|District|State|Province|Region|Governorate|County|City|"
    r"Municipality|Rural|Sub-Metropolitan|Metropolitan|LGA|Division|Subdivision|Department|"
    r"Prefecture|Camp|Village|Area|Zone|Sector|Oblast|Raion|Upazila|Tehsil|Commune|"
    r"January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|The|A|An|In|On|At|"
    r"He|She|It|They|This|These|Those|There|Police|Security|Military|No|One|Two|Three)\b)"
    r"[A-Z][a-z]"
)
_SUBPLACE_BEFORE = re.compile(r"\b(?:barangay|colonia|bairro|quartier|mahalla|hay)\s+$", re.I)
_DATELINE_AFTER = re.compile(
    r"^\s*(?:,\s*[A-Z][\w .]*)?\s*(?:\([^)]{1,40}\)\s*)?(?:-|\u2014|\u2013|:)"
)


# the country the rest of the text votes for must beat the chosen place's by this much
# (:func:`.context.country_votes`) before the place is looked for there
_SWITCH_MARGIN = 0.2
# a town abroad of fewer people than this gives way to the country the note's wording belongs
# to (theatres.yaml) when that country has no place of its name (see _in_context)
_SMALL_TOWN = 100_000
# a quarter the gazetteer knows this close to the town named after it is coded itself
_QUARTER_KM = 15.0
# how much a tier of event_countries.yaml adds to a country's votes: a tenth of an
# unambiguous place's vote, so that it only breaks near-ties between namesake divisions
_TIER_WEIGHT = 0.1
# a town this close to the point of the province named after it is in it, whatever province
# the gazetteer files it under (GeoNames keeps some towns under divisions since split)
_STALE_PROVINCE_KM = 150.0


def _specificity(p: Place) -> int:
    code = p.feature_code or ""
    if code in COUNTRY_CODES or code == "CONT":
        return 0
    if code in ADMIN1_CODES or code in ("ADMD", "RGN"):
        return 1
    if code in ADMIN2_CODES:
        return 2
    return 3


_CONTAINER_GAP = re.compile(
    r"[\s\w]*?[,(]\s*(?:the\s+)?|\s+(?:(?:city|town|village|area|camp|district)\s+)?"
    r"(?:in|of)\s+(?:the\s+)?",
    re.I,
)


_PAREN_OPEN_BEFORE = re.compile(
    r"\b(?:in|at|near|outside)\s+(?:the\s+)?(?:[\w'\u2019-]+\s+){0,4}[\w'\u2019-]+\s*\([^()]*$",
    re.I,
)


_AFTER_A_NAME = re.compile(r"[A-Z][\w'\u2019-]+(?:\s+[\w'\u2019-]+){0,3},\s+$")


def _in_brackets(text: str, start: int) -> bool:
    """The offset lies inside a parenthesis opened at most 80 characters before it, or comes
    right after another name as its container ("in Namak Ab district, Takhar")."""
    before = text[max(0, start - 80) : start]
    return before.rfind("(") > before.rfind(")") or bool(_AFTER_A_NAME.search(before))


def _governed_parenthesis(text: str, start: int) -> bool:
    """The place sits in a parenthesis that follows a name a locative word introduced."""
    return bool(_PAREN_OPEN_BEFORE.search(text[max(0, start - 80) : start]))


def _inside(a: Place, b: Place) -> bool:
    """Whether place ``a`` plausibly lies in ``b`` (a country, province, district or town)."""
    if a.country_code != b.country_code:
        return False
    code = b.feature_code or ""
    if code in COUNTRY_CODES:
        return True
    if code in ADMIN1_CODES:
        return a.admin1 == b.admin1
    if a.latitude is None or b.latitude is None or a.longitude is None or b.longitude is None:
        return True
    if a.admin1 is not None and a.admin1 == b.admin1:
        # a district named by a town of its province: "Hingorja town (Khairpur, Sindh)",
        # whichever Khairpur of Sindh the gazetteer has
        return True
    # a town or district: within 150 km of its point (ACLED's "(Jamshoro, Sindh)" names a
    # district by its seat; Sehwan lies 130 km from Jamshoro town)
    return _km(a.latitude, a.longitude, b.latitude, b.longitude) <= 150.0


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def is_dateline(text: str, p: Place) -> bool:
    """A place at the very start of the text followed by a dash or a news agency."""
    if p.start > 3:
        return False
    return bool(_DATELINE_AFTER.match(text[p.end : p.end + 60]))


class Locator:
    """Puts events where they happened (see the module docstring)."""

    def __init__(
        self, gazetteer: Gazetteer, demonym_spans: set[tuple[str, int, int]] | None = None
    ):
        self.gaz = gazetteer

    def is_demonym(self, text: str, p: Place) -> bool:
        """A nationality, not a place: a demonym ("Turkish forces"), or a country named as the
        owner of a force or a weapon ("a US drone strike", "U.S. troops", "forces of Turkey")."""
        if name_key(p.text) in self.gaz.demonyms:
            return True
        return (p.feature_code or "") in COUNTRY_CODES and bool(
            _ACTOR_NOUN_AFTER.match(text, p.end)
            or _ACTOR_NOUN_BEFORE.search(text[max(0, p.start - 30) : p.start])
        )

    def _inside_named(self, text: str, a: Place, b: Place) -> bool:
        """Whether the province written after ``a`` contains it while the mention ``b`` only
        covers part of that name ("Cali, Valle del Cauca": Valle is no province of Honduras
        here)."""
        if not a.country_code:
            return False
        for cs, ce, name in containers(text, a):
            if not (cs <= b.start and b.end <= ce and ce - cs > b.end - b.start):
                continue
            div = pick_in(self.gaz, name, a.country_code, divisions=True)
            if div is not None and same_division(a.admin1, div.admin1 or div.name):
                return True
        return False

    def _rank(self, text: str, cands: list[Place], sent_start: int) -> Place | None:
        if not cands:
            return None
        # Containers named right after a place ("X, Y", "X (Y, Z)", "X town in Y") fill the
        # admin fields; they are not the location. A place that does not lie in the container
        # named after it was misread (a namesake elsewhere): the container is the better guess.
        contained = set()
        misread = set()
        stands_for: dict[int, Place] = {}
        for a, b in zip(cands, cands[1:], strict=False):
            gap = text[a.end : b.start]
            if len(gap) <= 20 and _CONTAINER_GAP.fullmatch(gap or "x"):
                if _specificity(b) < _specificity(a) or (
                    b.country_code == a.country_code and _specificity(b) <= _specificity(a)
                ):
                    if _inside(a, b) or self._inside_named(text, a, b):
                        contained.add(id(b))
                    else:
                        misread.add(id(a))
                        if a.country_code != b.country_code:
                            # either may be the namesake abroad ("Valdivia, Los Rios")
                            contained.add(id(b))
                        else:
                            # the container of the same country stands in for a namesake of
                            # the place ("Khogyani district, Nangarhar"), introduced as it
                            # was ("in San Felipe, Hidalgo": Hidalgo, not "the Mexico road")
                            stands_for[id(b)] = a

        def locative(p: Place) -> float:
            before = text[max(0, p.start - 30) : p.start]
            if _TIGHT_LOCATIVE.search(before):
                return 3.0
            if _governed_parenthesis(text, p.start):
                return 2.5  # "in Dumba (Mobbar LGA, Borno)": the province of an unknown village
            if _GOVERNED_DIVISION.search(text, max(0, p.start - 80), p.start):
                return 2.5  # "near Balad district of Salahuddin province": the same
            m = _GOVERNED_COMMA.search(text, max(0, p.start - 80), p.start)
            if (
                m
                and not any(c.end == m.end() for c in cands)
                and not _LIST_GOES_ON.match(text, p.end)
            ):
                return 2.5  # "in Yenimahalle, Ankara", Yenimahalle unknown: the same
            if _ORIGIN_BEFORE.search(before):
                return 0.3  # "came from Lima": where people came from, not the event
            if _LOCATIVE_BEFORE.search(before):
                return 1.5
            return 0.0

        coded = [m.span(1) for m in _CODED_TO.finditer(text)]

        def near_next(p: Place) -> bool:
            """The place lies within a few km of the next town named right after it."""
            nxt = next((q for q in cands if q.start >= p.end), None)
            return (
                nxt is not None
                and nxt.start - p.end <= 40
                and _specificity(nxt) == 3
                and p.latitude is not None
                and p.longitude is not None
                and nxt.latitude is not None
                and nxt.longitude is not None
                and _km(p.latitude, p.longitude, nxt.latitude, nxt.longitude) <= _QUARTER_KM
            )

        def key(p: Place) -> tuple[float, int]:
            before = text[max(0, p.start - 30) : p.start]
            s = locative(p)
            if any(a <= p.start < b for a, b in coded):
                s += 6.0
            if id(p) in stands_for:
                s = max(s, locative(stands_for[id(p)]))
            if id(p) in contained:
                s -= 4.0
            if id(p) in misread:
                s -= 8.0
            if _ACTOR_NOUN_AFTER.match(text, p.end) or (
                (p.feature_code or "") in COUNTRY_CODES and _ACTOR_NOUN_BEFORE.search(before)
            ):
                # "U.S. troops", "Turkish forces": a nationality, not where it happened
                s -= 3.0
            if (
                _SUBPLACE_AFTER.match(text, p.end) or _SUBPLACE_BEFORE.search(before)
            ) and not near_next(p):
                # "Cidade Nova neighborhood", "Barangay Marbel": ACLED codes the town around it
                # (unless the gazetteer knows the quarter itself, next to that town: "the
                # Beit Hanina neighbourhood of Jerusalem")
                s -= 2.5
            spec = _specificity(p)
            if spec == 3:
                # "in Al Bayda governorate": the province, ranked as one, not its namesake town
                spec = division_level(text, p) or spec
            s += 0.8 * spec
            if is_dateline(text, p):
                s -= 6.0
            if _NAME_GOES_ON.match(text, p.end):
                s -= 8.0  # as misread as a namesake outside its province
            # earlier in the sentence is where ACLED notes and news leads put the place
            s -= 0.006 * (p.start - sent_start)
            return (s, -p.start)

        return max(cands, key=key)

    def locate(self, event: Event, doc, places: list[Place], article: Article) -> None:
        text = article.text
        s = event.sentence_start if event.sentence_start is not None else 0
        e = event.sentence_end if event.sentence_end is not None else len(text)
        real = [
            p
            for p in places
            # a continent or a region across borders ("Lake Chad") gives no country to code
            if p.latitude is not None
            and p.country_code
            and p.feature_code != "CONT"
            and not self.is_demonym(text, p)
        ]
        in_sent = [p for p in real if s <= p.start < e]
        demonyms = {id(p) for p in places if self.is_demonym(text, p)}
        votes = country_votes(self.gaz, text, places, demonyms, (s, e))
        top = max(sorted(votes), key=lambda c: votes[c], default=None)
        # towns the recognizer left out, looked for in the country the text is about
        admin1s = {
            p.admin1 for p in real if p.country_code == top and p.admin1 and _specificity(p) > 0
        }
        covered = [(p.start, p.end) for p in places]
        in_sent += scan(self.gaz, text, (s, e), covered, top, admin1s)
        if (
            not in_sent
            and top is not None
            and all(id(p) in demonyms for p in places if p.country_code == top)
            and not any(t[2] == top for t in theatres_in(text))
        ):
            # "a Turkish army column entered Atarib": only a nationality voted for the
            # country, a foreign force's; a town named in one country only is where it happened
            in_sent = scan(self.gaz, text, (s, e), covered, None, set())
        if not in_sent:
            # "at a checkpoint in Mogadishu-Hodan district (Hodan, Banadir)":
            # nothing recognized but ACLED's divisions
            in_sent = bracket_divisions(self.gaz, text, (s, e), covered, top)
        in_sent.sort(key=lambda p: (p.start, p.end))
        chosen = self._rank(text, [self._in_province(text, p, in_sent) for p in in_sent], s)
        if chosen is None and doc is not None:
            chosen = self._rank(text, self._neighbour_places(doc, real, s, e), s)
        if chosen is None and real:
            chosen = self._main_place(text, real)
        if chosen is not None and _specificity(chosen) == 0:
            # "the biggest marihuana bust in Jamaica" after "in Spur Tree, Manchester parish":
            # the country's place named elsewhere in the text says where in it
            # (named before the event's sentence or in it: a town of the country named further
            # on belongs to what the text goes on to tell, "gathered in Morocco on Wednesday"
            # ... "In Casablanca in 2003, five suicide bombers")
            inner = [
                p
                for p in real
                if p.country_code == chosen.country_code and _specificity(p) and p.start < e
            ]
            if inner:
                chosen = self._main_place(text, inner) or chosen
        if chosen is not None:
            named = self._namesake_division(text, chosen, places, demonyms, (s, e))
            chosen = self._in_context(text, named, votes, real, s, e, settled=named is not chosen)
            self._fill(event, text, chosen, real, s, e)
            return
        self._country_only(event, text, places, s, e)

    def _namesake_division(
        self,
        text: str,
        chosen: Place,
        places: list[Place],
        demonyms: set[int],
        sentence: tuple[int, int],
    ) -> Place:
        """ "in Wulugu (West Mamprusi, North East)": a division named after an unknown
        village stands in for it; when divisions of several countries bear its name, the
        country the rest of the text votes for, the resolver's choice counting no more than
        the others (it weighs population, which a division created since the GeoNames
        extract lacks), with near-ties broken by how many events each country sees."""
        if _specificity(chosen) not in (1, 2) or not _in_brackets(text, chosen.start):
            return chosen
        ccs = division_countries(self.gaz, chosen.text)
        if len(ccs) < 2 or chosen.country_code not in ccs:
            return chosen
        votes = country_votes(self.gaz, text, places, demonyms, sentence, resolved_bonus=False)
        tiers = event_tiers()

        def key(c: str) -> tuple[float, bool]:
            return (votes.get(c, 0.0) + _TIER_WEIGHT * tiers.get(c, 0), c == chosen.country_code)

        best = max(sorted(ccs), key=key)
        if best == chosen.country_code:
            return chosen
        # (the division, or the town it is named after: "Beja" of Tunisia is filed as a town)
        found = pick_in(self.gaz, chosen.text, best, divisions=True)
        if found is None or found.is_country:
            return chosen
        return found.as_place(chosen.start, chosen.end, text)

    def _in_context(
        self,
        text: str,
        chosen: Place,
        votes: dict[str, float],
        real: list[Place],
        s: int,
        e: int,
        *,
        settled: bool = False,
    ) -> Place:
        """The chosen place checked against the rest of the text (:mod:`.context`): put in the
        country the text votes for, and inside the province named after it; a ``settled``
        place keeps its country."""
        gaz = self.gaz
        cc = chosen.country_code or ""
        # "El Alto, La Paz": a town the place named after it does not contain is a
        # namesake; the town of that name in the container's country is meant
        conts = [
            (cs, ce, name)
            for cs, ce, name in containers(text, chosen)
            # "(UP)": an abbreviation the recognizer reads, not a name to look up
            if len(name) >= 4 and not name.isupper()
        ]
        agrees = any(
            p.country_code == cc and p.start < ce and cs < p.end
            for p in real
            for cs, ce, _name in conts
        )
        if (
            not settled
            and _specificity(chosen) == 3
            and conts
            and not agrees
            # a name of one country only is no namesake ("Batibo subdivision (Momo,
            # Nord-Ouest)": Cameroon's province, named in French)
            and not in_one_country(gaz, chosen.text)
        ):
            # a province of that name if there is one ("La Paz" is Bolivia's, not a town of
            # Peru), else any place
            around = set().union(
                *(division_countries(gaz, n) or countries_named(gaz, n) for _s, _e, n in conts)
            )
            if (
                around
                and cc not in around
                and not any(pick_in(gaz, n, cc) is not None for _s, _e, n in conts)
            ):
                cs, ce, name = conts[0]

                def size(c: str) -> int:
                    found = pick_in(gaz, name, c, divisions=True)
                    return found.population if found is not None else 0

                # the container's country: the one with the largest division of that name
                # (the votes count the misread town itself)
                c = min(around, key=lambda c: (-size(c), -votes.get(c, 0.0), c))
                found = pick_in(gaz, chosen.text, c, divisions=False)
                if found is not None:
                    chosen = found.as_place(chosen.start, chosen.end, text)
                    settled = True
                else:
                    # the town is not in the gazetteer: the container stands in for it
                    stand = pick_in(gaz, name, c, divisions=True)
                    if stand is not None and not stand.is_country:
                        chosen = stand.as_place(cs, ce, text)
                        settled = True
                cc = chosen.country_code or ""
        best = max(sorted(votes), key=lambda c: (votes[c], c == cc), default=cc)
        if (
            not settled
            and best != cc
            and votes[best] > votes.get(cc, 0.0) + _SWITCH_MARGIN
            # a name found in one country only is no namesake to correct, unless the
            # divisions named after it lie elsewhere ("Qayfa area (Wald Rabi, Al Bayda)")
            and (
                not in_one_country(gaz, chosen.text)
                or any(
                    best in division_countries(gaz, name)
                    and cc not in division_countries(gaz, name)
                    for _cs, _ce, name in containers(text, chosen)
                )
            )
        ):
            found = pick_in(gaz, chosen.text, best, divisions=_specificity(chosen) < 3)
            if found is not None:
                chosen = found.as_place(chosen.start, chosen.end, text)
            else:
                # another place of that country, never the bare country: a country named in
                # a note is as often a foreign actor ("Bank Saderat Iran")
                pool = [p for p in real if p.country_code == best and _specificity(p) > 0]
                other = self._rank(text, [p for p in pool if s <= p.start < e], s)
                if other is None and pool:
                    other = self._main_place(text, pool)
                if (
                    other is None
                    and not in_one_country(gaz, chosen.text)
                    and any(t[2] == best for t in theatres_in(text))
                ):
                    # "near Hardiya area (Bara district) ... Rural Municipality-2": a namesake
                    # abroad of a place the gazetteer lacks, in a note whose wording belongs to
                    # one country (theatres.yaml); that country, named in the text, stands in
                    # for it. (A country named in news is as often where a meeting or a foreign
                    # actor is: "the San Jose meeting" in a report from El Salvador.)
                    other = next(
                        (p for p in real if p.country_code == best and _specificity(p) == 0),
                        None,
                    )
                if other is not None:
                    chosen = other
            cc = chosen.country_code or ""
        if (
            not settled
            and best != cc
            and votes[best] > votes.get(cc, 0.0) + _SWITCH_MARGIN
            and _specificity(chosen) == 3
            and (chosen.population or 0) < _SMALL_TOWN
            and any(t[2] == best for t in theatres_in(text))
            and pick_in(gaz, chosen.text, best, divisions=True) is None
        ):
            # "a bus was torched at Rampura" in a note about the Awami League: a town abroad of
            # under 100,000 whose name is found in one country only, while the note's wording
            # belongs to another (theatres.yaml) that lacks the name, is a place the gazetteer
            # lacks there: the event is put in that country, at country precision, not abroad
            home = gaz.country(best)
            if home is not None:
                chosen = home.as_place(chosen.start, chosen.end, text)
                cc = best
        area = areas_in(text).get(cc, ())
        if (
            area
            and _specificity(chosen) == 3
            and not any(same_division(chosen.admin1, a) for a in area)
        ):
            # "the OSCE SMM observed ... near Orikhove": the Orikhove of the mission's area
            for a in area:
                inside = pick_in(gaz, chosen.text, cc, admin1=a, divisions=False)
                if inside is not None:
                    return inside.as_place(chosen.start, chosen.end, text)
            # a village of the area the gazetteer lacks: the area's first province stands in
            # for the namesake far from it (as for a report of the theatre naming no place)
            province = gaz.admin1_entry(cc, area[0])
            if province is not None:
                return province.as_place(chosen.start, chosen.end, text)
        if _specificity(chosen) == 3:
            sentence = [p for p in real if s <= p.start < e]
            chosen = self._in_province(text, chosen, sentence, stand_in=True)
        return chosen

    def _in_province(
        self, text: str, place: Place, sentence: list[Place], *, stand_in: bool = False
    ) -> Place:
        """ "Bagcilar, Istanbul", "Kamyanka, Donetsk": the town of that name inside the
        province named after it (or after another mention of it in the sentence); when the
        province has none and ``stand_in`` is set, the province stands in for a namesake
        elsewhere."""
        if _specificity(place) != 3 or not place.country_code:
            return place
        gaz = self.gaz
        cc = place.country_code
        key = name_key(place.text)
        named = [place] + [p for p in sentence if p is not place and name_key(p.text) == key]
        for mention in named:
            for cs, ce, name in reversed(containers(text, mention)):
                div = pick_in(gaz, name, cc, divisions=True)
                if div is None or not (
                    div.feature_code in ADMIN1_CODES or div.feature_code.startswith("PPL")
                ):
                    continue
                province = div.name if div.feature_code in ADMIN1_CODES else div.admin1
                if not province or same_division(place.admin1, province):
                    return place
                inside = pick_in(gaz, place.text, cc, admin1=province, divisions=False)
                if inside is not None:
                    return inside.as_place(place.start, place.end, text)
                if (
                    stand_in
                    and is_ambiguous(gaz, place.text)
                    and (
                        place.latitude is None
                        or place.longitude is None
                        or _km(place.latitude, place.longitude, div.latitude, div.longitude)
                        > _STALE_PROVINCE_KM
                    )
                ):
                    # (a town near the province's point was filed under an older province:
                    # Valdivia under Los Lagos, not Los Rios)
                    return div.as_place(cs, ce, text)
                # a name borne by one place only was not misread: the note's province is
                # wrong ("Buni Yadi (Gujiba LGA, Borno)" is in Yobe)
                return place
        return place

    def _named(self, p: Place) -> bool:
        """Whether the text of ``p`` is a name (or a spelling) of the division it resolved to,
        not a town the gazetteer lacks that was put in its province."""
        gaz = self.gaz
        key = name_key(p.text)
        for i in (*gaz.lookup_key(key), *gaz.lookup_loose(key)):
            if gaz._cc[i] == p.country_code and gaz._admin1[i] == p.admin1:
                return True
        return False

    def _neighbour_places(self, doc, real: list[Place], s: int, e: int) -> list[Place]:
        prev_start, next_end = s, e
        if not (doc.has_annotation("SENT_START") or doc.has_annotation("DEP")):
            return []  # a pipeline without sentence boundaries: go on to the article's place
        for sent in doc.sents:
            if sent.end_char <= s:
                prev_start = sent.start_char
            elif sent.start_char >= e:
                next_end = sent.end_char
                break
        return [p for p in real if prev_start <= p.start < next_end and not (s <= p.start < e)]

    def _main_place(self, text: str, real: list[Place]) -> Place | None:
        counts = Counter(p.country_code for p in real if p.country_code)
        if not counts:
            return None
        top_cc = counts.most_common(1)[0][0]
        pool = [p for p in real if p.country_code == top_cc and not is_dateline(text, p)]
        if not pool:
            pool = [p for p in real if p.country_code == top_cc]
        freq = Counter(p.geonameid or p.name for p in pool)
        return max(pool, key=lambda p: (_specificity(p) > 0, freq[p.geonameid or p.name], -p.start))

    def _fill(self, event: Event, text: str, p: Place, real: list[Place], s: int, e: int) -> None:
        gaz = self.gaz
        rel = relation(text, p)
        event.location = p.name
        event.latitude = p.latitude
        event.longitude = p.longitude
        event.geonameid = p.geonameid
        event.country_code = p.country_code
        event.country = gaz.country_name(p.country_code)
        code = p.feature_code or ""
        event.admin1 = p.admin1 if code not in COUNTRY_CODES else None
        event.admin2 = p.admin2 if code not in COUNTRY_CODES and code not in ADMIN1_CODES else None
        event.geo_precision = precision(p, rel)
        if event.geo_precision == 3 and code in ADMIN1_CODES and not self._named(p):
            # "in Tocuyito, Trujillo state" with Tocuyito unknown: the town was put in the
            # province it is said to be in (geo/resolve.py); ACLED codes such an event near the
            # town, at precision 2, as for the bracketed case below
            event.geo_precision = 2
        if event.geo_precision == 3 and code not in COUNTRY_CODES and _in_brackets(text, p.start):
            # "in Rubaya (Masisi, Nord-Kivu)" with Rubaya unknown: ACLED knew the village and
            # codes it, or a town near it, at precision 2 more often than the province at 3
            # (ACLED 2020 dev: 66 events of precision 2, 59 of 1, 7 of 3 among those we put
            # at a province)
            event.geo_precision = 2
        if code in ADMIN1_CODES or code in ADMIN2_CODES or code == "ADMD" or code in COUNTRY_CODES:
            # ACLED codes a district-, province- or country-level event at its capital
            seat = gaz.seat(
                p.country_code or "",
                None if code in COUNTRY_CODES else p.admin1,
                p.admin2 if code in ADMIN2_CODES else None,
            )
            if seat is not None:
                event.latitude, event.longitude = seat.latitude, seat.longitude
        if (
            (code in COUNTRY_CODES or code in ADMIN1_CODES)
            and rel.direction is not None
            and not rel.offset_km
        ):
            # "a jail in northeast Syria", "in northern Idlib": that part of the country or
            # province, not its capital (halfway from the middle of the box that holds its
            # towns to the box's edge that way)
            box = gaz.extent(p.country_code or "", None if code in COUNTRY_CODES else p.admin1)
            if box is not None:
                south, north, west, east = box
                bearing = math.radians(rel.direction)
                event.latitude = (south + north) / 2 + (north - south) / 4 * math.cos(bearing)
                event.longitude = (west + east) / 2 + (east - west) / 4 * math.sin(bearing)
        if (
            rel.direction is not None
            and rel.offset_km
            and event.latitude is not None
            and event.longitude is not None
        ):
            # "40 km north of Gorom-Gorom", "the southern countryside of Idleb"
            event.latitude, event.longitude = moved(
                event.latitude, event.longitude, rel.direction, rel.offset_km
            )
        event.add_evidence("location", p.start, p.end)
        # the country named separately in the same sentence supports the country field
        for q in real:
            if (
                q is not p
                and s <= q.start < e
                and q.country_code == p.country_code
                and ((q.feature_code or "") in COUNTRY_CODES)
            ):
                event.add_evidence("country", q.start, q.end)
                break

    def _country_only(self, event: Event, text: str, places: list[Place], s: int, e: int) -> None:
        gaz = self.gaz
        code = None
        span = None
        # a mission or force that acts in one country only ("the OSCE SMM observed ...") says
        # where better than a nationality, which often names foreign forces; the nationality
        # inside its name ("Saudi" of "Saudi-led coalition") says nothing of where
        theatres = theatres_in(text)
        th_sent = [t for t in theatres if s <= t[0] < e]
        dem = [
            p
            for p in places
            if self.is_demonym(text, p)
            and p.country_code
            and not any(t[0] <= p.start and p.end <= t[1] for t in theatres)
        ]
        in_sent = [p for p in dem if s <= p.start < e]
        if th_sent:
            code, span = th_sent[0][2], (th_sent[0][0], th_sent[0][1])
        elif in_sent:
            code, span = in_sent[0].country_code, (in_sent[0].start, in_sent[0].end)
        if code is None:
            for actor in (event.actor1, event.actor2):
                code = self._actor_country(actor)
                if code:
                    break
        if code is None and dem:
            code, span = Counter(p.country_code for p in dem).most_common(1)[0][0], None
        if code is None and theatres:
            code, span = Counter(t[2] for t in theatres).most_common(1)[0][0], None
        if code is None:
            return
        entry = gaz.country(code)
        event.country_code = code
        event.country = gaz.country_name(code)
        if entry is not None:
            event.location = entry.name
            event.latitude = entry.latitude
            event.longitude = entry.longitude
            event.geonameid = entry.geonameid
            seat = gaz.seat(code)
            if seat is not None:  # ACLED: a country-level event at the capital
                event.latitude, event.longitude = seat.latitude, seat.longitude
        event.geo_precision = 3
        area = areas_in(text).get(code, ())
        province = gaz.admin1_entry(code, area[0]) if area else None
        if province is not None:
            # a theatre that covers a few provinces: the first listed, where most of its
            # reports fall (the OSCE SMM's: Donetsk), at its seat
            event.location = province.name
            event.admin1 = province.admin1 or province.name
            event.geonameid = province.geonameid
            seat = gaz.seat(code, event.admin1)
            src = seat if seat is not None else province
            event.latitude, event.longitude = src.latitude, src.longitude
            # the report named a village of the area the gazetteer lacks, or none: ACLED
            # codes such reports near a known place (precision 2)
            event.geo_precision = 2
        if span is not None:
            event.add_evidence("country", span[0], span[1])

    def _actor_country(self, actor: str | None) -> str | None:
        """ "Military Forces of Egypt (2014-)" -> EG; "Protesters (Guinea)" -> GN."""
        if not actor:
            return None
        for m in re.finditer(r"(?:of|\()\s*([A-Z][\w' .-]+?)\s*(?:\(|\)|$)", actor):
            for c in self.gaz.lookup(m.group(1)):
                if c.is_country:
                    return c.country_code
        for word in re.findall(r"[A-Z][\w]+", actor):
            code = self.gaz.demonyms.get(name_key(word))
            if code:
                return code
        # a group named after its country: "TTP: Tehreek-i-Taliban Pakistan", "Jamaatul
        # Mujahideen Bangladesh"
        words = re.findall(r"[A-Z][\w'-]*", actor)
        for n in (3, 2, 1):
            for k in range(len(words) - n, -1, -1):
                for c in self.gaz.lookup(" ".join(words[k : k + n])):
                    if c.is_country and name_key(c.name) == name_key(" ".join(words[k : k + n])):
                        return c.country_code
        return None
