"""Find and load the OCHA COD-AB administrative boundaries of Iraq, cut to Kirkuk and its neighbours.

The boundary files are not part of the repository: they are looked up at run time in
``$KIRKUK_GEO_DIR`` first, then in ``../shared/geo/`` beside the checkout.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

import geopandas as gpd
import pandas as pd
import shapely.geometry
from errors import SetupProblem

GEO_DIR_ENV = "KIRKUK_GEO_DIR"
REPO_ROOT = Path(__file__).resolve().parent.parent
KIRKUK_PCODE = "IQG13"
STORAGE_CRS = "EPSG:4326"
AREA_CRS = "EPSG:32638"  # UTM zone 38N: metres, for areas and distances
HDX_DATASET_URL = "https://data.humdata.org/dataset/cod-ab-irq"
BOUNDARY_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp")
LEVELS = (1, 2, 3)
NEIGHBOUR_KM = 30.0


class BoundariesNotFound(SetupProblem, FileNotFoundError):
    """The COD-AB boundary files are in none of the places searched."""


@dataclass(frozen=True)
class Boundaries:
    """ADM1-ADM3 polygons of Kirkuk governorate and the governorates that touch it.

    Every layer has ``pcode``, ``name``, ``name_ar``, the parents' pcodes and names
    (``adm1_pcode``, ``admin1``, ...), ``in_kirkuk`` and ``area_km2``.
    """

    adm1: gpd.GeoDataFrame
    adm2: gpd.GeoDataFrame
    adm3: gpd.GeoDataFrame

    def level(self, level: int) -> gpd.GeoDataFrame:
        """The layer of one administrative level (1, 2 or 3)."""
        return {1: self.adm1, 2: self.adm2, 3: self.adm3}[level]

    def kirkuk(self, level: int) -> gpd.GeoDataFrame:
        """Only the units inside Kirkuk governorate at one level (a copy: callers may add columns).

        Cut once per level and kept: a map page asks a dozen times a run.
        """
        kept = self._memo("kirkuk", level, lambda: self.level(level)[self.level(level)["in_kirkuk"]].reset_index(drop=True))
        return kept.copy()

    def shapes_by_pcode(self) -> gpd.GeoSeries:
        """Every unit's polygon (any level) indexed by its pcode; the same object on every call, not to be changed."""
        return self._memo("shapes", 0, lambda: pd.concat([self.level(level).set_index("pcode").geometry for level in LEVELS]))

    def geometry_json(self, outlines: bool = False) -> dict[str, dict]:
        """Every unit's polygon (or, with ``outlines``, its boundary lines) as a GeoJSON geometry
        by pcode: converted once, for maps that draw the same units on every run. Not to be changed."""
        def convert() -> dict[str, dict]:
            shapes = self.shapes_by_pcode()
            shapes = shapes.boundary if outlines else shapes
            return {pcode: shapely.geometry.mapping(shape) for pcode, shape in shapes.items() if shape is not None}
        return self._memo("geometry_json", int(outlines), convert)

    def _memo(self, name: str, key: int, make: Callable[[], Any]) -> Any:  # a frozen dataclass: the memo lives in the instance's __dict__
        memo = self.__dict__.setdefault("_memos", {})
        if (name, key) not in memo:
            memo[name, key] = make()
        return memo[name, key]


def boundary_search_dirs(
    env: Mapping[str, str] | None = None, repo_root: Path = REPO_ROOT
) -> list[Path]:
    """The directories searched for boundary files, in order."""
    env = os.environ if env is None else env
    dirs = []
    if env.get(GEO_DIR_ENV):
        dirs.append(Path(env[GEO_DIR_ENV]).expanduser())
    dirs.append(repo_root.parent / "shared" / "geo")
    return dirs


def find_layer_file(directory: Path, level: int) -> Path | None:
    """The COD-AB file of one level in a directory (``irq_admbnda_adm{level}_*``), if any."""
    if not directory.is_dir():
        return None
    for suffix in BOUNDARY_SUFFIXES:
        matches = sorted(directory.glob(f"irq_admbnda_adm{level}_*{suffix}"))
        if matches:
            return matches[0]
    return None


