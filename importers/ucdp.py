"""UCDP Georeferenced Event Dataset (GED) CSV -> incidents.

Mapping (DESIGN.md): ``date_prec`` 1 -> time_precision 1; 2, 3 -> 2 (date = middle of
date_start..date_end); 4 -> 3 (date = the 15th of that month); 5 -> 3 with a review reason.
``where_prec`` 1 -> geo_precision 1; 2 -> 2; 3, 4 -> 3; 5, 6, 7 -> 3 with a review reason.
``best`` is ``fatalities`` with ``low``/``high`` beside it; ``type_of_violence`` 1 and 2
become Battles / Armed clash, 3 Violence against civilians / Attack.
"""
from __future__ import annotations

from typing import Mapping

import pandas as pd

from importers.placement import FINEST_ADMIN_LEVEL
from importers.reading import ChunkMapper, ProgressCallback, match_columns, raw_columns, read_delimited_file, require_columns
from importers.result import Candidates, ImportResult, extra_json, parse_fields, source_incident_ids
from importers.tables import MAX_IMPORT_BYTES, Source
from importers.values import DATE_EXPECTED, clean_text, parse_dates, parse_numbers
from incidents.schema import date_problem

FORMAT = "ucdp"
UCDP_COLUMNS = (
    "id", "type_of_violence", "dyad_name", "side_a", "side_b", "source_article", "source_office", "source_date",
    "where_prec", "where_coordinates", "where_description", "latitude", "longitude", "date_prec", "date_start",
    "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low",
    "country", "adm_1", "adm_2",
)
REQUIRED = ("id", "type_of_violence", "where_prec", "where_coordinates", "latitude", "longitude", "date_prec", "date_start", "date_end", "best")
MISSING_FIX = "Use the GED CSV as UCDP publishes it (ucdp.uu.se/downloads), or import it with --format csv and a column mapping."

# where_prec -> geo_precision, and whether the place is too vague to stand on its own
WHERE_PRECISION: dict[int, tuple[int, bool]] = {1: (1, False), 2: (2, False), 3: (3, False), 4: (3, False), 5: (3, True), 6: (3, True), 7: (3, True)}
# where_prec -> the finest admin level the event may be given: 3 names an ADM2, 4 an ADM1,
# 5-7 areas larger than that (the point's governorate is kept, with a review reason).
FINEST_LEVEL: dict[int, int] = {1: 3, 2: 3, 3: 2, 4: 1, 5: 1, 6: 1, 7: 1}
# date_prec -> time_precision, how the date is placed, and whether it needs review
DATE_PRECISION: dict[int, tuple[int, str, bool]] = {
    1: (1, "start", False), 2: (2, "middle", False), 3: (2, "middle", False), 4: (3, "month", False), 5: (3, "month", True),
}
VIOLENCE_TYPES: dict[int, tuple[str, str, str]] = {
    1: ("Battles", "Armed clash", "state-based"),
    2: ("Battles", "Armed clash", "non-state"),
    3: ("Violence against civilians", "Attack", "one-sided"),
}
# What our columns are called in GED, for messages.
LABELS = {
    "source_id": "id", "event_date": "date_start", "time_precision": "date_prec", "geo_precision": "where_prec",
    "location": "where_coordinates", "actor1": "side_a", "actor2": "side_b", "fatalities": "best",
    "fatalities_low": "low", "fatalities_high": "high", "killed_civilians": "deaths_civilians",
    "killed_security_forces": "deaths_a", "killed_militants": "deaths_b", "source": "source_article",
    "report_date": "source_date", "event_type": "type_of_violence", "sub_event_type": "type_of_violence",
}


