"""How the words around a name read: the helpers :class:`~.recognize.Recognizer` decides with.

Whether a name goes on past the gazetteer's match ("Bar Elias", "Mafraq ar Ruwayk"), what word
comes before it past direction words ("in eastern Ar-Raqqa"), whether it sits in a
parenthesised place pair ("(Wanla Weyn, Lower Shabelle)"), and what kind of entries its
candidates are (a country, a province, a capital, a town of some size).

Mixed into the recognizer, whose gazetteer (``self.gaz``) and word lists (``self.words``,
``self.directions``, ``self.division_words``) these methods read.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .gazetteer import COUNTRY_CODES, name_key

if TYPE_CHECKING:
    from .gazetteer import Gazetteer

COUNTRY_LIKE = frozenset({"PCLI", "PCLD", "PCLF", "PCLS", "TERR", "CONT", "ADM1"})
_INSTITUTION_AFTER = re.compile(
    r"(?:'s|\u2019s)\s+(?:University|Hospital|College|School|Church|Cathedral|Academy|Clinic|"
    r"Institute|Chapel|Basilica|Abbey|Seminary)\b"
)


_POSSESSIVE = re.compile(r"(?:'s|\u2019s)$")


class WordingMixin:
    gaz: Gazetteer
    words: dict[str, frozenset[str]]
    directions: set[str]
    division_words: set[str]

    def _division_after(self, toks, j: int) -> str | None:
        if j + 1 < len(toks):
            w = name_key(toks[j + 1].text)
            if w in self.division_words:
                return w
        return None

    def _capitalised_after(self, toks, j: int, words: str) -> str | None:
        """The capitalised word after a name when it is one of ``self.words[words]``, folded
        ("Council’s" and "Gov." as "council" and "gov"); lower case names no place ("the
        borough council")."""
        if j + 1 < len(toks):
            nxt = _POSSESSIVE.sub("", toks[j + 1].text).rstrip(".")
            if nxt[:1].isupper() and nxt.lower() in self.words[words]:
                return nxt.lower()
        return None

    def _government_after(self, toks, j: int) -> str | None:
        """ "Enfield Council", "Wigan Borough": the local government of the area the name
        gives."""
        return self._capitalised_after(toks, j, "local_government")

    def _office_after(self, toks, j: int) -> str | None:
        """ "New York Gov. Andrew Cuomo", "the Alberta Premier": an office of a state or
        province after its name says the name is the division's."""
        if self._capitalised_after(toks, j, "division_offices") is None:
            return None
        return "state office"  # geo/resolve.py: STATE_OFFICE

    def _kind_after(self, toks, j: int) -> str | None:
        """The word after a name that says what kind of place it is: a division word
        ("Khogyani district"), the local government of an area ("Enfield Council") or an
        office of a state ("New York Gov.")."""
        return (
            self._division_after(toks, j)
            or self._government_after(toks, j)
            or self._office_after(toks, j)
        )

    def _place_noun_of(self, toks, i: int) -> bool:
        """ "the town of X", "the countryside of X": X is a place."""
        return (
            i > 1
            and toks[i - 1].lower_ == "of"
            and toks[i - 2].lower_.rstrip("-") in self.words["place_nouns"]
        )

    @staticmethod
    def _parenthesised_pair(toks, i: int, j: int) -> bool:
        """ "(Wanla Weyn, Lower Shabelle)": the first name of a parenthesised place pair, the
        news and ACLED way of naming a town's district and province."""
        return (
            i > 0
            and toks[i - 1].text == "("
            and j + 2 < len(toks)
            and toks[j + 1].text == ","
            and toks[j + 2].text[:1].isupper()
        )

    def _prev_word(self, toks, i: int) -> str:
        """The word before token ``i``, past direction words: "in eastern Ar-Raqqa" is "in"
        (a capitalised one is part of the name: "at North Summit School")."""
        p = i - 1
        while p > 0 and toks[p].text.islower() and toks[p].text in self.directions:
            p -= 1
        return toks[p].text.lower() if p >= 0 else ""

    def _place_follows(self, toks, j: int) -> bool:
        """ "Far North Queensland": the next word is itself a country or province."""
        if j + 1 >= len(toks):
            return False
        return self._country_or_admin1(self.gaz.lookup_key(name_key(toks[j + 1].text)), "")

    @staticmethod
    def _institution_after(text: str, end: int) -> bool:
        return bool(_INSTITUTION_AFTER.match(text, end))

    def _hyphenated(self, toks, i: int, j: int) -> bool:
        """The match is one part of a hyphenated name ("Mayo-Sava", "Sema-i-Sulha")."""
        nxt = toks[j + 1] if j + 1 < len(toks) else None
        if nxt is not None and nxt.text == "-" and not toks[j].whitespace_ and not nxt.whitespace_:
            return True
        return (
            i > 1
            and toks[i - 1].text == "-"
            and not toks[i - 1].whitespace_
            and (not toks[i - 2].whitespace_ and toks[i - 2].is_alpha)
        )

    def _part_of_longer_name(self, toks, i: int, j: int) -> bool:
        def name_like(t) -> bool:
            return (
                t.is_alpha
                and t.text[:1].isupper()
                and not t.is_stop
                and name_key(t.text) not in self.division_words
            )

        if j + 1 < len(toks) and not toks[j + 1].is_sent_start and name_like(toks[j + 1]):
            return True
        if (
            j + 2 < len(toks)
            and toks[j + 1].text in self.words["articles"]
            and toks[j + 2].text[:1].isupper()
        ):
            return True  # "Mafraq ar Ruwayk", "Tal al Abyad": an Arabic name goes on
        nxt = toks[j + 1] if j + 1 < len(toks) else None
        if nxt is not None and nxt.text == "-" and not toks[j].whitespace_ and not nxt.whitespace_:
            return True  # "Sema-i-Sulha", "Khan-Shaykhun": one hyphenated name
        if (
            i > 0
            and toks[i - 1].text == "-"
            and not toks[i - 1].whitespace_
            and i > 1
            and (not toks[i - 2].whitespace_ and toks[i - 2].is_alpha)
        ):
            return True
        return (
            i > 0
            and not toks[i].is_sent_start
            and name_like(toks[i - 1])
            and (toks[i - 1].text.lower() not in self.words["locative"])
        )

    @staticmethod
    def _in_capitalised_run(toks, i: int) -> bool:
        """The word at ``i`` stands inside a run of capitalised words: one right before it
        (the word itself not opening a sentence), "X of" before it
        ("Line of Control"), or one right after it ("Patrol Police")."""

        def cap(t) -> bool:
            return t.is_alpha and t.text[:1].isupper() and not t.is_stop

        if i > 0 and cap(toks[i - 1]) and not toks[i].is_sent_start:
            return True
        if (
            i > 1
            and toks[i - 1].lower_ == "of"
            and cap(toks[i - 2])
            and not toks[i - 2].is_sent_start
        ):
            return True
        return i + 1 < len(toks) and cap(toks[i + 1]) and not toks[i + 1].is_sent_start

    def _main_name(self, cands: tuple[int, ...], key: str) -> bool:
        gaz = self.gaz
        return any(name_key(gaz._names[c]) == key for c in cands) or any(
            gaz._fcode[c] in COUNTRY_LIKE for c in cands
        )

    def _named_division(self, cands: tuple[int, ...], key: str) -> bool:
        """ "Henderson County", "Rapides Parish": a district whose name says it is one."""
        last = key.rsplit(" ", 1)[-1]
        return (
            " " in key
            and last in self.division_words
            and any(self.gaz._fcode[c] in ("ADM2", "ADM1", "ADM3") for c in cands)
        )

    def _capital(self, surface: str) -> bool:
        """A national capital under its own name: "Tbilisi says" is its government speaking."""
        key = name_key(surface)
        gaz = self.gaz
        return any(
            gaz._fcode[c] == "PPLC" and name_key(gaz._names[c]) == key for c in gaz.lookup_key(key)
        )

    def _country(self, cands: tuple[int, ...]) -> bool:
        return any(self.gaz._fcode[c] in COUNTRY_CODES for c in cands)

    def _country_or_admin1(self, cands: tuple[int, ...], key: str) -> bool:
        return any(self.gaz._fcode[c] in COUNTRY_LIKE for c in cands)

    def _big(self, cands: tuple[int, ...], key: str, pop: int) -> bool:
        """A town of at least ``pop`` people under this very name (districts' sums excluded)."""
        gaz = self.gaz
        return any(
            gaz._pop[c] >= pop
            and gaz._fcode[c].startswith("PPL")
            and name_key(gaz._names[c]) == key
            for c in cands
        )
