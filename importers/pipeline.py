"""After reading: geocode place-only rows, join to the boundaries, store in one transaction.

The gazetteer and the boundaries are arguments, so tests hand in small ones. A place the
gazetteer cannot resolve keeps its row, with ``needs_review`` and the reason.
"""
from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Mapping

import pandas as pd
import sqlalchemy as sa

from geo.boundaries import Boundaries
from geo.gazetteer import LOW_MATCH_SCORE, Gazetteer
from geo.join import assign_admin_units
from importers import FORMATS
from importers.errors import UnknownFormat, UnreadableFile
from importers.placement import FINEST_ADMIN_LEVEL, WITHIN_REGIONS, flag_admin_disagreements, keep_within, limit_admin_levels
from importers.reading import ProgressCallback
from importers.result import GIVEN_GEO_PRECISION, REJECT_COLUMNS, ImportResult
from importers.tables import MAX_IMPORT_BYTES, Source
from incidents.export import defuse_formula
from incidents.schema import conform, is_missing, join_reasons
from incidents.store import SaveCounts, save_new_incidents, stored_incident_ids



def read_import(
    source: Source,
    format: str,
    *,
    mapping: Mapping[str, str] | None = None,
    value_maps: Mapping[str, Mapping[str, str]] | None = None,
    name: str | None = None,
    encoding: str | None = None,
    on_progress: ProgressCallback | None = None,
    limit_bytes: int = MAX_IMPORT_BYTES,
) -> ImportResult:
    """Read a file in one of FORMATS; ``mapping`` applies to csv and geojson, ``value_maps`` to csv."""
    if format not in FORMATS:
        raise UnknownFormat(f"Unknown import format {format!r}. Use one of: {', '.join(FORMATS)}.")
    options: dict[str, Any] = {"name": name, "on_progress": on_progress, "limit_bytes": limit_bytes}
    if format not in ("geojson", "gpkg"):
        options["encoding"] = encoding
    if format in ("csv", "geojson", "gpkg"):
        options["mapping"] = mapping
    if format == "csv" and value_maps:
        options["value_maps"] = value_maps
    return FORMATS[format](source, **options)


def geocode_place_only(incidents: pd.DataFrame, gazetteer: Gazetteer | None) -> pd.DataFrame:
    """A copy where rows without coordinates take the gazetteer's point, precision and pcodes.

    Each distinct name is looked up once. An unresolved name leaves the row as it is,
    with ``needs_review`` and a reason; nothing is dropped.
    """
    result = incidents.copy()
    todo = result["latitude"].isna() & result["longitude"].isna() & result["location"].notna()
    if not todo.any():
        return result
    given = result[GIVEN_GEO_PRECISION] if GIVEN_GEO_PRECISION in result else pd.Series(pd.NA, index=result.index, dtype="Int64")
    looked_up: dict[str, Any] = {}
    for index in result.index[todo.to_numpy(dtype=bool)]:
        place = str(result.at[index, "location"])
        if gazetteer is None:
            reason = f"place {place!r} not geocoded: no gazetteer was loaded"
            _add_reason(result, index, reason)
            continue
        if place not in looked_up:
            looked_up[place] = gazetteer.geocode(place)
        found = looked_up[place]
        if not found.matched:
            _add_reason(result, index, f"place {place!r} not found in the gazetteer ({found.reason or 'no match'})")
            continue
        columns = found.incident_columns()
        if not is_missing(columns["latitude"]) and not is_missing(columns["longitude"]):
            result.at[index, "latitude"], result.at[index, "longitude"] = float(columns["latitude"]), float(columns["longitude"])
        precision = columns["geo_precision"] or 3
        file_precision = given.get(index)
        # Never finer than either the file or the gazetteer says.
        if file_precision is not None and not pd.isna(file_precision):
            precision = max(int(precision), int(file_precision))
        result.at[index, "geo_precision"] = int(precision)
        for level in (1, 2, 3):
            if columns[f"adm{level}_pcode"]:
                result.at[index, f"adm{level}_pcode"] = columns[f"adm{level}_pcode"]
        resolved = found.name
        if resolved and resolved != place:
            # The location column holds the gazetteer's name; the file's spelling stays in the notes.
            result.at[index, "location"] = resolved
            result.at[index, "notes"] = join_reasons(result.at[index, "notes"], [f"place as given: {place}"])
        score = found.score
        if score < LOW_MATCH_SCORE:
            _add_reason(result, index, f"low match score {score:.2f} for place {place!r} (matched {resolved!r})")
    return result


