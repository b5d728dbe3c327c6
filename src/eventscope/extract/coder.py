"""The event coder: every event an article reports, coded in ACLED's and PLOVER's terms.

Cascade for one parsed article (each step is a module or a function below):

1. :mod:`.detect` finds trigger and modifier cues, their modality (happened / planned /
   denied / foiled) and the clause each belongs to.
2. :mod:`.actors` finds actor mentions (named groups, generic nouns with their country).
3. For each clause with a realis trigger that is not only a weak one, the roles of the actor
   mentions (who acted, who was acted on) are read from the dependency parse
   (:func:`_roles`), and :func:`.typing_rules.decide` codes the sub-event type with the
   codebook's logic (actor types decide Armed clash vs Attack, the weapon decides the
   remote-violence sub-type, ...).
4. Mentions of one incident are merged: triggers of one clause are one event; a clause whose
   event continues the previous one (same family, no date or actor of its own that
   conflicts: "Police intervened and arrested the MP" after a protest) is folded into it and
   may refine its sub-type.
5. Each event gets its actors in ACLED style, casualties (:mod:`.casualties`), date
   (:mod:`.dates`), a calibrated confidence (:mod:`.confidence`) and evidence spans.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..records import Article, Event, Place
from . import confidence as conf
from .actors import ActorFinder, ActorMention, CountryMention
from .detect import Cue, CueFinder, clause_spans
from .knowledge import load_actors, load_countries, load_taxonomy, load_triggers
from .typing_rules import ARMED, Decision, decide

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token
    from spacy.vocab import Vocab

log = logging.getLogger(__name__)

# Sentences without a trigger that still belong to the event before them ("Police used
# rubber bullets to disperse the crowd.", "1 fatality."): at most this many are folded in.
_TAIL_SENTENCES = 2
# Prepositions whose object is the one acted upon ("attack on", "fired at", "clashed with").
_PATIENT_PREPS = frozenset({"on", "against", "at", "upon", "targeting", "with", "into"})
_AGENT_PREPS = frozenset({"by", "from"})
_AGENT_DEPS = frozenset({"nsubj", "csubj", "agent", "compound", "amod", "poss", "nmod"})
_PATIENT_DEPS = frozenset({"dobj", "nsubjpass", "dative", "oprd", "attr", "pobj", "appos"})
# Words that call the event a fight between two sides: with them, heavy weapons are part of
# an armed clash (ACLED codes remote weapons used within a battle as the battle).
_EXPLICIT_CLASH = frozenset(
    {
        "clash",
        "clashes",
        "clashed",
        "clashing",
        "fighting",
        "fought",
        "gun battle",
        "gunbattle",
        "gunfight",
        "firefight",
        "exchange of fire",
        "exchanged fire",
        "exchanged gunfire",
        "skirmish",
        "skirmishes",
        "battled",
        "armed confrontation",
        "armed encounter",
        "encounter",
        "encounters",
        "shootout",
        "shoot-out",
        "crossfire",
        "returned fire",
        "responded to the fire",
        "exchange of gunfire",
        "gun battles",
        "in both directions",
        "exchanged",
        "exchange",
        "exchanging",
        "traded fire",
        "reacted with gunfire",
        "responded with gunfire",
        "returned gunfire",
    }
)
# Two-sided fire: the sides had guns.
_EXCHANGE_FIRE = frozenset(
    {
        "exchanged",
        "exchange",
        "exchanging",
        "exchange of fire",
        "exchanged fire",
        "exchanged gunfire",
        "traded fire",
        "gunfight",
        "gun battle",
        "gunbattle",
        "firefight",
        "shootout",
        "shoot-out",
        "exchange of gunfire",
        "returned fire",
    }
)
# Measures that restrict activity: with them, protests named are what was banned.
_RESTRICTIONS = frozenset(
    {"ban", "banned", "bans", "curfew", "imposed", "prohibited", "prohibition", "extended"}
)
_WEAPON_CUES = frozenset({"ied", "grenade", "suicide", "shelling", "air", "chemical"})
_PLURAL_BLASTS = frozenset({"explosions", "blasts", "detonations"})
# Event families that a later clause may continue (step 4).
_FAMILY = {
    "Peaceful protest": "protest",
    "Protest with intervention": "protest",
    "Excessive force against protesters": "protest",
    "Violent demonstration": "riot",
    "Mob violence": "riot",
}
# A later clause may only make a protest's coding more severe, in this order.
_PROTEST_RANK = (
    "Peaceful protest",
    "Protest with intervention",
    "Excessive force against protesters",
    "Violent demonstration",
)
# Sub-types that refine a protest when a following clause reports them.
_PROTEST_REFINE = {
    "Peaceful protest": "Peaceful protest",
    "Protest with intervention": "Protest with intervention",
    "Excessive force against protesters": "Excessive force against protesters",
    "Arrests": "Protest with intervention",
    "Armed clash": "Violent demonstration",
    "Looting/property destruction": "Violent demonstration",
    "Violent demonstration": "Violent demonstration",
    "Mob violence": "Violent demonstration",
}


@dataclass(slots=True)
class _Candidate:
    decision: Decision
    cues: list[Cue]
    sent_start: int  # token indices of the sentence(s)
    sent_end: int
    clause: tuple[int, int]
    country: str | None
    agent: ActorMention | None = None
    patient: ActorMention | None = None
    extra_mods: set[str] = field(default_factory=set)
    tail_end: int = 0  # token index where trailing trigger-less sentences end
    split: bool = False  # the sentence holds several events: counts come from the clause
    agent_type: str | None = None
    patient_type: str | None = None
    single_person: bool = False  # the one acted on is one named person or "he"/"she"
    own_date: bool = False  # the clause names a date of its own
    weapon_country: str | None = None  # "Israeli airstrikes": the country of the weapon
    index: int = 0  # position among the article's candidates


@dataclass(slots=True)
class _Built:
    cues: CueFinder
    actors: ActorFinder


class EventCoder:
    """Codes the events of a parsed article (see the module docstring for the cascade).

    ``actors_path`` adds a user actor dictionary to the shipped one (``$EVENTSCOPE_ACTORS``
    does the same). Knowledge is loaded on first use and cached per spaCy vocabulary.
    """

    def __init__(self, *, actors_path: Path | None = None) -> None:
        self.actors_path = actors_path
        self._built: dict[int, _Built] = {}

    # ------------------------------------------------------------------ knowledge

    def _knowledge(self, vocab: Vocab) -> _Built:
        key = id(vocab)
        b = self._built.get(key)
        if b is None:
            actors = load_actors(str(self.actors_path) if self.actors_path else None)
            b = _Built(
                CueFinder(vocab, load_triggers()),
                ActorFinder(vocab, actors, load_countries()),
            )
            self._built[key] = b
        return b

    # ------------------------------------------------------------------ coding

    def code(self, doc: Doc, article: Article, places: list[Place]) -> list[Event]:
        """Every event the article reports, in text order."""
        b = self._knowledge(doc.vocab)
        country_mentions = b.actors.countries_in(doc)
        mentions = b.actors.find(doc, country_mentions)
        blocked = {i for m in mentions if not m.entry.generic for i in range(m.start, m.end)}
        mods = b.cues.modifiers(doc)
        # "tear gas shells", "stun grenades", "water cannon" are crowd control, not weapons
        blocked |= {
            i
            for m in mods
            if m.cls == "intervention" and m.end - m.start > 1
            for i in range(m.start, m.end)
        }
        triggers = b.cues.triggers(doc, blocked)
        triggers = sorted(triggers + b.cues.calibres(doc, blocked), key=lambda c: c.start)
        # Demonyms are actors' nationalities, not where events happen ("Turkish forces
        # shelled Idlib" happened in Syria): places inside them do not vote for a country.
        own = [(doc[m.start].idx, m.end_char) for m in mentions]
        trigger_starts = {t.start for t in triggers}
        own += [
            (doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1]))
            for c in country_mentions
            if c.demonym and c.end in trigger_starts  # "Israeli airstrikes"
        ]
        places = [p for p in places if not any(a <= p.start < z for a, z in own)]
        attached = {
            c.start for c in country_mentions if any(m.start <= c.start < m.end for m in mentions)
        }
        art_country = _article_country(
            places, [c for c in country_mentions if c.start not in attached]
        ) or _article_country([], country_mentions)
        cands = self._candidates(
            doc, triggers, mods, mentions, places, country_mentions, art_country, b
        )
        cands = _merge(cands)
        built = [(self._event(doc, article, c, mods, b, mentions), c) for c in cands]
        return _dedup([(e, c) for e, c in built if e is not None])

    def _candidates(
        self,
        doc: Doc,
        triggers: list[Cue],
        mods: list[Cue],
        mentions: list[ActorMention],
        places: list[Place],
        country_mentions: list[CountryMention],
        art_country: str | None,
        b: _Built,
    ) -> list[_Candidate]:
        out: list[_Candidate] = []
        # A pipeline without parser or sentencizer (a blank one in tests) gives no sentence
        # boundaries: the whole text is then one sentence.
        if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
            sents = list(doc.sents)
        else:
            sents = [doc[:]] if len(doc) else []
        by_sent: dict[int, list[Cue]] = {}
        for si, sent in enumerate(sents):
            by_sent[si] = [t for t in triggers if sent.start <= t.start < sent.end]
        for si, sent in enumerate(sents):
            s_trig = by_sent[si]
            if not s_trig:
                continue
            clauses = clause_spans(sent) if len({t.clause for t in s_trig}) > 1 else None
            groups: dict[int, list[Cue]] = {}
            for t in s_trig:
                groups.setdefault(t.clause if clauses else -1, []).append(t)
            # trailing sentences without triggers belong to this event
            tail = sent.end
            for sj in range(si + 1, min(si + 1 + _TAIL_SENTENCES, len(sents))):
                if any(_starts_event(t) for t in by_sent[sj]):
                    break
                tail = sents[sj].end
            country = _sentence_country(sent, places, country_mentions) or art_country
            for head, cues in groups.items():
                span = clauses[head] if clauses and head in clauses else (sent.start, sent.end)
                if clauses and len(groups) > 1:
                    country = (
                        _sentence_country(doc[span[0] : span[1]], places, country_mentions)
                        or country
                    )
                cand = self._code_clause(
                    doc, cues, mods, mentions, span, sent, country, tail, b, country_mentions
                )
                if cand is not None:
                    cand.split = clauses is not None and len(groups) > 1
                    cand.index = len(out)
                    out.append(cand)
        return out

    def _code_clause(
        self,
        doc: Doc,
        cues: list[Cue],
        mods: list[Cue],
        mentions: list[ActorMention],
        span: tuple[int, int],
        sent: Span,
        country: str | None,
        tail: int,
        b: _Built,
        country_mentions: list[CountryMention] | None = None,
    ) -> _Candidate | None:
        realis = [c for c in cues if c.realis and not c.foiled]
        foiled = [c for c in cues if c.foiled]
        if foiled and not any(c.cls in _WEAPON_CUES for c in cues):
            # "thwarted a Houthi attack on the front": an attack repelled is a battle
            for c in foiled:
                if c.cls in ("attack", "clash"):
                    c.foiled, c.realis, c.cls = False, True, "clash"
            realis = [c for c in cues if c.realis and not c.foiled]
            foiled = [c for c in cues if c.foiled]
        if not any(not c.weak for c in realis) and not foiled:
            return None
        if not any(not c.weak for c in realis):
            realis = []
        classes = {c.cls for c in realis}
        if any(c.cls == "clash" and c.text_lower in _EXPLICIT_CLASH for c in realis):
            classes.add("clash_explicit")
        if any(c.cls == "clash" and c.text_lower in _EXCHANGE_FIRE for c in realis):
            classes.add("exchange_fire")
        if any(c.cls == "change" and c.text_lower in _RESTRICTIONS for c in realis):
            classes.add("restriction")
        if "ied" in classes and all(
            c.cls != "ied" or c.text_lower in _PLURAL_BLASTS for c in realis
        ):
            # "observed 5 explosions" with no device named: repeated blasts at a front are
            # artillery, a single one a bomb (ACLED codes unattributed frontline
            # explosions as shelling)
            classes = (classes - {"ied"}) | {"shelling"}
        # Weak cues count only beside a strong violent cue of the same clause.
        strong = {c.cls for c in realis if not c.weak}
        if not (
            strong
            & {
                "attack",
                "kill",
                "clash",
                "ied",
                "air",
                "shelling",
                "grenade",
                "suicide",
                "chemical",
                "looting",
            }
        ):
            classes = strong
        m_classes = {m.cls for m in mods if m.realis and sent.start <= m.start < tail}
        in_clause = [
            lm
            for m in mentions
            if span[0] <= m.start < span[1] and (lm := b.actors.localise(m, country)) is not None
        ]
        # "heavy artillery fire by an unknown party": a generic noun that is the weapon itself
        # is not an actor, unless a demonym makes it one ("Israeli artillery shelled")
        weapon_toks = {i for c in realis if c.cls in _WEAPON_CUES for i in range(c.start, c.end)}
        in_clause = [
            m
            for m in in_clause
            if not (
                m.entry.generic
                and m.country is None
                and any(i in weapon_toks for i in range(m.start, m.end))
            )
        ]
        anchor = _anchor_token(doc, realis or foiled)
        agent, patient = _roles(doc, anchor, in_clause, _cue_roots(doc, realis or foiled))
        if agent is None:
            agent = _antecedent(doc, span, mentions, sent)
        if agent is None and country_mentions:
            agent = _state_as_subject(doc, anchor, country_mentions, b)
        agent_type = _type_of(agent, country, b, as_agent=True)
        patient_type = _type_of(patient, country, b)
        if patient is not None and (
            patient.entry.name.startswith("Government of") or _off_duty(doc, patient)
        ):
            # officials attacked are civilians to ACLED (a mayor, a governor, a minister), and
            # so are off-duty or retired soldiers and police
            patient_type = "Civilians"
        civ = any(m.entry.type == "Civilians" for m in in_clause)
        forces = any(m.entry.type in ARMED for m in in_clause if m is not agent)
        state = any(
            m.entry.type == "State forces" for m in mentions if sent.start <= m.start < tail
        )
        decision = decide(
            classes,
            m_classes,
            foiled=bool(foiled),
            agent_type=agent_type,
            patient_type=patient_type,
            civilian_victims=civ,
            forces_mentioned=forces,
            state_present=state,
            weapon_named=any(c.cls in _WEAPON_CUES for c in cues if span[0] <= c.start < span[1]),
        )
        if decision is None:
            return None
        used = [c for c in (realis or foiled) if c.cls == decision.anchor] or (realis or foiled)
        single = any(
            ch.dep_ in ("nsubjpass", "dobj")
            and (ch.lower_ in ("he", "she", "him", "her") or ch.ent_type_ == "PERSON")
            for ch in anchor.children
        )
        return _Candidate(
            decision,
            used,
            sent.start,
            sent.end,
            span,
            country,
            agent,
            patient,
            m_classes,
            tail,
            agent_type=agent_type,
            patient_type=patient_type,
            single_person=single,
            own_date=any(t.ent_type_ == "DATE" for t in doc[span[0] : span[1]]),
            weapon_country=_weapon_country(used, country_mentions or []),
        )

    # ------------------------------------------------------------------ events

    def _event(
        self,
        doc: Doc,
        article: Article,
        c: _Candidate,
        mods: list[Cue],
        b: _Built,
        mentions: list[ActorMention],
    ) -> Event | None:
        tax = load_taxonomy()
        sub = c.decision.sub_event_type
        if sub is not None:
            etype: str | None = tax.event_type_of[sub]
            plover = tax.plover_of[sub]
        else:
            etype = None
            plover = c.decision.plover or "CONSULT"
        # A sentence holding several events gives each its clause, so that each is located
        # by its own places ("claimed an attack in Egypt, and ... attacks in Israel").
        sent_span = doc[c.clause[0] : c.clause[1]] if c.split else doc[c.sent_start : c.sent_end]
        trig = c.cues[0]
        ev = Event(
            event_id="",
            plover=plover,
            event_type=etype,
            sub_event_type=sub,
            trigger=doc[trig.start : trig.end].text,
            sentence_start=sent_span.start_char,
            sentence_end=sent_span.end_char,
        )
        for cue in c.cues:
            ev.add_evidence("trigger", cue.start_char, cue.end_char)
        self._actors(ev, c, b, mentions, doc)
        self._casualties(ev, doc, c)
        dated = self._date(ev, doc, c, article)
        if not dated and _habitual(doc[trig.start : trig.end].root):
            # "Morocco has been the target of numerous attacks": a pattern, not an event
            return None
        ev.confidence = conf.confidence(c.decision.rule, c.index, ev)
        return ev

    def _actors(
        self,
        ev: Event,
        c: _Candidate,
        b: _Built,
        mentions: list[ActorMention],
        doc: Doc | None = None,
    ) -> None:
        country = c.country
        cname = b.actors.countries.name(country)

        def named(m: ActorMention | None, agent: bool = False) -> tuple[str, str] | None:
            return b.actors.resolve(m, country, as_agent=agent) if m is not None else None

        a1, a2 = named(c.agent, True), named(c.patient)
        a1_span = c.agent.text_span if c.agent else None
        a2_span = c.patient.text_span if c.patient else None
        sub = ev.sub_event_type
        et = ev.event_type

        def generic(template: str, atype: str) -> tuple[str, str]:
            if cname:
                return template.format(country=cname), atype
            return template.replace(" of {country}", "").replace(" ({country})", ""), atype

        if (
            a2 is not None
            and c.patient is not None
            and c.patient.entry.name.startswith("Government of")
            and et in ("Violence against civilians", "Battles", "Explosions/Remote violence")
        ):
            ev.assoc_actor_2.append(a2[0])
            a2 = generic("Civilians ({country})", "Civilians")

        if et == "Protests":
            # ACLED: protesters are actor 1; the group that organised them is associated.
            if a1 is not None and a1[1] not in ("Protesters", "Civilians", "Rioters"):
                if a1[1] != "State forces":
                    ev.assoc_actor_1.append(a1[0])
            a1, a1_span = (
                generic("Protesters ({country})", "Protesters"),
                (a1_span if a1 and a1[1] in ("Protesters", "Civilians") else None),
            )
            if sub != "Peaceful protest":
                if a2 is None or a2[1] != "State forces":
                    a2 = _first_state(c, b, mentions) or generic(
                        "Police Forces of {country}", "State forces"
                    )
                    a2_span = None
            else:
                a2, a2_span = None, None
        elif et == "Riots":
            a1 = generic("Rioters ({country})", "Rioters")
            a1_span = (
                c.agent.text_span
                if c.agent and c.agent.entry.type in ("Rioters", "Civilians", "Protesters")
                else None
            )
            if a2 is not None and a2 == a1:
                a2 = None
            if a2 is None and sub == "Mob violence":
                a2 = generic("Civilians ({country})", "Civilians")
        elif et == "Violence against civilians":
            if a1 is None or a1[1] in ("Civilians",):
                a1 = generic("Unidentified Armed Group ({country})", "Political militia")
                a1_span = None
            if a2 is None or a2[1] != "Civilians":
                a2_span = a2_span if a2 else None
                a2 = generic("Civilians ({country})", "Civilians")
        elif et in ("Battles", "Explosions/Remote violence"):
            if (
                a1 is None
                and a2 is not None
                and a2[1] != "Civilians"
                and et == "Battles"
                and c.decision.anchor == "clash"
            ):
                # "clashes with the army": the one side named is the first actor; one that
                # was only killed or attacked stays the target of an unidentified group
                a1, a1_span = a2, a2_span
                a2, a2_span = None, None
            if a1 is None and c.weapon_country is not None:
                # "Israeli airstrikes", "a Turkish drone": the weapon's country acted
                own = b.actors.countries.name(c.weapon_country)
                a1 = (
                    f"Military Forces of {own}",
                    "State forces" if c.weapon_country == country else "External/Other forces",
                )
            if a1 is None:
                if sub in ("Air/drone strike", "Shelling/artillery/missile attack"):
                    # aircraft and artillery are mostly the state's
                    a1 = generic("Military Forces of {country}", "State forces")
                else:
                    a1 = generic("Unidentified Armed Group ({country})", "Political militia")
            if a1 is not None and a1[1] == "Civilians":
                a2, a2_span = a1, a1_span
                a1 = generic("Unidentified Armed Group ({country})", "Political militia")
                a1_span = None
            if (
                sub == "Remote explosive/landmine/IED"
                and a1 is not None
                and a1[1] in ("State forces", "External/Other forces")
                and (a2 is None or a2[1] == "Civilians")
                and c.agent is not None
                and not _authored(doc, c.agent)
            ):
                # "an army vehicle struck an IED": the forces were its target, not its authors
                a2, a2_span = a1, a1_span
                a1 = generic("Unidentified Armed Group ({country})", "Political militia")
                a1_span = None
            if et == "Battles" and a2 is None:
                a2 = generic("Unidentified Armed Group ({country})", "Political militia")
        elif et == "Strategic developments":
            if sub != "Arrests" and a1 is None and a2 is not None and a2[1] != "Civilians":
                # "pro-Hadi forces were deployed": the passive subject is who acts
                a1, a1_span, a2, a2_span = a2, a2_span, None, None
            if sub == "Looting/property destruction" and a1 is None:
                a1 = generic("Unidentified Armed Group ({country})", "Political militia")
                a1_span = None
            if sub == "Arrests" and (a1 is None or a1[1] != "State forces"):
                if a1 is not None and a2 is None:
                    a2, a2_span = a1, a1_span
                a1 = generic("Police Forces of {country}", "State forces")
                a1_span = None
        if a1 is not None:
            ev.actor1, ev.actor1_type = a1
            if a1_span:
                ev.add_evidence("actor1", *a1_span)
        if sub is None:
            a2 = None  # a meeting or a threat: the other side is rarely what the parse finds
        if a2 is not None and a2 != a1:
            ev.actor2, ev.actor2_type = a2
            if a2_span:
                ev.add_evidence("actor2", *a2_span)

    def _casualties(self, ev: Event, doc: Doc, c: _Candidate) -> None:
        fn = _optional("casualties", "count_casualties")
        if fn is None or ev.event_type is None:
            return
        start, end = c.sent_start, max(c.tail_end, c.sent_end)
        if c.split:
            start, end = c.clause
        span = doc[start:end]
        cas = fn(span, event_kind=ev.event_type)
        ev.fatalities = int(cas.fatalities or 0)
        ev.injuries = cas.injuries
        for s, e in cas.fatality_spans:
            ev.add_evidence("fatalities", s, e)
        for s, e in cas.injury_spans:
            ev.add_evidence("injuries", s, e)

    def _date(self, ev: Event, doc: Doc, c: _Candidate, article: Article) -> bool:
        """Date the event; True when the date was read in the event's own sentence."""
        fn = _optional("dates", "resolve_date")
        if fn is None:
            return False
        span = doc[c.clause[0] : c.clause[1]]
        rd = fn(span, article.published)
        ev.event_date = rd.date
        ev.date_precision = rd.precision
        if rd.start is not None and rd.end is not None:
            ev.add_evidence("event_date", rd.start, rd.end)
            sent = doc[c.sent_start : c.sent_end]
            return sent.start_char <= rd.start < sent.end_char
        return False


