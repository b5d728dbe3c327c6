"""The casualty lexicon (``data/numbers.yaml``) and number reading for :mod:`.casualties`.

Loaded once per process and validated on load: a bad entry raises
:class:`~eventscope.errors.KnowledgeError` naming the file and the entry. The patterns
that :mod:`.casualties` matches are compiled here from the lexicon, so adding a verb or a
noun to the YAML file needs no code change.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import KnowledgeError
from .knowledge import data_path, read_yaml

LEXICON_FILE = "numbers.yaml"


# --------------------------------------------------------------------------- lexicon

_LIST_KEYS = (
    "singular_determiners",
    "singular_pronouns",
    "fatal_verbs",
    "fatal_intransitive",
    "fatal_nouns_counted",
    "fatal_nouns_of",
    "death_toll",
    "injury_verbs",
    "injury_intransitive",
    "injury_nouns_counted",
    "non_casualty_nouns",
    "cumulative_markers",
    "cause_markers",
    "negations",
    "denial_markers",
    "subset_markers",
    "qualifiers",
    "auxiliaries",
    "manner_verbs",
    "np_stopwords",
    "generic_person_nouns",
    "split_units",
    "self_deaths",
    "to_death_verbs",
    "one_death",
)
_NUMBER_KEYS = ("units", "tens", "scales", "vague", "group_nouns")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The validated contents of ``numbers.yaml`` and the patterns built from it."""

    units: dict[str, int]
    tens: dict[str, int]
    scales: dict[str, int]
    vague: dict[str, int]
    group_nouns: dict[str, int]
    lists: dict[str, frozenset[str]]
    patterns: dict[str, re.Pattern[str]]

    def words(self, key: str) -> frozenset[str]:
        return self.lists[key]


