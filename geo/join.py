"""Assign COD-AB administrative units (ADM1-ADM3 pcodes and names) to points.

Works on any frame with ``latitude``/``longitude`` columns; the incident schema's
``geo_precision`` is honoured so that an area-level record never gains a finer unit
than its source gives.

Large frames (ten years of a whole country) go through a grid lookup: most points fall
in a cell that lies wholly inside one polygon, or wholly outside all of them, and take
that answer from an array; only the points in cells crossed by a boundary get the exact
point-in-polygon test. The answer is the same as the exact test's for every point.
"""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.boundaries import KIRKUK_PCODE, Boundaries

ADMIN_COLUMNS = ("adm1_pcode", "admin1", "adm2_pcode", "admin2", "adm3_pcode", "admin3")

# Below this many points building the grid costs more than it saves: the exact test alone
# runs at 0.3-0.6 µs a point, the grid costs ~0.05-0.15 s to build (measured on 2 cores).
GRID_MIN_POINTS = 200_000
# Smallest grid cell, in degrees (the cells are 1-2x this, ~0.5-1 km): small enough that
# few points fall in boundary cells, large enough that building the grid stays well under
# a second for Kirkuk and its neighbours (134 sub-districts) and the table a few MB.
GRID_CELL_DEG = 0.004
GRID_MAX_CELLS_PER_SIDE = 4096
_OUTSIDE = -1  # no polygon: the point is outside every unit
_EDGE = -2  # a boundary crosses the cell: test its points exactly
# Cells are tested slightly enlarged, so that a point rounded into a neighbouring cell
# (floating-point division) is still covered by what the cell's class promises.
_CELL_MARGIN_DEG = 1e-9


@dataclass(frozen=True)
class PolygonGrid:
    """A regular lon/lat grid over polygons; each cell holds the one polygon containing it,
    ``-1`` when it touches none, ``-2`` when a boundary crosses it."""

    west: float
    south: float
    cell_deg: float
    cells: np.ndarray  # int32, shape (rows, columns): row is latitude, column longitude

    def cell_of(self, longitude: np.ndarray, latitude: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Row and column of each point's cell; (-1, -1) off the grid or without coordinates."""
        rows, columns = self.cells.shape
        with np.errstate(invalid="ignore"):
            column = np.floor((np.asarray(longitude, dtype=float) - self.west) / self.cell_deg)
            row = np.floor((np.asarray(latitude, dtype=float) - self.south) / self.cell_deg)
        on_grid = (column >= 0) & (column < columns) & (row >= 0) & (row < rows)  # False for NaN
        return np.where(on_grid, row, -1).astype(np.intp), np.where(on_grid, column, -1).astype(np.intp)

    def lookup(self, longitude: np.ndarray, latitude: np.ndarray) -> np.ndarray:
        """Each point's cell class; ``-1`` for points off the grid or without coordinates."""
        row, column = self.cell_of(longitude, latitude)
        return np.where(row >= 0, self.cells[row, column], _OUTSIDE).astype(np.int64)


def build_polygon_grid(
    polygons: gpd.GeoSeries | np.ndarray,
    cell_deg: float = GRID_CELL_DEG,
    longitude: np.ndarray | None = None,
    latitude: np.ndarray | None = None,
) -> PolygonGrid:
    """Classify the cells of a grid over ``polygons`` (lon/lat) by refining a quadtree.

    A cell that no boundary segment touches lies wholly inside the same polygons as its
    centre (or wholly outside all), so the exact test of its centre decides it; only
    cells a boundary crosses are split, down to ``cell_deg``. Testing boxes against
    two-point segments is far cheaper than against polygons of thousands of vertices.
    Given points (``longitude``, ``latitude``), only cells holding some are refined: the
    rest stay "test exactly", which is always correct, and incidents in Kirkuk then skip
    the work on its neighbours' boundaries.
    """
    geometries = np.asarray(polygons.values if isinstance(polygons, gpd.GeoSeries) else polygons, dtype=object)
    west, south, east, north = shapely.total_bounds(geometries)
    span = max(east - west, north - south, cell_deg)
    levels = min(max(int(np.log2(span / cell_deg)), 0), int(np.log2(GRID_MAX_CELLS_PER_SIDE)))
    side = 2**levels
    finest = span / side * (1 + 1e-9)  # so that the east and north edges fall inside the grid
    grid = PolygonGrid(west=float(west), south=float(south), cell_deg=float(finest), cells=np.full((side, side), _EDGE, dtype=np.int32))
    occupied = _occupancy_pyramid(grid, longitude, latitude)
    segments = shapely.STRtree(_boundary_segments(geometries))

    # Start from the whole square as one cell and split undecided cells in four per level.
    row, column, size = np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64), side
    while len(row):
        if size in occupied:
            keep = occupied[size][row, column]
            row, column = row[keep], column[keep]
        extent = size * finest
        x0, y0 = west + column * extent, south + row * extent
        boxes = shapely.box(x0 - _CELL_MARGIN_DEG, y0 - _CELL_MARGIN_DEG, x0 + extent + _CELL_MARGIN_DEG, y0 + extent + _CELL_MARGIN_DEG)
        crossed = np.zeros(len(boxes), dtype=bool)
        crossed[segments.query(boxes, predicate="intersects")[0]] = True
        clear = np.flatnonzero(~crossed)
        value = _lowest_containing(geometries, x0[clear] + extent / 2, y0[clear] + extent / 2)
        for r, c, v in zip(row[clear], column[clear], value):
            grid.cells[r * size : (r + 1) * size, c * size : (c + 1) * size] = v
        if size == 1:
            break  # the finest cells a boundary crosses stay _EDGE
        split_row, split_column = row[crossed] * 2, column[crossed] * 2
        row = np.concatenate([split_row, split_row, split_row + 1, split_row + 1])
        column = np.concatenate([split_column, split_column + 1, split_column, split_column + 1])
        size //= 2
    return grid


