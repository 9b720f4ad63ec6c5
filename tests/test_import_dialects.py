"""Real exports import as they are: every ACLED layout since 2015, UCDP GED, and CSV that never loses a row.

The files in tests/data/imports/dialects/ are invented rows in each layout real files have
(see that folder's README); .xlsx, .zip and .gpkg files are written here from them.
"""
from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from importers import FORMATS, read_acled_csv, read_generic_csv, read_geojson, read_ucdp_csv
from importers.acled import OLD_EVENT_TYPES
from importers.csv import parse_column_mapping, parse_value_maps
from importers.errors import UnreadableFile
from importers.pipeline import import_file, locate_incidents, read_import, rejects_csv_bytes
from importers.tables import MAX_CELL_BYTES, open_delimited
from incidents.export import csv_bytes, write_gpkg
from incidents.schema import EVENT_TYPES, NO_SUB_EVENT_TYPE
from incidents.store import read_incidents

IMPORTS = Path(__file__).parent / "data" / "imports"
DIALECTS = IMPORTS / "dialects"


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    """An .xlsx workbook of the rows, written by openpyxl as Excel would save it."""
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zipped(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return out.getvalue()


# --- every dialect: accepted and rejected rows counted ------------------------------------

DIALECT_COUNTS = [
    # (reader, file, accepted, rejected lines)
    (read_acled_csv, "acled_2020_export.csv", 8, [10]),  # the last row is cut off mid-field
    (read_acled_csv, "acled_2016_api.csv", 10, []),
    (read_acled_csv, "acled_2015_upper.csv", 6, []),
    (read_acled_csv, "acled_api.json", 4, []),
    (read_acled_csv, IMPORTS / "acled_kirkuk.csv", 7, [9]),  # today's CSV: "Weapons cache found" is no ACLED sub-type
    (read_ucdp_csv, "ucdp_ged_odd.csv", 8, [9]),  # low > high
    (read_generic_csv, "generic_preamble.csv", 4, []),
    (read_generic_csv, "generic_unclosed_quote.csv", 9, [4]),
    (read_generic_csv, "generic_numbers_dates.csv", 4, [5, 6]),  # years 9999 and 1600
    (read_geojson, "geojson_odd.geojson", 3, [3]),  # coordinates "east", "north"
]


@pytest.mark.parametrize(("reader", "file", "accepted", "rejected"), DIALECT_COUNTS, ids=lambda v: getattr(v, "name", str(v)))
def test_every_valid_row_of_each_dialect_is_kept(reader, file, accepted, rejected):
    result = reader(DIALECTS / file)

    assert len(result.incidents) == accepted
    assert sorted(result.rejects["line"].unique()) == rejected


@pytest.mark.parametrize(("format", "file"), [("acled", "acled_2020_export.csv"), ("acled", "acled_2016_api.csv"),
                                              ("acled", "acled_2015_upper.csv"), ("acled", "acled_api.json"),
                                              ("ucdp", "ucdp_ged_odd.csv"), ("csv", "generic_numbers_dates.csv"),
                                              ("csv", "generic_unclosed_quote.csv"), ("geojson", "geojson_odd.geojson")])
def test_importing_a_dialect_twice_adds_nothing(engine, boundaries, format, file):
    first, _, _ = import_file(DIALECTS / file, format, engine, boundaries)
    again, _, _ = import_file(DIALECTS / file, format, engine, boundaries)

    assert first.new == first.accepted > 0
    assert (again.new, again.already_stored) == (0, first.accepted)


# --- ACLED: every layout --------------------------------------------------------------------


def test_acled_2020_two_digit_years_are_read_with_the_year_column():
    incidents = read_acled_csv(DIALECTS / "acled_2020_export.csv").incidents.set_index("source_id")

    assert incidents.loc["IRQ52001", "event_date"] == "2020-05-09"
    assert incidents.loc["IRQ52008", "event_date"] == "2020-08-08"


def test_a_two_digit_year_that_contradicts_the_year_column_is_rejected():
    text = (DIALECTS / "acled_2020_export.csv").read_text().splitlines()
    text[1] = text[1].replace(",9-May-20,2020,", ",9-May-20,2019,")

    result = read_acled_csv("\n".join(text[:3]).encode(), name="year.csv")

    assert result.rejects.iloc[0][["line", "column"]].tolist() == [2, "event_date"]
    assert "year column says 2019" in result.rejects.iloc[0]["reason"]


def test_acled_2015_uppercase_headers_multiline_notes_and_long_month_names():
    incidents = read_acled_csv(DIALECTS / "acled_2015_upper.csv").incidents.set_index("source_id")

    assert incidents.loc["IRQ15001", "event_date"] == "2015-01-01"
    assert incidents.loc["IRQ15002", "notes"].count("\n") == 2
    assert incidents.loc["IRQ15005", "notes"].endswith('"the road is open", a commander said.')


@pytest.mark.parametrize(("old", "event_type", "sub_event_type"), [
    ("Battle-No change of territory", "Battles", "Armed clash"),
    ("Battle-Government regains territory", "Battles", "Government regains territory"),
    ("Battle-Non-state actors overtake territory", "Battles", "Non-state actor overtakes territory"),
    ("Remote violence", "Explosions/Remote violence", NO_SUB_EVENT_TYPE),
    ("Riots/Protests", "Protests", NO_SUB_EVENT_TYPE),
    ("Violence against civilians", "Violence against civilians", NO_SUB_EVENT_TYPE),
    ("Violence Against Civilians", "Violence against civilians", NO_SUB_EVENT_TYPE),
    ("Strategic development", "Strategic developments", NO_SUB_EVENT_TYPE),
    ("Non-violent transfer of territory", "Strategic developments", "Non-violent transfer of territory"),
    ("Headquarters or base established", "Strategic developments", "Headquarters or base established"),
])
def test_the_old_taxonomy_is_mapped_to_todays(old, event_type, sub_event_type):
    incidents = read_acled_csv(DIALECTS / "acled_2016_api.csv").incidents
    row = incidents[incidents["extra"].str.contains(f'"event_type": {json.dumps(old)}', regex=False)].iloc[0]

    assert (row["event_type"], row["sub_event_type"]) == (event_type, sub_event_type)
    assert bool(row["needs_review"]) == (sub_event_type == NO_SUB_EVENT_TYPE)


def test_the_taxonomy_table_maps_into_todays_types():
    for event_type, sub_event_type in OLD_EVENT_TYPES.values():
        assert event_type in EVENT_TYPES
        assert sub_event_type == NO_SUB_EVENT_TYPE or sub_event_type in EVENT_TYPES[event_type]


def test_an_event_without_a_sub_type_is_stored_and_read_back(engine, boundaries):
    import_file(DIALECTS / "acled_2016_api.csv", "acled", engine, boundaries)

    stored = read_incidents(engine).set_index("source_id")

    assert stored.loc["IRQ16004", "sub_event_type"] == NO_SUB_EVENT_TYPE
    assert "names no sub-event type" in stored.loc["IRQ16004", "review_reasons"]


def test_an_unnamed_index_column_and_unknown_columns_are_ignored():
    result = read_acled_csv(DIALECTS / "acled_2016_api.csv")

    assert result.incidents["source_id"].tolist()[:2] == ["IRQ16001", "IRQ16002"]
    assert "column_1" not in result.incidents.columns


def test_acled_xlsx_gives_the_same_incidents_as_its_csv():
    with open(IMPORTS / "acled_kirkuk.csv", newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    from_csv = read_acled_csv(IMPORTS / "acled_kirkuk.csv")

    from_xlsx = read_acled_csv(xlsx_bytes(rows), name="acled_kirkuk.xlsx")

    columns = ["source_id", "event_date", "event_type", "sub_event_type", "latitude", "longitude", "fatalities", "notes"]
    pd.testing.assert_frame_equal(from_xlsx.incidents[columns], from_csv.incidents[columns])
    assert from_xlsx.rejected_rows == from_csv.rejected_rows == 1


def test_xlsx_cells_typed_by_excel_are_read():
    from datetime import datetime

    rows = [["event_id_cnty", "event_date", "event_type", "sub_event_type", "location", "latitude", "longitude", "fatalities"],
            ["IRQ1", datetime(2024, 7, 14), "Battles", "Armed clash", "Daquq", 35.1387, 44.4515, 3]]

    incident = read_acled_csv(xlsx_bytes(rows), name="typed.xlsx").incidents.iloc[0]

    assert (incident["event_date"], incident["latitude"], incident["fatalities"]) == ("2024-07-14", 35.1387, 3)


def test_an_api_error_answer_says_so():
    with pytest.raises(UnreadableFile, match="status 403"):
        read_acled_csv(b'{"status": 403, "data": []}', name="api.json")


# --- keep what the file says ----------------------------------------------------------------


def test_the_files_own_fields_are_kept_in_extra():
    incidents = read_acled_csv(DIALECTS / "acled_api.json").incidents.set_index("source_id")

    said = json.loads(incidents.loc["IRQ90003", "extra"])

    assert {k: said[k] for k in ("country", "admin1", "admin2", "admin3", "location", "assoc_actor_1", "interaction", "tags")} == {
        "country": "Iraq", "admin1": "Kirkuk", "admin2": "Kirkuk", "admin3": "Markaz Kirkuk", "location": "Kirkuk",
        "assoc_actor_1": "Students (Iraq)", "interaction": "Protesters only", "tags": "crowd size=around 200",
    }


def test_the_2016_ally_actors_are_kept_as_assoc_actors():
    incidents = read_acled_csv(DIALECTS / "acled_2016_api.csv").incidents.set_index("source_id")

    assert json.loads(incidents.loc["IRQ16001", "extra"])["assoc_actor_1"] == "Popular Mobilization Forces"


def test_a_file_admin2_that_disagrees_with_the_polygons_is_flagged(boundaries):
    # ACLED puts Rashad under Kirkuk district; the COD-AB polygons put Al-Rashad in Daquq.
    located = locate_incidents(read_acled_csv(DIALECTS / "acled_2016_api.csv").incidents, boundaries, None).set_index("source_id")

    assert located.loc["IRQ16002", "admin2"] == "Daquq"
    assert "the file says admin2 'Kirkuk' but the point lies in Daquq" in located.loc["IRQ16002", "review_reasons"]
    flagged = located["review_reasons"].fillna("").str.contains("the file says")
    assert flagged.sum() == 1  # Al-Hawiga for Hawija, "Kirkuk province" for Kirkuk: the same units


# --- UCDP -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def odd_ged(boundaries):
    result = read_ucdp_csv(DIALECTS / "ucdp_ged_odd.csv")
    return result, locate_incidents(result.incidents, boundaries, None).set_index("source_id")


def test_ucdp_dates_lie_inside_date_start_to_date_end(odd_ged):
    raw = pd.read_csv(DIALECTS / "ucdp_ged_odd.csv", dtype=str).set_index("id")
    located = odd_ged[1]

    for ged_id, date in located["event_date"].items():
        assert raw.loc[ged_id, "date_start"][:10] <= date <= raw.loc[ged_id, "date_end"][:10], ged_id
    assert located.loc["350001", "event_date"] == "2020-02-07"  # 3..12 February: not the 15th


def test_a_bad_source_date_never_rejects_an_event(odd_ged):
    located = odd_ged[1]

    for ged_id, bad in (("350002", "1753-01-01"), ("350003", "2919-02-06")):
        assert pd.isna(located.loc[ged_id, "report_date"])
        assert f"source_date {bad}" in located.loc[ged_id, "notes"]


@pytest.mark.parametrize(("ged_id", "where_prec", "finest"), [
    ("350001", 1, 3), ("350004", 3, 2), ("350005", 4, 1), ("350006", 5, 1), ("350007", 7, 1),
])
def test_where_prec_3_to_7_is_never_placed_finer_than_stated(odd_ged, ged_id, where_prec, finest):
    row = odd_ged[1].loc[ged_id]

    given = [level for level in (1, 2, 3) if not pd.isna(row[f"adm{level}_pcode"])]

    assert given == list(range(1, finest + 1))
    assert bool(row["needs_review"]) == (where_prec >= 5)


def test_zipped_ged_is_read_like_the_csv():
    data = zipped("ged_odd.csv", (DIALECTS / "ucdp_ged_odd.csv").read_bytes())

    result = read_ucdp_csv(data, name="ged.zip")

    assert (len(result.incidents), result.rejected_rows) == (8, 1)


def test_a_zip_without_a_csv_says_so():
    with pytest.raises(UnreadableFile, match="without a CSV"):
        read_ucdp_csv(zipped("codebook.pdf", b"%PDF"), name="ged.zip")


# --- generic CSV ----------------------------------------------------------------------------


def test_time_of_day_keeps_two_attacks_on_one_day_apart():
    result = read_generic_csv(DIALECTS / "generic_numbers_dates.csv")

    same_day = result.incidents[result.incidents["notes"] == "morning blast"]

    assert same_day["line"].tolist() == [3, 4]
    assert same_day["incident_id"].nunique() == 2


def test_commas_in_counts_are_thousands_and_in_coordinates_decimals():
    row = read_generic_csv(DIALECTS / "generic_numbers_dates.csv").incidents.iloc[0]

    assert (row["fatalities"], row["wounded"], row["latitude"]) == (1000, 12500, 35.4681)


def test_a_preamble_is_skipped_with_a_warning():
    result = read_generic_csv(DIALECTS / "generic_preamble.csv")

    assert result.incidents["line"].tolist() == [5, 6, 7, 8]
    assert result.warnings == ("generic_preamble.csv: the header is on line 4; the 3 line(s) before it were skipped.",)


def test_an_unclosed_quote_rejects_its_row_and_keeps_the_rest():
    result = read_generic_csv(DIALECTS / "generic_unclosed_quote.csv")

    reject = result.rejects.iloc[0]

    assert result.incidents["line"].tolist() == [2, 3, 5, 6, 7, 8, 9, 10, 11]
    assert "unclosed quote" in reject["reason"] and "lines 5 to 11" in reject["reason"]
    assert len(reject["original_row"]) < 200


def test_a_quoted_cell_that_starts_with_a_newline_is_one_row():
    # Found by hypothesis (test_import_properties): '"\n0",,' has paired quotes, so it is one row.
    table = open_delimited(io.BytesIO(b'alpha,beta,gamma\n"\n0",,\n'), name="p.csv")

    chunks = list(table.chunks())

    assert [chunk.fields for chunk in chunks] == [{2: ["\n0", "", ""]}]
    assert not any(chunk.oversize for chunk in chunks)


def test_an_oversized_cell_is_a_rejected_row_not_a_stopped_import():
    huge = "x" * (MAX_CELL_BYTES + 10)
    text = f"date,type,sub_type,place,notes\n2024-07-14,Battles,Armed clash,Daquq,{huge}\n2024-07-15,Battles,Armed clash,Dibis,fine\n"

    result = read_generic_csv(text.encode(), name="big.csv")

    assert result.incidents["line"].tolist() == [3]
    assert result.rejects["line"].tolist() == [2]
    assert len(result.rejects.iloc[0]["value"]) < 100 and len(result.rejects.iloc[0]["original_row"]) < 200


def test_one_invalid_byte_keeps_a_utf8_file_utf8():
    lines = ["date,type,sub_type,place,notes"] + [f"2024-07-{d:02d},Battles,Armed clash,داقوق,اشتباك {d}" for d in range(1, 9)]
    data = "\n".join(lines).encode("utf-8").replace("اشتباك 5".encode(), "اشتباك 5".encode() + b"\xff")

    result = read_generic_csv(data, name="one_bad_byte.csv")

    assert result.encoding == "utf-8"
    assert len(result.incidents) == 8 and (result.incidents["location"] == "داقوق").all()
    assert result.warnings == ("one_bad_byte.csv: line 6 holds bytes that are not UTF-8; they were replaced with \ufffd. Check those cells.",)


def test_a_cp1256_file_is_still_read_as_cp1256():
    assert read_generic_csv(IMPORTS / "spreadsheet_cp1256.csv").encoding == "cp1256"


def test_map_takes_constants_and_value_maps():
    text = "when,attack_type,city,lat,lon\n2024-07-14,Bombing/Explosion,Kirkuk,35.4681,44.3922\n2024-07-15,Armed Assault,Hawija,35.3283,43.7594\n"
    pairs = ["event_date=when", "time_precision=2",
             "event_type:attack_type={Bombing/Explosion: Explosions/Remote violence, Armed Assault: Battles}",
             "sub_event_type:attack_type={Bombing/Explosion: Remote explosive/landmine/IED, Armed Assault: Armed clash}"]

    result = read_generic_csv(text.encode(), name="gtd.csv", mapping=parse_column_mapping(pairs), value_maps=parse_value_maps(pairs))

    assert result.rejected_rows == 0
    assert result.incidents["event_type"].tolist() == ["Explosions/Remote violence", "Battles"]
    assert result.incidents["sub_event_type"].tolist() == ["Remote explosive/landmine/IED", "Armed clash"]
    assert result.incidents["time_precision"].tolist() == [2, 2]
    assert result.incidents["location"].tolist() == ["Kirkuk", "Hawija"]  # "city" is a place column


# --- GeoJSON and GeoPackage -----------------------------------------------------------------


@pytest.mark.parametrize("crs", ['"EPSG:4326"', '["EPSG:4326"]', '{"type": "name", "properties": {"name": "EPSG:4326"}}'])
def test_a_crs_in_any_shape_is_read(crs):
    data = (DIALECTS / "geojson_odd.geojson").read_text().replace('"crs":"EPSG:4326"', f'"crs":{crs}')

    assert len(read_geojson(data.encode(), name="odd.geojson").incidents) == 3


@pytest.mark.parametrize("crs", ['"EPSG:3857"', '["EPSG:32638"]'])
def test_another_crs_in_any_shape_says_to_reproject(crs):
    data = (DIALECTS / "geojson_odd.geojson").read_text().replace('"crs":"EPSG:4326"', f'"crs":{crs}')

    with pytest.raises(UnreadableFile, match="Reproject"):
        read_geojson(data.encode(), name="odd.geojson")


def test_a_property_called___longitude_does_not_move_the_point():
    incident = read_geojson(DIALECTS / "geojson_odd.geojson").incidents.iloc[0]

    assert (incident["latitude"], incident["longitude"]) == (35.4681, 44.3922)


def test_deep_nesting_is_an_unreadable_file_not_a_traceback():
    deep = "[" * 100_000 + "]" * 100_000
    data = '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"x":' + deep + "}}]}"

    with pytest.raises(UnreadableFile, match="nests its JSON too deeply"):
        read_geojson(data.encode(), name="deep.geojson")


def test_a_geopackage_export_imports_back_unchanged(tmp_path, engine, boundaries):
    import_file(DIALECTS / "acled_api.json", "acled", engine, boundaries)
    stored = read_incidents(engine)
    write_gpkg(stored, tmp_path / "incidents.gpkg")

    again, result, _ = import_file(tmp_path / "incidents.gpkg", "gpkg", engine, boundaries)

    assert (again.accepted, again.new, again.already_stored) == (4, 0, 4)
    assert sorted(result.incidents["incident_id"]) == sorted(stored["incident_id"])


# --- export that reads back -----------------------------------------------------------------


@pytest.mark.parametrize("format", ["acled", "kim", "csv"])
def test_our_csv_export_reimports_adding_nothing(tmp_path, engine, boundaries, format):
    import_file(DIALECTS / "acled_2016_api.csv", "acled", engine, boundaries)
    path = tmp_path / "export.csv"
    path.write_bytes(csv_bytes(read_incidents(engine)))

    again, _, _ = import_file(path, format, engine, boundaries)

    assert (again.accepted, again.rejected, again.new) == (10, 0, 0)


def test_a_carriage_return_inside_a_field_is_quoted_and_reads_back(tmp_path, engine, boundaries):
    import_file(DIALECTS / "acled_api.json", "acled", engine, boundaries)
    stored = read_incidents(engine)
    stored.loc[0, "notes"] = "first part\rsecond part"

    again = read_import(csv_bytes(stored), "kim", name="export.csv")

    assert len(again.incidents) == 4 and again.rejected_rows == 0
    assert "first part\rsecond part" in again.incidents["notes"].tolist()


def test_the_rejects_report_is_formula_defused():
    text = "date,type,sub_type,place\n=HYPERLINK(1),Battles,Armed clash,Daquq\n"
    result = read_generic_csv(text.encode(), name="evil.csv")

    report = list(csv.DictReader(io.StringIO(rejects_csv_bytes(result.rejects).decode("utf-8-sig"))))

    assert report[0]["value"] == "'=HYPERLINK(1)"


def test_kim_and_gpkg_are_formats():
    assert {"acled", "ucdp", "csv", "geojson", "gpkg", "kim"} <= set(FORMATS)
