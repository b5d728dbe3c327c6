"""The gate's own logic, on made-up scores (no model, no data)."""

from __future__ import annotations

import json

import pytest

from eventscope.errors import EvaluationError
from eventscope.evaluate import check_gate, format_report, load_gold


def test_a_drop_fails_and_a_rise_passes(tmp_path):
    pins = tmp_path / "pins.json"
    pins.write_text(
        json.dumps({"acled": {"event_type": 0.9, "fatalities_exact": 0.93}, "_comment": "ignored"})
    )
    assert check_gate({"acled": {"event_type": 0.95, "fatalities_exact": 0.93}}, pins) == []
    failures = check_gate({"acled": {"event_type": 0.85, "fatalities_exact": 0.94}}, pins)
    assert len(failures) == 1 and "acled.event_type" in failures[0] and "0.8500" in failures[0]
    assert "not measured" in check_gate({"acled": {"event_type": 0.95}}, pins)[0]
    assert check_gate({"other": {}}, pins) == []  # files not run this time are not judged


def test_broken_gold_line_names_file_and_line(tmp_path):
    gold = tmp_path / "g.jsonl"
    gold.write_text('{"id": 1, "text": "x", "gold": {}}\n{oops\n')
    with pytest.raises(EvaluationError, match=r"g\.jsonl:2"):
        load_gold(gold)


def test_report_prints_scores_and_confusion():
    text = format_report(
        {
            "acled": {
                "corpus": "acled-2020",
                "documents": 2,
                "event_type": 0.5,
                "type_confusion": {"Battles": {"Battles": 1, "Riots": 1}},
            }
        }
    )
    assert "event_type" in text and "0.5000" in text and "Riots" in text
