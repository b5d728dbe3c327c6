"""Fatalities and injuries of one event, coded with ACLED's conventions.

The cascade, in the order :func:`count_casualties` follows it:

1. What text to read. The span itself, widened over the casualty clauses coordinated
   with it in its sentence ("2 militants were killed and [7 were wounded by an
   airstrike]"); the whole paragraph when it is an ACLED event note with a coding
   statement ("1 fatality."); when the span reports no casualty, the rest of its
   sentence ("..., and one rebel was killed") and the next one or two sentences that
   continue its story ("Three people were killed."); and victims the next sentences say
   were "also" killed. A clause telling of an ongoing activity borrows nothing.
2. The text is lower-cased (MUC-4 wire copy is ALL CAPS), ACLED's crowd-size tag
   (``[size=around 50]``) and parenthetical glosses without a casualty word are blanked.
3. Casualty statements are found with patterns over the text, not the parse, so the
   same rules run on a blank pipeline and on the full model, and cost microseconds:

   - a count after a killing verb ("killing at least 11 soldiers", "wounding 7");
   - a count before a passive or intransitive one ("3 militants were killed",
     "1 killed 3 injured", "11 soldiers lost their lives", "a man was found dead");
   - a count of casualty nouns ("12 deaths", "1 fatality", "the bodies of 3 men",
     "massacre of 12 villagers", "the death toll rose to 20");
   - a named person (a PERSON entity, when the model has NER) killed or wounded;
   - the attacker's own death ("blew himself up");
   - ACLED's own coding statements ("Unknown fatalities coded as 10",
     "20 fatalities split up between 3 events").

4. Statements that are not this event's toll are dropped: counts of things (money,
   years, ages, times, vehicles, animals), cumulative or historical totals ("since
   2015", "so far this year", a clause dated to another year), deaths named as the
   event's cause ("protested over the killing of a student"), attempts and
   counterfactuals ("attempted to kill", "would have killed"), earlier deaths ("had been
   killed"), subsets ("including 5 children", "many of them police"), and deaths the
   sentence itself says were denied.
5. The figure: an explicit total (a toll, "N fatalities", an ACLED "coded as N") wins;
   otherwise counts are summed across distinct victim groups ("3 soldiers and 2
   civilians" -> 5) and the lowest figure is kept within a group ("at least 11",
   "between 5 and 7" -> 5, "14 insurgents were killed ... another source said 12 died"
   -> 12). Anaphoric mentions ("the victim died", "killing him", "all five") count only
   when nothing else does. A stated split over K events divides the figure (ACLED codes
   each part).

Vague quantities ("dozens", "several") take the figures of ``data/numbers.yaml``, which
documents the ACLED source of each; the lexicon and number reading live in
:mod:`.casualty_lexicon`. ``fatalities`` is 0 when no death is reported; ``injuries`` is
``None`` when no injury is reported.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .casualty_lexicon import Lexicon, load_lexicon, lowest_figure, parse_number

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

log = logging.getLogger(__name__)

__all__ = [
    "Casualties",
    "Lexicon",
    "count_casualties",
    "count_text",
    "load_lexicon",
    "lowest_figure",
    "parse_number",
]


@dataclass(slots=True)
class Casualties:
    """The casualty figures of one event and the text that supports them."""

    fatalities: int  # 0 when no death reported
    injuries: int | None  # None when not reported
    fatality_spans: list[tuple[int, int]]  # char offsets in doc.text
    injury_spans: list[tuple[int, int]]


# --------------------------------------------------------------------------- mentions


@dataclass(slots=True)
class _Mention:
    kind: str  # "fatal" | "injury"
    value: int
    start: int  # local offsets of the evidence in the span text
    end: int
    noun: str | None
    role: str  # "count" | "total" | "fallback" | "joint"
    extra: bool = False  # told as additional ("also", "later", "another", "more")


_BOUNDARY = re.compile(r"[;:!?()\[\]]|\.(?=\s|$)|,\s")
_SENT_END = re.compile(r"[.!?](?=\s|$)|\n\s*\n")
_YEARISH = re.compile(r"^(?:1[89]|20)\d\d$")
_UNCERTAIN = re.compile(
    r"(?:\s*,\s*[a-z]+)*,?\s+or\s+(?:injured|wounded|captured|arrested|missing|abducted|kidnapped|detained)\b"
)
# Words that end a noun phrase before a verb: "a woman visiting from Canada was killed"
# is one phrase; "the exhibition in Ankara when he was gunned down" is not.
_NOT_IN_NP = frozenset(
    {
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "who",
        "which",
        "that",
        "were",
        "was",
        "when",
        "while",
        "after",
        "before",
        "as",
        "if",
        "because",
        "since",
        "until",
        "he",
        "she",
        "they",
        "it",
        "we",
        "said",
        "says",
        "told",
        "reported",
        "may",
        "might",
        "could",
    }
)
# Verb forms that cannot end a passive or intransitive clause: "killing", "a quick kill".
_BASE_FORMS = frozenset(
    {
        "kill",
        "kills",
        "killing",
        "injure",
        "injures",
        "injuring",
        "wound",
        "wounding",
        "hurting",
        "maiming",
        "massacring",
        "murdering",
        "executing",
        "assassinating",
        "beheading",
        "lynching",
    }
)
_ADDITIONAL = re.compile(r"\b(?:also|later|another|more|additional|further|other)\b")
_ANAPHORIC = re.compile(r"\b(?:all|the|these|those|both)\s+$")
_NOMINAL = re.compile(r"\b(?:the|of)\s+$")
_INFINITIVE = re.compile(
    r"\b(?:to|could|would|will|might|may|must|should|cannot|can|not|threatened|attempted|tried)\s+$"
)
_BASE_VERB = re.compile(
    r"(?:kill|injure|wound|murder|execute|behead|massacre|assassinate|hurt|maim|lynch|shoot)\b"
)
_MODAL_OR_PRIOR = re.compile(
    r"\b(?:(?:would|could|might|may|should|must)\s+(?:not\s+)?(?:\w+ly\s+|also\s+)?(?:have\s+)?"
    r"|had\s+(?:\w+ly\s+)?)(?:been\s+)?(?:\w+ly\s+)?$"
)
_YEAR_IN_TEXT = re.compile(r"(?<![\d.])(?<!\d,)(?:19[5-9]\d|20\d\d)(?!\d|,\d)")
_IRREGULAR_PLURALS = frozenset(
    {"people", "men", "women", "children", "police", "personnel", "troops", "staff", "folk"}
)
_RELATIVE = re.compile(r"\b(?:who|that|whom)\s+(?:was|were|had\s+been|has\s+been)\s+(?:\w+\s+)?$")
# ACLED's coding statements at the end of an event note: "1 fatality.", "2 fatalities and
# 1 injured", "Unknown fatalities coded as 10", "Fatalities split across 2 events".
_ACLED_STATEMENT = re.compile(
    r"(?:^|[.!?]\s+)(?:\d+|no|one|two|three)\s+fatalit(?:y|ies)\b"
    r"|\bfatalit(?:y|ies|es)\s+(?:(?:are|were)\s+)?(?:coded|split|spread)\b"
    r"|\bcoded\s+(?:as|to)\s+\d",
    re.IGNORECASE,
)
_CLAUSE_LEAD = re.compile(r"^[\s,;:–-]*(?:and|while|with)?\s*")
_CONSEQUENCE = re.compile(r"(?:killing|leaving|wounding|injuring|claiming)\b")
_SUPERLATIVE = re.compile(r"\b(?:deadliest|worst|bloodiest|biggest|largest|first|latest)\b")
_RUNNING_TOTAL = re.compile(r"\b(?:since|so\s+far|to\s+date)\b")
_ALSO_HIT = re.compile(
    r"\balso\s+(?:[\w'’-]+\s+){0,5}?(?:killed|died|dead|slain|wounded|injured|hurt)\b"
    r"|\b(?:killed|wounded|injured)\s+also\b",
    re.IGNORECASE,
)
_TRAILING_AND = re.compile(r"\s*,?\s*\b(?:and|as\s+well\s+as)\s*$")
_LEADING_AND = re.compile(r"\s*,?\s*(?:and|as\s+well\s+as)\s+")
_CLAUSE_BREAK = re.compile(r"[,;:]\s|\(|\)")
_PAREN = re.compile(r"\([^()]{0,120}\)")


@functools.lru_cache(maxsize=1)
def _month_names() -> frozenset[str]:
    from .dates import load_date_lexicon

    return frozenset(load_date_lexicon().months)


def _clause(text: str, pos: int) -> tuple[int, int]:
    """Bounds of the clause around ``pos`` (between punctuation marks)."""
    start = 0
    for m in _BOUNDARY.finditer(text, 0, pos):
        start = m.end()
    m2 = _BOUNDARY.search(text, pos)
    return start, (m2.start() if m2 else len(text))


def _sentence(text: str, pos: int) -> tuple[int, int]:
    start = 0
    for m in _SENT_END.finditer(text, 0, pos):
        start = m.end()
    m2 = _SENT_END.search(text, pos)
    return start, (m2.end() if m2 else len(text))


def _head(tail: str, lex: Lexicon) -> str | None:
    """The head noun of the words after a count: the last word before a stop word."""
    return _head_end(tail, lex)[0]


def _head_end(tail: str, lex: Lexicon) -> tuple[str | None, int]:
    """The head noun of ``tail`` and the offset in ``tail`` just after it (0 if none)."""
    head, end = None, 0
    for m in re.finditer(r"\S+", tail):
        w = m.group().strip("'’")
        if (
            w in lex.words("np_stopwords")
            or lex.patterns["fatal_cue"].fullmatch(w)
            or lex.patterns["injury_cue"].fullmatch(w)
        ):
            break
        head, end = w, m.end()
    return head, end


def _noun_key(noun: str | None, lex: Lexicon) -> str | None:
    if noun is None:
        return None
    if noun in lex.words("generic_person_nouns"):
        return "person"
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


def _is_plural(noun: str | None) -> bool:
    if not noun:
        return False
    if noun in _IRREGULAR_PLURALS:
        return True
    return noun.endswith("s") and not noun.endswith(("ss", "us", "is"))


class _Finder:
    def __init__(self, text: str, lex: Lexicon, *, event_kind: str | None = None) -> None:
        self.text = text
        first = _YEAR_IN_TEXT.search(text)
        self.first_year = first.group() if first else None
        # Demonstrations are often held over a death: in them, a death told in a relative
        # clause or as "the body/death of ..." is the cause, not a casualty (ACLED codes
        # the protest's own victims only).
        self.grievance = event_kind == "Protests"
        self.lex = lex
        self.p = lex.patterns
        self.used: list[tuple[int, int]] = []
        self.mentions: list[_Mention] = []

    # -- filters
    def _overlaps(self, a: int, b: int) -> bool:
        return any(a < e and s < b for s, e in self.used)

    def _context_ok(self, a: int, b: int, cue_start: int) -> bool:
        """Reject cumulative totals, causes of the event, subsets and denied deaths."""
        t = self.text
        first = min(a, cue_start)
        cs, ce = _clause(t, first)
        clause = t[cs : max(ce, b)]
        cum = self.p["cumulative"].search(clause)
        if cum and not _SUPERLATIVE.search(clause, 0, cum.start()):
            return False  # "... 300 people this year", but not "the deadliest attack this year"
        ss, se = _sentence(t, first)
        if _RUNNING_TOTAL.search(t, b, min(se, b + 60)):
            return False  # "has killed 10,000 people, mostly civilians, since 2015"
        if self.p["cause"].search(t[cs:first]):
            return False
        if _BASE_VERB.match(t, cue_start) and _INFINITIVE.search(
            t[max(0, cue_start - 30) : cue_start]
        ):
            return False  # "attempted to kill a commander": no death
        if self.p["subset"].search(t[max(ss, a - 25) : a]):
            return False
        if _MODAL_OR_PRIOR.search(t[max(0, cue_start - 40) : cue_start]):
            return False  # "would have killed 5,000", "had been killed": no death in this event
        if self.first_year:
            years = _YEAR_IN_TEXT.findall(t, cs, se)
            if any(y != self.first_year for y in years) and self.first_year not in years:
                return False  # "people killed in the city on 2 May 2014": an earlier event
        if self.grievance and _RELATIVE.search(t[max(ss, cue_start - 40) : cue_start]):
            return False  # in a protest, "a man who was killed by police" is the grievance
        return not self.p["denial"].search(t[ss:se])

    def _count_ok(self, q: str, qa: int, noun: str | None, tail: str) -> bool:
        t = self.text
        before = t[max(0, qa - 8) : qa]
        bare = q.strip()
        if _YEARISH.match(bare):
            return False  # a year ("On 8 May 2020, 7 militants ..."), never a toll
        if re.fullmatch(r"\d{4}", bare) and re.search(r"\bat\s*$", before):
            return False  # a time: "at 1625"
        if re.search(r"[$£€#]\s*$", before):
            return False
        if re.search(r"\bno\s*-?\s*$", before):
            return False  # "no one was injured", "no-one was killed"
        first = tail.split()[0] if tail.split() else ""
        if first in self.lex.words("non_casualty_nouns"):
            return False
        if first.rstrip(".,") in _month_names():
            return False  # "On 30 April, 3 policemen ...": a day of the month
        return not (noun and noun in self.lex.words("non_casualty_nouns"))

    def _role(self, qa: int, role: str) -> str:
        """ "all five were killed", "the two men": a count already told is anaphoric."""
        if role == "count" and _ANAPHORIC.search(self.text, max(0, qa - 12), qa):
            return "fallback"
        return role

    def add(self, kind: str, value: int, a: int, b: int, noun: str | None, role: str) -> None:
        self.used.append((a, b))
        cs, ce = _clause(self.text, a)
        # "2 more died later", "another 3 were killed": words right at the count
        extra = bool(_ADDITIONAL.search(self.text, max(cs, a - 10), min(ce, b + 25)))
        self.mentions.append(_Mention(kind, value, a, b, noun, role, extra))

    # -- patterns
    def active(self, kind: str) -> None:
        lex, t = self.lex, self.text
        other_cue = self.p["injury_then"]
        for m in self.p[f"{kind}_active"].finditer(t):
            qa, qb = m.span("q")
            tail = m.group("tail") or ""
            if other_cue.match(tail):  # "1 killed 3 injured": 3 belongs to "injured"
                continue
            noun = _head(tail, lex)
            value = lowest_figure(m.group("q"), lex)
            if value is None or self._overlaps(qa, qb):
                continue
            if not self._count_ok(m.group("q"), qa, noun, tail):
                continue
            if not self._context_ok(qa, qb, m.start("cue")):
                continue
            cue2 = m.group("cue2")
            if cue2 and m.group("cue")[-3:] != cue2[-3:]:
                continue  # "leaving him killed and injuring 3": two clauses, not one joint count
            if cue2 and re.search(r"\bor\b", t[m.end("cue") : m.start("cue2")]):
                continue  # "killing or injuring 3": nobody is known to have died
            role = "joint" if cue2 else "count"
            self.add(kind, value, qa, qb, noun, role)
            self._list_after(kind, m.start("tail") + _head_end(tail, lex)[1], role)

    def _list_after(self, kind: str, pos: int, role: str) -> None:
        """ "killed 3 soldiers and 2 civilians": the verb's further objects."""
        rest = self.text[pos : pos + 80]
        m = self.p["list_after"].match(rest)
        if not m:
            return
        tail = m.group("tail") or ""
        if self.p["fatal_cue"].search(tail) or self.p["injury_cue"].search(tail):
            return  # "... and 2 others were injured": a new clause with its own verb
        if re.match(r"\s*(?:were|was|are|is|have|had|got)\b", tail):
            return
        if re.match(r"\s*of\s+(?:them|whom|those|these|the)\b", tail):
            return  # "killed 44 people, many of them police": a subset
        q = m.group("q")
        value = 1 if q in ("a", "an") else lowest_figure(q, self.lex)
        qa, qb = pos + m.start("q"), pos + m.end("q")
        noun = _head(tail, self.lex)
        if q in ("a", "an") and (noun is None or _is_plural(noun)):
            return
        if (
            value is None
            or self._overlaps(qa, qb)
            or not self._count_ok(m.group("q"), qa, noun, tail)
        ):
            return
        self.add(kind, value, qa, qb, noun, role)

    def passive(self, kind: str) -> None:
        lex, t = self.lex, self.text
        for m in self.p[f"{kind}_passive"].finditer(t):
            qa, qb = m.span("q")
            if self._overlaps(qa, qb):
                continue
            np = (m.group("np") or "").strip()
            aux = (m.group("aux") or "").strip()
            noun = np.split()[-1] if np else None
            cue = m.group("cue")
            if cue in _BASE_FORMS or cue.endswith("ing") or _NOMINAL.search(t, 0, m.start("cue")):
                continue  # "four of the injured": the participle is a noun, not this verb
            if not aux and self._has_object(m.end("cue")):
                continue  # "five suicide bombers killed 33 people": the count is the perpetrator
            if np and re.search(r"\b(?:who|which|that|and|or|but)\b", np):
                continue
            if _UNCERTAIN.match(t, m.end("cue")):
                continue  # "3 militants were killed, injured or captured": none known dead
            value = lowest_figure(m.group("q"), lex)
            if value is None or not self._count_ok(m.group("q"), qa, noun, np):
                continue
            if not self._context_ok(qa, qb, m.start("cue")):
                continue
            self.add(kind, value, qa, qb, noun, self._role(qa, "count"))
            self._list_before(kind, qa)

    def _list_before(self, kind: str, pos: int) -> None:
        """ "3 soldiers and 2 civilians were killed": earlier members of the subject."""
        while True:
            window_start = max(0, pos - 80)
            m = self.p["list_before"].search(self.text[window_start:pos])
            if not m:
                return
            qa, qb = window_start + m.start("q"), window_start + m.end("q")
            np = (m.group("np") or "").strip()
            noun = np.split()[-1] if np else None
            value = lowest_figure(m.group("q"), self.lex)
            if value is None or self._overlaps(qa, qb):
                return
            if np and (self.p["fatal_cue"].search(np) or self.p["injury_cue"].search(np)):
                return
            if any(
                w in self.lex.words("np_stopwords") and w not in ("of", "the") for w in np.split()
            ):
                return  # "three suspects managed to flee and one was killed": a clause
            if not self._count_ok(m.group("q"), qa, noun, np):
                return
            self.add(kind, value, qa, qb, noun, "count")
            pos = qa

    def _has_object(self, pos: int) -> bool:
        rest = self.text[pos : pos + 40]
        if self.p["injury_then"].match(rest):
            return False
        m = self.p["object_start"].match(rest)
        if not m:
            return False
        after = rest[m.end() :]
        # "1 killed 3 injured": a list of counts, not an object
        return not self.p["injury_then"].match(after)

    def singular(self, kind: str) -> None:
        lex, t = self.lex, self.text
        if kind == "fatal":
            for m in self.p["self_death"].finditer(t):
                a, b = m.span()
                if self._overlaps(a, b) or not self._context_ok(a, b, a):
                    continue
                # ACLED counts a suicide attacker among the dead; "and 3 others" follow
                self.add(kind, 1, a, b, f"self#{a}", "count")
                self._list_after(kind, b, "count")
        for m in self.p[f"{kind}_active_one"].finditer(t):
            a, b = m.span("det")
            tail = m.group("tail") or ""
            noun = _head(tail, lex)
            if noun is None or self._overlaps(a, m.end("tail")):
                continue
            if noun in lex.words("non_casualty_nouns") or _is_plural(noun):
                continue
            if re.fullmatch(r"\d.*", noun):
                continue
            if not self._context_ok(a, b, m.start("cue")):
                continue
            role = "count" if m.group("det") in ("a", "an") else "fallback"
            self.add(kind, 1, m.start("det"), m.end("tail"), noun, role)
        for m in self.p[f"{kind}_passive_one"].finditer(t):
            det = m.group("det")
            np = (m.group("np") or "").strip()
            aux = (m.group("aux") or "").strip()
            noun = np.split()[-1] if np else None
            a, b = m.start("det"), m.end("cue")
            if self._overlaps(a, m.start("cue")):
                continue
            cue = m.group("cue")
            if cue in _BASE_FORMS or cue.endswith("ing") or _UNCERTAIN.match(t, m.end("cue")):
                continue
            if _NOMINAL.search(t, 0, m.start("cue")):
                continue  # "the first group of wounded"
            if np and any(w in _NOT_IN_NP for w in np.split()):
                continue  # "the police prevented the lynching": not one noun phrase
            if det in ("he", "she"):
                if np or not (aux or self.p["fatal_intransitive_cue"].fullmatch(m.group("cue"))):
                    continue  # "he shot and killed X": he is the killer
            elif (
                noun is None
                or (_is_plural(noun) and noun not in lex.group_nouns)
                or noun in lex.words("non_casualty_nouns")
            ):
                continue
            if np and re.search(r"\b(?:who|which|that|and|or|but|number)\b", np):
                continue
            if not aux and self._has_object(m.end("cue")):
                continue
            if not self._context_ok(a, b, m.start("cue")):
                continue
            role = "count" if det in ("a", "an") else "fallback"
            # "the couple were found dead": a noun that names its own number
            self.add(kind, lex.group_nouns.get(noun or "", 1), a, b, noun, role)
            if det in ("a", "an"):
                self._list_before(kind, a)  # "four officers and a tourist were killed"
        for m in self.p[f"{kind}_pronoun"].finditer(t):
            a, b = m.span()
            if self._overlaps(a, b) or not self._context_ok(a, b, a):
                continue
            if (
                kind == "fatal"
                and m.group("cue") in ("leaving", "left")
                and m.end() == m.end("det")
            ):
                continue  # "leaving him" without a death word
            self.add(kind, 1, a, b, None, "fallback")

    def names(self, kind: str, persons: Sequence[tuple[int, int]]) -> None:
        """A named person killed or wounded counts one: "killed Juan Perez" (object),
        "Karlov was gunned down" (passive subject), "the killing of Juan Perez"."""
        t = self.text
        before_p, after_p = self.p[f"{kind}_before_name"], self.p[f"{kind}_after_name"]
        for a, b in persons:
            if self._overlaps(a, b):
                continue
            name = " ".join(t[a:b].split())
            m = before_p.search(t, max(0, a - 40), a)
            if m:
                if not self._context_ok(a, b, m.start("cue")):
                    continue
                self.add(kind, 1, a, b, name, "count")
                continue
            m = after_p.match(t, b)
            if m and (m.group("aux") or self.p["fatal_intransitive_cue"].fullmatch(m.group("cue"))):
                if m.group("cue") in _BASE_FORMS or _UNCERTAIN.match(t, m.end("cue")):
                    continue
                if self._has_object(m.end("cue")) and not m.group("aux"):
                    continue
                if not self._context_ok(a, b, m.start("cue")):
                    continue
                self.add(kind, 1, a, b, name, "count")

    def nouns(self, kind: str) -> None:
        lex, t = self.lex, self.text
        for m in self.p[f"{kind}_noun"].finditer(t):
            qa, qb = m.span("q")
            if self._overlaps(qa, qb):
                continue
            value = lowest_figure(m.group("q"), lex)
            if value is None or not self._count_ok(m.group("q"), qa, None, ""):
                continue
            if not self._context_ok(qa, qb, m.start("cue")):
                continue
            cue = m.group("cue")
            role = (
                "total"
                if cue
                in (
                    "fatalities",
                    "fatality",
                    "deaths",
                    "death",
                    "injuries",
                    "injury",
                    "injured",
                    "wounded",
                )
                else "count"
            )
            self.add(kind, value, qa, m.end("cue"), None, role)
        if kind != "fatal":
            return
        for m in self.p["fatal_of"].finditer(t):
            qa, qb = m.span("q")
            if self._overlaps(qa, qb) or self.grievance:
                continue
            tail = m.group("tail") or ""
            noun = _head(tail, lex)
            q = m.group("q")
            role = "count"
            if q in ("a", "an"):
                value = 1
            elif q in ("the", "his", "her"):
                # "the death of the local": anaphoric, counts only when nothing else does
                if noun is None or _is_plural(noun):
                    continue
                value, role = 1, "fallback"
            else:
                q = re.sub(r"^the\s+", "", q)
                value = lowest_figure(q, lex)
            if value is None or not self._count_ok(q, qa, noun, tail):
                continue
            if not self._context_ok(qa, qb, m.start("cue")):
                continue
            head_end = m.start("tail") + _head_end(tail, lex)[1]
            if m.group("q") in ("a", "an", "the", "his", "her"):
                # "the body of a man": the whole phrase is the evidence, not "a"
                self.add(kind, value, m.start("cue"), max(head_end, qb), noun, role)
            else:
                self.add(kind, value, qa, qb, noun, role)
            self._list_after(kind, head_end, "count")
        for m in self.p["left_dead"].finditer(t):
            qa, qb = m.span("q")
            q = m.group("q")
            np = (m.group("np") or "").strip()
            noun = np.split()[-1] if np else None
            if self._overlaps(qa, qb) or not self._context_ok(qa, qb, m.start("cue")):
                continue
            if q in ("a", "an", "the", "his", "her"):
                if noun is None or _is_plural(noun):
                    continue
                self.add(kind, 1, qa, m.end(), noun, "count" if q in ("a", "an") else "fallback")
                continue
            value = lowest_figure(q, lex)
            if value is not None and self._count_ok(q, qa, noun, np):
                self.add(kind, value, qa, qb, noun, "count")
        for m in self.p["toll"].finditer(t):
            qa, qb = m.span("q")
            value = lowest_figure(m.group("q"), lex)
            if (
                value is None
                or self._overlaps(qa, qb)
                or not self._context_ok(qa, qb, m.start("cue"))
            ):
                continue
            self.add(kind, value, qa, qb, None, "total")


