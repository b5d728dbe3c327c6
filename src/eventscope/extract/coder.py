"""The event coder: every event an article reports, coded in ACLED's and PLOVER's terms.

Cascade for one parsed article (each step is a module or a function below):

1. :mod:`.detect` finds trigger and modifier cues, their modality (happened / planned /
   denied / foiled) and the clause each belongs to.
2. :mod:`.actors` finds actor mentions (named groups, generic nouns with their country).
3. For each clause with a realis trigger that is not only a weak one, the roles of the actor
   mentions (who acted, who was acted on) are read from the dependency parse
   (:mod:`.roles`), and :func:`.typing_rules.decide` codes the sub-event type with the
   codebook's logic (actor types decide Armed clash vs Attack, the weapon decides the
   remote-violence sub-type, ...).
4. Mentions of one incident are merged (:mod:`.merge`): triggers of one clause are one
   event; a clause whose event continues the previous one (same family, no date of its own:
   "Officers intervened and detained two organisers" after a protest) is folded into it and
   may refine its sub-type; repeated mentions across the article become one event.
5. In a short text (a snippet, an event note), the event-type model (:mod:`.typemodel`)
   reads each merged event's sentences with the text around them and weighs its sub-event
   type against the rules' (:func:`.typemodel.combine`): the rules keep whether and how the
   event happened (modality, actors, casualties, dates), the model may retype it. A short text
   the model reads as a disaster, diplomacy, organised crime or a claim of responsibility
   gives no ACLED event (``doc.user_data["non_event"]`` names which).
6. Each event gets its actors in ACLED style, casualties (:mod:`.casualties`), date
   (:mod:`.dates`), a calibrated confidence (:mod:`.confidence`) and evidence spans.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..records import Article, Event, Place
from . import confidence as conf
from .actors import ActorFinder, ActorMention, CountryMention
from .detect import WEAPON_CLASSES, Cue, CueFinder, clause_spans
from .knowledge import load_actors, load_countries, load_taxonomy, load_triggers
from .merge import Candidate, dedup, habitual, merge
from .roles import (
    anchor_token,
    antecedent,
    author,
    authored,
    claimant,
    cue_roots,
    held_people,
    off_duty,
    roles,
    state_as_subject,
    weapon_country,
)
from .typemodel import Calibration, TypeModel, builtin, combine, features, non_event
from .typing_rules import ARMED, decide

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span
    from spacy.vocab import Vocab

#: Non-events the model may name that are, by the codebook, what no actor did.
_DISASTERS = frozenset({"NATURAL_DISASTER", "MAN_MADE_DISASTER"})


log = logging.getLogger(__name__)

# Actor types of crowds, named by their own nationality when they have one.
_CROWDS = frozenset({"Civilians", "Protesters", "Rioters"})

# Sentences without a trigger that still belong to the event before them ("Officers fired
# rubber bullets to break up the crowd.", "1 fatality."): at most this many are folded in.
_TAIL_SENTENCES = 2

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

_WEAPON_CUES = WEAPON_CLASSES

# The event-type model weighs in on texts this short: a news snippet, an event note (99% of
# CASE 2021's snippets and of ACLED's notes), the kind of text it was trained on. A longer
# article reports many things (a disaster and an attack, talks and a bombing) and its context
# swamps the event's sentence: with the model, MUC-4 wire messages lost incidents (relevant-
# message F1 0.727 -> 0.718 on muc4_dev, 0.784 -> 0.776 on tst1+tst2), so there the rules decide.
_SNIPPET_CHARS = 800

_PLURAL_BLASTS = frozenset({"explosions", "blasts", "detonations"})


@dataclass(slots=True)
class _Built:
    cues: CueFinder
    actors: ActorFinder


class EventCoder:
    """Codes the events of a parsed article (see the module docstring for the cascade).

    ``actors_path`` adds a user actor dictionary to the shipped one (``$EVENTSCOPE_ACTORS``
    does the same). Knowledge is loaded on first use and cached per spaCy vocabulary.
    ``model`` is the event-type model: a :class:`.typemodel.TypeModel`, a directory written by
    ``eventscope train``, or None for the built-in one; ``use_model=False`` codes with the
    rules alone.
    """

    def __init__(
        self,
        *,
        actors_path: Path | None = None,
        model: TypeModel | Path | None = None,
        use_model: bool = True,
    ) -> None:
        self.actors_path = actors_path
        self._built: dict[int, _Built] = {}
        self.use_model = use_model
        self._model: TypeModel | None = model if isinstance(model, TypeModel) else None
        self._model_dir = model if isinstance(model, Path) else None

    @property
    def model(self) -> TypeModel | None:
        """The event-type model (loaded on first use), or None when coding with rules alone."""
        if not self.use_model:
            return None
        if self._model is None:
            self._model = TypeModel.load(self._model_dir) if self._model_dir else builtin()
        return self._model

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
        own += b.actors.currency_spans(doc)  # "the US dollar exchange rate"
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
        cands = merge(cands)
        cands = self._retype(doc, cands)
        built = [(self._event(doc, article, c, mods, b, mentions), c) for c in cands]
        return dedup([(e, c) for e, c in built if e is not None])

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
    ) -> list[Candidate]:
        out: list[Candidate] = []
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
    ) -> Candidate | None:
        cues = [c for c in cues if not _trade_exchange(doc, c)]
        realis = [c for c in cues if c.realis and not c.foiled]
        foiled = [c for c in cues if c.foiled]
        if foiled and not any(c.cls in _WEAPON_CUES for c in cues):
            # "repelled a rebel attack on the base": an attack thwarted is a battle
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
        # "artillery fire from an unidentified side": a generic noun that is the weapon itself
        # is not an actor, unless a demonym makes it one ("Israeli artillery shelled")
        weapon_toks = {i for c in realis if c.cls in _WEAPON_CUES for i in range(c.start, c.end)}
        in_clause = [
            m
            for m in in_clause
            if not (
                m.entry.generic
                and m.country is None
                and any(i in weapon_toks for i in range(m.start, m.end))
                and "{country}" in m.entry.name  # "unidentified warplanes" name their user
            )
        ]
        # "a jail that held 3,000 Daesh inmates": people a group's name only describes are
        # not the group as a party to the event
        in_clause = [m for m in in_clause if not held_people(doc, m)]
        anchor = anchor_token(doc, realis or foiled)
        agent, patient = roles(doc, anchor, in_clause, cue_roots(doc, realis or foiled))
        if agent is None or agent.entry.generic or agent is patient:
            # a named group that claimed the attack or planted its bomb did it
            claimed = claimant(doc, sent, mentions)
            if claimed is not None and claimed is not patient:
                claimed = b.actors.localise(claimed, country)
                if claimed is not None:
                    agent = claimed
        if agent is None and doc.has_annotation("DEP"):
            in_sent = [
                lm
                for m in mentions
                if sent.start <= m.start < sent.end
                and m is not patient
                and (lm := b.actors.localise(m, country)) is not None
            ]
            agent = author(doc, anchor, in_sent)
        if agent is None:
            agent = antecedent(doc, span, mentions, sent)
        if agent is None and country_mentions:
            agent = state_as_subject(doc, anchor, country_mentions, b.actors.actors.entries)
        agent_type = _type_of(agent, country, b, as_agent=True)
        patient_type = _type_of(patient, country, b)
        if patient is not None and (
            patient.entry.name.startswith("Government of") or off_duty(doc, patient)
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
        return Candidate(
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
            weapon_country=weapon_country(used, country_mentions or []),
        )

    def _retype(self, doc: Doc, cands: list[Candidate]) -> list[Candidate]:
        """Weigh each candidate's sub-type against the model's reading of its sentences, and
        drop the ACLED events of a document the model reads as a non-event."""
        model = self.model
        doc.user_data["non_event"] = None
        if model is None:
            return cands
        if len(doc.text) > _SNIPPET_CHARS:
            return cands
        tax = load_taxonomy()
        cal = Calibration.of(model)
        kind = non_event(model.proba(doc.text), tax.event_type_of, cal)
        if kind in _DISASTERS and any(c.decision.sub_event_type for c in cands):
            # the rules decide disasters themselves, from the codebook's line (what nobody
            # did: typing_rules' disaster modifiers); where they still found an ACLED event,
            # a bag of words reading "violence erupted" as an eruption does not remove it
            kind = None
        if kind is not None:
            doc.user_data["non_event"] = kind
            return [c for c in cands if c.decision.sub_event_type is None]
        context = features(doc.text)
        for c in cands:
            sub = c.decision.sub_event_type
            if sub is None:
                continue
            # the event's own sentences, then the document as their context (in a one-event
            # note they are the same words)
            end = max(c.tail_end, c.sent_end)
            text = doc[c.clause[0] : c.clause[1]].text if c.split else doc[c.sent_start : end].text
            new = combine(model.proba(text, context), sub, tax.event_type_of, cal)
            if new != sub:
                c.decision = replace(
                    c.decision, sub_event_type=new, rule=f"model<{c.decision.rule}"
                )
        return cands

    # ------------------------------------------------------------------ events

    def _event(
        self,
        doc: Doc,
        article: Article,
        c: Candidate,
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
        if not dated and habitual(doc[trig.start : trig.end].root):
            # "Morocco has been the target of numerous attacks": a pattern, not an event
            return None
        ev.confidence = conf.confidence(c.decision.rule, c.index, ev)
        return ev

    def _actors(
        self,
        ev: Event,
        c: Candidate,
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

        def crowd(template: str, atype: str) -> tuple[str, str]:
            # ACLED names a crowd by its own nationality when the text gives one: "Israeli
            # settlers" in Jerusalem are Rioters (Israel), "Indian nationals" in Nepal too
            own = c.agent.country if c.agent is not None else None
            own_name = b.actors.countries.name(own) if own and own != country else None
            if own_name and c.agent is not None and c.agent.entry.type in _CROWDS:
                return template.format(country=own_name), atype
            return generic(template, atype)

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
                crowd("Protesters ({country})", "Protesters"),
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
            a1 = crowd("Rioters ({country})", "Rioters")
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
                and not authored(doc, c.agent)
            ):
                # "an army truck hit an IED": the forces were its target, not its authors
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
            if sub == "Looting/property destruction" and a2 is None:
                # ACLED: what was looted or destroyed belonged to someone; with no owner
                # named, civilians (shops, crops, homes, factories) are the other side
                a2 = generic("Civilians ({country})", "Civilians")
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

    def _casualties(self, ev: Event, doc: Doc, c: Candidate) -> None:
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

    def _date(self, ev: Event, doc: Doc, c: Candidate, article: Article) -> bool:
        """Date the event; True when the date was read in the event's own sentence."""
        fn = _optional("dates", "resolve_date")
        if fn is None:
            return False
        span = doc[c.clause[0] : c.clause[1]]
        rd = fn(span, article.published)
        ev.event_date = rd.date
        ev.date_precision = rd.precision
        ev.date_note = rd.note
        if rd.start is not None and rd.end is not None:
            ev.add_evidence("event_date", rd.start, rd.end)
            sent = doc[c.sent_start : c.sent_end]
            return sent.start_char <= rd.start < sent.end_char
        return False


