"""A progress line for long runs: documents done, rate and time left, on a terminal only.

When standard error is not a terminal (piped, redirected, CI) nothing is drawn, so logs and
scripts see only the final summary. The total comes from a quick count of the inputs
(:func:`estimate_total`); when it cannot be known (standard input, URLs, WARC, feeds) the
line shows the count and the rate without a percentage or a time left.
"""

from __future__ import annotations

import gzip
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

_LINES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
_UNKNOWN = (".json", ".warc", ".warc.gz", ".arc", ".arc.gz", ".rss", ".atom", ".xml")


def estimate_total(paths: Sequence[str]) -> int | None:
    """How many documents ``paths`` hold, counted cheaply (files in folders, lines of JSONL);
    None when that cannot be known without reading them (stdin, URLs, WARC, feeds, JSON)."""
    total = 0
    for raw in paths:
        if raw == "-" or "://" in raw:
            return None
        p = Path(raw)
        if p.is_dir():
            files = [Path(d) / f for d, _, fs in os.walk(p) for f in fs if not f.startswith(".")]
        elif p.is_file():
            files = [p]
        else:
            continue  # the reader reports it
        for f in files:
            name = f.name.lower()
            if name.endswith(_LINES):
                opener = gzip.open if name.endswith(".gz") else open
                try:
                    with opener(f, "rb") as fh:
                        total += sum(1 for line in fh if line.strip())
                except (OSError, EOFError):
                    total += 1
            elif name.endswith(_UNKNOWN):
                return None
            else:
                total += 1
    return total


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


class Progress:
    """``update()`` once per document; ``close()`` at the end (clears the line)."""

    def __init__(
        self,
        total: int | None,
        *,
        stream: TextIO | None = None,
        enabled: bool | None = None,
        every: float = 0.25,
    ) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total = total
        self.done = 0
        self.failed = 0
        self.skipped = 0
        self.started = time.monotonic()
        self._every = every
        self._drawn = 0.0
        self._width = 0

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def update(self, *, failed: bool = False, skipped: bool = False) -> None:
        self.done += 1
        self.failed += failed
        self.skipped += skipped
        if self.enabled and time.monotonic() - self._drawn >= self._every:
            self.draw()

    def line(self) -> str:
        elapsed = max(self.elapsed, 1e-6)
        worked = self.done - self.skipped  # skipping is fast: it would inflate the rate
        rate = worked / elapsed
        parts = []
        if self.total:
            parts.append(f"{self.done:,}/{self.total:,} documents ({self.done / self.total:.0%})")
        else:
            parts.append(f"{self.done:,} documents")
        parts.append(f"{rate:.1f} docs/s")
        if self.total and rate > 0 and self.done < self.total:
            parts.append(f"ETA {_clock((self.total - self.done) / rate)}")
        parts.append(f"elapsed {_clock(elapsed)}")
        if self.skipped:
            parts.append(f"{self.skipped:,} already stored")
        if self.failed:
            parts.append(f"{self.failed:,} failed")
        return "  ".join(parts)

    def draw(self) -> None:
        text = self.line()
        pad = max(0, self._width - len(text))
        self.stream.write("\r" + text + " " * pad)
        self.stream.flush()
        self._width = len(text)
        self._drawn = time.monotonic()

    def close(self) -> None:
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0