def _aggregate(mentions: list[_Mention], lex: Lexicon) -> tuple[int | None, list[tuple[int, int]]]:
    """One figure from a kind's mentions (see the module docstring, step 4)."""
    if not mentions:
        return None, []
    totals = [m for m in mentions if m.role == "total"]
    if totals:
        best = min(totals, key=lambda m: m.value)
        return best.value, [(best.start, best.end)]
    counts = sorted((m for m in mentions if m.role == "count"), key=lambda m: m.start)
    if counts:
        # Counts of the same victims are one group, of which the lowest figure is kept
        # ("14 insurgents were killed, but another source said 12 died" -> 12); groups add.
        groups: dict[str, list[_Mention]] = {}
        last_key: str | None = None
        for i, m in enumerate(counts):
            key = _noun_key(m.noun, lex)
            if key in ("other", "others") or (m.extra and key is None):
                key = f"other#{i}"  # "5 others", "2 more died later": new victims
            elif key is None and last_key is not None:
                key = last_key  # a bare count refers to the victims just counted
            last_key = str(key)
            groups.setdefault(str(key), []).append(m)
        chosen = [min(g, key=lambda m: m.value) for g in groups.values()]
        return sum(m.value for m in chosen), sorted((m.start, m.end) for m in chosen)
    joint = [m for m in mentions if m.role == "joint"]
    if joint:
        # "killing and injuring 20": how many died is unknown; ACLED's figure for an
        # unknown number of deaths, but never more than the joint count.
        best = min(joint, key=lambda m: m.value)
        return min(best.value, lex.vague["an unknown number of"]), [(best.start, best.end)]
    # only anaphoric mentions ("the victim died", "killing the two men", "killing him")
    fallback = min(mentions, key=lambda m: m.value)
    return fallback.value, [(fallback.start, fallback.end)]