# Cues that report no event of their own: a sentence holding only these continues the
# event before it ("Police used a lathi charge to scatter the strikers.").
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
    votes: dict[str, float] = {}
    for p in proper or inside:
        # a country named outright ("near Boni, Mali") outweighs one ambiguous place name
        code = p.country_code or ""
        votes[code] = votes.get(code, 0.0) + (1.5 if p.feature_code == "PCLI" else 1.0)
    if votes:
        best = max(votes.values())
        for p in places:
            if votes.get(p.country_code or "") == best and sent.start_char <= p.start:
                return p.country_code
    for c in countries:
        if not c.demonym and sent.start <= c.start < sent.end:
            return c.code
    return None


def _trade_exchange(doc: Doc, cue: Cue) -> bool:
    """A bare "exchange" that names a trade, not an exchange of fire: "a trader who worked in
    currency exchange", "an exchange office" (a noun compound either way)."""
    if cue.cls != "clash" or cue.text_lower not in ("exchange", "exchanges"):
        return False
    tok = doc[cue.start]
    return tok.dep_ == "compound" or any(ch.dep_ == "compound" for ch in tok.children)


def _type_of(
    m: ActorMention | None, country: str | None, b: _Built, *, as_agent: bool = False
) -> str | None:
    return b.actors.resolve(m, country, as_agent=as_agent)[1] if m is not None else None


def _first_state(c: Candidate, b: _Built, mentions: list[ActorMention]) -> tuple[str, str] | None:
    for m in mentions:
        if c.sent_start <= m.start < c.tail_end and m.entry.type == "State forces":
            return b.actors.resolve(m, c.country)
    return None