# ---------------------------------------------------------------------- helpers


# Cues that report no event of their own: a sentence holding only these continues the
# event before it ("Police resorted to a lathi charge to disperse the workers.").
_FOLLOW_UP = frozenset({"dispersal", "assembly"})


def _starts_event(c: Cue) -> bool:
    return c.realis and not c.weak and c.cls not in _FOLLOW_UP


def _optional(module: str, name: str) -> Any:
    """A function of a sibling stage module, or None while that stage is not installed."""
    import importlib

    try:
        mod = importlib.import_module(f"eventscope.extract.{module}")
    except ImportError:
        log.debug("eventscope.extract.%s is not available; field left empty", module)
        return None
    return getattr(mod, name, None)


def _article_country(places: list[Place], countries: list[CountryMention]) -> str | None:
    codes = Counter(p.country_code for p in places if p.country_code)
    if codes:
        return codes.most_common(1)[0][0]
    named = [c.code for c in countries if not c.demonym]
    if named:
        return Counter(named).most_common(1)[0][0]
    dem = [c.code for c in countries]
    return Counter(dem).most_common(1)[0][0] if dem else None


def _sentence_country(
    sent: Span, places: list[Place], countries: list[CountryMention]
) -> str | None:
    # The country most places of the sentence resolve to; a single stray resolution
    # ("Nima" read as a Chinese town in a sentence about Accra) is outvoted. Places that
    # are demonyms ("Syrian mercenaries", "Saudi aircraft") only count when nothing else
    # in the sentence is a place.
    demonyms = {sent.doc[c.start].idx for c in countries if c.demonym}
    inside = [p for p in places if p.country_code and sent.start_char <= p.start < sent.end_char]
    proper = [p for p in inside if p.start not in demonyms]
    votes = Counter(p.country_code for p in (proper or inside))
    if votes:
        best = max(votes.values())
        for p in places:
            if votes.get(p.country_code or "") == best and sent.start_char <= p.start:
                return p.country_code
    for c in countries:
        if not c.demonym and sent.start <= c.start < sent.end:
            return c.code
    return None


