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
