"""GeoJSON: points, null geometries and areas; bad features go to the reject report with their JSON."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from importers import EmptyFile, UnreadableFile, read_geojson

IMPORTS = Path(__file__).parent / "data" / "imports"


def test_good_features_are_all_read():
    result = read_geojson(IMPORTS / "incidents_good.geojson")
    assert (len(result.incidents), result.rejected_rows) == (5, 0)
    rows = result.incidents.set_index("line")
    assert (rows.at[1, "latitude"], rows.at[1, "longitude"]) == (35.642, 44.072)  # GeoJSON order is [lon, lat]
    assert rows.at[1, "source_id"] == "field-001"


def test_a_null_geometry_waits_for_the_gazetteer():
    row = read_geojson(IMPORTS / "incidents_good.geojson").incidents.set_index("line").loc[3]
    assert pd.isna(row["latitude"]) and row["location"] == "الحويجة"


def test_an_area_is_placed_inside_it_at_district_precision():
    row = read_geojson(IMPORTS / "incidents_good.geojson").incidents.set_index("line").loc[4]
    assert (row["geo_precision"], row["needs_review"]) == (3, True)
    assert 44.40 < row["longitude"] < 44.52 and 35.08 < row["latitude"] < 35.20
    assert "Polygon geometry placed at a point inside it" in row["review_reasons"]


def test_bad_features_are_explained_by_number():
    result = read_geojson(IMPORTS / "incidents_bad.geojson")
    assert (len(result.incidents), result.rejected_rows) == (1, 6)
    first = result.rejects.drop_duplicates("line").set_index("line")["column"].to_dict()
    assert first == {2: "geometry", 3: "event_date", 4: "event_type", 5: "geometry", 6: "event_type", 7: "(feature)"}
    assert json.loads(result.rejects.set_index("line").at[3, "original_row"])["properties"]["event_date"] == "not a date"


def test_broken_json_names_the_line_and_column():
    with pytest.raises(UnreadableFile, match=r"broken.geojson is not valid JSON: .* at line 1, column"):
        read_geojson(IMPORTS / "broken.geojson")


@pytest.mark.parametrize(
    ("content", "error", "message"),
    [
        (b"", EmptyFile, "is empty"),
        (b'{"type": "FeatureCollection", "features": []}', EmptyFile, "has no features"),
        (b'{"type": "Point", "coordinates": [44, 35]}', UnreadableFile, "not a GeoJSON FeatureCollection"),
        (b'{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:32638"}}, "features": []}',
         UnreadableFile, "must be WGS84"),
    ],
)
def test_files_that_are_not_feature_collections(content, error, message):
    with pytest.raises(error, match=message):
        read_geojson(io.BytesIO(content), name="layer.geojson")


def test_properties_can_be_mapped():
    layer = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [44.07, 35.64]},
             "properties": {"when": "2024-06-01", "what": "Battles", "how": "Armed clash", "where": "Dibis"}}]}
    mapping = {"event_date": "when", "event_type": "what", "sub_event_type": "how", "location": "where"}
    result = read_geojson(io.BytesIO(json.dumps(layer).encode()), mapping=mapping, name="m.geojson")
    assert (len(result.incidents), result.incidents.at[0, "location"]) == (1, "Dibis")