def count_text(
    text: str,
    *,
    event_kind: str | None = None,
    offset: int = 0,
    persons: Sequence[tuple[int, int]] = (),
) -> Casualties:
    """:func:`count_casualties` on plain text; offsets are shifted by ``offset``.

    ``persons`` lists (start, end) offsets in ``text`` of person names (spaCy's PERSON
    entities, when the pipeline has NER): a named victim is one casualty ("gunmen shot
    dead Juan Perez", "Karlov was gunned down").
    """
    lex = load_lexicon()
    t = text.lower()
    if not lex.patterns["any_cue"].search(t):
        return Casualties(0, None, [], [])  # most sentences: nothing to count, no pattern runs
    # ACLED notes end with the crowd size, "[size=around 50]": not a casualty count.
    t = re.sub(r"\[size=[^\]]*\]", lambda m: " " * len(m.group()), t)
    # A parenthesis without a casualty word is a gloss ("5 civilians (2 men, 2 women and
    # 1 child) were killed", "in Zap (Amadiya)"): blank it so the clause reads through.
    t = _PAREN.sub(
        lambda m: (
            m.group()
            if lex.patterns["fatal_cue"].search(m.group())
            or lex.patterns["injury_cue"].search(m.group())
            or re.search(r"fatalit|death", m.group())
            else " " * len(m.group())
        ),
        t,
    )
    f = _Finder(t, lex, event_kind=event_kind)
    # ACLED's coding statements come first: they are the coder's own reading.
    coded = [m for m in lex.patterns["coded"].finditer(t)]
    f.nouns("fatal")
    f.nouns("injury")
    for m in coded:
        value = lowest_figure(m.group("q"), lex)
        if value is not None and not f._overlaps(*m.span("q")):
            f.add("fatal", value, m.start("q"), m.end("q"), None, "total")
    for kind in ("fatal", "injury"):
        f.passive(kind)
        f.active(kind)
    for kind in ("fatal", "injury"):
        f.names(kind, persons)
    for kind in ("fatal", "injury"):
        f.singular(kind)

    fatal_m = [m for m in f.mentions if m.kind == "fatal"]
    injury_m = [m for m in f.mentions if m.kind == "injury"]
    coded_totals = [
        m for m in fatal_m if m.role == "total" and any(c.start("q") == m.start for c in coded)
    ]
    if coded_totals:
        fatal_m = coded_totals
    fatalities, f_spans = _aggregate(fatal_m, lex)
    injuries, i_spans = _aggregate(injury_m, lex)
    if fatalities is None:
        fatalities = 0
    if injuries is None:
        neg = lex.patterns["negation"].search(t)
        if neg and re.search(r"injur|wound|casualt", neg.group()):
            injuries = 0
            i_spans = [neg.span()]
    split = lex.patterns["split"].search(t)
    if split and fatalities:
        parts = lowest_figure(split.group("q"), lex)
        share = re.match(r"\s*\((\d+)\)", t[split.end() :])
        if share:  # "Fatalities are split across 4 events (2)": this event's share
            fatalities = int(share.group(1))
        elif parts and parts > 1:
            fatalities //= parts  # ACLED divides a toll spread over several events
    return Casualties(
        fatalities=fatalities,
        injuries=injuries,
        fatality_spans=[(a + offset, b + offset) for a, b in f_spans],
        injury_spans=[(a + offset, b + offset) for a, b in i_spans],
    )


