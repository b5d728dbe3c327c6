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
   as a person or an organisation without a locative pattern. A name that says it is a
   district ("Walker County"), a dateline ("MANSFIELD --") and a town's own offices after
   its name ("Rochester Fire Department", "Roselle police") are support enough;
4. news conventions (:mod:`.conventions`): style-guide abbreviations of states and provinces
   ("Lexington, Ky.", "the S.C. Highway Patrol"), legislators' home districts ("D-Columbus"),
   lists of counties ("Walton and Oconee counties");
5. names of forces, missions and division words that act in one country ("the OSCE SMM",
   "Saudi-led coalition", "Rafi LGA", ``data/geo/theatres.yaml``): country context only.

Throughout, one sense per article: a name the text shows to be a place is a place wherever
the model took it for a person or a company, and a name the text uses for a person ("Nelson
said", "coach Ripley", a surname of a full name) is a person throughout. Continent adjectives
("European") are mentions of the continent.

ALL-CAPS wire text has no case to go by: there only the model's entities and gazetteer
matches with a locative pattern are kept.
"""

from __future__ import annotations

import re

from ..nlp import _zipf, is_shouting
from .conventions import ConventionsMixin
from .gazetteer import COUNTRY_CODES, Gazetteer, name_key
from .knowledge import (
    ambiguous_demonyms,
    continent_adjectives,
    division_abbreviations,
    place_stopwords,
    recognition_words,
    relative_terms,
    theatre_matches,
)
from .mention import Mention
from .wording import COUNTRY_LIKE, WordingMixin

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
BLOCK_LABELS = frozenset({"PERSON", "ORG", "WORK_OF_ART", "PRODUCT", "EVENT", "LAW", "LANGUAGE"})
NON_PLACE_LABELS = frozenset(
    {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL", "LANGUAGE"}
)
MAX_TOKENS = 6


def _person_context(toks, i: int, words: dict[str, frozenset[str]]) -> bool:
    """A one-word name right before "said" or right after a title is a person's name."""
    nxt = toks[i + 1].lower_ if i + 1 < len(toks) else ""
    prev = toks[i - 1].lower_.rstrip(".") if i > 0 else ""
    if prev == "st" or prev in words["locative"]:
        return False  # "St. Louis"; "a resident of Tabriz told"
    return nxt in words["speech_verbs"] or nxt in words["person_nouns"] or prev in words["titles"]


# "in Turkish,", "speaks fluent French": the language, not the country
_LANGUAGE_BEFORE = re.compile(
    r"\b(?:in|speaks?|spoke|spoken|speaking|fluent|learn\w*|teach\w*|into|native)\s+$", re.I
)
_LANGUAGE_AFTER = re.compile(
    r"\s*(?:[,.;:)!?\"\u201d]|$|\s+(?:and|or)\s+[A-Z]\w+\b[,.]|\s+languages?\b)"
)
_PLACE_TAILS = frozenset(
    {
        "station",
        "park",
        "square",
        "street",
        "road",
        "avenue",
        "bridge",
        "lake",
        "river",
        "hill",
        "heights",
        "springs",
        "falls",
        "beach",
        "harbor",
        "harbour",
        "valley",
        "island",
        "islands",
        "bay",
    }
)
_COMPOUND = re.compile(r"^([A-Z][\w.]*[\w.])-([a-z]+)$")
_SAINT = re.compile(r"(?:St|Ste|Saint|Sainte)\.?\s")
# "in Tulsa, which", "in Tulsa on Monday": the name ends there (not "in Smith drug case",
# "in Smith's honor", where it is a person's name before a noun)
_CLAUSE_GOES_ON = (
    r"(?=\s*(?:[,.;:)]|$)|\s(?:and|or|on|to|for|in|at|is|was|where|which|who|when|this|"
    r"last|during|since|until|before|after|with|from|by)\b)"
)


# a run of capitalised words: a name as the text writes it
_NAME_RUN = r"[A-Z][\w.'\u2019-]*(?: [A-Z][\w.'\u2019-]*)*"
_POSSESSIVE_END = re.compile(r"(?:'s|\u2019s|'|\u2019)$")
_CURRENCY_AFTER = re.compile(r"\s+(?:dollars?|cents?|pounds?|euros?)\b", re.I)
# A skeleton shared by more entries than this says nothing about which place is meant.
MAX_LOOSE = 40
NON_NAME_POS = frozenset(
    {"PRON", "DET", "AUX", "CCONJ", "SCONJ", "ADP", "PART", "ADV", "INTJ", "NUM", "VERB"}
)
DASHES = frozenset({"-", "\u2014", "\u2013", "--", "("})
# A city this large is a place whatever its context (a measured trade-off: below it, gazetteer
# matches without any locative support are mostly surnames and organisations).
_DASHES = frozenset({"-", "\u2013", "\u2014", "--"})
BIG_CITY = 50_000
# A province under a name the article gives a person stays a place from this many people up
# (the sum of its towns'): Nelson (New Zealand, ~50,000) and Flores (Uruguay) are surnames
# in US local news; Georgia and Washington are the states.
PERSON_DIVISION_POP = 500_000
# A word this frequent in English (wordfreq's Zipf scale) is a common word before it is a
# town: "Vice Mayor", "Superior Court" (Dublin and Columbus are just below, at 4.1 and 4.0).
COMMON_WORD_ZIPF = 4.4
# A word at least this common in English (wordfreq's Zipf scale: "patrol" 4.1, "sector" 4.7,
# "force" 5.2; "Kabul" 3.4, "Tripoli" 3.3) capitalised inside a longer capitalised name is a
# word of that name, not a place of its own (see _accept_scan).
NAME_WORD_ZIPF = 4.0
_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z]+)")
# Capitals of this many letters or fewer in text that is not ALL CAPS are an acronym ("NICE",
# "SWAT"), a place only as a country or a province ("UK", "DRC")
ACRONYM_LETTERS = 5