def find_boundaries_dir(
    env: Mapping[str, str] | None = None, repo_root: Path = REPO_ROOT
) -> Path:
    """The first searched directory that holds the ADM1, ADM2 and ADM3 files.

    Raises BoundariesNotFound naming every place searched and how to get the files.
    """
    searched = boundary_search_dirs(env, repo_root)
    for directory in searched:
        if all(find_layer_file(directory, level) for level in LEVELS):
            return directory
    places = "\n".join(f"  - {d}" for d in searched)
    raise BoundariesNotFound(
        "The OCHA COD-AB boundary files of Iraq (irq_admbnda_adm1_*, adm2_*, adm3_*) "
        f"were not found. Searched:\n{places}\n"
        f"Download the shapefile or GeoJSON zip of the HDX dataset 'cod-ab-irq' "
        f"({HDX_DATASET_URL}), unzip it into a directory, and set {GEO_DIR_ENV} to that "
        "directory (or place it at ../shared/geo/ beside the checkout)."
    )


def _tidy_layer(raw: gpd.GeoDataFrame, level: int) -> gpd.GeoDataFrame:
    """Rename COD-AB columns to ours: pcode/name of the unit, plus its parents."""
    columns = {
        f"ADM{level}_PCODE": "pcode",
        f"ADM{level}_EN": "name",
        f"ADM{level}_AR": "name_ar",
    }
    for parent in range(1, level + 1):
        columns[f"ADM{parent}_PCODE"] = f"adm{parent}_pcode"
        columns[f"ADM{parent}_EN"] = f"admin{parent}"
    layer = gpd.GeoDataFrame(
        {new: raw[old] for old, new in columns.items() if new not in ("pcode", "name")}
        | {"pcode": raw[f"ADM{level}_PCODE"], "name": raw[f"ADM{level}_EN"]},
        geometry=raw.geometry.values,
        crs=raw.crs,
    )
    if layer.crs is None:
        layer = layer.set_crs(STORAGE_CRS)
    return layer.to_crs(STORAGE_CRS)


def area_km2(polygons: gpd.GeoDataFrame) -> pd.Series:
    """Area of each polygon in km², measured in UTM zone 38N."""
    return polygons.geometry.to_crs(AREA_CRS).area / 1e6


def read_admin_layer(path: Path, level: int) -> gpd.GeoDataFrame:
    """Read one COD-AB layer file into our column names (no filtering)."""
    return _tidy_layer(gpd.read_file(path), level)


def neighbour_pcodes(
    adm1: gpd.GeoDataFrame, pcode: str = KIRKUK_PCODE, within_km: float = NEIGHBOUR_KM
) -> set[str]:
    """The governorate itself and every governorate within ``within_km`` of it.

    30 km reaches Diyala (Kifri) and Ninewa, whose places reports mix up with Kirkuk's,
    though their simplified polygons do not touch it.
    """
    metric = adm1.to_crs(AREA_CRS)
    home = metric.loc[adm1["pcode"] == pcode, "geometry"]
    if home.empty:
        raise ValueError(f"No ADM1 unit with pcode {pcode!r} in the boundary layer.")
    near = metric.distance(home.iloc[0]) <= within_km * 1000
    return set(adm1.loc[near, "pcode"])


def load_boundaries(geo_dir: Path | None = None) -> Boundaries:
    """Load ADM1-ADM3 for Kirkuk governorate and its neighbours, with areas in km²."""
    directory = find_boundaries_dir() if geo_dir is None else Path(geo_dir)
    layers = {}
    for level in LEVELS:
        path = find_layer_file(directory, level)
        if path is None:
            raise BoundariesNotFound(
                f"No irq_admbnda_adm{level}_* file in {directory}. "
                f"Get the files from the HDX dataset 'cod-ab-irq' ({HDX_DATASET_URL})."
            )
        layers[level] = read_admin_layer(path, level)
    keep = neighbour_pcodes(layers[1])
    for level, layer in layers.items():
        layer = layer[layer["adm1_pcode"].isin(keep)].reset_index(drop=True)
        layer["in_kirkuk"] = layer["adm1_pcode"] == KIRKUK_PCODE
        layer["area_km2"] = area_km2(layer)
        layers[level] = layer
    return Boundaries(adm1=layers[1], adm2=layers[2], adm3=layers[3])
