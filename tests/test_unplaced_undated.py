"""Incidents with no point, no pcode or no date are first-class: every page, map and export
works when some or all of them lack a place or a date, and the pages count them."""
from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from incidents.export import export_bytes
from incidents.schema import conform
from mapview.export import standalone_html
from mapview.incident_map import MAX_INCIDENT_FEATURES, MapOptions, build_incident_map, build_preview_map
from mapview.layers import AREA, EXACT, NEAR, placements
from mapview.timeline import build_story_map, build_timeline_map, story_order, story_view, timeline_features
from tests.incident_rows import NO_PLACE, incident, run_page, store_with, unplaced

STORES = {
    "all without a place": [unplaced(1), unplaced(2, event_date="1995-06-01"), unplaced(3, event_date=None)],
    "all without a date": [incident(1, event_date=None), incident(2, event_date=None, geo_precision=3), unplaced(3, event_date=None)],
    "mixed": [
        incident(1),
        unplaced(2),
        incident(3, event_date=None),
        incident(4, event_date="1989-01-01", geo_precision=2),  # UCDP GED starts in 1989
        incident(5, event_date="1900-01-01", geo_precision=1, latitude=None, longitude=None, adm3_pcode="IQG13Q04N07"),
        incident(6, event_date="2024-10-17", geo_precision=3, latitude=None, longitude=None, adm2_pcode=None),
    ],
}
# (no place, no date) per store
COUNTS = {"all without a place": (3, 1), "all without a date": (1, 3), "mixed": (1, 1)}


def frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    return conform(pd.DataFrame(rows))


@pytest.mark.parametrize(
    ("values", "placement"),
    [
        ({"geo_precision": 1}, EXACT),
        ({"geo_precision": 2}, NEAR),
        ({"geo_precision": None}, NEAR),  # a point of unknown precision is drawn as uncertain
        ({"geo_precision": 3}, AREA),  # the district, never a pin
        ({"geo_precision": 1, "latitude": None, "longitude": None}, AREA),  # no point: its area
        ({"geo_precision": 3, "adm1_pcode": None, "adm2_pcode": None}, None),  # a point at precision 3 with no area
        ({"geo_precision": 3, **NO_PLACE}, None),
        ({"geo_precision": 3, **NO_PLACE, "adm2_pcode": "IQG99Q99"}, None),  # a pcode the boundaries do not have
    ],
)
def test_each_incident_is_placed_where_it_can_be(boundaries, values, placement):
    assert placements(frame([incident(1, **values)]), boundaries).iloc[0] == placement


@pytest.mark.parametrize("store", list(STORES))
def test_every_map_draws_with_unplaced_and_undated_incidents(boundaries, store):
    incidents = frame(STORES[store])
    for fmap in (
        build_incident_map(incidents, boundaries),
        build_incident_map(incidents, boundaries, MapOptions(level=3, show_clusters=True, show_heat=True)),
        build_preview_map(incidents, boundaries),
        build_timeline_map(incidents, boundaries),
        build_timeline_map(incidents, boundaries, mode="window"),
    ):
        assert "<html" in standalone_html(fmap)
    story = story_order(incidents)
    for step in range(len(story)):
        standalone_html(build_story_map(story, boundaries, step))


def test_a_large_selection_of_unplaced_incidents_is_aggregated_without_error(boundaries):
    many = frame([unplaced(i) for i in range(MAX_INCIDENT_FEATURES + 1)])
    assert "<html" in standalone_html(build_incident_map(many, boundaries))


def test_the_preview_of_a_report_about_an_unknown_village_draws(boundaries):
    village = frame([unplaced(1, location="Qizilbashkand", event_date="2024-11-10")])
    assert "<html" in standalone_html(build_preview_map(village, boundaries))


def test_the_story_centres_on_the_governorate_for_an_incident_with_no_place(boundaries):
    centre, zoom = story_view(story_order(frame([unplaced(1)])).iloc[0], boundaries)
    assert 35 < centre[0] < 36 and 43.5 < centre[1] < 45 and zoom == 9


def test_only_incidents_with_a_date_and_a_place_are_played(boundaries):
    features = timeline_features(frame(STORES["mixed"]), boundaries)["features"]
    assert sorted(f["properties"]["times"][0] for f in features) == ["1900-01-01", "1989-01-01", "2024-07-14", "2024-10-17"]


@pytest.mark.parametrize("store", list(STORES))
def test_exports_keep_every_incident(store):
    incidents = frame(STORES[store])
    csv = pd.read_csv(io.BytesIO(export_bytes(incidents, "csv")), encoding="utf-8-sig")
    geojson = json.loads(export_bytes(incidents, "geojson"))
    assert len(csv) == len(geojson["features"]) == len(incidents)
    assert sum(f["geometry"] is None for f in geojson["features"]) == incidents["latitude"].isna().sum()
    assert export_bytes(incidents, "gpkg").startswith(b"SQLite format 3")


@pytest.mark.parametrize("store", list(STORES))
def test_the_pages_run_and_count_what_has_no_place_or_no_date(db_url, store):
    store_with(db_url, STORES[store])
    no_place, no_date = COUNTS[store]

    at = run_page("map")
    assert not at.exception, at.exception
    assert len(at.dataframe[0].value) == len(STORES[store])  # every incident is listed
    assert any(w.value.startswith(f"{no_place} incident(s) have no place yet") for w in at.warning)

    at = run_page("timeline")
    assert not at.exception, at.exception
    assert any(i.value.startswith(f"{no_date} incident(s) have no date yet") for i in at.info)
    dated = sum(row["event_date"] is not None for row in STORES[store])
    for _ in range(dated - 1):  # the story steps through every dated incident, placed or not
        at.button(key="story_next").click().run()
        assert not at.exception, at.exception
    if dated:
        assert at.subheader[0].value.startswith(f"{dated} of {dated}:")

    at = run_page("data")  # builds every export of the whole store
    assert not at.exception, at.exception


def test_a_store_of_only_unplaced_undated_incidents_says_there_is_nothing_to_play(db_url):
    store_with(db_url, [unplaced(1, event_date=None)])
    at = run_page("timeline")
    assert not at.exception, at.exception
    assert "nothing to play" in " ".join(i.value for i in at.info)
    assert "No dated incident yet." in [i.value for i in at.info]
