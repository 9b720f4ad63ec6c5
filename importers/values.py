"""Parsers and validators for imported cell values: dates, numbers, counts, coordinates, text.

Each takes a Series of raw strings (NA for empty cells) and returns parsed values plus a
mask of cells that could not be parsed, so an importer can report every bad cell at once.
Pure functions; no I/O.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

# Iraq, Kirkuk and its neighbours with a margin. Used only to recognise swapped columns:
# a point whose (lat, lon) is far away but whose (lon, lat) lands here was swapped.
# The two ranges do not overlap, so a swap can never be ambiguous.
REGION_LAT = (33.5, 37.5)
REGION_LON = (42.0, 46.5)

# Tried in order; day-first because Iraqi and ACLED spreadsheets write 14/07/2024.
# ACLED's older exports write 9-May-20 (2020) and 01-January-2015 (2015).
DATE_FORMATS = (
    "%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d", "%d-%m-%Y", "%d.%m.%Y", "%B %d, %Y",
    "%d-%B-%Y", "%d-%b-%Y", "%d-%b-%y",
)
TWO_DIGIT_YEAR = re.compile(r"^\d{1,2}-[A-Za-z]+-\d{2}$")
DATE_EXPECTED = "YYYY-MM-DD (also DD/MM/YYYY or '14 July 2024')"
FIRST_YEAR, LAST_YEAR = 1900, 2100

# Arabic-Indic and Persian digits, the Arabic decimal separator and thousands separator.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+$")
_TIME_SUFFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d{2}.*$")
# C0 controls except tab, newline and carriage return: they break CSV and terminals.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(values: pd.Series) -> pd.Series:
    """Strip whitespace and control characters, NFC-normalise; empty cells become NA.

    HTML and script are kept as they are: text is data, escaped wherever it is drawn. The
    apostrophe that defuses a formula in our CSV export is removed.

    >>> clean_text(pd.Series([" <b>Daquq</b> ", "", None])).tolist()
    ['<b>Daquq</b>', <NA>, <NA>]
    """
    return pd.Series([_clean(v) for v in values.tolist()], index=values.index, dtype="string")


def _clean(value: object) -> str | None:
    # Plain Python per cell: several times faster than pandas string methods here.
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]  # an apostrophe our CSV export put before formula-like text
    if not text.isprintable() and _CONTROL.search(text):  # isprintable: a fast C check first
        text = _CONTROL.sub("", text).strip()
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text or None


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates as 'YYYY-MM-DD' strings, and a mask of non-empty cells that are not dates.

    >>> parsed, bad = parse_dates(pd.Series(["2024-07-14", "14/07/2024", "14 July 2024", "2024-13-01", None]))
    >>> parsed.tolist(), bad.tolist()
    (['2024-07-14', '2024-07-14', '2024-07-14', <NA>, <NA>], [False, False, False, True, False])
    """
    text = clean_text(values)
    parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    todo = parsed.isna() & text.notna()
    if todo.any():
        # Slow path for the rest only: other digits, a time of day, other formats.
        rest = text[todo].str.translate(_DIGITS).str.replace(_TIME_SUFFIX, r"\1", regex=True)
        # Microseconds, not nanoseconds: year 9999 or 1600 must be a bad cell, not OutOfBoundsDatetime.
        found = pd.Series(pd.NaT, index=rest.index, dtype="datetime64[us]")
        for fmt in DATE_FORMATS:
            left = found.isna()
            if not left.any():
                break
            found[left] = pd.to_datetime(rest[left], format=fmt, errors="coerce")
        parsed = parsed.astype("datetime64[us]")
        parsed[todo] = found
    in_range = parsed.dt.year.between(FIRST_YEAR, LAST_YEAR)
    parsed = parsed.where(in_range)
    out = parsed.dt.strftime("%Y-%m-%d").astype("string")
    bad = (text.notna() & out.isna()).astype(bool)
    return out, bad


