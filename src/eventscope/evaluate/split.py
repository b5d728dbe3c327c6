"""The fixed split of every gold file into a tuning part and a check part.

Rules and lexicon entries are written from the task's definitions and the *tuning* part; the
*check* part is what a change reports, and its errors are not read one by one. The difference
between the two parts measures how much a change fits the file rather than the task.

The split is fixed by id, the same for every file and every run (``../shared/data/README.md``):
a document is in the check part when ``int(sha1(str(id)).hexdigest(), 16) % 3 == 0``. Some files
are check-only: MUC-4 ``tst1``/``tst2`` (the official test messages) are never tuned on.
"""

from __future__ import annotations

import hashlib
from typing import Any, Literal

Part = Literal["tuning", "check"]
PARTS: tuple[Part, ...] = ("tuning", "check")

#: Gold files (by stem) that are check-only whatever their ids.
CHECK_ONLY = frozenset({"muc4_tst1_tst2"})


def part_of(doc_id: Any, *, stem: str | None = None) -> Part:
    """The part a gold document belongs to."""
    if stem is not None and stem in CHECK_ONLY:
        return "check"
    digest = int(hashlib.sha1(str(doc_id).encode("utf-8")).hexdigest(), 16)
    return "check" if digest % 3 == 0 else "tuning"


def split_indices(docs: list[dict[str, Any]], *, stem: str | None = None) -> dict[Part, list[int]]:
    """Positions of the documents of each part, in file order."""
    out: dict[Part, list[int]] = {"tuning": [], "check": []}
    for i, d in enumerate(docs):
        out[part_of(d.get("id"), stem=stem)].append(i)
    return out
