"""The quality gate: dev-set scores may not drop below the pins in quality/pins.json.

Like trafilatura's evaluation in CI: the pins are the scores last reached on the dev sets;
a change that lowers one fails here, and raising a pin is part of the change that earned it.
The scores of this run are written to out/scores.json for the record.
"""

from __future__ import annotations

import json

import pytest

from eventscope.evaluate import check_gate, format_parts, format_report, run_evals

from .conftest import DEV_DATA, ROOT, needs_dev_data

PINS = ROOT / "quality" / "pins.json"

pytestmark = [pytest.mark.model, pytest.mark.gazetteer, pytest.mark.devdata, needs_dev_data]


def test_pins_name_existing_gold_files():
    pins = json.loads(PINS.read_text())
    for name in gold_stems(pins):
        assert (DEV_DATA / f"{name}.jsonl").exists(), name


def gold_stems(pins: dict) -> list[str]:
    """The gold files the pins name: ``acled_2020_dev+acled_2020_dev2/check`` names two."""
    stems = {s for n in pins if not n.startswith("_") for s in n.split("/")[0].split("+")}
    return sorted(stems)


def test_no_pinned_score_dropped():
    pins = json.loads(PINS.read_text())
    reports = run_evals([DEV_DATA / f"{name}.jsonl" for name in gold_stems(pins)])
    out = ROOT / "out"
    out.mkdir(exist_ok=True)
    (out / "scores.json").write_text(json.dumps(reports, indent=2, sort_keys=True, default=str))
    print(format_report(reports))
    print(format_parts(reports))
    failures = check_gate(reports, PINS)
    assert not failures, "\n".join(failures)
