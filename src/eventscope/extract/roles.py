"""Who acted and who was acted upon: roles of actor mentions read from the dependency parse.

:func:`roles` is the cascade, written down in its docstring: the dependency path from a
mention to the event's trigger (or to the verb governing a noun trigger) decides agent or
patient; participles hung on a group, authors of planted bombs and claims, antecedents of
"the group", and countries named as subjects fill in what the path misses; text order is
the last resort, and only for subjects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .actors import ActorMention, CountryMention
from .detect import WEAPON_CLASSES, Cue
from .knowledge import ActorEntry
from .typing_rules import ARMED

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# Prepositions whose object is the one acted upon ("attack on", "fired at", "clashed with").
_PATIENT_PREPS = frozenset({"on", "against", "at", "upon", "targeting", "with", "into"})


_AGENT_PREPS = frozenset({"by"})

# Nouns whose modifier says where the news came from, not who took part: "an army spokesman
# attributed the blast to the URNG" (not "officials": "two police officials were killed").
_SPEAKERS = frozenset(
    {"spokesman", "spokeswoman", "spokesperson", "spokesmen", "source", "sources", "statement"}
)


def _source_of_news(doc: Doc, m: ActorMention, anchors: list[Token]) -> bool:
    """Whether a mention only names who told of the event: the modifier of a speaker noun
    that is the subject of a verb governing the event's trigger ("An army spokesman
    attributed the blast to ...")."""
    root = doc[m.start : m.end].root
    speaker = root.head
    return (
        root.dep_ in ("compound", "amod", "poss", "nmod")
        and speaker.lower_ in _SPEAKERS
        and not m.start <= speaker.i < m.end
        and speaker.dep_ in ("nsubj", "nsubjpass")
        and speaker.head in anchors[1:]
    )


_AGENT_DEPS = frozenset({"nsubj", "csubj", "agent", "compound", "amod", "poss", "nmod"})


_PATIENT_DEPS = frozenset({"dobj", "nsubjpass", "dative", "oprd", "attr", "pobj", "appos"})


def anchor_token(doc: Doc, cues: list[Cue]) -> Token:
    # the first non-weak cue anchors the roles; verbs are better anchors than nouns
    strong = [c for c in cues if not c.weak] or cues
    verbs = [c for c in strong if doc[c.start : c.end].root.pos_ == "VERB"]
    c = (verbs or strong)[0]
    return doc[c.start : c.end].root


def cue_roots(doc: Doc, cues: list[Cue]) -> list[Token]:
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


