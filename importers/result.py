"""From parsed rows to an ImportResult: typed fields, stable ids, validation, duplicates, rejects.

Every importer turns its rows into schema-named columns of raw strings, then hands them
here, so all formats validate the same way and the user sees every bad row in one table.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Callable, Mapping

import pandas as pd

from importers.values import DATE_EXPECTED, check_coordinates, clean_text, parse_counts, parse_dates, parse_numbers
from incidents.schema import COLUMN_NAMES, COLUMNS, conform, join_reasons, validation_problems

REJECT_COLUMNS = ["line", "column", "value", "reason", "original_row"]
PRECISION_COLUMNS = ("time_precision", "geo_precision")
GIVEN_GEO_PRECISION = "given_geo_precision"  # extra column: the file's own geo_precision, NA when absent
# What makes two rows without a source id the same incident: the facts, normalised.
CONTENT_COLUMNS = (
    "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2", "location",
    "latitude", "longitude", "geo_precision", "fatalities", "source", "source_url", "notes",
)
_DTYPES = {c.name: c.dtype for c in COLUMNS}
_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}


@dataclass(frozen=True)
class ImportResult:
    """What a reader made of a file: schema-valid incidents and one reject row per problem.

    ``incidents`` conforms to incidents.schema plus a ``line`` column; ``rejects`` has
    REJECT_COLUMNS. For GeoJSON, ``line`` is the feature's number (1 = first feature).
    """

    incidents: pd.DataFrame
    rejects: pd.DataFrame
    source_name: str
    format: str
    rows_read: int
    encoding: str | None = None
    delimiter: str | None = None
    warnings: tuple[str, ...] = ()  # what the user should know that rejected no row (replaced bytes, a skipped preamble)

    @property
    def rejected_rows(self) -> int:
        """How many rows were rejected (a row with three problems counts once)."""
        return int(self.rejects["line"].nunique())


@dataclass
class Candidates:
    """Rows of one chunk in schema columns (index = line), with what parsing found wrong."""

    frame: pd.DataFrame
    problems: list[dict[str, object]]
    reviews: list[tuple[int, str]]
    original_row: Callable[[int], str]
    labels: Mapping[str, str] = field(default_factory=dict)  # schema column -> the file's column name


def source_incident_ids(dataset: str, source_ids: pd.Series) -> pd.Series:
    """Stable incident ids from a dataset's own ids (NA where there is none).

    >>> source_incident_ids("acled", pd.Series(["IRQ1", None])).tolist()
    ['KIM-922a7e6aa820', <NA>]
    """
    return pd.Series(
        [_hash_id(f"{dataset}|{s}") if isinstance(s, str) and s else pd.NA for s in source_ids],
        index=source_ids.index,
        dtype="string",
    )


def row_incident_ids(dataset: str, rows: pd.DataFrame) -> pd.Series:
    """Stable incident ids from a hash of every field of each raw row (blank fields count as empty).

    >>> ids = row_incident_ids("csv", pd.DataFrame({"date": ["2024-07-14 10:30", "2024-07-14 22:45"], "place": ["Daquq"] * 2}))
    >>> ids.nunique()
    2
    """
    columns = [rows[c].tolist() for c in rows.columns]
    keys = ("\x1f".join(v.strip() if isinstance(v, str) else "" for v in values) for values in zip(*columns))
    return pd.Series([_hash_id(f"{dataset}|row|{key}") for key in keys], index=rows.index, dtype="string")


def content_incident_ids(incidents: pd.DataFrame) -> pd.Series:
    """Stable incident ids from a hash of a conformed row's facts (CONTENT_COLUMNS)."""
    parts = []
    for name in CONTENT_COLUMNS:
        column = incidents[name]
        if name in ("latitude", "longitude"):
            text = column.map(lambda v: "" if pd.isna(v) else f"{v:.5f}")
        else:
            text = column.astype("string").fillna("").str.strip().str.lower()
        parts.append(text.tolist())
    return pd.Series(
        [_hash_id("content|" + "|".join(row)) for row in zip(*parts)], index=incidents.index, dtype="string"
    )


def _hash_id(key: str) -> str:
    return "KIM-" + hashlib.sha1(key.lower().encode("utf-8")).hexdigest()[:12]