def event_dates(start: pd.Series, end: pd.Series, placement: pd.Series) -> pd.Series:
    """The incident date for each row: the start, the middle of start..end, or the 15th of the middle's month.

    The date always lies within start..end: where the 15th is outside it (2020-02-03..12),
    the middle is used.

    >>> event_dates(pd.Series(["2024-07-01"] * 3), pd.Series(["2024-07-31"] * 3), pd.Series(["start", "middle", "month"])).tolist()
    ['2024-07-01', '2024-07-16', '2024-07-15']
    >>> event_dates(pd.Series(["2020-02-03"]), pd.Series(["2020-02-12"]), pd.Series(["month"])).tolist()
    ['2020-02-07']
    """
    first = pd.to_datetime(start, errors="coerce")
    last = pd.to_datetime(end, errors="coerce").fillna(first)
    middle = (first + (last - first) / 2).dt.normalize()
    month = middle.dt.to_period("M").dt.to_timestamp() + pd.Timedelta(days=14)
    month = month.where((month >= first) & (month <= last), middle)
    chosen = first.where(placement == "start", middle.where(placement == "middle", month))
    return chosen.dt.strftime("%Y-%m-%d").astype("string")


def ucdp_candidates(raw: pd.DataFrame) -> Candidates:
    """Schema columns from one chunk of GED rows (raw strings, GED names)."""
    problems: list[dict[str, object]] = []

    def report(mask: pd.Series, column: str, reason: str) -> None:
        for line in raw.index[mask.to_numpy(dtype=bool)]:
            problems.append({"line": line, "column": column, "value": raw.at[line, column], "reason": reason})

    start, bad_start = parse_dates(raw["date_start"])
    end, bad_end = parse_dates(raw["date_end"])
    report(bad_start, "date_start", f"is not a date; expected {DATE_EXPECTED}")
    report(bad_end, "date_end", f"is not a date; expected {DATE_EXPECTED}")
    report(start.isna() & ~bad_start, "date_start", "is empty; every GED event has a start date")
    report(start.notna() & end.notna() & (end < start), "date_end", "is before date_start")

    date_prec, _ = parse_numbers(raw["date_prec"])
    where_prec, _ = parse_numbers(raw["where_prec"])
    violence, _ = parse_numbers(raw["type_of_violence"])
    report(~date_prec.isin(list(DATE_PRECISION)), "date_prec", "must be 1 to 5 (UCDP's date precision codes)")
    report(~where_prec.isin(list(WHERE_PRECISION)), "where_prec", "must be 1 to 7 (UCDP's place precision codes)")
    report(~violence.isin(list(VIOLENCE_TYPES)), "type_of_violence", "must be 1, 2 or 3 (state-based, non-state, one-sided)")

    date_rule = date_prec.map(lambda v: DATE_PRECISION.get(v, (pd.NA, "start", False)))
    where_rule = where_prec.map(lambda v: WHERE_PRECISION.get(v, (pd.NA, False)))
    kind = violence.map(lambda v: VIOLENCE_TYPES.get(v, (pd.NA, pd.NA, "")))
    text = {name: clean_text(raw[name]) if name in raw else pd.Series(pd.NA, index=raw.index, dtype="string") for name in UCDP_COLUMNS}

    ours = pd.DataFrame(index=raw.index)
    ours["source_id"] = text["id"]
    ours["event_date"] = event_dates(start, end, date_rule.map(lambda r: r[1]))
    ours["time_precision"] = date_rule.map(lambda r: r[0]).astype("string")
    ours["event_type"] = kind.map(lambda k: k[0]).astype("string")
    ours["sub_event_type"] = kind.map(lambda k: k[1]).astype("string")
    ours["actor1"], ours["actor2"] = text["side_a"], text["side_b"]
    ours["location"] = text["where_coordinates"].fillna(text["where_description"])
    ours["latitude"], ours["longitude"] = raw["latitude"], raw["longitude"]
    ours["geo_precision"] = where_rule.map(lambda r: r[0]).astype("string")
    ours["fatalities"], ours["fatalities_low"], ours["fatalities_high"] = raw["best"], text["low"], text["high"]
    ours["killed_civilians"] = text["deaths_civilians"]
    # GED counts deaths per side; side A is a government in state-based conflict (type 1).
    government_side = text["side_a"].str.startswith("Government of").fillna(False) & (violence == 1)
    ours["killed_security_forces"] = text["deaths_a"].where(government_side)
    ours["killed_militants"] = text["deaths_b"].where(government_side)
    ours["source"] = text["source_article"].fillna(text["source_office"])
    report_date = text["source_date"].str.extract(r"(\d{4}-\d{2}-\d{2})", expand=False).astype("string")
    bad_report_date = report_date.map(lambda v: isinstance(v, str) and date_problem(v) is not None).astype(bool)
    # GED holds absurd source dates (1753-01-01, 2919-02-06) on valid events: drop the field, keep the event.
    ours["report_date"] = report_date.where(~bad_report_date)
    notes = _notes(text, kind)
    notes[bad_report_date] = notes[bad_report_date] + "; source_date " + text["source_date"][bad_report_date] + " dropped (not a valid date)"
    ours["notes"] = notes
    low, _ = parse_numbers(raw["low"])
    high, _ = parse_numbers(raw["high"])
    report(low.notna() & high.notna() & (low > high), "low", "is more than high; UCDP's low estimate is at most its high one")
    ours["extra"] = extra_json(raw, {"country": "country", "admin1": "adm_1", "admin2": "adm_2", "location": "where_description"})

    candidates = parse_fields(ours, LABELS)
    candidates.problems[:0] = problems
    frame = candidates.frame
    frame[FINEST_ADMIN_LEVEL] = where_prec.map(FINEST_LEVEL).astype("Int64")
    frame["incident_id"] = source_incident_ids(FORMAT, frame["source_id"])
    vague_date = date_rule.map(lambda r: r[2]).astype(bool)
    for line in raw.index[vague_date.to_numpy(dtype=bool)]:
        candidates.reviews.append(
            (line, f"UCDP date_prec 5: the date is only known to lie between {start[line]} and {end[line]}")
        )
    vague_place = where_rule.map(lambda r: r[1]).astype(bool)
    for line in raw.index[vague_place.to_numpy(dtype=bool)]:
        candidates.reviews.append(
            (line, f"UCDP where_prec {int(where_prec[line])}: too vague to place inside the governorate on its own ({text['where_coordinates'][line]})")
        )
    return candidates