def _anchor_token(doc: Doc, cues: list[Cue]) -> Token:
    # the first non-weak cue anchors the roles; verbs are better anchors than nouns
    strong = [c for c in cues if not c.weak] or cues
    verbs = [c for c in strong if doc[c.start : c.end].root.pos_ == "VERB"]
    c = (verbs or strong)[0]
    return doc[c.start : c.end].root


def _cue_roots(doc: Doc, cues: list[Cue]) -> list[Token]:
    strong = [c for c in cues if not c.weak] or cues
    return [doc[c.start : c.end].root for c in strong]


def _subjectish(doc: Doc, m: ActorMention) -> bool:
    """The mention is a clause subject or part of one ("a Daesh offshoot claimed")."""
    span = doc[m.start : m.end]
    for t in (span.root, span[-1]):
        for _ in range(4):
            if t.dep_ == "nsubj":
                return True
            if t.dep_ not in ("compound", "amod", "nmod", "poss", "appos", "pobj", "prep"):
                break
            t = t.head
    return False


def _roles(
    doc: Doc, trigger: Token, mentions: list[ActorMention], others: list[Token] | None = None
) -> tuple[ActorMention | None, ActorMention | None]:
    """Who acted and who was acted upon, read from the dependency path to the trigger.

    A mention whose path to the trigger (or to the verb governing a noun trigger: "X carried
    out airstrikes on Y") enters it as subject, ``by``-agent or modifier ("Taliban attack")
    is the agent; as object, passive subject, or object of on/against/at/with it is the
    patient. Mentions the parse does not connect fall back to text order: the first armed
    mention before the trigger acts, the first mention after it is acted upon.
    """
    agent: ActorMention | None = None
    patient: ActorMention | None = None
    anchors: list[Token] = []
    for trig in [trigger, *(others or [])]:
        if trig in anchors:
            continue
        anchors.append(trig)
        if trig.dep_ in ("compound", "amod", "nmod") and trig.head.pos_ in ("NOUN", "PROPN"):
            # "artillery fire by an unknown party": the noun the weapon modifies
            if trig.head not in anchors:
                anchors.append(trig.head)
            trig = trig.head
        if trig.pos_ in ("NOUN", "PROPN") and trig.head is not trig:
            h = trig.head
            if h.pos_ == "ADP" and h.head is not h:
                h = h.head
            if h.pos_ in ("VERB", "AUX") and h not in anchors:
                anchors.append(h)
    # named groups first: "members of the international coalition" is the coalition
    for m in sorted(mentions, key=lambda x: (x.entry.generic, x.start)):
        if m.start <= trigger.i < m.end:
            continue
        span = doc[m.start : m.end]
        # the parse may hang a name's first word elsewhere ("IS militants" with "IS" read as
        # a verb): the head noun decides then
        role = _role_of(span.root, anchors) or (
            _role_of(span[-1], anchors) if span[-1] is not span.root else None
        )
        if role == "agent" and agent is None:
            agent = m
        elif role == "patient" and patient is None:
            patient = m
    if agent is None or patient is None:
        # "IS militants killed a soldier" parsed with "killed" modifying "militants": a
        # participle with an object is done by the noun it hangs from; without one ("soldiers
        # killed in the attack") it is done to it
        for m in mentions:
            if trigger.dep_ == "acl" and m.start <= trigger.head.i < m.end:
                has_obj = any(ch.dep_ == "dobj" for ch in trigger.children)
                if has_obj and agent is None and m is not patient:
                    agent = m
                elif not has_obj and patient is None and m is not agent:
                    patient = m
    if agent is None:
        agent = _claimed_or_planted(doc, trigger, mentions)
    if agent is None:
        # only a subject can act: "an IED planted near a police checkpoint detonated" does
        # not make the police the bombers
        before = [
            m for m in mentions if m.end <= trigger.i and m is not patient and _subjectish(doc, m)
        ]
        armed = [m for m in before if m.entry.type in ARMED]
        named = [
            m
            for m in mentions
            if m.end <= trigger.i
            and m is not patient
            and not m.entry.generic
            and m.entry.type in ARMED
        ]
        if armed:
            agent = armed[-1]
        elif before and before[-1].entry.type in ("Protesters", "Rioters"):
            agent = before[-1]
        elif named:
            # a named armed group before the verb that the parse did not attach ("members
            # of the Gulf Cartel delivered food") is its subject far more often than not
            agent = named[-1]
    if patient is None:
        after = [m for m in mentions if m.start > trigger.i and m is not agent]
        if after:
            patient = after[0]
    return agent, patient


