"""Generic CSV: encodings, separators, column mapping, and every kind of bad row."""
from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import pandas as pd
import pytest

from importers import BadColumnMapping, EmptyFile, MissingColumns, parse_column_mapping, read_generic_csv
from importers.pipeline import import_file, locate_incidents
from incidents.store import read_incidents

IMPORTS = Path(__file__).parent / "data" / "imports"

pytestmark = pytest.mark.both_backends  # the same behaviour on SQLite and PostgreSQL


def test_a_cp1256_semicolon_sheet_is_read_with_its_arabic_names():
    result = read_generic_csv(IMPORTS / "spreadsheet_cp1256.csv")
    assert (result.encoding, result.delimiter, len(result.incidents), result.rejected_rows) == ("cp1256", ";", 5, 0)
    assert result.incidents["location"].tolist() == ["داقوق", "الحويجة", "ليلان", "قرية مجهولة", "كركوك"]
    assert result.incidents["event_date"].tolist()[:2] == ["2024-07-14", "2024-07-15"]  # day first


def test_place_names_are_geocoded_and_unresolved_ones_kept_for_review(boundaries, small_gazetteer):
    result = read_generic_csv(IMPORTS / "spreadsheet_cp1256.csv")
    located = locate_incidents(result.incidents, boundaries, small_gazetteer).set_index("line")
    assert (located.at[3, "location"], located.at[3, "adm2_pcode"], located.at[3, "geo_precision"]) == ("Hawija", "IQG13Q01", 1)
    assert "place as given: الحويجة" in located.at[3, "notes"]
    assert (located.at[4, "adm3_pcode"], located.at[4, "geo_precision"]) == ("IQG13Q04N02", 2)
    unknown = located.loc[5]
    assert unknown["needs_review"] and "'قرية مجهولة' not found in the gazetteer" in unknown["review_reasons"]
    assert unknown["location"] == "قرية مجهولة" and pd.isna(unknown["latitude"])  # kept, unplaced
    given = result.incidents.set_index("line")
    with_point = given.index[given["latitude"].notna()]
    assert (located.loc[with_point, "latitude"] == given.loc[with_point, "latitude"]).all()  # not re-geocoded


def test_without_a_gazetteer_place_only_rows_wait_for_review(boundaries):
    located = locate_incidents(read_generic_csv(IMPORTS / "spreadsheet_cp1256.csv").incidents, boundaries, None)
    assert located["review_reasons"].str.contains("no gazetteer was loaded").sum() == 3


def test_vague_casualties_give_no_number_and_a_reason():
    row = read_generic_csv(IMPORTS / "spreadsheet_cp1256.csv").incidents.set_index("line").loc[4]
    assert pd.isna(row["fatalities"])
    assert "vague Killed: 'several' gives no number" in row["review_reasons"]


def test_unguessable_columns_are_named_with_the_mapping_fix():
    with pytest.raises(MissingColumns) as error:
        read_generic_csv(IMPORTS / "spreadsheet_needs_mapping.csv")
    assert "no 'event_date', 'event_type', 'sub_event_type' columns" in str(error.value)
    assert "--map OUR_COLUMN=YOUR_COLUMN" in str(error.value)


def test_a_column_mapping_reads_any_sheet():
    mapping = parse_column_mapping(
        ["event_date=When", "event_type=Category", "sub_event_type=Kind", "location=Village",
         "latitude=North", "longitude=East", "fatalities=Dead", "source=Outlet"]
    )
    result = read_generic_csv(IMPORTS / "spreadsheet_needs_mapping.csv", mapping=mapping)
    assert (len(result.incidents), result.rejected_rows) == (3, 0)
    assert result.incidents["fatalities"].tolist() == [0, 1, 2]


@pytest.mark.parametrize(
    ("pairs", "message"),
    [(["latitude"], "is not OUR_COLUMN=YOUR_COLUMN"), (["lat=North"], "'lat' is not one of our columns")],
)
def test_a_bad_mapping_says_what_is_wrong(pairs, message):
    with pytest.raises(BadColumnMapping, match=message):
        parse_column_mapping(pairs)


def test_a_mapping_to_an_absent_column_lists_the_file_columns():
    with pytest.raises(BadColumnMapping, match="found: When, Category"):
        read_generic_csv(IMPORTS / "spreadsheet_needs_mapping.csv", mapping={"event_date": "Datum"})