def _add_reason(frame: pd.DataFrame, index: Any, reason: str) -> None:
    frame.at[index, "review_reasons"] = join_reasons(frame.at[index, "review_reasons"], [reason])
    frame.at[index, "needs_review"] = True


def locate_incidents(incidents: pd.DataFrame, boundaries: Boundaries, gazetteer: Gazetteer | None) -> pd.DataFrame:
    """Geocode place-only rows, join every row to the boundaries (outside ones marked), never finer
    than the file states, and flag rows whose file names other admin units than the join."""
    located = geocode_place_only(conform(incidents), gazetteer)
    joined = flag_admin_disagreements(limit_admin_levels(assign_admin_units(located, boundaries)))
    return conform(joined.drop(columns=[GIVEN_GEO_PRECISION, FINEST_ADMIN_LEVEL], errors="ignore"))


@dataclass(frozen=True)
class ImportSummary:
    """What an import did, for the CLI and the data page."""

    source_name: str
    format: str
    rows_read: int
    accepted: int
    rejected: int
    new: int
    already_stored: int
    needs_review: int
    outside_kirkuk: int
    unplaced: int
    dry_run: bool
    rejects_path: str | None = None
    warnings: tuple[str, ...] = ()
    within: str | None = None  # the region the import was kept within (--within), None for all
    skipped_outside: int = 0  # valid rows skipped because they lie outside ``within`` (not rejects)

    def message(self) -> str:
        """One line: 'N accepted, M rejected; rejects written to FILE', plus what was stored."""
        text = f"{self.accepted} accepted, {self.rejected} rejected"
        if self.within is not None:
            text += f", {self.skipped_outside} skipped: outside the region ({WITHIN_REGIONS[self.within]})"
        if self.rejects_path:
            text += f"; rejects written to {self.rejects_path}"
        verb = "would be added" if self.dry_run else "added"
        text += (
            f". {self.new} new incident(s) {verb}, {self.already_stored} already in the store; "
            f"{self.outside_kirkuk} outside Kirkuk (kept, marked), {self.needs_review} need review"
        )
        if self.unplaced:
            text += f", {self.unplaced} without coordinates"
        text += " (dry run: nothing stored)." if self.dry_run else "."
        return " ".join([text, *(f"Warning: {w}" for w in self.warnings)])


def store_incidents(engine: sa.Engine, incidents: pd.DataFrame, dry_run: bool = False) -> SaveCounts:
    """Save the incidents in one transaction, or only count what would be new (dry run)."""
    if not dry_run:
        return save_new_incidents(engine, incidents)
    ids = list(dict.fromkeys(incidents["incident_id"].astype(str)))
    known = stored_incident_ids(engine, ids)
    return SaveCounts(new=len(ids) - len(known), already_stored=len(known))


def summarise(
    result: ImportResult, located: pd.DataFrame, counts: SaveCounts, dry_run: bool, rejects_path: str | None,
    within: str | None = None, skipped_outside: int = 0,
) -> ImportSummary:
    """The summary of one import (``located``: the rows kept, after any ``within``)."""
    return ImportSummary(
        source_name=result.source_name, format=result.format, rows_read=result.rows_read,
        accepted=len(located), rejected=result.rejected_rows, new=counts.new, already_stored=counts.already_stored,
        needs_review=int(located["needs_review"].fillna(False).sum()),
        outside_kirkuk=int((~located["in_kirkuk"].fillna(False) & located["latitude"].notna()).sum()),
        unplaced=int(located["latitude"].isna().sum()), dry_run=dry_run, rejects_path=rejects_path,
        warnings=result.warnings, within=within, skipped_outside=skipped_outside,
    )