def _type_of(
    m: ActorMention | None, country: str | None, b: _Built, *, as_agent: bool = False
) -> str | None:
    return b.actors.resolve(m, country, as_agent=as_agent)[1] if m is not None else None


def _first_state(c: _Candidate, b: _Built, mentions: list[ActorMention]) -> tuple[str, str] | None:
    for m in mentions:
        if c.sent_start <= m.start < c.tail_end and m.entry.type == "State forces":
            return b.actors.resolve(m, c.country)
    return None


def _merge(cands: list[_Candidate]) -> list[_Candidate]:
    """Fold mentions of one incident into one event (module docstring, step 4)."""
    out: list[_Candidate] = []
    for c in cands:
        prev = out[-1] if out else None
        if prev is not None and _continues(prev, c):
            _fold(prev, c)
            continue
        out.append(c)
    for i, c in enumerate(out):
        c.index = i
    return out


def _continues(prev: _Candidate, c: _Candidate) -> bool:
    ps, cs = prev.decision.sub_event_type, c.decision.sub_event_type
    if prev.country and c.country and prev.country != c.country:
        return False
    if ps is None or cs is None:
        return ps is None and cs is None and prev.decision.plover == c.decision.plover
    if _FAMILY.get(ps) == "protest" and cs == "Arrests":
        # the arrest of protesters, not the arrest the protest was about ("He was arrested
        # in connection with a case" after a protest against that arrest)
        return c.patient_type == "Protesters" or not c.single_person
    if _FAMILY.get(ps) == "protest" and (cs in _PROTEST_REFINE or _force_on_protest(c)):
        # the same demonstration unless the clause dates its own event ("after the riots in
        # the prisons the previous week")
        return not c.own_date or c.sent_start == prev.sent_start
    if ps == cs:
        return True
    # "gunmen attacked the village ... They abducted four people": one incident
    if ps in ("Attack", "Armed clash") and cs in ("Abduction/forced disappearance",):
        return True
    # a bare harm clause after an event of the same sentence group ("1 person was killed")
    if c.decision.anchor == "kill" and prev.decision.sub_event_type is not None:
        return True
    tax = load_taxonomy()
    # the same scene: the very next sentence, same country, no date of its own
    same_scene = (
        prev.country == c.country
        and not c.own_date
        and prev.sent_start < c.sent_start <= max(prev.sent_end, prev.tail_end)
    )
    # looting, arrests or a deployment reported after fighting are part of it ("the militants
    # seized vehicles and arms"), and fighting after a deployment is what it came to
    if same_scene and tax.event_type_of[ps] in tax.violent_types and cs in _AFTERMATH:
        return True
    if (
        same_scene
        and ps == "Change to group/activity"
        and tax.event_type_of[cs] in (tax.violent_types)
    ):
        return True
    # more detail on the same fighting ("... fired mortars at positions near X. Monitors
    # observed 8 explosions near X."): violent, same country, no date of its own
    return (
        tax.event_type_of[ps] in tax.violent_types
        and tax.event_type_of[cs] in tax.violent_types
        and prev.country == c.country
        and not c.own_date
        and c.sent_start > prev.sent_start
    )


