"""Engines: where extraction runs, around the per-document work of
:class:`eventscope.extract.Extractor`.

Every engine takes the same stream (articles and ingest errors, in input order) and yields
:class:`~eventscope.records.DocumentResult` records **in input order**, so one writer stores
them and the output of any engine is the output of one process::

    serial      in this process (``--workers 1``, the default): no start-up cost
    processes   N worker processes (``--workers N``), each loading the model and the
                gazetteer once (:mod:`eventscope.engine.local`)
    ray         actors on a Ray cluster, a local one when no address is given
                (``--engine ray [--address ADDR]``; :mod:`eventscope.engine.ray`, the
                ``eventscope[ray]`` extra)

The parallel engines send batches of articles to their workers, with a bounded number of
batches in flight (memory stays flat however long the input), and hand back each batch when
every batch before it is back. A worker that dies (killed, out of memory) costs nothing but
time: its batches go to a fresh worker; a batch that kills workers twice is split, and a
document that still kills one becomes an error line, as a document that fails always does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError, InputError
from ..records import Article, DocumentResult

ENGINES = ("local", "ray")


@dataclass(frozen=True, slots=True)
class EngineOptions:
    """How to run extraction: ``workers`` processes (or Ray CPUs), ``batch_size`` articles
    per task, at most ``in_flight`` tasks per worker outstanding, and the keyword arguments
    every worker gives :class:`~eventscope.extract.Extractor` (picklable)."""

    engine: str = "local"
    workers: int = 1
    address: str | None = None
    batch_size: int = 16
    in_flight: int = 2
    extractor: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ConfigError(f"unknown engine {self.engine!r}; choose one of {', '.join(ENGINES)}")
        if self.workers < 1:
            raise ConfigError(f"--workers {self.workers}: give 1 or more")
        if self.batch_size < 1:
            raise ConfigError(f"batch size {self.batch_size}: give 1 or more")
        if self.address and self.engine != "ray":
            raise ConfigError("--address is for --engine ray")


def run(items: Iterable[Article | InputError], options: EngineOptions) -> Iterator[DocumentResult]:
    """Extract ``items`` with the engine ``options`` name; results in input order."""
    if options.engine == "ray":
        from .ray import run_ray

        return run_ray(items, options)
    if options.workers == 1:
        from ..extract import Extractor

        return Extractor(**options.extractor).run(items)
    from .local import run_processes

    return run_processes(items, options)


def error_result(item: InputError) -> DocumentResult:
    """The error line of a document that could not be read (as ``Extractor.run`` gives)."""
    return DocumentResult(
        article=None, error=str(item), doc_id=getattr(item, "doc_id", item.source)
    )


def died_result(item: Article | InputError, why: str) -> DocumentResult:
    """The error line of a document whose worker died on it twice."""
    if isinstance(item, InputError):
        return error_result(item)
    return DocumentResult(
        article=None,
        error=f"{item.source or item.id}: the worker extracting this document died "
        f"twice ({why}); the document is left out, the run went on",
        doc_id=item.id,
    )