def count_casualties(span: Span, *, event_kind: str | None = None) -> Casualties:
    """Fatalities and injuries of the event told in ``span`` (its sentence or sentences).

    ``span`` may come from a truecased copy of the article (same length); offsets in the
    result index ``span.doc.text``. ``event_kind`` is the event's ACLED event type: for
    ``"Protests"`` a death told as the protest's cause is not coded (see :class:`_Finder`).

    Beyond the span, two cheap reads of its paragraph (every figure still carries its
    evidence span, so the reader sees where it came from):

    - an ACLED event note states its coding ("1 fatality.", "Unknown fatalities coded as
      10", "Fatalities split across 2 events"): such a paragraph is one event, counted whole;
    - a span that reports no casualty takes them from the next one or two sentences of
      its paragraph when they continue its story ("Gunmen stormed a village on Sunday.
      Three people were killed."): news tells the act and then its toll.
    """
    from .dates import continues_story, doc_text, paragraph_bounds, sentence_bounds

    doc = span.doc
    p_start, p_end = paragraph_bounds(doc, span.start_char)
    text = doc_text(doc)
    if p_start <= span.start_char and span.end_char <= p_end and p_end - p_start < 4000:
        paragraph = text[p_start:p_end]
        if _ACLED_STATEMENT.search(paragraph):
            return count_text(
                paragraph,
                event_kind=event_kind,
                offset=p_start,
                persons=_persons(doc, p_start, p_end),
            )
    sents = sentence_bounds(doc)
    lo, hi = _coordinated_tolls(span, text, sents)
    own = count_text(
        text[lo:hi] if (lo, hi) != (span.start_char, span.end_char) else span.text,
        event_kind=event_kind,
        offset=lo,
        persons=_persons(doc, lo, hi),
    )
    if own.fatalities or own.injuries is not None or own.fatality_spans:
        return _add_also(own, doc, text, sents, span.end_char, p_end, event_kind)
    follow_end = span.end_char
    own_end = next((b for a, b in sents if a <= span.end_char - 1 < b), span.end_char)
    if own_end > span.end_char:
        # the span is a clause: "... exchanged fire, and one cadre was killed" /
        # "..., killing 3": the toll told in the rest of its sentence
        rest = _CLAUSE_LEAD.sub("", text[span.end_char : own_end])
        if continues_story(rest[:40]) or _CONSEQUENCE.match(rest):
            follow_end = own_end
    for n, (a, b) in enumerate(s for s in sents if s[0] >= max(follow_end, span.end_char)):
        if n >= 2 or b > p_end or not continues_story(text[a : a + 40]):
            break
        follow_end = b
    if follow_end == span.end_char:
        return own
    extended = text[span.start_char : follow_end]
    return count_text(
        extended,
        event_kind=event_kind,
        offset=span.start_char,
        persons=_persons(doc, span.start_char, follow_end),
    )


