"""The MUC-4 gold pairing of cross-report merging's evaluation (evaluate/merging.py)."""

from __future__ import annotations

from eventscope.evaluate.merging import gold_pairs, key_interval, same_incident


def _t(**kw):
    base = {
        "incident_type": "BOMBING",
        "incident_date": "30 MAR 89",
        "incident_location": "EL SALVADOR: SAN SALVADOR (CITY)",
        "phys_tgt_id": [],
        "hum_tgt_name": [],
        "hum_tgt_description": [],
        "perp_organization_id": [],
    }
    base.update(kw)
    return base


def test_a_victim_named_in_one_key_and_described_in_the_other_is_one_incident():
    a = _t(hum_tgt_description=['"PERSON"', '"MARILIN RAMIREZ"'])
    b = _t(hum_tgt_name=['"MARILIN RAMIREZ"'])
    assert same_incident(a, b)


def test_different_days_towns_or_victims_are_different_incidents():
    a = _t(hum_tgt_name=['"MARILIN RAMIREZ"'])
    assert not same_incident(a, _t(hum_tgt_name=['"OTHER PERSON"']))
    assert not same_incident(a, _t(hum_tgt_name=['"MARILIN RAMIREZ"'], incident_date="02 APR 89"))
    assert not same_incident(
        a,
        _t(hum_tgt_name=['"MARILIN RAMIREZ"'],
           incident_location="EL SALVADOR: SAN MIGUEL (CITY)"),
    )
    assert not same_incident(a, _t(hum_tgt_name=['"MARILIN RAMIREZ"'], incident_type="KIDNAPPING"))


def test_key_dates_on_or_before_and_alternatives():
    lo, hi = key_interval("- 19 APR 89")
    assert hi.isoformat() == "1989-04-19" and (hi - lo).days == 30
    lo, hi = key_interval("(- 29 MAR 89) / (28 MAR 89 - 29 MAR 89)")
    assert hi.isoformat() == "1989-03-29"
    assert key_interval("*") is None


def test_pairs_are_between_messages_with_templates():
    docs = [
        {"id": "m1", "gold": {"templates": [_t(phys_tgt_id=['"BUS"'])]}},
        {"id": "m2", "gold": {"templates": [_t(phys_tgt_id=['"BUS"'], incident_type="ATTACK")]}},
        {"id": "m3", "gold": {"templates": []}},
    ]
    assert gold_pairs(docs) == {("m1", "m2")}
