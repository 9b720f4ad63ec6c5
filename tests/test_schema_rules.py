"""The schema's rules, shared by imports, reports and review corrections: ISO dates from 1900
to a year ahead, counts of people up to 100,000, pcodes that exist, precision 1 with a point."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from importers import read_generic_csv
from incidents.review import boundary_pcodes, correction_problems
from incidents.schema import MAX_COUNT, conform, date_problem, last_valid_date, placement_problems, validation_problems
from incidents.seed import read_seed_incidents

TODAY = date(2025, 3, 1)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("2024-07-05", None),
        ("1900-01-01", None),
        ("2026-03-01", None),  # today + 1 year
        ("1989-01-01", None),  # UCDP GED's first year
        (None, None),
        ("", None),
        ("2024-7-5", "is not a date"),
        ("05/07/2024", "is not a date"),
        ("2024-02-30", "is not a date"),
        ("yesterday", "is not a date"),
        ("2024-07-05T10:00", "is not a date"),
        ("1899-12-31", "is out of range"),
        ("0999-01-01", "is out of range"),
        ("2026-03-02", "is out of range"),
        ("9999-12-31", "is out of range"),
    ],
)
def test_dates_are_iso_and_from_1900_to_a_year_ahead(value, problem):
    found = date_problem(value, TODAY)
    assert (found is None) if problem is None else (problem in found)


def test_a_year_ahead_of_a_leap_day_is_the_last_of_february():
    assert last_valid_date(date(2028, 2, 29)) == date(2029, 2, 28)


@pytest.fixture
def clash(boundaries) -> dict:
    """The seed clash known only at governorate level, as a plain record."""
    row = read_seed_incidents(boundaries).query("geo_precision == 3").iloc[0]
    return {k: (None if pd.isna(v) else v) for k, v in row.items()}


@pytest.mark.parametrize(
    ("edit", "column", "reason"),
    [
        ({"event_date": "2024-7-5"}, "event_date", "is not a date"),
        ({"event_date": "9999-12-31"}, "event_date", "is out of range"),
        ({"event_date": "0999-01-01"}, "event_date", "is out of range"),
        ({"report_date": "3000-01-01"}, "report_date", "is out of range"),
        ({"adm3_pcode": "<script>x</script>"}, "adm3_pcode", "is not an ADM3 pcode"),
        ({"adm2_pcode": "IQG13Q01N01"}, "adm2_pcode", "is not an ADM2 pcode"),  # a sub-district is not a district
        ({"adm1_pcode": "IQG99"}, "adm1_pcode", "is not an ADM1 pcode"),
        ({"fatalities": 10**15}, "fatalities", "must be at most 100,000"),
        ({"wounded": MAX_COUNT + 1}, "wounded", "must be at most 100,000"),
        ({"arrested": -1}, "arrested", "must not be negative"),
        ({"abducted": 100_001}, "abducted", "must be at most 100,000"),
        ({"geo_precision": 1, "latitude": None, "longitude": None}, "geo_precision", "needs a point"),
        ({"event_type": "Battles", "sub_event_type": "Suicide bomb"}, "sub_event_type", "is not a sub-event type"),
        ({"time_precision": 4}, "time_precision", "must be 1, 2 or 3"),
    ],
)
def test_an_invalid_correction_names_the_column_and_the_rule(clash, boundaries, edit, column, reason):
    problems = correction_problems(clash, edit, boundary_pcodes(boundaries))
    assert any(p.startswith(column) and reason in p for p in problems), problems


@pytest.mark.parametrize(
    "edit",
    [
        {"event_date": "1989-01-01"},
        {"adm1_pcode": "IQG13"},
        {"adm1_pcode": "IQG10"},  # a neighbouring governorate is a real unit too
        {"adm2_pcode": "IQG13Q02"},
        {"adm3_pcode": "IQG13Q01N01"},
        {"fatalities": MAX_COUNT, "wounded": 0},
        {"geo_precision": 1, "latitude": 35.47, "longitude": 44.39},
    ],
)
def test_a_valid_correction_has_no_problem(clash, boundaries, edit):
    assert correction_problems(clash, edit, boundary_pcodes(boundaries)) == []


def test_placement_problems_are_listed_for_every_row(boundaries):
    frame = conform(pd.DataFrame({
        "adm1_pcode": ["IQG13", "X", None], "adm3_pcode": [None, None, "Y"],
        "geo_precision": [1, 3, 1], "latitude": [None, None, 35.0], "longitude": [None, None, 44.0],
    }))
    problems = placement_problems(frame, boundary_pcodes(boundaries))
    assert sorted(zip(problems["row"], problems["column"])) == [(0, "geo_precision"), (1, "adm1_pcode"), (2, "adm3_pcode")]


def test_an_import_rejects_dates_and_counts_by_the_same_rules(tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "event_date,event_type,sub_event_type,location,latitude,longitude,fatalities\n"
        "2024-07-14,Battles,Armed clash,Daquq,35.14,44.45,2\n"
        f"{last_valid_date().replace(day=1).year + 1}-01-01,Battles,Armed clash,Daquq,35.14,44.45,2\n"
        "1995-06-01,Battles,Armed clash,Daquq,35.14,44.45,200000\n",
        encoding="utf-8",
    )
    result = read_generic_csv(sheet)
    assert len(result.incidents) == 1
    reasons = dict(zip(result.rejects["line"], result.rejects["reason"]))
    assert "is out of range" in reasons[3] and "must be at most 100,000" in reasons[4]


def test_validation_problems_still_lists_every_problem_at_once():
    frame = conform(pd.DataFrame({
        "incident_id": ["a", "b"], "event_date": ["2024-07-14", "1850-01-01"], "time_precision": [1, 1],
        "event_type": ["Battles", "Battles"], "sub_event_type": ["Armed clash", "Armed clash"],
        "location": ["Daquq", "Daquq"], "geo_precision": [3, 3], "fatalities": [1, 100_001],
        "needs_review": [False, False], "review_status": ["unreviewed", "unreviewed"],
    }))
    problems = validation_problems(frame)
    assert sorted(zip(problems["row"], problems["column"])) == [(1, "event_date"), (1, "fatalities")]
