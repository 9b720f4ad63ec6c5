"""ACLED CSV exports (acleddata.com export tool, API or HDX) -> incidents.

ACLED's column names are ours, so the mapping is nearly one to one: ``event_id_cnty``
becomes ``source_id`` (and the stable incident id), ``geo_precision`` and
``time_precision`` keep ACLED's codes, which are ours (DESIGN.md).
"""
from __future__ import annotations

from typing import Mapping

import pandas as pd

from importers.reading import ChunkMapper, ProgressCallback, match_columns, raw_columns, read_delimited_file, require_columns
from importers.result import Candidates, ImportResult, parse_fields, source_incident_ids
from importers.tables import MAX_IMPORT_BYTES, Source

FORMAT = "acled"
# our column -> ACLED's column
ACLED_COLUMNS: dict[str, tuple[str, ...]] = {
    "source_id": ("event_id_cnty",),
    "event_date": ("event_date",),
    "time_precision": ("time_precision",),
    "event_type": ("event_type",),
    "sub_event_type": ("sub_event_type",),
    "actor1": ("actor1",),
    "actor2": ("actor2",),
    "admin1": ("admin1",),
    "admin2": ("admin2",),
    "admin3": ("admin3",),
    "location": ("location",),
    "latitude": ("latitude",),
    "longitude": ("longitude",),
    "geo_precision": ("geo_precision",),
    "source": ("source",),
    "notes": ("notes",),
    "fatalities": ("fatalities",),
}
REQUIRED = ("source_id", "event_date", "event_type", "sub_event_type", "location", "latitude", "longitude")
MISSING_FIX = "Rename the columns to ACLED's names, or import the file with --format csv and a column mapping."


def acled_candidates(raw: pd.DataFrame, labels: Mapping[str, str]) -> Candidates:
    """Schema columns from one chunk of ACLED rows (raw strings, our names)."""
    candidates = parse_fields(raw, labels)
    frame = candidates.frame
    frame["incident_id"] = source_incident_ids(FORMAT, frame["source_id"])
    if "time_precision" not in frame:
        frame["time_precision"] = pd.array([1] * len(frame), dtype="Int64")
    empty_date = frame["event_date"].isna() & raw["event_date"].isna()
    for line in frame.index[empty_date.to_numpy(dtype=bool)]:
        candidates.problems.append(
            {"line": line, "column": "event_date", "value": "", "reason": "is empty; every ACLED event has a date (YYYY-MM-DD)"}
        )
    if "geo_precision" not in frame:
        frame["geo_precision"] = pd.array([1] * len(frame), dtype="Int64")
    return candidates


def prepare_acled(name: str, header: list[str]) -> ChunkMapper:
    """Check an ACLED header and return the chunk mapper."""
    matched = match_columns(header, ACLED_COLUMNS)
    require_columns(name, header, matched, REQUIRED, MISSING_FIX)
    labels = dict(matched)
    return lambda chunk: acled_candidates(raw_columns(chunk, matched), labels)


def read_acled_csv(
    source: Source,
    *,
    name: str | None = None,
    encoding: str | None = None,
    on_progress: ProgressCallback | None = None,
    limit_bytes: int = MAX_IMPORT_BYTES,
) -> ImportResult:
    """Read an ACLED CSV export (any separator, UTF-8 with or without BOM, or cp1256).

    Raises MissingColumns, EmptyFile, FileTooLarge or UnreadableFile; bad rows go to
    ``rejects``, never raise.
    """
    return read_delimited_file(
        source, format=FORMAT, id_label="event_id_cnty", prepare=prepare_acled, name=name,
        encoding=encoding, on_progress=on_progress, limit_bytes=limit_bytes,
    )
