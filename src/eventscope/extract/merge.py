"""Mentions of one incident become one event.

Step 4 of the coder's cascade (see :mod:`.coder`): :func:`merge` folds a clause into the event
before it when it continues it (the same protest met by the police, the looting after the
fighting, a bare "1 person was killed"), refining the sub-type where the codebook says so;
:func:`dedup` merges repeated mentions across the article (headline and lead, a recap).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..records import Event
from .actors import ActorMention
from .detect import Cue
from .knowledge import load_taxonomy
from .typing_rules import Decision

if TYPE_CHECKING:
    from spacy.tokens import Token

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
class Candidate:
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


def merge(cands: list[Candidate]) -> list[Candidate]:
    """Fold mentions of one incident into one event (module docstring, step 4)."""
    out: list[Candidate] = []
    for c in cands:
        prev = out[-1] if out else None
        if prev is not None and _continues(prev, c):
            _fold(prev, c)
            continue
        protest = _answered_protest(out, c)
        if protest is not None:
            _fold(protest, c)
            continue
        out.append(c)
    for i, c in enumerate(out):
        c.index = i
    return out


def _answered_protest(out: list[Candidate], c: Candidate) -> Candidate | None:
    """The demonstration that a later clause reports the authorities' answer to ("Police had
    to intervene to disperse the demonstrators") when other sentences stand between them:
    the clause is about the protesters, dates no event of its own, and no other protest
    came in between."""
    cs = c.decision.sub_event_type
    if (
        cs is None
        or _FAMILY.get(cs) != "protest"
        or c.own_date
        or not ("at_protesters" in c.extra_mods or c.patient_type == "Protesters")
    ):
        return None
    for prev in reversed(out[:-1]):
        ps = prev.decision.sub_event_type
        if ps is not None and _FAMILY.get(ps) == "protest":
            return prev if _continues(prev, c) else None
    return None


def _continues(prev: Candidate, c: Candidate) -> bool:
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


def _force_on_protest(c: Candidate) -> bool:
    """State forces using force after a protest is reported (not a separate attack)."""
    return c.decision.anchor in ("attack", "kill", "clash") and (
        c.agent_type == "State forces" or "intervention" in c.extra_mods
    )


def _fold(prev: Candidate, c: Candidate) -> None:
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


def habitual(trigger: Token) -> bool:
    return trigger.tag_ == "NNS" and any(
        ch.lower_ in _HABITUAL for ch in trigger.children if ch.dep_ in ("amod", "det")
    )


def dedup(pairs: list[tuple[Event, Candidate]]) -> list[Event]:
    """Merge repeated mentions of one incident across the article (headline + lead, a
    recap paragraph): same coding, same country, compatible dates and actors."""
    kept: list[tuple[Event, Candidate]] = []
    for ev, c in pairs:
        for kev, kc in kept:
            if _same_incident(kev, kc, ev, c):
                for e in ev.evidence:
                    kev.add_evidence(e.field, e.start, e.end)
                if kev.event_date is None:
                    kev.event_date, kev.date_precision = ev.event_date, ev.date_precision
                    kev.date_note = ev.date_note
                if kev.fatalities == 0 and ev.fatalities:
                    kev.fatalities = ev.fatalities
                if kev.injuries is None:
                    kev.injuries = ev.injuries
                kev.confidence = max(kev.confidence, ev.confidence)
                break
        else:
            kept.append((ev, c))
    return [ev for ev, _ in kept]


def _same_incident(a: Event, ac: Candidate, b: Event, bc: Candidate) -> bool:
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
