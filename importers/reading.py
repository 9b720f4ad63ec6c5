"""The loop every CSV importer shares: open, match columns, map each chunk, collect, report progress."""
from __future__ import annotations

import re
from typing import Callable, Iterable, Mapping

import pandas as pd

from importers.errors import BadColumnMapping, MissingColumns
from importers.result import Candidates, ImportResult, ResultBuilder
from importers.tables import CHUNK_ROWS, MAX_IMPORT_BYTES, Chunk, Source, open_delimited

ProgressCallback = Callable[[int, "int | None"], None]
ChunkMapper = Callable[[pd.DataFrame], Candidates]


def normalise_column_name(name: str) -> str:
    """A header name in a comparable form: lower case, words joined by underscores.

    >>> normalise_column_name(" Event Date ")
    'event_date'
    """
    return re.sub(r"[\s\-./]+", "_", name.strip().lower()).strip("_")


def match_columns(
    header: Iterable[str],
    wanted: Mapping[str, tuple[str, ...]],
    mapping: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Which file column feeds each wanted column: ``{ours: theirs}``.

    ``wanted`` gives, for each of our columns, the names it may have in a file (its own
    name first). A user ``mapping`` ({ours: theirs}) wins over the names; its columns
    must exist in the header (BadColumnMapping otherwise).
    """
    header = list(header)
    by_normal = {normalise_column_name(h): h for h in header}
    matched: dict[str, str] = {}
    for ours, theirs in (mapping or {}).items():
        if theirs not in header:
            normal = by_normal.get(normalise_column_name(theirs))
            if normal is None:
                raise BadColumnMapping(
                    f"The column mapping {ours}={theirs} names a column the file does not have "
                    f"(found: {', '.join(header)}). Use one of the file's column names."
                )
            theirs = normal
        matched[ours] = theirs
    used = set(matched.values())
    for ours, names in wanted.items():
        if ours in matched:
            continue
        for candidate in names:
            found = by_normal.get(normalise_column_name(candidate))
            if found is not None and found not in used:
                matched[ours] = found
                used.add(found)
                break
    return matched


def require_columns(name: str, header: list[str], matched: Mapping[str, str], required: Iterable[str], fix: str) -> None:
    """Raise MissingColumns naming every required column the file lacks, what it has, and the fix."""
    missing = [c for c in required if c not in matched]
    if missing:
        quoted = ", ".join(f"'{c}'" for c in missing)
        plural = "column" if len(missing) == 1 else "columns"
        raise MissingColumns(f"{name} has no {quoted} {plural} (found: {', '.join(header)}). {fix}")


def raw_columns(frame: pd.DataFrame, matched: Mapping[str, str]) -> pd.DataFrame:
    """A chunk's matched columns renamed to ours (raw strings, index = line)."""
    out = frame[list(matched.values())].copy()
    out.columns = list(matched.keys())
    return out


def ragged_problems(chunk: Chunk, width: int) -> list[dict[str, object]]:
    """A problem for each row whose number of fields differs from the header's."""
    return [
        {
            "line": line,
            "column": "(whole row)",
            "value": "",
            "reason": f"has {count} fields but the header has {width}; "
            + ("a value may hold an unquoted separator" if count > width else "values are missing at the end of the row"),
        }
        for line, count in chunk.ragged.items()
    ]


def read_delimited_file(
    source: Source,
    *,
    format: str,
    id_label: str,
    prepare: Callable[[str, list[str]], ChunkMapper],
    name: str | None = None,
    encoding: str | None = None,
    on_progress: ProgressCallback | None = None,
    limit_bytes: int = MAX_IMPORT_BYTES,
    chunk_rows: int = CHUNK_ROWS,
) -> ImportResult:
    """Read a delimited file chunk by chunk into an ImportResult.

    ``prepare(name, header)`` checks the header (raising MissingColumns) and returns the
    function that maps one chunk's raw frame to Candidates.
    """
    table = open_delimited(source, name=name, encoding=encoding, limit_bytes=limit_bytes)
    try:
        to_candidates = prepare(table.name, table.header)
    except Exception:
        table.close()
        raise
    builder = ResultBuilder(table.name, format, id_label, encoding=table.encoding, delimiter=table.delimiter)
    builder.warnings.extend(table.warnings)
    done = 0
    for chunk in table.chunks(chunk_rows):
        candidates = to_candidates(chunk.frame)
        candidates.problems[:0] = chunk.oversize + ragged_problems(chunk, len(table.header))
        candidates.original_row = chunk.original_row
        builder.add(candidates)
        done += len(chunk.frame)
        if on_progress is not None:
            total = table.rows_estimate
            on_progress(done, max(total, done) if total is not None else None)
    if on_progress is not None:
        on_progress(done, done)
    return builder.result()