def rejects_csv_bytes(rejects: pd.DataFrame) -> bytes:
    """The reject report as CSV bytes (UTF-8 with BOM, so Excel shows Arabic text)."""
    buffer = io.StringIO()
    # The report repeats the file's cells: a cell a spreadsheet would run as a formula is defused here too.
    rejects[REJECT_COLUMNS].astype("object").map(defuse_formula).to_csv(buffer, index=False, lineterminator="\r\n")
    return buffer.getvalue().encode("utf-8-sig")


def write_rejects(rejects: pd.DataFrame, target: str | os.PathLike | IO[bytes]) -> None:
    """Write the reject report: line, column, value, reason, original_row."""
    data = rejects_csv_bytes(rejects)
    if isinstance(target, (str, os.PathLike)):
        Path(target).write_bytes(data)
    else:
        target.write(data)


def default_rejects_path(source: str | os.PathLike) -> Path:
    """Where the rejects of an imported file go unless told otherwise: ``<stem>.rejects.csv`` beside it.

    >>> default_rejects_path("/data/exports/acled 2024.csv").as_posix()
    '/data/exports/acled 2024.rejects.csv'
    """
    source = Path(source)
    return source.with_name(f"{source.stem}.rejects.csv")


def import_file(
    source: Source,
    format: str,
    engine: sa.Engine,
    boundaries: Boundaries,
    gazetteer: Gazetteer | None = None,
    *,
    mapping: Mapping[str, str] | None = None,
    value_maps: Mapping[str, Mapping[str, str]] | None = None,
    name: str | None = None,
    encoding: str | None = None,
    dry_run: bool = False,
    rejects_path: str | os.PathLike | None = None,
    on_progress: ProgressCallback | None = None,
    limit_bytes: int = MAX_IMPORT_BYTES,
    within: str | None = None,
) -> tuple[ImportSummary, ImportResult, pd.DataFrame]:
    """Read, geocode, join and store one file; returns the summary, the read result and the stored rows.

    ``within`` (a region of ``importers.placement.WITHIN_REGIONS``) skips the rows outside it,
    counted in the summary, never stored and never rejects. The rejects are written to ``rejects_path`` when given and there are any. Raises the
    importers' named exceptions (ImportFailed) for files that cannot be read at all.
    """
    result = read_import(
        source, format, mapping=mapping, value_maps=value_maps, name=name, encoding=encoding, on_progress=on_progress,
        limit_bytes=limit_bytes,
    )
    located, skipped = keep_within(locate_incidents(result.incidents, boundaries, gazetteer), within)
    counts = store_incidents(engine, located, dry_run=dry_run)
    written = None
    if rejects_path is not None and len(result.rejects):
        write_rejects(result.rejects, rejects_path)
        written = str(rejects_path)
    return summarise(result, located, counts, dry_run, written, within, skipped), result, located



def file_columns(source: Source, format: str, name: str | None = None) -> list[str]:
    """The column (or GeoJSON property) names of a file, for a column mapping form."""
    from importers.tables import open_delimited

    if hasattr(source, "seek"):
        source.seek(0)
    try:
        if format == "geojson":
            from importers.geojson import _features
            from importers.tables import open_binary, source_name

            label = source_name(source, name)
            data = json.loads(open_binary(source, label).read().decode("utf-8-sig") or "null")
            keys: dict[str, None] = {}
            for feature in _features(data, label):
                if isinstance(feature, dict) and isinstance(feature.get("properties"), dict):
                    keys.update(dict.fromkeys(map(str, feature["properties"])))
            return list(keys)
        table = open_delimited(source, name=name)
        table.close()
        return table.header
    except json.JSONDecodeError as error:
        raise UnreadableFile(f"{name or 'The file'} is not valid JSON: {error.msg} at line {error.lineno}.") from error
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
