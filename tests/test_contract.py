"""CONTRACT.md: the repository's copy of the shared output contract, and the fields written."""

from __future__ import annotations

import re

import pytest

from eventscope.records import Article, DocumentResult, Event, Evidence, Place

from .conftest import ROOT

SHARED = ROOT.parent / "shared" / "CONTRACT.md"
COPY = ROOT / "CONTRACT.md"


def _named_fields(text: str) -> set[str]:
    """Every backquoted field name in the first column(s) of the contract's tables."""
    names: set[str] = set()
    for line in text.splitlines():
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        for cell in cells[:2]:
            names.update(re.findall(r"`([a-z_0-9]+)`", cell))
    return names


@pytest.mark.skipif(not SHARED.exists(), reason=f"shared contract not found at {SHARED}")
def test_copy_begins_with_the_shared_contract_unchanged():
    shared = SHARED.read_text(encoding="utf-8").rstrip("\n")
    assert COPY.read_text(encoding="utf-8").startswith(shared)


def test_every_field_written_is_documented():
    ev = Event(event_id="e1", plover="ASSAULT", evidence=[Evidence("trigger", 0, 4)])
    res = DocumentResult(
        article=Article(id="a", text="Gunmen killed two."),
        events=[ev],
        places=[Place(start=0, end=1, text="x")],
    )
    out = res.to_dict()
    documented = _named_fields(COPY.read_text(encoding="utf-8"))
    written = set(out) | set(out["events"][0]) | set(out["places"][0])
    # Evidence items are documented by their shape: {"field", "start", "end"}.
    assert set(out["events"][0]["evidence"][0]) == {"field", "start", "end"}
    assert written - documented == set(), "fields written but not in CONTRACT.md"