def _alt(words: set[str] | frozenset[str] | list[str]) -> str:
    """A regex alternation of phrases, longest first, whitespace-flexible."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in ordered)


def _validate(raw: Any, source: str) -> tuple[dict[str, dict[str, int]], dict[str, list[str]]]:
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{source}: expected a mapping at the top level")
    numbers: dict[str, dict[str, int]] = {}
    for key in _NUMBER_KEYS:
        table = raw.get(key)
        if not isinstance(table, dict) or not table:
            raise KnowledgeError(f"{source}: '{key}' must be a non-empty mapping of word: number")
        for word, value in table.items():
            if not isinstance(word, str) or word != word.lower() or not word.strip():
                raise KnowledgeError(f"{source}: {key}: entry {word!r} must be lower-case text")
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise KnowledgeError(
                    f"{source}: {key}: {word!r} must map to a non-negative integer, got {value!r}"
                )
        numbers[key] = {str(k): int(v) for k, v in table.items()}
    lists: dict[str, list[str]] = {}
    for key in _LIST_KEYS:
        items = raw.get(key)
        if not isinstance(items, list) or not items:
            raise KnowledgeError(f"{source}: '{key}' must be a non-empty list of phrases")
        for item in items:
            if not isinstance(item, str) or not item.strip() or item != item.lower():
                raise KnowledgeError(f"{source}: {key}: entry {item!r} must be lower-case text")
        lists[key] = [str(i) for i in items]
    unknown = set(raw) - set(_LIST_KEYS) - set(_NUMBER_KEYS)
    if unknown:
        raise KnowledgeError(f"{source}: unknown section(s) {sorted(unknown)}")
    return numbers, lists


def _build_patterns(n: dict[str, dict[str, int]], lists: dict[str, list[str]]) -> dict[str, Any]:
    """Compile the casualty patterns from the lexicon (see the module docstring, step 2)."""
    word = r"[a-z][\w'’]*(?:-[a-z][\w'’]*)*"
    numword = _alt(set(n["units"]) | set(n["tens"]) | set(n["scales"]))
    scale_lb = "|".join(f"(?<={re.escape(s)})" for s in sorted(n["scales"]))
    words_num = rf"\b(?:{numword})\b(?:(?:[\s-]+|(?:{scale_lb})\s+and\s+)(?:{numword})\b)*"
    digits = (
        r"(?<![\w$£€.,/:-])(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\d,.]\d)"
        r"(?:\s+(?:million|thousand|hundred)\b)?"
    )
    vague = rf"\b(?:{_alt(set(n['vague']))})\b"
    atom = rf"(?:{vague}|{digits}|{words_num})"
    qual = rf"(?:\b(?:{_alt(lists['qualifiers'])})\s+)?"
    rng = rf"{atom}(?:\s*(?:-|–|\bto\b|\bor\b)\s*{atom})?"
    qexpr = rf"{qual}(?:\bbetween\s+{atom}\s+and\s+{atom}|{rng})(?![\w%]|-[a-z])"
    fv = _alt(lists["fatal_verbs"])
    fi = _alt(lists["fatal_intransitive"])
    iv = _alt(lists["injury_verbs"])
    ii = _alt(lists["injury_intransitive"])
    aux = _alt(lists["auxiliaries"])
    manner = _alt(lists["manner_verbs"])
    pron = _alt(lists["singular_pronouns"])
    # up to 8 words: "two cadres of the United Achik National Front were killed"
    np_words = rf"(?:\s+(?!(?:{aux}|and|or|but|who|which|that|whom)\b){word}){{0,8}}?"
    auxes = rf"(?:\s+(?:{aux})\b){{0,3}}"
    manner_opt = rf"(?:\s+(?:{manner})\s+(?:and\s+)?)?"
    tail = rf"(?P<tail>(?:\s+{word}){{0,4}})"
    subject = rf"(?P<np>{np_words})(?P<aux>{auxes}){manner_opt}\s*"
    one = r"(?P<det>a|an|the|his|her|their|its)\b"
    adj = r"(?:(?:more|other|further|additional|civilian|confirmed|reported|total)\s+)?"
    joiner = r"(?:,|\band\b|,\s*and|\bas\s+well\s+as)"
    toll_verb = r"(?:to|of|at|reached|is|was|hit|stands\s+at|stood\s+at)"
    split_units = _alt(lists["split_units"])
    pats: dict[str, str] = {
        # a count after the verb: "killing at least 11 soldiers", "wounding 7"
        "fatal_active": (
            rf"\b(?P<cue>{fv})(?:\s+(?:and|or)\s+(?P<cue2>{iv}))?\s+"
            rf"(?:the\s+|(?:a|the)\s+family\s+of\s+)?(?P<q>{qexpr}){tail}"
        ),
        "injury_active": (
            rf"\b(?P<cue>{iv})(?:\s+(?:and|or)\s+(?P<cue2>{fv}))?\s+(?:the\s+)?(?P<q>{qexpr}){tail}"
        ),
        # a count before a passive or intransitive verb: "3 militants were killed", "1 killed"
        "fatal_passive": rf"(?P<q>{qexpr}){subject}\b(?P<cue>{fv}|{fi})\b",
        "injury_passive": rf"(?P<q>{qexpr}){subject}\b(?P<cue>{iv}|{ii})\b",
        # one victim: "killing a truck driver", "shot dead the owner", "a man was found dead"
        "fatal_active_one": rf"\b(?P<cue>{fv})\s+{one}{tail}",
        "injury_active_one": rf"\b(?P<cue>{iv})\s+{one}{tail}",
        "fatal_passive_one": rf"\b(?P<det>a|an|the|his|her|he|she){subject}\b(?P<cue>{fv}|{fi})\b",
        "injury_passive_one": rf"\b(?P<det>a|an|the|his|her|he|she){subject}\b(?P<cue>{iv}|{ii})\b",
        "fatal_pronoun": rf"\b(?P<cue>{fv}|leaving|left)\s+(?P<det>{pron})\b(?:\s+(?:{fi}|{fv}))?",
        "injury_pronoun": rf"\b(?P<cue>{iv})\s+(?P<det>{pron})\b",
        # the attacker's own death: "blew himself up", "killed himself and 3 others"
        "self_death": rf"\b(?:{_alt(lists['self_deaths'])})\b",
        # counted nouns: "12 deaths", "1 fatality", "5 injured" (ACLED's summaries)
        "fatal_noun": rf"(?P<q>{qexpr})\s+{adj}(?P<cue>{_alt(lists['fatal_nouns_counted'])})\b",
        # whose fatalities: "6 military fatalities", "2 rebel and 1 military fatality"
        "fatal_noun_of_side": (
            rf"(?P<q>{qexpr})\s+(?P<side>[a-z][\w-]*)\s+(?P<cue>fatalities|fatality)\b"
        ),
        "injury_noun": rf"(?P<q>{qexpr})\s+{adj}(?P<cue>{_alt(lists['injury_nouns_counted'])})\b",
        # "massacre of 12 villagers", "the body of a man", "death of one demonstrator"
        "fatal_of": (
            rf"\b(?P<cue>{_alt(lists['fatal_nouns_of'])})\s+of\s+"
            rf"(?P<q>(?:the\s+)?{qexpr}|a|an|the|his|her)\b{tail}"
        ),
        # the death of the one victim told before: "shot a civilian, resulting in his death"
        "one_death": rf"\b(?:{_alt(lists['one_death'])})\b",
        # "beat a young man to death", "tortured 3 villagers to death"
        "to_death": (
            rf"\b(?P<cue>{_alt(lists['to_death_verbs'])})\s+(?P<q>{qexpr}|a|an|the|his|her)\b"
            rf"(?P<np>(?:\s+{word}){{0,4}}?)\s+to\s+death\b"
        ),
        "left_dead": (
            rf"\b(?P<cue>leaving|left)\s+(?P<q>{qexpr}|a|an|the|his|her)\b"
            rf"(?P<np>(?:\s+{word}){{0,4}}?)\s+dead\b"
        ),
        "toll": (
            rf"\b(?P<cue>{_alt(lists['death_toll'])})\b[^.;]{{0,40}}?\b{toll_verb}\s+(?P<q>{qexpr})"
        ),
        # ACLED's coding statements: "coded as 10", "split between 3 events"
        "coded": rf"\bcoded\s+(?:as|to|at)\s+(?P<q>{qexpr})",
        "split": (
            r"\b(?:split|spread|divided|distributed|coded)(?:\s+up)?\s+(?:evenly\s+)?"
            rf"(?:between|across|among|over|into)\s+(?P<q>{qexpr})\s+"
            rf"(?:separate\s+|different\s+)?(?:{split_units})\b"
        ),
        "negation": rf"\b(?:{_alt(lists['negations'])})\b",
        "cumulative": rf"\b(?:{_alt(lists['cumulative_markers'])})\b",
        "cause": rf"\b(?:{_alt(lists['cause_markers'])})\b",
        "denial": rf"\b(?:{_alt(lists['denial_markers'])})\b",
        "subset": rf"\b(?:{_alt(lists['subset_markers'])})\W*$",
        "list_before": (rf"(?P<q>{qexpr}|\b(?:a|an)\b)(?P<np>(?:\s+{word}){{0,6}})\s*{joiner}\s*$"),
        "list_after": rf"^\s*{joiner}\s*(?P<q>{qexpr}|an?\b){tail}",
        "fatal_cue": rf"\b(?:{fv}|{fi})\b",
        "injury_cue": rf"\b(?:{iv}|{ii})\b",
        "object_start": (
            rf"^\s*(?:(?:{aux})\s+)*(?:{qexpr}|a|an|the|his|her|their|him|them|its|several|himself|herself|themselves)\b"
        ),
        "injury_then": rf"^\s*(?:{iv}|{ii}|{fv}|{fi})\b",
        "fatal_intransitive_cue": rf"(?:{fi}|{ii})",
        # a named person: "shot dead Juan Perez", "the killing of Juan Perez", "Perez was
        # gunned down", "Juan Perez, 34, died"
        "fatal_before_name": (
            rf"(?:\b(?P<cue>{fv})|\b(?P<cue_n>{_alt(lists['fatal_nouns_of'])})\s+of)\s+$"
        ),
        "injury_before_name": rf"\b(?P<cue>{iv})\s+$",
        "fatal_after_name": (
            rf"(?:\s*,[^,.;]{{1,40}},)?(?P<aux>{auxes}){manner_opt}\s*\b(?P<cue>{fv}|{fi})\b"
        ),
        "injury_after_name": (
            rf"(?:\s*,[^,.;]{{1,40}},)?(?P<aux>{auxes}){manner_opt}\s*\b(?P<cue>{iv}|{ii})\b"
        ),
        # a cheap first test: without one of these words no pattern above can match
        "any_cue": (
            rf"\b(?:{fv}|{fi}|{iv}|{ii}|{_alt(lists['fatal_nouns_counted'])}|"
            rf"{_alt(lists['fatal_nouns_of'])}|{_alt(lists['death_toll'])}|"
            rf"{_alt(lists['injury_nouns_counted'])}|{_alt(lists['negations'])}|"
            rf"{_alt(lists['self_deaths'])}|{_alt(lists['one_death'])}|coded)\b"
        ),
    }
    return {k: re.compile(v) for k, v in pats.items()}


@functools.lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    """Load and validate ``numbers.yaml`` once per process (``path``: another file)."""
    file = data_path(LEXICON_FILE) if path is None else Path(path)
    source = str(file)
    raw = read_yaml(file)
    numbers, lists = _validate(raw, source)
    try:
        patterns = _build_patterns(numbers, lists)
    except re.error as exc:  # an entry that breaks a pattern names itself in the message
        raise KnowledgeError(f"{source}: an entry makes an invalid pattern: {exc}") from exc
    return Lexicon(
        units=numbers["units"],
        tens=numbers["tens"],
        scales=numbers["scales"],
        vague=numbers["vague"],
        group_nouns=numbers["group_nouns"],
        lists={k: frozenset(v) for k, v in lists.items()},
        patterns=patterns,
    )


# --------------------------------------------------------------------------- numbers

_NUM_SPLIT = re.compile(r"\s*(?:\bbetween\b|\band\b|\bto\b|\bor\b|–|(?<=\w)-(?=\s*\d))\s*")


def _parse_words(words: list[str], lex: Lexicon) -> int | None:
    """Parse "two hundred and six", "twenty-five", "two dozen"; None when ill-formed."""
    total = current = 0
    last = ""  # "unit" | "ten" | "scale"
    for i, w in enumerate(words):
        if w == "and":
            continue
        if w in ("a", "an") and i == 0 and len(words) > 1 and words[1] in lex.scales:
            continue  # "a hundred and fifty": the scale counts once
        if w in lex.units:
            if last in ("unit",) or (last == "ten" and lex.units[w] >= 10):
                return None
            current += lex.units[w]
            last = "unit"
        elif w in lex.tens:
            if last in ("unit", "ten"):
                return None
            current += lex.tens[w]
            last = "ten"
        elif w in lex.scales:
            scale = lex.scales[w]
            current = max(current, 1) * scale
            if scale >= 1000:
                total += current
                current = 0
            last = "scale"
        else:
            return None
    return total + current


def parse_number(text: str, lex: Lexicon | None = None) -> int | None:
    """The value of one number expression: "1,200", "twenty-five", "dozens", "1.5 million"."""
    lex = lex or load_lexicon()
    t = " ".join(text.lower().split())
    if t in lex.vague:
        return lex.vague[t]
    m = re.fullmatch(r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+(million|thousand|hundred))?", t)
    if m:
        amount = float(m.group(1).replace(",", ""))
        if m.group(2):
            amount *= lex.scales[m.group(2)]
        return int(amount)
    words = [w for w in re.split(r"[\s-]+", t) if w]
    value = _parse_words(words, lex)
    if value is None and words:  # "five seven": keep the first well-formed number
        value = _parse_words(words[:1], lex)
    return value


def lowest_figure(qexpr: str, lex: Lexicon | None = None) -> int | None:
    """ACLED's figure for a count with its qualifiers: the lowest one reported."""
    lex = lex or load_lexicon()
    t = " ".join(qexpr.lower().split())
    qual = re.match(rf"(?:{_alt(lex.words('qualifiers'))})\s+", t)
    if qual:
        t = t[qual.end() :]
    if t in lex.vague:
        return lex.vague[t]
    if " and " in t and not t.startswith("between "):
        # "and" inside a number word is no range: "two hundred and six" is 206, "one hundred
        # and twenty" 120 (a range of words, "five and six", does not parse as one number)
        whole = _parse_words([w for w in re.split(r"[\s-]+", t) if w], lex)
        if whole is not None:
            return whole
    values = [parse_number(p, lex) for p in _NUM_SPLIT.split(t) if p.strip()]
    found = [v for v in values if v is not None]
    return min(found) if found else None