def _at_line_start(text: str, start: int) -> bool:
    """The span starts a line (a dateline's place: "BEIRUT (Reuters) -")."""
    return text[:start].strip(" \t").endswith("\n") or not text[:start].strip()


# A small province abroad whose name is an English word this frequent ("Lakes", "Unity") is
# not read at the head of an organisation's name ("Lakes Edge Apartments"); "Al Jawf" is.
PLAIN_WORD_ZIPF = 3.5
# A saint's name in the possessive is a town's own only for a city this large.
SAINT_CITY_POP = 1_000_000


def _initialled_name(ent) -> bool:
    """ "Tyrise M. Bell", whatever label the model gave it: a person's name, initial and all."""
    toks = [t.text for t in ent]
    return (
        len(toks) == 3
        and len(toks[1]) == 2
        and toks[1][0].isupper()
        and toks[1][1] == "."
        and toks[0][:1].isupper()
        and toks[0].isalpha()
        and toks[2][:1].isupper()
        and toks[2].isalpha()
    )


def _used_alone(tok) -> bool:
    """Whether the article writes this word on its own elsewhere, mid-sentence and not after
    the word it follows here ("Wilson had pled guilty" after "Gary Wilson")."""
    prev = tok.nbor(-1).lower_ if tok.i > 0 else ""
    for t in tok.doc:
        if (
            t.i != tok.i
            and t.text == tok.text
            and not t.is_sent_start
            and (t.i == 0 or t.nbor(-1).lower_ != prev)
            and (t.i + 1 >= len(t.doc) or not t.nbor(1).text[:1].isupper())
        ):
            return True
    return False


def _is_name_token(text: str, tok_start: int, tok_end: int, shouting: bool) -> bool:
    ch = text[tok_start]
    if shouting:
        return ch.isalpha()
    return ch.isupper()