_AFTERMATH = frozenset({"Looting/property destruction", "Arrests", "Change to group/activity"})


def _force_on_protest(c: _Candidate) -> bool:
    """State forces using force after a protest is reported (not a separate attack)."""
    return c.decision.anchor in ("attack", "kill", "clash") and (
        c.agent_type == "State forces" or "intervention" in c.extra_mods
    )


def _fold(prev: _Candidate, c: _Candidate) -> None:
    ps, cs = prev.decision.sub_event_type, c.decision.sub_event_type
    if ps is not None and _FAMILY.get(ps) == "protest" and cs in _PROTEST_REFINE:
        new = _PROTEST_REFINE[cs]
        if _PROTEST_RANK.index(new) > _PROTEST_RANK.index(ps):
            prev.decision = Decision(
                new, None, prev.decision.rule + "+" + c.decision.rule, prev.decision.anchor
            )
    elif ps is not None and _FAMILY.get(ps) == "protest" and _force_on_protest(c):
        # "Police fired tear gas to disperse them": the authorities' answer to the protest
        new = (
            "Excessive force against protesters"
            if "death" in c.extra_mods
            else "Protest with intervention"
        )
        if _PROTEST_RANK.index(new) > _PROTEST_RANK.index(ps):
            prev.decision = Decision(new, None, prev.decision.rule + "+force", prev.decision.anchor)
    elif ps == "Change to group/activity" and cs is not None and cs not in _AFTERMATH:
        # a deployment that came to fighting: the fighting is the event
        prev.decision = c.decision
        prev.cues = c.cues
        prev.agent, prev.patient = c.agent or prev.agent, c.patient or prev.patient
        prev.agent_type, prev.patient_type = c.agent_type, c.patient_type
    elif (
        ps in ("Attack", "Armed clash")
        and cs == "Abduction/forced disappearance"
        and "death" not in prev.extra_mods | c.extra_mods
    ):
        prev.decision = Decision(cs, None, "attack+abduction", prev.decision.anchor)
    prev.sent_end = max(prev.sent_end, c.sent_end)
    prev.tail_end = max(prev.tail_end, c.tail_end)
    prev.extra_mods |= c.extra_mods
    if prev.agent is None:
        prev.agent = c.agent
    if prev.patient is None:
        prev.patient = c.patient


