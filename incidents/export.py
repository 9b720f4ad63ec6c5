"""Export incidents as CSV (ACLED names, pcodes beside names, optional HXL row), GeoJSON or GeoPackage.

Every export can be imported back (``--format kim``, ``acled`` or ``csv`` for CSV; ``geojson``;
``gpkg``) and gives the same incidents: the stable ``incident_id`` and every schema column travel with it.
"""
from __future__ import annotations

import io
import json
import math
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any, Iterable

import geopandas as gpd
import pandas as pd

from errors import BadInput
from incidents.filters import IncidentFilter
from incidents.schema import COLUMN_NAMES, conform

EXPORT_FORMATS = ("csv", "geojson", "gpkg")
EXPORT_MEDIA_TYPES = {"csv": "text/csv", "geojson": "application/geo+json", "gpkg": "application/geopackage+sqlite3"}
SOURCE_URLS = "source_urls"  # every source's URL of an incident, from the sources table (see with_source_urls)
GPKG_LAYER = "incidents"
# Schema order, with each admin pcode beside its name (DESIGN.md, Columns users expect on export).
EXPORT_COLUMNS: tuple[str, ...] = tuple(
    name
    for column in COLUMN_NAMES
    if not column.endswith("_pcode")
    for name in ((column, f"adm{column[-1]}_pcode") if column in ("admin1", "admin2", "admin3") else (column,))
)
HXL_TAGS: dict[str, str] = {
    "incident_id": "#event+code",
    "event_date": "#date+occurred",
    "event_type": "#event+type",
    "sub_event_type": "#event+type+sub",
    "actor1": "#group+name+first",
    "actor2": "#group+name+second",
    "admin1": "#adm1+name",
    "adm1_pcode": "#adm1+code",
    "admin2": "#adm2+name",
    "adm2_pcode": "#adm2+code",
    "admin3": "#adm3+name",
    "adm3_pcode": "#adm3+code",
    "location": "#loc+name",
    "latitude": "#geo+lat",
    "longitude": "#geo+lon",
    "geo_precision": "#geo+precision",
    "fatalities": "#affected+killed",
    "wounded": "#affected+injured",
    "source": "#meta+source",
    "source_url": "#meta+url",
    SOURCE_URLS: "#meta+url+all",
    "notes": "#description",
}


class UnknownExportFormat(BadInput, ValueError):
    """The export format asked for is not csv, geojson or gpkg."""


def export_filter(
    date_from: date | None = None,
    date_to: date | None = None,
    districts: Iterable[str] = (),
    event_types: Iterable[str] = (),
    scope: str = "all",
) -> IncidentFilter:
    """The filter of an export: a date range keeps only incidents dated inside it; every
    governorate unless ``scope`` (incidents.scope.REGIONS) says otherwise."""
    return IncidentFilter(
        scope=scope, date_from=date_from, date_to=date_to, adm2_pcodes=tuple(districts), event_types=tuple(event_types),
        include_undated=date_from is None and date_to is None,
    )


def export_frame(incidents: pd.DataFrame) -> pd.DataFrame:
    """The incidents in export column order (schema columns, and ``source_urls`` beside ``source_url`` when known)."""
    columns = list(EXPORT_COLUMNS)
    if SOURCE_URLS in incidents.columns:
        columns.insert(columns.index("source_url") + 1, SOURCE_URLS)
    return conform(incidents)[columns].reset_index(drop=True)


