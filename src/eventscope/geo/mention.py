"""The record recognition hands to resolution: a span of text taken for a place name."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Mention:
    """A span of the article text taken for a place name, with its gazetteer candidates."""

    start: int
    end: int
    key: str
    candidates: tuple[int, ...]
    source: str  # "ner", "scan", "demonym", "abbreviation", "theatre"
    country_hint: str | None = None  # demonyms and abbreviations know their country
    context_only: bool = False  # "Syrians": country context, not a toponym of the text
    loose: frozenset[int] = frozenset()  # candidates matched by spelling skeleton only
    division_word: str | None = None  # "district", "town" right after the name
    votes: bool = True  # False: no country context ("Saudi" in "Saudi-led coalition")
