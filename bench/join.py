"""Benchmark of the spatial join: incidents to sub-districts.

Ours is ``geo.join.points_to_sub_districts`` (a grid lookup with exact tests at the
boundaries); it is compared with a per-point Python loop over the polygons and with a
plain STRtree query of every point (the implementation before the grid). The full
``assign_admin_units`` (all 134 loaded sub-districts, pcodes and names) is timed too.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from bench.timing import best_of, comparison
from geo.boundaries import STORAGE_CRS, Boundaries
from geo.join import assign_admin_units, points_to_sub_districts

LOOP_BASELINE_MAX_POINTS = 20_000  # the loop runs ~10k points a second: scale beyond this


def per_point_loop(longitude: np.ndarray, latitude: np.ndarray, polygons: list) -> np.ndarray:
    """The naive join: for each point, try each polygon in turn (edges count, lowest index wins)."""
    found = np.full(len(longitude), -1, dtype=np.int64)
    for i, (x, y) in enumerate(zip(longitude, latitude)):
        point = shapely.Point(x, y)
        for j, polygon in enumerate(polygons):
            if polygon.intersects(point):
                found[i] = j
                break
    return found


def strtree_query(longitude: np.ndarray, latitude: np.ndarray, polygons: gpd.GeoDataFrame) -> np.ndarray:
    """The vectorised join before the grid: every point through the polygons' STRtree with
    ``intersects``; a point on a shared edge takes the lowest index, as ours does."""
    points = gpd.points_from_xy(longitude, latitude, crs=STORAGE_CRS)
    point_idx, polygon_idx = polygons.sindex.query(points, predicate="intersects")
    found = np.full(len(points), len(polygons), dtype=np.int64)
    np.minimum.at(found, point_idx, polygon_idx)
    return np.where(found == len(polygons), -1, found)


def time_ours(incidents: pd.DataFrame, boundaries: Boundaries, repeats: int = 3) -> dict:
    """Our join of the incidents' points to Kirkuk's 16 sub-districts, and ``assign_admin_units``
    over the whole frame: seconds, answers, and the joined frame (for the map benchmark)."""
    sub_districts = boundaries.kirkuk(3)
    has_point = incidents["latitude"].notna() & incidents["longitude"].notna()
    longitude = incidents.loc[has_point, "longitude"].to_numpy(dtype=float)
    latitude = incidents.loc[has_point, "latitude"].to_numpy(dtype=float)
    seconds, cpu, found = best_of(repeats, lambda: points_to_sub_districts(longitude, latitude, sub_districts))
    size = len(incidents)
    assign_s, assign_cpu, joined = best_of(1 if size > 200_000 else repeats, lambda: assign_admin_units(incidents, boundaries))
    return {
        "longitude": longitude, "latitude": latitude, "found": found, "seconds": seconds, "cpu_seconds": cpu,
        "assign_seconds": assign_s, "assign_cpu_seconds": assign_cpu, "joined": joined,
    }


def compare_with_baselines(ours: dict, boundaries: Boundaries) -> dict:
    """The join's comparisons: ours (from ``time_ours``) against the per-point loop and the plain STRtree query."""
    sub_districts = boundaries.kirkuk(3)
    longitude, latitude, found = ours["longitude"], ours["latitude"], ours["found"]
    size = len(longitude)
    sample = min(size, LOOP_BASELINE_MAX_POINTS)
    polygons = list(sub_districts.geometry)
    loop_s, _, loop = best_of(1, lambda: per_point_loop(longitude[:sample], latitude[:sample], polygons))
    strtree_s, _, strtree = best_of(1, lambda: strtree_query(longitude, latitude, sub_districts))
    return {
        "points": size,
        "polygons": len(polygons),
        "comparisons": {
            "join_vs_per_point_loop": comparison(
                ours["seconds"], loop_s, "per-point Python loop over the 16 polygons (shapely intersects)", sample, size,
                ours_cpu_seconds=round(ours["cpu_seconds"], 4), same_answers=bool(np.array_equal(found[:sample], loop)),
            ),
            "join_vs_strtree_query": comparison(
                ours["seconds"], strtree_s, "vectorised STRtree query of every point (the join before the grid)", size, size,
                same_answers=bool(np.array_equal(found, strtree)),
            ),
        },
        "assign_admin_units": {
            "seconds": round(ours["assign_seconds"], 4),
            "cpu_seconds": round(ours["assign_cpu_seconds"], 4),
            "rows": len(ours["joined"]),
            "polygons": len(boundaries.adm3),
        },
    }