# Quantifiers that make a plural trigger a pattern of events rather than one event.
_HABITUAL = frozenset(
    {
        "numerous",
        "many",
        "countless",
        "frequent",
        "repeated",
        "regular",
        "occasional",
        "sporadic",
        "past",
        "previous",
        "such",
    }
)


def _habitual(trigger: Token) -> bool:
    return trigger.tag_ == "NNS" and any(
        ch.lower_ in _HABITUAL for ch in trigger.children if ch.dep_ in ("amod", "det")
    )


def _dedup(pairs: list[tuple[Event, _Candidate]]) -> list[Event]:
    """Merge repeated mentions of one incident across the article (headline + lead, a
    recap paragraph): same coding, same country, compatible dates and actors."""
    kept: list[tuple[Event, _Candidate]] = []
    for ev, c in pairs:
        for kev, kc in kept:
            if _same_incident(kev, kc, ev, c):
                for e in ev.evidence:
                    kev.add_evidence(e.field, e.start, e.end)
                if kev.event_date is None:
                    kev.event_date, kev.date_precision = ev.event_date, ev.date_precision
                if kev.fatalities == 0 and ev.fatalities:
                    kev.fatalities = ev.fatalities
                if kev.injuries is None:
                    kev.injuries = ev.injuries
                kev.confidence = max(kev.confidence, ev.confidence)
                break
        else:
            kept.append((ev, c))
    return [ev for ev, _ in kept]


