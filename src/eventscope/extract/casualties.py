"""Fatalities and injuries of one event, coded with ACLED's conventions.

The cascade, in the order :func:`count_casualties` follows it:

1. What text to read. The span itself, widened over the casualty clauses coordinated
   with it in its sentence ("4 rebels were killed and [9 were wounded by a drone
   strike]"); the whole paragraph when it is an ACLED event note with a coding
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
     "30 fatalities split up between 4 events").

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
   "between 5 and 7" -> 5, "9 rebels were killed ... a local official said 8 died"
   -> 8). Anaphoric mentions ("the victim died", "killing him", "all five") count only
   when nothing else does. A stated split over K events divides the figure (ACLED codes
   each part).

Vague quantities ("dozens", "several") take the figures of ``data/numbers.yaml``, which
documents the ACLED source of each; the lexicon and number reading live in
:mod:`.casualty_lexicon`. ``fatalities`` is 0 when no death is reported; ``injuries`` is
``None`` when no injury is reported.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .casualty_lexicon import Lexicon, load_lexicon, lowest_figure, parse_number
from .casualty_mentions import PAREN_GLOSS, Mention, MentionFinder, noun_key

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

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

_ALSO_HIT = re.compile(
    r"\balso\s+(?:[\w'’-]+\s+){0,5}?"
    r"(?:killed|died|dead|slain|wounded|injured|hurt|gunned\s+down|shot\s+dead)\b"
    r"|\b(?:killed|wounded|injured)\s+also\b",
    re.IGNORECASE,
)

_TRAILING_AND = re.compile(r"\s*,?\s*\b(?:and|as\s+well\s+as)\s*$")

_LEADING_AND = re.compile(r"\s*,?\s*(?:and|as\s+well\s+as)\s+")

_CLAUSE_BREAK = re.compile(r"[,;:]\s|\(|\)")


def _aggregate(mentions: list[Mention], lex: Lexicon) -> tuple[int | None, list[tuple[int, int]]]:
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
        # ("9 rebels were killed, but a local official said 8 died" -> 8); groups add.
        groups: dict[str, list[Mention]] = {}
        last_key: str | None = None
        for i, m in enumerate(counts):
            key = noun_key(m.noun, lex)
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
    dead Juan Perez", "Sokolov was gunned down").
    """
    lex = load_lexicon()
    t = text.lower()
    if not lex.patterns["any_cue"].search(t):
        return Casualties(0, None, [], [])  # most sentences: nothing to count, no pattern runs
    # ACLED notes end with the crowd size, "[size=around 50]": not a casualty count.
    t = re.sub(r"\[size=[^\]]*\]", lambda m: " " * len(m.group()), t)
    # A parenthesis without a casualty word is a gloss ("6 villagers (3 men, 2 women and
    # a boy) were killed", "in Zap (Amadiya)"): blank it so the clause reads through.
    t = PAREN_GLOSS.sub(
        lambda m: (
            m.group()
            if lex.patterns["fatal_cue"].search(m.group())
            or lex.patterns["injury_cue"].search(m.group())
            or re.search(r"fatalit|death", m.group())
            else " " * len(m.group())
        ),
        t,
    )
    f = MentionFinder(t, lex, event_kind=event_kind)
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
        if share:  # "Fatalities are split across 3 events (5)": this event's share
            fatalities = int(share.group(1))
        elif parts and parts > 1:
            # ACLED divides a toll spread over several events; a toll smaller than the
            # number of events still gives this one a death ("1 killed ... fatalities split
            # between 2 events": one event has it)
            fatalities = max(1, fatalities // parts)
    return Casualties(
        fatalities=fatalities,
        injuries=injuries,
        fatality_spans=[(a + offset, b + offset) for a, b in f_spans],
        injury_spans=[(a + offset, b + offset) for a, b in i_spans],
    )


def count_casualties(span: Span, *, event_kind: str | None = None) -> Casualties:
    """Fatalities and injuries of the event told in ``span`` (see :func:`_count_spans`);
    when the patterns find no death, the dependency parse may (:func:`_parsed_deaths`)."""
    found, (lo, hi) = _count_spans(span, event_kind=event_kind)
    if found.fatalities or found.fatality_spans or not span.doc.has_annotation("DEP"):
        return found
    extra = _parsed_deaths(span.doc, lo, hi, event_kind)
    if extra is None:
        return found
    value, ev_span = extra
    return Casualties(value, found.injuries, [ev_span], found.injury_spans)


# Single-word death verbs the parse reads: the victims are their passive subject ("Two
# police officers from an anti-narcotics task force were killed") or, for the intransitive
# ones, their subject ("28 suspected TTP/LEI militants died").
_PARSED_PASSIVE = frozenset(
    {
        "killed",
        "slain",
        "murdered",
        "massacred",
        "executed",
        "assassinated",
        "slaughtered",
        "lynched",
        "beheaded",
    }
)
_PARSED_INTRANSITIVE = frozenset({"died", "perished", "succumbed"})
_PARSED_FOUND = frozenset({"found", "recovered", "discovered", "retrieved", "dumped"})
_BODY_NOUNS = frozenset({"body", "bodies", "corpse", "corpses", "remains"})
# Verbs of a manner of attack that tell a death with their complement: "was shot dead",
# "was gunned down", "was stabbed to death".
_PARSED_MANNER = frozenset(
    {
        "shot",
        "gunned",
        "hacked",
        "stabbed",
        "beaten",
        "burnt",
        "burned",
        "stoned",
        "chopped",
        "axed",
        "clubbed",
        "tortured",
        "lynched",
        "mowed",
    }
)


def _tells_death(tok: Token) -> bool:
    low = tok.lower_
    if low == "dead" or (low == "down" and tok.head.lower_ in ("gunned", "mowed")):
        return True
    return low == "to" and any(c.lower_ == "death" for c in tok.children)


def _parsed_deaths(
    doc: Doc, lo: int, hi: int, event_kind: str | None
) -> tuple[int, tuple[int, int]] | None:
    """A death count the patterns miss because the victims' noun phrase is long or holds
    names with slashes or brackets ("At least 22 TTP and other militants were killed", "Two
    NDFB(S) [...] cadre were killed"): the numbers modifying the subject of a passive (or
    intransitive) death verb and of its conjuncts, read from the dependency parse. The same
    filters as the patterns' apply (cumulative totals, causes, subsets, denials, modals), and
    a sentence that negates casualties gives nothing."""
    lex = load_lexicon()
    inner = doc.char_span(lo, hi, alignment_mode="expand")
    if inner is None:
        return None
    # A death clause the span's clause is coordinated with counts too: "[Two children were
    # killed] and [11 injured when a shell ... exploded]" (the shelling is the second clause)
    heads = {t.head for t in inner if t.dep_ == "conj" and not (lo <= t.head.idx < hi)}
    span = doc[min([inner.start, *(h.i for h in heads)]) : inner.end]
    text = span.text.lower()
    if lex.patterns["negation"].search(text):
        return None
    finder = MentionFinder(text, lex, event_kind=event_kind)
    for verb in span:
        if verb.i < inner.start and verb not in heads:
            continue
        low = verb.lower_
        deadly = low in _PARSED_PASSIVE or (
            low in _PARSED_MANNER and any(_tells_death(c) for c in verb.children)
        )
        passive = deadly and any(c.dep_ == "auxpass" for c in verb.children)
        headline = (  # "4 militants killed and 3 injured": a headline's reduced passive
            deadly and not any(c.dep_ in ("dobj", "auxpass", "aux") for c in verb.children)
        )
        # "an old man's body was found", "the bodies of 3 men were recovered"
        body = low in _PARSED_FOUND and any(
            c.dep_ == "nsubjpass" and c.lower_ in _BODY_NOUNS for c in verb.children
        )
        # "gunmen shot dead a regime's 1st lieutenant": the victim is the object
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None) if deadly else None
        if not (passive or headline or body or obj is not None or low in _PARSED_INTRANSITIVE):
            continue
        if any(
            c.dep_ in ("neg", "aux")
            and c.lower_ in ("not", "never", "would", "could", "might", "may", "will")
            for c in verb.children
        ):
            continue
        subj = next((c for c in verb.children if c.dep_ in ("nsubjpass", "nsubj")), None)
        if subj is None and verb.dep_ == "conj":
            # "a police officer was shot in the forehead and died": the subject of the
            # verb it is coordinated with
            subj = next((c for c in verb.head.children if c.dep_ in ("nsubjpass", "nsubj")), None)
        if obj is not None and not passive:
            subj = obj
        elif body and subj is not None and subj.lower_ in ("body", "corpse", "remains"):
            # "an old man's body was found": one victim (a count, if any, is read below)
            if not any(c.dep_ == "nummod" for c in subj.children):
                a, b = subj.idx, subj.idx + len(subj.text)
                return 1, (a, b)
        if subj is None:
            continue
        total, first, last = 0, None, None
        for noun in [subj, *subj.conjuncts]:
            nums = [c for c in noun.children if c.dep_ == "nummod"]
            if not nums and noun.like_num:
                nums = [noun]
            if not nums and (
                noun.lower_ in ("he", "she") or (noun.ent_type_ == "PERSON" and noun.tag_ == "NNP")
            ):
                nums = [noun]  # "... when he was targeted and killed", "Niloy Neel was murdered"
            if not nums and noun.tag_ in ("NN", "NNP"):
                # "a fugitive from the penitentiary system was killed": one victim; "shot dead
                # a regime's 1st lieutenant": one too
                nums = [c for c in noun.children if c.dep_ == "det" and c.lower_ in ("a", "an")]
                if not nums and any(c.dep_ == "poss" for c in noun.children):
                    nums = [noun]
            for num in nums:
                toks = [t for t in num.subtree if t.i <= num.i or t.like_num or t.lower_ == "and"]
                a, b = toks[0].idx, num.idx + len(num.text)
                q = doc.text[a:b].lower()
                value = 1 if q in ("a", "an") or not num.like_num else lowest_figure(q, lex)
                if value is None or value == 0:
                    continue
                rel_a, rel_b = a - span.start_char, b - span.start_char
                if not finder._count_ok(q, rel_a, noun.lower_, noun.lower_):
                    continue
                if not finder._context_ok(rel_a, rel_b, verb.idx - span.start_char):
                    continue
                total += value
                first = a if first is None else first
                last = b
        if total and first is not None and last is not None:
            return total, (first, last)
    return None