def _coordinated_tolls(span: Span, text: str, sents: list[tuple[int, int]]) -> tuple[int, int]:
    """Widen a clause span over the casualty clauses coordinated with it in its sentence.

    "2 militants were killed and [7 were wounded by an airstrike]", "[1 policeman was
    killed] and 1 was wounded when a bomb went off": one event told in two passive
    clauses joined by "and". Only a clause that starts with its count and a passive or
    intransitive casualty verb is taken ("killing 3, and police arrested 5" is not), and
    never for a span telling of an ongoing activity.
    """
    from .dates import load_date_lexicon

    lo, hi = span.start_char, span.end_char
    if load_date_lexicon().patterns["habitual"].search(span.text.lower()):
        return lo, hi
    first = next(((a, b) for a, b in sents if a <= lo < b), None)
    if first is not None and first[0] < lo:
        before = text[first[0] : lo]
        m = _TRAILING_AND.search(before)
        if m is None and _LEADING_AND.match(span.text):
            m = re.search(r"\s*$", before)  # the span starts with its "and"
        if m:
            cut = max((x.end() for x in _CLAUSE_BREAK.finditer(before, 0, m.start())), default=0)
            if _is_toll_clause(before[cut : m.start()]):
                lo = first[0] + cut
    last = next(((a, b) for a, b in sents if a <= hi - 1 < b), None)
    if last is not None and hi < last[1]:
        rest = text[hi : last[1]]
        m = _LEADING_AND.match(rest)
        if m is None and _TRAILING_AND.search(span.text):
            m = re.match(r"\s*", rest)  # the span ends with its "and"
        if m and _is_toll_clause(rest[m.end() :]):
            hi = last[1]
    return lo, hi