def test_every_kind_of_bad_row_is_rejected_with_its_reason():
    result = read_generic_csv(IMPORTS / "generic_bad_rows.csv")
    assert (len(result.incidents), result.rejected_rows) == (5, 6)
    assert result.rejects[["line", "column"]].values.tolist() == [
        [4, "latitude/longitude"],   # longitude 244.33
        [5, "event_date"],           # 'yesterday'
        [7, "(whole row)"],          # the same row as line 2
        [8, "location"],             # no place at all
        [11, "latitude/longitude"],  # 0, 0
        [12, "latitude/longitude"],  # a latitude without longitude
    ]
    reasons = result.rejects.set_index("line")["reason"]
    assert "out of range; expected -180 to 180" in reasons[4]
    assert "duplicate of line 2" in reasons[7]


def test_html_and_script_stay_text_exactly_as_given(engine, boundaries):
    import_file(IMPORTS / "generic_bad_rows.csv", "csv", engine, boundaries)
    row = read_incidents(engine).set_index("location").loc["<script>alert('x')</script>"]
    assert row["source"] == "<img src=x onerror=alert(1)>"
    assert row["notes"] == "<b>bold</b> <script>document.cookie</script>"


def test_outside_rows_are_kept_and_marked(engine, boundaries):
    import_file(IMPORTS / "generic_bad_rows.csv", "csv", engine, boundaries)
    baghdad = read_incidents(engine).set_index("location").loc["Baghdad"]
    assert baghdad["in_kirkuk"] == False  # noqa: E712


def test_rows_without_ids_reimport_to_nothing_new(engine, boundaries):
    first, _, _ = import_file(IMPORTS / "generic_bad_rows.csv", "csv", engine, boundaries)
    again, _, _ = import_file(IMPORTS / "generic_bad_rows.csv", "csv", engine, boundaries)
    assert (first.new, again.new, again.already_stored) == (5, 0, 5)


def test_an_empty_file_and_a_header_only_file():
    with pytest.raises(EmptyFile):
        read_generic_csv(IMPORTS / "empty.csv")
    result = read_generic_csv(IMPORTS / "header_only.csv")
    assert (len(result.incidents), result.rejected_rows, result.rows_read) == (0, 0, 0)


def test_missing_required_columns_are_all_named():
    with pytest.raises(MissingColumns, match="no 'event_type', 'sub_event_type' columns \\(found: date, place, lat, lon\\)"):
        read_generic_csv(IMPORTS / "generic_missing_columns.csv")


def test_a_utf16_tab_file_from_excel_is_read():
    text = "Date\tType\tSubtype\tPlace\tLat\tLon\n2024-07-14\tBattles\tArmed clash\tداقوق\t35.1387\t44.4515\n"
    result = read_generic_csv(io.BytesIO(text.encode("utf-16")), name="unicode.txt")
    assert (result.encoding, result.delimiter, result.incidents["location"].tolist()) == ("utf-16", "\t", ["داقوق"])


def test_a_large_file_is_streamed_with_progress(tmp_path):
    path = tmp_path / "large.csv"
    rows = 30_000
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["event_date", "event_type", "sub_event_type", "location", "latitude", "longitude", "fatalities"])
        for i in range(rows):
            writer.writerow([f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", "Battles", "Armed clash", f"Village {i}",
                             f"{35 + (i % 900) / 1000:.4f}", f"{43.5 + (i % 1300) / 1000:.4f}", str(i % 5)])
    calls: list[tuple[int, int | None]] = []
    started = time.perf_counter()
    result = read_generic_csv(path, on_progress=lambda done, total: calls.append((done, total)))
    seconds = time.perf_counter() - started
    assert (len(result.incidents), result.rejected_rows) == (rows, 0)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls) and calls[-1] == (rows, rows)
    assert len(calls) >= 3  # one per chunk, then the end
    assert seconds < 30


def test_a_data_row_holding_only_a_hash_sign_is_kept_not_taken_for_hxl():
    """Found by hypothesis: a row ",,#" right under the header was skipped as an HXL row."""
    data = "event_date,event_type,sub_event_type,latitude,longitude,notes\n,,,,,#\n2024-05-01,Battles,Armed clash,35.4,44.3,ok\n"
    result = read_generic_csv(io.BytesIO(data.encode()))
    assert len(result.incidents) + result.rejected_rows == 2
