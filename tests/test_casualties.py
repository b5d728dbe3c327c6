"""Casualty counts: ACLED's conventions on sentences a user would read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
import yaml

from eventscope.errors import KnowledgeError
from eventscope.extract.casualties import (
    Casualties,
    count_casualties,
    count_text,
    load_lexicon,
    lowest_figure,
    parse_number,
)

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ACLED = DATA / "dev" / "acled_2020_dev.jsonl"
SEED = DATA / "seed_article.txt"


@pytest.fixture(scope="module")
def nlp():
    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")
    return blank


def counts(text: str) -> tuple[int, int | None]:
    c = count_text(text)
    return c.fatalities, c.injuries


# ------------------------------------------------------------------ number words


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("11", 11),
        ("3,000", 3000),
        ("twenty-five", 25),
        ("twenty five", 25),
        ("two hundred and six", 206),
        ("one thousand", 1000),
        ("1.5 million", 1_500_000),
        ("a dozen", 12),
        ("two dozen", 24),
        ("dozens", 12),
        ("hundreds", 100),
        ("several", 10),
        ("a few", 3),
    ],
)
def test_number_words_parse(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("qexpr", "value"),
    [
        ("at least 11", 11),
        ("between 5 and 7", 5),
        ("more than 20", 20),
        ("3-4", 3),
        ("5 or 6", 5),
        ("between 43 and 52", 43),
        ("up to 20", 20),
        # "and" inside a number word is not a range
        ("two hundred and six", 206),
        ("one hundred and twenty", 120),
        ("a hundred and fifty", 150),
        ("half a dozen", 6),
        ("five and six", 5),
    ],
)
def test_lowest_reported_figure(qexpr, value):
    assert lowest_figure(qexpr) == value


# ------------------------------------------------------------------ fatalities


@pytest.mark.parametrize(
    ("text", "fatalities"),
    [
        ("Militants attacked a station on Sunday, killing at least 11 soldiers.", 11),
        ("In Casablanca in 2003, five suicide bombers killed 33 people.", 33),
        (
            "In 2011, an explosion in Marrakesh killed 17 persons, most of whom were visitors.",
            17,
        ),
        ("Gunmen killed 3 soldiers and 2 civilians near the border.", 5),
        ("3 soldiers and 2 civilians were killed near the border.", 5),
        ("The blast killed 2 people including a child.", 2),
        ("3 militants were killed in the clash.", 3),
        ("A soldier was killed by a sniper.", 1),
        ("They shot the man and fled, killing him.", 1),
        ("A farmer was found dead beside the market.", 1),
        ("Police recovered the body of a man near the river.", 1),
        ("Witnesses described the massacre of 12 villagers.", 12),
        ("Between 5 and 7 people died in the fire.", 5),
        ("The strike killed 3, with some reports saying 5.", 3),
        ("1 killed 3 injured.", 1),
        ("Twenty-five fighters lost their lives in the assault.", 25),
        ("Dozens of people were killed in the raid.", 12),
        ("An unknown number of fighters were killed.", 10),
        ("The death toll rose to 20.", 20),
        ("A suicide bomber blew himself up at a checkpoint.", 1),
        ("The attacker killed himself and 3 others.", 4),
        ("A bomb killed 11 soldiers, the deadliest attack this year.", 11),
        ("A total of 12 people were killed in the attack.", 12),
        ("ON 30 DECEMBER TERRORISTS KILLED FIVE PEASANTS.", 5),
        ("Gunmen killed two hundred and six villagers.", 206),
        ("One hundred and twenty people were killed in the raid.", 120),
        ("Militants killed half a dozen soldiers.", 6),
        ("Soldiers killed a man and wounded another in Rubaya.", 1),
        ("The police beat a young man to death in Williamsville.", 1),
        ("Troops detained and tortured a villager to death.", 1),
        ("A mob stoned two men to death.", 2),
        ("Two cattle thieves were killed by locals in the village.", 2),
        ("Gunmen killed 20 cattle in the village.", 0),
        ("Two Pakistani militants and a soldier were killed in a gun battle.", 3),
        ("Two cadres of the United Achik National Front were killed in a battle.", 2),
        ("A militant and an army soldier were killed while a jawan was injured.", 2),
        ("A trader and his daughter were killed and two others injured.", 2),
        ("A shoot-out broke out and a suspect was shot and died.", 1),
        ("Three young men were beaten and chopped to death in a feud.", 3),
        ("Militants shot a civilian in Al-Hosna, resulting in his death.", 1),
        ("A man was shot and later died of his injuries.", 1),
        # ACLED splits a toll over events; one smaller than their number still gives a death
        ("Militias clashed over land; 1 killed. Fatalities split between 2 events.", 1),
        # ACLED notes give each side's toll
        ("A clash with the ADF resulted in 25 ADF fighters and 6 military fatalities.", 31),
        # the day's figure, not the week's
        ("Gunmen killed 5 people on Sunday, bringing the death toll this week to 20.", 5),
        ("Gunmen killed 5 people on Sunday, the week's toll rising to 20.", 5),
        ("Last week gunmen killed 5 people in Borno.", 5),
        ("Militiamen clashed with the army, resulting in 2 rebel and 1 military fatality.", 3),
    ],
)
def test_fatalities(text, fatalities):
    assert count_text(text).fatalities == fatalities


@pytest.mark.parametrize(
    "text",
    [
        "Daesh reigned over over 8 million people at its peak.",
        "The assault was on a jail that held at least 3,000 Daesh inmates.",
        "The conflict has killed 10,000 people since 2015.",
        "The insurgency has killed more than 300 people, mostly civilians, since 2015.",
        "Attacks have killed 40 people so far this year.",
        "Bombings killed 25 soldiers in recent weeks.",
        "Gunmen abducted 12 passengers on the highway.",
        "Police arrested 40 protesters and seized 3 vehicles.",
        "A 22-year-old student was arrested at 3 pm.",
        "Militants in Afghanistan have increased their attacks on the Taliban.",
        "Residents protested over the killing of a student by police.",
        "Gunmen attempted to kill a commander but fled.",
        "The strikes hit targets, killing or injuring 3 militants.",
        "No casualties were reported. [size=around 50]",
        "Fighting displaced 20,000 people and destroyed 300 houses.",
    ],
)
def test_not_fatalities(text):
    assert count_text(text).fatalities == 0


def test_injuries_reported_and_not_reported():
    assert counts("A bomb exploded, killing 2 and wounding 7.") == (2, 7)
    assert counts("1 policeman was killed and 7 others were injured.") == (1, 7)
    assert counts("The attack killed 4 soldiers.") == (4, None)
    assert counts("Neither fatalities nor injuries reported.") == (0, 0)


def test_acled_coding_statements_win():
    note = (
        "On 14 June 2021, SDF units fought an ISIS cell near the dam. An unknown number of "
        "ISIS fighters died. Unknown fatalities coded as 10."
    )
    assert count_text(note).fatalities == 10
    note = (
        "On 11 March 2021, fighting broke out on four fronts. The fighting left more than 30 "
        "combatants dead. 30 fatalities split up between 4 events."
    )
    assert count_text(note).fatalities == 7
    assert count_text("A trader was shot dead by passing riders. 1 fatality.").fatalities == 1


def test_counterfactual_and_earlier_deaths_do_not_count():
    assert (
        count_text(
            "Had the timer not failed, the truck bomb would have killed at least 2,000 people."
        ).fatalities
        == 0
    )
    note = (
        "On 19 February 2021, marchers scuffled at a commemoration for people killed in the "
        "town on 19 February 2015."
    )
    assert count_text(note).fatalities == 0
    assert count_text("The man had been killed by rivals before the raid.").fatalities == 0


def test_protest_over_a_death_codes_no_fatality_for_the_protest():
    text = (
        "Mourners stopped officers from removing the body of a youth they said was killed by "
        "police. The crowd carried the body to the district office."
    )
    assert count_text(text, event_kind="Protests").fatalities == 0
    # the same words in a violent event: the body found is a death of this event
    assert count_text("Police recovered the body of a man near the river.").fatalities == 1
    # a protester killed during the protest still counts
    shot = "Police fired on the demonstrators, killing 2 protesters."
    assert count_text(shot, event_kind="Protests").fatalities == 2


def test_irregular_plurals_are_not_one_victim():
    text = "Scuffles erupted at a commemoration service for people killed in the village."
    assert count_text(text).fatalities == 0


def test_people_of_any_kind_can_be_victims():
    assert (
        count_text(
            "An intruder opened fire in the clinic, killing six patients and a nurse."
        ).fatalities
        == 7
    )
    assert (
        count_text("Guards killed one inmate and 11 prisoners were also killed.").fatalities == 12
    )
    assert count_text("Detectives executed a warrant at the suspect's flat.").fatalities == 0


def test_no_one_hurt_is_zero_not_one():
    assert count_text("A bomb exploded near the market but no one was injured.").injuries == 0
    assert count_text("No-one was killed in the blast.").fatalities == 0


def test_alternative_figures_for_the_same_victims_keep_the_lowest():
    text = "The army said 9 rebels were killed, but a local official said 8 died."
    assert count_text(text).fatalities == 8
    assert count_text("3 soldiers were killed and 2 more died later in hospital.").fatalities == 5


def test_group_nouns_and_anaphora():
    assert count_text("The couple were found dead in their truck.").fatalities == 2
    text = "Four officers and a tourist were killed; it is unclear if all five were killed there."
    assert count_text(text).fatalities == 5


def test_crowd_size_is_not_a_count():
    assert count_text("Residents protested against the curfew. [size=around 50]").fatalities == 0


def test_evidence_spans_point_at_the_figure(nlp):
    doc = nlp("Officials met on Monday. A bomb killed at least 11 soldiers and wounded 4.")
    span = list(doc.sents)[1]
    c = count_casualties(span)
    assert isinstance(c, Casualties)
    assert (c.fatalities, c.injuries) == (11, 4)
    assert [doc.text[a:b] for a, b in c.fatality_spans] == ["at least 11"]
    assert [doc.text[a:b] for a, b in c.injury_spans] == ["4"]


def test_toll_in_the_next_sentence_of_the_story(nlp):
    doc = nlp("Gunmen stormed a village on Sunday. Three people were killed.\n\nTalks resumed.")
    first = list(doc.sents)[0]
    c = count_casualties(first)
    assert c.fatalities == 3
    assert [doc.text[a:b] for a, b in c.fatality_spans] == ["Three"]


def test_no_toll_borrowed_from_an_unrelated_sentence(nlp):
    doc = nlp("Gunmen stormed a village on Sunday. Elsewhere, a bomb killed 4 soldiers.")
    assert count_casualties(list(doc.sents)[0]).fatalities == 0
    doc = nlp("Gunmen stormed a village on Sunday.\n\nThree people were killed in a crash.")
    assert count_casualties(list(doc.sents)[0]).fatalities == 0  # another paragraph


def test_victims_also_hit_in_the_next_sentence_add(nlp):
    doc = nlp(
        "On 12 June, 2 guards were killed and 8 were wounded in an ambush. "
        "Local officials said that 3 attackers were also killed. Talks resumed."
    )
    c = count_casualties(list(doc.sents)[0])
    assert (c.fatalities, c.injuries) == (5, 8)
    assert [doc.text[a:b] for a, b in c.fatality_spans] == ["2", "3"]


def test_coordinated_toll_clauses_are_one_event(nlp):
    doc = nlp("On 17 July, 4 rebels were killed and 9 were wounded by a drone strike in Kunduz.")
    second = doc[9:]  # "9 were wounded by a drone strike in Kunduz."
    assert second.text.startswith("9 were")
    c = count_casualties(second)
    assert (c.fatalities, c.injuries) == (4, 9)
    first = doc[:9]  # "On 17 July, 4 rebels were killed and"
    assert (count_casualties(first).fatalities, count_casualties(first).injuries) == (4, 9)


def test_coordinated_list_of_victims(nlp):
    doc = nlp(
        "3 guards and 1 sergeant were killed and another injured when a mine hit their convoy."
    )
    injured = doc[7:]  # "and another injured when ..."
    assert injured.text.startswith("and another")
    c = count_casualties(injured)
    assert (c.fatalities, c.injuries) == (4, 1)


def test_a_killing_clause_is_not_lent_to_another_event(nlp):
    doc = nlp("Gunmen attacked a post, killing 3, and police arrested 5 suspects.")
    arrest = doc[9:]  # "police arrested 5 suspects."
    assert arrest.text.startswith("police")
    assert count_casualties(arrest).fatalities == 0


def test_clause_takes_the_toll_of_its_sentence(nlp):
    doc = nlp("Troops and rebels exchanged fire near the river, and one rebel was killed.")
    clause = doc[:9]  # "Troops and rebels exchanged fire near the river,"
    assert count_casualties(clause).fatalities == 1


def test_acled_note_with_a_coding_statement_is_counted_whole(nlp):
    doc = nlp(
        "On 14 August 2021, in Irapuato, a woman was found dead on a dirt road near El Carmen. "
        "Her hands had been tied. 1 fatality."
    )
    first = list(doc.sents)[0]
    c = count_casualties(first)
    assert c.fatalities == 1
    assert [doc.text[a:b] for a, b in c.fatality_spans] == ["1 fatality"]


# ------------------------------------------------------------------ lexicon


def test_every_lexicon_entry_parses():
    lex = load_lexicon()
    for word, value in lex.vague.items():
        assert parse_number(word, lex) == value, word
    for word, value in {**lex.units, **lex.tens}.items():
        assert parse_number(word, lex) == value, word
    for key, words in lex.lists.items():
        assert words and all(w == w.lower() and w.strip() for w in words), key


def test_every_passive_casualty_verb_counts():
    lex = load_lexicon()
    participles = [
        v for v in lex.words("fatal_verbs") if v.endswith(("ed", "dead", "death", "down", "slain"))
    ]
    assert len(participles) > 15
    for verb in sorted(participles):
        assert count_text(f"4 villagers were {verb} in the raid.").fatalities == 4, verb
    for verb in sorted(v for v in lex.words("injury_verbs") if v.endswith(("ed", "hurt"))):
        assert count_text(f"4 villagers were {verb} in the raid.").injuries == 4, verb


def test_bad_lexicon_names_file_and_entry(tmp_path):
    shipped = yaml.safe_load(
        (Path(__file__).resolve().parents[1] / "src/eventscope/data/numbers.yaml").read_text()
    )
    shipped["vague"]["dozens"] = "twelve"
    bad = tmp_path / "numbers.yaml"
    bad.write_text(yaml.safe_dump(shipped))
    with pytest.raises(KnowledgeError, match=r"numbers\.yaml.*dozens"):
        load_lexicon(str(bad))


# ------------------------------------------------------------------ dev data and model


@pytest.mark.devdata
@pytest.mark.skipif(not ACLED.exists(), reason="../shared/data (ACLED dev notes) is absent")
def test_acled_dev_fatalities_exact_rate():
    rows = [json.loads(line) for line in ACLED.open(encoding="utf-8")]
    ok = sum(count_text(r["text"]).fatalities == r["gold"]["events"][0]["fatalities"] for r in rows)
    # target 0.93; measured 0.987 when this test was written
    assert ok / len(rows) >= 0.95


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "fatalities", "injuries"),
    [
        ("Gunmen shot dead Juan Perez outside his home in Culiacan on Sunday.", 1, None),
        ("Viktor Sokolov, the Russian consul, was gunned down at a gallery opening.", 1, None),
        ("Maria Lopez was wounded during the shooting.", 0, 1),
        ("Protesters demanded justice for the killing of George Floyd.", 0, None),
        ("John Smith said 3 soldiers were killed.", 3, None),  # the speaker is no victim
    ],
)
def test_named_victims_with_the_model(text, fatalities, injuries):
    from eventscope.nlp import load_nlp

    doc = load_nlp()(text)
    c = count_casualties(doc[:])
    assert (c.fatalities, c.injuries) == (fatalities, injuries)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "fatalities"),
    [
        # victims' noun phrases too long or too odd for the patterns: the parse reads them
        ("Two police officers from an anti-narcotics task force were killed in Muse.", 2),
        ("At least 22 TTP and other militants were killed after jets struck hideouts.", 22),
        ("28 suspected TTP/LEI militants were killed in airstrikes in the Tirah Valley.", 28),
        ("A fugitive from the penitentiary system was killed after exchanging fire.", 1),
        ("No one was killed when the bomb went off.", 0),
        ("An official of the Counter Terrorism Department was shot dead near his house.", 1),
        ("A leader of the local party unit was gunned down in Karachi.", 1),
        ("A jawan of 24 AR troopers was killed in an ambush.", 1),  # 24 names the unit
        ("An old man's body was found in Al-Maabdaa with gunshot marks on his head.", 1),
        ("A shoot-out broke out and a police officer was shot in the forehead and died.", 1),
        ("Unidentified gunmen shot dead a regime's 1st lieutenant in Dar'a.", 1),
        ("An MQM worker was driving in Orangi when he was targeted and killed by gunmen.", 1),
        ("A newly elected Sarpanch has reportedly been killed by the Naxals in Dantewada.", 1),
    ],
)
def test_victims_read_from_the_parse(text, fatalities):
    from eventscope.nlp import load_nlp

    doc = load_nlp()(text)
    assert count_casualties(doc[:]).fatalities == fatalities


@pytest.mark.model
def test_toll_clause_before_a_perfect_infinitive():
    # "believed to have been fired" is no ongoing activity: the shelling's clause still takes
    # the toll clause coordinated before it
    from eventscope.nlp import load_nlp

    text = (
        "Two children were killed and 11 people injured when a shell believed to have been"
        " fired by government forces exploded in a crowded market."
    )
    doc = load_nlp()(text)
    start = next(t.i for t in doc if t.text == "11")
    c = count_casualties(doc[start:])
    assert (c.fatalities, c.injuries) == (2, 11)


@pytest.mark.model
def test_toll_clause_the_patterns_miss_counts_for_the_coordinated_clause():
    from eventscope.nlp import load_nlp

    text = (
        "At least eight suspected TTP and LeI militants were killed and 11 others injured when"
        " fighter planes bombed their hideouts in the Tirah valley."
    )
    doc = load_nlp()(text)
    start = next(t.i for t in doc if t.text == "11")
    assert count_casualties(doc[start:]).fatalities == 8


@pytest.mark.model
@pytest.mark.skipif(not SEED.exists(), reason="../shared/data/seed_article.txt is absent")
def test_seed_article_with_the_model():
    from eventscope.nlp import load_nlp

    doc = load_nlp()(SEED.read_text(encoding="utf-8"))
    by_start = {s.text.strip()[:40]: count_casualties(s) for s in doc.sents}

    def find(prefix: str) -> Casualties:
        return next(c for k, c in by_start.items() if k.startswith(prefix))

    assert find("A Daesh offshoot").fatalities == 11
    assert find("In Casablanca").fatalities == 33
    assert find("In 2011").fatalities == 17
    assert find("Daesh reigned").fatalities == 0
    assert find("Its regional attacks").fatalities == 0
    afghan = find("Daesh militants in Afghanistan")
    assert (afghan.fatalities, afghan.injuries) == (0, None)


@pytest.mark.model
def test_attackers_also_gunned_down_count_among_the_dead():
    # ACLED counts the perpetrators killed among an event's fatalities
    from eventscope.nlp import load_nlp

    doc = load_nlp()(
        "Three policemen and a civilian were killed when two militants attacked a police"
        " station in Kathua. The two attackers were also gunned down after a siege."
    )
    assert count_casualties(next(iter(doc.sents))).fatalities == 6
