"""Actors: the dictionary, aliases, demonyms, ACLED-style names and types, user extensions.

These tests run on a blank English pipeline (no model): actor recognition is phrase matching
plus the tokens next to a mention.
"""

from __future__ import annotations

import pytest
import spacy
import yaml

from eventscope.errors import KnowledgeError
from eventscope.extract.actors import ActorFinder
from eventscope.extract.knowledge import load_actors, load_countries


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


def _finder(nlp, user: str | None = None) -> ActorFinder:
    return ActorFinder(nlp.vocab, load_actors(user), load_countries())


def _actors(nlp, text: str, event_country: str | None = None, user: str | None = None):
    finder = _finder(nlp, user)
    doc = nlp(text)
    countries = finder.countries_in(doc)
    return [finder.resolve(m, event_country) for m in finder.find(doc, countries)]


@pytest.mark.parametrize("alias", ["Daesh", "ISIS", "ISIL", "IS", "Islamic State", "daesh"])
def test_islamic_state_aliases_resolve_to_one_actor_named_by_country(nlp, alias):
    assert _actors(nlp, f"{alias} claimed the attack.", "IQ")[0] == (
        "Islamic State (Iraq)",
        "Rebel group",
    )


def test_lower_case_is_is_not_islamic_state(nlp):
    assert _actors(nlp, "The road is closed.", "IQ") == []


def test_islamic_state_provinces_are_named_as_such(nlp):
    assert _actors(nlp, "ISWAP fighters", "NG")[0][0] == "Islamic State (West Africa)"
    names = [n for n, _ in _actors(nlp, "fighters of the Islamic State Khorasan Province", "AF")]
    assert "Islamic State (Afghanistan)" in names
    # an offshoot named with its country: "a Daesh offshoot in Egypt"
    assert _actors(nlp, "A Daesh offshoot in Egypt claimed it.", None)[0][0] == (
        "Islamic State (Egypt)"
    )


def test_demonyms_and_institutions_resolve_to_state_forces(nlp):
    assert _actors(nlp, "the Nigerian Air Force bombed", "NG")[0] == (
        "Military Forces of Nigeria",
        "State forces",
    )
    assert _actors(nlp, "Iraqi police arrested", "IQ")[0] == (
        "Police Forces of Iraq",
        "State forces",
    )
    assert _actors(nlp, "the army of Mali", "ML")[0][0] == "Military Forces of Mali"


def test_foreign_forces_are_external_or_other_forces(nlp):
    # ACLED codes a state's forces acting in another country as External/Other forces
    assert _actors(nlp, "Turkish forces shelled", "SY")[0] == (
        "Military Forces of Turkey",
        "External/Other forces",
    )
    assert _actors(nlp, "Turkish forces shelled", "TR")[0][1] == "State forces"


def test_generic_nouns_take_the_event_country(nlp):
    assert _actors(nlp, "gunmen killed three villagers", "KE") == [
        ("Unidentified Armed Group (Kenya)", "Political militia"),
        ("Civilians (Kenya)", "Civilians"),
    ]
    assert _actors(nlp, "protesters marched", "KE") == [("Protesters (Kenya)", "Protesters")]
    # no country known: the bare ACLED label
    assert _actors(nlp, "rioters burned tyres", None) == [("Rioters", "Rioters")]


def test_a_currency_is_not_a_nationality_or_a_place(nlp):
    # "the US dollar exchange rate" in a note about Lebanon names no American actor or place
    finder = _finder(nlp)
    doc = nlp("Traders protesting the soaring US dollar exchange rate closed a highway.")
    assert finder.countries_in(doc) == []
    assert finder.currency_spans(doc) == [(doc[4].idx, doc[4].idx + 2)]
    assert _actors(nlp, "Rioters protesting the soaring US dollar rate", "LB")[0] == (
        "Rioters (Lebanon)",
        "Rioters",
    )
    # the country itself is still a country
    assert [c.code for c in finder.countries_in(nlp("US forces shelled the town."))] == ["US"]