def with_source_urls(incidents: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The incidents with ``source_urls``: every source's URL, "; "-separated, the main report's first.

    A merged incident has one main ``source_url`` and several sources; exports carry them all.
    """
    urls = sources[sources["url"].fillna("").astype(str).str.len() > 0].groupby("incident_id")["url"].agg(
        lambda found: "; ".join(dict.fromkeys(found))
    )
    frame = incidents.copy()
    listed = frame["incident_id"].map(urls)
    main = frame["source_url"].astype("string").fillna("")
    frame[SOURCE_URLS] = [
        "; ".join(dict.fromkeys([m] * bool(m) + (str(u).split("; ") if isinstance(u, str) else []))) or pd.NA
        for m, u in zip(main, listed)
    ]
    frame[SOURCE_URLS] = frame[SOURCE_URLS].astype("string")
    return frame


# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse_formula(text: object) -> object:
    """Text that a spreadsheet would run as a formula, prefixed with an apostrophe (OWASP's advice).

    The importers remove the apostrophe again, so an export re-imports unchanged.

    >>> print(defuse_formula("=1+2"), defuse_formula("Daquq"), defuse_formula(3))
    '=1+2 Daquq 3
    """
    if isinstance(text, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_bytes(incidents: pd.DataFrame, hxl: bool = False) -> bytes:
    """CSV (UTF-8 with BOM so Excel shows Arabic), with an HXL hashtag row under the header if asked.

    Text cells that a spreadsheet would run as formulas are defused (``defuse_formula``).
    """
    frame = export_frame(incidents)
    text_columns = [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c])]
    frame[text_columns] = frame[text_columns].astype("object").map(defuse_formula)
    buffer = io.StringIO()
    if hxl:
        tags = pd.DataFrame([[HXL_TAGS.get(c, "") for c in frame.columns]], columns=frame.columns)
        frame = pd.concat([tags, frame.astype("object")], ignore_index=True)
    # CRLF line ends (RFC 4180): the csv writer then quotes a CR or LF inside a cell, so it reads back.
    frame.to_csv(buffer, index=False, lineterminator="\r\n")
    return buffer.getvalue().encode("utf-8-sig")


def _json_value(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def geojson_dict(incidents: pd.DataFrame) -> dict[str, Any]:
    """A GeoJSON FeatureCollection: one Point per incident (null geometry when unplaced)."""
    frame = export_frame(incidents).astype("object")
    features = []
    for record in frame.to_dict("records"):
        properties = {k: _json_value(v) for k, v in record.items()}
        lon, lat = properties["longitude"], properties["latitude"]
        # GeoJSON order is [longitude, latitude].
        geometry = {"type": "Point", "coordinates": [lon, lat]} if lon is not None and lat is not None else None
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def geojson_bytes(incidents: pd.DataFrame) -> bytes:
    """The GeoJSON FeatureCollection as UTF-8 bytes."""
    return json.dumps(geojson_dict(incidents), ensure_ascii=False).encode("utf-8")


def geodataframe(incidents: pd.DataFrame) -> gpd.GeoDataFrame:
    """The incidents as points in EPSG:4326 (empty geometry where unplaced)."""
    frame = export_frame(incidents)
    points = gpd.points_from_xy(frame["longitude"], frame["latitude"], crs="EPSG:4326")
    points = [None if pd.isna(x) or pd.isna(y) else p for p, x, y in zip(points, frame["longitude"], frame["latitude"])]
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(points, crs="EPSG:4326"))


def write_gpkg(incidents: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write a GeoPackage with one layer, ``incidents`` (via pyogrio)."""
    geodataframe(incidents).to_file(path, layer=GPKG_LAYER, driver="GPKG", engine="pyogrio")


def gpkg_bytes(incidents: pd.DataFrame) -> bytes:
    """The GeoPackage file's bytes (written to a temporary file first; GPKG is SQLite)."""
    with tempfile.TemporaryDirectory(prefix="kirkuk-export-") as directory:
        path = Path(directory) / "incidents.gpkg"
        write_gpkg(incidents, path)
        return path.read_bytes()


def export_bytes(incidents: pd.DataFrame, format: str, hxl: bool = False) -> bytes:
    """The export file's bytes in one of EXPORT_FORMATS."""
    if format == "csv":
        return csv_bytes(incidents, hxl=hxl)
    if format == "geojson":
        return geojson_bytes(incidents)
    if format == "gpkg":
        return gpkg_bytes(incidents)
    raise UnknownExportFormat(f"Unknown export format {format!r}. Use one of: {', '.join(EXPORT_FORMATS)}.")


def write_export(incidents: pd.DataFrame, path: str | os.PathLike, format: str, hxl: bool = False) -> int:
    """Write the incidents to ``path``; returns how many were written."""
    if format == "gpkg":
        if Path(path).exists():
            Path(path).unlink()  # GPKG would add a layer to the old file instead of replacing it
        write_gpkg(incidents, path)
    else:
        Path(path).write_bytes(export_bytes(incidents, format, hxl=hxl))
    return len(incidents)