def _occupancy_pyramid(grid: PolygonGrid, longitude: np.ndarray | None, latitude: np.ndarray | None) -> dict[int, np.ndarray]:
    """For each cell size (in finest cells), which cells of that size hold at least one point.

    Empty when no points are given (then every cell is refined).
    """
    if longitude is None or latitude is None:
        return {}
    side = grid.cells.shape[0]
    rows, columns = grid.cell_of(longitude, latitude)
    on_grid = rows >= 0
    occupied = np.zeros((side, side), dtype=bool)
    occupied[rows[on_grid], columns[on_grid]] = True
    pyramid, size = {1: occupied}, 1
    while size < side:
        n = occupied.shape[0] // 2
        occupied = occupied.reshape(n, 2, n, 2).any(axis=(1, 3))
        size *= 2
        pyramid[size] = occupied
    return pyramid


def _boundary_segments(polygons: np.ndarray) -> np.ndarray:
    """Every edge of every ring (outer and holes) of the polygons, as two-point lines."""
    rings = shapely.get_rings(shapely.get_parts(polygons))
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    same_ring = ring[:-1] == ring[1:]
    return shapely.linestrings(np.stack([coords[:-1][same_ring], coords[1:][same_ring]], axis=1))


def points_to_sub_districts(longitude: np.ndarray, latitude: np.ndarray, adm3: gpd.GeoDataFrame) -> np.ndarray:
    """Index into ``adm3`` of the polygon containing each point, or -1 (vectorised).

    A point on an edge shared by several polygons takes the one with the lowest index.
    Large inputs go through a grid first (see the module docstring); the result is the same.
    """
    longitude = np.asarray(longitude, dtype=float)
    latitude = np.asarray(latitude, dtype=float)
    if len(longitude) < GRID_MIN_POINTS:
        return exact_sub_districts(longitude, latitude, adm3)
    result = build_polygon_grid(adm3.geometry, longitude=longitude, latitude=latitude).lookup(longitude, latitude)
    edge = np.flatnonzero(result == _EDGE)
    result[edge] = exact_sub_districts(longitude[edge], latitude[edge], adm3)
    return result


def exact_sub_districts(longitude: np.ndarray, latitude: np.ndarray, adm3: gpd.GeoDataFrame) -> np.ndarray:
    """Index of the polygon containing each point, or -1, by the exact test alone (no grid).

    Edges count, and a point on an edge shared by several polygons takes the lowest index.
    """
    return _lowest_containing(np.asarray(adm3.geometry.values, dtype=object), np.asarray(longitude, dtype=float), np.asarray(latitude, dtype=float))


def _lowest_containing(polygons: np.ndarray, longitude: np.ndarray, latitude: np.ndarray) -> np.ndarray:
    """Per point, the lowest index of the polygons it intersects (edges count), or -1.

    Polygon by polygon in index order, only over the points still unplaced that lie in its
    bounding box, with prepared geometries (an indexed point-in-polygon test, ~0.2 µs a
    point): several times faster than an STRtree query, which tests each point against an
    unprepared polygon.
    """
    shapely.prepare(polygons)  # cached on the geometry objects: free after the first call
    result = np.full(len(longitude), -1, dtype=np.int64)
    unplaced = np.arange(len(longitude))
    for index, (west, south, east, north) in enumerate(shapely.bounds(polygons)):
        x, y = longitude[unplaced], latitude[unplaced]
        candidates = unplaced[(x >= west) & (x <= east) & (y >= south) & (y <= north)]
        if not len(candidates):
            continue
        inside = candidates[shapely.intersects_xy(polygons[index], longitude[candidates], latitude[candidates])]
        result[inside] = index
        if len(inside):
            unplaced = unplaced[result[unplaced] < 0]
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
    result = points.copy(deep=False)  # copy-on-write (pandas 3): the input is never changed
    precision = pd.to_numeric(result.get("geo_precision", pd.Series(1, index=result.index)), errors="coerce").fillna(1)
    latitude = pd.to_numeric(result["latitude"], errors="coerce")
    longitude = pd.to_numeric(result["longitude"], errors="coerce")
    has_point = (latitude.notna() & longitude.notna()).to_numpy()

    adm3 = boundaries.adm3
    found = np.full(len(result), -1, dtype=np.int64)
    if has_point.any():
        found[has_point] = points_to_sub_districts(longitude[has_point].to_numpy(), latitude[has_point].to_numpy(), adm3)
    coded = _encode_admin_columns(result, boundaries)
    given_level = _deepest_given_level(coded)
    area_only = (precision >= 3).to_numpy() & (given_level > 0)
    # Point-level rows take the containing unit (none when outside); area-level rows only
    # fill empty levels no finer than the finest unit they were reported in.
    precise = has_point & ~area_only
    for level in (1, 2, 3):
        for column in (f"adm{level}_pcode", f"admin{level}"):
            codes, vocabulary = coded[column]
            from_point = _append_missing(vocabulary.get_indexer(adm3[column]))[found]  # found -1 -> missing
            fill = has_point & area_only & (level <= given_level) & (codes < 0)
            coded[column] = (np.where(precise | fill, from_point, codes), vocabulary)
    _fill_names_coded(coded, boundaries)
    adm1_codes, adm1_vocabulary = coded["adm1_pcode"]
    in_kirkuk = np.isin(adm1_codes, np.flatnonzero(adm1_vocabulary == KIRKUK_PCODE))
    result = _decode_admin_columns(result, coded)
    result["in_kirkuk"] = pd.array(in_kirkuk, dtype="boolean")
    return result


