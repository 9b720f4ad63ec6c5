"""The educator's timeline and story, and maps exported as standalone offline HTML."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from incidents.schema import conform
from incidents.seed import read_seed_incidents
from mapview.export import ExportError, standalone_html
from mapview.incident_map import build_incident_map
from mapview.timeline_pace import TimelinePace
from mapview.timeline import (
    build_story_map,
    build_timeline_map,
    story_order,
    story_view,
    timeline_features,
    timeline_period,
)

HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>'


@pytest.fixture
def seed(boundaries):
    return read_seed_incidents(boundaries)


def test_timeline_features_carry_their_dates_and_honest_shapes(seed, boundaries):
    features = timeline_features(seed, boundaries)["features"]
    assert sorted(f["properties"]["times"][0] for f in features) == ["2024-07-14", "2024-10-15", "2024-10-17"]
    shapes = {f["properties"]["times"][0]: f["geometry"]["type"] for f in features}
    assert shapes["2024-10-17"] in ("Polygon", "MultiPolygon")  # governorate-level: the area, not a pin
    assert shapes["2024-07-14"] == "Point"


def test_undated_incidents_are_not_animated(seed, boundaries):
    undated = seed.copy()
    undated.loc[0, "event_date"] = None
    assert len(timeline_features(conform(undated), boundaries)["features"]) == 2


@pytest.mark.parametrize(
    ("dates", "period"),
    [(["2024-07-14", "2024-10-17"], "P1D"), (["2022-01-01", "2024-10-17"], "P1W"), (["2015-01-01", "2024-10-17"], "P1M"), ([None], "P1D")],
)
def test_the_step_follows_the_span(dates, period):
    assert timeline_period(pd.Series(dates)) == period


@pytest.mark.parametrize(("mode", "duration"), [("cumulative", "undefined"), ("window", '"P30D"')])
def test_timeline_modes(seed, boundaries, mode, duration):
    page = build_timeline_map(seed, boundaries, mode=mode, window_days=30).get_root().render()
    assert f"duration: {duration}" in page


def test_timeline_rejects_a_bad_mode_or_speed(seed, boundaries):
    with pytest.raises(ValueError, match="cumulative"):
        build_timeline_map(seed, boundaries, mode="loop")
    with pytest.raises(ValueError, match="positive"):
        build_timeline_map(seed, boundaries, pace=TimelinePace(speed=0))


def test_the_story_steps_in_date_order_and_centres_each_incident(seed, boundaries):
    story = story_order(seed)
    assert story["event_date"].tolist() == ["2024-07-14", "2024-10-15", "2024-10-17"]
    centre, zoom = story_view(story.iloc[0], boundaries)
    assert centre == pytest.approx([35.47243, 44.63235], abs=1e-4) and zoom == 11
    _, zoom = story_view(story.iloc[2], boundaries)
    assert zoom == 9  # known only by governorate: a wide view
    page = build_story_map(story, boundaries, 2).get_root().render()
    assert "3 of 3" in page
    with pytest.raises(IndexError):
        build_story_map(story, boundaries, 3)


@pytest.mark.parametrize("builder", ["map", "timeline", "story"])
def test_exported_html_embeds_everything_and_links_nothing(seed, boundaries, builder):
    fmap = {
        "map": lambda: build_incident_map(seed, boundaries),
        "timeline": lambda: build_timeline_map(seed, boundaries),
        "story": lambda: build_story_map(story_order(seed), boundaries, 0),
    }[builder]()
    page = standalone_html(fmap)
    assert "/app/static" not in page
    assert not re.search(r'<script[^>]+src=', page)
    assert not re.search(r'<link[^>]+rel="stylesheet"', page)
    assert "//netdna" not in page and "cdn." not in page.lower().replace("cdn.example", "")
    assert "L.map(" in page or "L.map (" in page


def test_exported_html_escapes_report_text(seed, boundaries):
    hostile = seed.copy()
    for column in ("location", "notes", "actor1", "source", "review_reasons"):
        hostile[column] = HOSTILE
    for fmap in (build_timeline_map(conform(hostile), boundaries), build_story_map(story_order(conform(hostile)), boundaries, 0)):
        page = standalone_html(fmap)
        assert "<script>alert(1)" not in page and "<img src=x" not in page


def test_export_refuses_a_remote_asset(seed, boundaries):
    fmap = build_incident_map(seed, boundaries)
    fmap.default_js = fmap.default_js + [("leaflet", "https://cdn.example.org/leaflet.js")]
    with pytest.raises(ExportError, match="not a local asset"):
        standalone_html(fmap)


def test_a_large_store_plays_only_the_latest_incidents_and_the_story_stays_small(boundaries):
    from tests.test_layers import synthetic
    from mapview.timeline import MAX_TIMELINE_INCIDENTS, STORY_CONTEXT_INCIDENTS, latest_incidents

    many = synthetic(MAX_TIMELINE_INCIDENTS + 500)
    many["event_date"] = pd.date_range("2015-01-01", periods=len(many), freq="D").strftime("%Y-%m-%d")
    played = latest_incidents(many)
    assert len(played) == MAX_TIMELINE_INCIDENTS and played["event_date"].min() > many["event_date"].min()
    story = story_order(played)
    page = build_story_map(story, boundaries, len(story) - 1).get_root().render()
    assert page.count("L.circleMarker(") <= STORY_CONTEXT_INCIDENTS + 1
