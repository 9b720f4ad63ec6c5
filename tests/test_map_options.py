"""The map options round-trip through a link, and a bad value in it gives the default with a note."""
from __future__ import annotations

import pytest

from mapview.incident_map import MapOptions as MapOptionsFromIncidentMap
from mapview.options import MapOptions, parse_map_options


@pytest.mark.parametrize(
    ("params", "expected", "note"),
    [
        ({}, MapOptions(), None),
        ({"level": "3", "metric": "fatalities", "scheme": "natural breaks"}, MapOptions(level=3, metric="fatalities", scheme="natural breaks"), None),
        ({"layers": "heat"}, MapOptions(show_heat=True), None),
        ({"layers": "clusters,heat"}, MapOptions(show_clusters=True, show_heat=True), None),
        ({"level": "7"}, MapOptions(), "level '7' is not one of 2, 3; 2 is used."),
        ({"metric": "x"}, MapOptions(), "metric 'x' is not one of incidents, fatalities"),
        ({"scheme": "y"}, MapOptions(), "; quantiles is used."),
        ({"layers": "z,heat"}, MapOptions(show_heat=True), "layers: only clusters and heat exist; the others are ignored."),
        ({"metric": "m" * 10_000}, MapOptions(), "…' is not one of"),
    ],
)
def test_a_link_gives_map_options_and_says_what_it_ignored(params, expected, note):
    options, notes = parse_map_options(params)
    assert options == expected == MapOptions.from_query_params(params)
    if note is None:
        assert notes == []
    else:
        assert len(notes) == 1 and note in notes[0] and len(notes[0]) < 200, notes


@pytest.mark.parametrize(
    "options",
    [MapOptions(), MapOptions(level=3), MapOptions(metric="change", scheme="natural breaks"), MapOptions(show_clusters=True, show_heat=True)],
)
def test_map_options_survive_the_url(options):
    assert MapOptions.from_query_params(options.to_query_params()) == options


def test_the_default_options_need_no_parameter():
    assert MapOptions().to_query_params() == {}


def test_map_options_are_still_importable_from_the_incident_map():
    assert MapOptionsFromIncidentMap is MapOptions
