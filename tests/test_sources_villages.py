"""Villages from countrystatecity's city lists: the settlements cities500 lacks.

Built from hand-made rows: no package data, no compiled gazetteer, no model.
"""

from __future__ import annotations

from eventscope.geo.gazetteer import VILLAGE_CODE, Gazetteer, Row, name_key
from eventscope.geo.resolve import Resolver
from eventscope.geo.sources import _village_rows


def _town(name: str, lat: float, lon: float, cc: str, a1: str, a2: str | None = None) -> Row:
    return Row(1, name, lat, lon, "PPL", cc, a1, a2, 5000)


TOWNS = [
    _town("Beja", 36.7256, 9.1817, "TN", "Bajah", "Beja Nord"),
    _town("Tabarka", 36.9544, 8.7580, "TN", "Jundubah", "Tabarka"),
    # a made-up town across the provincial border, nearer the village than Beja
    _town("Oued Tine", 36.6200, 8.9500, "TN", "Jundubah", "Ain Draham"),
]


def test_a_listed_settlement_that_cities500_lacks_becomes_a_village():
    listed = [
        ("Béja", 36.7300, 9.1900, "TN", "Béja"),  # the town of cities500, 1 km off
        ("Nefza", 36.6049, 8.9702, "TN", "Béja"),
        ("Nefza", 36.6100, 8.9800, "TN", "Béja"),  # listed twice
    ]
    rows = list(_village_rows(listed, TOWNS, set(), {}))
    assert [r.name for r in rows] == ["Nefza"]
    nefza = rows[0]
    assert nefza.feature_code == VILLAGE_CODE
    assert nefza.population == 0 and nefza.geonameid is None
    # the listed division's towns found in cities500 lie in our "Bajah": so does the village,
    # though a town of another province is nearer; its admin2 is its nearest town's there
    assert (nefza.admin1, nefza.admin2) == ("Bajah", "Beja Nord")


def test_listed_divisions_are_not_villages():
    listed = [
        ("Huyện Bảo Lâm", 22.87, 105.47, "VN", "Cao Bằng"),
        ("Zentsūji Shi", 34.23, 133.78, "JP", "Kagawa"),
        ("Provincia de Chiriquí", 8.50, -82.40, "PA", "Chiriquí"),
        ("Nihm", 15.75, 44.57, "YE", "Sanaa"),  # a district of ours, filed as a city
    ]
    rows = list(_village_rows(listed, TOWNS, {("YE", "nihm")}, {}))
    assert rows == []


def test_a_namesake_farther_off_is_another_place_with_the_name_matched_division():
    listed = [("Beja", 37.0, 8.3, "TN", "Jendouba")]
    rows = list(_village_rows(listed, TOWNS, set(), {("TN", "Jendouba"): "Jundubah"}))
    assert [(r.name, r.admin1) for r in rows] == [("Beja", "Jundubah")]


def _gazetteer() -> Gazetteer:
    return Gazetteer.from_rows(
        [
            Row(None, "Nihm", 15.8, 44.6, "ADM2", "YE", "Sanaa", "Nihm", 0),
            Row(2, "Al Madid", 15.9, 44.7, "PPL", "YE", "Sanaa", "Nihm", 800),
            Row(None, "Nihm", 15.75, 44.57, VILLAGE_CODE, "YE", "Sanaa", "Nihm", 0),
            Row(3, "Qiyang", 26.58, 111.84, "PPL", "CN", "Hunan", None, 0),
            Row(None, "Qiyang", 26.37, 111.94, VILLAGE_CODE, "CN", "Hunan", None, 0),
            Row(None, "Lianxi", 29.66, 116.04, VILLAGE_CODE, "CN", "Jiangxi", None, 0),
        ]
    )


def test_a_village_is_never_the_seat_of_the_district_named_like_it():
    # ACLED codes a district-level event at the district's capital: a listed village of
    # the district's name is not known to be it
    assert _gazetteer().seat("YE", "Sanaa", "Nihm").name == "Al Madid"


def test_a_village_ranks_below_a_town_of_its_name_and_is_not_read_loosely():
    gaz = _gazetteer()
    town, village = gaz.lookup_key("qiyang")
    assert gaz._fcode[town] == "PPL" and gaz._fcode[village] == VILLAGE_CODE
    res = Resolver(gaz)
    assert res.prior(village, "qiyang") <= res.prior(town, "qiyang")
    # "the Qiang people": the town's spelling variant, never the village's
    assert gaz.lookup_loose(name_key("Qiang")) == (town,)
    assert gaz.lookup_loose(name_key("Lianxy")) == ()
    assert [e.name for e in gaz.lookup("Lianxi")] == ["Lianxi"]
