"""Recognition: which spans of an article name places.

Cascade, for each article:

1. the language model's GPE/LOC/FAC entities, cleaned ("the", possessive "'s", a leading
   direction word, a trailing division word) and split at commas ("Rutshuru, Nord-Kivu");
2. its NORP entities and capitalised words that are demonyms ("Syrian", "Moroccans"): they
   give country context and are reported as mentions of the country, never as event places;
3. a longest-match scan of capitalised token sequences against the gazetteer's name index,
   for the places the small model misses. A match the model did not tag as a place is kept
   only with support: a locative pattern ("in X", "X district", "X, Province", "(X, Y)"), or a
   name that is a country, a first-level division, a continent or a city of 50,000+ people —
   and never when it is a common word or first name of the stop list, or the model tagged it
   as a person or an organisation without a locative pattern;
4. style-guide abbreviations of states and provinces after a place ("Lexington, Ky.").

ALL-CAPS wire text has no case to go by: there only the model's entities and gazetteer
matches with a locative pattern are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..nlp import is_shouting
from .gazetteer import Gazetteer, name_key
from .knowledge import (
    ambiguous_demonyms,
    division_abbreviations,
    place_stopwords,
    relative_terms,
)

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
BLOCK_LABELS = frozenset({"PERSON", "ORG", "WORK_OF_ART", "PRODUCT", "EVENT", "LAW", "LANGUAGE"})
# Prepositions after which a capitalised name is read as a place.
LOCATIVE = frozenset(
    {"in", "at", "near", "outside", "from", "into", "around", "across", "towards", "toward",
     "to", "between", "of", "inside", "through", "via", "throughout", "within", "and"}
)
STRONG_LOCATIVE = frozenset({"in", "at", "near", "outside", "inside", "throughout", "within",
                             "around", "across", "towards", "toward", "into", "via"})
CONNECTORS = frozenset({"of", "de", "del", "la", "le", "les", "al", "el", "du", "des", "da",
                        "do", "dos", "das", "di", "and", "ul", "ad", "ash", "an", "as", "ar",
                        "at", "az", "sur", "upon", "on", "en", "y", "-", "'s", "i", "e"})
MAX_TOKENS = 6
# A city this large is a place whatever its context (a measured trade-off: below it, gazetteer
# matches without any locative support are mostly surnames and organisations).
BIG_CITY = 50_000


@dataclass(slots=True)
class Mention:
    """A span of the article text taken for a place name, with its gazetteer candidates."""

    start: int
    end: int
    key: str
    candidates: tuple[int, ...]
    source: str  # "ner", "scan", "demonym", "abbreviation"
    country_hint: str | None = None  # demonyms and abbreviations know their country
    division_word: str | None = None  # "district", "town" right after the name


def _is_name_token(text: str, tok_start: int, tok_end: int, shouting: bool) -> bool:
    ch = text[tok_start]
    if shouting:
        return ch.isalpha()
    return ch.isupper()


class Recognizer:
    """Finds place mentions in a parsed article (see the module docstring for the cascade)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self.stop = place_stopwords()
        self.no_country_demonyms = ambiguous_demonyms()
        self.abbreviations = division_abbreviations()
        terms = relative_terms()
        self.directions = {name_key(w) for w in terms["directions"]}
        self.division_words = {name_key(w) for w in terms["divisions"]}

    # -- helpers -------------------------------------------------------------------------

    def _demonym(self, key: str) -> str | None:
        return self.gaz.demonyms.get(key)

    def _strong_name(self, cands: tuple[int, ...]) -> bool:
        gaz = self.gaz
        for i in cands:
            code = gaz._fcode[i]
            if code in ("PCLI", "PCLD", "PCLF", "PCLS", "TERR", "CONT", "ADM1"):
                return True
            if gaz._pop[i] >= BIG_CITY:
                return True
        return False

    # -- main ----------------------------------------------------------------------------

    def mentions(self, doc, text: str) -> list[Mention]:  # noqa: C901 - one cascade, in order
        shouting = is_shouting(text)
        gaz = self.gaz
        out: list[Mention] = []
        covered = bytearray(len(text) + 1)
        blocked = bytearray(len(text) + 1)

        def take(m: Mention) -> None:
            out.append(m)
            for k in range(m.start, m.end):
                covered[k] = 1

        # 1-2. entities of the model
        for ent in doc.ents:
            label = ent.label_
            if label in BLOCK_LABELS:
                for k in range(ent.start_char, ent.end_char):
                    blocked[k] = 1
                continue
            if label == "NORP":
                self._norp(ent, text, take)
                continue
            if label not in PLACE_LABELS:
                continue
            for s, e in self._split_entity(text, ent.start_char, ent.end_char):
                m = self._resolve_span(text, s, e, "ner")
                if m is not None:
                    take(m)

        # 3. gazetteer scan
        toks = list(doc)
        n_tok = len(toks)
        i = 0
        while i < n_tok:
            tok = toks[i]
            ts = tok.idx
            if covered[ts] or not tok.text or not _is_name_token(text, ts, ts + len(tok), shouting):
                i += 1
                continue
            best: tuple[int, str, tuple[int, ...]] | None = None
            last = min(n_tok, i + MAX_TOKENS)
            for j in range(last - 1, i - 1, -1):
                tj = toks[j]
                te = tj.idx + len(tj.text)
                if covered[tj.idx] or (j > i and not _is_name_token(text, tj.idx, te, shouting)):
                    continue
                if any(t.is_sent_start and t.i != i for t in toks[i + 1 : j + 1]):
                    continue
                if any(
                    not _is_name_token(text, t.idx, t.idx + len(t), shouting)
                    and t.text.lower() not in CONNECTORS
                    for t in toks[i + 1 : j]
                ):
                    continue
                key = name_key(text[ts:te])
                if not key:
                    continue
                if key in gaz.demonyms or key in self.no_country_demonyms:
                    best = (j, key, ())
                    break
                cands = gaz.lookup_key(key)
                if cands:
                    best = (j, key, cands)
                    break
            if best is None:
                i += 1
                continue
            j, key, cands = best
            te = toks[j].idx + len(toks[j].text)
            if not cands:  # a demonym
                code = self._demonym(key)
                if code is not None and not shouting:
                    take(self._demonym_mention(ts, te, key, code))
                i = j + 1
                continue
            if self._accept_scan(toks, i, j, key, cands, text, blocked, shouting):
                take(Mention(ts, te, key, cands, "scan",
                             division_word=self._division_after(toks, j)))
            i = j + 1

        # 4. abbreviations after a place: "Lexington, Ky."
        if not shouting:
            self._abbreviations(text, out, covered, take)
        out.sort(key=lambda m: (m.start, m.end))
        return out

    def _norp(self, ent, text: str, take) -> None:
        s, e = ent.start_char, ent.end_char
        key = name_key(text[s:e])
        code = self._demonym(key)
        if code is not None:
            take(self._demonym_mention(s, e, key, code))
            return
        # "Syrian Kurdish", "pro-Turkish": the first word that is a demonym
        for m in re.finditer(r"[A-Z][\w'\u2019]+", text[s:e]):
            k2 = name_key(m.group())
            code = self._demonym(k2)
            if code is not None:
                take(self._demonym_mention(s + m.start(), s + m.end(), k2, code))
                return

    def _demonym_mention(self, s: int, e: int, key: str, code: str) -> Mention:
        ci = self.gaz.countries.get(code)
        cands = (ci,) if ci is not None else ()
        return Mention(s, e, key, cands, "demonym", country_hint=code)

    def _split_entity(self, text: str, s: int, e: int) -> list[tuple[int, int]]:
        """Cut an entity span into name spans: commas, parentheses, "the", possessives."""
        parts: list[tuple[int, int]] = []
        for m in re.finditer(r"[^,()\n;]+", text[s:e]):
            ps, pe = s + m.start(), s + m.end()
            seg = text[ps:pe]
            lead = len(seg) - len(seg.lstrip())
            ps += lead
            seg = seg.strip()
            pe = ps + len(seg)
            low = seg.lower()
            if low.startswith("the "):
                ps += 4
            if seg.endswith(("'s", "\u2019s")):
                pe -= 2
            elif seg.endswith(("'", "\u2019")):
                pe -= 1
            if pe > ps:
                parts.append((ps, pe))
        return parts

    def _resolve_span(self, text: str, s: int, e: int, source: str) -> Mention | None:
        """A mention for text[s:e], trying the variants news text wraps names in."""
        gaz = self.gaz
        seg = text[s:e]
        key = name_key(seg)
        if not key:
            return None
        code = self._demonym(key)
        if code is not None:
            return self._demonym_mention(s, e, key, code)
        cands = gaz.lookup_key(key)
        if cands:
            return Mention(s, e, key, cands, source)
        words = list(re.finditer(r"\S+", seg))
        if len(words) >= 2:
            # "northern Syria", "North-east Nigeria": the name after a direction word
            first = name_key(words[0].group())
            if first in self.directions:
                return self._resolve_span(text, s + words[1].start(), e, source)
            # "Khogyani district", "Labe town": the name before a division word
            lastw = name_key(words[-1].group())
            if lastw in self.division_words:
                inner_e = s + words[-2].end()
                inner = self._resolve_span(text, s, inner_e, source)
                if inner is not None:
                    inner.division_word = lastw
                    return inner
        return None

    def _division_after(self, toks, j: int) -> str | None:
        if j + 1 < len(toks):
            w = name_key(toks[j + 1].text)
            if w in self.division_words:
                return w
        return None

    def _accept_scan(self, toks, i: int, j: int, key: str, cands: tuple[int, ...], text: str,
                     blocked: bytearray, shouting: bool) -> bool:
        """Whether a gazetteer match the model did not tag as a place is a place here."""
        single = i == j
        if key in self.stop:
            return False
        prev = toks[i - 1].text.lower() if i > 0 else ""
        nxt = toks[j + 1].text if j + 1 < len(toks) else ""
        in_parens = prev == "(" or (nxt == ")" and prev == ",")
        pattern = (
            prev in LOCATIVE
            or in_parens
            or nxt == "("
            or self._division_after(toks, j) is not None
            or (nxt == "," and j + 2 < len(toks) and self.gaz.has_key(name_key(toks[j + 2].text)))
            or (prev == "," and i >= 2 and toks[i - 2].ent_type_ in PLACE_LABELS)
        )
        strong_pattern = prev in STRONG_LOCATIVE or in_parens or self._division_after(toks, j)
        if blocked[toks[i].idx]:
            return bool(strong_pattern) and not shouting
        if shouting:
            return bool(strong_pattern) and self._strong_name(cands)
        if pattern:
            return True
        if single and toks[i].is_sent_start:
            return self._strong_name(cands) and len(key) > 3
        return self._strong_name(cands)

    def _abbreviations(self, text: str, out: list[Mention], covered: bytearray, take) -> None:
        gaz = self.gaz
        for m in list(out):
            if m.source == "demonym":
                continue
            hit = re.match(r",\s*([A-Z][A-Za-z]?\.?(?:\s?[A-Z][a-z]?\.)*[A-Za-z]*\.?)", text[m.end:m.end + 12])
            if hit is None:
                continue
            abbr = hit.group(1)
            s = m.end + hit.start(1)
            found = self.abbreviations.get(abbr) or self.abbreviations.get(abbr.rstrip("."))
            if found is None or covered[s]:
                continue
            code, division = found
            entry = gaz.admin1_entry(code, division)
            if entry is None:
                continue
            e = s + len(abbr)
            take(Mention(s, e, name_key(division), (entry.index,), "abbreviation", country_hint=code))