def extra_json(raw: pd.DataFrame, keys: Mapping[str, str]) -> pd.Series:
    """Per row, a JSON object of the kept columns that have a value (NA when none has).

    ``keys`` maps a JSON key to the raw column holding it.

    >>> extra_json(pd.DataFrame({"c": ["Iraq", None]}), {"country": "c"}).tolist()
    ['{"country": "Iraq"}', <NA>]
    """
    # Only stripped: json.dumps escapes what clean_text would remove, and this runs on every row.
    columns = {key: raw[column].tolist() for key, column in keys.items() if column in raw}
    out = []
    for values in zip(*columns.values()) if columns else [() for _ in range(len(raw))]:
        kept = {key: text for key, value in zip(columns, values) if isinstance(value, str) and (text := value.strip())}
        out.append(json.dumps(kept, ensure_ascii=False) if kept else pd.NA)
    return pd.Series(out, index=raw.index, dtype="string")


def parse_fields(raw: pd.DataFrame, labels: Mapping[str, str] | None = None) -> Candidates:
    """Typed schema columns from raw strings, with a problem for every cell that is not valid.

    ``raw`` has schema column names and the file's line numbers as index. Vague counts
    ("several") become empty with a review reason; swapped coordinates are put back with one.
    """
    labels = dict(labels or {})
    out = pd.DataFrame(index=raw.index)
    problems: list[dict[str, object]] = []
    reviews: list[tuple[int, str]] = []

    def report(mask: pd.Series, column: str, reason: str) -> None:
        for line in raw.index[mask.to_numpy(dtype=bool)]:
            problems.append({"line": line, "column": labels.get(column, column), "value": raw.at[line, column], "reason": reason})

    for column in raw.columns:
        kind = _DTYPES.get(column)
        if kind is None:
            continue
        name = labels.get(column, column)
        if kind == "date":
            out[column], bad = parse_dates(raw[column])
            report(bad, column, f"is not a date; expected {DATE_EXPECTED}")
        elif column in PRECISION_COLUMNS:
            numbers, bad = parse_numbers(raw[column])
            bad |= numbers.notna() & ~numbers.isin([1, 2, 3])
            report(bad, column, "must be 1, 2 or 3 (see the precision codes in DESIGN.md)")
            out[column] = numbers.where(~bad).astype("Int64")
        elif kind == "int":
            counts, vague, bad = parse_counts(raw[column])
            report(bad, column, "must be a whole number, 0 or more")
            for line in raw.index[vague.to_numpy(dtype=bool)]:
                reviews.append((line, f"vague {name}: {raw.at[line, column]!r} gives no number"))
            out[column] = counts
        elif kind == "float":
            out[column], bad = parse_numbers(raw[column])
            report(bad, column, "is not a number; expected decimal degrees such as 35.4681")
        elif kind == "bool":
            text = clean_text(raw[column]).str.lower()
            out[column] = text.map(lambda v: True if v in _TRUE else False if v in _FALSE else pd.NA).astype("boolean")
            report(text.notna() & out[column].isna(), column, "must be true or false")
        else:
            out[column] = clean_text(raw[column])
    if "latitude" in out and "longitude" in out:
        check = check_coordinates(out["latitude"], out["longitude"])
        out["latitude"], out["longitude"] = check.latitude, check.longitude
        for line in raw.index[check.swapped.to_numpy(dtype=bool)]:
            reviews.append((line, f"latitude and longitude were swapped in the file; read as {out.at[line, 'latitude']}, {out.at[line, 'longitude']}"))
        has_problem = check.problem.notna()
        # Unusable pairs are reported once here, not again by the schema's range checks.
        out.loc[has_problem, ["latitude", "longitude"]] = float("nan")
        for line in raw.index[has_problem.to_numpy(dtype=bool)]:
            lat_label, lon_label = labels.get("latitude", "latitude"), labels.get("longitude", "longitude")
            value = f"{raw.at[line, 'latitude']}, {raw.at[line, 'longitude']}".replace("<NA>", "")
            column = lat_label if lat_label == lon_label else f"{lat_label}/{lon_label}"
            problems.append({"line": line, "column": column, "value": value, "reason": check.problem[line]})
    return Candidates(frame=out, problems=problems, reviews=reviews, original_row=lambda line: "", labels=labels)


