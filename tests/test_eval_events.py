"""Scoring coded events against ACLED notes and MUC-4 messages (no model needed)."""

from __future__ import annotations

import json

import pytest

from eventscope.errors import EvaluationError
from eventscope.evaluate.events import score_acled, score_muc
from eventscope.records import Article, DocumentResult, Event

from .conftest import DEV_DATA, needs_dev_data


def _gold(doc_id: str, **event) -> dict:
    ev = {
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "event_date": "2020-05-01",
        "date_precision": "day",
        "actor1": "Military Forces of Nigeria (2015-)",
        "actor1_type": "State forces",
        "actor2": "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad",
        "actor2_type": "Rebel group",
        "fatalities": 3,
    }
    ev.update(event)
    return {"id": doc_id, "corpus": "acled-2020", "text": "x", "gold": {"events": [ev]}}


def _result(doc_id: str, *events: Event) -> DocumentResult:
    return DocumentResult(article=Article(id=doc_id, text="x"), events=list(events))


def _event(**kw) -> Event:
    base = dict(
        event_id="",
        plover="ASSAULT",
        event_type="Battles",
        sub_event_type="Armed clash",
        event_date="2020-05-01",
        date_precision="day",
        actor1="Military Forces of Nigeria",
        actor1_type="State forces",
        actor2="Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad",
        actor2_type="Rebel group",
        fatalities=3,
        confidence=0.8,
    )
    base.update(kw)
    return Event(**base)


def test_a_perfect_prediction_scores_one_on_every_field():
    s = score_acled([_gold("a")], [_result("a", _event())])
    for key in (
        "event_type_accuracy",
        "sub_event_type_accuracy",
        "fatalities_exact",
        "date_exact",
        "actor1_type_accuracy",
        "actor1_exact",
        "actor2_type_accuracy",
        "event_recall",
    ):
        assert s[key] == 1.0, key
    assert s["event_type_confusion"] == {"Battles": {"Battles": 1}}


def test_the_most_confident_event_is_paired_with_the_gold_one():
    low = _event(sub_event_type="Attack", event_type="Violence against civilians", confidence=0.3)
    high = _event(confidence=0.9)
    s = score_acled([_gold("a")], [_result("a", low, high)])
    assert s["sub_event_type_accuracy"] == 1.0


def test_no_predicted_event_is_wrong_on_every_field():
    s = score_acled([_gold("a"), _gold("b")], [_result("a", _event()), _result("b")])
    assert s["event_recall"] == 0.5
    assert s["event_type_accuracy"] == 0.5
    assert s["fatalities_exact"] == 0.5
    assert s["event_type_confusion"]["Battles"] == {"-": 1, "Battles": 1}


def test_date_is_scored_only_where_the_gold_is_day_precise():
    golds = [_gold("a"), _gold("b", date_precision="week", event_date="2020-04-27")]
    s = score_acled(golds, [_result("a", _event()), _result("b", _event())])
    assert s["date_exact"] == 1.0


def test_results_are_paired_by_document_id_when_counts_differ():
    golds = [_gold("a"), _gold("b", fatalities=0)]
    s = score_acled(golds, [_result("b", _event(fatalities=0))])
    assert s["fatalities_exact"] == 0.5


def test_empty_gold_is_an_error():
    with pytest.raises(EvaluationError):
        score_acled([], [])


def _muc(doc_id: str, relevant: bool, kind: str = "BOMBING") -> dict:
    templates = [{"incident_type": kind}] if relevant else []
    return {
        "id": doc_id,
        "corpus": "muc4-dev",
        "text": "x",
        "gold": {"relevant": relevant, "templates": templates},
    }


def test_muc_relevance_counts_terrorist_acts_not_battles():
    golds = [_muc("a", True), _muc("b", False), _muc("c", True, "KIDNAPPING"), _muc("d", False)]
    bomb = _event(
        event_type="Explosions/Remote violence",
        sub_event_type="Remote explosive/landmine/IED",
        country_code="SV",
    )
    kidnap = _event(
        event_type="Violence against civilians",
        sub_event_type="Abduction/forced disappearance",
        country_code="CO",
    )
    clash = _event(country_code="SV")  # army against guerrillas: not a MUC incident
    results = [_result("a", bomb), _result("b", clash), _result("c", kidnap), _result("d")]
    s = score_muc(golds, results)
    assert s["relevance_precision"] == 1.0 and s["relevance_recall"] == 1.0
    assert s["relevance_f1"] == 1.0
    assert s["incident_type_recall"] == 1.0


def test_muc_region_filter_and_attacks_without_a_toll():
    from eventscope.evaluate.events import muc_incidents
    from eventscope.extract.relevance import load_region

    LATIN_AMERICA = load_region("muc4")

    bomb_abroad = _event(
        event_type="Explosions/Remote violence",
        sub_event_type="Remote explosive/landmine/IED",
        country_code="ES",
    )
    assert muc_incidents([bomb_abroad]) == ["BOMBING"]
    assert muc_incidents([bomb_abroad], region=LATIN_AMERICA) == []
    # killings recalled without a toll (a speech, an editorial) make no incident
    recalled = _event(
        event_type="Violence against civilians",
        sub_event_type="Attack",
        fatalities=0,
        country_code="SV",
    )
    s = score_muc([_muc("b", False)], [_result("b", recalled)])
    assert s["relevance_accuracy"] == 1.0


@needs_dev_data
@pytest.mark.devdata
def test_dev_gold_files_have_the_shape_the_scorers_read():
    with (DEV_DATA / "acled_2020_dev.jsonl").open(encoding="utf-8") as fh:
        doc = json.loads(fh.readline())
    assert {"event_type", "sub_event_type", "actor1_type", "fatalities"} <= set(
        doc["gold"]["events"][0]
    )
    with (DEV_DATA / "muc4_dev.jsonl").open(encoding="utf-8") as fh:
        doc = json.loads(fh.readline())
    assert "relevant" in doc["gold"] and "templates" in doc["gold"]
