"""Casualty mentions: the patterns of :mod:`.casualties` applied to one text.

:class:`MentionFinder` finds every count of killed or wounded people in a lower-cased
text and drops those that are not the event's own toll (steps 3 and 4 of the cascade in
:mod:`.casualties`); :mod:`.casualties` turns the mentions into one figure.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .casualty_lexicon import Lexicon, lowest_figure

# --------------------------------------------------------------------------- mentions


@dataclass(slots=True)
class Mention:
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
# is one phrase; "the gallery in Kyiv where he was gunned down" is not.
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
_SUPERLATIVE = re.compile(r"\b(?:deadliest|worst|bloodiest|biggest|largest|first|latest)\b")
_RUNNING_TOTAL = re.compile(r"\b(?:since|so\s+far|to\s+date)\b")
PAREN_GLOSS = re.compile(r"\([^()]{0,120}\)")


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


# Nouns of an amount, after which a count is the amount: "a total of 12 people".
_AMOUNT_NOUNS = frozenset(
    {"total", "number", "group", "maximum", "minimum", "toll", "count", "crowd", "batch", "team"}
)
_PERSON_SUFFIX = re.compile(r"(?:er|or|ist|ant|ent|ian|man|men|ief|ieves)s?$")


_PERSON_NOUNS = frozenset(
    {
        "child",
        "boy",
        "girl",
        "youth",
        "person",
        "jawan",
        "monk",
        "priest",
        "cadre",
        "member",
        "guard",
        "wife",
        "husband",
        "son",
        "daughter",
        "mother",
        "nurse",
        "cop",
        "suspect",
        "victim",
        "relative",
        "man",
        "woman",
        "civilian",
        "spo",
        "official",
        "chief",
        "elder",
    }
)


def _is_person(noun: str | None) -> bool:
    """A noun that names a person: "militant", "soldier", "policeman", "jawan"."""
    return bool(noun) and (noun in _PERSON_NOUNS or bool(_PERSON_SUFFIX.search(noun or "")))


def _names_people(noun: str | None, first: str) -> bool:
    """A thing's name used as a modifier of people: "two cattle thieves", "3 bus drivers",
    "5 shop owners" (the head noun, after it, is a person's)."""
    return bool(noun and noun != first and _PERSON_SUFFIX.search(noun))


def noun_key(noun: str | None, lex: Lexicon) -> str | None:
    if noun is None:
        return None
    if noun in lex.words("generic_person_nouns"):
        return "person"
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


def is_plural(noun: str | None) -> bool:
    if not noun:
        return False
    if noun in _IRREGULAR_PLURALS:
        return True
    return noun.endswith("s") and not noun.endswith(("ss", "us", "is"))


class MentionFinder:
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
        self.mentions: list[Mention] = []

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
                return False  # "people killed in the town on 19 February 2015": an earlier event
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
        if first in self.lex.words("non_casualty_nouns") and not _names_people(noun, first):
            return False
        if first.rstrip(".,") in _month_names():
            return False  # "On 30 April, 3 policemen ...": a day of the month
        unit = re.search(r"\b(?:a|an|one)\s+([a-z][\w-]*)\s+of\s*$", t[max(0, qa - 30) : qa])
        if unit and unit.group(1) not in _AMOUNT_NOUNS:
            return False  # "a jawan of 24 AR troopers", "one JCO of 12 Assam Rifles": a unit
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
        self.mentions.append(Mention(kind, value, a, b, noun, role, extra))

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
            return  # "killed 27 people, most of them soldiers": a subset
        q = m.group("q")
        value = 1 if q in ("a", "an") else lowest_figure(q, self.lex)
        qa, qb = pos + m.start("q"), pos + m.end("q")
        noun = _head(tail, self.lex)
        if q in ("a", "an") and (noun is None or is_plural(noun)):
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
                continue  # "4 rebels were killed, wounded or detained": none known dead
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
            if m.group("q") in ("a", "an"):
                # "A militant and an army soldier were killed": one victim, when the phrase
                # opens the sentence or clause (not "in a village and 2 civilians ...")
                if (
                    not _is_person(noun)
                    or is_plural(noun)
                    or self.text[:qa].rstrip()[-1:] not in ("", ".", ";", ":", ",")
                ):
                    return
                value: int | None = 1
            else:
                value = lowest_figure(m.group("q"), self.lex)
            if value is None or self._overlaps(qa, qb):
                return
            if np and (self.p["fatal_cue"].search(np) or self.p["injury_cue"].search(np)):
                return
            if any(
                w in self.lex.words("np_stopwords") and w not in ("of", "the") for w in np.split()
            ):
                return  # "two robbers got away and one was killed": a clause
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
            noun, head_end = _head_end(tail, lex)
            # the phrase ends at its head noun: "killed a man and wounded another" leaves
            # "another" to the injury
            end = m.start("tail") + head_end
            if noun is None or self._overlaps(a, end):
                continue
            if noun in lex.words("non_casualty_nouns") or is_plural(noun):
                continue
            if re.fullmatch(r"\d.*", noun):
                continue
            if not self._context_ok(a, b, m.start("cue")):
                continue
            role = "count" if m.group("det") in ("a", "an") else "fallback"
            self.add(kind, 1, m.start("det"), end, noun, role)
            self._list_after(kind, end, role)  # "killing the father and a son"
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
            if (
                det in ("a", "an")
                and re.match(r"(?:were|are|have)\b", aux)
                and noun not in lex.group_nouns
                and not re.search(r"(?:\band|,)\s*$", t[max(0, a - 6) : a])
            ):
                continue  # "officers from an anti-narcotics task force were killed": "an"
                # opens a noun inside a longer, plural subject (but "two militants and a
                # soldier were killed" is a list)
            if det in ("he", "she"):
                if np or not (aux or self.p["fatal_intransitive_cue"].fullmatch(m.group("cue"))):
                    continue  # "he shot and killed X": he is the killer
            elif (
                noun is None
                or (is_plural(noun) and noun not in lex.group_nouns)
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
            if det in ("his", "her", "their") and re.search(r"\band\s*$", t[max(0, a - 6) : a]):
                # "a trader and his daughter were killed": one more victim of a list
                before = len(self.mentions)
                self._list_before(kind, a)
                if len(self.mentions) > before:
                    role = "count"
            # "the couple were found dead": a noun that names its own number
            self.add(kind, lex.group_nouns.get(noun or "", 1), a, b, noun, role)
            if det in ("a", "an"):
                self._list_before(kind, a)  # "four officers and a tourist were killed"
        if kind == "fatal":
            for m in self.p["one_death"].finditer(t):
                a, b = m.span()
                if not self._overlaps(a, b) and self._context_ok(a, b, a):
                    self.add(kind, 1, a, b, None, "fallback")
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
        "Sokolov was gunned down" (passive subject), "the killing of Juan Perez"."""
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
        for m in self.p["fatal_noun_of_side"].finditer(t):
            # ACLED notes give each side's toll: "resulting in 25 ADF fighters and 6 military
            # fatalities", "2 rebel and 1 military fatality": one total of the sides listed
            qa, qb = m.span("q")
            value = lowest_figure(m.group("q"), lex)
            if value is None or self._overlaps(qa, qb) or m.group("side") in _NOT_IN_NP:
                continue
            if not self._count_ok(m.group("q"), qa, None, "") or not self._context_ok(
                qa, qb, m.start("cue")
            ):
                continue
            start = qa
            before = self.p["list_before"].search(t[max(0, qa - 80) : qa])
            if before and before.group("q") not in ("a", "an"):
                more = lowest_figure(before.group("q"), lex)
                b_start = max(0, qa - 80) + before.start("q")
                if more is not None and not self._overlaps(b_start, qa):
                    value += more
                    start = b_start
            self.add(kind, value, start, m.end("cue"), None, "total")
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
                if noun is None or is_plural(noun):
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
        for m in self.p["to_death"].finditer(t):
            q = m.group("q")
            np = (m.group("np") or "").strip()
            noun = np.split()[-1] if np else None
            qa, qb = m.span("q")
            if self._overlaps(qa, m.end("np")) or not self._context_ok(qa, qb, m.start("cue")):
                continue
            if q in ("a", "an", "the", "his", "her"):
                if noun is None or is_plural(noun) or noun in self.lex.words("non_casualty_nouns"):
                    continue
                self.add(
                    kind, 1, qa, m.end("np"), noun, "count" if q in ("a", "an") else "fallback"
                )
                continue
            value = lowest_figure(q, lex)
            if value is not None and self._count_ok(q, qa, noun, np):
                self.add(kind, value, qa, qb, noun, "count")
        for m in self.p["left_dead"].finditer(t):
            qa, qb = m.span("q")
            q = m.group("q")
            np = (m.group("np") or "").strip()
            noun = np.split()[-1] if np else None
            if self._overlaps(qa, qb) or not self._context_ok(qa, qb, m.start("cue")):
                continue
            if q in ("a", "an", "the", "his", "her"):
                if noun is None or is_plural(noun):
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
