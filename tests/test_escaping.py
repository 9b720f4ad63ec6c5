"""Hostile text from a file or a report reaches every HTML output escaped, never as markup.

One test per path: an imported CSV row and a pasted report, through the store, into the
analyst's map, the timeline, the story, the report preview and the standalone exports.
"""
from __future__ import annotations

import io
from datetime import date

import pytest

from reports.extract import extract_incidents
from importers.pipeline import import_file
from incidents.store import read_incidents
from mapview.export import standalone_html
from mapview.incident_map import MapOptions, build_incident_map, build_preview_map, map_html
from mapview.timeline import build_story_map, build_timeline_map, story_order

SCRIPT = "<script>alert('x')</script>"
IMAGE = "<img src=x onerror=alert(1)>"
HOSTILE_CSV = (
    "event_date,event_type,sub_event_type,location,latitude,longitude,fatalities,actor1,notes,source,source_url\n"
    f"2024-04-05,Battles,Armed clash,{SCRIPT},35.4500,44.2700,0,{IMAGE},<b>bold</b> {SCRIPT},{IMAGE},javascript:alert(3)\n"
)
HOSTILE_REPORT = (
    f"Two soldiers were killed in a roadside bomb attack near Hawija on Tuesday {SCRIPT}, "
    f"officials said {IMAGE}."
)


def assert_inert(page: str) -> None:
    for raw in (SCRIPT, "<img src=x", "javascript:alert(3)", "<b>bold</b>"):
        assert raw not in page, raw


@pytest.fixture
def stored(engine, boundaries, small_gazetteer):
    import_file(io.BytesIO(HOSTILE_CSV.encode()), "csv", engine, boundaries, small_gazetteer, name="hostile.csv")
    incidents = read_incidents(engine)
    assert SCRIPT in incidents["location"].iloc[0]  # kept as data, verbatim
    return incidents


@pytest.mark.parametrize("options", [MapOptions(), MapOptions(level=3, show_clusters=True, show_heat=True)])
def test_imported_text_is_escaped_on_the_analysts_map(stored, boundaries, options):
    fmap = build_incident_map(stored, boundaries, options)
    assert_inert(map_html(fmap))
    assert_inert(standalone_html(fmap))


def test_imported_text_is_escaped_in_the_timeline_and_story(stored, boundaries):
    assert_inert(standalone_html(build_timeline_map(stored, boundaries)))
    assert_inert(standalone_html(build_story_map(story_order(stored), boundaries, 0)))


def test_report_text_is_escaped_in_the_preview(boundaries):
    from geo.gazetteer import load_gazetteer

    extracted = extract_incidents(HOSTILE_REPORT, load_gazetteer(), date(2023, 3, 9), "https://example.org/x")
    assert len(extracted) == 1 and SCRIPT in extracted["source_sentences"].iloc[0]
    assert_inert(map_html(build_preview_map(extracted, boundaries)))