class Recognizer(ConventionsMixin, WordingMixin):
    """Finds place mentions in a parsed article (see the module docstring for the cascade)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self.words = recognition_words()
        # "European" -> the index of Europe's entry
        self.continents: dict[str, int] = {}
        for adj, cont in continent_adjectives().items():
            idx = [c for c in gazetteer.lookup_key(name_key(cont)) if gazetteer._fcode[c] == "CONT"]
            if idx:
                self.continents[name_key(adj)] = idx[0]
        self.stop = place_stopwords()
        self.no_country_demonyms = ambiguous_demonyms()
        self.abbreviations = division_abbreviations()
        terms = relative_terms()
        self.directions = {name_key(w) for w in terms["directions"]}
        self.division_words = {name_key(w) for w in terms["divisions"]}
        nouns = "|".join(sorted(self.words["resident_nouns"]))
        # "Dublin City Council", "Gainesville Police": the town's own offices, capitalised
        offices = "|".join(sorted(w.capitalize() for w in self.words["town_offices"]))
        self._after_locative = re.compile(
            rf"\b(?:in|at|near|outside|inside) ({_NAME_RUN}){_CLAUSE_GOES_ON}"
        )
        self._before_residents = re.compile(rf"\b(?:[Aa]n?|[Tt]he|old) ({_NAME_RUN}) (?:{nouns})\b")
        self._residents_of = re.compile(rf"({_NAME_RUN})(?:'s|\u2019s)? residents?\b")
        kin_words = "|".join(sorted(self.words["kin_nouns"]))
        self._kin_of = re.compile(
            rf"\b([A-Z][a-z]+)(?:'s|\u2019s) (?:{kin_words})\b"
            r"|\b([A-Z][a-z]+) (?:herself|himself)\b"
        )
        self._offices_of = re.compile(rf"({_NAME_RUN}) (?:City Council|City Hall|{offices})\b")

    # -- helpers -------------------------------------------------------------------------

    def _demonym(self, key: str) -> str | None:
        return self.gaz.demonyms.get(key)

    def _strong_name(self, cands: tuple[int, ...]) -> bool:
        gaz = self.gaz
        for i in cands:
            code = gaz._fcode[i]
            if code in ("PCLI", "PCLD", "PCLF", "PCLS", "TERR", "CONT", "ADM1", "RGN"):
                return True
            if gaz._pop[i] >= BIG_CITY:
                return True
        return False

    # -- main ----------------------------------------------------------------------------

    def mentions(self, doc, text: str) -> list[Mention]:  # noqa: C901 - one cascade, in order
        shouting = is_shouting(text)
        self._text = text
        self._place_shown: set[str] | None = None
        gaz = self.gaz
        out: list[Mention] = []
        covered = bytearray(len(text) + 1)
        self._covered = covered
        blocked = bytearray(len(text) + 1)

        def take(m: Mention) -> None:
            out.append(m)
            for k in range(m.start, m.end):
                covered[k] = 1

        # 1-2. entities of the model
        person = bytearray(len(text) + 1)
        org_heads: set[int] = set()  # where each organisation's name starts
        org_chars = bytearray(len(text) + 1)  # inside an organisation's name
        self._org_heads = org_heads
        # words of the people the article names in full ("Jerome Faulkner" ... "Faulkner")
        person_words = {
            name_key(t.text)
            for ent in doc.ents
            if (ent.label_ == "PERSON" and len(ent) > 1 and not self._place_like(ent))
            or _initialled_name(ent)
            for t in ent
        }
        for ent in doc.ents:
            label = ent.label_
            if label in BLOCK_LABELS or label == "NORP":
                whole = self._whole_country(text, ent)
                if whole is not None:  # "Sri Lanka" as a person, "Georgia" as an organisation
                    take(whole)
                    continue
            if label == "PERSON" and any(
                t.text in _DASHES and t.whitespace_ and doc[t.i - 1].whitespace_ for t in ent[1:]
            ):
                # "Mr Trump - Wisconsin and": a dash between spaces ends a name (not
                # "Jean-Pierre"); the scan decides on the words
                continue
            if label == "PERSON":
                block_end = ent.end_char
                last = ent[-1]
                lkey = name_key(last.text)
                lcands = gaz.lookup_key(lkey) if lkey else ()
                if (
                    len(ent) > 1
                    and ent.start > 0
                    and doc[ent.start - 1].lower_ in self.words["strong_locative"]
                    and lcands
                    and self._country_or_admin1(lcands, lkey)
                ):
                    # "in Mojolo Sinaloa": a village and its province without the comma,
                    # not a person; the province is the place the text gives
                    block_end = last.idx
                    take(Mention(last.idx, last.idx + len(last.text), lkey, lcands, "scan"))
                for k in range(ent.start_char, block_end):
                    person[k] = 1
                # a one-word "person" that is exactly a place name is the model's mistake
                # more often than not ("Cairns", "Heathrow"); the scan decides
                if len(ent) > 1:
                    for k in range(ent.start_char, block_end):
                        blocked[k] = 1
                continue
            if label in NON_PLACE_LABELS:
                for k in range(ent.start_char, ent.end_char):
                    blocked[k] = 1
                continue
            if label in BLOCK_LABELS:
                # "Alberta Liquor Store Association", "Texas A&M University": toponym corpora
                # annotate the place inside an organisation's name; the scan takes strong names
                # A one-word "organisation" that is a place name is mostly the small model's
                # mistake ("Danbury police", "in Churchill"), and so is one with a comma in it
                # ("Kuito, Bie"): the scan's usual rules decide.
                if "," in ent.text or (label == "ORG" and self._two_places(ent)):
                    continue
                if (
                    len(ent) == 2
                    and ent.start > 0
                    and doc[ent.start - 1].lower_ in self.words["strong_locative"]
                    and self._province_word(ent[-1])
                ):
                    # "in Cosala Sinaloa" read as an organisation: a village and its province
                    last = ent[-1]
                    lkey = name_key(last.text)
                    take(
                        Mention(
                            last.idx, last.idx + len(last.text), lkey, gaz.lookup_key(lkey), "scan"
                        )
                    )
                    continue
                mark = 3 if len(ent) == 1 else 2
                for k in range(ent.start_char, ent.end_char):
                    blocked[k] = mark
                    if label == "ORG":
                        org_chars[k] = 1
                first = ent[1] if ent[0].lower_ == "the" and len(ent) > 1 else ent[0]
                org_heads.add(first.idx)
                continue
            if label == "NORP":
                self._norp(ent, text, take)
                continue
            if label not in PLACE_LABELS:
                continue
            if (
                len(ent) == 1
                and _person_context(doc, ent.start, self.words)
                and not self._capital(ent.text)
            ):
                continue  # "Bingham said", "coach Ripley": the model's mistake
            if covered[ent.start_char]:
                continue  # inside the name a previous entity was extended to
            ent_end = self._extended_end(doc, ent, text, shouting)
            for s, e in self._split_entity(text, ent.start_char, ent_end):
                m = self._resolve_span(text, s, e, "ner", loose_ok=label == "GPE")
                if m is not None:
                    take(m)

        # 3. gazetteer scan
        accepted: set[str] = set()
        held: list[Mention] = []
        toks = list(doc)
        n_tok = len(toks)
        i = 0
        while i < n_tok:
            tok = toks[i]
            ts = tok.idx
            if covered[ts] or not tok.text:
                i += 1
                continue
            compound = _COMPOUND.match(tok.text) if "-" in tok.text else None
            if (
                compound is not None
                and compound.group(2) in self.words["compound_suffixes"]
                and not shouting
            ):
                # "the U.S.-led campaign": one token, the country's name before the hyphen
                head = compound.group(1)
                hkey = name_key(head)
                hcands = gaz.lookup_key(hkey)
                if hcands and self._country_or_admin1(hcands, hkey):
                    take(Mention(ts, ts + len(head), hkey, hcands, "scan"))
                    i += 1
                    continue
            abbr_m = self._dotted_abbreviation(text, tok) if not shouting else None
            if abbr_m is not None:  # "the S.C. Highway Patrol", "Rep. Clyburn, D-S.C."
                take(abbr_m)
                i += 1
                continue
            if not _is_name_token(text, ts, ts + len(tok), shouting):
                # "el Mina", "al-Hasakeh": a lower-case Arabic article starts the name
                nxt_i = i + 2 if i + 2 < n_tok and toks[i + 1].text == "-" else i + 1
                if not (
                    tok.text in self.words["articles"]
                    and nxt_i < n_tok
                    and _is_name_token(text, toks[nxt_i].idx, toks[nxt_i].idx + 1, shouting)
                ):
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
                    and t.text.lower() not in self.words["connectors"]
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
            loose_only = False
            if best is None and not shouting:
                # spelling variants ("Ash-Shajara"): only with a locative pattern, below
                for j in range(last - 1, i - 1, -1):
                    tj = toks[j]
                    te = tj.idx + len(tj.text)
                    if covered[tj.idx] or not _is_name_token(text, tj.idx, te, shouting):
                        continue
                    if any(t.is_sent_start for t in toks[i + 1 : j + 1]) or any(
                        t.text in (",", "(", ")", ".", ";") for t in toks[i : j + 1]
                    ):
                        continue
                    key = name_key(text[ts:te])
                    if key in self.stop:
                        continue
                    lc = gaz.lookup_loose(key)
                    if lc and len(lc) <= MAX_LOOSE:
                        best, loose_only = (j, key, lc), True
                        break
            if best is None:
                i += 1
                continue
            j, key, cands = best
            if (
                j > i
                and key.endswith(" city")
                and j + 1 < n_tok
                and toks[j + 1].text[:1].isupper()
                and toks[j + 1].lower_ in self.words["civic_words"]
            ):
                # "Dublin City Council": the town's council, the town's name
                short = name_key(text[ts : toks[j - 1].idx + len(toks[j - 1].text)])
                short_cands = gaz.lookup_key(short)
                if short_cands:
                    j, key, cands = j - 1, short, short_cands
            if loose_only:
                prev_w = self._prev_word(toks, i)
                if (
                    (
                        blocked[ts] in (0, 3)
                        or prev_w in self.words["strong_locative"]
                        or prev_w == "("
                        or self._place_noun_of(toks, i)
                    )
                    and not (
                        person[ts]
                        and prev_w not in self.words["strong_locative"]
                        and not self._parenthesised_pair(toks, i, j)
                    )
                    and self._loose_supported(toks, i, j)
                    # "at First Baptist Church", "at Story Elementary": a spelling variant
                    # inside a longer name is a word of that name
                    and not self._part_of_longer_name(toks, i, j)
                    # "the Line of Control" is not Mexico's El Control
                    and not (
                        i == j
                        and _zipf(toks[i].lower_) >= NAME_WORD_ZIPF
                        and self._in_capitalised_run(toks, i)
                    )
                    # "Tirah valley" names a valley, not Israel's Tirat spelt alike
                    and not (j + 1 < n_tok and toks[j + 1].lower_ in self.words["feature_suffixes"])
                ):
                    take(
                        Mention(
                            ts,
                            toks[j].idx + len(toks[j].text),
                            key,
                            cands,
                            "scan",
                            loose=frozenset(cands),
                            division_word=self._kind_after(toks, j),
                        )
                    )
                    i = j + 1
                else:
                    # a spelling variant not taken leaves its words to the scan: "A Gainesville"
                    # resembles Gainesville, and "Gainesville" on its own is the name
                    i += 1
                continue
            te = toks[j].idx + len(toks[j].text)
            if not cands:  # a demonym
                code = self._demonym(key)
                # (inside an organisation's name too: "the Syrian Observatory", "The Canadian
                # Press" name their country as toponym corpora annotate it; not inside a
                # person's name, a date, a product: "Turkish F-16 jets" are a weapon's)
                in_org = (
                    org_chars[ts]
                    and j + 1 < n_tok
                    and toks[j + 1].is_alpha
                    and toks[j + 1].text[:1].isupper()
                )
                if code is not None and not shouting and (not blocked[ts] or in_org):
                    take(self._demonym_mention(ts, te, key, code))
                i = j + 1
                continue
            if (
                i > 0
                and toks[i - 1].text == ","
                and text[te : te + 1] == "."
                and text[ts : te + 1] in self.abbreviations
            ):
                i = j + 1  # "Wainwright, Alta.": Alberta, read in step 4, not Alta in Norway
                continue
            if text[te : te + 8].lower().startswith((" dollar", " cent")):
                i = j + 1  # "the US dollar": a currency, not a place
                continue
            if (
                key in person_words
                and not self._outranks_person(cands)
                and not self._shown_as_place(text[ts:te])
            ):
                i = j + 1
                continue
            if (
                i == j
                and _person_context(toks, i, self.words)
                and not self._outranks_person(cands)
                and not self._capital(text[ts:te])
            ):
                person_words.add(key)  # "coach Ripley", "Nelson said": a person, all along
                i = j + 1
                continue
            if j + 1 < n_tok and toks[j + 1].lower_ in self.words["feature_suffixes"]:
                cands = self._feature_named(cands, key)
                if not cands:
                    i = j + 1
                    continue
            if self._accept_scan(toks, i, j, key, cands, text, blocked, person, shouting):
                take(Mention(ts, te, key, cands, "scan", division_word=self._kind_after(toks, j)))
                accepted.add(key)
            elif (
                blocked[ts] != 1
                and key not in self.stop
                and self._main_name(cands, key)
                and not self._institution_after(text, te)
                and not (i > 0 and toks[i - 1].lower_ in self.words["feature_prefixes"])
            ):
                held.append(
                    Mention(ts, te, key, cands, "scan", division_word=self._kind_after(toks, j))
                )
            i = j + 1
        # One sense per article: a name the text has shown to be a place ("in Alexandria's
        # Circuit Court") is that place where the model took it for a person or a company too.
        accepted.update(m.key for m in out if m.source == "ner")
        for m in held:
            if (
                m.key in accepted
                and (m.key not in person_words or self._shown_as_place(text[m.start : m.end]))
                and not covered[m.start]
            ):
                take(m)

        # 4. abbreviations after a place: "Lexington, Ky."; US conventions that name places
        # without the usual cues: "Sen. Ray Miller, D-Columbus", "Walton and Oconee counties"
        if not shouting:
            self._abbreviations(text, out, covered, take)
            self._party_places(text, covered, take)
            self._county_lists(doc, text, covered, take)
        # "the US dollar": a currency, not a place
        out = [m for m in out if not _CURRENCY_AFTER.match(text, m.end)]
        # "the OSCE SMM", "Saudi-led coalition airstrikes", "Rafi LGA": names that tell the
        # country without naming a place give country context, like a demonym
        for ts, te, code in theatre_matches(text):
            country = gaz.countries.get(code)
            if country is not None:
                # the nationality inside the name ("Saudi" in "Saudi-led coalition") says who
                # leads, not where: the name's country replaces its vote
                for m in out:
                    if m.source == "demonym" and ts <= m.start and m.end <= te:
                        m.votes = False
                out.append(
                    Mention(
                        ts,
                        te,
                        "theatre:" + name_key(text[ts:te]),
                        (country,),
                        "theatre",
                        country_hint=code,
                        context_only=True,
                    )
                )
        # a name the article also uses for a person ("Nelson said") is that person throughout,
        # unless it names a country or a province
        out = [
            m
            for m in out
            if not (
                m.key in person_words
                and m.source in ("scan", "ner")
                and " " not in m.key
                and not self._outranks_person(m.candidates)
                and not self._shown_as_place(text[m.start : m.end])
            )
        ]
        # ... and a name the article gives kin or a reflexive pronoun ("Chad's mother", "Jordan
        # himself") is a person throughout, even a country's or a state's name
        kin = {name_key(n) for pair in self._kin_of.findall(text) for n in pair if n}
        if kin:
            out = [
                m
                for m in out
                if not (m.key in kin and m.source in ("scan", "ner") and " " not in m.key)
            ]
        # "St. Michael's Catholic School", "St. John's ER": a saint's name in the possessive
        # is a church, school or hospital named after the saint, not the town of that name
        # (unless the town is a city of millions: "St. Petersburg's main street")
        out = [
            m
            for m in out
            if not (
                _SAINT.match(text, m.start, m.end)
                and text[m.end : m.end + 2] in ("'s", "\u2019s")
                and not self._big(m.candidates, m.key, SAINT_CITY_POP)
                and not self._country_or_admin1(m.candidates, m.key)
            )
        ]
        # the word after a name the model found says its kind too: "New York Gov. Mario
        # Cuomo" is the state's governor, "Enfield Council" the borough's
        for m in out:
            if m.division_word is None and m.source in ("ner", "scan"):
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None and len(span):
                    m.division_word = self._kind_after(doc, span[-1].i)
        out.sort(key=lambda m: (m.start, m.end))
        return out

    def _shown_as_place(self, surface: str) -> bool:
        """Whether the article writes this name as a place, too: after a strong locative,
        before a town's residents or offices ("in Tulsa", "40 Tulsa residents", "Tulsa City
        Council"). Such a name stays a place where the article also seems to give it a
        person ("Tulsa says no", a headline "Senator Visits Tulsa" read as one person's
        name)."""
        if self._place_shown is None:
            shown: set[str] = set()
            text = self._text
            for m in self._after_locative.finditer(text):
                shown.add(m.group(1))
            for m in self._before_residents.finditer(text):
                shown.add(m.group(1))
            for pattern in (self._residents_of, self._offices_of):
                for m in pattern.finditer(text):
                    # "40 East Tulsa residents", "The Tulsa City Council": any tail
                    words = _POSSESSIVE_END.sub("", m.group(1)).split(" ")
                    shown.update(" ".join(words[k:]) for k in range(len(words)))
            self._place_shown = shown
        return surface in self._place_shown

    def _outranks_person(self, cands: tuple[int, ...]) -> bool:
        """A name the article also gives a person that is still a place: a country or a
        province of note ("Georgia", "Jordan"), not a small region abroad that shares a
        surname ("Nelson" in New Zealand, "Flores" in Uruguay)."""
        gaz = self.gaz
        return any(
            gaz._fcode[c] in COUNTRY_CODES
            or gaz._fcode[c] == "CONT"
            or (gaz._fcode[c] in ("ADM1", "TERR") and gaz._pop[c] >= PERSON_DIVISION_POP)
            for c in cands
        )

    def _two_places(self, ent) -> bool:
        """ "Ingham or Townsville", "Kuito and Bie": two place names the model ran into one
        organisation (not "the Kansas Treatment and Learning Center")."""
        has = self.gaz.has_key
        return any(
            t.lower_ in ("or", "and")
            and has(name_key(ent.doc[t.i - 1].text))
            and has(name_key(ent.doc[t.i + 1].text))
            for t in ent[1:-1]
        )

    def _whole_country(self, text: str, ent) -> Mention | None:
        parts = self._split_entity(text, ent.start_char, ent.end_char)
        if len(parts) != 1:
            return None
        s, e = parts[0]
        key = name_key(text[s:e])
        cands = self.gaz.lookup_key(key)
        if cands and any(self.gaz._fcode[c] in COUNTRY_CODES for c in cands) and " " in key:
            # multi-word country names only: "Jordan", "Chad", "Georgia" are also people
            return Mention(s, e, key, cands, "ner")
        return None

    def _place_like(self, ent) -> bool:
        """A "person" that is a place name ("Sri Lanka") or ends in a place word ("Greer
        Station", "Tal Samn")."""
        key = name_key(ent.text)
        if self.gaz.has_key(key):
            return True
        last = name_key(ent[-1].text)
        if last in self.division_words or last in _PLACE_TAILS:
            return True
        # "Alexandria Commonwealth's Attorney", "Alexandria Police": a well-known place name
        # comes first; but "Gary Wilson ... Wilson had pled guilty": a second word that the
        # article uses alone is a surname
        if len(ent) == 2 and _used_alone(ent[1]):
            return False
        first = self.gaz.lookup_key(name_key(ent[0].text))
        return self._country_or_admin1(first, "") or self._big(first, name_key(ent[0].text), 50_000)

    def _norp(self, ent, text: str, take) -> None:
        s, e = ent.start_char, ent.end_char
        key = name_key(text[s:e])
        if key in self.continents:
            take(Mention(s, e, key, (self.continents[key],), "demonym"))
            return
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
        # A plural names people ("Syrians", "Cubans"), not the country: toponym corpora do not
        # annotate it, but it still tells which country the article is about.
        plural = key.endswith("s") and key[:-1] in self.gaz.demonyms
        text = self._text
        language = bool(
            _LANGUAGE_BEFORE.search(text[max(0, s - 20) : s]) and _LANGUAGE_AFTER.match(text, e)
        )
        return Mention(
            s, e, key, cands, "demonym", country_hint=code, context_only=plural or language
        )

    def _province_word(self, tok) -> bool:
        """Whether a word is exactly the name of a first-level division."""
        key = name_key(tok.text)
        return bool(key) and any(
            self.gaz._fcode[c] == "ADM1" and name_key(self.gaz._names[c]) == key
            for c in self.gaz.lookup_key(key)
        )

    def _extended_end(self, doc, ent, text: str, shouting: bool) -> int:
        """The end of a place entity the model cut short: "Los Angeles Tetela" tagged as
        "Los Angeles", "Valle del Cauca" as "Valle". The longest run of up to two more name
        words (and connectors) that the gazetteer knows exactly wins; else the model's end."""
        end = ent.end_char
        if shouting:
            return end
        gaz = self.gaz
        j = ent.end
        names = 0
        while j < len(doc) and j < ent.end + 4 and names < 2:
            tok = doc[j]
            if tok.is_sent_start:
                break
            if tok.text.lower() in self.words["connectors"]:
                j += 1
                continue
            if not _is_name_token(text, tok.idx, tok.idx + len(tok.text), shouting):
                break
            names += 1
            te = tok.idx + len(tok.text)
            nxt = doc[j + 1] if j + 1 < len(doc) else None
            if nxt is not None and _is_name_token(text, nxt.idx, nxt.idx + len(nxt.text), False):
                j += 1
                continue  # "Dublin City Manager", "St. James United Methodist Church"
            longer = gaz.lookup_key(name_key(text[ent.start_char : te]))
            # a town or a division, not the airport or the park named after the town
            if any(gaz._fcode[c].startswith(("PPL", "ADM", "PCL")) for c in longer):
                end = te
            j += 1
        return end

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
            for article in ("the ", "an ", "a "):
                if low.startswith(article):
                    ps += len(article)
                    break
            if seg.endswith(("'s", "\u2019s")):
                pe -= 2
            elif seg.endswith(("'", "\u2019")):
                pe -= 1
            if pe > ps:
                parts.append((ps, pe))
        return parts

    def _resolve_span(
        self, text: str, s: int, e: int, source: str, *, loose_ok: bool = False
    ) -> Mention | None:
        """A mention for text[s:e], trying the variants news text wraps names in."""
        gaz = self.gaz
        seg = text[s:e]
        key = name_key(seg)
        if not key or not (seg[0].isupper() or seg[0].isdigit() or is_shouting(text)):
            return None
        abbr = self.abbreviations.get(seg) if "." in seg else None
        if abbr is not None:  # "Kan.", "Fla.": the style-guide abbreviation, not a namesake
            entry = gaz.admin1_entry(abbr[0], abbr[1])
            if entry is not None:
                return Mention(
                    s, e, name_key(abbr[1]), (entry.index,), "abbreviation", country_hint=abbr[0]
                )
        code = self._demonym(key)
        if code is not None:
            return self._demonym_mention(s, e, key, code)
        if key in self.stop:
            return None
        if len(seg) <= 3 and "." not in seg and is_shouting(text):
            return None  # "TOLD US" in ALL-CAPS wire text is the pronoun, not the country
        cands = gaz.lookup_key(key)
        after = _NEXT_WORD.match(text, e)
        feature = after is not None and after.group(1).lower() in self.words["feature_suffixes"]
        if cands and feature:
            cands = self._feature_named(cands, key)
        if (
            cands
            and len(seg) <= ACRONYM_LETTERS
            and seg.isalpha()
            and seg.isupper()
            and not _at_line_start(text, s)
            and not is_shouting(text)
        ):
            # "AL", "BSF", "NICE": capitals of five letters or fewer are an acronym, a place
            # only as a country's or a province's ("UK", "DRC", "KP"), never a town whose name
            # folds to them (Norway's "Ål"); a dateline at a line's start ("BEIRUT -") is one
            cands = tuple(c for c in cands if gaz._fcode[c] in COUNTRY_LIKE)
            if not cands:
                return None  # nor a spelling variant of one
        if cands:
            return Mention(s, e, key, tuple(cands), source)
        abbr = self.abbreviations.get(seg) or self.abbreviations.get(seg.rstrip("."))
        if (
            abbr is not None
            and seg.isalpha()
            and len(seg) <= 3
            and not text[:s].rstrip().endswith(",")
        ):
            # a postal code ("AL", "GA") names a state only after its town ("Mobile, AL");
            # alone it is an acronym ("groups of AL", the Awami League)
            abbr = None
        if abbr is not None:  # "In B.C., ...": the model tagged an abbreviation as a place
            entry = gaz.admin1_entry(abbr[0], abbr[1])
            if entry is not None:
                return Mention(
                    s, e, name_key(abbr[1]), (entry.index,), "abbreviation", country_hint=abbr[0]
                )
        words = list(re.finditer(r"\S+", seg))
        if len(words) >= 2:
            # "Khogyani district", "West Virginia State": the name before a division word
            lastw = name_key(words[-1].group())
            if lastw in self.division_words:
                inner_e = s + words[-2].end()
                inner = self._resolve_span(text, s, inner_e, source, loose_ok=loose_ok)
                if inner is not None:
                    inner.division_word = lastw
                    return inner
            # "northern Syria", "North-east Nigeria": the name after a direction word
            first = name_key(words[0].group())
            if first in self.directions:
                return self._resolve_span(text, s + words[1].start(), e, source, loose_ok=loose_ok)
        # last, spelling variants, only where the exact name is unknown ("Newark" is not "New
        # York", "Ponce city" is Ponce before it is Ponca City)
        if feature:
            loose_ok = False  # "Tirah valley" names a valley, not Israel's Tirat spelt alike
        loose = frozenset(gaz.lookup_loose(key) if loose_ok else ())
        if loose and len(loose) <= MAX_LOOSE:
            return Mention(s, e, key, tuple(sorted(loose)), source, loose=loose)
        return None

    def _feature_named(self, cands: tuple[int, ...], key: str) -> tuple[int, ...]:
        """The candidates a name before a physical feature word can mean ("Tirah valley",
        "Swat river"): places under that very name, or divisions and features, not a town
        that merely lists it among its alternate names (Israel's Tirat Karmel, "Tirah")."""
        gaz = self.gaz
        return tuple(
            c
            for c in cands
            if name_key(gaz._names[c]) == key or not gaz._fcode[c].startswith("PPL")
        )

    def _loose_supported(self, toks, i: int, j: int) -> bool:
        """A spelling variant is taken only where the wording says a place comes."""
        if toks[i].ent_type_ == "NORP" or (i == j and toks[i].pos_ in NON_NAME_POS):
            return False
        if j + 1 < len(toks) and toks[j + 1].like_num:
            return False  # "Troop 40", "Pack 12": a numbered unit, not a town spelt alike
        prev = self._prev_word(toks, i)
        return (
            prev in self.words["locative"]
            or self._place_noun_of(toks, i)
            or prev == "("
            or self._division_after(toks, j) is not None
        )

    def _accept_scan(
        self,
        toks,
        i: int,
        j: int,
        key: str,
        cands: tuple[int, ...],
        text: str,
        blocked: bytearray,
        person: bytearray,
        shouting: bool,
    ) -> bool:
        """Whether a gazetteer match the model did not tag as a place is a place here."""
        single = i == j
        if key in self.stop:
            return False
        tok = toks[i]
        prev = self._prev_word(toks, i)
        nxt = toks[j + 1].text if j + 1 < len(toks) else ""
        surface = text[tok.idx : toks[j].idx + len(toks[j])]
        # "BEIRUT -", "OTTAWA (Reuters)": a dateline at the start of a line
        # ("... March 24, 2009 MANSFIELD -- Mansfield Mayor": a feed that ran the lines together
        # puts it after the date or at a sentence start, with a capitalised word after the dash)
        dateline = (
            nxt in DASHES
            and surface.isupper()
            and (
                i == 0
                or "\n" in toks[i - 1].text_with_ws
                or toks[i - 1].is_space
                or (
                    not shouting
                    and len(key) > 3
                    and (tok.is_sent_start or toks[i - 1].like_num)
                    and j + 2 < len(toks)
                    and toks[j + 2].text[:1].isupper()
                )
            )
        )
        if dateline:
            return self._main_name(cands, key)
        if single and len(surface) <= 3 and shouting:
            return False  # "TOLD US": in ALL-CAPS text a short word is no abbreviation
        if single and len(key) < 3:
            return self._country_or_admin1(cands, key)  # "US", "UK"
        if single and (tok.is_stop or tok.pos_ in NON_NAME_POS):
            return False
        if single and nxt[:1].isdigit() and not self._strong_name(cands):
            return False  # "Loop 12", "Station 3": a numbered road or unit, not a small town
        if self._institution_after(text, toks[j].idx + len(toks[j])) and not (
            self._country_or_admin1(cands, key)
        ):
            return False  # "St. John's University", "St. Paul's Hospital"
        if self._hyphenated(toks, i, j) and not self._country_or_admin1(cands, key):
            return False  # "Mayo" of "Mayo-Sava", "Sema" of "Sema-i-Sulha"
        if (
            single
            and not shouting
            and _zipf(tok.lower_) >= NAME_WORD_ZIPF
            and self._in_capitalised_run(toks, i)
            and not (self._country_or_admin1(cands, key) or self._big(cands, key, BIG_CITY))
        ):
            # "Border Security Force", "Line of Control", "Border Patrol Police", "Battal
            # Sector": a common English word capitalised inside a longer name is a word of that
            # name (an organisation's, a front's), not the small namesake abroad (France's
            # Forcé, Mexico's El Control)
            return False
        in_parens = prev == "(" or (nxt == ")" and prev == ",")
        # the town's own offices after its name: "Rochester Fire Department", "Sochi Mayor"
        # (not a common word: "Vice Mayor", "Superior Court")
        civic = (
            (nxt[:1].isupper() and nxt.lower() in self.words["town_offices"])
            or nxt in self.words["town_forces"]
            or self._government_after(toks, j) is not None
        ) and not (single and _zipf(tok.lower_) >= COMMON_WORD_ZIPF)
        division = self._division_after(toks, j) is not None
        # "A Tulsa man", "the 40-year-old Tulsa woman": the town people live in
        resident = (
            nxt.lower() in self.words["resident_nouns"]
            and (prev in ("a", "an", "the") or prev.endswith("old"))
            and not shouting
        )
        strong_pattern = (
            resident
            or prev in self.words["strong_locative"]
            or in_parens
            or division
            or nxt == "("
            or self._place_noun_of(toks, i)
        )
        pattern = (
            strong_pattern
            or prev in self.words["locative"]
            or nxt == "("
            or (nxt == "," and j + 2 < len(toks) and self.gaz.has_key(name_key(toks[j + 2].text)))
            or (
                prev == ","
                and i >= 2
                and (toks[i - 2].ent_type_ in PLACE_LABELS or self._covered[toks[i - 2].idx])
            )
        )
        if (
            single
            and not shouting
            and surface.isupper()
            and (len(surface) <= 3 or (len(surface) <= ACRONYM_LETTERS and surface.isalpha()))
        ):
            return self._country_or_admin1(cands, key)  # "US", "UK"; not "BA", "WE", "NICE"
        if (
            not single
            and not shouting
            and self._named_division(cands, key)
            and self._main_name(cands, key)
        ):
            # "Walker County dispatchers", "Coles County Police": the name says so, also where
            # the model ran it into a name or a time ("Osage County Sheriff Ann Lee", "9:15 a.m.
            # Osage County")
            return True
        if blocked[tok.idx] == 1:  # inside a multi-word person's name, a date, a number
            return strong_pattern and not shouting
        if shouting:
            return strong_pattern and self._strong_name(cands)
        main = self._main_name(cands, key)
        if person[tok.idx]:
            # a one-word "person" that names a country or a province ("Georgia" aside, which
            # the article's full names catch), a town of 20,000+ standing alone (the small
            # model tags unfamiliar names as people: "Alexandria woman charged"), or one the
            # wording puts somewhere
            left = toks[i - 1] if i > 0 else None
            right = toks[j + 1] if j + 1 < len(toks) else None
            flanked = any(
                t is not None and t.text[:1].isupper() and t.is_alpha and not t.is_sent_start
                for t in (left, right)
            )
            if self._part_of_longer_name(toks, i, j) and not self._country(cands):
                return False  # "in Bar Elias": the first word of a longer unknown name
            return (
                strong_pattern
                or self._country_or_admin1(cands, key)
                or (not flanked and self._big(cands, key, 20_000))
            )
        if single and re.search(r"\b" + re.escape(tok.text.lower()) + r"\b", text):
            # the word also occurs in lower case: a common word, a place only with support
            return strong_pattern
        if blocked[tok.idx] == 2:
            # inside an organisation's name: "Alberta Liquor Store Association" yes,
            # "The New York Times" no; "in Cerro De Pasco municipality" is the model's mistake
            after = toks[j + 1].text.lower() if j + 1 < len(toks) else ""
            if after in ("state", "evening", "morning", "sunday") and j + 2 < len(toks):
                after = toks[j + 2].text.lower()  # "Tulsa State Journal", a newspaper
            if after in self.words["media_words"] or not main:
                return False
            if strong_pattern and main:
                return True
            if tok.idx not in self._org_heads and prev in self.words["feature_prefixes"]:
                return False  # "United Russia", the party; "Air Berlin", the airline
            if tok.idx not in self._org_heads:
                # "Environment Canada", "Costco Canada": a country inside the name is a
                # toponym (corpora annotate it); "Plantation Lakes Apartments" is not
                # and so is a province after "of" ("University of Pennsylvania")
                if (
                    prev == "of"
                    and i >= 2
                    and toks[i - 2].lower_ in self.words["seat_institutions"]
                    and self._big(cands, key, BIG_CITY)
                ):
                    return True  # "the University of Tulsa": the city it is in
                return any(
                    (
                        self.gaz._fcode[c] in COUNTRY_CODES
                        or (self.gaz._fcode[c] == "ADM1" and prev == "of")
                    )
                    and name_key(self.gaz._names[c]) == key
                    for c in cands
                )
            # a country or a province of note opening an organisation's name ("Alberta Liquor
            # Store Association"); not a small province abroad named by a common word ("Lakes
            # Edge Apartments" is not South Sudan's Lakes)
            return (
                (
                    self._country_or_admin1(cands, key)
                    and (self._outranks_person(cands) or _zipf(key) < PLAIN_WORD_ZIPF)
                )
                or self._big(cands, key, BIG_CITY * 2)
                or self._named_division(cands, key)
                or civic
            )
        if civic and main and not self._hyphenated(toks, i, j):
            return True  # "Gainesville Police", "Harwinton Fire Department"
        if self._part_of_longer_name(toks, i, j) and not (
            (
                self._country(cands)
                or self._big(cands, key, BIG_CITY * 2)
                or self._named_division(cands, key)
            )
            and not self._place_follows(toks, j)
            and not (i > 0 and toks[i - 1].lower_ in self.words["feature_prefixes"])
        ):
            # "Nyaung" of "Nyaung Pin Zay", "Los Angeles" of "Los Angeles Tetela": a small
            # place's name inside a longer name is not that place
            return False
        if blocked[tok.idx] == 3 and not main:
            return bool(strong_pattern)
        if not main:
            # matched only through an alternate name ("Bale" for Basel): needs support
            return strong_pattern
        if pattern:
            return True
        if single and tok.is_sent_start:
            return self._strong_name(cands) and len(key) > 3
        return self._strong_name(cands)
