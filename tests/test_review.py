"""An analyst's corrections keep the place consistent and never store an invalid record."""
from __future__ import annotations

import pandas as pd
import pytest

from incidents.review import changed_values, correct_incident, correct_preview, correction_problems, place_changes
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


# --- One correction for both pages: correct_incident (Review) and correct_preview (Add a report)


def test_a_correction_geocodes_joins_and_checks_in_one_step(clash, boundaries, small_gazetteer):
    correction = correct_incident(clash, {"location": "Hawija", "fatalities": 3}, small_gazetteer, boundaries)
    assert (correction.changes["adm2_pcode"], correction.changes["geo_precision"], correction.changes["fatalities"]) == ("IQG13Q01", 1, 3)
    assert correction.problems.empty and "Hawija" in correction.note


def test_a_correction_with_an_unknown_pcode_is_refused_in_fixed_words(clash, boundaries, small_gazetteer):
    correction = correct_incident(clash, {"adm3_pcode": "<script>x</script>"}, small_gazetteer, boundaries)
    assert correction.problems["value"].tolist() == ["<script>x</script>"]
    assert correction.summary.startswith("adm3_pcode is not an ADM3 pcode") and "<" not in correction.summary


@pytest.fixture
def previewed(boundaries):
    """The seed incident that needs review (the clash), as Add a report's table holds it."""
    seed = read_seed_incidents(boundaries)
    return seed[seed["needs_review"]].reset_index(drop=True)


def test_an_edited_location_in_the_preview_is_placed_like_a_review_correction(previewed, boundaries, small_gazetteer):
    edited = previewed[["location", "fatalities"]].assign(location="Hawija")
    corrected = correct_preview(previewed, edited, small_gazetteer, boundaries)
    expected = correct_incident(previewed.iloc[0].to_dict(), {"location": "Hawija"}, small_gazetteer, boundaries)
    row = corrected.incidents.iloc[0]
    for column, value in expected.changes.items():
        assert row[column] == value or (pd.isna(row[column]) and value is None), column
    assert row["review_status"] == "corrected" and corrected.problems.empty
    assert corrected.notes == [f"row 1: {expected.note}"]


def test_an_unedited_preview_is_saved_as_extracted(previewed, boundaries, small_gazetteer):
    corrected = correct_preview(previewed, previewed[["location", "event_date"]], small_gazetteer, boundaries)
    pd.testing.assert_frame_equal(corrected.incidents, previewed)
    assert corrected.problems.empty and corrected.notes == []


def test_an_invalid_edit_in_the_preview_names_its_row(previewed, boundaries, small_gazetteer):
    corrected = correct_preview(previewed, previewed[["event_date"]].assign(event_date="2024-7-5"), small_gazetteer, boundaries)
    assert corrected.problems[["row", "column", "value"]].values.tolist() == [[1, "event_date", "2024-7-5"]]
