"""Export -> import gives back the same incidents; exports carry ACLED names, pcodes and HXL."""
from __future__ import annotations

import io
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from incidents.export import EXPORT_COLUMNS, csv_bytes, export_filter, geojson_bytes, write_export
from importers.pipeline import import_file
from incidents.schema import COLUMN_NAMES
from incidents.store import connect, read_incidents

IMPORTS = Path(__file__).parent / "data" / "imports"
SAMPLES = [
    ("acled_kirkuk.csv", "acled"),
    ("acled_bad_rows.csv", "acled"),
    ("ucdp_ged_kirkuk.csv", "ucdp"),
    ("spreadsheet_cp1256.csv", "csv"),
    ("generic_bad_rows.csv", "csv"),
    ("incidents_good.geojson", "geojson"),
]


@pytest.fixture(scope="module")
def stored(boundaries, small_gazetteer, tmp_path_factory):
    """Every good sample row, imported once for the module (tests only read it)."""
    engine = connect(f"sqlite:///{tmp_path_factory.mktemp('export') / 'incidents.sqlite'}")
    for file_name, fmt in SAMPLES:
        import_file(IMPORTS / file_name, fmt, engine, boundaries, small_gazetteer)
    incidents = read_incidents(engine)
    engine.dispose()
    return incidents


@pytest.mark.parametrize(("suffix", "fmt", "hxl"), [(".csv", "csv", False), (".csv", "csv", True), (".geojson", "geojson", False)])
def test_export_then_import_gives_the_same_incidents(stored, boundaries, small_gazetteer, tmp_path, suffix, fmt, hxl):
    path = tmp_path / f"export{suffix}"
    write_export(stored, path, fmt, hxl=hxl)
    other = connect(f"sqlite:///{tmp_path / 'other.sqlite'}")
    summary, result, _ = import_file(path, fmt, other, boundaries, small_gazetteer)
    assert (summary.rejected, summary.new) == (0, len(stored))
    pd.testing.assert_frame_equal(read_incidents(other), stored)
    other.dispose()


def test_a_geopackage_holds_every_incident_and_point(stored, tmp_path):
    path = tmp_path / "export.gpkg"
    write_export(stored, path, "gpkg")
    layer = gpd.read_file(path, layer="incidents").set_index("incident_id").loc[stored["incident_id"]]
    assert len(layer) == len(stored)
    placed = stored.set_index("incident_id")["longitude"].notna()
    assert layer.geometry.notna().eq(placed).all()
    assert (layer.loc[placed[placed].index].geometry.x.round(6) == stored.set_index("incident_id").loc[placed[placed].index, "longitude"].round(6)).all()
    assert layer.crs.to_epsg() == 4326


def test_csv_has_acled_names_with_pcodes_beside_names(stored):
    header = csv_bytes(stored).decode("utf-8-sig").splitlines()[0].split(",")
    assert header == list(EXPORT_COLUMNS) and set(header) == set(COLUMN_NAMES)
    assert header[header.index("admin2") + 1] == "adm2_pcode"


def test_the_hxl_row_tags_the_expected_columns(stored):
    frame = pd.read_csv(io.BytesIO(csv_bytes(stored, hxl=True)), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    tags = frame.iloc[0]
    assert (tags["event_date"], tags["adm2_pcode"], tags["latitude"], tags["longitude"], tags["fatalities"]) == (
        "#date+occurred", "#adm2+code", "#geo+lat", "#geo+lon", "#affected+killed",
    )
    assert tags["event_type"] == "#event+type"


def test_geojson_points_are_lon_lat(stored):
    features = json.loads(geojson_bytes(stored))["features"]
    first = next(f for f in features if f["geometry"])
    assert first["geometry"]["coordinates"] == [first["properties"]["longitude"], first["properties"]["latitude"]]
    assert any(f["geometry"] is None for f in features)  # an unresolved place is exported, unplaced


def test_filters_pick_dates_districts_and_types(stored):
    dated = export_filter(pd.Timestamp("2024-07-01").date(), pd.Timestamp("2024-07-31").date()).apply(stored)
    assert dated["event_date"].between("2024-07-01", "2024-07-31").all() and len(dated) > 0
    hawija = export_filter(districts=["IQG13Q01"]).apply(stored)
    assert set(hawija["adm2_pcode"]) == {"IQG13Q01"}
    battles = export_filter(event_types=["Battles"]).apply(stored)
    assert set(battles["event_type"]) == {"Battles"}


def test_formula_like_text_is_defused_in_csv_and_restored_on_import(stored, boundaries, small_gazetteer, tmp_path):
    formulas = stored.copy()
    formulas["notes"] = '=HYPERLINK("http://evil.example","click")'
    formulas["actor2"] = "@attacker"
    path = tmp_path / "formulas.csv"
    write_export(formulas, path, "csv")
    text = path.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'@attacker" in text
    assert ',=HYPERLINK' not in text and ',"=HYPERLINK' not in text
    other = connect(f"sqlite:///{tmp_path / 'other.sqlite'}")
    import_file(path, "csv", other, boundaries, small_gazetteer)
    back = read_incidents(other)
    assert set(back["notes"]) == {'=HYPERLINK("http://evil.example","click")'}
    assert set(back["actor2"]) == {"@attacker"}
    other.dispose()