def _same_incident(a: Event, ac: _Candidate, b: Event, bc: _Candidate) -> bool:
    if a.plover != b.plover or a.sub_event_type != b.sub_event_type:
        return False
    if not _dates_compatible(a, b):
        return False
    if a.event_type is None:
        return True  # a meeting reported twice; places in such sentences are context
    if ac.country != bc.country:
        return False
    if a.fatalities and b.fatalities and a.fatalities != b.fatalities:
        return False
    return a.actor1 == b.actor1 or a.actor1 is None or b.actor1 is None


def _dates_compatible(a: Event, b: Event) -> bool:
    if a.event_date is None or b.event_date is None or a.event_date == b.event_date:
        return True
    keep = {"year": 4, "month": 7}
    n = min(keep.get(a.date_precision or "", 10), keep.get(b.date_precision or "", 10))
    return a.event_date[:n] == b.event_date[:n] and n < 10


# Nouns through which "of" passes a role on: "members of the FMLN", "a group of gunmen".
_OF_HEADS = frozenset(
    {
        "members",
        "member",
        "group",
        "groups",
        "units",
        "unit",
        "elements",
        "fighters",
        "militants",
        "soldiers",
        "troops",
        "forces",
        "dozens",
        "hundreds",
        "scores",
        "some",
        "several",
        "number",
        "band",
        "gang",
        "team",
        "contingent",
        "squad",
        "column",
        "one",
        "two",
        "three",
        "four",
        "five",
        "supporters",
        "activists",
        "cadres",
        "leaders",
        "guerrillas",
        "rebels",
        "terrorists",
        "insurgents",
        "gunmen",
        "commandos",
        "combatants",
        "cells",
        "cell",
        "men",
        "detachment",
        "detachments",
        "faction",
        "factions",
        "wing",
    }
)


# Verbs and nouns whose subject suffered the event ("soldiers suffered casualties").
_UNDERGO = frozenset(
    {
        "suffered",
        "sustained",
        "died",
        "lost",
        "perished",
        "casualties",
        "dead",
        "wounded",
        "injured",
        "suffer",
        "suffers",
        "die",
        "dies",
    }
)


