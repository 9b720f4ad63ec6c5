"""Generic CSV (an analyst's spreadsheet, or our own export) -> incidents.

Columns are found by our names, by common aliases (lat, lng, date, place, killed, ...)
and by a user's mapping ``{our column: their column}``, which wins. A row needs a place:
coordinates, or a place name that the pipeline geocodes through the gazetteer.
"""
from __future__ import annotations

from typing import Callable, Mapping

import pandas as pd

from importers.reading import (
    ChunkMapper, ProgressCallback, match_columns, raw_columns, read_delimited_file, require_columns,
)
from importers.errors import BadColumnMapping
from importers.result import GIVEN_GEO_PRECISION, Candidates, ImportResult, parse_fields, source_incident_ids
from importers.tables import MAX_IMPORT_BYTES, Source
from incidents.schema import COLUMN_NAMES

FORMAT = "csv"
# Names seen in analysts' sheets, per schema column (our own name is always tried first).
ALIASES: dict[str, tuple[str, ...]] = {
    "event_date": ("date", "incident_date", "date_of_incident", "day", "التاريخ"),
    "event_type": ("type", "incident_type"),
    "sub_event_type": ("sub_type", "subtype", "sub_event", "incident_subtype"),
    "location": ("place", "place_name", "location_name", "village", "town", "site", "المكان", "الموقع"),
    "latitude": ("lat", "y", "lat_dd", "latitude_dd"),
    "longitude": ("lon", "lng", "long", "x", "lon_dd", "longitude_dd"),
    "fatalities": ("killed", "deaths", "dead", "death_toll"),
    "wounded": ("injured", "injuries"),
    "notes": ("description", "summary", "details"),
    "source_url": ("url", "link"),
    "source_id": ("event_id_cnty", "event_id", "record_id"),
}
WANTED: dict[str, tuple[str, ...]] = {name: (name,) + ALIASES.get(name, ()) for name in COLUMN_NAMES}
REQUIRED = ("event_date", "event_type", "sub_event_type")
MISSING_FIX = "Rename them, or map them with --map OUR_COLUMN=YOUR_COLUMN (or the mapping form on the data page)."
NO_PLACE_FIX = (
    "Give coordinates (latitude and longitude) or a place name (location), "
    "or map yours with --map latitude=YOUR_COLUMN --map location=YOUR_COLUMN."
)


def parse_column_mapping(pairs: list[str] | None) -> dict[str, str]:
    """``["latitude=lat", "location=Place name"]`` -> ``{"latitude": "lat", "location": "Place name"}``.

    >>> parse_column_mapping(["latitude=Lat ", "location = Place name"])
    {'latitude': 'Lat', 'location': 'Place name'}
    """
    mapping: dict[str, str] = {}
    for pair in pairs or []:
        ours, sep, theirs = pair.partition("=")
        ours, theirs = ours.strip(), theirs.strip()
        if not sep or not ours or not theirs:
            raise BadColumnMapping(f"Column mapping {pair!r} is not OUR_COLUMN=YOUR_COLUMN, e.g. latitude=lat.")
        if ours not in COLUMN_NAMES:
            raise BadColumnMapping(
                f"Column mapping {pair!r}: {ours!r} is not one of our columns. Use one of: {', '.join(COLUMN_NAMES)}."
            )
        mapping[ours] = theirs
    return mapping


def generic_candidates(raw: pd.DataFrame, labels: Mapping[str, str]) -> Candidates:
    """Schema columns from one chunk of generic rows (raw strings, our names)."""
    candidates = parse_fields(raw, labels)
    frame = candidates.frame
    if "incident_id" not in frame:
        frame["incident_id"] = pd.Series(pd.NA, index=frame.index, dtype="string")
    if "source_id" in frame:
        from_source = source_incident_ids(FORMAT, frame["source_id"])
        frame["incident_id"] = frame["incident_id"].fillna(from_source)
    if "time_precision" not in frame:
        frame["time_precision"] = pd.Series(1, index=frame.index, dtype="Int64")
    frame["time_precision"] = frame["time_precision"].fillna(1)
    for name in ("latitude", "longitude", "location"):
        if name not in frame:
            frame[name] = pd.NA
    has_point = frame["latitude"].notna() & frame["longitude"].notna()
    if "geo_precision" not in frame:
        frame["geo_precision"] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    frame[GIVEN_GEO_PRECISION] = frame["geo_precision"].copy()
    # A given point is taken as the place itself; a place name waits for the gazetteer (3 until then).
    frame["geo_precision"] = frame["geo_precision"].fillna(has_point.map({True: 1, False: 3}))
    no_location = frame["location"].isna()
    unnamed = no_location & has_point
    frame.loc[unnamed, "location"] = [
        f"unnamed place at {lat:.4f}, {lon:.4f}" for lat, lon in zip(frame.loc[unnamed, "latitude"], frame.loc[unnamed, "longitude"])
    ]
    no_place = no_location & frame["latitude"].isna() & frame["longitude"].isna()
    for line in frame.index[no_place.to_numpy(dtype=bool)]:
        candidates.problems.append({"line": line, "column": labels.get("location", "location"), "value": "", "reason": f"the row has no place. {NO_PLACE_FIX}"})
    undated = frame["event_date"].isna() & raw["event_date"].isna()
    for line in frame.index[undated.to_numpy(dtype=bool)]:
        candidates.reviews.append((line, "no event date in the file"))
    return candidates


def prepare_generic(mapping: Mapping[str, str] | None) -> Callable[[str, list[str]], ChunkMapper]:
    """A header check for generic files with the user's mapping; returns the chunk mapper."""

    def prepare(name: str, header: list[str]) -> ChunkMapper:
        matched = match_columns(header, WANTED, mapping)
        require_columns(name, header, matched, REQUIRED, MISSING_FIX)
        if "location" not in matched and not {"latitude", "longitude"} <= set(matched):
            require_columns(name, header, matched, ("location",), f"A file needs a place column. {NO_PLACE_FIX}")
        return lambda chunk: generic_candidates(raw_columns(chunk, matched), dict(matched))

    return prepare


def read_generic_csv(
    source: Source,
    *,
    mapping: Mapping[str, str] | None = None,
    name: str | None = None,
    encoding: str | None = None,
    on_progress: ProgressCallback | None = None,
    limit_bytes: int = MAX_IMPORT_BYTES,
) -> ImportResult:
    """Read a spreadsheet-style CSV (any separator; UTF-8, UTF-8 with BOM, UTF-16 or cp1256).

    ``mapping`` is ``{our column: their column}``; unmapped columns are found by name.
    Raises MissingColumns, BadColumnMapping, EmptyFile, FileTooLarge or UnreadableFile.
    """
    return read_delimited_file(
        source, format=FORMAT, id_label="(whole row)", prepare=prepare_generic(mapping), name=name,
        encoding=encoding, on_progress=on_progress, limit_bytes=limit_bytes,
    )

