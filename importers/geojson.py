"""GeoJSON FeatureCollections (our own export, or an analyst's layer) -> incidents.

Properties are read like the columns of a generic CSV (our names, aliases or a user's
mapping). A Point gives the coordinates; a null geometry leaves the place name to the
gazetteer; an area (Polygon, ...) is placed at a point inside it with geo_precision 3
unless the feature says otherwise. ``line`` in the result is the feature's number.
"""
from __future__ import annotations

import json
from typing import Any, Mapping

import pandas as pd
import shapely.geometry

from importers.csv import REQUIRED, WANTED, MISSING_FIX, generic_candidates
from importers.errors import EmptyFile, UnreadableFile
from importers.reading import ProgressCallback, match_columns, normalise_column_name, raw_columns, require_columns
from importers.result import ImportResult, ResultBuilder
from importers.tables import (
    CHUNK_ROWS, MAX_IMPORT_BYTES, Source, cell_bytes_over_limit, open_binary, oversize_problem, source_name,
)

FORMAT = "geojson"
WGS84_NAMES = ("EPSG:4326", "urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326", "OGC:CRS84")
# The point of a feature's geometry, beside its properties: names no property can have
# (a property may well be called ``__longitude``).
GEOMETRY_LONGITUDE, GEOMETRY_LATITUDE = "\x00geometry longitude", "\x00geometry latitude"
_ORIGINAL_CHARS = 5_000  # a feature's JSON in the reject report is cut here


