"""Event mention detection: trigger cues, their modality, and the clauses they belong to.

Cascade (each step only looks at spaCy's parse and the trigger lexicon):

1. ``PhraseMatcher`` on lower-cased tokens finds every trigger (``triggers.yaml``) and every
   modifier cue; triggers inside dates ("in March 2019") and inside named groups
   ("March 23 Movement") are dropped.
2. Each trigger gets a modality by walking up the dependency tree from it: a modal auxiliary
   ("will attend the meeting"), a negation ("no one was killed"), a governing irrealis word
   ("planned to attack", "denied that planes entered", "threatened to kill") make it an event
   that did not happen; a governing foiling word ("police foiled a bomb attack") makes a violent
   trigger a foiled one, which ACLED codes ``Disrupted weapons use``.
3. Triggers are grouped by clause: a sentence is cut at coordinated clauses that have their
   own subject ("X claimed an attack in Egypt, and the group has claimed attacks in Israel" is
   two events); a conjoined verb without its own subject stays in the event ("gunmen attacked
   the village and abducted four people").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.matcher import PhraseMatcher

from .knowledge import Triggers

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token
    from spacy.vocab import Vocab

# Entity types whose words are names, not reports ("Rally for Democracy", "Operation X").
_NAME_ENTS = frozenset({"DATE", "TIME", "ORG", "PERSON", "WORK_OF_ART", "LAW", "EVENT"})
# How far up the tree modality is looked for; 5 covers "said that it had planned to attack".
_MAX_DEPTH = 6
_SUBJ = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
_CALIBRE = re.compile(r"(\d+(?:[.,]\d+)?)mm")
_HEAVY_MM = 12.7
WEAPON_CLASSES = frozenset({"air", "shelling", "ied", "grenade", "suicide", "chemical"})
# Adjectives that make a noun trigger a past event recalled, not this one ("unexploded bombs
# from previous fighting").
_PAST_ADJ = frozenset({"previous", "past", "former", "earlier", "prior", "old"})
VIOLENT_CUES = frozenset(
    {
        "attack",
        "kill",
        "clash",
        "air",
        "shelling",
        "ied",
        "grenade",
        "suicide",
        "chemical",
        "abduction",
        "sexual",
        "riot",
        "mob",
    }
)


@dataclass(slots=True)
class Cue:
    """One trigger or modifier occurrence."""

    cls: str
    start: int  # token indices
    end: int
    start_char: int
    end_char: int
    weak: bool = False
    realis: bool = True
    foiled: bool = False
    reference: bool = False  # named as a topic, not reported ("condemned the murder")
    background: bool = False  # inside a relative clause ("a man who died during riots")
    clause: int = -1  # token index of the clause head
    text_lower: str = ""

    @property
    def text_span(self) -> tuple[int, int]:
        return self.start_char, self.end_char


class CueFinder:
    """Matches triggers and modifiers; built once per vocabulary."""

    def __init__(self, vocab: Vocab, triggers: Triggers) -> None:
        from spacy.lang.en import English

        tok = English().tokenizer
        self.k = triggers
        self._trig = PhraseMatcher(vocab, attr="LOWER")
        self._mods = PhraseMatcher(vocab, attr="LOWER")
        for cls, phrases in triggers.triggers.items():
            self._trig.add(cls, [tok(p.lower()) for p in phrases])
        for cls, phrases in triggers.modifiers.items():
            self._mods.add(cls, [tok(p.lower()) for p in phrases])
        self._idioms = PhraseMatcher(vocab, attr="LOWER")
        if triggers.idioms:
            self._idioms.add("idiom", [tok(p.lower()) for p in triggers.idioms])

    def triggers(self, doc: Doc, blocked: set[int]) -> list[Cue]:
        """Trigger cues in text order; ``blocked`` token indices (named groups) are skipped."""
        cues = self._match(self._trig, doc)
        # "in exchange for", "exchange rate": a trigger word inside an idiom reports nothing
        blocked = blocked | {i for _, s, e in self._idioms(doc) for i in range(s, e)}
        parsed = doc.has_annotation("DEP")
        out: list[Cue] = []
        for c in cues:
            toks = doc[c.start : c.end]
            if any(t.i in blocked for t in toks):
                continue
            if (
                any(t.ent_type_ in _NAME_ENTS for t in toks)
                and not _keeps_in_entity(toks)
                # a weapon inside an organisation's name still tells the weapon: "the GNA
                # air force targeted trucks"
                and not (c.cls in WEAPON_CLASSES and all(t.ent_type_ == "ORG" for t in toks))
            ):
                continue
            c.weak = toks.text.lower() in self.k.weak
            c.background = _in_relative_clause(toks.root)
            self._modality(doc, c)
            c.clause = clause_head(doc[c.start : c.end].root).i if parsed else -1
            out.append(c)
        return out

    def calibres(self, doc: Doc, blocked: set[int]) -> list[Cue]:
        """Heavy calibres as shelling cues: "fired 14.5mm and 23mm guns", "82mm mortars".

        ACLED counts heavy machine guns and cannon (12.7 mm and up) with artillery, not with
        small arms; rifles are 5.56-7.62 mm.
        """
        out: list[Cue] = []
        for t in doc:
            m = _CALIBRE.fullmatch(t.lower_)
            if m is None and t.like_num and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "mm":
                m = _CALIBRE.fullmatch(t.lower_.replace(",", ".") + "mm")  # "23 mm", "23mm"
            if m is None or t.i in blocked or float(m.group(1).replace(",", ".")) < _HEAVY_MM:
                continue
            # weak: a calibre tells the weapon only when something was fired
            cue = Cue(
                "shelling", t.i, t.i + 1, t.idx, t.idx + len(t), weak=True, text_lower=t.lower_
            )
            self._modality(doc, cue)
            cue.clause = clause_head(t).i if doc.has_annotation("DEP") else -1
            out.append(cue)
        return out

    def modifiers(self, doc: Doc) -> list[Cue]:
        cues = self._match(self._mods, doc)
        for c in cues:
            self._modality(doc, c)
        return cues

    @staticmethod
    def _match(matcher: PhraseMatcher, doc: Doc) -> list[Cue]:
        strings = doc.vocab.strings
        found = sorted(matcher(doc), key=lambda m: (m[1], -(m[2] - m[1])))
        out: list[Cue] = []
        # Keep the longest match at each position and drop matches nested in it, but let a
        # different class overlap ("suicide bomber" is suicide; "bomber" alone is not ied).
        ends: dict[str, int] = {}
        for match_id, start, end in found:
            cls = strings[match_id]
            if start < ends.get(cls, -1):
                continue
            if any(
                o.start <= start and end <= o.end and (o.end - o.start) > (end - start)
                for o in out[-4:]
            ):
                continue
            ends[cls] = end
            span = doc[start:end]
            out.append(
                Cue(cls, start, end, span.start_char, span.end_char, text_lower=span.text.lower())
            )
        return out

    def _modality(self, doc: Doc, cue: Cue) -> None:
        k = self.k
        tok = doc[cue.start : cue.end].root
        t: Token = tok
        t_dep = ""  # the dependency by which the path reached ``t``
        for depth in range(_MAX_DEPTH):
            for ch in t.children:
                low = ch.lower_
                if ch.dep_ == "neg" or (ch.dep_ in ("det", "advmod") and low in k.negators):
                    cue.realis = False
                elif ch.dep_ in ("aux", "auxpass") and low in k.modal_aux:
                    cue.realis = False
                elif ch.dep_ == "advmod" and low in k.habitual:
                    cue.realis = False
                elif ch.dep_ == "mark" and low in ("if", "unless", "whether"):
                    cue.realis = False
                elif depth == 0 and ch.dep_ == "amod" and low in _PAST_ADJ:
                    cue.realis = False
                    cue.reference = True
                elif depth == 0 and ch.dep_ in _SUBJ and low in ("nobody", "none"):
                    cue.realis = False
                elif depth == 0 and ch.dep_ in _SUBJ and any(g.lower_ == "no" for g in ch.children):
                    cue.realis = False  # "no one was killed"
            # a verb that denies or refuses only its complement leaves its subject's act
            # alone: "protesters rejected the proposal" puts the proposal in doubt
            if depth > 0 and not (t_dep in _SUBJ and t.lower_ in k.complement_only):
                low = t.lower_
                if low in k.foiled or (low in k.discovered and cue.cls in WEAPON_CLASSES):
                    # "police foiled a bomb attack"; "an IED was found", "seized grenades": a
                    # weapon found or seized was not used (Disrupted weapons use)
                    cue.foiled = True
                    return
                if low in k.irrealis:
                    cue.realis = False
                elif low in k.reference and tok.pos_ in ("NOUN", "PROPN"):
                    # "condemned the murder of X": an event named as a topic
                    cue.realis = False
                    cue.reference = True
            if not cue.realis:
                return
            if t.head is t or t.dep_ == "ROOT":
                return
            # Modality does not cross into the sentence a relative clause hangs from:
            # "the attack, which officials said would ..." vs "attacks that killed".
            if t.dep_ == "relcl" or (t.dep_ == "acl" and depth > 0):
                return
            t_dep = t.dep_
            t = t.head


def _keeps_in_entity(toks: Span) -> bool:
    """Some triggers survive inside an entity spaCy mislabels ("the attack on Sunday")."""
    return all(t.ent_type_ not in ("DATE", "TIME") for t in toks) and toks.root.pos_ == "VERB"


def _in_relative_clause(tok: Token) -> bool:
    t = tok
    for _ in range(12):
        if t.dep_ == "relcl":
            return True
        if t.head is t:
            return False
        t = t.head
    return False


def clause_head(tok: Token) -> Token:
    """The head of the clause a token belongs to (see the module docstring, step 3)."""
    t = tok
    for _ in range(40):
        if t.dep_ == "ROOT" or t.head is t:
            return t
        if (
            t.dep_ == "conj"
            and t.pos_ in ("VERB", "AUX")
            and any(c.dep_ in _SUBJ for c in t.children)
        ):
            return t
        t = t.head
    return t


def clause_spans(sent: Span) -> dict[int, tuple[int, int]]:
    """Token range (start, end) of each clause of a sentence, keyed by its head index."""
    ranges: dict[int, list[int]] = {}
    for t in sent:
        h = clause_head(t).i
        ranges.setdefault(h, []).append(t.i)
    out: dict[int, tuple[int, int]] = {}
    for h, idx in ranges.items():
        out[h] = (min(idx), max(idx) + 1)
    return out


def is_violent(cls: str) -> bool:
    return cls in VIOLENT_CUES
