"""ACLED CSV exports: the same rows in every dialect give the same incidents; bad rows are explained."""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from importers import EmptyFile, FileTooLarge, MissingColumns, read_acled_csv
from importers.pipeline import import_file
from incidents.schema import COLUMN_NAMES
from incidents.store import count_incidents, read_incidents

IMPORTS = Path(__file__).parent / "data" / "imports"
VARIANTS = ["acled_kirkuk.csv", "acled_kirkuk_semicolon.csv", "acled_kirkuk_tab.tsv", "acled_kirkuk_bom.csv", "acled_kirkuk_hdx_hxl.csv"]

pytestmark = pytest.mark.both_backends  # the same behaviour on SQLite and PostgreSQL


@pytest.mark.parametrize("file_name", VARIANTS)
def test_every_dialect_gives_the_same_incidents(file_name):
    expected = read_acled_csv(IMPORTS / "acled_kirkuk.csv").incidents[list(COLUMN_NAMES)]
    result = read_acled_csv(IMPORTS / file_name)
    assert (len(result.incidents), result.rejected_rows) == (7, 1)
    pd.testing.assert_frame_equal(result.incidents[list(COLUMN_NAMES)], expected)


@pytest.mark.parametrize(
    ("file_name", "encoding", "delimiter"),
    [("acled_kirkuk.csv", "utf-8", ","), ("acled_kirkuk_semicolon.csv", "utf-8", ";"),
     ("acled_kirkuk_tab.tsv", "utf-8", "\t"), ("acled_kirkuk_bom.csv", "utf-8-sig", ",")],
)
def test_the_dialect_is_detected(file_name, encoding, delimiter):
    result = read_acled_csv(IMPORTS / file_name)
    assert (result.encoding, result.delimiter) == (encoding, delimiter)


def test_lines_are_physical_lines_even_after_a_multi_line_note():
    result = read_acled_csv(IMPORTS / "acled_kirkuk.csv")
    assert result.incidents["line"].tolist() == [2, 3, 4, 5, 7, 8, 10]
    assert "\n" in result.incidents.set_index("source_id").at["IRQ30004", "notes"]


def test_acled_columns_are_carried_over():
    row = read_acled_csv(IMPORTS / "acled_kirkuk.csv").incidents.set_index("source_id").loc["IRQ30003"]
    assert (row["event_date"], row["time_precision"], row["geo_precision"], row["fatalities"]) == ("2024-08-02", 2, 2, 1)
    assert (row["source"], row["location"], row["actor2"]) == ("964media", "Daquq", "Popular Mobilization Forces")
    assert row["incident_id"].startswith("KIM-") and row["review_status"] == "unreviewed"


def test_a_sub_event_type_outside_the_taxonomy_is_rejected_with_its_original_row():
    rejects = read_acled_csv(IMPORTS / "acled_kirkuk.csv").rejects
    assert rejects[["line", "column", "value"]].values.tolist() == [[9, "sub_event_type", "Weapons cache found"]]
    assert rejects.at[0, "original_row"].startswith("IRQ30007,2024-10-01,")


def test_every_bad_row_is_reported_at_once():
    result = read_acled_csv(IMPORTS / "acled_bad_rows.csv")
    assert (len(result.incidents), result.rejected_rows) == (2, 8)
    assert result.rejects[["line", "column"]].values.tolist() == [
        [3, "event_date"],
        [4, "latitude/longitude"],
        [6, "event_id_cnty"],
        [7, "time_precision"],
        [8, "fatalities"],
        [9, "event_type"],
        [10, "(whole row)"],
        [11, "event_date"],
    ]
    assert "duplicate of line 2" in result.rejects.set_index("line").at[6, "reason"]


def test_swapped_coordinates_are_put_back_and_flagged():
    row = read_acled_csv(IMPORTS / "acled_bad_rows.csv").incidents.set_index("source_id").loc["IRQ31004"]
    assert (row["latitude"], row["longitude"], row["needs_review"]) == (35.45, 44.27, True)
    assert "swapped" in row["review_reasons"]


