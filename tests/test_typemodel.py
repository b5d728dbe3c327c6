"""The event-type model: its training corpus, training, files, and how the coder uses it.

Unit tests train small models on a few hand-written lines and use spaCy's blank pipeline;
tests of the built-in model with the real spaCy model are marked ``model``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from eventscope.errors import ModelError
from eventscope.extract import training
from eventscope.extract.knowledge import load_taxonomy
from eventscope.extract.typemodel import (
    NON_ACLED,
    Calibration,
    TypeModel,
    combine,
    gold_examples,
    non_event,
    train,
)
from eventscope.records import Article, DocumentResult

TINY = [
    ("Gunmen shot dead two farmers in their village.", "Attack"),
    ("Armed men killed a trader and his son at the market.", "Attack"),
    ("Bandits killed five villagers in a night raid.", "Attack"),
    ("Soldiers clashed with rebels near the border.", "Armed clash"),
    ("Troops and insurgents exchanged fire for two hours.", "Armed clash"),
    ("Fighting broke out between the army and militants.", "Armed clash"),
    ("A strong earthquake struck the province, destroying homes.", "NATURAL_DISASTER"),
    ("Floods after heavy rain swept away houses in the valley.", "NATURAL_DISASTER"),
    ("A powerful earthquake shook the capital at dawn.", "NATURAL_DISASTER"),
    ("The ministers met to discuss trade and visas.", "DIPLO"),
    ("The two countries held talks on the border dispute.", "DIPLO"),
]


def _tiny_model() -> TypeModel:
    return train([t for t, _ in TINY], [lab for _, lab in TINY], l2=0.1)


# --------------------------------------------------------------------------- the corpus


def test_corpus_covers_every_acled_sub_type_and_the_non_acled_classes():
    labels = set(training.labels())
    assert set(load_taxonomy().event_type_of) <= labels
    assert set(NON_ACLED) <= labels
    assert training.NO_EVENT in labels
    assert len(labels) == 25 + len(NON_ACLED) + 1
    assert all(n >= 8 for n in training.describe().values())


def test_corpus_is_the_same_for_the_same_seed_and_differs_for_another():
    a = training.generate(seed=3, per_class=20)
    assert a == training.generate(seed=3, per_class=20)
    assert a != training.generate(seed=4, per_class=20)
    assert len(a) == 20 * len(training.labels())
    # slots are all filled
    assert not any("{" in text or "}" in text for text, _ in a)


# --------------------------------------------------------------------------- the model


def test_a_model_trained_on_a_few_lines_types_a_paraphrase():
    m = _tiny_model()
    p = m.proba("An earthquake destroyed houses in the north.")
    assert max(p, key=p.get) == "NATURAL_DISASTER"
    p = m.proba("Rebels and soldiers exchanged fire overnight.")
    assert max(p, key=p.get) == "Armed clash"
    assert abs(sum(p.values()) - 1.0) < 1e-5


def test_training_is_deterministic():
    a, b = _tiny_model(), _tiny_model()
    assert a.labels == b.labels
    assert np.array_equal(a.keys, b.keys)
    assert np.array_equal(a.rows, b.rows) and np.array_equal(a.bias, b.bias)


def test_a_saved_model_loads_with_the_same_predictions(tmp_path: Path):
    m = _tiny_model()
    m.save(tmp_path / "m")
    back = TypeModel.load(tmp_path / "m")
    text = "Militants attacked a village and killed two men."
    assert back.labels == m.labels
    assert back.proba(text) == m.proba(text)


def test_loading_a_directory_that_is_no_model_says_how_to_make_one(tmp_path: Path):
    with pytest.raises(ModelError, match="eventscope train"):
        TypeModel.load(tmp_path)


def test_gold_examples_read_acled_sub_types_and_case_non_acled_classes():
    docs = [
        {"text": "a", "gold": {"events": [{"sub_event_type": "Attack"}]}},
        {"text": "b", "gold": {"events": [{"case_subtype": "DIPLO", "sub_event_type": None}]}},
        {"text": "c", "gold": {"events": [{"event_type": "Battles"}]}},  # no sub-type: skipped
        {"text": "d", "gold": {"events": []}},
    ]
    assert gold_examples(docs) == [("a", "Attack"), ("b", "DIPLO")]


# --------------------------------------------------------------------------- with the rules


def test_the_rules_verdict_holds_unless_the_model_is_much_surer():
    types = load_taxonomy().event_type_of
    cal = Calibration(rule_weight=2.0, type_weight=1.0)
    unsure = {"Attack": 0.3, "Armed clash": 0.4, "Mob violence": 0.3}
    assert combine(unsure, "Attack", types, cal) == "Attack"
    sure = {"Attack": 0.01, "Armed clash": 0.98, "Mob violence": 0.01}
    assert combine(sure, "Attack", types, cal) == "Armed clash"
    # a non-ACLED class never replaces an ACLED sub-type
    assert combine({"Attack": 0.01, "DIPLO": 0.99}, "Attack", types, cal) == "Attack"


def test_a_document_is_a_non_event_only_when_the_model_is_sure_of_it():
    types = load_taxonomy().event_type_of
    cal = Calibration(non_event=0.5)
    assert non_event({"NATURAL_DISASTER": 0.8, "Attack": 0.2}, types, cal) == "NATURAL_DISASTER"
    assert non_event({"NATURAL_DISASTER": 0.45, "Attack": 0.1, "NONE": 0.45}, types, cal) is None
    assert non_event({"DIPLO": 0.51, "Attack": 0.25, "Armed clash": 0.24}, types, cal) == "DIPLO"


def test_coder_drops_acled_events_of_diplomacy_and_keeps_an_attack():
    import spacy

    from eventscope.extract.coder import EventCoder

    nlp = spacy.blank("en")
    coder = EventCoder(model=_tiny_model())
    # the rules alone read an attack in a meeting that discusses one
    text = "The ministers met to discuss the killing of five villagers."
    doc = nlp(text)
    assert EventCoder(use_model=False).code(nlp(text), Article(id="q", text=text), [])
    assert coder.code(doc, Article(id="q", text=text), []) == []
    assert doc.user_data["non_event"] == "DIPLO"
    text = "Gunmen killed five villagers in Zamfara, Nigeria."
    doc = nlp(text)
    (ev,) = coder.code(doc, Article(id="g", text=text), [])
    assert ev.sub_event_type == "Attack" and doc.user_data["non_event"] is None


def test_non_event_is_in_the_output_only_when_set():
    art = Article(id="x", text="t")
    assert "non_event" not in DocumentResult(article=art).to_dict()
    assert DocumentResult(article=art, non_event="DIPLO").to_dict()["non_event"] == "DIPLO"


# --------------------------------------------------------------------------- the commands


def _gold(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i, (text, lab) in enumerate(TINY * 2):
            g = {"case_subtype": lab} if lab in NON_ACLED else {"sub_event_type": lab}
            fh.write(json.dumps({"id": str(i), "text": text, "gold": {"events": [g]}}) + "\n")
    return path


def test_train_writes_a_model_the_extractor_can_load(tmp_path: Path):
    from eventscope.cli import main

    out = tmp_path / "model"
    assert main(["train", str(_gold(tmp_path / "g.jsonl")), "-o", str(out)]) == 0
    m = TypeModel.load(out)
    assert set(m.labels) == {"Attack", "Armed clash", "NATURAL_DISASTER", "DIPLO"}
    assert m.meta["trained_on"] == ["g.jsonl"] and m.meta["examples"] == 2 * len(TINY)


def test_train_without_labelled_lines_is_a_usage_error(tmp_path: Path, capsys):
    from eventscope.cli import main

    g = tmp_path / "g.jsonl"
    g.write_text(json.dumps({"id": "1", "text": "x", "gold": {"events": []}}) + "\n")
    assert main(["train", str(g), "-o", str(tmp_path / "m")]) == 2
    assert "sub_event_type" in capsys.readouterr().err


def test_extract_with_a_missing_model_directory_is_a_usage_error(tmp_path: Path, capsys):
    from eventscope.cli import main

    doc = tmp_path / "a.txt"
    doc.write_text("Gunmen killed two farmers.")
    assert main(["extract", str(doc), "--model", str(tmp_path / "nope")]) == 2
    assert "eventscope train" in capsys.readouterr().err


@pytest.mark.model
def test_extract_with_a_trained_model(tmp_path: Path, capsys):
    from eventscope.cli import main

    model = tmp_path / "model"
    gold = str(_gold(tmp_path / "g.jsonl"))
    assert main(["train", gold, "-o", str(model), "--l2", "0.1"]) == 0
    doc = tmp_path / "a.txt"
    doc.write_text("A powerful earthquake struck the province on Monday, killing 12 people.")
    assert main(["extract", str(doc), "--model", str(model), "--format", "jsonl"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["non_event"] == "NATURAL_DISASTER"
    assert not [e for e in out["events"] if e["event_type"]]


# --------------------------------------------------------------------------- built-in model


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "A 6.1 magnitude earthquake struck northern Peru on Monday, killing 12 people.",
            "NATURAL_DISASTER",
        ),
        (
            "A fire broke out at a chemical factory on Tuesday, killing four workers.",
            "MAN_MADE_DISASTER",
        ),
        ("The foreign ministers of both countries met in Rabat to discuss trade.", "DIPLO"),
    ],
)
def test_built_in_model_keeps_non_events_out(text: str, kind: str):
    from eventscope.extract import Extractor

    res = Extractor(default_published="2020-05-04").extract_one(Article(id="n", text=text))
    assert not [e for e in res.events if e.event_type]
    assert res.non_event == kind


@pytest.mark.model
def test_built_in_model_keeps_an_attack_an_attack():
    from eventscope.extract import Extractor

    text = "Gunmen attacked a village in Zamfara state on Sunday, killing 14 villagers."
    res = Extractor(default_published="2020-05-04").extract_one(Article(id="a", text=text))
    assert [e.sub_event_type for e in res.events] == ["Attack"]
    assert res.non_event is None


def test_a_long_article_is_left_to_the_rules():
    # the model was trained on snippets and notes; in a long article the rules decide
    import spacy

    from eventscope.extract.coder import EventCoder

    nlp = spacy.blank("en")
    filler = " The ministry published its annual report on trade and visas." * 15
    text = "The ministers met to discuss the killing of five villagers." + filler
    assert len(text) > 800
    doc = nlp(text)
    events = EventCoder(model=_tiny_model()).code(doc, Article(id="l", text=text), [])
    assert [e.event_type for e in events if e.event_type]
    assert doc.user_data["non_event"] is None
