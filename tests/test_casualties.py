"""Casualty counts from sentences: number words, sides, vague words (table-driven)."""
from __future__ import annotations

import pytest

from reports.casualties import Casualties, count_casualties, merge_casualties, parse_number


@pytest.mark.parametrize(
    "sentence, field, value",
    [
        ("Two soldiers were killed.", "killed", 2),
        ("A Kurdish security officer was killed during a clash.", "killed_security_forces", 1),
        ("the bodies of four ISIS fighters were recovered", "killed_militants", 4),
        ("resulting in the death of a security officer and the injury of another", "wounded", 1),
        ("One ISIS fighter was killed, and another was captured.", "arrested", 1),
        ("Gunmen killed two shepherds and wounded a dozen villagers.", "wounded", 12),
        ("Gunmen killed two shepherds and wounded a dozen villagers.", "killed_civilians", 2),
        ("The blast left three people dead and 12 wounded.", "killed", 3),
        ("Police arrested twenty-one suspects.", "arrested", 21),
        ("IS militants kidnapped four truffle hunters.", "abducted", 4),
        ("At least five militants were killed.", "killed", 5),
        ("four militants and a soldier were killed", "killed", 5),
        ("two other Asayish personnel were wounded", "wounded", 2),
        ("Between four and six militants were killed.", "killed_high", 6),
        ("The bomber and one PMF fighter were killed", "killed", 2),
        ("The bomber and one PMF fighter were killed", "killed_militants", 1),
        ("The gunman and two policemen were killed.", "killed", 3),
        ("The soldiers and two civilians were killed.", "killed", 2),
    ],
)
def test_counts(sentence, field, value):
    assert getattr(count_casualties(sentence), field) == value


@pytest.mark.parametrize("sentence", ["Several ISIS fighters were killed.", "Dozens of militants were killed."])
def test_vague_words_give_no_number_and_a_reason(sentence):
    casualties = count_casualties(sentence)
    assert casualties.killed is None
    assert "vague casualties" in casualties.reasons[0]


@pytest.mark.parametrize("sentence", ["No casualties were reported.", "It caused no injuries.", "no one was hurt"])
def test_no_casualties_is_recorded(sentence):
    casualties = count_casualties(sentence)
    assert casualties.none_reported and casualties.killed is None


@pytest.mark.parametrize("sentence", ["Security in the province has improved.", "The wounded were taken to hospital."])
def test_sentences_without_counts_give_nothing(sentence):
    assert not count_casualties(sentence).any


def test_restated_casualties_are_not_added_twice():
    merged = merge_casualties([Casualties(killed=1, killed_security_forces=1), Casualties(killed=1, killed_security_forces=1, wounded=2)])
    assert (merged.killed, merged.wounded) == (1, 2)


def test_different_sides_in_different_sentences_add_up():
    merged = merge_casualties([Casualties(killed=1, killed_security_forces=1), Casualties(killed=1, killed_militants=1)])
    assert merged.killed == 2


@pytest.mark.parametrize("text, value", [("a dozen", 12), ("half a dozen", 6), ("1,500", 1500), ("ninety-nine", 99), ("several", None)])
def test_parse_number(text, value):
    assert parse_number(text) == value


# Phrases of real reporting (reports.casualty_phrases), in our own words.
@pytest.mark.parametrize(
    "sentence, killed, wounded",
    [
        ("Militants raided the post, killing a senior commander along with at least four of his men.", 5, None),
        ("Gunmen attacked a checkpoint, killing two policemen and a civilian who was driving past.", 3, None),
        ("He said the fighting cost the lives of Ali Hasan, a farmer, and of one attacker.", 2, None),
        ("A local leader, well known for his television appearances, lost his life in the clash.", 1, None),
        ("The driver of the truck blew himself up, wounding three guards.", 1, 3),
        ("Three suicide bombers detonated their vests, and guards shot one more attacker.", 3, None),
        ("On Sunday the missing farmer's corpse was found.", 1, None),
        ("Car bombs in the capital killed 12 people and wounded 40; a nurse was hurt.", 12, 40),
        ("A medic said four police officers were among those killed.", None, None),
        ("The officer said two of the dead were traders.", None, None),
        ("At least 25 cows and seven sheep were killed.", None, None),
        ("Suicide bomber kills 12 at a funeral.", 12, None),  # a headline's present tense
        ("Two soldiers die in a blast west of the town.", 2, None),
        ("Last month a roadside bomb wounded three soldiers.", None, 3),  # the bomb is not a casualty
        ("Gunmen had killed at least four guards before dawn.", 4, None),
    ],
)
def test_phrases_of_real_reports(sentence, killed, wounded):
    casualties = count_casualties(sentence)
    assert (casualties.killed, casualties.wounded) == (killed, wounded)


@pytest.mark.parametrize(
    "sentence",
    [
        "An airstrike killed at least one leader along with several escorts.",  # one and several: the total is unknown
        "A group of civilians was executed by the militants.",
        "The blasts wounded more than a dozen people.",
    ],
)
def test_vague_amounts_of_real_reports_give_no_number(sentence):
    casualties = count_casualties(sentence)
    assert casualties.killed is None and casualties.wounded is None
    assert casualties.reasons


def test_numbers_inside_dates_count_nobody():
    from reports.facts import sentence_facts
    from reports.sentences import split_sentences

    (sentence,) = split_sentences("On January 3 the strike killed the general.")[1]
    assert sentence_facts(sentence, [], None).casualties.killed is None  # not 3


def test_two_sources_that_disagree_leave_the_figure_empty_with_the_range():
    reporter = count_casualties("Four soldiers were killed.")
    wire = count_casualties("Seven soldiers were killed.")
    merged = merge_casualties([reporter, wire], ["reporter", "reuters"])
    assert merged.killed is None and (merged.killed_low, merged.killed_high) == (4, 7)
    assert any("conflicting sources" in r for r in merged.reasons)


def test_two_sources_counting_different_sides_add_up():
    reporter = count_casualties("Four soldiers were killed.")
    wire = count_casualties("A farmer also died.")
    assert merge_casualties([reporter, wire], ["reporter", "reuters"]).killed == 5


def test_one_source_restating_its_figure_is_no_conflict():
    merged = merge_casualties([count_casualties("Four soldiers were killed."), count_casualties("Four soldiers died.")],
                              ["army", "army"])
    assert merged.killed == 4
