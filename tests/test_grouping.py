"""Sentences -> incidents: background closes the incident being told, the headline picks the main one."""
from __future__ import annotations

from datetime import date

import pytest

from reports.facts import opens_with_background, sentence_facts, speaker
from reports.grouping import choose_main, group_sentences
from reports.sentences import split_sentences

PUBLISHED = date(2022, 2, 16)  # a Wednesday


def facts_of(text: str, published: date | None = PUBLISHED):
    _, sentences = split_sentences(text)
    return [f for s in sentences if (f := sentence_facts(s, [], published)) is not None]


@pytest.mark.parametrize(
    "text, source",
    [
        ("Two were killed, according to an Example Network reporter in Kirkuk.", "reporter"),
        ("One farmer died, as two officers quoted by AFP put it.", "afp"),
        ("He added that two more were hurt.", "he"),
        ("Three soldiers died, the army said.", "army"),
        ("A bomb went off.", None),
    ],
)
def test_speaker(text, source):
    assert speaker(text) == source


@pytest.mark.parametrize(
    "text, background",
    [
        ("Last week militants attacked a post near Daquq.", True),
        ("Three weeks ago gunmen burned a farm near Dibis.", True),
        ("In March, a mine hurt three herders.", True),
        ("The pipeline has been hit before.", True),
        ("Militants seized the village, which troops had taken earlier this month.", False),  # a detail, deep in the sentence
    ],
)
def test_opens_with_background(text, background):
    assert opens_with_background(text) is background


def test_the_day_a_source_spoke_is_not_the_event_date():
    (fact,) = facts_of("Police told reporters on Tuesday that gunmen had killed a farmer near Daquq.")
    assert fact.dates == [] and fact.casualties.killed == 1


def test_a_quoted_last_night_dates_the_incident_only_as_a_last_resort():
    (fact,) = facts_of("“Gunmen stormed the village late last night and killed one man,” a resident told reporters.")
    assert fact.dates == [] and [d.surface for d in fact.quoted_dates] == ["last night"]


def test_the_attackers_claim_gives_no_number():
    (fact,) = facts_of("In a statement on its channels, ISIS said its fighters had killed nine policemen.")
    assert fact.casualties.killed is None
    assert "claimed by the attackers" in fact.casualties.reasons[0]


def test_background_closes_the_incident_so_its_tolls_are_not_added():
    text = (
        "Gunmen attacked a police checkpoint late on Monday, killing two policemen.\n"
        "Last week there were three raids on farms in the area.\n"
        "The attack on a farm left three civilians dead.\n"
    )
    groups = group_sentences(facts_of(text))
    assert [sum(f.casualties.killed or 0 for f in group) for group in groups] == [2, 3]


def test_another_day_with_a_toll_of_its_own_is_another_incident():
    text = (
        "A roadside bomb killed two soldiers on Monday.\n"
        "Late on Saturday, militants attacked a post, killing a policeman.\n"
    )
    assert len(group_sentences(facts_of(text))) == 2


def test_a_comment_on_the_incident_told_is_no_incident_of_its_own():
    text = "A bomb killed two people on Monday.\nIt was the first such bombing since October 16.\n"
    assert len(group_sentences(facts_of(text))) == 1


def test_the_headline_decides_the_main_incident_even_when_it_is_told_second():
    text = (
        "A roadside bomb killed two soldiers near Baqubah on Wednesday.\n"
        "Also on Wednesday, a suicide bomber killed 12 mourners at a funeral.\n"
    )
    groups = group_sentences(facts_of(text))
    headline = facts_of("Suicide bomber kills 12 at funeral.")[0]
    assert len(groups) == 2 and choose_main(groups, headline) == 1
    assert choose_main(groups, None) == 0
