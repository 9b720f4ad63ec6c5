"""The store answers in the database what the pages computed from every incident: the
filtered rows, the per-unit and per-month counts and the widgets' choices, on both backends."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from bench.synthetic import synthetic_incidents
from incidents.aggregate import count_by_unit, monthly_by_district as monthly_in_pandas, unit_metrics
from incidents.filters import IncidentFilter, filter_choices
from incidents.queries import counts_by_unit, monthly_by_district, read_filtered, store_filter_choices
from incidents.store import read_incidents, save_incidents

pytestmark = pytest.mark.both_backends

FILTERS = [
    IncidentFilter(),
    IncidentFilter(date_from=date(2024, 3, 1), date_to=date(2024, 9, 30), include_undated=False),
    IncidentFilter(adm2_pcodes=("IQG13Q02",), min_fatalities=1),
    IncidentFilter(event_types=("Battles",), geo_precisions=(1, 2)),
    IncidentFilter(review_states=("needs_review",)),
    IncidentFilter(min_fatalities=100_000),  # keeps none
]


@pytest.fixture
def store(engine, boundaries):
    """A store holding 400 synthetic incidents spread over Kirkuk's units, dates and types."""
    save_incidents(engine, synthetic_incidents(400, boundaries, seed=3))
    return engine


@pytest.mark.parametrize("incident_filter", FILTERS)
def test_the_database_keeps_the_rows_the_frame_filter_keeps(store, incident_filter):
    expected = incident_filter.apply(read_incidents(store)).reset_index(drop=True)
    pd.testing.assert_frame_equal(read_filtered(store, incident_filter), expected)


def test_only_the_requested_columns_come_back(store):
    frame = read_filtered(store, IncidentFilter(min_fatalities=1), ["incident_id", "fatalities"])
    assert list(frame.columns) == ["incident_id", "fatalities"] and (frame["fatalities"] >= 1).all()


def test_an_unknown_column_is_named(store):
    with pytest.raises(KeyError, match="Unknown column.*colour"):
        read_filtered(store, IncidentFilter(), ["colour"])


@pytest.mark.parametrize("level", [2, 3])
@pytest.mark.parametrize("incident_filter", FILTERS)
def test_unit_counts_are_a_group_by_with_the_same_answer(store, boundaries, incident_filter, level):
    units = boundaries.kirkuk(level)
    expected = count_by_unit(incident_filter.apply(read_incidents(store)), units, level)
    pd.testing.assert_frame_equal(unit_metrics(units, counts_by_unit(store, incident_filter, level)), expected)


@pytest.mark.parametrize("incident_filter", FILTERS)
def test_monthly_counts_are_a_group_by_with_the_same_answer(store, incident_filter):
    expected = monthly_in_pandas(incident_filter.apply(read_incidents(store)))
    got = monthly_by_district(store, incident_filter)
    pd.testing.assert_frame_equal(got, expected.astype({"incidents": "int64", "fatalities": "int64"}), check_dtype=False)


def test_the_widgets_choices_come_from_the_database(store):
    expected = filter_choices(read_incidents(store), ("Battles",), ("Peshmerga",))
    assert store_filter_choices(store, ("Battles",), ("Peshmerga",)) == expected
