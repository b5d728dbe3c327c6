"""News conventions that name places without the usual cues, read after the main scan.

- style-guide abbreviations of states and provinces after a place ("Lexington, Ky.",
  "Poonch district, J&K", "Nigohan (UP)") and dotted ones on their own ("the S.C. Highway
  Patrol");
- a legislator's party and home district ("Sen. Ray Miller, D-Columbus", "D-W. Va.");
- lists of counties ("between Walton and Oconee counties").

Mixed into :class:`eventscope.geo.recognize.Recognizer`, whose gazetteer and abbreviation
table these methods use.
"""

from __future__ import annotations

import re
from typing import Any

from .gazetteer import name_key
from .mention import Mention

# ", Ky." / " district, J&K" after a place: the abbreviation of its state or province
_ABBR_AFTER = re.compile(
    r"(?:\s+(?:district|county|city|town|village|province|state|area))?(?:,|\s*\()\s*"
    r"([A-Z](?:[A-Za-z&]{0,4}\.?|(?:\.\s?[A-Z])+\.?)(?:\s?[A-Z][a-z]?\.)?)(?![\w])"
)
# "D-Braxton", "R-Elbow Lake", "DFL-Cook", "D-W. Va.": party and home district
_PARTY_PLACE = re.compile(
    r"\b(?:D|R|I|DFL)-((?:[A-Z][a-z]*\.?\s?)?[A-Z][\w.]*(?: [A-Z][a-z]+)?)"
    r"(?=[,;)]|\s+(?:and|said|who|is|was)\b)"
)


class ConventionsMixin:
    """Readers of news-style place conventions (see the module docstring)."""

    gaz: Any
    abbreviations: dict[str, tuple[str, str]]

    def _party_places(self, text: str, covered: bytearray, take) -> None:
        """ "Rep. Nick Rahall, D-W. Va.", "Tom Bakk, DFL-Cook": a legislator's home district."""
        for m in _PARTY_PLACE.finditer(text):
            s, e = m.start(1), m.end(1)
            if covered[s]:
                continue
            surface = m.group(1).rstrip(".,")
            e = s + len(surface)
            abbr = self.abbreviations.get(surface) or self.abbreviations.get(surface + ".")
            if abbr is not None:
                entry = self.gaz.admin1_entry(abbr[0], abbr[1])
                if entry is not None:
                    take(
                        Mention(
                            s,
                            e,
                            name_key(abbr[1]),
                            (entry.index,),
                            "abbreviation",
                            country_hint=abbr[0],
                        )
                    )
                continue
            key = name_key(surface)
            cands = self.gaz.lookup_key(key) or self.gaz.lookup_key(key + " county")
            us = tuple(c for c in cands if self.gaz._cc[c] == "US")
            if us:
                take(Mention(s, e, key, us, "scan", country_hint="US"))

    def _county_lists(self, doc, text: str, covered: bytearray, take) -> None:
        """ "Jackson and Barrow counties": each name before the plural is a county."""
        toks = list(doc)
        for idx, tok in enumerate(toks):
            if tok.lower_ not in ("counties", "parishes"):
                continue
            suffix = " county" if tok.lower_ == "counties" else " parish"
            k = idx - 1
            while k >= 0:
                t = toks[k]
                if t.lower_ in ("and", ",", "&"):
                    k -= 1
                    continue
                if not (t.is_alpha and t.text[:1].isupper()):
                    break
                start = k
                while (
                    start - 1 >= 0
                    and toks[start - 1].is_alpha
                    and toks[start - 1].text[:1].isupper()
                ):
                    start -= 1
                s, e = toks[start].idx, t.idx + len(t.text)
                key = name_key(text[s:e])
                cands = self.gaz.lookup_key(key + suffix)
                if cands and not covered[s]:
                    take(Mention(s, e, key + suffix, cands, "scan"))
                elif not cands:
                    break
                k = start - 1

    def _dotted_abbreviation(self, text: str, tok) -> Mention | None:
        """A state's abbreviation with two dots or more ("S.C.", "W.Va.") stands alone."""
        surface = tok.text.split("-")[-1]
        if surface.count(".") < 2 or surface not in self.abbreviations:
            return None
        code, division = self.abbreviations[surface]
        entry = self.gaz.admin1_entry(code, division)
        if entry is None:
            return None
        s = tok.idx + len(tok.text) - len(surface)
        return Mention(
            s,
            s + len(surface),
            name_key(division),
            (entry.index,),
            "abbreviation",
            country_hint=code,
        )

    def _abbreviations(self, text: str, out: list[Mention], covered: bytearray, take) -> None:
        gaz = self.gaz
        for m in list(out):
            if m.source == "demonym":
                continue
            hit = _ABBR_AFTER.match(text, m.end, m.end + 30)
            if hit is None:
                continue
            abbr = hit.group(1)
            s = hit.start(1)
            found = self.abbreviations.get(abbr) or self.abbreviations.get(abbr.rstrip("."))
            if found is None and not re.match(r"\s+[A-Z]", text[hit.end(1) :]):
                # "EDMONTON, Ky (WBKO)": the dot left out; but "El Alto, La Paz" is no Louisiana
                found = self.abbreviations.get(abbr + ".")
            if found is None or covered[s]:
                continue
            code, division = found
            entry = gaz.admin1_entry(code, division)
            if entry is None:
                continue
            e = s + len(abbr)
            take(
                Mention(s, e, name_key(division), (entry.index,), "abbreviation", country_hint=code)
            )
