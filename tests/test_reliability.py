"""Reliability: hostile inputs never take a batch down, and the CLI tells the truth.

The fuzz corpus (tests/fuzz/corpus.py) mixes every hostile case of issue 16 with good
documents. The reader tests need no model; the end-to-end ingest and the kill -9 trials
(the long versions are `make soak`) run the real pipeline.
"""

from __future__ import annotations

import argparse
import json
import logging
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import spacy

from eventscope.cli import main
from eventscope.errors import InputError
from eventscope.extract.pipeline import Extractor
from eventscope.ingest import read_inputs
from eventscope.records import ACLED_EVENT_TYPES, Article, Event

from .conftest import ROOT
from .fuzz.corpus import build, good_text

sys.path.insert(0, str(Path(__file__).resolve().parent))
import webcorpus  # noqa: E402

# Cases the readers pass on (the text is too long for the model): the Extractor refuses them.
TOO_LONG = {"i_long_text.txt", "p-5mb"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("fuzz")
    return root, build(root)


# --------------------------------------------------------------------------- readers
def test_readers_turn_every_hostile_input_into_an_error_naming_it(corpus):
    _, c = corpus
    items = list(read_inputs(c.inputs))  # nothing raises
    errors = [str(i) for i in items if isinstance(i, InputError)]
    ids = {i.id for i in items if isinstance(i, Article)}
    for name, case in c.bad.items():
        if name in TOO_LONG:
            continue
        hits = [e for e in errors if name in e]
        assert len(hits) == 1, f"{case}: {len(hits)} error lines name {name}"
    assert c.good_ids <= ids
    assert len(errors) == len(c.bad) - len(TOO_LONG)


# --------------------------------------------------------------------------- Extractor.run
class _Coder:
    def code(self, doc, article, places):
        if "slow" in article.text:
            time.sleep(5)
        return [Event(event_id="", plover="ASSAULT", sentence_start=0)]


class _Geocoder:
    def places(self, doc, article):
        return []

    def locate(self, event, doc, places, article):
        return None


def _extractor(**kw) -> Extractor:
    nlp = spacy.blank("en")

    @spacy.Language.component("explode_on_kaboom")
    def explode(doc):
        if "kaboom" in doc.text:
            raise ValueError("the model broke on this text")
        if "sleepy" in doc.text:
            time.sleep(5)
        return doc

    nlp.add_pipe("explode_on_kaboom")
    return Extractor(nlp=nlp, geocoder=_Geocoder(), coder=_Coder(), batch_size=4, **kw)


def test_a_model_error_costs_one_document_not_its_batch_nor_the_run():
    # issue 16: an error inside nlp.pipe ended the run, and a re-run stopped at the same place
    docs = [Article(id=f"d{i}", text=f"Report {i}.") for i in range(6)]
    docs.insert(2, Article(id="bad", text="kaboom"))
    results = list(_extractor().run(docs))
    assert [r.doc_id or r.article.id for r in results] == [d.id for d in docs]
    assert [r.error is not None for r in results] == [d.id == "bad" for d in docs]
    assert "the model broke" in results[2].error and "please report" in results[2].error


def test_a_reader_that_raises_ends_with_an_error_result_after_the_good_documents():
    def items():
        yield Article(id="a", text="One.")
        yield Article(id="b", text="Two.")
        raise RecursionError("a parser went too deep")

    results = list(_extractor().run(items()))
    assert [r.error is None for r in results] == [True, True, False]
    assert "RecursionError" in results[2].error


def test_a_document_over_its_time_limit_is_skipped_and_the_next_one_runs():
    ex = _extractor(doc_timeout=0.5)
    t0 = time.monotonic()
    results = list(ex.run([Article(id="s", text="a slow one"), Article(id="f", text="fast")]))
    assert time.monotonic() - t0 < 4
    assert "time limit" in results[0].error and results[1].error is None


def test_a_document_that_hangs_the_model_is_skipped_and_its_batch_goes_on():
    ex = _extractor(doc_timeout=0.5)
    docs = [
        Article(id="a", text="One."),
        Article(id="z", text="sleepy"),
        Article(id="b", text="Two."),
    ]
    t0 = time.monotonic()
    results = list(ex.run(docs))
    assert time.monotonic() - t0 < 4
    assert [r.error is None for r in results] == [True, False, True]
    assert "time limit" in results[1].error


def test_a_text_longer_than_the_limit_is_refused_with_a_message():
    ex = _extractor(max_chars=1000)
    (too_long, fine) = ex.run(
        [
            Article(id="long", text="word " * 300, source="big.txt"),
            Article(id="ok", text="word " * 100),
        ]
    )
    assert "big.txt" in too_long.error and "1,500 characters" in too_long.error
    assert "split" in too_long.error and fine.error is None


# --------------------------------------------------------------------------- CLI
@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from eventscope.store import Store

    path = tmp_path_factory.mktemp("cli") / "events.duckdb"
    with Store.open(path) as s:
        webcorpus.fill(s)
    return path


def test_ingest_without_a_path_is_a_usage_error_and_creates_nothing(tmp_path, capsys):
    db = tmp_path / "new.duckdb"
    assert main(["ingest", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "ingest needs something to read" in err and "articles added" not in err
    assert not db.exists()


def test_commands_on_a_missing_database_are_usage_errors(tmp_path, capsys):
    missing = str(tmp_path / "none.duckdb")
    for argv in (
        ["events", "--db", missing],
        ["export", "--db", missing, "-o", str(tmp_path / "x.csv")],
        ["serve", "--db", missing, "--port", "1"],
    ):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "no such database" in err and "Traceback" not in err


def test_output_into_a_missing_folder_is_one_line_before_any_work(db, tmp_path, capsys):
    out = tmp_path / "no" / "such" / "folder" / "x.csv"
    assert main(["export", "--db", str(db), "-o", str(out)]) == 2
    assert "does not exist" in capsys.readouterr().err
    text = tmp_path / "a.txt"
    text.write_text(good_text(0), encoding="utf-8")
    assert main(["extract", str(text), "-o", str(tmp_path / "nope" / "x.jsonl")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "mkdir -p" in err


def _events(db: Path, capsys, *args: str) -> list[str]:
    capsys.readouterr()
    assert main(["events", "--db", str(db), "--format", "json", "--limit", "500", *args]) == 0
    return sorted(e["event_id"] for e in json.loads(capsys.readouterr().out))


def test_country_filters_take_names_iso2_and_iso3_trimmed(db, capsys):
    by_code = _events(db, capsys, "--country", "NG")
    assert by_code
    for value in ("NGA", "nga", "Nigeria ", " nigeria", "ng"):
        assert _events(db, capsys, "--country", value) == by_code, value
    assert _events(db, capsys, "--country", "KEN") == _events(db, capsys, "--country", "Kenya")


def test_an_unknown_type_is_an_error_listing_the_choices(db, capsys):
    assert main(["events", "--db", str(db), "--type", "Battle"]) == 2
    err = capsys.readouterr().err
    assert all(t in err for t in ACLED_EVENT_TYPES)
    assert _events(db, capsys, "--type", "battles ") == _events(db, capsys, "--type", "Battles")


def test_verbose_works_before_and_after_the_command(db, capsys):
    assert main(["-v", "events", "--db", str(db)]) == 0
    assert main(["events", "--db", str(db), "-v"]) == 0
    assert main(["events", "-vv", "--db", str(db)]) == 0


def test_absurd_offsets_are_usage_errors_not_tracebacks(db, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["events", "--db", str(db), "--offset", str(2**70)])
    assert exc.value.code == 2


def test_serve_on_a_busy_port_says_so_before_announcing_the_dashboard(db, capsys, caplog):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        with caplog.at_level(logging.WARNING):
            assert main(["serve", "--db", str(db), "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"port {port}" in err and "in use" in err and "--port" in err
    assert "dashboard at" not in caplog.text + err


def test_serve_binds_loopback_unless_told_otherwise():
    from eventscope.cli import build_parser

    assert build_parser().parse_args(["serve"]).host == "127.0.0.1"
    assert build_parser().parse_args(["serve", "-v", "--host", "0.0.0.0"]).host == "0.0.0.0"


def test_every_subcommand_has_an_example_defaults_and_the_exit_statuses():
    from eventscope.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(sub.choices) >= {"extract", "ingest", "events", "export", "eval", "serve"}
    for name, p in sub.choices.items():
        text = p.format_help()
        assert "example:\n  eventscope " + name in text, name
        assert "3  the store is busy" in text, name
    ingest = " ".join(sub.choices["ingest"].format_help().split())
    assert "(default: eventscope.duckdb)" in ingest and "(default: 300" in ingest


# --------------------------------------------------------------------------- end to end
def _run(*args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "eventscope.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


@pytest.mark.model
@pytest.mark.gazetteer
def test_fuzz_batch_every_bad_input_one_error_line_every_good_document_stored(corpus):
    from eventscope.store import Store

    root, c = corpus
    db = root / "fuzz.duckdb"
    proc = _run("ingest", *c.inputs, "--db", str(db))
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    lines = [x for x in proc.stderr.splitlines() if x.startswith("eventscope: error: ")]
    for name, case in c.bad.items():
        assert sum(name in x for x in lines) == 1, f"{case}: {name}"
    assert len(lines) == len(c.bad)
    assert f"{len(c.bad)} failed" in proc.stderr
    with Store.open(db, read_only=True) as store:
        stored = {r[0] for r in store.con.execute("SELECT doc_id FROM articles").fetchall()}
    assert c.good_ids <= stored
    assert len(stored) == len(c.good_ids)


@pytest.mark.model
@pytest.mark.gazetteer
def test_kill_9_during_ingest_then_rerun_loses_and_duplicates_nothing(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import soak_kill

    result = soak_kill.run(n_articles=12, trials=2, seed=7, work=tmp_path)
    assert result["always_opened"]
    assert result["lost"] == 0 and result["duplicated"] == 0 and result["unexpected"] == 0
    assert result["all_same_as_clean"] and result["clean"]["events"] > 0