def _notes(text: Mapping[str, pd.Series], kind: pd.Series) -> pd.Series:
    """A short description in our words from the GED fields that have no column of ours."""
    parts = []
    for line in text["id"].index:
        violence = kind[line][2]
        dyad = text["dyad_name"][line]
        bits = [f"UCDP GED event {text['id'][line]}" + (f", {violence} violence" if violence else "")]
        if isinstance(dyad, str):
            bits.append(dyad)
        bits.append(f"dates {text['date_start'][line]} to {text['date_end'][line]}")
        if isinstance(text["where_description"][line], str):
            bits.append(f"where: {text['where_description'][line]}")
        deaths = [f"{name.replace('deaths_', '')} {text[name][line]}" for name in ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown") if isinstance(text[name][line], str)]
        if deaths:
            bits.append("deaths by side: " + ", ".join(deaths))
        parts.append("; ".join(bits))
    return pd.Series(parts, index=text["id"].index, dtype="string")


def prepare_ucdp(name: str, header: list[str]) -> ChunkMapper:
    """Check a GED header and return the chunk mapper."""
    matched = match_columns(header, {column: (column,) for column in UCDP_COLUMNS})
    require_columns(name, header, matched, REQUIRED, MISSING_FIX)

    def to_candidates(chunk: pd.DataFrame) -> Candidates:
        raw = raw_columns(chunk, matched)
        for column in UCDP_COLUMNS:
            if column not in raw:
                raw[column] = pd.Series(pd.NA, index=raw.index, dtype="string")
        return ucdp_candidates(raw)

    return to_candidates


def read_ucdp_csv(
    source: Source,
    *,
    name: str | None = None,
    encoding: str | None = None,
    on_progress: ProgressCallback | None = None,
    limit_bytes: int = MAX_IMPORT_BYTES,
) -> ImportResult:
    """Read a UCDP GED CSV (the global file or a country extract), plain or zipped."""
    return read_delimited_file(
        source, format=FORMAT, id_label="id", prepare=prepare_ucdp, name=name,
        encoding=encoding, on_progress=on_progress, limit_bytes=limit_bytes,
    )