def test_missing_columns_are_named_with_what_was_found_and_the_fix():
    with pytest.raises(MissingColumns) as error:
        read_acled_csv(IMPORTS / "acled_missing_columns.csv")
    message = str(error.value)
    assert "no 'latitude', 'longitude' columns" in message
    assert "found: event_id_cnty, event_date" in message and "lat, lng" in message
    assert "--format csv and a column mapping" in message


def test_an_empty_file_is_a_clear_error():
    with pytest.raises(EmptyFile, match="empty.csv is empty"):
        read_acled_csv(IMPORTS / "empty.csv")


def test_a_file_over_the_size_limit_is_refused_with_the_sizes():
    with pytest.raises(FileTooLarge, match=r"at most 0\.0 MB. Split it"):
        read_acled_csv(IMPORTS / "acled_kirkuk.csv", limit_bytes=100)


def test_a_file_object_is_read_and_left_open():
    upload = io.BytesIO((IMPORTS / "acled_kirkuk.csv").read_bytes())
    result = read_acled_csv(upload, name="upload.csv")
    assert (len(result.incidents), result.source_name) == (7, "upload.csv")
    assert not upload.closed


def test_importing_stores_every_row_joined_and_outside_ones_marked(engine, boundaries):
    summary, _, _ = import_file(IMPORTS / "acled_kirkuk.csv", "acled", engine, boundaries)
    stored = read_incidents(engine).set_index("source_id")
    assert (summary.accepted, summary.rejected, summary.new, summary.outside_kirkuk) == (7, 1, 7, 1)
    assert stored.at["IRQ30001", "adm3_pcode"] == "IQG13Q04N07" and bool(stored.at["IRQ30001", "in_kirkuk"])
    assert stored.at["IRQ30006", "in_kirkuk"] == False  # noqa: E712 - Tuz Khurmatu, Salah al-Din


@pytest.mark.parametrize("again", ["acled_kirkuk.csv", "acled_kirkuk_semicolon.csv", "acled_kirkuk_tab.tsv"])
def test_reimporting_the_same_rows_adds_nothing(engine, boundaries, again):
    import_file(IMPORTS / "acled_kirkuk.csv", "acled", engine, boundaries)
    summary, _, _ = import_file(IMPORTS / again, "acled", engine, boundaries)
    assert (summary.new, summary.already_stored, count_incidents(engine)) == (0, 7, 7)


def test_a_dry_run_stores_nothing(engine, boundaries):
    summary, _, _ = import_file(IMPORTS / "acled_kirkuk.csv", "acled", engine, boundaries, dry_run=True)
    assert (summary.new, count_incidents(engine)) == (7, 0)
    assert "would be added" in summary.message()


def test_the_reject_report_is_written_for_the_user_to_fix(engine, boundaries, tmp_path):
    path = tmp_path / "rejects.csv"
    summary, _, _ = import_file(IMPORTS / "acled_bad_rows.csv", "acled", engine, boundaries, rejects_path=path)
    report = pd.read_csv(path, encoding="utf-8-sig")
    assert list(report.columns) == ["line", "column", "value", "reason", "original_row"]
    assert report["line"].nunique() == 8
    assert summary.message().startswith(f"2 accepted, 8 rejected; rejects written to {path}")


def test_every_acled_sub_event_type_is_accepted():
    """ACLED's whole taxonomy is ours, so an export of Iraq loses no row to an unknown sub-type."""
    import io

    from incidents.schema import EVENT_TYPES

    header = "event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,latitude,longitude,geo_precision,location,fatalities,source,notes\n"
    rows = [
        f"IRQ9{i:04d},2024-01-{1 + i % 28:02d},1,{event_type},{sub_type},Islamic State,35.47,44.39,1,Kirkuk,0,test,\n"
        for i, (event_type, sub_type) in enumerate((t, s) for t, subs in EVENT_TYPES.items() for s in subs)
    ]
    result = read_acled_csv(io.BytesIO((header + "".join(rows)).encode()))
    assert len(result.rejects) == 0
    assert "Disrupted weapons use" in set(result.incidents["sub_event_type"])
