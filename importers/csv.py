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
from importers.reading import normalise_column_name
from importers.result import GIVEN_GEO_PRECISION, Candidates, ImportResult, parse_fields, row_incident_ids, source_incident_ids
from importers.tables import MAX_IMPORT_BYTES, Source
from importers.values import clean_text
from incidents.schema import COLUMN_NAMES, EVENT_TYPES, NO_SUB_EVENT_TYPE

FORMAT = "csv"
# Names seen in analysts' sheets, per schema column (our own name is always tried first).
ALIASES: dict[str, tuple[str, ...]] = {
    "event_date": ("date", "incident_date", "date_of_incident", "day", "التاريخ"),
    "event_type": ("type", "incident_type"),
    "sub_event_type": ("sub_type", "subtype", "sub_event", "incident_subtype"),
    "location": ("place", "place_name", "location_name", "village", "town", "city", "site", "المكان", "الموقع"),
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


# Columns with a closed list of values: ``--map event_type=Battles`` names a value, not a column.
CONSTANT_VALUES: dict[str, tuple[str, ...]] = {
    "event_type": tuple(EVENT_TYPES),
    "sub_event_type": tuple(sub for subs in EVENT_TYPES.values() for sub in subs),
    "time_precision": ("1", "2", "3"),
    "geo_precision": ("1", "2", "3"),
}
ValueMaps = Mapping[str, Mapping[str, str]]


def _split_pair(pair: str) -> tuple[str, str, str]:
    """``OURS=THEIRS`` or ``OURS:THEIRS={...}`` -> (ours, theirs, the value map text or "")."""
    left, sep, right = pair.partition("=")
    left, right = left.strip(), right.strip()
    if not sep or not left or not right:
        raise BadColumnMapping(f"Column mapping {pair!r} is not OUR_COLUMN=YOUR_COLUMN, e.g. latitude=lat.")
    ours, colon, theirs = left.partition(":")
    if colon:
        if not (right.startswith("{") and right.endswith("}")):
            raise BadColumnMapping(
                f"Column mapping {pair!r}: a value map is OURS:THEIRS={{their value: our value, ...}}, "
                "e.g. event_type:attack_type={Bombing/Explosion: Explosions/Remote violence}."
            )
        return ours.strip(), theirs.strip(), right
    return left, right, ""


def parse_column_mapping(pairs: list[str] | None) -> dict[str, str]:
    """``["latitude=lat", "location=Place name"]`` -> ``{"latitude": "lat", "location": "Place name"}``.

    ``OURS:THEIRS={...}`` maps OURS to the column THEIRS (its values: ``parse_value_maps``);
    ``event_type=Battles`` (a value of a closed list, not a column) is a constant, decided
    when the header is read.

    >>> parse_column_mapping(["latitude=Lat ", "location = Place name", "event_type:attack_type={Bombing: Battles}"])
    {'latitude': 'Lat', 'location': 'Place name', 'event_type': 'attack_type'}
    """
    mapping: dict[str, str] = {}
    for pair in pairs or []:
        ours, theirs, _ = _split_pair(pair)
        if ours not in COLUMN_NAMES:
            raise BadColumnMapping(
                f"Column mapping {pair!r}: {ours!r} is not one of our columns. Use one of: {', '.join(COLUMN_NAMES)}."
            )
        mapping[ours] = theirs
    return mapping


def parse_value_maps(pairs: list[str] | None) -> dict[str, dict[str, str]]:
    """The value maps of ``OURS:THEIRS={their value: our value, ...}`` pairs: ``{ours: {theirs: ours}}``.

    >>> parse_value_maps(["event_type:attack_type={Bombing/Explosion: Explosions/Remote violence, Armed Assault: Battles}"])
    {'event_type': {'Bombing/Explosion': 'Explosions/Remote violence', 'Armed Assault': 'Battles'}}
    """
    maps: dict[str, dict[str, str]] = {}
    for pair in pairs or []:
        ours, _, text = _split_pair(pair)
        if not text:
            continue
        values: dict[str, str] = {}
        for item in filter(str.strip, text[1:-1].split(",")):
            theirs, colon, value = item.partition(":")
            if not colon or not theirs.strip() or not value.strip():
                raise BadColumnMapping(f"Column mapping {pair!r}: {item.strip()!r} is not 'their value: our value'.")
            values[theirs.strip()] = value.strip()
        maps[ours] = values
    return maps


def split_constants(header: list[str], mapping: Mapping[str, str] | None) -> tuple[dict[str, str], dict[str, str]]:
    """(column mapping, constants): a mapped value that is no column but a value of a closed list is a constant.

    >>> split_constants(["date", "type"], {"event_type": "battles", "event_date": "date"})
    ({'event_date': 'date'}, {'event_type': 'Battles'})
    """
    columns: dict[str, str] = {}
    constants: dict[str, str] = {}
    known = {normalise_column_name(h) for h in header}
    for ours, theirs in (mapping or {}).items():
        allowed = {v.lower(): v for v in CONSTANT_VALUES.get(ours, ())}
        if normalise_column_name(theirs) not in known and theirs.strip().lower() in allowed:
            constants[ours] = allowed[theirs.strip().lower()]
        else:
            columns[ours] = theirs
    return columns, constants


def apply_value_maps(raw: pd.DataFrame, value_maps: ValueMaps | None) -> pd.DataFrame:
    """A copy of the raw chunk with each mapped column's values replaced by ours (matched in any case)."""
    if not value_maps:
        return raw
    out = raw.copy()
    for ours, values in value_maps.items():
        if ours in out:
            lookup = {k.strip().lower(): v for k, v in values.items()}
            text = clean_text(out[ours])
            out[ours] = [lookup.get(v.lower(), v) if isinstance(v, str) else None for v in text.tolist()]
    return out


def generic_candidates(raw: pd.DataFrame, labels: Mapping[str, str], row_ids: pd.Series | None = None) -> Candidates:
    """Schema columns from one chunk of generic rows (raw strings, our names).

    ``row_ids`` (a hash of every field of each row) identify rows without an id of their own.
    """
    candidates = parse_fields(raw, labels)
    frame = candidates.frame
    if "incident_id" not in frame:
        frame["incident_id"] = pd.Series(pd.NA, index=frame.index, dtype="string")
    if "source_id" in frame:
        from_source = source_incident_ids(FORMAT, frame["source_id"])
        frame["incident_id"] = frame["incident_id"].fillna(from_source)
    if row_ids is not None:
        frame["incident_id"] = frame["incident_id"].fillna(row_ids)
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
    # An event type without a sub-type (our export of an old ACLED event): kept, for review.
    no_sub_type = frame["event_type"].isin(list(EVENT_TYPES)) & frame["sub_event_type"].isna() & raw["sub_event_type"].isna()
    frame.loc[no_sub_type, "sub_event_type"] = NO_SUB_EVENT_TYPE
    for line in frame.index[no_sub_type.to_numpy(dtype=bool)]:
        candidates.reviews.append((line, "no sub-event type in the file; choose one"))
    undated = frame["event_date"].isna() & raw["event_date"].isna()
    for line in frame.index[undated.to_numpy(dtype=bool)]:
        candidates.reviews.append((line, "no event date in the file"))
    return candidates


def prepare_generic(mapping: Mapping[str, str] | None, value_maps: ValueMaps | None = None) -> Callable[[str, list[str]], ChunkMapper]:
    """A header check for generic files with the user's mapping; returns the chunk mapper."""

    def prepare(name: str, header: list[str]) -> ChunkMapper:
        columns, constants = split_constants(header, mapping)
        matched = {k: v for k, v in match_columns(header, WANTED, columns).items() if k not in constants}
        present = dict(matched) | {ours: "(constant)" for ours in constants}
        require_columns(name, header, present, REQUIRED, MISSING_FIX)
        if "location" not in present and not {"latitude", "longitude"} <= set(present):
            require_columns(name, header, present, ("location",), f"A file needs a place column. {NO_PLACE_FIX}")

        def to_candidates(chunk: pd.DataFrame) -> Candidates:
            raw = raw_columns(chunk, matched)
            for ours, value in constants.items():
                raw[ours] = value
            raw = apply_value_maps(raw, value_maps)
            # Every field, time of day included: two attacks at 10:30 and 22:45 are two rows.
            return generic_candidates(raw, dict(matched), row_ids=row_incident_ids(FORMAT, chunk))

        return to_candidates

    return prepare


def read_generic_csv(
    source: Source,
    *,
    mapping: Mapping[str, str] | None = None,
    value_maps: ValueMaps | None = None,
    name: str | None = None,
    encoding: str | None = None,
    on_progress: ProgressCallback | None = None,
    limit_bytes: int = MAX_IMPORT_BYTES,
) -> ImportResult:
    """Read a spreadsheet-style CSV (any separator; UTF-8, UTF-8 with BOM, UTF-16 or cp1256; plain or zipped).

    ``mapping`` is ``{our column: their column or a constant}``; unmapped columns are found
    by name; ``value_maps`` is ``{our column: {their value: our value}}``.
    Raises MissingColumns, BadColumnMapping, EmptyFile, FileTooLarge or UnreadableFile.
    """
    return read_delimited_file(
        source, format=FORMAT, id_label="(whole row)", prepare=prepare_generic(mapping, value_maps), name=name,
        encoding=encoding, on_progress=on_progress, limit_bytes=limit_bytes,
    )

