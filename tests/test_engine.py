"""Engines: --workers N and --engine ray give exactly one worker's output; a worker killed
mid-run (kill -9) costs nothing; Ctrl-C ends with a one-line summary and a re-run resumes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from eventscope.cli import main
from eventscope.ingest import read_inputs
from eventscope.records import Article
from eventscope.store import Store

from .conftest import ROOT

pytestmark = [pytest.mark.model, pytest.mark.gazetteer]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The examples, each also with a line added: ~40 distinct texts, one JSONL line each."""
    path = tmp_path_factory.mktemp("engine") / "corpus.jsonl"
    seen = set()
    with path.open("w", encoding="utf-8") as fh:
        for a in read_inputs([str(ROOT / "examples")]):
            if not isinstance(a, Article):
                continue
            for suffix, text in (("", a.text), ("-b", a.text + "\n\nThis report was updated.")):
                if text in seen:
                    continue
                seen.add(text)
                doc = {
                    "id": a.id + suffix,
                    "text": text,
                    "title": a.title,
                    "published": a.published or "2022-05-12",
                }
                fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
    return path


@pytest.fixture(scope="module")
def serial(corpus, tmp_path_factory) -> str:
    """One worker's output (the reference)."""
    out = tmp_path_factory.mktemp("serial") / "one.jsonl"
    assert main(["extract", str(corpus), "-o", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def _cli(*args: str) -> list[str]:
    return [
        sys.executable,
        "-c",
        "import sys; from eventscope.cli import main; sys.exit(main(sys.argv[1:]))",
        *args,
    ]


def test_two_workers_give_one_workers_output(corpus, serial, tmp_path):
    out = tmp_path / "two.jsonl"
    assert main(["extract", str(corpus), "--workers", "2", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert len(text.splitlines()) == len(serial.splitlines()) >= 30
    assert text == serial


@pytest.mark.ray
def test_ray_local_cluster_gives_one_workers_output(corpus, serial, tmp_path):
    out = tmp_path / "ray.jsonl"
    assert main(["extract", str(corpus), "--engine", "ray", "--workers", "2", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == serial


def _ingest_until_ready(corpus: Path, db: Path) -> tuple[subprocess.Popen[str], int]:
    """Start `ingest --workers 2` (own session, like a terminal job); the first worker's pid
    once it is ready."""
    proc = subprocess.Popen(
        _cli("-v", "ingest", str(corpus), "--db", str(db), "--workers", "2"),
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        start_new_session=True,
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        if "ready" in line and "worker pid" in line:
            return proc, int(line.split("worker pid")[1].split()[0])
    raise AssertionError(f"no worker became ready (exit {proc.wait()})")


def test_worker_killed_mid_run_every_document_stored_once(corpus, serial, tmp_path):
    db = tmp_path / "k.duckdb"
    proc, pid = _ingest_until_ready(corpus, db)
    time.sleep(1.0)  # the worker is on its first batch
    os.kill(pid, signal.SIGKILL)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert f"worker pid {pid} died (signal 9)" in err
    expected = [json.loads(x) for x in serial.splitlines()]
    with Store.open(db, read_only=True) as s:
        docs = s.con.execute("SELECT doc_id, count(*) FROM articles GROUP BY doc_id").fetchall()
        # every extracted event is stored once as a report (reports of one incident may
        # share an event: cross-report merging)
        events = [r[0] for r in s.con.execute("SELECT report_id FROM reports").fetchall()]
    assert sorted(d for d, _ in docs) == sorted(d["id"] for d in expected)
    assert all(n == 1 for _, n in docs)
    assert sorted(events) == sorted(e["event_id"] for d in expected for e in d["events"])


def test_ctrl_c_gives_a_summary_and_a_rerun_resumes(corpus, serial, tmp_path, capsys):
    db = tmp_path / "c.duckdb"
    proc, _ = _ingest_until_ready(corpus, db)
    time.sleep(2.0)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole group
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    summary = [x for x in err.splitlines() if x.startswith("eventscope: interrupted after")]
    assert len(summary) == 1 and "Run the same command again" in summary[0]
    with Store.open(db, read_only=True) as s:
        stored = s.counts()["articles"]
    total = len(serial.splitlines())
    assert stored < total
    assert main(["ingest", str(corpus), "--db", str(db), "--workers", "2"]) == 0
    assert f"{total - stored} articles added" in capsys.readouterr().err
    with Store.open(db, read_only=True) as s:
        assert s.counts()["articles"] == total
