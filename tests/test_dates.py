"""Date phrases resolved against a publication date (table-driven)."""
from __future__ import annotations

from datetime import date

import pytest

from reports.dates import find_dates, parse_published, week_middle

FRIDAY = date(2024, 10, 18)


@pytest.mark.parametrize(
    "text, expected, precision",
    [
        ("on October 18, 2024", "2024-10-18", 1),
        ("on Oct. 3, 2023", "2023-10-03", 1),
        ("on 12 June 2023", "2023-06-12", 1),
        ("on 21/08/2022", "2022-08-21", 1),
        ("on 2024-07-14", "2024-07-14", 1),
        ("on the night of October 18", "2024-10-18", 1),
        ("on Friday, 7 July 2023", "2023-07-07", 1),
        ("on Wednesday night", "2024-10-16", 1),
        ("on Friday", "2024-10-18", 1),
        ("last Friday", "2024-10-11", 1),
        ("late on Sunday", "2024-10-13", 1),
        ("yesterday", "2024-10-17", 1),
        ("last night", "2024-10-17", 1),
        ("the day before yesterday", "2024-10-16", 1),
        ("two days ago", "2024-10-16", 1),
        ("today", "2024-10-18", 1),
        ("last week", "2024-10-10", 2),
        ("earlier this week", "2024-10-17", 2),
        ("earlier this month", "2024-10-15", 3),
        ("last month", "2024-09-15", 3),
        ("in September", "2024-09-15", 3),
        ("in mid-October 2023", "2023-10-15", 3),
    ],
)
def test_phrases_resolve_against_the_publication_date(text, expected, precision):
    (mention,) = find_dates(text, FRIDAY)
    assert (mention.date.isoformat(), mention.precision) == (expected, precision)


def test_a_day_and_month_without_year_takes_the_latest_year_not_after_publication():
    (mention,) = find_dates("on December 28", date(2023, 1, 2))
    assert mention.date == date(2022, 12, 28)


@pytest.mark.parametrize("text", ["on Friday", "yesterday", "last week", "earlier this month", "on October 18"])
def test_without_a_publication_date_relative_phrases_stay_unresolved_with_a_reason(text):
    (mention,) = find_dates(text, None)
    assert mention.date is None and mention.reason


def test_a_year_alone_dates_nothing():
    (mention,) = find_dates("declared defeated in 2017", FRIDAY)
    assert (mention.kind, mention.date) == ("year", None)


@pytest.mark.parametrize("text", ["militants may return", "a march through the city", "4 km west of Hawija"])
def test_ordinary_words_are_not_dates(text):
    assert [m for m in find_dates(text, FRIDAY) if m.kind != "year"] == []


def test_several_dates_come_back_in_text_order():
    surfaces = [m.surface for m in find_dates("on Wednesday night ... on the night of October 18", FRIDAY)]
    assert surfaces == ["Wednesday night", "October 18"]


def test_a_week_is_dated_by_its_thursday():
    assert week_middle(date(2024, 10, 20)) == date(2024, 10, 17)


def test_a_bad_publication_date_says_the_expected_form():
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_published("18/10/2024")
