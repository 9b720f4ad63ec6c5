"""A news page read as the extractor needs it: chrome, captions and datelines apart, the headline picked."""
from __future__ import annotations

import pytest

from reports.page import choose_headline, find_paragraph_dateline, is_caption, is_chrome, is_date_line, read_page
from reports.sentences import Sentence


@pytest.mark.parametrize(
    "line",
    [
        "Monday, 21 September 2020",  # a site header date
        "• Saturday, 18 January 2025",
        "Updated at 9:12, June 13",
        "by Example Staff, October 23, 2016",
        "Last Update: 2023-05-02 08:15:40 - Source: Example News",
        "Tuesday, March 3, 2015; Page B2",
        "03-11-2018 2 Comments",
        "File photo: police vehicles in Hawija. (Photo: Example Agency)",
        "Archival photo.",
        "Smoke over the market after the blast [Reuters]",
        "A+ A-",
        "Home",
        "Read more: Floods close roads in the south",
        "Source: Agencies",
        '<p style="text-align:left">',
    ],
)
def test_page_chrome_is_recognised(line):
    assert is_chrome(line)


@pytest.mark.parametrize(
    "line",
    [
        "Motorcycle bomb kills three near Kirkuk market",
        "Two soldiers killed in Hawija on Monday",
        "Gunmen attacked a checkpoint north of Kirkuk late on Monday, killing two policemen.",
        "Source: three soldiers killed in an attack near Baiji",  # a headline that opens with "Source:"
    ],
)
def test_headlines_and_sentences_are_not_chrome(line):
    assert not is_chrome(line)


def test_date_lines_and_captions():
    assert is_date_line("Tuesday, 4 May 2021 09:40 AM") and not is_date_line("Bomb kills two on Sunday")
    assert is_caption("Kirkuk city. (Photo: Example)") and not is_caption("Police photographed the scene.")


@pytest.mark.parametrize(
    "paragraph, place",
    [
        ("ERBIL, Kurdistan Region – A bomb went off.", "ERBIL"),
        ("BAGHDAD (Reuters) - Two soldiers were killed.", "BAGHDAD"),
        ("MOSUL, Jan. 4 -- A mortar round fell on a market.", "MOSUL"),
        ("KIRKUK / ExampleNews.com: On Tuesday a bomb went off.", "KIRKUK"),
        ("SULAIMANI (ESTA) — Warplanes struck a hideout.", "SULAIMANI"),
        ("LONDON: On Saturday gunmen attacked a post.", "LONDON"),
        ("( Salahuddin – A police source said a bomb went off.", "Salahuddin"),
        ("Example News/ A security source said a bomb went off.", None),  # an agency, not a place
    ],
)
def test_datelines(paragraph, place):
    found, length = find_paragraph_dateline(paragraph)
    assert found == place and length > 0


@pytest.mark.parametrize(
    "paragraph",
    ["Islamic State (ISIS) militants attacked a village.", "Two soldiers were killed - police said.", "Police said so."],
)
def test_sentences_that_only_look_like_datelines(paragraph):
    assert find_paragraph_dateline(paragraph) == (None, 0)


def test_the_headline_is_the_line_that_repeats_the_lede_not_a_ticker_above_it():
    ticker = Sentence(0, 60, "Minister warns of floods Markets reopen after holiday Oil price rises", 0)
    headline = Sentence(61, 100, "Kirkuk: Kakai village attacked", 0)
    lede = "A local source said a Kakai village came under attack on Saturday."
    assert choose_headline([ticker, headline], lede) is headline


TEXT = """Saturday, March 2, 2024

Home

Bomb kills three in Kirkuk

Updated at 9:12, June 13

A boy in Hawija hurt by an old mine.

ERBIL, Kurdistan Region – A bomb went off on Friday in the Shorja neighbourhood of Kirkuk city, killing three people and wounding eleven, police said.

A bomb went off on Friday in the Shorja neighbourhood of Kirkuk city, killing three people and wounding eleven, police said.

The officer said the dead were traders.
"""


def test_a_page_keeps_its_offsets_and_blanks_what_is_not_the_story():
    page = read_page(TEXT)
    assert len(page.text) == len(TEXT)
    assert page.headline is not None and page.headline.text == "Bomb kills three in Kirkuk"
    assert page.datelines == ("ERBIL",)
    # The header date, the caption line above the first paragraph, the dateline and the repeated paragraph are gone.
    assert "March 2" not in page.text and "Hawija" not in page.text and "ERBIL" not in page.text
    assert [s.text for s in page.sentences] == [
        "A bomb went off on Friday in the Shorja neighbourhood of Kirkuk city, killing three people and wounding eleven, police said.",
        "The officer said the dead were traders.",
    ]
    for sentence in page.sentences:  # every sentence still points at the report's own words
        assert TEXT[sentence.start:sentence.end] == sentence.text