def property_text(value: Any) -> str | None:
    """A property value as the text a CSV cell would hold.

    >>> [property_text(v) for v in (35.4681, 3, True, None, "Daquq", [1, 2])]
    ['35.4681', '3', 'true', None, 'Daquq', '[1, 2]']
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def point_of(geometry: Any) -> tuple[float | None, float | None, str | None, str | None]:
    """(longitude, latitude, area type or None, problem or None) for a feature's geometry.

    >>> point_of({"type": "Point", "coordinates": [44.39, 35.47]})
    (44.39, 35.47, None, None)
    """
    if geometry is None:
        return None, None, None, None
    if not isinstance(geometry, dict) or "type" not in geometry:
        return None, None, None, "geometry is not a GeoJSON geometry object"
    kind = geometry["type"]
    try:
        shape = shapely.geometry.shape(geometry)
    except Exception as error:  # shapely raises several types for malformed input
        return None, None, None, f"{kind} geometry cannot be read ({error}); expected [longitude, latitude] numbers"
    if shape.is_empty:
        return None, None, None, None
    if kind == "Point":
        return float(shape.x), float(shape.y), None, None
    point = shape.representative_point()
    return float(point.x), float(point.y), kind, None


def crs_name(crs: Any) -> str | None:
    """The name of a FeatureCollection's ``crs`` member, in any shape files give it (None: not said).

    >>> crs_name({"type": "name", "properties": {"name": "EPSG:3857"}}), crs_name("EPSG:4326"), crs_name(["EPSG:32638"])
    ('EPSG:3857', 'EPSG:4326', 'EPSG:32638')
    """
    if isinstance(crs, str):
        return crs.strip() or None
    if isinstance(crs, list):
        names = [crs_name(item) for item in crs]
        return next((n for n in names if n), None)
    if isinstance(crs, dict):
        properties = crs.get("properties")
        if isinstance(properties, dict) and isinstance(properties.get("name"), str):
            return properties["name"]
        if isinstance(crs.get("name"), str):
            return crs["name"]
    return None


def _features(data: Any, name: str) -> list[Any]:
    if isinstance(data, dict) and data.get("type") == "FeatureCollection" and isinstance(data.get("features"), list):
        crs = crs_name(data.get("crs"))
        if crs and crs not in WGS84_NAMES:
            raise UnreadableFile(
                f"{name} declares the coordinate system {crs}; GeoJSON imports must be WGS84 (EPSG:4326). "
                "Reproject it (e.g. ogr2ogr -t_srs EPSG:4326) and import again."
            )
        return data["features"]
    if isinstance(data, dict) and data.get("type") == "Feature":
        return [data]
    found = data.get("type") if isinstance(data, dict) else type(data).__name__
    raise UnreadableFile(f"{name} is JSON but not a GeoJSON FeatureCollection (found type {found!r}). Export the layer as GeoJSON.")


def read_geojson(
    source: Source,
    *,
    mapping: Mapping[str, str] | None = None,
    name: str | None = None,
    on_progress: ProgressCallback | None = None,
    limit_bytes: int = MAX_IMPORT_BYTES,
) -> ImportResult:
    """Read a GeoJSON file of incident features (WGS84), one incident per feature.

    Raises EmptyFile, FileTooLarge, UnreadableFile or MissingColumns (no feature has a
    required property); bad features go to ``rejects`` with their JSON.
    """
    name = source_name(source, name)
    binary = open_binary(source, name, limit_bytes)
    data_bytes = binary.read()
    if not data_bytes.strip():
        raise EmptyFile(f"{name} is empty. Expected a GeoJSON FeatureCollection.")
    try:
        data = json.loads(data_bytes.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"{name} is not UTF-8 text ({error.reason}); GeoJSON must be UTF-8. Save it as UTF-8.") from error
    except json.JSONDecodeError as error:
        raise UnreadableFile(
            f"{name} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}. "
            "Fix the file there or export the layer again."
        ) from error
    except RecursionError as error:
        raise UnreadableFile(
            f"{name} nests its JSON too deeply to read (thousands of levels). Export the layer again as plain GeoJSON."
        ) from error
    return read_geojson_data(data, name=name, mapping=mapping, on_progress=on_progress)


def read_geojson_data(
    data: Any, *, name: str, mapping: Mapping[str, str] | None = None, on_progress: ProgressCallback | None = None
) -> ImportResult:
    """Read parsed GeoJSON (a FeatureCollection or one Feature) into an ImportResult."""
    features = _features(data, name)

    rows: list[dict[str, str | None]] = []
    originals: dict[int, str] = {}
    problems: list[dict[str, object]] = []
    areas: dict[int, str] = {}
    header: dict[str, None] = {}
    spelling: dict[str, str] = {}
    for number, feature in enumerate(features, start=1):
        try:
            originals[number] = json.dumps(feature, ensure_ascii=False)[:_ORIGINAL_CHARS]
        except (RecursionError, ValueError):
            originals[number] = "(a feature nested too deeply to show)"
            problems.append({"line": number, "column": "(feature)", "value": "", "reason": "is nested too deeply to read; flatten its properties"})
            rows.append({})
            continue
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append({"line": number, "column": "(feature)", "value": "", "reason": "is not a GeoJSON Feature object"})
            rows.append({})
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            properties = {}
        # One column per name in any spelling: "EVENT_TYPE" in one feature and "event_type" in the next.
        row = {spelling.setdefault(normalise_column_name(str(k)), str(k)): property_text(v) for k, v in properties.items()}
        for key, text in row.items():
            size = cell_bytes_over_limit(text) if text is not None else None
            if size is not None:
                problems.append(oversize_problem(number, key, text, size))
                row[key] = None  # the feature is rejected; its text is not parsed
        header.update(dict.fromkeys(row))
        longitude, latitude, area, problem = point_of(feature.get("geometry"))
        if problem:
            problems.append({"line": number, "column": "geometry", "value": json.dumps(feature.get("geometry"))[:200], "reason": problem})
        if longitude is not None:
            row[GEOMETRY_LONGITUDE], row[GEOMETRY_LATITUDE] = repr(longitude), repr(latitude)
        if area:
            areas[number] = area
        rows.append(row)
    if not features:
        raise EmptyFile(f"{name} has no features. Expected one Feature per incident.")

    frame = pd.DataFrame(rows, index=pd.Index(range(1, len(rows) + 1), name="line"), dtype="string")
    matched = match_columns(list(header), WANTED, mapping)
    require_columns(name, list(header), matched, REQUIRED, MISSING_FIX.replace("Rename them", "Rename the properties"))
    raw = raw_columns(frame.reindex(columns=list(header) + [GEOMETRY_LONGITUDE, GEOMETRY_LATITUDE]), matched)
    for ours in ("latitude", "longitude", "location", "geo_precision", "event_date"):
        if ours not in raw:
            raw[ours] = pd.Series(pd.NA, index=raw.index, dtype="string")
    has_geometry = frame.reindex(columns=[GEOMETRY_LONGITUDE])[GEOMETRY_LONGITUDE].notna()
    raw.loc[has_geometry, "longitude"] = frame.loc[has_geometry, GEOMETRY_LONGITUDE]
    raw.loc[has_geometry, "latitude"] = frame.loc[has_geometry, GEOMETRY_LATITUDE]
    is_area = raw.index.isin(list(areas))
    raw.loc[is_area & raw["geo_precision"].isna(), "geo_precision"] = "3"

    labels = dict(matched) | {"latitude": "geometry", "longitude": "geometry"}
    builder = ResultBuilder(name, FORMAT, "(whole feature)")
    for start in range(0, len(raw), CHUNK_ROWS):
        part = raw.iloc[start : start + CHUNK_ROWS]
        candidates = generic_candidates(part, labels)
        candidates.problems[:0] = [p for p in problems if p["line"] in part.index]
        for number in part.index:
            if number in areas:
                candidates.reviews.append((number, f"{areas[number]} geometry placed at a point inside it"))
        candidates.original_row = originals.__getitem__
        builder.add(candidates)
        if on_progress is not None:
            on_progress(min(start + CHUNK_ROWS, len(raw)), len(raw))
    return builder.result()


def read_geopackage(
    source: Source,
    *,
    mapping: Mapping[str, str] | None = None,
    name: str | None = None,
    on_progress: ProgressCallback | None = None,
    limit_bytes: int = MAX_IMPORT_BYTES,
) -> ImportResult:
    """Read a GeoPackage (our export's format) of incident points: its first layer, reprojected to WGS84.

    ``line`` in the result is the feature's number. Raises UnreadableFile for a file that is
    not a GeoPackage.
    """
    import tempfile
    from pathlib import Path

    import pyogrio

    name = source_name(source, name)
    binary = open_binary(source, name, limit_bytes)
    with tempfile.TemporaryDirectory(prefix="kirkuk-import-") as directory:
        path = Path(directory) / "import.gpkg"
        path.write_bytes(binary.read())
        try:
            layers = pyogrio.list_layers(path)
            frame = pyogrio.read_dataframe(path, layer=str(layers[0][0])) if len(layers) else None
        except Exception as error:  # pyogrio raises DataSourceError and others for what GDAL cannot open
            raise UnreadableFile(f"{name} cannot be read as a GeoPackage ({error}). Export it again as .gpkg.") from error
    if frame is None or frame.empty:
        raise EmptyFile(f"{name} has no features. Expected one point per incident.")
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    data = json.loads(frame.to_json(na="null", drop_id=True))
    return read_geojson_data(data, name=name, mapping=mapping, on_progress=on_progress)
