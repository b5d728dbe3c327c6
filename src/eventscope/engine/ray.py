"""``--engine ray [--address ADDR]``: extraction on a Ray cluster (``pip install
'eventscope[ray]'``).

Without an address a local cluster of ``--workers`` CPUs is started for the run and stopped
after it; with one (``auto``, ``ray://head:10001``) the run joins that cluster and uses one
actor per CPU it offers. Each actor (:class:`ExtractActor`) builds one
:class:`~eventscope.extract.Extractor` and loads the model and the gazetteer once. The
driver streams batches to the actors with at most ``in_flight`` batches outstanding per
actor (back-pressure: memory stays flat however long the input), and hands results to the
one writer in input order. Ray restarts an actor that dies and retries its task
(``max_restarts``, ``max_task_retries``); a batch that still fails is split, and a document
that fails alone becomes an error line.

Ray is imported only here, only when this engine is chosen: the default path pays nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import ConfigError, InputError
from ..records import Article, DocumentResult
from . import EngineOptions, died_result
from .batches import InOrder, Item, chunks, extract_stream

log = logging.getLogger(__name__)

# The local cluster's shared-memory object store: batches of articles and their results are
# small (a batch of 16 news articles with their events is well under 1 MB).
LOCAL_OBJECT_STORE_BYTES = 256 * 1024 * 1024
RETRIES = 2


class ExtractActor:
    """A Ray actor holding one Extractor (the model and gazetteer loaded once)."""

    def __init__(self, extractor_kwargs: dict[str, Any]) -> None:
        from ..extract import Extractor

        self.extractor = Extractor(**extractor_kwargs)
        self.extractor.nlp, self.extractor.geocoder, self.extractor.coder  # noqa: B018

    def extract(self, items: list[Item]) -> list[DocumentResult]:
        return list(extract_stream(self.extractor, items))

    def peak_mb(self) -> float:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise ConfigError(
            "--engine ray needs Ray: install it with `pip install 'eventscope[ray]'`"
        ) from exc
    return ray


def run_ray(
    items: Iterable[Article | InputError],
    options: EngineOptions,
    *,
    stats: dict[str, Any] | None = None,
) -> Iterator[DocumentResult]:
    """Extract ``items`` on Ray; results in input order (see the module's docstring)."""
    ray = _ray()
    started_here = False
    if not ray.is_initialized():
        if options.address:
            ray.init(address=options.address, logging_level=logging.WARNING)
        else:
            ray.init(
                num_cpus=options.workers,
                include_dashboard=False,
                object_store_memory=LOCAL_OBJECT_STORE_BYTES,
                logging_level=logging.WARNING,
            )
        started_here = True
    n_actors = options.workers
    if options.address:
        n_actors = max(1, int(ray.cluster_resources().get("CPU", 1)))
    remote = ray.remote(num_cpus=1, max_restarts=RETRIES, max_task_retries=RETRIES)(ExtractActor)
    actors = [remote.remote(options.extractor) for _ in range(n_actors)]
    load = {i: 0 for i in range(n_actors)}
    pending: dict[Any, tuple[int, int, list[Item]]] = {}  # ref -> (seq, actor, items)
    split: dict[int, list[list[DocumentResult] | None]] = {}  # seq -> results of its parts
    order = InOrder()
    source = enumerate(chunks(items, options.batch_size))
    seq_parts: dict[int, int] = {}
    retry: list[tuple[int, list[Item]]] = []
    exhausted = False

    def submit(seq: int, batch: list[Item]) -> None:
        i = min(load, key=lambda k: load[k])
        load[i] += 1
        pending[actors[i].extract.remote(batch)] = (seq, i, batch)

    def put(seq: int, part: int | None, results: list[DocumentResult]) -> None:
        if part is None:
            order.put(seq, results)
            return
        parts = split[seq]
        parts[part] = results
        if all(p is not None for p in parts):
            order.put(seq, [r for p in split.pop(seq) for r in (p or [])])

    try:
        while True:
            while len(pending) < n_actors * options.in_flight:
                if retry:
                    seq, batch = retry.pop(0)
                elif not exhausted:
                    nxt = next(source, None)
                    if nxt is None:
                        exhausted = True
                        continue
                    seq, batch = nxt
                else:
                    break
                submit(seq, batch)
            yield from order.release()
            if not pending:
                break
            done, _ = ray.wait(list(pending), num_returns=1)
            for ref in done:
                seq, i, batch = pending.pop(ref)
                load[i] -= 1
                part = seq_parts.pop(id(batch), None)
                try:
                    put(seq, part, ray.get(ref))
                except (ray.exceptions.RayError, OSError) as exc:
                    if len(batch) == 1:
                        log.warning("document failed on Ray after %d retries: %s", RETRIES, exc)
                        put(seq, part, [died_result(batch[0], type(exc).__name__)])
                    else:  # split the batch: only the culprit should fail
                        log.warning(
                            "batch failed on Ray (%s); retrying it document by document",
                            type(exc).__name__,
                        )
                        split[seq] = [None] * len(batch)
                        for k, item in enumerate(batch):
                            one = [item]
                            seq_parts[id(one)] = k
                            retry.append((seq, one))
        yield from order.release()
        peaks = ray.get([a.peak_mb.remote() for a in actors])
        for a, peak in zip(actors, peaks, strict=True):
            log.info("actor %s done; peak memory %.0f MB", a._actor_id.hex()[:8], peak)
        if stats is not None:
            stats["worker_peak_mb"] = peaks
    finally:
        for a in actors:
            ray.kill(a)
        if started_here:
            ray.shutdown()
