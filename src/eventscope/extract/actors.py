"""Actor recognition and ACLED-style normalisation.

:class:`ActorFinder` finds every actor mention in a parsed document with spaCy
``PhraseMatcher``s built from the actor dictionary (``data/actors.yaml`` plus a user file):
named groups ("Daesh", "ISWAP", "al-Shabaab") and generic nouns ("gunmen", "troops",
"villagers"). A demonym or country next to a mention ("Nigerian Air Force", "the army of
Mali", "a Daesh offshoot in Egypt") gives it a country of its own.

:meth:`ActorFinder.resolve` turns a mention into an ACLED name and actor type, given the
country the event happened in:

- a generic state noun becomes "Military Forces of Nigeria" / "Police Forces of Iraq"; when
  the forces belong to another country than the event's, the ACLED type is
  ``External/Other forces`` (ACLED codes foreign forces so, e.g. Turkey in Syria);
- ``country_suffix`` groups are named by the country they act in: "Islamic State (Iraq)";
- other generic nouns take the event's country: "Civilians (Kenya)".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from spacy.matcher import PhraseMatcher

from .knowledge import ActorDictionary, ActorEntry, Countries

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

log = logging.getLogger(__name__)

# Country words of up to three letters are also common words ("us", "car"); they count only
# written in capitals.
_SHORT = 3
# Words that may stand between a demonym and the forces it names ("Syrian regime forces").
_BETWEEN = frozenset({"'s", "’s", "-", "regime", "government", "pro"})


def _modifies_a_thing(doc: Doc, s: int, e: int) -> bool:
    """ "a student dormitory", "farmer cooperatives' warehouses": a people noun that only
    qualifies a thing names no one who acted or was hurt (the dormitory was attacked)."""
    last = doc[e - 1]
    head = last.head
    return (
        last.dep_ == "compound"
        and not (s <= head.i < e)
        and head.pos_ == "NOUN"
        and head.i == e  # the noun right after it: "student dormitory"
    )


@dataclass(slots=True)
class ActorMention:
    """One actor mention: token span, characters, dictionary entry, own country if any."""

    start: int
    end: int
    start_char: int
    end_char: int
    entry: ActorEntry
    country: str | None = None
    # other entries for the same words, used when ``entry`` is limited to other countries
    alternatives: tuple[ActorEntry, ...] = ()

    @property
    def text_span(self) -> tuple[int, int]:
        return self.start_char, self.end_char


@dataclass(slots=True)
class CountryMention:
    start: int
    end: int
    code: str
    demonym: bool


class ActorFinder:
    """Finds actor and country mentions; built once per vocabulary (cached by the coder)."""

    def __init__(self, vocab: Vocab, actors: ActorDictionary, countries: Countries) -> None:
        self.actors = actors
        self.countries = countries
        self._lower = PhraseMatcher(vocab, attr="LOWER")
        self._exact = PhraseMatcher(vocab, attr="ORTH")
        self._country = PhraseMatcher(vocab, attr="LOWER")
        self._entries: dict[str, ActorEntry] = {}
        self._demonyms: set[str] = set()
        from spacy.lang.en import English

        tok = English().tokenizer
        # Later entries (a user's file) win on a shared alias: keys are per entry and the
        # match filter prefers the later entry at equal length.
        self._order: dict[str, int] = {}
        for i, entry in enumerate(actors.entries):
            key = f"actor{i}"
            self._entries[key] = entry
            self._order[key] = i
            if entry.aliases:
                self._lower.add(key, [tok(a) for a in entry.aliases])
            if entry.exact:
                self._exact.add(key, [tok(a) for a in entry.exact])
        for c in countries.by_code.values():
            self._country.add(f"C{c.code}", [tok(w.lower()) for w in (c.name, *c.aliases)])
            if c.demonyms:
                self._country.add(f"D{c.code}", [tok(w.lower()) for w in c.demonyms])

    # ------------------------------------------------------------------ countries

    def countries_in(self, doc: Doc) -> list[CountryMention]:
        """Country names, aliases and demonyms in the text (longest match, in order)."""
        out: list[CountryMention] = []
        strings = doc.vocab.strings
        last_end = -1
        for match_id, start, end in sorted(
            self._country(doc), key=lambda m: (m[1], -(m[2] - m[1]))
        ):
            if start < last_end:
                continue
            text = doc[start:end].text
            if len(text) <= _SHORT and not text.isupper():
                continue
            if self._currency_after(doc, end):
                last_end = end
                continue
            key = strings[match_id]
            out.append(CountryMention(start, end, key[1:], key[0] == "D"))
            last_end = end
        return out

    def _currency_after(self, doc: Doc, end: int) -> bool:
        """The country word qualifies a currency ("US dollar", "Lebanese pound")."""
        if end >= len(doc):
            return False
        words = self.countries.currencies
        if doc[end].lower_ in words:
            return True
        return end + 1 < len(doc) and f"{doc[end].lower_} {doc[end + 1].lower_}" in words

    def currency_spans(self, doc: Doc) -> list[tuple[int, int]]:
        """Character spans of country words that only qualify a currency: they name no
        place of the event (a geocoder may still have read "US" as the United States)."""
        out = []
        for _, start, end in self._country(doc):
            if self._currency_after(doc, end):
                out.append((doc[start].idx, doc[end - 1].idx + len(doc[end - 1])))
        return out

    # ------------------------------------------------------------------ actors

    def find(self, doc: Doc, country_mentions: list[CountryMention]) -> list[ActorMention]:
        """Every actor mention in the document, longest first on overlaps, in text order."""
        strings = doc.vocab.strings
        raw = [(strings[m], s, e) for m, s, e in self._lower(doc)]
        raw += [(strings[m], s, e) for m, s, e in self._exact(doc)]
        # Longest span wins; at equal length a named group beats a generic noun and a later
        # (user) entry beats an earlier one.
        raw.sort(
            key=lambda r: (
                -(r[2] - r[1]),
                self._entries[r[0]].generic,
                -self._order[r[0]],
                r[1],
            )
        )
        taken: set[int] = set()
        chosen: list[tuple[str, int, int]] = []
        same_span: dict[tuple[int, int], list[str]] = {}
        for key, s, e in raw:
            same_span.setdefault((s, e), []).append(key)
            if any(i in taken for i in range(s, e)):
                continue
            taken.update(range(s, e))
            chosen.append((key, s, e))
        chosen.sort(key=lambda r: r[1])
        # Adjacent mentions of one generic class are one mention ("army forces").
        merged: list[tuple[str, int, int]] = []
        for key, s, e in chosen:
            if merged and merged[-1][0] == key and merged[-1][2] == s:
                merged[-1] = (key, merged[-1][1], e)
            else:
                merged.append((key, s, e))
        by_start = {c.start: c for c in country_mentions}
        by_end = {c.end: c for c in country_mentions}
        out: list[ActorMention] = []
        for key, s, e in merged:
            if s >= 2 and doc[s - 1].text == "-" and doc[s - 2].lower_ in ("anti", "counter"):
                continue  # "anti-Houthi forces" are the Houthis' enemies, not the Houthis
            entry = self._entries[key]
            if entry.generic and entry.type == "Civilians" and self._in_name(doc, s, e):
                continue
            if entry.generic and entry.type == "Civilians" and _modifies_a_thing(doc, s, e):
                continue
            span = doc[s:e]
            alts = tuple(self._entries[k] for k in same_span.get((s, e), []) if k != key)
            m = ActorMention(s, e, span.start_char, span.end_char, entry, alternatives=alts)
            m.country = self._own_country(doc, s, e, entry, by_start, by_end)
            if m.country is not None:
                # the demonym belongs to the mention ("Nigerian soldiers")
                before = by_end.get(s) or (by_end.get(s - 1) if s > 0 else None)
                if before is not None and before.code == m.country:
                    m.start = before.start
                    m.start_char = doc[before.start].idx
            out.append(m)
        out.extend(self._peoples(doc, country_mentions, out))
        out.sort(key=lambda x: x.start)
        return out

    def _in_name(self, doc: Doc, s: int, e: int) -> bool:
        """ "the Children of Fire initiative": the words are part of an organisation's name
        (a title-case or "of" phrase closed by an organisation noun in the same noun phrase)."""
        heads = self.actors.organisation_heads
        if not heads:
            return False
        for j in range(e, min(e + 4, len(doc))):
            t = doc[j]
            if t.lower_ in heads:
                return j > e  # "children initiative" is too loose; a name stands between
            if t.is_punct or t.pos_ in ("VERB", "AUX") or t.lower_ in ("and", "or", "who", "that"):
                return False
        return False

    def _peoples(
        self, doc: Doc, country_mentions: list[CountryMention], found: list[ActorMention]
    ) -> list[ActorMention]:
        """ "Palestinians", "Afghans": a plural demonym standing alone names civilians of
        that country (ACLED: "Civilians (Palestine)")."""
        civilians = next(
            (
                e
                for e in self.actors.entries
                if e.generic and e.type == "Civilians" and e.agent_name is None
            ),
            None,
        )
        if civilians is None:
            return []
        covered = {i for m in found for i in range(m.start, m.end)}
        out = []
        for c in country_mentions:
            tok = doc[c.end - 1]
            if (
                c.demonym
                and c.start not in covered
                and tok.lower_.endswith("s")
                and tok.dep_ not in ("amod", "compound")
                and (c.end >= len(doc) or not doc[c.end].is_alpha or doc[c.end].pos_ != "NOUN")
            ):
                span = doc[c.start : c.end]
                out.append(
                    ActorMention(c.start, c.end, span.start_char, span.end_char, civilians, c.code)
                )
        return out

    def _own_country(
        self,
        doc: Doc,
        s: int,
        e: int,
        entry: ActorEntry,
        by_start: dict[int, CountryMention],
        by_end: dict[int, CountryMention],
    ) -> str | None:
        # "Nigerian soldiers", "the Iraqi army", "Syrian regime forces"
        for back in (s, s - 1):
            c = by_end.get(back)
            if c is not None and (c.demonym or entry.state or entry.country_suffix):
                between = doc[c.end : s]
                # unit names may stand between: "French Operation Barkhane forces"
                if len(between) <= 3 and all(
                    t.lower_ in _BETWEEN or (t.pos_ == "PROPN" and t.is_title) for t in between
                ):
                    return c.code
        # "the army of Mali", "forces of Nigeria"
        if e < len(doc) - 1 and doc[e].lower_ == "of":
            c = by_start.get(e + 1) or by_start.get(e + 2)
            if c is not None and not c.demonym:
                return c.code
        # "a Daesh offshoot in Egypt", "Islamic State militants in Afghanistan"
        if entry.country_suffix:
            for j in range(e, min(e + 4, len(doc))):
                if doc[j].lower_ in ("in", "of") and (j + 1) in by_start:
                    return by_start[j + 1].code
                if doc[j].is_punct and doc[j].text not in ("-",):
                    break
        return None

    def resolve(
        self, mention: ActorMention, event_country: str | None, *, as_agent: bool = False
    ) -> tuple[str, str]:
        """ACLED-style name and actor type of a mention in an event in ``event_country``.

        ``as_agent``: the mention is who acted; nouns that name nobody in particular ("men")
        then take their ``as_agent`` coding (an unidentified armed group).
        """
        entry = mention.entry
        own = mention.country
        country = own or event_country
        cname = self.countries.name(country)
        atype = entry.type
        template = entry.name
        if as_agent and entry.agent_name and entry.agent_type:
            template, atype = entry.agent_name, entry.agent_type
        if entry.generic:
            if cname:
                name = template.format(country=cname)
            else:
                name = template.replace(" of {country}", "").replace(" ({country})", "")
            if entry.state and own and event_country and own != event_country:
                atype = "External/Other forces"
            return name, atype
        if entry.country_suffix:
            # "a Daesh offshoot in Egypt ... the group has claimed attacks in Israel": the
            # branch of one country does not name the group's events in another
            if own and event_country and own != event_country:
                cname = self.countries.name(event_country)
            if cname:
                return f"{entry.name} ({cname})", atype
        if entry.home and event_country and entry.home != event_country and atype == "State forces":
            atype = "External/Other forces"  # e.g. Iran's IRGC in Syria
        return entry.name, atype

    def applies(self, mention: ActorMention, event_country: str | None) -> bool:
        """Entries limited to some countries apply only to events there."""
        allowed = mention.entry.countries
        return not allowed or (event_country is not None and event_country in allowed)

    def localise(self, mention: ActorMention, event_country: str | None) -> ActorMention | None:
        """The mention as it reads in ``event_country``: "militants" are the NAF in Ukraine
        and an unidentified armed group elsewhere; None when no entry applies."""
        if self.applies(mention, event_country):
            return mention
        for alt in mention.alternatives:
            if not alt.countries or (event_country is not None and event_country in alt.countries):
                return replace(mention, entry=alt, alternatives=())
        return None
