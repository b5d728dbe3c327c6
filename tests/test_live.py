"""The live store: a second writer is refused by name (exit 3), the dashboard never blocks an
ingest and sees its events without a restart; the progress line of long runs."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
import time

import httpx
import pytest

from eventscope.cli import main
from eventscope.errors import StoreBusyError
from eventscope.live import LiveStore, StoreWriter, servers, writer_lock
from eventscope.progress import Progress, estimate_total
from eventscope.records import Article, DocumentResult, Event
from eventscope.store import Store

from .conftest import ROOT


def _result(i: int) -> DocumentResult:
    a = Article(id=f"doc-{i}", text=f"Gunmen killed {i + 1} villagers in Kano. Report {i}.")
    ev = Event(
        event_id=f"ev-{i}",
        plover="ASSAULT",
        event_type="Battles",
        fatalities=i,
        country="Nigeria",
        country_code="NG",
        event_date="2022-05-08",
    )
    return DocumentResult(article=a, events=[ev])


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


@pytest.fixture()
def db(tmp_path):
    path = str(tmp_path / "live.duckdb")
    with Store.open(path) as s:
        s.add_result(_result(0))
    return path


def test_second_writer_is_refused_naming_the_holder(db, tmp_path, capsys):
    doc = tmp_path / "a.txt"
    doc.write_text("Police arrested ten protesters in Lagos.", encoding="utf-8")
    with writer_lock(db):
        # flock conflicts between two opens of the file even in one process
        status = main(["ingest", str(doc), "--db", db, "--no-extract"])
    err = capsys.readouterr().err
    assert status == 3
    assert "busy" in err and f"pid {os.getpid()}" in err
    assert "Traceback" not in err
    # once the holder is gone the same command works
    assert main(["ingest", str(doc), "--db", db, "--no-extract"]) == 0


def test_duckdb_lock_conflict_names_the_process(db):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, sys, time; c = duckdb.connect({db!r}); print('ok', flush=True); "
            "time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        with pytest.raises(StoreBusyError) as info:
            Store.open(db, read_only=True)
        assert info.value.holder == holder.pid
        assert f"pid {holder.pid}" in str(info.value)
    finally:
        holder.kill()
        holder.wait()


WRITER = textwrap.dedent("""
    import sys, time
    from eventscope.live import StoreWriter, writer_lock
    from eventscope.records import Article, DocumentResult, Event
    db, n = sys.argv[1], int(sys.argv[2])
    with writer_lock(db):
        w = StoreWriter(db)
        print("writing", flush=True)
        for i in range(1, n + 1):
            a = Article(id=f"doc-{i}", text=f"Gunmen killed {i + 1} villagers in Kano. Report {i}.")
            w.add(DocumentResult(article=a, events=[Event(event_id=f"ev-{i}", plover="ASSAULT")]))
            time.sleep(0.1)
        w.close()
    print("done", flush=True)
""")


def test_dashboard_reads_while_ingest_writes_and_sees_new_events(db):
    from eventscope.web import create_app

    app = create_app(db)
    try:
        assert servers(db) == [os.getpid()]  # announced: writers will write in bursts
        transport = httpx.ASGITransport(app=app)

        async def total() -> int:
            async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
                r = await c.get("/api/events", params={"limit": 1})
                assert r.status_code == 200, r.text
                return int(r.json()["total"])

        import asyncio

        assert asyncio.run(total()) == 1
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, db, "40"], stdout=subprocess.PIPE, text=True, env=_env()
        )
        assert writer.stdout is not None and writer.stdout.readline().strip() == "writing"
        seen, answered = [], 0
        t0 = time.monotonic()
        while writer.poll() is None and time.monotonic() - t0 < 60:
            seen.append(asyncio.run(total()))  # never an error while the writer runs
            answered += 1
            time.sleep(0.05)
        assert writer.wait(60) == 0
        assert answered >= 10
        # new events appear during the run (bursts), not only at its end, and all at the end
        assert any(1 < n < 41 for n in seen), seen
        assert asyncio.run(total()) == 41
    finally:
        app.state.store.close()
    assert servers(db) == []


def test_store_writer_holds_the_file_when_no_server_reads(db):
    w = StoreWriter(db)
    try:
        w.add(_result(1))
        assert w.added == 1  # committed at once, no burst
        other = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from eventscope.store import Store; "
                "Store.open(sys.argv[1], read_only=True)",
                db,
            ],
            capture_output=True,
            text=True,
            env=_env(),
        )
        assert "StoreBusyError" in other.stderr and f"pid {os.getpid()}" in other.stderr
    finally:
        w.close()
    with Store.open(db, read_only=True) as s:
        assert s.counts()["articles"] == 2


HOLDER = textwrap.dedent("""
    import sys
    from eventscope.live import StoreWriter, writer_lock
    from eventscope.records import Article, DocumentResult, Event
    db = sys.argv[1]
    with writer_lock(db):
        w = StoreWriter(db)
        store = w.store()  # asks the server for the file, and gets it
        print("locked", flush=True)
        sys.stdin.readline()
        a = Article(id="doc-9", text="Troops clashed with rebels in Goma.")
        store.add_result(DocumentResult(article=a, events=[Event(event_id="e9", plover="ASSAULT")]))
        w.close()
        print("written", flush=True)
        sys.stdin.readline()
""")


def test_live_store_lets_a_writer_in_and_reads_its_events(db):
    live = LiveStore(db)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, db],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    assert holder.stdin is not None and holder.stdout is not None
    try:
        with live.reader() as s:
            assert s.counts()["articles"] == 1
        assert holder.stdout.readline().strip() == "locked"
        assert live._con is None  # the server let the file go
        holder.stdin.write("go\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "written"
        with live.reader() as s:  # opened again after the burst: sees the new article
            assert s.counts()["articles"] == 2
        holder.stdin.write("end\n")
        holder.stdin.flush()
        assert holder.wait(30) == 0
        with live.reader() as s:
            assert s.counts()["articles"] == 2
        assert live._con is not None  # one shared connection between bursts
    finally:
        holder.kill()
        live.close()


# --------------------------------------------------------------------------- progress
def test_progress_shows_rate_and_eta_on_a_terminal():
    out = io.StringIO()
    p = Progress(10, stream=out, enabled=True, every=0)
    for _ in range(4):
        p.update()
    p.update(failed=True)
    line = p.line()
    assert "5/10 documents (50%)" in line
    assert "docs/s" in line and "ETA" in line and "1 failed" in line
    assert "\r" in out.getvalue()
    p.close()
    assert out.getvalue().endswith("\r")  # the line is cleared, the summary follows


def test_progress_is_quiet_when_piped():
    out = io.StringIO()  # not a terminal
    p = Progress(10, stream=out)
    for _ in range(10):
        p.update()
    p.close()
    assert out.getvalue() == ""


def test_estimate_total_counts_files_and_jsonl_lines(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("x")
    (tmp_path / "d" / "b.html").write_text("x")
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps({"text": "x"}) for _ in range(7)))
    assert estimate_total([str(tmp_path / "d"), str(tmp_path / "c.jsonl")]) == 9
    assert estimate_total(["-"]) is None
