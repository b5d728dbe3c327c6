"""A live store: the dashboard stays up while ingest writes, and sees new events at once.

DuckDB lets one process write a file, or several read it, never both at the same time. The
design (docs/scale.md tells why this one):

- **One writer at a time, named.** ``ingest`` holds an advisory lock on ``DB.writer`` for
  its whole run and writes its pid and command line into it. A second ``ingest`` is refused
  at once with :class:`~eventscope.errors.StoreBusyError` (exit status 3) naming the process
  that holds the file; DuckDB's own lock errors get the same message (the holder's pid is in
  them). The lock dies with its process, so a ``kill -9`` leaves nothing to clean up.
- **The server takes turns with the writer.** ``serve`` announces itself with a file
  ``DB.serve-PID`` and keeps one read-only connection for its requests. A writer that wants
  the file for a burst says so in ``DB.want`` and takes the exclusive side of a lock on
  ``DB.turn``; the server drops its connection as soon as the requests using it end, new
  requests wait (shared side of the turn lock) until the burst is committed, and the next
  one opens the file again.
- **The writer lets the server in.** When a server is announced, ingest stores its results in
  short bursts (:data:`FLUSH_SECONDS` apart): open the file, commit the burst, close it. When
  no server is announced it keeps the file open for the whole run (no cost).

Every request after a burst sees the events committed by it: new events appear on the
dashboard without a restart.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import StoreBusyError, StoreError
from .records import DocumentResult
from .store import Store

log = logging.getLogger(__name__)

#: How long ingest keeps results before a burst while a server reads the same file: the
#: longest a new event waits to appear; each burst costs one open and close (~0.1-0.5 s).
FLUSH_SECONDS = 2.0
#: How long a request, or a burst, waits for the other side to release the file (a request
#: waits for at most one burst; this is for a machine so loaded that a burst takes seconds).
WAIT_SECONDS = 30.0


# --------------------------------------------------------------------------- who holds a file
def describe_pid(pid: int) -> str:
    """``pid 1234 (eventscope ingest corpus/ --db x.duckdb)``, as much as can be known."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        cmd = " ".join(a.decode("utf-8", "replace") for a in raw.split(b"\0") if a)
    except OSError:
        cmd = ""
    if cmd:
        # the interpreter's path says little: show the command from the script on
        parts = cmd.split()
        for i, part in enumerate(parts):
            if part.endswith(("eventscope", "/eventscope", "-m")) and i:
                cmd = " ".join(parts[i:])
                break
        if len(cmd) > 160:
            cmd = cmd[:159] + "…"
        return f"pid {pid} ({cmd})"
    return f"pid {pid}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_DUCKDB_PID = re.compile(r"\(PID (\d+)\)")


def busy_error(path: str, exc: BaseException) -> StoreBusyError | None:
    """A :class:`StoreBusyError` naming the holder, when ``exc`` is DuckDB's lock conflict."""
    m = _DUCKDB_PID.search(str(exc))
    if "lock" not in str(exc).lower() or m is None:
        return None
    return StoreBusyError(
        f"{path}: the store is busy: {describe_pid(int(m.group(1)))} has it open. "
        "Wait for it to finish (or stop it), then run this again.",
        holder=int(m.group(1)),
    )


# --------------------------------------------------------------------------- the writer lock
def _writer_file(db: str) -> Path:
    return Path(f"{db}.writer")


def writer_pid(db: str) -> int | None:
    """The pid of the process writing ``db`` now, or None."""
    try:
        text = _writer_file(db).read_text(encoding="utf-8")
    except OSError:
        return None
    m = re.match(r"(\d+)", text)
    if m is None:
        return None
    pid = int(m.group(1))
    return pid if pid != os.getpid() and _alive(pid) else None


@contextlib.contextmanager
def writer_lock(db: str) -> Iterator[None]:
    """Hold the one-writer lock of ``db`` (a no-op for ``:memory:``), or raise
    :class:`StoreBusyError` naming the process that holds it."""
    if db == ":memory:":
        yield
        return
    path = _writer_file(db)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(
            f"{db}: cannot create its lock file {path} ({exc.strerror}); check that the folder "
            "exists and is writable"
        ) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            text = os.pread(fd, 4096, 0).decode("utf-8", "replace")
            m = re.match(r"(\d+)", text)
            who = describe_pid(int(m.group(1))) if m else "another process"
            raise StoreBusyError(
                f"{db}: the store is busy: {who} is writing to it. Wait for it to finish "
                "(or stop it), then run this again; the dashboard (`eventscope serve`) can "
                "stay up meanwhile.",
                holder=int(m.group(1)) if m else None,
            ) from None
        started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} since {started}: {' '.join(sys.argv)}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- servers announced
