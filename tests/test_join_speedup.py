"""The grid fast path of the spatial join gives the exact test's answer for every point,
including points on and near boundaries, on the grid's own cell edges, and outside."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

import geo.join as join
from geo.join import assign_admin_units, build_polygon_grid, points_to_sub_districts


def exact_answer(longitude: np.ndarray, latitude: np.ndarray, polygons: np.ndarray) -> np.ndarray:
    """The straightforward test: every polygon against every point; edges count; lowest index wins."""
    hits = np.stack([shapely.intersects_xy(polygon, longitude, latitude) for polygon in polygons])
    return np.where(hits.any(axis=0), hits.argmax(axis=0), -1)


def awkward_points(polygons: np.ndarray, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """A few thousand points: uniform over and around the polygons, boundary vertices, points
    along edges and a hair's breadth off them, points on grid cell lines, and no coordinates."""
    rng = np.random.default_rng(seed)
    west, south, east, north = shapely.total_bounds(polygons)
    uniform = np.column_stack([rng.uniform(west - 0.3, east + 0.3, 2000), rng.uniform(south - 0.3, north + 0.3, 2000)])
    vertices = shapely.get_coordinates(shapely.boundary(polygons))
    vertices = vertices[rng.choice(len(vertices), 600, replace=False)]
    rings = shapely.get_exterior_ring(polygons)
    along = shapely.get_coordinates(shapely.line_interpolate_point(rng.choice(rings, 800), rng.uniform(0, 1, 800), normalized=True))
    nudges = [rng.normal(0, scale, along.shape) for scale in (1e-9, 1e-7, 1e-4, 1e-2)]
    grid = build_polygon_grid(polygons)
    on_cell_lines = np.column_stack(
        [grid.west + rng.integers(0, grid.cells.shape[1], 300) * grid.cell_deg, rng.uniform(south, north, 300)]
    )
    points = np.concatenate([uniform, vertices, along, *(along + n for n in nudges), on_cell_lines, [[np.nan, np.nan], [50.0, 10.0]]])
    return points[:, 0], points[:, 1]


@pytest.fixture(params=["kirkuk", "kirkuk_and_neighbours"])
def sub_districts(request, boundaries):
    return boundaries.kirkuk(3) if request.param == "kirkuk" else boundaries.adm3


def test_the_grid_path_matches_the_exact_test(sub_districts, monkeypatch):
    monkeypatch.setattr(join, "GRID_MIN_POINTS", 0)  # force the grid on a few thousand points
    polygons = np.asarray(sub_districts.geometry.values, dtype=object)
    longitude, latitude = awkward_points(polygons)
    expected = exact_answer(longitude, latitude, polygons)
    assert (expected >= 0).sum() > 1000 and (expected == -1).sum() > 100  # the sample is inside and outside
    np.testing.assert_array_equal(points_to_sub_districts(longitude, latitude, sub_districts), expected)


def test_the_grid_path_matches_contains_away_from_edges(boundaries, monkeypatch):
    monkeypatch.setattr(join, "GRID_MIN_POINTS", 0)
    adm3 = boundaries.kirkuk(3)
    polygons = np.asarray(adm3.geometry.values, dtype=object)
    rng = np.random.default_rng(3)
    west, south, east, north = adm3.total_bounds
    longitude, latitude = rng.uniform(west, east, 3000), rng.uniform(south, north, 3000)
    inside = np.stack([shapely.contains_xy(polygon, longitude, latitude) for polygon in polygons])
    expected = np.where(inside.any(axis=0), inside.argmax(axis=0), -1)
    np.testing.assert_array_equal(points_to_sub_districts(longitude, latitude, adm3), expected)


def test_cells_without_points_are_left_to_the_exact_test(boundaries):
    adm3 = boundaries.kirkuk(3)
    polygons = np.asarray(adm3.geometry.values, dtype=object)
    # Refine only around Kirkuk city, then look up points everywhere.
    grid = build_polygon_grid(adm3.geometry, longitude=np.array([44.39]), latitude=np.array([35.47]))
    longitude, latitude = awkward_points(polygons, seed=11)
    classes = grid.lookup(longitude, latitude)
    expected = exact_answer(longitude, latitude, polygons)
    decided = classes != -2
    np.testing.assert_array_equal(classes[decided], expected[decided])
    assert (~decided).sum() > len(classes) // 2  # most cells were never refined


def test_assign_admin_units_is_the_same_on_both_paths(boundaries, monkeypatch):
    polygons = np.asarray(boundaries.adm3.geometry.values, dtype=object)
    longitude, latitude = awkward_points(polygons, seed=5)
    rng = np.random.default_rng(5)
    frame = pd.DataFrame(
        {
            "latitude": latitude,
            "longitude": longitude,
            "geo_precision": rng.choice([1, 2, 3], len(latitude)),
            "adm2_pcode": np.where(rng.random(len(latitude)) < 0.3, "IQG13Q02", None),
        }
    )
    exact = assign_admin_units(frame, boundaries)
    monkeypatch.setattr(join, "GRID_MIN_POINTS", 0)
    pd.testing.assert_frame_equal(assign_admin_units(frame, boundaries), exact)
