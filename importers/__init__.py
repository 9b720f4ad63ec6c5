"""Importers: ACLED, UCDP GED, generic CSV, GeoJSON and GeoPackage files -> schema-valid incidents + rejects.

Each reader takes a path or a file object and returns an ImportResult: the incidents
(conforming to incidents.schema) and a reject table with the line, column, value,
reason and original row of every problem. ``pipeline`` geocodes, joins and stores them.
"""
from __future__ import annotations

from typing import Callable

from importers.acled import read_acled_csv
from importers.csv import parse_column_mapping, parse_value_maps, read_generic_csv
from importers.errors import (
    BadColumnMapping, EmptyFile, FileTooLarge, ImportFailed, MissingColumns, UnknownFormat, UnreadableFile,
)
from importers.geojson import read_geojson, read_geopackage
from importers.result import REJECT_COLUMNS, ImportResult
from importers.tables import MAX_IMPORT_BYTES
from importers.ucdp import read_ucdp_csv

FORMATS: dict[str, Callable[..., ImportResult]] = {
    "acled": read_acled_csv,
    "ucdp": read_ucdp_csv,
    "csv": read_generic_csv,
    "geojson": read_geojson,
    "gpkg": read_geopackage,
    "kim": read_generic_csv,  # our own CSV export: every schema column by name, incident_id kept
}

__all__ = [
    "FORMATS", "MAX_IMPORT_BYTES", "REJECT_COLUMNS", "ImportResult", "read_acled_csv", "read_ucdp_csv",
    "read_generic_csv", "read_geojson", "read_geopackage", "parse_column_mapping", "parse_value_maps", "ImportFailed", "FileTooLarge", "EmptyFile",
    "MissingColumns", "UnreadableFile", "BadColumnMapping", "UnknownFormat",
]
