"""``--workers N``: extraction in N worker processes on this machine.

Each worker is a fresh process (the ``forkserver`` start method on Linux, ``spawn``
elsewhere: nothing heavy is inherited, and no DuckDB or spaCy thread is forked) that builds one
:class:`~eventscope.extract.Extractor` and loads the model and the gazetteer once. The parent
sends it batches of articles, at most ``in_flight`` outstanding, and reads one result per
document as it is done, so when a worker dies (``kill -9``, out of memory) the parent knows
which document it died on: the documents before it are kept, the rest go to a fresh worker,
and a document that kills two workers becomes an error line. Workers ignore Ctrl-C; the
parent stops them.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import queue
import signal
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Any

from ..errors import InputError
from ..records import Article, DocumentResult
from . import EngineOptions, died_result
from .batches import Batch, InOrder, chunks, extract_stream

log = logging.getLogger(__name__)

# A worker told to stop gets this long to finish before it is killed.
STOP_TIMEOUT = 10.0


def _context() -> Any:
    method = "forkserver" if sys.platform.startswith("linux") else "spawn"
    return mp.get_context(method)


def _worker_main(tasks: Connection, results: Connection, extractor_kwargs: dict[str, Any]) -> None:
    """A worker: load once, then extract each batch received, one message per document."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    import resource

    from ..extract import Extractor

    extractor = Extractor(**extractor_kwargs)
    # load everything now, before the first batch, so start-up is not charged to it
    extractor.nlp, extractor.geocoder, extractor.coder  # noqa: B018
    results.send(("ready", os.getpid()))
    inbox: queue.Queue[Any] = queue.Queue()

    def read() -> None:  # read ahead, so the parent's send never waits for a batch to end
        while True:
            try:
                inbox.put(tasks.recv())
            except (EOFError, OSError):
                inbox.put(None)
                return

    threading.Thread(target=read, daemon=True).start()
    while (msg := inbox.get()) is not None:
        seq, items = msg
        for result in extract_stream(extractor, items):
            results.send(("doc", seq, result))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results.send(("bye", os.getpid(), peak))
    results.close()


class _Worker:
    def __init__(self, ctx: Any, extractor_kwargs: dict[str, Any], number: int) -> None:
        task_r, self.tasks = ctx.Pipe(duplex=False)
        self.results, result_w = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(
            target=_worker_main,
            args=(task_r, result_w, extractor_kwargs),
            name=f"eventscope-worker-{number}",
            daemon=True,
        )
        self.proc.start()
        task_r.close()
        result_w.close()
        self.queue: deque[int] = deque()  # batches sent, oldest (the one in work) first
        self.pid: int | None = self.proc.pid

    def send(self, batch: Batch) -> bool:
        try:
            self.tasks.send((batch.seq, batch.remaining()))
        except (BrokenPipeError, OSError):
            return False
        self.queue.append(batch.seq)
        return True

    def messages(self) -> tuple[list[tuple[Any, ...]], bool]:
        """The messages waiting, and whether the worker has gone (end of its pipe)."""
        out = []
        try:
            while self.results.poll():
                out.append(self.results.recv())
        except (EOFError, OSError):
            return out, True
        return out, False

    def finish(self) -> float | None:
        """Tell the worker the input is over; its peak memory (MB) once it has stopped."""
        peak = None
        self.tasks.close()
        deadline = STOP_TIMEOUT
        while self.results.poll(deadline):
            try:
                msg = self.results.recv()
            except (EOFError, OSError):
                break
            if msg[0] == "bye":
                peak = float(msg[2])
                log.info("worker pid %d done; peak memory %.0f MB", msg[1], peak)
        self.kill()
        return peak

    def kill(self) -> None:
        self.proc.join(0.5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        for conn in (self.tasks, self.results):
            conn.close()


def run_processes(
    items: Iterable[Article | InputError],
    options: EngineOptions,
    *,
    stats: dict[str, Any] | None = None,
) -> Iterator[DocumentResult]:
    """Extract ``items`` in ``options.workers`` processes; results in input order.

    ``stats`` (optional) receives ``worker_peak_mb`` (each worker's peak RSS) and
    ``restarts`` (workers that died and were replaced)."""
    ctx = _context()
    kwargs = dict(options.extractor)
    started = 0

    def start() -> _Worker:
        nonlocal started
        started += 1
        return _Worker(ctx, kwargs, started)

    workers = [start() for _ in range(options.workers)]
    peaks: list[float] = []
    batches: dict[int, Batch] = {}  # sent or waiting to be sent, not yet complete
    retry: deque[int] = deque()  # batches to send again: a worker died holding them
    order = InOrder()
    source = chunks(items, options.batch_size)
    next_seq = 0

    def next_batch() -> Batch | None:
        nonlocal next_seq
        if retry:
            return batches[retry.popleft()]
        chunk = next(source, None)
        if chunk is None:
            return None
        batch = batches[next_seq] = Batch(next_seq, chunk)
        next_seq += 1
        return batch

    def handle(w: _Worker, msg: tuple[Any, ...]) -> None:
        if msg[0] == "ready":
            log.info("worker pid %d ready", msg[1])
        elif msg[0] == "doc":
            batch = batches[msg[1]]
            batch.results.append(msg[2])
            if batch.done:
                w.queue.popleft()
                order.put(batch.seq, batches.pop(batch.seq).results)

    def replace(w: _Worker) -> _Worker:
        """A fresh worker for a dead one; its death is charged to the document it was on."""
        w.kill()
        code = w.proc.exitcode
        why = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
        log.warning("worker pid %s died (%s); starting another", w.pid, why)
        held = [seq for seq in w.queue if seq in batches]
        if held:
            head = batches[held[0]]
            i = len(head.results)
            head.deaths[i] = head.deaths.get(i, 0) + 1
            if head.deaths[i] >= 2:
                head.results.append(died_result(head.items[i], why))
                if head.done:
                    order.put(head.seq, batches.pop(head.seq).results)
                    held.pop(0)
        retry.extendleft(reversed(held))
        return start()

    def feed(workers: list[_Worker]) -> None:
        """One batch at a time to each worker in turn, up to ``in_flight`` each."""
        hungry = [w for w in workers if len(w.queue) < options.in_flight]
        while hungry:
            for w in list(hungry):
                batch = next_batch()
                if batch is None:
                    return
                if not w.send(batch):
                    retry.appendleft(batch.seq)
                    hungry.remove(w)
                elif len(w.queue) >= options.in_flight:
                    hungry.remove(w)

    try:
        while True:
            feed(workers)
            yield from order.release()
            if not batches:
                break
            by_conn = {w.results: w for w in workers}
            for conn in wait(list(by_conn)):
                w = by_conn[conn]  # type: ignore[index]
                msgs, gone = w.messages()
                for msg in msgs:
                    handle(w, msg)
                if gone:
                    workers[workers.index(w)] = replace(w)
        for w in workers:
            if (peak := w.finish()) is not None:
                peaks.append(peak)
    finally:
        for w in workers:
            if w.proc.is_alive():
                w.kill()
        if stats is not None:
            stats["worker_peak_mb"] = peaks
            stats["restarts"] = started - options.workers