def _role_of(root: Token, anchors: list[Token]) -> str | None:
    """The role of a mention (by its root token) towards the event anchors, or None."""
    t = root
    for _ in range(8):
        head = t.head
        if head is t:
            return None
        if head in anchors:
            dep = t.dep_
            if dep == "nsubjpass" or (dep == "nsubj" and head.lower_ in _UNDERGO):
                return "patient"
            if dep in _AGENT_DEPS:
                return "agent"
            if dep in _PATIENT_DEPS:
                return "patient"
            return None
        if t.dep_ == "pobj" and head.dep_ == "prep":
            prep = head
            if prep.head in anchors:
                word = prep.lower_
                if word in _AGENT_PREPS:
                    return "agent"
                if word in _PATIENT_PREPS or word == "between":
                    return "patient"
                return None
            if prep.lower_ in ("of", "under") and prep.head.lower_ in _OF_HEADS:
                t = prep.head
                continue
            return None
        if t.dep_ == "agent" or (t.dep_ == "pobj" and head.dep_ == "agent"):
            t = head
            continue
        if t.dep_ in ("conj", "appos", "compound", "amod", "nmod"):
            t = head
            continue
        return None
    return None


# Nouns that refer back to a group named just before ("the group has claimed attacks").
_ANAPHORS = frozenset(
    {
        "group",
        "organization",
        "organisation",
        "movement",
        "militants",
        "insurgents",
        "rebels",
        "militia",
        "faction",
        "jihadists",
    }
)


def _antecedent(
    doc: Doc, span: tuple[int, int], mentions: list[ActorMention], sent: Span
) -> ActorMention | None:
    """The named group that "the group" (subject of the clause) refers to, if any."""
    subj = next(
        (
            t
            for t in doc[span[0] : span[1]]
            if t.dep_ == "nsubj"
            and t.lower_ in _ANAPHORS
            and any(ch.lower_ in ("the", "this", "that") for ch in t.children)
        ),
        None,
    )
    if subj is None:
        return None
    lo = max(0, sent.start - 60)
    named = [m for m in mentions if not m.entry.generic and lo <= m.start < subj.i]
    return named[-1] if named else None


# "a Taliban-planted IED", "an IED planted by PKK militants", "Al Shabaab claimed the attack"
_AUTHOR_VERBS = frozenset(
    {
        "operation",
        "operations",
        "carried",
        "conducted",
        "raid",
        "raids",
        "offensive",
        "planted",
        "laid",
        "placed",
        "claimed",
        "triggered",
        "detonated",
        "led",
        "launched",
        "fired",
        "set",
        "made",
    }
)


def _claimed_or_planted(
    doc: Doc, trigger: Token, mentions: list[ActorMention]
) -> ActorMention | None:
    """The group named as author of the weapon or of the claim, when the parse misses it."""
    sent = trigger.sent if doc.has_annotation("DEP") else doc[:]
    for m in sorted(mentions, key=lambda x: (x.entry.generic, x.start)):
        if m.entry.generic and m.entry.type not in (
            "Rebel group",
            "Political militia",
            "State forces",
        ):
            continue
        if not (sent.start <= m.start < sent.end + 40):
            continue
        # "Taliban-planted"
        if (
            m.end + 1 < len(doc)
            and doc[m.end].text == "-"
            and doc[m.end + 1].lower_ in _AUTHOR_VERBS
        ):
            return m
        root = doc[m.start : m.end].root
        while root.dep_ == "compound" and root.head is not root:
            root = root.head  # "PKK militants": the militants' place in the sentence
        head = root.head
        # "planted by PKK militants"
        if root.dep_ == "pobj" and head.lower_ == "by" and head.head.lower_ in _AUTHOR_VERBS:
            return m
        # "Al Shabaab claimed responsibility" (this sentence or the next)
        if root.dep_ == "nsubj" and head.lower_ in ("claimed", "claims") and not m.entry.generic:
            return m
    return None


_OFF_DUTY = frozenset({"off-duty", "retired", "former", "ex", "demobilised", "demobilized"})


def _off_duty(doc: Doc, m: ActorMention) -> bool:
    """An off-duty, retired or former member of the forces (a civilian to ACLED)."""
    lo, hi = max(0, m.start - 4), min(len(doc), m.end + 6)
    words = [t.lower_ for t in doc[lo:hi]]
    text = " ".join(words)
    return bool(_OFF_DUTY & set(words)) or "off duty" in text or "off - duty" in text


def _weapon_country(cues: list[Cue], countries: list[CountryMention]) -> str | None:
    """The demonym right before a weapon trigger ("Israeli airstrikes", "Turkish drone")."""
    by_end = {c.end: c for c in countries if c.demonym}
    for cue in cues:
        if cue.cls in _WEAPON_CUES:
            c = by_end.get(cue.start)
            if c is not None:
                return c.code
    return None


def _authored(doc: Doc | None, m: ActorMention) -> bool:
    """The mention is named as the author of a weapon ("planted by", "X-planted", "claimed")."""
    if doc is None:
        return False
    root = doc[m.start : m.end].root
    if root.dep_ == "pobj" and root.head.lower_ == "by":
        return True
    if m.end + 1 < len(doc) and doc[m.end].text == "-" and doc[m.end + 1].lower_ in _AUTHOR_VERBS:
        return True
    return root.dep_ == "nsubj" and root.head.lower_ in _AUTHOR_VERBS


def _state_as_subject(
    doc: Doc, anchor: Token, countries: list[CountryMention], b: _Built
) -> ActorMention | None:
    """ "Turkey and Russia conducted a joint patrol", "Israel struck targets": a country named
    as the subject of the event acts through its forces (ACLED: Military Forces of X)."""
    military = next(
        (
            e
            for e in b.actors.actors.entries
            if e.generic and e.name == "Military Forces of {country}"
        ),
        None,
    )
    if military is None:
        return None
    by_start = {c.start: c for c in countries if not c.demonym}
    for ch in anchor.children:
        if ch.dep_ != "nsubj":
            continue
        c = by_start.get(ch.i)
        if c is not None:
            span = doc[c.start : c.end]
            return ActorMention(c.start, c.end, span.start_char, span.end_char, military, c.code)
    return None
