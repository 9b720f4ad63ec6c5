"""ACLED exports of every layout since 2015 (CSV, .xlsx, the API's JSON) -> incidents.

ACLED's column names are ours, so the mapping is nearly one to one: ``event_id_cnty``
becomes ``source_id`` (and the stable incident id), ``geo_precision`` and
``time_precision`` keep ACLED's codes, which are ours (DESIGN.md). Headers match in any
case (2015 files are UPPERCASE); unknown columns (an unnamed pandas index, ``data_id``,
``iso3``, ...) are ignored. Dates may be ``2024-07-14``, ``9-May-20`` (checked against the
``year`` column) or ``01-January-2015``. Event types before 2019 are mapped to today's by
OLD_EVENT_TYPES; what the file says beyond our columns is kept as JSON in ``extra``.
"""
from __future__ import annotations

from typing import Mapping

import pandas as pd

from importers.containers import is_xlsx, json_to_csv_bytes, looks_like_json, xlsx_to_csv_bytes
from importers.reading import ChunkMapper, ProgressCallback, match_columns, raw_columns, read_delimited_file, require_columns
from importers.result import Candidates, ImportResult, extra_json, parse_fields, source_incident_ids
from importers.tables import MAX_IMPORT_BYTES, Source, open_binary, source_name
from importers.values import TWO_DIGIT_YEAR, clean_text
from incidents.schema import EVENT_TYPES, NO_SUB_EVENT_TYPE

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
    "incident_id": ("incident_id",),  # our own export read back with --format acled
}
# What the file says that has no column of ours, kept in ``extra`` (key -> the file's names).
KEPT_COLUMNS: dict[str, tuple[str, ...]] = {
    "country": ("country",),
    "admin1": ("admin1",),
    "admin2": ("admin2",),
    "admin3": ("admin3",),
    "location": ("location",),
    "assoc_actor_1": ("assoc_actor_1", "ally_actor_1"),
    "assoc_actor_2": ("assoc_actor_2", "ally_actor_2"),
    "interaction": ("interaction",),
    "tags": ("tags",),
    "event_type": ("event_type",),
    "year": ("year",),
}
REQUIRED = ("event_date", "event_type", "location", "latitude", "longitude")
ID_COLUMNS = ("source_id", "incident_id")  # one of them: ACLED's event_id_cnty, or our own incident_id

# ACLED's event types before its 2019 taxonomy -> today's (event type, sub-event type).
# An empty sub-type means the old type does not say which: the event is kept with
# NO_SUB_EVENT_TYPE and a review reason, never rejected (README, "Importing").
OLD_EVENT_TYPES: dict[str, tuple[str, str]] = {
    "battle-no change of territory": ("Battles", "Armed clash"),
    "battle-government regains territory": ("Battles", "Government regains territory"),
    "battle-non-state actors overtake territory": ("Battles", "Non-state actor overtakes territory"),
    "battle-non-state actor overtakes territory": ("Battles", "Non-state actor overtakes territory"),
    "remote violence": ("Explosions/Remote violence", NO_SUB_EVENT_TYPE),
    "riots/protests": ("Protests", NO_SUB_EVENT_TYPE),
    "violence against civilians": ("Violence against civilians", NO_SUB_EVENT_TYPE),
    "strategic development": ("Strategic developments", NO_SUB_EVENT_TYPE),
    "non-violent transfer of territory": ("Strategic developments", "Non-violent transfer of territory"),
    "headquarters or base established": ("Strategic developments", "Headquarters or base established"),
}
TODAYS_EVENT_TYPES = {name.lower(): name for name in EVENT_TYPES}
TODAYS_SUB_EVENT_TYPES = {(t, sub.lower()): sub for t, subs in EVENT_TYPES.items() for sub in subs}
MISSING_FIX = "Rename the columns to ACLED's names, or import the file with --format csv and a column mapping."


