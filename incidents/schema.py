"""The incident table, declared once: columns, types, allowed codes, and validation.

Column names follow ACLED's export where ACLED has the column; see README.md for the
table. Meanings (precision codes, casualties, review states) are those of DESIGN.md.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

SCHEMA_VERSION = 6


@dataclass(frozen=True)
class Column:
    """One column of the incident table."""

    name: str
    dtype: str  # "str", "date", "int", "float", "bool"
    required: bool
    description: str


COLUMNS: tuple[Column, ...] = (
    Column("incident_id", "str", True, "Stable id: KIM- and 12 hex digits of a hash of source URL, date, place and type."),
    Column("event_date", "date", False, "Date of the incident (YYYY-MM-DD); empty when unresolved (then needs_review)."),
    Column("time_precision", "int", True, "1 day known, 2 week known (date is mid-week), 3 month known (date is the 15th)."),
    Column("event_type", "str", True, "ACLED event type, e.g. Battles."),
    Column("sub_event_type", "str", True, "ACLED sub-event type, e.g. Armed clash; empty text when an old ACLED type names none (then needs_review)."),
    Column("actor1", "str", False, "Main actor (from the documented actor list)."),
    Column("actor2", "str", False, "Other actor."),
    Column("admin1", "str", False, "Governorate (COD-AB ADM1 name)."),
    Column("admin2", "str", False, "District (COD-AB ADM2 name)."),
    Column("admin3", "str", False, "Sub-district (COD-AB ADM3 name)."),
    Column("adm1_pcode", "str", False, "COD-AB ADM1 pcode (Kirkuk is IQG13)."),
    Column("adm2_pcode", "str", False, "COD-AB ADM2 pcode."),
    Column("adm3_pcode", "str", False, "COD-AB ADM3 pcode."),
    Column("in_kirkuk", "bool", False, "True when the incident lies in Kirkuk governorate; outside ones are kept and marked."),
    Column("location", "str", True, "Place name as resolved by the gazetteer (or as reported when unresolved)."),
    Column("latitude", "float", False, "WGS84 latitude; empty when the place is unresolved."),
    Column("longitude", "float", False, "WGS84 longitude."),
    Column("geo_precision", "int", True, "1 the place itself, 2 near a place or a sub-district, 3 only a district or governorate."),
    Column("fatalities", "int", False, "People reported killed, all sides ('at least 5' gives 5); empty when no number is given."),
    Column("fatalities_low", "int", False, "Low end of a reported range of deaths."),
    Column("fatalities_high", "int", False, "High end of a reported range of deaths."),
    Column("killed_security_forces", "int", False, "Killed among state and Kurdish security forces, when the source splits by side."),
    Column("killed_militants", "int", False, "Killed among militants."),
    Column("killed_civilians", "int", False, "Killed among civilians."),
    Column("wounded", "int", False, "People reported wounded, all sides."),
    Column("arrested", "int", False, "People captured or arrested (not casualties)."),
    Column("abducted", "int", False, "People kidnapped (not casualties)."),
    Column("source", "str", False, "Outlet(s) that reported the incident."),
    Column("source_url", "str", False, "URL of the main report."),
    Column("report_date", "date", False, "Publication date of the main report."),
    Column("source_id", "str", False, "Id in the source dataset (e.g. ACLED event_id_cnty, UCDP id)."),
    Column("notes", "str", False, "Short description in our words, or the source's notes for imports."),
    Column("source_sentences", "str", False, "The report sentences the incident came from."),
    Column("needs_review", "bool", True, "True while an analyst should look at the incident."),
    Column("review_reasons", "str", False, "Why it needs review, reasons separated by '; '."),
    Column("review_status", "str", True, "unreviewed, approved or corrected (an analyst's decision is never overwritten)."),
    Column("extra", "str", False, "What an imported file said that has no column of ours (its country, admin1..3, location, "
           "assoc_actor_1/2, interaction, tags): a JSON object."),
)
# The value of sub_event_type when the source gives none (ACLED before 2019): kept, reviewed.
NO_SUB_EVENT_TYPE = ""

COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
REQUIRED_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.required)
INT_COLUMNS = tuple(c.name for c in COLUMNS if c.dtype == "int")
FLOAT_COLUMNS = tuple(c.name for c in COLUMNS if c.dtype == "float")
BOOL_COLUMNS = tuple(c.name for c in COLUMNS if c.dtype == "bool")
DATE_COLUMNS = tuple(c.name for c in COLUMNS if c.dtype == "date")

# A count of people above this is a typing error, not an incident (the deadliest single
# events in Iraq killed under two thousand): the bound for fatalities, wounded, arrested, abducted.
MAX_COUNT = 100_000
COUNT_COLUMNS = tuple(name for name in INT_COLUMNS if not name.endswith("precision"))
# DESIGN.md: dates run from 1900 to a year ahead of today (UCDP GED starts in 1989).
FIRST_VALID_DATE = date(1900, 1, 1)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

GEO_PRECISION = {1: "the place itself", 2: "near a place / sub-district", 3: "district or governorate only"}
TIME_PRECISION = {1: "day", 2: "week", 3: "month"}
REVIEW_STATUSES = ("unreviewed", "approved", "corrected")

# ACLED's full taxonomy (its codebook), so that no valid ACLED row is rejected; the
# extractor uses the sub-types DESIGN.md names.
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Air/drone strike",
        "Remote explosive/landmine/IED",
        "Shelling/artillery/missile attack",
        "Suicide bomb",
        "Grenade",
        "Chemical weapon",
    ),
    "Violence against civilians": ("Attack", "Abduction/forced disappearance", "Sexual violence"),
    "Strategic developments": (
        "Arrests",
        "Looting/property destruction",
        "Other",
        "Agreement",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Non-violent transfer of territory",
    ),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
}

ACTORS: tuple[str, ...] = (
    "Islamic State",
    "Iraqi security forces",
    "Iraqi Army",
    "Iraqi Air Force",
    "Iraqi Federal Police",
    "Iraqi Counter-Terrorism Service",
    "Kurdistan Region Security (Asayish)",
    "Peshmerga",
    "Popular Mobilization Forces",
    "Civilians",
    "Unidentified armed group",
)


def make_incident_id(source_url: str, event_date: str, location: str, sub_event_type: str) -> str:
    """A stable id from what identifies an incident within one report.

    >>> make_incident_id("https://example.org/1", "2024-07-14", "Qarahanjir", "Armed clash")
    'KIM-c061c21a53e8'
    """
    key = "|".join(str(part or "").strip().lower() for part in (source_url, event_date, location, sub_event_type))
    return "KIM-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def is_missing(value: object) -> bool:
    """True for None, pandas' NA and NaN: every spelling of "no value" a record may hold.

    >>> [is_missing(v) for v in (None, pd.NA, float("nan"), 0, "")]
    [True, True, True, False, False]
    """
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def join_reasons(existing: object, added: list[str]) -> str | None:
    """Review reasons (or notes) joined with "; ", without repeats, keeping their order.

    "; " separates reasons, so a reason that contains ";" (a gazetteer message, say) has
    it turned into "," here, where every writer of review_reasons passes.

    >>> join_reasons("a; b", ["b", "c"])
    'a; b; c'
    >>> join_reasons(None, ["not found (closest: y); add it"])
    'not found (closest: y), add it'
    """
    reasons = [r.strip() for r in str(existing).split(";")] if isinstance(existing, str) and existing else []
    for reason in added:
        reason = reason.replace(";", ",").strip()
        if reason not in reasons:
            reasons.append(reason)
    return "; ".join(r for r in reasons if r) or None


def conform(incidents: pd.DataFrame) -> pd.DataFrame:
    """A copy with every schema column, in schema order, with the schema's dtypes.

    Missing columns are added empty; extra columns are kept after the schema's.
    """
    frame = incidents.copy(deep=False)  # copy-on-write (pandas 3): the input is never changed
    for name in COLUMN_NAMES:
        if name not in frame.columns:
            frame[name] = pd.NA
    for name in INT_COLUMNS:
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("Int64")
    for name in FLOAT_COLUMNS:
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("float64")
    for name in BOOL_COLUMNS:
        frame[name] = frame[name].map(_to_bool).astype("boolean")
    for name in DATE_COLUMNS:
        frame[name] = pd.to_datetime(frame[name], errors="coerce").dt.strftime("%Y-%m-%d").astype("string")
    for column in COLUMNS:
        if column.dtype == "str":
            frame[column.name] = frame[column.name].astype("string")
    extras = [c for c in frame.columns if c not in COLUMN_NAMES]
    return frame[list(COLUMN_NAMES) + extras]


def _to_bool(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return pd.NA
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "1", "yes", "y", "t"):
            return True
        if lowered in ("false", "0", "no", "n", "f", ""):
            return False
        return pd.NA
    return bool(value)


def last_valid_date(today: date | None = None) -> date:
    """The latest date a record may hold: a year after today (Feb 29 becomes Feb 28).

    >>> last_valid_date(date(2024, 2, 29))
    datetime.date(2025, 2, 28)
    """
    today = date.today() if today is None else today
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


def date_problem(value: object, today: date | None = None) -> str | None:
    """Why a date value is not valid (None when it is fine or empty): ISO YYYY-MM-DD, 1900 to today + 1 year.

    >>> [date_problem(v, date(2025, 1, 1)) is None for v in ("2024-07-05", "2024-7-5", "2024-02-30", "1899-12-31", None)]
    [True, False, False, False, True]
    """
    if is_missing(value) or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    try:
        if not _ISO_DATE.match(text):
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        return "is not a date: write it as YYYY-MM-DD, e.g. 2024-07-05"
    last = last_valid_date(today)
    if not FIRST_VALID_DATE <= day <= last:
        return f"is out of range: dates run from {FIRST_VALID_DATE.isoformat()} to {last.isoformat()} (a year from today)"
    return None


def validation_problems(incidents: pd.DataFrame) -> pd.DataFrame:
    """Every problem in a conformed table at once: row, column, value, reason.

    Returns an empty frame when all rows are valid. Rows are the frame's index labels.
    The rules every record meets, wherever it comes from (import, report, correction);
    ``placement_problems`` adds those of a record that has been geocoded and joined.
    """
    problems: list[dict[str, object]] = []

    def flag(mask: pd.Series, column: str, reason: str) -> None:
        for row in incidents.index[mask.fillna(False).astype(bool)]:
            problems.append({"row": row, "column": column, "value": incidents.at[row, column], "reason": reason})

    for name in REQUIRED_COLUMNS:
        if name in ("needs_review",):
            continue
        empty = incidents[name].isna() | (incidents[name].astype("string").str.strip() == "")
        if name == "sub_event_type":  # NO_SUB_EVENT_TYPE is a value: an old ACLED type that names no sub-type
            empty = incidents[name].isna()
        flag(empty, name, "required value is empty")
    flag(~incidents["geo_precision"].isin([1, 2, 3]), "geo_precision", "must be 1, 2 or 3")
    flag(~incidents["time_precision"].isin([1, 2, 3]), "time_precision", "must be 1, 2 or 3")
    known_type = incidents["event_type"].isin(list(EVENT_TYPES))
    flag(incidents["event_type"].notna() & ~known_type, "event_type", f"must be one of: {', '.join(EVENT_TYPES)}")
    pairs = {(t, s) for t, subs in EVENT_TYPES.items() for s in subs}
    known_pair = pd.Series(
        [(t, s) in pairs for t, s in zip(incidents["event_type"], incidents["sub_event_type"])],
        index=incidents.index,
        dtype=bool,
    )
    named_sub_type = incidents["sub_event_type"].notna() & (incidents["sub_event_type"] != NO_SUB_EVENT_TYPE)
    flag(known_type & named_sub_type & ~known_pair, "sub_event_type", "is not a sub-event type of its event_type")
    flag(incidents["latitude"].notna() & ~incidents["latitude"].between(-90, 90), "latitude", "must be between -90 and 90")
    flag(incidents["longitude"].notna() & ~incidents["longitude"].between(-180, 180), "longitude", "must be between -180 and 180")
    flag(incidents["latitude"].isna() != incidents["longitude"].isna(), "latitude", "latitude and longitude must both be given or both empty")
    for name in COUNT_COLUMNS:
        flag(incidents[name].notna() & (incidents[name] < 0), name, "must not be negative")
        flag(incidents[name].notna() & (incidents[name] > MAX_COUNT), name, f"must be at most {MAX_COUNT:,} (a count of people)")
    for name in DATE_COLUMNS:
        reasons = {value: date_problem(value) for value in incidents[name].dropna().unique()}
        for value, reason in reasons.items():
            if reason:
                flag(incidents[name] == value, name, reason)
    flag(~incidents["review_status"].isin(list(REVIEW_STATUSES)), "review_status", f"must be one of: {', '.join(REVIEW_STATUSES)}")
    return pd.DataFrame(problems, columns=["row", "column", "value", "reason"])


def placement_problems(incidents: pd.DataFrame, known_pcodes: Mapping[int, Collection[str]]) -> pd.DataFrame:
    """The problems of records that have been geocoded and joined: row, column, value, reason.

    ``known_pcodes`` maps each level (1, 2, 3) to the COD-AB pcodes of that level: a pcode
    must be one of them, and ``geo_precision`` 1 (the place itself) needs a point.
    """
    problems: list[dict[str, object]] = []
    for level in (1, 2, 3):
        column = f"adm{level}_pcode"
        known = known_pcodes.get(level, ())
        for row, value in incidents[column].dropna().items():
            if value not in known:
                problems.append({"row": row, "column": column, "value": value,
                                 "reason": f"is not an ADM{level} pcode of the COD-AB boundaries (e.g. IQG13 for Kirkuk)"})
    no_point = (incidents["geo_precision"] == 1).fillna(False) & incidents["latitude"].isna()
    for row in incidents.index[no_point.astype(bool)]:
        problems.append({"row": row, "column": "geo_precision", "value": 1,
                         "reason": "1 (the place itself) needs a point: give a place the gazetteer knows (or coordinates), or choose 2 or 3"})
    return pd.DataFrame(problems, columns=["row", "column", "value", "reason"])
