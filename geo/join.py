"""Assign COD-AB administrative units (ADM1-ADM3 pcodes and names) to points.

Works on any frame with ``latitude``/``longitude`` columns; the incident schema's
``geo_precision`` is honoured so that an area-level record never gains a finer unit
than its source gives.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.boundaries import KIRKUK_PCODE, STORAGE_CRS, Boundaries

ADMIN_COLUMNS = ("adm1_pcode", "admin1", "adm2_pcode", "admin2", "adm3_pcode", "admin3")


def points_to_sub_districts(longitude: np.ndarray, latitude: np.ndarray, adm3: gpd.GeoDataFrame) -> np.ndarray:
    """Index into ``adm3`` of the polygon containing each point, or -1 (vectorised).

    Uses the polygons' STRtree; a point on a shared edge takes the first polygon found.
    """
    points = gpd.points_from_xy(longitude, latitude, crs=STORAGE_CRS)
    point_idx, polygon_idx = adm3.sindex.query(points, predicate="intersects")
    result = np.full(len(points), -1, dtype=np.int64)
    # Reverse so that, for a point on an edge, the first match wins.
    result[point_idx[::-1]] = polygon_idx[::-1]
    return result


def assign_admin_units(points: pd.DataFrame, boundaries: Boundaries) -> pd.DataFrame:
    """A copy of ``points`` with ADM1-ADM3 pcodes and names and ``in_kirkuk`` set.

    - Rows with coordinates and geo_precision 1 or 2 take the units of the sub-district
      containing the point.
    - Rows with geo_precision 3 (only a district or the governorate is known) keep the
      pcodes they already carry; the point (an area's representative point) only fills
      levels no finer than the coarsest level given, so a district-level record is not
      placed in a sub-district it was never reported in.
    - Rows without coordinates keep what they have; names are filled from pcodes.
    - A point outside every loaded polygon is kept with empty units, ``in_kirkuk`` False.
    """
    for column in ("latitude", "longitude"):
        if column not in points.columns:
            raise KeyError(f"assign_admin_units needs a {column!r} column (found: {', '.join(map(str, points.columns))}).")
    result = points.copy()
    for column in ADMIN_COLUMNS:
        if column not in result.columns:
            result[column] = pd.NA
        result[column] = result[column].astype("string")

    precision = pd.to_numeric(result.get("geo_precision", pd.Series(1, index=result.index)), errors="coerce").fillna(1)
    latitude = pd.to_numeric(result["latitude"], errors="coerce")
    longitude = pd.to_numeric(result["longitude"], errors="coerce")
    has_point = latitude.notna() & longitude.notna()

    adm3 = boundaries.adm3
    found = np.full(len(result), -1, dtype=np.int64)
    if has_point.any():
        found[has_point.to_numpy()] = points_to_sub_districts(
            longitude[has_point].to_numpy(), latitude[has_point].to_numpy(), adm3
        )
    given_level = _deepest_given_level(result)
    area_only = (precision >= 3).to_numpy() & (given_level > 0)
    for level in (1, 2, 3):
        for column in (f"adm{level}_pcode", f"admin{level}"):
            from_point = pd.array(adm3[column].to_numpy(dtype=object), dtype="string")
            values = pd.Series(pd.NA, index=result.index, dtype="string")
            hit = found >= 0
            values[hit] = from_point[found[hit]]
            # Point-level rows take the containing unit; area-level rows only fill
            # empty levels no finer than the finest unit they were reported in.
            precise = has_point.to_numpy() & ~area_only
            fill = has_point.to_numpy() & area_only & (level <= given_level) & result[column].isna().to_numpy()
            take = precise | fill
            result.loc[take, column] = values[take]
    result = fill_admin_names(result, boundaries)
    result["in_kirkuk"] = (result["adm1_pcode"] == KIRKUK_PCODE).fillna(False).astype("boolean")
    return result


def _deepest_given_level(frame: pd.DataFrame) -> np.ndarray:
    """Per row, the finest level (1-3) whose pcode is given, or 0 when none is."""
    deepest = np.zeros(len(frame), dtype=np.int64)
    for level in (1, 2, 3):
        deepest[frame[f"adm{level}_pcode"].notna().to_numpy()] = level
    return deepest


def fill_admin_names(frame: pd.DataFrame, boundaries: Boundaries) -> pd.DataFrame:
    """A copy where every pcode has its COD-AB name and its parents' pcodes and names."""
    result = frame.copy()
    for level in (3, 2):
        layer = boundaries.level(level).set_index("pcode")
        known = result[f"adm{level}_pcode"].isin(layer.index)
        for parent in range(1, level + 1):
            for kind in ("pcode", "name"):
                column = f"adm{parent}_pcode" if kind == "pcode" else f"admin{parent}"
                values = result.loc[known, f"adm{level}_pcode"].map(layer[column])
                result.loc[known, column] = values.astype("string")
    adm1 = boundaries.adm1.set_index("pcode")["name"]
    known = result["adm1_pcode"].isin(adm1.index)
    result.loc[known, "admin1"] = result.loc[known, "adm1_pcode"].map(adm1).astype("string")
    return result