def test_unnamed_rebels_are_a_rebel_group_and_gunmen_are_not(nlp):
    # ACLED's actor type follows what the group is: rebels fight the state (Rebel group);
    # gunmen nobody names are an unidentified armed group (Political militia)
    assert _actors(nlp, "opposition rebels shelled the town", "SY")[0] == (
        "Opposition Rebels (Syria)",
        "Rebel group",
    )
    assert _actors(nlp, "rebels attacked the convoy", "CF")[0][1] == "Rebel group"
    assert _actors(nlp, "gunmen attacked the convoy", "CF")[0][1] == "Political militia"


def test_words_inside_an_organisation_name_are_no_civilians(nlp):
    # "the Children of Fire initiative" is a group, not children
    types = [t for _, t in _actors(nlp, "the children of fire initiative burned a mall", "TR")]
    assert "Civilians" not in types
    assert _actors(nlp, "children of the village were hurt", "TR")[0][1] == "Civilians"


def test_private_guards_are_private_security_forces_not_police(nlp):
    assert _actors(nlp, "private security guards beat a man", "LR")[0] == (
        "Private Security Forces (Liberia)",
        "External/Other forces",
    )
    assert _actors(nlp, "security guards beat a man", "LR")[0][1] == "State forces"


def test_anti_x_forces_are_not_x(nlp):
    names = [n for n, _ in _actors(nlp, "anti-Houthi National Resistance forces fired", "YE")]
    assert "National Resistance Forces" in names
    assert not any("Supreme Political Council" in n for n in names)


def test_country_limited_entries_apply_only_there(nlp):
    finder = _finder(nlp)
    doc = nlp("separatists shelled the town")
    m = finder.find(doc, finder.countries_in(doc))[0]
    assert finder.applies(m, "UA") and not finder.applies(m, "CM")


def test_a_country_limited_word_falls_back_to_its_generic_reading(nlp):
    finder = _finder(nlp)
    doc = nlp("militants attacked the village")
    (m,) = finder.find(doc, finder.countries_in(doc))
    in_ukraine = finder.localise(m, "UA")
    in_mali = finder.localise(m, "ML")
    assert finder.resolve(in_ukraine, "UA")[0] == "NAF: United Armed Forces of Novorossiya"
    assert finder.resolve(in_mali, "ML") == ("Unidentified Armed Group (Mali)", "Political militia")


def test_users_extend_the_dictionary_without_code(nlp, tmp_path, monkeypatch):
    user = tmp_path / "my_actors.yaml"
    user.write_text(
        yaml.safe_dump(
            {
                "groups": [
                    {"name": "Front for Testing", "type": "Rebel group", "aliases": ["the ftx"]},
                    # a user entry wins over a shipped one on a shared alias
                    {"name": "Houthi Movement", "type": "Rebel group", "aliases": ["houthis"]},
                ]
            }
        )
    )
    assert _actors(nlp, "The FTX attacked.", "ML", str(user))[0] == (
        "Front for Testing",
        "Rebel group",
    )
    assert _actors(nlp, "Houthis attacked.", "YE", str(user))[0][0] == "Houthi Movement"
    # the environment variable does the same
    monkeypatch.setenv("EVENTSCOPE_ACTORS", str(user))
    load_actors.cache_clear()
    try:
        assert any(e.name == "Front for Testing" for e in load_actors().entries)
    finally:
        monkeypatch.delenv("EVENTSCOPE_ACTORS")
        load_actors.cache_clear()


def test_a_missing_user_file_is_an_error_that_names_it(tmp_path):
    with pytest.raises(KnowledgeError, match="does not exist"):
        load_actors(str(tmp_path / "nope.yaml"))


def test_a_bad_actor_type_names_the_entry(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({"groups": [{"name": "Y", "type": "Army", "aliases": ["y"]}]}))
    with pytest.raises(KnowledgeError, match=r"groups\[0\] \(Y\)"):
        load_actors(str(bad))
