"""The command line: bad input is reported by name and the rest of the batch goes on."""

from __future__ import annotations

import json

import pytest

from eventscope.cli import main

from .conftest import ROOT, SEED

pytestmark = [pytest.mark.model, pytest.mark.gazetteer]


@pytest.fixture()
def messy_folder(tmp_path):
    d = tmp_path / "batch"
    d.mkdir()
    (d / "a_good.txt").write_text(
        "Gunmen killed five villagers in Maiduguri on Sunday.", encoding="utf-8"
    )
    (d / "b_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (d / "c_empty.txt").write_text("   \n", encoding="utf-8")
    (d / "d_batch.jsonl").write_text(
        json.dumps(
            {"id": "j1", "text": "Police fired tear gas at protesters in Nairobi on 2 May 2020."}
        )
        + "\n"
        + "{not json\n"
        + json.dumps({"id": "j3", "text": "Troops clashed with al-Shabaab militants in Afgoye."})
        + "\n",
        encoding="utf-8",
    )
    (d / "e_encoding.txt").write_bytes(bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 40)
    return d


def test_extract_reports_each_bad_document_and_goes_on(messy_folder, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    status = main(["extract", str(messy_folder), "--published", "2020-05-04", "-o", str(out)])
    assert status == 1
    docs = [json.loads(x) for x in out.read_text().splitlines()]
    errors = [d for d in docs if "error" in d]
    good = [d for d in docs if "error" not in d]
    assert {d["id"] for d in good} >= {str(messy_folder / "a_good.txt"), "j1", "j3"}
    messages = " | ".join(d["error"] for d in errors)
    assert "b_binary.txt" in messages and "binary" in messages.lower()
    assert "c_empty.txt" in messages and "empty" in messages.lower()
    assert "d_batch.jsonl:2" in messages
    assert "e_encoding.txt" in messages and (
        "encod" in messages.lower() or "decode" in messages.lower()
    )
    assert len(docs) == 7  # nothing silently dropped
    assert "error" in capsys.readouterr().err


def test_missing_input_is_a_usage_error(tmp_path, capsys):
    assert main(["extract", str(tmp_path / "nope.txt")]) == 2
    assert "nope.txt" in capsys.readouterr().err


def test_ingest_twice_leaves_same_counts(tmp_path, capsys):
    from eventscope.store import Store

    db = tmp_path / "ex.duckdb"
    examples = ROOT / "examples"
    main(["ingest", str(SEED), "--published", "2022-05-12", "--db", str(db)])
    main(["ingest", str(examples), "--db", str(db)])
    with Store.open(db, read_only=True) as s:
        first = s.counts()
    # the seed article and 19 distinct wire reports (the 2 WARC records repeat 2 pages)
    assert first["articles"] == 20 and first["events"] >= 15
    # every country of examples/README.md's incidents gets its event
    capsys.readouterr()
    assert main(["events", "--db", str(db), "--limit", "200", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    countries = {r["country"] for r in listed}
    # two reports of the Tarma massacre (14 and 16 killed) are one event: ACLED's lower toll
    tarma = [r for r in listed if r["location"] == "Tarma" and r["fatalities"]]
    assert [(r["source_count"], r["fatalities"]) for r in tarma] == [(2, 14)]
    assert countries >= {
        "Morocco",
        "Peru",
        "Colombia",
        "El Salvador",
        "Honduras",
        "Guatemala",
        "Ecuador",
        "Chile",
        "Bolivia",
        "Nicaragua",
        "Philippines",
    }
    main(["ingest", str(examples), "--db", str(db)])
    main(["ingest", str(SEED), "--published", "2022-05-12", "--db", str(db)])
    with Store.open(db, read_only=True) as s:
        assert s.counts() == first
    # the stored events can be queried and exported
    capsys.readouterr()
    assert main(["events", "--db", str(db), "--country", "Morocco", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(r["country"] == "Morocco" for r in rows)
    for fmt in ("csv", "geojson", "parquet"):
        out = tmp_path / f"ev.{fmt}"
        assert main(["export", "--db", str(db), "-o", str(out)]) == 0
        assert out.stat().st_size > 0


def test_extract_judges_relevance_in_a_region_on_request(tmp_path, capsys):
    doc = tmp_path / "wire.txt"
    doc.write_text(
        "SAN SALVADOR, 3 JAN 90 -- [TEXT] A BOMB EXPLODED YESTERDAY AT A POWER STATION IN SAN "
        "MIGUEL, CUTTING ELECTRICITY TO THE EASTERN REGION.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(doc), "--relevance", "muc4", "-o", str(out)]) == 0
    d = json.loads(out.read_text(encoding="utf-8"))
    rel = d["relevance"]
    assert rel["relevant"] is True and rel["region"] == "muc4"
    (inc,) = rel["incidents"]
    assert inc["kind"] == "BOMBING"
    assert inc["event_id"] in {e["event_id"] for e in d["events"]}
    # a region of the user's own, written like the shipped one, leaves El Salvador out
    own = tmp_path / "europe.yaml"
    own.write_text("name: europe\ncountries: [FR, DE]\nnames: {FR: [paris]}\n", encoding="utf-8")
    assert main(["extract", str(doc), "--relevance", str(own), "-o", str(out)]) == 0
    rel = json.loads(out.read_text(encoding="utf-8"))["relevance"]
    assert rel == {"relevant": False, "region": "europe", "incidents": []}
    # without the option the contract's output is unchanged
    assert main(["extract", str(doc), "-o", str(out)]) == 0
    assert "relevance" not in json.loads(out.read_text(encoding="utf-8"))


def test_an_unknown_relevance_region_is_a_usage_error_before_any_document(tmp_path, capsys):
    doc = tmp_path / "wire.txt"
    doc.write_text("LIMA, 5 MAY 90 -- A BOMB EXPLODED YESTERDAY.\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(doc), "--relevance", "atlantis", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "unknown region 'atlantis'" in err and "muc4" in err
    assert not out.exists()
