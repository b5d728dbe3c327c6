"""ACLED sub-event type from cues and actors: the codebook's logic, written down once.

Input: the realis trigger classes of one event mention (a clause, plus the refinements found
in the sentences that follow it), the modifier classes around it, and the ACLED actor types
of who acted and who was acted upon. Output: a sub-event type (or ``None`` with a PLOVER type
for events outside ACLED's scope: a meeting, a threat).

Decisions, in order (the first that applies wins):

1. A foiled violent trigger, or a defusal ("bomb disposal experts defused"):
   ``Disrupted weapons use``.
2. Weapon decides among remote violence: suicide bomber > chemical > air/drone > shelling /
   artillery / missile > grenade > remote explosive / landmine / IED. When the two sides
   also engaged each other with direct fire, the event is an ``Armed clash``: ACLED codes
   remote weapons used within a battle as part of the battle.
3. A demonstration: violence by the demonstrators makes it a ``Violent demonstration`` (Riots);
   lethal force against them ``Excessive force against protesters``; dispersal, arrests or
   other obstruction ``Protest with intervention``; else ``Peaceful protest``.
4. Riots without a demonstration: a mob or vigilantes ``Mob violence``, stone-throwing and
   burning tyres ``Violent demonstration``.
5. Sexual violence, then abduction, against civilians (Violence against civilians).
6. Fighting and attacks: who attacked whom decides. Both sides organised and armed -> ``Armed
   clash``; an armed actor on civilians -> ``Attack`` (Violence against civilians); unarmed
   groups fighting each other or beating someone -> ``Mob violence``.
7. Territory: the state taking back ground -> ``Government regains territory``, a non-state
   group taking it -> ``Non-state actor overtakes territory``; handing it over ->
   ``Non-violent transfer of territory``.
8. Strategic developments without violence: looting / destruction, arrests, a base, an
   agreement, a change to a group or its activity.
9. Outside ACLED: a threat (PLOVER ``THREATEN``), a meeting (``CONSULT``).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from .detect import VIOLENT_CUES

ARMED = frozenset(
    {
        "State forces",
        "Rebel group",
        "Political militia",
        "Identity militia",
        "External/Other forces",
    }
)
UNARMED = frozenset({"Civilians", "Protesters", "Rioters"})
_NON_STATE = frozenset({"Rebel group", "Political militia", "Identity militia"})

# Cue classes that report each remote weapon, strongest first (codebook order of precedence:
# a suicide bombing is coded so even when it is also an explosion).
_WEAPONS = (
    ("suicide", "Suicide bomb"),
    ("chemical", "Chemical weapon"),
    ("air", "Air/drone strike"),
    ("shelling", "Shelling/artillery/missile attack"),
    ("grenade", "Grenade"),
    ("ied", "Remote explosive/landmine/IED"),
)


@dataclass(frozen=True, slots=True)
class Decision:
    """The coded type of one event mention and the cue class that decided it."""

    sub_event_type: str | None
    plover: str | None  # only for events outside ACLED (sub_event_type None)
    rule: str  # the rule that fired, for confidence calibration and debugging
    anchor: str  # the cue class whose trigger anchors the event


def decide(
    cues: Collection[str],
    mods: Collection[str],
    *,
    foiled: bool,
    agent_type: str | None,
    patient_type: str | None,
    civilian_victims: bool,
    forces_mentioned: bool,
    state_present: bool = False,
    weapon_named: bool = False,
) -> Decision | None:
    """Code one event mention; ``None`` when the cues report no event.

    ``state_present``: state forces are named around the mention (an intervention in a
    protest needs someone to intervene: "protesters blocked a road" is not one).
    """
    c = set(cues)
    m = set(mods)
    if "dispersal" in c:
        c.discard("dispersal")
        if not c and "grievance" in m:
            c.add("protest")
    if "assembly" in c:
        # people who gather to demand or denounce something are demonstrating; a gathering
        # beside another cue ("staged an attack") is that other event
        c.discard("assembly")
        if not c:
            # people gathered and the police intervened: a demonstration was stopped; a
            # gathering is a meeting only when officials or organisations met
            protest = "grievance" in m or ("intervention" in m and state_present)
            if protest:
                c.add("protest")
            elif agent_type not in UNARMED:
                c.add("meeting")
    # 0. not political violence: a natural hazard or an accident, or diplomacy that names
    # violence as its topic without harm told (CASE 2021's non-ACLED classes)
    if "disaster" in m and (
        # nobody acted: what happened was the hazard or the accident ...
        (
            agent_type is None
            and not c & {"protest", "riot", "mob", "abduction", "sexual", "arrest", "suicide"}
            and not c & {"clash"}
        )
        # ... or the state deployed to help ("the military mobilised to dig out vehicles")
        or (agent_type == "State forces" and c <= {"change", "other"})
    ):
        return None
    if "diplomacy" in m and not m & {"harm", "death"} and agent_type not in _NON_STATE:
        c &= {"meeting", "agreement", "protest", "threat"}
        if not c:
            return None
    violent = c & VIOLENT_CUES
    # 1. foiled violence
    if "disrupted" in c and m & {"harm", "death"} and c & {"clash", "attack", "kill"}:
        # "shot down a helicopter, killing 5 soldiers": the aircraft was the target of a
        # fight, not a weapon used or foiled
        c -= {"disrupted", "air"}
        c.add("clash")
    if ("disrupted" in c or (foiled and not violent)) and (
        weapon_named or c & {"ied", "grenade", "suicide", "shelling", "air", "chemical"}
    ):
        # defusing, intercepting or foiling needs a weapon: "dismantled four arsenals" or
        # "dismantled a house" is not disrupted weapons use
        return Decision("Disrupted weapons use", None, "disrupted", "disrupted")
    c.discard("disrupted")
    if "seize" in c:
        c.discard("seize")
        fight = c & (VIOLENT_CUES - {"abduction", "sexual"})
        if "weapons" in m and not fight and agent_type not in _NON_STATE:
            # ACLED codebook, Disrupted weapons use: "the seizure of weapons or weapons
            # stockpiles" (by the state, or by someone unnamed); a battle in which arms were
            # taken stays the battle, and a group taking arms loots them
            return Decision("Disrupted weapons use", None, "seize-weapons", "seize")
        if "weapons" not in m:
            c.add("looting")
    remote = c & {"ied", "shelling", "grenade", "air"}
    if "remnant" in m and remote:
        # ordnance left from an earlier war that went off: nobody used it in this event
        # (ACLED codes it Strategic developments, Other)
        return Decision("Other", None, "remnant", min(remote))
    # 3. demonstrations come before weapons: tear gas and rubber bullets are not remote violence
    if "protest" in c and "restriction" in c and agent_type in ("State forces", None):
        # "the governor extended the ban on marches and protests": a measure, not a protest
        return Decision("Change to group/activity", None, "restriction", "change")
    if "protest" in c:
        return _protest(c, m, agent_type, state_present, patient_type)
    # 2. remote weapons
    direct_fire = ("small_arms" in m and "clash" in c) or "clash_explicit" in c
    for cls, sub in _WEAPONS:
        if cls in c:
            if direct_fire and cls in ("shelling", "grenade", "ied"):
                return Decision("Armed clash", None, f"{cls}+direct", "clash")
            return Decision(sub, None, cls, cls)
    # 4. riots without a demonstration. ACLED: a violent demonstration has a
    # demonstration's purpose; a crowd beating someone or stoning police who enforce a
    # lockdown, with no demand, is mob violence. Rioting, barricades and burning tyres are
    # the marks of a violent demonstration.
    if "riot" in c:
        if agent_type in ARMED and patient_type in UNARMED and agent_type != "State forces":
            return Decision("Attack", None, "riot-armed", "riot")
        if "detention" in m and "grievance" not in m:
            # prisoners rioting with no demand: a riot without a demonstration
            return Decision("Mob violence", None, "riot-prison", "riot")
        return Decision("Violent demonstration", None, "riot", "riot")
    if "mob" in c and not (agent_type in ARMED and patient_type in ARMED and "clash" in c):
        # two organised armed sides that exchanged fire are no mob, whatever else the text
        # says ("armed men exchanged fire with police during an operation to fight ...")
        if "grievance" in m:
            return Decision("Violent demonstration", None, "mob-grievance", "mob")
        return Decision("Mob violence", None, "mob", "mob")
    # 5. sexual violence and abduction
    if "sexual" in c:
        return Decision("Sexual violence", None, "sexual", "sexual")
    if "abduction" in c and not ("death" in m and c & {"attack", "kill"}):
        if agent_type in UNARMED and agent_type != "Civilians":
            return Decision("Mob violence", None, "abduction-mob", "abduction")
        return Decision("Abduction/forced disappearance", None, "abduction", "abduction")
    # 7. territory (before plain fighting: "recaptured the town after clashes")
    if "regain" in c or "overtake" in c:
        cls = "regain" if "regain" in c else "overtake"
        if agent_type == "State forces":
            return Decision("Government regains territory", None, f"{cls}-state", cls)
        if agent_type in ARMED:
            return Decision("Non-state actor overtakes territory", None, f"{cls}-nsa", cls)
        if cls == "regain" and "clash" not in c:
            return Decision("Government regains territory", None, "regain-default", cls)
    # property attacked, nobody hurt: "an arson attack on a plant", "raided cattle"
    if (
        "looting" in c
        and not (m & {"harm", "death"})
        and patient_type
        not in (
            "Civilians",
            "State forces",
            "Rebel group",
            "Political militia",
            "Identity militia",
            "External/Other forces",
        )
        and "clash" not in c
    ):
        if agent_type in UNARMED:
            return _unarmed_destruction(m)
        return Decision("Looting/property destruction", None, "looting-attack", "looting")
    if "warning" in m and not m & {"harm", "death"} and c <= {"attack", "clash", "kill"}:
        # shots fired in the air or warning shots, hurting no one: a show of force, not an
        # attack or a battle (ACLED codes it Strategic developments, Other)
        return Decision("Other", None, "warning-shots", min(c) if c else "attack")
    # 6. fighting and attacks. State forces who raid and arrest, hurting no one, make
    # arrests (ACLED codebook, Arrests: "detention of a particular individual or group by
    # state forces"), not an attack.
    if (
        "arrest" in c
        and agent_type == "State forces"
        and not m & {"harm", "death"}
        and not c & {"kill", "clash"}
    ):
        return Decision("Arrests", None, "arrest-raid", "arrest")
    if c & {"clash", "attack", "kill"}:
        anchor = "clash" if "clash" in c else ("attack" if "attack" in c else "kill")
        firearms = (
            "small_arms" in m
            or bool(c & {"shelling", "grenade", "ied"})
            or ("clash_explicit" in c and "exchange_fire" in c)
        )
        return _fight(
            anchor, c, agent_type, patient_type, civilian_victims, forces_mentioned, firearms
        )
    if "transfer" in c:
        return Decision("Non-violent transfer of territory", None, "transfer", "transfer")
    # 8. strategic developments
    if "looting" in c:
        if agent_type in UNARMED:
            return _unarmed_destruction(m)
        return Decision("Looting/property destruction", None, "looting", "looting")
    if "arrest" in c:
        if agent_type in ("Rebel group", "Political militia", "Identity militia"):
            # ACLED: only states arrest; a non-state group detaining people abducts them
            return Decision("Abduction/forced disappearance", None, "arrest-nsa", "arrest")
        return Decision("Arrests", None, "arrest", "arrest")
    if "hq" in c:
        return Decision("Headquarters or base established", None, "hq", "hq")
    if "agreement" in c:
        return Decision("Agreement", None, "agreement", "agreement")
    if "other" in c:
        # displacement, evacuation: strategic developments of no other sub-type
        return Decision("Other", None, "other", "other")
    if "change" in c:
        return Decision("Change to group/activity", None, "change", "change")
    # 9. outside ACLED
    if "threat" in c:
        return Decision(None, "THREATEN", "threat", "threat")
    if "meeting" in c:
        return Decision(None, "CONSULT", "meeting", "meeting")
    return None


def _protest(
    c: set[str],
    m: set[str],
    agent_type: str | None,
    state_present: bool,
    patient_type: str | None = None,
) -> Decision:
    # a clash between demonstrators and police is two-sided violence: a violent demonstration
    if c & {"riot", "looting", "mob", "clash"}:
        return Decision("Violent demonstration", None, "protest-violent", "protest")
    if c & {"attack", "kill"} and agent_type == "Civilians" and patient_type == "Protesters":
        # counter-demonstrators or passers-by who attack a demonstration: ACLED codes the
        # protest as one with intervention (by "other actors"), its demonstrators as protesters
        return Decision("Protest with intervention", None, "protest-counter", "protest")
    if c & {"attack", "kill"} and agent_type in UNARMED:
        # "youths attacked a police station to demonstrate": the demonstrators' violence
        return Decision("Violent demonstration", None, "protest-attacking", "protest")
    if "excessive" in m and (c & {"kill", "attack"} or "at_protesters" in m):
        return Decision("Excessive force against protesters", None, "protest-excessive", "protest")
    if ("intervention" in m and state_present) or "arrest" in c:
        return Decision("Protest with intervention", None, "protest-intervention", "protest")
    if c & {"attack", "kill", "air", "shelling", "grenade", "ied"} and agent_type in ARMED:
        return Decision("Excessive force against protesters", None, "protest-attacked", "protest")
    return Decision("Peaceful protest", None, "protest", "protest")


def _fight(
    anchor: str,
    c: set[str],
    agent_type: str | None,
    patient_type: str | None,
    civilian_victims: bool,
    forces_mentioned: bool,
    firearms: bool = False,
) -> Decision:
    if (
        anchor == "clash"
        and firearms
        and agent_type != "State forces"
        and patient_type in (UNARMED | {None})
    ):
        # two families or villages exchanging fire with guns are armed (communal) groups,
        # not a mob: ACLED codes them as an armed clash between identity militias
        return Decision("Armed clash", None, "clash-firearms", anchor)
    # Unarmed people fighting or beating someone, police included: a mob, not an armed group
    # (ACLED codes villagers who assault police as rioters).
    if agent_type in UNARMED:
        return Decision("Mob violence", None, f"{anchor}-unarmed", anchor)
    if (
        anchor == "clash"
        and (patient_type in UNARMED or agent_type in UNARMED)
        and (agent_type not in ARMED or agent_type == "State forces")
    ):
        # a clash needs two organised armed sides; with civilians on one side (two groups
        # of villagers, police against market vendors) it is mob violence
        return Decision("Mob violence", None, "clash-unarmed", anchor)
    if patient_type == "Civilians" or (patient_type is None and civilian_victims):
        if agent_type in UNARMED:
            return Decision("Mob violence", None, f"{anchor}-mob", anchor)
        return Decision("Attack", None, f"{anchor}-civilians", anchor)
    one_sided = agent_type in ARMED and patient_type is None and anchor == "clash"
    if patient_type in ARMED or one_sided:
        return Decision("Armed clash", None, f"{anchor}-armed", anchor)
    if anchor == "clash":
        if agent_type in UNARMED or patient_type in UNARMED:
            return Decision("Mob violence", None, "clash-unarmed", anchor)
        return Decision("Armed clash", None, "clash-default", anchor)
    if forces_mentioned and not civilian_victims:
        return Decision("Armed clash", None, f"{anchor}-forces", anchor)
    return Decision("Attack", None, f"{anchor}-default", anchor)


def _unarmed_destruction(m: set[str]) -> Decision:
    """Villagers, prisoners or a crowd burning or wrecking property: a riot (ACLED codes
    destruction by unorganised crowds as Riots, by armed groups as Looting/property
    destruction); with a demand it is a violent demonstration."""
    if "grievance" in m:
        return Decision("Violent demonstration", None, "looting-rioters", "looting")
    return Decision("Mob violence", None, "looting-mob", "looting")
