"""The training corpus of the event-type model, written by the project itself.

:func:`generate` fills the templates of ``templates.yaml`` (one list per ACLED sub-event type,
per CASE 2021 non-ACLED class, and ``NONE`` for news with no conflict event) with the slot
lexicons of ``lexicon.yaml``, in several news and event-note styles, with a seeded random
generator: the same seed gives the same corpus, line for line. See ``README.md`` here for how
the templates were written.
"""

from __future__ import annotations

import functools
import random
import re
from importlib import resources
from pathlib import Path
from typing import Any

from ...errors import KnowledgeError
from ..knowledge import read_yaml

#: The label of text that reports no event of any kind the model knows.
NO_EVENT = "NONE"

_SLOT = re.compile(r"\{([a-z_0-9]+)\}")


def _path(name: str) -> Path:
    return Path(str(resources.files("eventscope.extract.training") / name))


@functools.cache
def load_templates() -> dict[str, list[str]]:
    """``{label: [template, ...]}``, validated: every slot must be one the generator fills."""
    data = read_yaml(_path("templates.yaml"))
    lex = load_lexicon()
    out: dict[str, list[str]] = {}
    for label, spec in data.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("templates"), list):
            raise KnowledgeError(f"templates.yaml: {label}: needs a 'templates' list")
        if not spec.get("definition"):
            raise KnowledgeError(f"templates.yaml: {label}: needs its 'definition'")
        for t in spec["templates"]:
            for slot in _SLOT.findall(t):
                if slot not in lex and slot not in _DERIVED:
                    raise KnowledgeError(f"templates.yaml: {label}: unknown slot {{{slot}}}")
        out[str(label)] = [str(t) for t in spec["templates"]]
    return out


@functools.cache
def load_lexicon() -> dict[str, list[str]]:
    data = read_yaml(_path("lexicon.yaml"))
    out: dict[str, list[str]] = {}
    for k, v in data.items():
        if not isinstance(v, list) or not v:
            raise KnowledgeError(f"lexicon.yaml: {k}: expected a non-empty list")
        out[str(k)] = [" ".join(str(x).split()) for x in v]
    return out


# Slots the generator composes from the lexicon (or from small lists of its own).
_DERIVED: dict[str, list[str]] = {
    "nonstate": ["{rebel}", "{militia}"],
    "armed": ["{state}", "{rebel}", "{militia}"],
    "civ_pl": [
        "civilians",
        "villagers",
        "farmers",
        "herders",
        "women",
        "traders",
        "worshippers",
        "passengers",
        "residents",
        "miners",
        "displaced people",
    ],
    "civ_f": [
        "a woman",
        "a girl",
        "a 15-year-old girl",
        "two women",
        "a displaced woman",
        "a minor",
        "a young woman",
        "a schoolgirl",
        "a mother of three",
    ],
    "cause": ["{protest_cause}"],
    "place": [
        "in {town}",
        "in {town}",
        "in {village}, {region}",
        "near {village}",
        "in {town}, {country}",
        "in {region}",
        "on the outskirts of {town}",
        "in the {village} area of {region}",
        "in {village} village ({town})",
        "near {town} in {region}",
        "in {town} town, {region}",
        "",
    ],
    "place2": ["in {region}", "near {town}", ""],
    "outcome": [
        "",
        "",
        "",
        ", killing {n} people",
        ", leaving {n} dead",
        ". No casualties were reported",
        ", injuring {n}",
        ". {n} fatalities",
        ". Fatalities unknown",
        ", killing {n} and wounding {n}",
        ". There were no reports of casualties",
    ],
    "dead_hurt": [
        "",
        "",
        ", killing {n} people",
        ", leaving {n} dead and {n} injured",
        ", injuring {n} people",
        ". No one was hurt",
    ],
    "mag": ["5.8", "6.2", "6.9", "7.1", "7.5", "4.9"],
    "country2": ["{country}"],
    "n": ["{small_number}"],
    "big": ["{big_number}"],
    "day": ["{weekday}"],
    "official": ["{official_title}"],
    "civ": ["{civilians}"],
    "prot": ["{protesters}"],
    "pnoun": ["{protest_noun}"],
    "bldg": ["{building}"],
    "veh": ["{vehicle}"],
    "src": ["{source}"],
    "state": ["{state_forces}"],
    "rebel": ["{rebels}"],
}

_CONTEXT = [
    "The area has seen repeated violence in recent months.",
    "Further details were not immediately available.",
    "The incident comes amid rising tensions in the region.",
    "An investigation has been opened.",
    "Residents said the situation remained tense.",
    "It was not immediately clear who was responsible.",
    "Authorities have not commented.",
]


def _fill(template: str, rng: random.Random, lex: dict[str, list[str]], depth: int = 0) -> str:
    if depth > 6:
        raise KnowledgeError(f"templates: slots nest too deep in {template!r}")

    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        choices = lex.get(name) or _DERIVED.get(name)
        if not choices:
            raise KnowledgeError(f"templates: unknown slot {{{name}}}")
        return _fill(rng.choice(choices), rng, lex, depth + 1)

    return _SLOT.sub(one, template)


def _style(sentence: str, rng: random.Random, lex: dict[str, list[str]]) -> str:
    s = " ".join(sentence.replace(" ,", ",").replace(" .", ".").split())
    cap = s[:1].upper() + s[1:]
    day = rng.choice(lex["weekday"])
    src = rng.choice(lex["source"])
    style = rng.randrange(7)
    if style == 0:  # an ACLED-style event note
        date = f"{rng.randint(1, 28)} {rng.choice(lex['month'])} {rng.randint(2012, 2023)}"
        tail = rng.choice(
            [
                "",
                "",
                " [size=no report]",
                " [size=around 100]",
                " Fatalities unknown.",
                " 2 fatalities.",
                " No fatalities reported.",
            ]
        )
        return f"On {date}, {s}.{tail}"
    if style == 1:  # a wire report
        return f"{cap}, {src} on {day}."
    if style == 2:
        return f"{cap} on {day}, {src}."
    if style == 3:  # a dateline
        town = rng.choice(lex["town"]).upper()
        return f"{town} - {cap}, {src}. {rng.choice(_CONTEXT)}"
    if style == 4:
        return f"{cap}. {rng.choice(_CONTEXT)}"
    if style == 5:  # a headline-like snippet
        return cap
    return f"{cap}."


def generate(*, seed: int = 12, per_class: int = 600) -> list[tuple[str, str]]:
    """``per_class`` (text, label) pairs for every class of ``templates.yaml``, in a fixed order."""
    rng = random.Random(seed)
    lex = load_lexicon()
    out: list[tuple[str, str]] = []
    for label, templates in sorted(load_templates().items()):
        for i in range(per_class):
            t = templates[i % len(templates)]
            out.append((_style(_fill(t, rng, lex), rng, lex), label))
    return out


def labels() -> list[str]:
    """Every class of the corpus, sorted."""
    return sorted(load_templates())


def describe() -> dict[str, Any]:
    """Counts of the corpus's templates by class (for the README and the tests)."""
    return {k: len(v) for k, v in sorted(load_templates().items())}
