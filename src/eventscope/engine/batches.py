"""What every parallel engine shares: cutting the stream into batches, extracting one batch
in a worker, and handing results back in input order."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING

from ..errors import InputError
from ..records import Article, DocumentResult

if TYPE_CHECKING:
    from ..extract import Extractor

log = logging.getLogger(__name__)

Item = Article | InputError


@dataclass(slots=True)
class Batch:
    """Batch number ``seq`` of the stream: its ``items``, the ``results`` back so far (in
    order), and how many workers died on each item (``deaths``, by index)."""

    seq: int
    items: list[Item]
    results: list[DocumentResult] = field(default_factory=list)
    deaths: dict[int, int] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return len(self.results) >= len(self.items)

    def remaining(self) -> list[Item]:
        return self.items[len(self.results) :]


def chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def extract_stream(extractor: Extractor, items: list[Item]) -> Iterator[DocumentResult]:
    """One result per item, in order, as each is done. ``Extractor.run`` records a document's
    own failure; should the run itself raise (a reader or the model on a pathological text),
    the document it stopped at becomes an error line and the rest go on."""
    done = 0
    while done < len(items):
        try:
            for result in extractor.run(items[done:]):
                done += 1
                yield result
        except Exception as exc:  # a bug must not cost the other documents of the batch
            item = items[done]
            doc_id = item.id if isinstance(item, Article) else item.doc_id
            log.exception("extraction stopped at document %s", doc_id)
            done += 1
            yield DocumentResult(
                article=None,
                error=f"internal error ({type(exc).__name__}: {exc}); please report it",
                doc_id=doc_id,
            )


class InOrder:
    """Results of batches that may finish in any order, released in input order."""

    def __init__(self) -> None:
        self._done: dict[int, list[DocumentResult]] = {}
        self._next = 0

    def put(self, seq: int, results: list[DocumentResult]) -> None:
        self._done[seq] = results

    def release(self) -> Iterator[DocumentResult]:
        while self._next in self._done:
            yield from self._done.pop(self._next)
            self._next += 1

    @property
    def waiting(self) -> int:
        """Batches finished but held back behind an earlier one."""
        return len(self._done)
