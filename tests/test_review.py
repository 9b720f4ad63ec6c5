"""An analyst's corrections keep the place consistent and never store an invalid record."""
from __future__ import annotations

import pandas as pd
import pytest

from incidents.review import changed_values, correction_problems, place_changes
from incidents.seed import read_seed_incidents


@pytest.fixture
def clash(boundaries):
    """The seed clash known only at governorate level, as a plain record."""
    row = read_seed_incidents(boundaries).query("geo_precision == 3").iloc[0]
    return {k: (None if pd.isna(v) else v) for k, v in row.items()}


def test_a_new_place_name_is_geocoded(clash, boundaries, small_gazetteer):
    changes = place_changes(clash, changed_values(clash, {"location": "Hawija"}), small_gazetteer, boundaries)
    assert (changes["adm3_pcode"], changes["geo_precision"], changes["in_kirkuk"]) == ("IQG13Q01N01", 1, True)
    assert changes["latitude"] == pytest.approx(35.32592)
    assert "Hawija" in changes["_note"]


def test_an_unknown_place_name_keeps_the_point_and_says_so(clash, boundaries, small_gazetteer):
    changes = place_changes(clash, {"location": "Nowhere-town"}, small_gazetteer, boundaries)
    assert "latitude" not in changes and "not in the gazetteer" in changes["_note"]


def test_a_new_district_places_the_incident_in_that_area(clash, boundaries, small_gazetteer):
    changes = place_changes(clash, {"adm2_pcode": "IQG13Q02"}, small_gazetteer, boundaries)
    assert (changes["admin2"], changes["adm1_pcode"], changes["geo_precision"]) == ("Daquq", "IQG13", 3)
    assert changes["latitude"] is None and changes["adm3_pcode"] is None


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        ({"event_date": "2024-13-45"}, "not a date"),
        ({"event_date": "yesterday"}, "not a date"),
        ({"geo_precision": 5}, "geo_precision"),
        ({"fatalities": -1}, "negative"),
    ],
)
def test_an_invalid_correction_is_refused_with_the_reason(clash, edit, problem):
    assert any(problem in p for p in correction_problems(clash, edit))


def test_a_valid_correction_has_no_problem(clash):
    assert correction_problems(clash, {"event_date": "2024-10-16", "time_precision": 1, "fatalities": 3}) == []


def test_unchanged_and_emptied_values_are_not_changes():
    assert changed_values({"a": "x", "b": None, "c": 2}, {"a": "x", "b": "", "c": "2"}) == {}