def map_event_types(event_type: pd.Series, sub_event_type: pd.Series | None) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Today's event and sub-event types for a file's (possibly old, any-case) types.

    Returns (event_type, sub_event_type, review reason or NA). An unknown type is left as
    it is, so validation reports it.

    >>> types, subs, why = map_event_types(pd.Series(["Battle-No change of territory", "Remote violence", "BATTLES"]),
    ...                                    pd.Series([None, None, "armed clash"]))
    >>> types.tolist(), subs.tolist(), why.notna().tolist()
    (['Battles', 'Explosions/Remote violence', 'Battles'], ['Armed clash', '', 'Armed clash'], [False, True, False])
    """
    given_type = clean_text(event_type)
    given_sub = clean_text(sub_event_type) if sub_event_type is not None else pd.Series(pd.NA, index=event_type.index, dtype="string")
    types, subs, reasons = [], [], []
    for kind, sub in zip(given_type.tolist(), given_sub.tolist()):
        kind = None if kind is pd.NA else kind
        sub = None if sub is pd.NA else sub
        key = (kind or "").lower()
        today = TODAYS_EVENT_TYPES.get(key)
        old = OLD_EVENT_TYPES.get(key) if not (today and sub) else None
        if old is not None:
            today, mapped_sub = old
            sub = mapped_sub or sub
        if today is None:
            types.append(kind), subs.append(sub), reasons.append(pd.NA)
            continue
        if sub:
            sub = TODAYS_SUB_EVENT_TYPES.get((today, sub.lower()), sub)
            types.append(today), subs.append(sub), reasons.append(pd.NA)
            continue
        types.append(today), subs.append(NO_SUB_EVENT_TYPE)
        reasons.append(f"ACLED event type {kind!r} names no sub-event type; choose one of {today}'s")
    index = event_type.index
    return (pd.Series(types, index=index, dtype="string"), pd.Series(subs, index=index, dtype="string"),
            pd.Series(reasons, index=index, dtype="string"))


def check_two_digit_years(raw_dates: pd.Series, parsed: pd.Series, year: pd.Series) -> tuple[pd.Series, list[tuple[int, str]]]:
    """Dates like 9-May-20 with their century taken from the ``year`` column, and a problem where they disagree."""
    text = clean_text(raw_dates)
    years = pd.to_numeric(clean_text(year), errors="coerce")
    two_digit = text.str.match(TWO_DIGIT_YEAR).fillna(False).astype(bool) & parsed.notna() & years.notna()
    fixed = parsed.copy()
    problems: list[tuple[int, str]] = []
    for line in parsed.index[two_digit.to_numpy(dtype=bool)]:
        read_year, stated = int(parsed[line][:4]), int(years[line])
        if read_year == stated:
            continue
        if read_year % 100 == stated % 100:
            fixed[line] = f"{stated:04d}{parsed[line][4:]}"
        else:
            problems.append((line, f"gives the year {read_year % 100:02d} but the year column says {stated}; correct one of them"))
    return fixed, problems


def acled_candidates(raw: pd.DataFrame, labels: Mapping[str, str]) -> Candidates:
    """Schema columns from one chunk of ACLED rows (raw strings, our names; kept columns as ``kept:KEY``)."""
    raw = raw.copy()
    kept = {key: f"kept:{key}" for key in KEPT_COLUMNS}
    raw["extra"] = extra_json(raw, kept)
    types, subs, type_reviews = map_event_types(raw["event_type"], raw.get("sub_event_type"))
    raw["event_type"], raw["sub_event_type"] = types, subs
    candidates = parse_fields(raw.drop(columns=[c for c in raw if c.startswith("kept:")]), labels)
    frame = candidates.frame
    frame["sub_event_type"] = subs  # clean_text made NO_SUB_EVENT_TYPE missing: it is a value here
    if "kept:year" in raw:
        frame["event_date"], year_problems = check_two_digit_years(raw["event_date"], frame["event_date"], raw["kept:year"])
        for line, reason in year_problems:
            candidates.problems.append({"line": line, "column": labels.get("event_date", "event_date"), "value": raw.at[line, "event_date"], "reason": reason})
    for line, reason in type_reviews.dropna().items():
        candidates.reviews.append((line, reason))
    from_source = source_incident_ids(FORMAT, frame["source_id"]) if "source_id" in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
    frame["incident_id"] = frame["incident_id"].fillna(from_source) if "incident_id" in frame else from_source
    if "time_precision" not in frame:
        frame["time_precision"] = pd.array([1] * len(frame), dtype="Int64")
    empty_date = frame["event_date"].isna() & raw["event_date"].isna()
    for line in frame.index[empty_date.to_numpy(dtype=bool)]:
        candidates.problems.append(
            {"line": line, "column": "event_date", "value": "", "reason": "is empty; every ACLED event has a date (YYYY-MM-DD)"}
        )
    no_id = frame["incident_id"].isna()
    for line in frame.index[no_id.to_numpy(dtype=bool)]:
        candidates.problems.append(
            {"line": line, "column": labels.get("source_id", "event_id_cnty"), "value": "", "reason": "is empty; every ACLED event has an event_id_cnty"}
        )
    if "geo_precision" not in frame:
        frame["geo_precision"] = pd.array([1] * len(frame), dtype="Int64")
    return candidates


def prepare_acled(name: str, header: list[str]) -> ChunkMapper:
    """Check an ACLED header and return the chunk mapper."""
    matched = match_columns(header, ACLED_COLUMNS)
    has_id = [c for c in ID_COLUMNS if c in matched]
    require_columns(name, header, matched, REQUIRED + (() if has_id else ("source_id",)), MISSING_FIX)
    labels = dict(matched)
    kept = {f"kept:{key}": theirs for key, names in KEPT_COLUMNS.items()
            if (theirs := match_columns(header, {key: names}).get(key)) is not None}

    def to_candidates(chunk: pd.DataFrame) -> Candidates:
        raw = raw_columns(chunk, matched)
        for ours, theirs in kept.items():
            raw[ours] = chunk[theirs]
        return acled_candidates(raw, labels)

    return to_candidates


def acled_table(source: Source, name: str | None, limit_bytes: int) -> tuple[Source, str | None]:
    """The source as a delimited file: an .xlsx sheet or the API's JSON become CSV bytes; CSV stays."""
    label = source_name(source, name)
    binary = open_binary(source, label, limit_bytes)
    if is_xlsx(binary):
        return xlsx_to_csv_bytes(binary, label), label
    if looks_like_json(binary):
        return json_to_csv_bytes(binary, label), label
    return binary, label


def read_acled_csv(
    source: Source,
    *,
    name: str | None = None,
    encoding: str | None = None,
    on_progress: ProgressCallback | None = None,
    limit_bytes: int = MAX_IMPORT_BYTES,
) -> ImportResult:
    """Read an ACLED export: CSV (any layout since 2015, any separator, UTF-8 or cp1256), .xlsx or API JSON.

    Raises MissingColumns, EmptyFile, FileTooLarge or UnreadableFile; bad rows go to
    ``rejects``, never raise.
    """
    table, name = acled_table(source, name, limit_bytes)
    return read_delimited_file(
        table, format=FORMAT, id_label="event_id_cnty", prepare=prepare_acled, name=name,
        encoding=encoding, on_progress=on_progress, limit_bytes=limit_bytes,
    )