def roles(
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
            # "artillery fire from an unidentified side": the noun the weapon modifies
            if trig.head not in anchors:
                anchors.append(trig.head)
            trig = trig.head
        if trig.pos_ in ("NOUN", "PROPN") and trig.head is not trig:
            h = trig.head
            if h.pos_ == "ADP" and h.head is not h:
                h = h.head
            if h.pos_ in ("VERB", "AUX") and h not in anchors:
                anchors.append(h)
    # the source of the news takes no part ("An army spokesman attributed the blast to ...")
    mentions = [m for m in mentions if not _source_of_news(doc, m, anchors)]
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
        # only a subject can act: "a mine buried beside a police post exploded" does not
        # make the police the bombers
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
            # a named armed group before the verb that the parse did not attach ("gunmen
            # of the Sinaloa Cartel handed out food") is its subject far more often than not
            agent = named[-1]
    if patient is None:
        after = [m for m in mentions if m.start > trigger.i and m is not agent]
        if after:
            patient = after[0]
    return agent, patient


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


def antecedent(
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
        return _possessor(doc, span, mentions, sent) or _they(doc, span, mentions, sent)
    lo = max(0, sent.start - 60)
    named = [m for m in mentions if not m.entry.generic and lo <= m.start < subj.i]
    return named[-1] if named else None


def _possessor(
    doc: Doc, span: tuple[int, int], mentions: list[ActorMention], sent: Span
) -> ActorMention | None:
    """ "Its regional attacks included an assault on a jail": the owner of the subject is the
    named group mentioned last before it (the article's running topic)."""
    poss = next(
        (
            t
            for t in doc[span[0] : span[1]]
            if t.dep_ == "poss"
            and t.lower_ in ("its", "their")
            and t.head.dep_ in ("nsubj", "nsubjpass")
        ),
        None,
    )
    if poss is None:
        return None
    # the running topic of a report may have been named a paragraph or two before
    lo = max(0, sent.start - 150)
    named = [
        m
        for m in mentions
        if not m.entry.generic and m.entry.type in ARMED and lo <= m.start < poss.i
    ]
    return named[-1] if named else None


def _they(
    doc: Doc, span: tuple[int, int], mentions: list[ActorMention], sent: Span
) -> ActorMention | None:
    """ "They clashed with police": a "they" that opens the clause is the subject of the
    sentence before (the usual reading of a subject pronoun that continues a report)."""
    subj = next(
        (t for t in doc[span[0] : span[1]] if t.dep_ == "nsubj" and t.lower_ == "they"), None
    )
    if subj is None or sent.start == 0:
        return None
    prev = doc[sent.start - 1].sent
    for m in mentions:
        if prev.start <= m.start < prev.end:
            root = doc[m.start : m.end].root
            plural = root.tag_ in ("NNS", "NNPS")
            while root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head is not root:
                root = root.head.head  # "hundreds of youths gathered"
            if root.dep_ == "nsubj" and plural:
                return m
    return None


# "a Taliban-planted IED", "an IED planted by PKK militants", "Al Shabaab claimed the attack"
_AUTHOR_VERBS = frozenset(
    {
        "operation",
        "operations",
        "attack",
        "attacks",
        "assault",
        "assaults",
        "ambush",
        "ambushes",
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


def author(doc: Doc, trigger: Token, mentions: list[ActorMention]) -> ActorMention | None:
    """The group named as author ("during an operation by X", "following attacks by X",
    "X claimed") anywhere in the trigger's sentence, for an event whose own clause names
    nobody who acted ("7 militants were killed and 3 arrested during an operation by X")."""
    return _claimed_or_planted(doc, trigger, mentions)


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
        # "by the Special Operations Command of the National Police": the unit's place is its
        # command's
        while (
            root.dep_ == "pobj"
            and head.lower_ == "of"
            and head.head.dep_ in ("pobj", "compound")
            and head.head is not root
        ):
            root = head.head
            while root.dep_ == "compound" and root.head is not root:
                root = root.head
            head = root.head
        # "planted by PKK militants", "following attacks by Taliban militants"
        if root.dep_ == "pobj" and head.lower_ == "by" and head.head.lower_ in _AUTHOR_VERBS:
            return m
        # "Al Shabaab claimed responsibility" (this sentence or the next)
        if root.dep_ == "nsubj" and head.lower_ in ("claimed", "claims") and not m.entry.generic:
            return m
    return None


# Verbs whose subject owns the attack: "Al Shabaab claimed responsibility", "JNIM claimed the
# attack", "local authorities said the Taliban planted the bomb".
_CLAIM_VERBS = frozenset({"claimed", "claims", "claim", "planted", "laid", "placed"})
# A claim or the planting of a weapon is reported at most this many sentences after the event.
_CLAIM_SENTENCES = 2


def claimant(doc: Doc, sent: Span, mentions: list[ActorMention]) -> ActorMention | None:
    """A named armed group that claimed the event or planted its weapon, in the event's
    sentence or the next ones. ACLED codes a claimed attack to the group that claimed it,
    whoever the parse found acting ("an IED struck an army vehicle ... JNIM claimed it")."""
    if not doc.has_annotation("DEP"):
        return None
    hi = sent.end
    nxt = sent
    for _ in range(_CLAIM_SENTENCES):
        if hi >= len(doc):
            break
        nxt = doc[hi].sent
        hi = nxt.end
    for m in mentions:
        if m.entry.generic or m.entry.type not in ARMED or not (sent.start <= m.start < hi):
            continue
        root = doc[m.start : m.end].root
        while root.dep_ == "compound" and root.head is not root:
            root = root.head  # "Al Shabaab militants claimed": the militants claimed
        head = root.head
        if root.dep_ == "nsubj" and head.lower_ in _CLAIM_VERBS:
            return m
        # "the mine had reportedly been planted by ISWAP fighters"
        if root.dep_ == "pobj" and head.lower_ == "by" and head.head.lower_ in _CLAIM_VERBS:
            return m
        # "a Taliban-planted IED"
        if (
            m.end + 1 < len(doc)
            and doc[m.end].text == "-"
            and doc[m.end + 1].lower_ in _CLAIM_VERBS
        ):
            return m
    return None


# People held by others: a group named before them describes them ("3,000 Daesh inmates",
# "Taliban prisoners") and is not a party to what happens around them.
_HELD = frozenset({"inmates", "prisoners", "detainees", "captives", "convicts"})


def held_people(doc: Doc, m: ActorMention) -> bool:
    """The mention only qualifies people held in detention ("Daesh inmates")."""
    root = doc[m.start : m.end].root
    if root.dep_ in ("compound", "amod", "nmod") and root.head.lower_ in _HELD:
        return True
    if m.end < len(doc) and doc[m.end].lower_ in _HELD:
        return True  # the parse does not always hang the name on the noun
    # "a jail that held 3,000 inmates": the people a place holds are not its attackers' target
    return (
        root.lower_ in _HELD
        and root.dep_ == "dobj"
        and root.head.lemma_ in ("hold", "house", "detain", "keep")
    )


_OFF_DUTY = frozenset({"off-duty", "retired", "former", "ex", "demobilised", "demobilized"})


def off_duty(doc: Doc, m: ActorMention) -> bool:
    """An off-duty, retired or former member of the forces (a civilian to ACLED)."""
    lo, hi = max(0, m.start - 4), min(len(doc), m.end + 6)
    words = [t.lower_ for t in doc[lo:hi]]
    text = " ".join(words)
    return bool(_OFF_DUTY & set(words)) or "off duty" in text or "off - duty" in text


def weapon_country(cues: list[Cue], countries: list[CountryMention]) -> str | None:
    """The demonym right before a weapon trigger ("Israeli airstrikes", "Turkish drone")."""
    by_end = {c.end: c for c in countries if c.demonym}
    for cue in cues:
        if cue.cls in WEAPON_CLASSES:
            c = by_end.get(cue.start)
            if c is not None:
                return c.code
    return None


def authored(doc: Doc | None, m: ActorMention) -> bool:
    """The mention is named as the author of a weapon ("planted by", "X-planted", "claimed")."""
    if doc is None:
        return False
    root = doc[m.start : m.end].root
    if root.dep_ == "pobj" and root.head.lower_ == "by":
        return True
    if m.end + 1 < len(doc) and doc[m.end].text == "-" and doc[m.end + 1].lower_ in _AUTHOR_VERBS:
        return True
    return root.dep_ == "nsubj" and root.head.lower_ in _AUTHOR_VERBS


def state_as_subject(
    doc: Doc, anchor: Token, countries: list[CountryMention], entries: tuple[ActorEntry, ...]
) -> ActorMention | None:
    """ "Kenya and Somalia launched a joint operation", "Israel struck targets": a country named
    as the subject of the event acts through its forces (ACLED: Military Forces of X)."""
    military = next(
        (e for e in entries if e.generic and e.name == "Military Forces of {country}"),
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