def _server_files(db: str) -> list[Path]:
    p = Path(db)
    return list(p.parent.glob(f"{p.name}.serve-*"))


def servers(db: str) -> list[int]:
    """Pids of the live servers announced on ``db`` (stale announcements are removed)."""
    out = []
    for f in _server_files(db):
        try:
            pid = int(f.name.rsplit("-", 1)[1])
        except ValueError:
            continue
        if _alive(pid):
            out.append(pid)
        else:
            with contextlib.suppress(OSError):
                f.unlink()
    return out


@contextlib.contextmanager
def announce_server(db: str) -> Iterator[None]:
    """Tell writers that a server reads ``db`` (so they write in bursts)."""
    f = Path(f"{db}.serve-{os.getpid()}")
    try:
        f.write_text(" ".join(sys.argv) + "\n", encoding="utf-8")
    except OSError as exc:  # a read-only folder: the server still works, writers hold on
        log.warning("cannot announce the server beside %s (%s): ingest will wait for it", db, exc)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            f.unlink()


# --------------------------------------------------------------------------- taking turns
@contextlib.contextmanager
def turn(db: str, *, exclusive: bool, wait: float | None = WAIT_SECONDS) -> Iterator[None]:
    """Take turns on ``db`` between a writer's burst (``exclusive``) and the server's
    requests (shared), so neither waits on DuckDB's lock by polling against the other: a
    writer waits for the requests in progress and then goes next. ``wait`` bounds the wait
    of a request (None: as long as it takes)."""
    if db == ":memory:":
        yield
        return
    fd = os.open(f"{db}.turn", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        if wait is None:
            fcntl.flock(fd, mode)
        else:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(fd, mode | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        who = writer_pid(db)
                        raise StoreBusyError(
                            f"{db}: the store is busy: "
                            f"{describe_pid(who) if who else 'a writer'} is writing to it; "
                            "try again in a moment.",
                            holder=who,
                        ) from None
                    time.sleep(0.005)
        yield
    finally:
        os.close(fd)  # releases the lock


def open_store(db: str, *, read_only: bool, wait: float = WAIT_SECONDS) -> Store:
    """:meth:`Store.open`, retried while another process holds the file, up to ``wait``
    seconds; then :class:`StoreBusyError` naming it."""
    deadline = time.monotonic() + wait
    delay = 0.01
    while True:
        try:
            return Store.open(db, read_only=read_only)
        except StoreBusyError:
            if time.monotonic() >= deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


def _want_file(db: str) -> Path:
    return Path(f"{db}.want")


def _wanted(path: Path) -> bool:
    """Whether a live writer asks for the file (a dead one's request is ignored)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return False
    m = re.match(r"(\d+)", text)
    return m is not None and _alive(int(m.group(1)))


class LiveStore:
    """The server's side: a Store for each request, taking turns with a writer.

    :meth:`reader` for reads: a cursor of one cached read-only connection. When a writer
    wants the file for a burst (``DB.want`` exists) the connection is dropped as soon as the
    requests using it end, new requests wait for the burst to end (:func:`turn`), and the
    next one opens the file again, seeing the burst's events. :meth:`writer` for the
    server's own writes (corrections; needs ``writable``)."""

    def __init__(self, path: str, *, writable: bool = False, poll: float = 0.05) -> None:
        if not Path(path).exists():
            raise StoreError(
                f"{path}: no such database. Create it with `eventscope ingest PATH --db {path}`."
            )
        self.path = path
        self.writable = writable
        self._want = _want_file(path)
        self._con: Any = None  # the cached read-only connection
        self._users = 0  # requests using a cursor of it
        self._writing = False
        self._cond = threading.Condition()
        self._stop = threading.Event()
        try:  # fail now on a missing or foreign file, not on the first request
            with turn(path, exclusive=False, wait=2.0):
                open_store(path, read_only=not writable, wait=2.0).close()  # (migrates)
        except StoreBusyError as exc:
            log.warning("%s; the dashboard starts anyway and shows its events as they come", exc)
        self._announce = announce_server(path)
        self._announce.__enter__()
        self._thread = threading.Thread(target=self._watch, args=(poll,), daemon=True)
        self._thread.start()

    def _watch(self, poll: float) -> None:
        """Drop the cached connection as soon as a writer wants the file."""
        while not self._stop.wait(poll):
            if self._con is not None and _wanted(self._want):
                with self._cond:
                    self._release_if_idle()

    def _release_if_idle(self) -> None:
        if self._con is not None and self._users == 0:
            self._con.close()
            self._con = None

    @contextlib.contextmanager
    def reader(self) -> Iterator[Store]:
        if _wanted(self._want):  # a burst is on or about to be: wait for its end
            with turn(self.path, exclusive=False):
                pass
        with self._cond:
            self._cond.wait_for(lambda: not self._writing)
            if self._con is None:
                self._con = open_store(self.path, read_only=True).con
            cur = self._con.cursor()
            self._users += 1
        try:
            yield Store(cur, self.path)
        finally:
            with self._cond:
                cur.close()
                self._users -= 1
                if _wanted(self._want):
                    self._release_if_idle()
                self._cond.notify_all()

    @contextlib.contextmanager
    def writer(self) -> Iterator[Store]:
        if not self.writable:  # a server without a token writes nothing: read-only it stays
            with self.reader() as store:
                yield store
            return
        with self._cond:
            self._cond.wait_for(lambda: not self._writing and self._users == 0)
            self._writing = True
            self._release_if_idle()
        try:
            with turn(self.path, exclusive=True):
                store = open_store(self.path, read_only=False)
                try:
                    yield store
                finally:
                    store.close()
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()

    def close(self) -> None:
        self._stop.set()
        with self._cond:
            if self._con is not None:
                self._con.close()
                self._con = None
        self._announce.__exit__(None, None, None)


class SharedStore:
    """The same interface over one Store opened by the caller (tests, embedding): every
    request gets a cursor of its connection."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.path = store.path

    @contextlib.contextmanager
    def reader(self) -> Iterator[Store]:
        cur = self.store.con.cursor()
        try:
            yield Store(cur, self.store.path)
        finally:
            cur.close()

    writer = reader

    def close(self) -> None:
        self.store.close()


# --------------------------------------------------------------------------- the writer's side
class StoreWriter:
    """Stores results for ``ingest``: holding the file while no server reads it, in bursts
    of :data:`FLUSH_SECONDS` while one does. ``added``, ``already`` and ``events`` count what
    was committed (a burst not yet committed is not counted)."""

    def __init__(self, path: str, *, replace: bool = False, merge: bool = True) -> None:
        self.path = path
        self.replace = replace
        self.merge = merge  # cross-report merging (eventscope.crossreport)
        self.added = 0
        self.already = 0
        self.events = 0
        self._store: Store | None = None
        self._turn: contextlib.ExitStack | None = None
        self._buffer: list[DocumentResult] = []
        self._last = time.monotonic()
        self._checked = 0.0
        self._live = False

    def store(self) -> Store:
        """The open store, opened in the writer's turn if need be (a server, if any, is
        asked to let the file go: ``DB.want``)."""
        if self._store is None:
            stack = contextlib.ExitStack()
            try:
                want = _want_file(self.path)
                if self.path != ":memory:":
                    want.write_text(f"{os.getpid()}\n", encoding="utf-8")
                try:
                    stack.enter_context(turn(self.path, exclusive=True, wait=None))
                finally:  # removed before the turn is released (the stack unwinds LIFO)
                    stack.callback(want.unlink, missing_ok=True)
                self._store = open_store(self.path, read_only=False)
            except BaseException:
                stack.close()
                raise
            self._turn = stack
        return self._store

    def _release(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._turn is not None:
            self._turn.close()  # (the turn is released after the want file is removed)
            self._turn = None

    def stored_ids(self) -> set[str]:
        """Content hashes of the articles already extracted (what a re-run skips)."""
        rows = (
            self.store().con.execute("SELECT article_id FROM articles WHERE extracted").fetchall()
        )
        return {r[0] for r in rows}

    def _is_live(self) -> bool:
        now = time.monotonic()
        if now - self._checked > 0.5:
            self._checked = now
            live = bool(servers(self.path))
            if live and not self._live:
                log.info("a server reads %s: storing results in bursts", self.path)
            self._live = live
        return self._live

    def add(self, result: DocumentResult) -> None:
        self._buffer.append(result)
        if not self._is_live():
            self.flush(keep_open=True)
        elif self._store is not None or time.monotonic() - self._last >= FLUSH_SECONDS:
            self.flush(keep_open=False)

    def flush(self, *, keep_open: bool) -> None:
        if self._buffer:
            store = self.store()
            for result in self._buffer:
                if store.add_result(result, replace=self.replace, merge=self.merge):
                    self.added += 1
                    self.events += len(result.events)
                else:
                    self.already += 1
            self._buffer.clear()
        self._last = time.monotonic()
        if not keep_open:
            self._release()

    def counts(self) -> dict[str, int]:
        opened = self._store is None
        try:
            return self.store().counts()
        finally:
            if opened:
                self._release()

    def close(self) -> None:
        """Commit what is buffered and release the file."""
        self.flush(keep_open=False)