def _count_spans(
    span: Span, *, event_kind: str | None = None
) -> tuple[Casualties, tuple[int, int]]:
    """Fatalities and injuries of the event told in ``span`` (its sentence or sentences).

    ``span`` may come from a truecased copy of the article (same length); offsets in the
    result index ``span.doc.text``. ``event_kind`` is the event's ACLED event type: for
    ``"Protests"`` a death told as the protest's cause is not coded
    (see :class:`.casualty_mentions.MentionFinder`).

    Beyond the span, cheap reads of its sentence and paragraph (every figure still
    carries its evidence span, so the reader sees where it came from):

    - an ACLED event note states its coding ("1 fatality.", "Unknown fatalities coded as
      10", "Fatalities split across 2 events"): such a paragraph is one event, counted whole;
    - a clause span takes the casualty clauses coordinated with it ("4 rebels were
      killed and [9 were wounded by a drone strike]");
    - a span that reports no casualty takes them from the rest of its sentence and the
      next one or two sentences of its paragraph when they continue its story ("Gunmen
      stormed a village on Sunday. Three people were killed."): news tells the act and
      then its toll;
    - victims the next sentences say were "also" killed or wounded are added.
    """
    from .dates import continues_story, doc_text, paragraph_bounds, sentence_bounds

    doc = span.doc
    p_start, p_end = paragraph_bounds(doc, span.start_char)
    text = doc_text(doc)
    if p_start <= span.start_char and span.end_char <= p_end and p_end - p_start < 4000:
        paragraph = text[p_start:p_end]
        if _ACLED_STATEMENT.search(paragraph):
            found = count_text(
                paragraph,
                event_kind=event_kind,
                offset=p_start,
                persons=_persons(doc, p_start, p_end),
            )
            return found, (p_start, p_end)
    sents = sentence_bounds(doc)
    lo, hi = _coordinated_tolls(span, text, sents)
    own = count_text(
        text[lo:hi] if (lo, hi) != (span.start_char, span.end_char) else span.text,
        event_kind=event_kind,
        offset=lo,
        persons=_persons(doc, lo, hi),
    )
    if own.fatalities or own.injuries is not None or own.fatality_spans:
        return _add_also(own, doc, text, sents, span.end_char, p_end, event_kind), (lo, hi)
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
        return own, (lo, hi)
    extended = text[span.start_char : follow_end]
    found = count_text(
        extended,
        event_kind=event_kind,
        offset=span.start_char,
        persons=_persons(doc, span.start_char, follow_end),
    )
    return found, (span.start_char, follow_end)


def _coordinated_tolls(span: Span, text: str, sents: list[tuple[int, int]]) -> tuple[int, int]:
    """Widen a clause span over the casualty clauses coordinated with it in its sentence.

    "4 rebels were killed and [9 were wounded by a drone strike]", "[1 guard was
    killed] and 2 were hurt when a mine went off": one event told in two passive
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
        # the count opens the clause, or a list of counts does ("3 guards and 1 sergeant")
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
    """Add the victims the next two sentences of the paragraph say were "also" hit ("2
    guards were killed ... Officials said 3 attackers were also killed": 5)."""
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
