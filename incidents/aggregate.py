"""Counts of incidents per administrative unit: what the choropleths and headline figures show."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd


def count_by_unit(incidents: pd.DataFrame, units: gpd.GeoDataFrame, level: int) -> gpd.GeoDataFrame:
    """One row per unit of ``units`` (ADM2 or ADM3) with ``incidents``, ``fatalities`` and
    ``incidents_per_1000_km2``; units with no incident get zeros.

    Only incidents known at that level or finer count: a district-level incident is not
    counted in any sub-district.
    """
    key = f"adm{level}_pcode"
    known = incidents[incidents[key].notna()] if key in incidents.columns else incidents.iloc[0:0]
    grouped = known.groupby(key).agg(
        incidents=("incident_id", "size"),
        fatalities=("fatalities", lambda s: pd.to_numeric(s, errors="coerce").fillna(0).sum()),
    )
    result = units.copy()
    result["incidents"] = result["pcode"].map(grouped["incidents"]).fillna(0).astype(int)
    result["fatalities"] = result["pcode"].map(grouped["fatalities"]).fillna(0).astype(int)
    result["incidents_per_1000_km2"] = np.where(
        result["area_km2"] > 0, result["incidents"] / result["area_km2"] * 1000, 0.0
    )
    return result


def headline_figures(incidents: pd.DataFrame) -> dict[str, int]:
    """The figures shown above the map: incidents, fatalities, wounded, awaiting review."""
    numbers = lambda column: int(pd.to_numeric(incidents[column], errors="coerce").fillna(0).sum())  # noqa: E731
    return {
        "incidents": len(incidents),
        "fatalities": numbers("fatalities"),
        "wounded": numbers("wounded"),
        "needs_review": int(incidents["needs_review"].fillna(False).astype(bool).sum()),
    }