def _deepest_given_level(coded: _Coded) -> np.ndarray:
    """Per row, the finest level (1-3) whose pcode is given, or 0 when none is."""
    deepest = np.zeros(len(coded["adm1_pcode"][0]), dtype=np.int64)
    for level in (1, 2, 3):
        deepest[coded[f"adm{level}_pcode"][0] >= 0] = level
    return deepest


# The admin columns are handled as integer codes into a small vocabulary per column (the
# few hundred pcodes and names), so a million rows cost array operations, not a million
# string conversions; -1 is a missing value.
_Coded = dict[str, tuple[np.ndarray, pd.Index]]


def _encode_admin_columns(frame: pd.DataFrame, boundaries: Boundaries) -> _Coded:
    """Codes of each admin column (missing columns count as empty) in a vocabulary holding
    its values and those of every loaded unit."""
    coded: _Coded = {}
    for column in ADMIN_COLUMNS:
        values = frame[column].astype("string") if column in frame.columns else pd.Series(dtype="string")
        if values.isna().all():  # the usual case for freshly geocoded rows: nothing to factorise
            codes, uniques = np.full(len(frame), -1, dtype=np.int64), pd.Index([], dtype="string")
        else:
            codes, uniques = pd.factorize(values)
        units = [layer[column] for layer in (boundaries.adm1, boundaries.adm2, boundaries.adm3) if column in layer.columns]
        everything = pd.concat([pd.Series(uniques, dtype="string"), *(u.astype("string") for u in units)], ignore_index=True)
        vocabulary = pd.Index(everything.dropna().unique())
        coded[column] = (_append_missing(vocabulary.get_indexer(uniques))[codes], vocabulary)
    return coded


def _fill_names_coded(coded: _Coded, boundaries: Boundaries) -> None:
    """Give every known pcode its COD-AB name and its parents' pcodes and names (in place)."""
    for level in (3, 2):
        layer = boundaries.level(level).set_index("pcode")
        key_codes, key_vocabulary = coded[f"adm{level}_pcode"]
        known = _append_missing(np.where(key_vocabulary.isin(layer.index), 0, -1))[key_codes] >= 0
        for parent in range(1, level + 1):
            for column in (f"adm{parent}_pcode", f"admin{parent}"):
                codes, vocabulary = coded[column]
                mapped = _append_missing(vocabulary.get_indexer(layer[column].reindex(key_vocabulary)))[key_codes]
                coded[column] = (np.where(known, mapped, codes), vocabulary)
    names = boundaries.adm1.set_index("pcode")["name"]
    key_codes, key_vocabulary = coded["adm1_pcode"]
    known = _append_missing(np.where(key_vocabulary.isin(names.index), 0, -1))[key_codes] >= 0
    codes, vocabulary = coded["admin1"]
    mapped = _append_missing(vocabulary.get_indexer(names.reindex(key_vocabulary)))[key_codes]
    coded["admin1"] = (np.where(known, mapped, codes), vocabulary)


def _decode_admin_columns(frame: pd.DataFrame, coded: _Coded) -> pd.DataFrame:
    """The frame with each admin column rebuilt from its codes (as the "string" dtype)."""
    for column, (codes, vocabulary) in coded.items():
        strings = pd.array(vocabulary, dtype="string")
        frame[column] = pd.Series(strings.take(codes, allow_fill=True), index=frame.index)
    return frame


def _append_missing(codes: np.ndarray) -> np.ndarray:
    """The codes with a trailing -1, so that indexing with -1 ("none") gives "missing"."""
    return np.append(np.asarray(codes, dtype=np.int64), -1)
