"""Event types and actors from sentence cues (table-driven)."""
from __future__ import annotations

import pytest

from reports.events import EventType, choose_actors, classify_event, find_actors, is_statement
from incidents.schema import ACTORS, EVENT_TYPES


@pytest.mark.parametrize(
    "text, sub_event_type",
    [
        ("Kurdish security forces clashed with ISIS fighters", "Armed clash"),
        ("a clash with ISIS militants after Iraqi air forces bombarded their positions", "Armed clash"),
        ("Iraqi forces recovered the bodies of four ISIS fighters following an airstrike", "Air/drone strike"),
        ("a roadside bomb struck their patrol", "Remote explosive/landmine/IED"),
        ("a suicide bomber blew himself up at a checkpoint", "Suicide bomb"),
        ("two mortar shells landed near the town", "Shelling/artillery/missile attack"),
        ("threw a hand grenade at the house", "Grenade"),
        ("gunmen kidnapped three truffle hunters", "Abduction/forced disappearance"),
        ("gunmen shot dead a village mukhtar", "Attack"),
        ("police arrested four suspects", "Arrests"),
        ("militants set fire to wheat fields", "Looting/property destruction"),
        ("security forces defused two IEDs", "Other"),
    ],
)
def test_sub_event_types(text, sub_event_type):
    event = classify_event(text)
    assert event.sub_event_type == sub_event_type
    assert event.sub_event_type in EVENT_TYPES[event.event_type]


def test_no_cue_gives_other_with_no_cue_words():
    assert classify_event("the governor visited the city") == EventType("Strategic developments", "Other", ())


@pytest.mark.parametrize(
    "text, actors",
    [
        ("A Kurdish security officer was killed during a clash with ISIS militants", ["Kurdistan Region Security (Asayish)", "Islamic State"]),
        ("Peshmerga forces repelled a Daesh attack", ["Peshmerga", "Islamic State"]),
        ("PMF fighters and federal police", ["Popular Mobilization Forces", "Iraqi Federal Police"]),
        ("unidentified gunmen killed two farmers", ["Unidentified armed group", "Civilians"]),
        ("This is a test of the system", []),
    ],
)
def test_actors_in_order_of_mention(text, actors):
    assert find_actors(text) == actors
    assert set(actors) <= set(ACTORS)


def test_explosions_put_the_attacker_first_even_when_unnamed():
    event = EventType("Explosions/Remote violence", "Remote explosive/landmine/IED", ("roadside bomb",))
    assert choose_actors(event, ["Iraqi Army"]) == ("Unidentified armed group", "Iraqi Army")


@pytest.mark.parametrize(
    "clause, statement",
    [
        ("the agency vowed", True),
        ("the statement read", True),
        ("A United Nations report estimated that ISIS's strength had dwindled", True),
        ("the command announced that two soldiers were martyred", False),
        ("two soldiers were killed", False),
    ],
)
def test_statements(clause, statement):
    assert is_statement(clause) is statement
