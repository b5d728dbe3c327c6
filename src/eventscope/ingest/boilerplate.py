"""Remove scraped page furniture from the END of plain text, keeping offsets.

Plain-text articles saved from web pages often end with the page's comment form,
share buttons, newsletter box or cookie banner (the seed article ends with
"Please enter your comment!" / "Please enter your name here"). Extraction would
read those lines as part of the report, so they are cut, but only as a trailing
block: what remains is a prefix of the input, and every character offset in it is
the offset in the file. The patterns live in ``data/boilerplate.yaml``.

HTML does not come here: trafilatura already keeps only the main text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from ..errors import KnowledgeError

DATA_FILE = "boilerplate.yaml"


@dataclass(frozen=True, slots=True)
class Rules:
    """Compiled furniture patterns (see ``data/boilerplate.yaml`` for their meaning)."""

    lines: tuple[tuple[str, re.Pattern[str]], ...]
    tail_starts: tuple[tuple[str, re.Pattern[str]], ...]
    max_tail_lines: int
    max_tail_chars: int


@dataclass(frozen=True, slots=True)
class Stripped:
    """The text with its trailing furniture removed, and what was removed."""

    text: str
    removed: tuple[str, ...]  # names of the pattern groups that matched, bottom-up

    @property
    def cleaned(self) -> bool:
        return bool(self.removed)


@functools.lru_cache(maxsize=1)
def load_rules() -> Rules:
    """Load and validate the shipped boilerplate patterns (once per process)."""
    path = resources.files("eventscope.data").joinpath(DATA_FILE)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{DATA_FILE}: cannot be read: {exc}") from exc
    return parse_rules(raw, where=DATA_FILE)


def parse_rules(raw: Any, *, where: str) -> Rules:
    """Validate the YAML structure; errors name the file and the entry."""
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{where}: expected a mapping at the top level")
    groups: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {}
    for key in ("lines", "tail_starts"):
        entries = raw.get(key)
        if not isinstance(entries, list) or not entries:
            raise KnowledgeError(f"{where}: '{key}' must be a non-empty list of groups")
        compiled: list[tuple[str, re.Pattern[str]]] = []
        for i, group in enumerate(entries):
            if not isinstance(group, dict) or not isinstance(group.get("name"), str):
                raise KnowledgeError(f"{where}: {key}[{i}] needs a 'name'")
            name = group["name"]
            patterns = group.get("patterns")
            if not isinstance(patterns, list) or not patterns:
                raise KnowledgeError(f"{where}: {key} group {name!r} needs a list of 'patterns'")
            for pattern in patterns:
                if not isinstance(pattern, str) or not pattern.strip():
                    raise KnowledgeError(f"{where}: {key} group {name!r}: empty pattern")
                try:
                    compiled.append((name, re.compile(pattern, re.IGNORECASE)))
                except re.error as exc:
                    raise KnowledgeError(
                        f"{where}: {key} group {name!r}: bad pattern {pattern!r}: {exc}"
                    ) from exc
        groups[key] = tuple(compiled)
    limits = {}
    for key in ("max_tail_lines", "max_tail_chars"):
        value = raw.get(key)
        if not isinstance(value, int) or value <= 0:
            raise KnowledgeError(f"{where}: '{key}' must be a positive integer")
        limits[key] = value
    return Rules(
        lines=groups["lines"],
        tail_starts=groups["tail_starts"],
        max_tail_lines=limits["max_tail_lines"],
        max_tail_chars=limits["max_tail_chars"],
    )


def _rstrip_end(text: str, end: int) -> int:
    """The end of ``text[:end].rstrip()`` without copying the text."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _match(patterns: tuple[tuple[str, re.Pattern[str]], ...], line: str) -> str | None:
    for name, pattern in patterns:
        if pattern.fullmatch(line):
            return name
    return None


def strip_trailing(text: str, rules: Rules | None = None) -> Stripped:
    """Cut trailing furniture and trailing whitespace; the result is a prefix of ``text``.

    Walks up from the last line, dropping blank lines and lines that match a
    ``lines`` pattern, and stops at the first line that is neither. Then, if a
    ``tail_starts`` heading sits among the last ``max_tail_lines`` content lines,
    is followed by at most ``max_tail_chars`` characters, and more text precedes it
    than follows it, the heading and everything after it go too (and the walk
    repeats above it).
    """
    rules = rules or load_rules()
    removed: list[str] = []
    end = _rstrip_end(text, len(text))
    while True:
        end, names = _strip_lines(text, end, rules)
        removed.extend(names)
        cut = _tail_start(text, end, rules)
        if cut is None:
            break
        end, name = cut
        removed.append(name)
    return Stripped(text[:end], tuple(removed))


def _strip_lines(text: str, end: int, rules: Rules) -> tuple[int, list[str]]:
    """Drop matching last lines of ``text[:end]``; return the new end and the groups hit."""
    names: list[str] = []
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end].strip()
        name = _match(rules.lines, line) if line else None
        if name is None:
            break
        names.append(name)
        end = _rstrip_end(text, start)
    return end, names


def _tail_start(text: str, end: int, rules: Rules) -> tuple[int, str] | None:
    """Find a tail-start heading near the end of ``text[:end]``; return the cut point."""
    pos = end
    seen = 0
    while pos > 0 and seen < rules.max_tail_lines:
        start = text.rfind("\n", 0, pos) + 1
        line = text[start:pos].strip()
        pos = max(start - 1, 0)
        if not line:
            continue
        seen += 1
        if end - start > rules.max_tail_chars:
            return None
        name = _match(rules.tail_starts, line)
        if name is None:
            continue
        keep = _rstrip_end(text, start)
        if keep > end - start:  # the article must be longer than what we cut
            return keep, name
        return None
    return None
