"""Property-based tests of the parsers and validators (bounded example counts: a few seconds)."""
from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers import read_generic_csv
from importers.tables import open_delimited
from importers.values import REGION_LAT, REGION_LON, check_coordinates, clean_text, parse_dates, parse_numbers

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))
DATE_WRITERS = [
    lambda d: d.isoformat(),
    lambda d: d.strftime("%d/%m/%Y"),
    lambda d: d.strftime("%d %B %Y"),
    lambda d: d.isoformat() + " 00:00:00.000",
    lambda d: d.isoformat().translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
]


@FAST
@given(dates, st.sampled_from(DATE_WRITERS))
def test_a_written_date_parses_back(day, write):
    parsed, bad = parse_dates(pd.Series([write(day)]))
    assert parsed[0] == day.isoformat() and not bad[0]


@FAST
@given(st.lists(st.one_of(st.none(), st.text(max_size=30)), max_size=20))
def test_any_text_gives_a_date_or_a_flag_never_an_error(cells):
    parsed, bad = parse_dates(pd.Series(cells, dtype="object"))
    for cell, value, flagged in zip(cells, parsed, bad):
        if pd.isna(value):
            assert flagged == pd.notna(clean_text(pd.Series([cell], dtype="object"))[0])
        else:
            assert date.fromisoformat(value) and not flagged


@FAST
@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.booleans())
def test_a_written_number_parses_back(number, decimal_comma):
    text = repr(number)
    if decimal_comma and "e" not in text:
        text = text.replace(".", ",")
    parsed, bad = parse_numbers(pd.Series([text]))
    assert parsed[0] == number and not bad[0]


@FAST
@given(st.lists(st.one_of(st.none(), st.text(max_size=20)), max_size=20))
def test_any_text_gives_a_number_or_a_flag(cells):
    parsed, bad = parse_numbers(pd.Series(cells, dtype="object"))
    assert ((parsed.notna() & bad) == False).all()  # noqa: E712


lat_in_region = st.floats(min_value=REGION_LAT[0], max_value=REGION_LAT[1])
lon_in_region = st.floats(min_value=REGION_LON[0], max_value=REGION_LON[1])


@FAST
@given(lat_in_region, lon_in_region)
def test_a_swapped_pair_in_the_region_is_put_back(latitude, longitude):
    check = check_coordinates(pd.Series([longitude]), pd.Series([latitude]))
    assert (check.latitude[0], check.longitude[0], bool(check.swapped[0])) == (latitude, longitude, True)
    assert pd.isna(check.problem[0])


@FAST
@given(st.lists(st.tuples(st.one_of(st.none(), st.floats(allow_nan=False, width=32)), st.one_of(st.none(), st.floats(allow_nan=False, width=32))), max_size=20))
def test_accepted_coordinates_are_always_in_range_and_paired(pairs):
    latitude = pd.Series([p[0] for p in pairs], dtype="float64")
    longitude = pd.Series([p[1] for p in pairs], dtype="float64")
    check = check_coordinates(latitude, longitude)
    ok = check.problem.isna()
    assert check.latitude[ok].dropna().between(-90, 90).all() and check.longitude[ok].dropna().between(-180, 180).all()
    assert (check.latitude[ok].isna() == check.longitude[ok].isna()).all()


cell_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from([",", ";", "\t", '"', "\n", "د", "ق"]), max_size=15)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(cell_text, min_size=3, max_size=3), min_size=1, max_size=8), st.sampled_from([",", ";", "\t"]), st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_delimited_files_read_back_with_physical_line_numbers(rows, delimiter, encoding):
    rows = [r for r in rows if any(c.strip() for c in r)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["alpha", "beta", "gamma"])
    expected_lines, line = [], 2
    for row in rows:
        writer.writerow(row)
        expected_lines.append(line)
        line += sum(cell.count("\n") for cell in row) + 1
    table = open_delimited(io.BytesIO(buffer.getvalue().encode(encoding)), name="p.csv")
    read = [chunk for chunk in table.chunks(3)]
    assert table.delimiter == delimiter and table.header == ["alpha", "beta", "gamma"]
    got_lines = [line for chunk in read for line in chunk.frame.index]
    got_rows = [chunk.fields[line] for chunk in read for line in chunk.frame.index]
    assert got_lines == expected_lines and got_rows == rows


row_values = st.fixed_dictionaries({
    "event_date": st.one_of(dates.map(str), st.text(max_size=10)),
    "event_type": st.sampled_from(["Battles", "Riots", "battles", ""]),
    "sub_event_type": st.sampled_from(["Armed clash", "Mob violence", "x"]),
    "location": st.text(max_size=12),
    "latitude": st.one_of(st.just(""), st.floats(-200, 200).map(str), st.text(max_size=5)),
    "longitude": st.one_of(st.just(""), st.floats(-200, 200).map(str)),
    "fatalities": st.one_of(st.just(""), st.integers(-3, 50).map(str), st.sampled_from(["several", "2.5"])),
})


@settings(max_examples=30, deadline=None)
@given(st.lists(row_values, max_size=10))
def test_every_row_is_either_accepted_or_rejected(rows):
    data = pd.DataFrame(rows, columns=["event_date", "event_type", "sub_event_type", "location", "latitude", "longitude", "fatalities"])
    result = read_generic_csv(io.BytesIO(data.to_csv(index=False).encode("utf-8")), name="random.csv")
    accepted, rejected = set(result.incidents["line"]), set(result.rejects["line"])
    assert not accepted & rejected
    assert len(accepted) + len(rejected) == result.rows_read
    assert result.incidents["event_date"].dropna().map(date.fromisoformat).notna().all()
