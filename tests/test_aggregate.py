"""Density metrics per unit and per month: what the choropleth and charts show."""
from __future__ import annotations

import pandas as pd
import pytest

from incidents.aggregate import count_by_unit, headline_figures, monthly_by_district
from incidents.schema import conform


def _incidents(rows):
    return conform(pd.DataFrame(rows, columns=["incident_id", "event_date", "adm2_pcode", "adm3_pcode", "admin2", "fatalities", "needs_review", "wounded"]))


CURRENT = _incidents(
    [
        ("a", "2024-10-01", "IQG13Q04", "IQG13Q04N07", "Kirkuk", 2, False, 1),
        ("b", "2024-10-05", "IQG13Q04", "IQG13Q04N02", "Kirkuk", 4, False, 0),
        ("c", "2024-10-09", "IQG13Q02", None, "Daquq", None, True, None),  # district-level only
    ]
)
PREVIOUS = _incidents([("d", "2024-09-01", "IQG13Q02", "IQG13Q02N02", "Daquq", 1, False, 0)] * 1 + [("e", "2024-09-03", "IQG13Q02", None, "Daquq", 0, False, 0)])


def test_district_counts_include_every_incident_known_there(boundaries):
    counts = count_by_unit(CURRENT, boundaries.kirkuk(2), level=2).set_index("pcode")
    assert counts.loc["IQG13Q04", ["incidents", "fatalities"]].tolist() == [2, 6]
    assert counts.loc["IQG13Q02", "incidents"] == 1
    assert counts.loc["IQG13Q01", "incidents"] == 0


def test_a_district_level_incident_is_in_no_sub_district(boundaries):
    counts = count_by_unit(CURRENT, boundaries.kirkuk(3), level=3)
    assert counts["incidents"].sum() == 2
    assert counts.set_index("pcode").loc["IQG13Q02N02", "incidents"] == 0


def test_density_is_per_1000_km2_of_the_unit(boundaries):
    counts = count_by_unit(CURRENT, boundaries.kirkuk(2), level=2).set_index("pcode")
    expected = 2 / counts.loc["IQG13Q04", "area_km2"] * 1000
    assert counts.loc["IQG13Q04", "incidents_per_1000_km2"] == pytest.approx(expected)


def test_change_is_current_minus_previous_period(boundaries):
    counts = count_by_unit(CURRENT, boundaries.kirkuk(2), level=2, previous=PREVIOUS).set_index("pcode")
    assert counts.loc["IQG13Q04", "change"] == 2
    assert counts.loc["IQG13Q02", "change"] == -1
    assert counts.loc["IQG13Q01", "change"] == 0


def test_without_a_previous_period_change_is_unknown(boundaries):
    counts = count_by_unit(CURRENT, boundaries.kirkuk(2), level=2)
    assert counts["change"].isna().all()


def test_monthly_counts_by_district_leave_out_only_undated_incidents():
    undated = _incidents([("z", None, "IQG13Q04", None, "Kirkuk", 9, False, 0)])
    monthly = monthly_by_district(pd.concat([CURRENT, PREVIOUS, undated]))
    assert monthly["incidents"].sum() == 5
    october = monthly[monthly["month"] == pd.Timestamp("2024-10-01")].set_index("district")
    assert october.loc["Kirkuk", ["incidents", "fatalities"]].tolist() == [2, 6]


def test_headline_figures():
    assert headline_figures(CURRENT) == {"incidents": 3, "fatalities": 6, "wounded": 1, "needs_review": 1}