class ResultBuilder:
    """Collects chunks of candidates into one ImportResult, finding duplicates across chunks."""

    def __init__(self, source_name: str, format: str, id_label: str, encoding: str | None = None, delimiter: str | None = None):
        self.source_name, self.format, self.id_label = source_name, format, id_label
        self.encoding, self.delimiter = encoding, delimiter
        self.rows_read = 0
        self._accepted: list[pd.DataFrame] = []
        self._rejects: list[dict[str, object]] = []
        self._first_line: dict[str, int] = {}
        self.warnings: list[str] = []

    def add(self, candidates: Candidates) -> None:
        """Validate a chunk: keep its good rows, report every problem of its bad ones."""
        frame = candidates.frame.copy()
        self.rows_read += len(frame)
        if frame.empty:
            return
        for name, default in (("needs_review", False), ("review_status", "unreviewed")):
            if name not in frame:
                frame[name] = default
            frame[name] = frame[name].astype("object").where(frame[name].notna(), default)
        by_line: dict[int, list[str]] = {}
        for line, reason in candidates.reviews:
            by_line.setdefault(line, []).append(reason)
        if by_line:
            lines = list(by_line)
            existing = frame["review_reasons"] if "review_reasons" in frame else pd.Series(pd.NA, index=frame.index)
            frame["review_reasons"] = existing.astype("object")
            frame.loc[lines, "review_reasons"] = [join_reasons(existing.get(line), by_line[line]) for line in lines]
            frame.loc[lines, "needs_review"] = True
        if GIVEN_GEO_PRECISION not in frame:
            frame[GIVEN_GEO_PRECISION] = frame["geo_precision"] if "geo_precision" in frame else pd.NA
        frame[GIVEN_GEO_PRECISION] = frame[GIVEN_GEO_PRECISION].astype("Int64")
        frame = conform(frame)
        missing_id = frame["incident_id"].isna()
        if missing_id.any():
            frame.loc[missing_id, "incident_id"] = content_incident_ids(frame[missing_id])

        found = pd.DataFrame(candidates.problems, columns=["line", "column", "value", "reason"])
        checked = validation_problems(frame[list(COLUMN_NAMES)]).rename(columns={"row": "line"})
        checked["column"] = checked["column"].map(lambda c: candidates.labels.get(c, c))
        problems = pd.concat([found, checked], ignore_index=True) if len(checked) else found
        problems = problems.drop_duplicates(subset=["line", "column"], keep="first")
        bad_lines = set(problems["line"])
        for row in problems.itertuples(index=False):
            self._reject(row.line, row.column, row.value, row.reason, candidates)

        accepted = frame[~frame.index.isin(bad_lines)]
        keep = []
        for line, incident_id, source_id in zip(accepted.index, accepted["incident_id"], accepted["source_id"]):
            first = self._first_line.get(incident_id)
            if first is None:
                self._first_line[incident_id] = line
                keep.append(True)
                continue
            keep.append(False)
            shown = source_id if isinstance(source_id, str) else incident_id
            self._reject(line, self.id_label, shown, f"duplicate of line {first} (same {self._id_meaning()}); line {first} is imported", candidates)
        self._accepted.append(accepted[keep])

    def _id_meaning(self) -> str:
        return "content" if self.id_label == "(whole row)" else self.id_label

    def _reject(self, line: int, column: str, value: object, reason: str, candidates: Candidates) -> None:
        text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
        self._rejects.append(
            {"line": int(line), "column": column, "value": text, "reason": reason, "original_row": candidates.original_row(line)}
        )

    def result(self) -> ImportResult:
        """The collected incidents (with a ``line`` column) and rejects, in file order."""
        if self._accepted:
            incidents = pd.concat(self._accepted)
        else:
            incidents = conform(pd.DataFrame(columns=list(COLUMN_NAMES)))
            incidents[GIVEN_GEO_PRECISION] = pd.Series(dtype="Int64")
        incidents = incidents.rename_axis("line").reset_index()
        incidents = conform(incidents)
        incidents["line"] = incidents["line"].astype("int64")
        rejects = pd.DataFrame(self._rejects, columns=REJECT_COLUMNS)
        rejects = rejects.sort_values("line", kind="stable").reset_index(drop=True)
        return ImportResult(
            incidents=incidents, rejects=rejects, source_name=self.source_name, format=self.format,
            rows_read=self.rows_read, encoding=self.encoding, delimiter=self.delimiter, warnings=tuple(self.warnings),
        )
