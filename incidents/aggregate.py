"""Counts of incidents per administrative unit and per month: what the choropleths,
charts and headline figures show."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from incidents.scope import outside_kirkuk

UNKNOWN_DISTRICT = "district unknown"
OUTSIDE_KIRKUK = "outside Kirkuk"  # the chart's one band for every incident placed in another governorate
# The metrics a choropleth can show: column -> label.
METRICS: dict[str, str] = {
    "incidents": "Incidents",
    "fatalities": "Killed",
    "incidents_per_1000_km2": "Incidents per 1,000 km²",
    "change": "Change in incidents vs previous period",
}


def count_by_unit(
    incidents: pd.DataFrame,
    units: gpd.GeoDataFrame,
    level: int,
    previous: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """One row per unit of ``units`` (ADM2 or ADM3) with every metric of METRICS.

    Units with no incident get zeros. Only incidents known at that level or finer count:
    a district-level incident is not counted in any sub-district. ``previous`` holds the
    incidents of the period before (same filter, same length); ``change`` is current minus
    previous, and is empty when no previous period is given.
    """
    return unit_metrics(units, _counts(incidents, level), None if previous is None else _counts(previous, level))


def unit_metrics(units: gpd.GeoDataFrame, current: pd.DataFrame, before: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """``count_by_unit`` from counts already made (by pandas or by the store's ``GROUP BY``).

    ``current`` and ``before`` have columns incidents and fatalities, indexed by pcode.
    """
    result = units.copy()
    result["incidents"] = result["pcode"].map(current["incidents"]).fillna(0).astype(int)
    result["fatalities"] = result["pcode"].map(current["fatalities"]).fillna(0).astype(int)
    result["incidents_per_1000_km2"] = np.where(
        result["area_km2"] > 0, result["incidents"] / result["area_km2"] * 1000, 0.0
    )
    if before is None:
        result["previous_incidents"] = pd.array([pd.NA] * len(result), dtype="Int64")
        result["change"] = np.nan
    else:
        result["previous_incidents"] = result["pcode"].map(before["incidents"]).fillna(0).astype("Int64")
        result["change"] = (result["incidents"] - result["previous_incidents"]).astype(float)
    return result


def _counts(incidents: pd.DataFrame, level: int) -> pd.DataFrame:
    key = f"adm{level}_pcode"
    known = incidents.loc[incidents[key].notna(), [key, "fatalities"]]  # two columns, not all 36
    return pd.DataFrame(
        {
            "incidents": known.groupby(key).size(),
            "fatalities": pd.to_numeric(known["fatalities"], errors="coerce").fillna(0).groupby(known[key]).sum(),
        }
    )


def monthly_by_district(incidents: pd.DataFrame) -> pd.DataFrame:
    """Incidents and fatalities per month and district (long form, for a chart).

    Columns: month (first day, a Timestamp), district (a Kirkuk district's admin2, "district
    unknown", or "outside Kirkuk" for every incident placed in another governorate: a wider scope
    shows them as one band, not as other governorates' districts), incidents, fatalities.
    Incidents with no date are left out of the chart only.
    """
    dates = pd.to_datetime(incidents["event_date"], errors="coerce")
    dated = incidents[dates.notna()]
    district = dated["admin2"].astype("string").fillna(UNKNOWN_DISTRICT)
    outside = outside_kirkuk(dated)
    frame = pd.DataFrame(
        {
            "month": dates[dates.notna()].dt.to_period("M").dt.to_timestamp(),
            "district": district.mask(outside, OUTSIDE_KIRKUK),
            "fatalities": pd.to_numeric(dated["fatalities"], errors="coerce").fillna(0),
        }
    )
    grouped = frame.groupby(["month", "district"], as_index=False).agg(
        incidents=("fatalities", "size"), fatalities=("fatalities", "sum")
    )
    grouped["fatalities"] = grouped["fatalities"].astype(int)
    return grouped


def headline_figures(incidents: pd.DataFrame) -> dict[str, int]:
    """The figures shown above the map: incidents, fatalities, wounded, awaiting review."""

    def total(column: str) -> int:
        return int(pd.to_numeric(incidents[column], errors="coerce").fillna(0).sum())

    return {
        "incidents": len(incidents),
        "fatalities": total("fatalities"),
        "wounded": total("wounded"),
        "needs_review": int(incidents["needs_review"].fillna(False).astype(bool).sum()),
    }