def _is_toll_clause(clause: str) -> bool:
    """True when ``clause`` starts with a count (or "a"/"one") and a passive or
    intransitive casualty verb: "2 militants were killed", "1 was wounded"."""
    c = clause.strip().lower()
    p = load_lexicon().patterns
    for key in ("fatal_passive", "injury_passive", "fatal_passive_one", "injury_passive_one"):
        m = p[key].search(c)
        if m is None or m.group("cue").endswith("ing"):
            continue
        # the count opens the clause, or a list of counts does ("5 troops and 1 officer")
        lead = p["list_before"].search(c[: m.start()]) if m.start() else None
        if m.start() == 0 or (lead is not None and lead.start() == 0):
            return True
    return False


def _add_also(
    own: Casualties,
    doc: Doc,
    text: str,
    sents: list[tuple[int, int]],
    end: int,
    p_end: int,
    event_kind: str | None,
) -> Casualties:
    """Add the victims the next two sentences of the paragraph say were "also" hit ("3
    policemen were killed ... Officials said 4 militants were also killed": 7)."""
    for n, (a, b) in enumerate(s for s in sents if s[0] >= end):
        if n >= 2 or b > p_end:
            break
        sentence = text[a:b]
        if not _ALSO_HIT.search(sentence):
            continue
        more = count_text(sentence, event_kind=event_kind, offset=a, persons=_persons(doc, a, b))
        own = Casualties(
            own.fatalities + more.fatalities,
            own.injuries if more.injuries is None else (own.injuries or 0) + more.injuries,
            own.fatality_spans + more.fatality_spans,
            own.injury_spans + more.injury_spans,
        )
    return own


# ``Doc.ents`` walks every token: the PERSON spans of the latest document are kept.
_PERSON_CACHE: list[tuple[Doc, list[tuple[int, int]]]] = []


def _persons(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """PERSON entities between ``start`` and ``end``, relative to ``start`` (none on a blank
    pipeline, which has no NER: the count then rests on the noun patterns alone)."""
    if not (_PERSON_CACHE and _PERSON_CACHE[0][0] is doc):
        spans = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]
        _PERSON_CACHE[:] = [(doc, spans)]
    return [(a - start, b - start) for a, b in _PERSON_CACHE[0][1] if start <= a and b <= end]