def parse_numbers(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Decimal numbers (float64), and a mask of non-empty cells that are not numbers.

    Accepts Arabic-Indic digits and a decimal comma ("35,47" from semicolon files).

    >>> parsed, bad = parse_numbers(pd.Series(["35.47", "35,47", "٣٥٫٤٧", "35.4N", None]))
    >>> parsed.tolist()[:3], bad.tolist()
    ([35.47, 35.47, 35.47], [False, False, False, True, False])
    """
    return _numbers_from_text(clean_text(values))


def _numbers_from_text(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``parse_numbers`` of cells that clean_text has already cleaned."""
    parsed = pd.to_numeric(text.astype("object"), errors="coerce").astype("float64")
    todo = parsed.isna() & text.notna()
    if todo.any():
        rest = text[todo].str.translate(_DIGITS)
        rest = rest.where(~rest.str.match(_DECIMAL_COMMA).fillna(False), rest.str.replace(",", ".", regex=False))
        parsed[todo] = pd.to_numeric(rest.astype("object"), errors="coerce")
    finite = parsed.abs() < float("inf")
    parsed = parsed.where(finite)
    bad = (text.notna() & parsed.isna()).astype(bool)
    return parsed, bad


def parse_counts(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Whole numbers (Int64); masks of vague cells ("several") and of bad numbers (2.5, -1).

    Vague words give no number and a review reason (DESIGN.md, Casualties); a fraction
    or a negative number is an error in the file.

    >>> counts, vague, bad = parse_counts(pd.Series(["5", "5.0", "several", "2.5", "-1", None, "1,000"]))
    >>> counts.tolist(), vague.tolist(), bad.tolist()
    ([5, 5, <NA>, <NA>, <NA>, <NA>, 1000], [False, False, True, False, False, False, False], [False, False, False, True, True, False, False])
    """
    # In a count, "1,000" and "12,500" are thousands; a decimal comma is only for coordinates.
    text = clean_text(values)
    thousands = text.str.fullmatch(_THOUSANDS).fillna(False).astype(bool)
    if thousands.any():
        text = text.where(~thousands, text.str.replace(",", "", regex=False))
    numbers, not_number = _numbers_from_text(text)
    whole = numbers.notna() & (numbers == numbers.round()) & (numbers >= 0) & (numbers < 2**31)
    counts = numbers.where(whole).round().astype("Int64")
    bad = (numbers.notna() & ~whole).astype(bool)
    return counts, not_number, bad


@dataclass(frozen=True)
class CoordinateCheck:
    """Checked coordinates: the (possibly swapped back) values and what was wrong per row."""

    latitude: pd.Series
    longitude: pd.Series
    swapped: pd.Series  # True where latitude and longitude were swapped in the file and put back
    problem: pd.Series  # a reason where the pair is unusable, else NA


def in_region(latitude: pd.Series, longitude: pd.Series) -> pd.Series:
    """True where the point lies in the box around Kirkuk and its neighbours."""
    return latitude.between(*REGION_LAT) & longitude.between(*REGION_LON)


def check_coordinates(latitude: pd.Series, longitude: pd.Series) -> CoordinateCheck:
    """Put swapped latitude/longitude back and explain pairs that cannot be a place.

    A pair is swapped when (lat, lon) lies outside the region around Kirkuk but
    (lon, lat) lies inside it. Out of range values, a lone latitude or longitude and
    (0, 0) are problems. Points elsewhere in the world are fine: they are kept and
    marked outside Kirkuk by the boundary join.

    >>> check = check_coordinates(pd.Series([44.39, 35.47, 95.0]), pd.Series([35.47, 44.39, 44.0]))
    >>> check.latitude.tolist(), check.swapped.tolist(), check.problem.isna().tolist()
    ([35.47, 35.47, 95.0], [True, False, False], [True, True, False])
    """
    lat = latitude.astype("float64")
    lon = longitude.astype("float64")
    swapped = (~in_region(lat, lon) & in_region(lon, lat)).astype(bool)
    lat, lon = lat.where(~swapped, longitude), lon.where(~swapped, latitude)
    problem = pd.Series(pd.NA, index=lat.index, dtype="string")

    def explain(mask: pd.Series, reason: pd.Series | str) -> None:
        todo = mask.fillna(False).astype(bool) & problem.isna()
        problem[todo] = reason[todo] if isinstance(reason, pd.Series) else reason

    explain(lat.notna() & lon.isna(), "latitude is given but longitude is empty; give both or neither")
    explain(lat.isna() & lon.notna(), "longitude is given but latitude is empty; give both or neither")
    explain(
        ~lat.between(-90, 90) & lat.notna(),
        "latitude " + lat.astype("string") + " is out of range; expected -90 to 90 (about 35 for Kirkuk)",
    )
    explain(
        ~lon.between(-180, 180) & lon.notna(),
        "longitude " + lon.astype("string") + " is out of range; expected -180 to 180 (about 44 for Kirkuk)",
    )
    explain(
        (lat == 0) & (lon == 0),
        "latitude 0, longitude 0 is not a place in Iraq; leave both empty to geocode the location",
    )
    return CoordinateCheck(latitude=lat, longitude=lon, swapped=swapped, problem=problem)
