"""The map is built offline, draws precision honestly, and escapes every text from data."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from incidents.schema import conform
from incidents.seed import read_seed_incidents
from mapview.assets import ASSET_FILES, VENDOR_DIR, UnvendoredAsset, missing_asset_files, use_local_assets
from mapview.incident_map import build_incident_map, map_html
from mapview.popups import incident_popup_html

HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>'


@pytest.fixture
def seed(boundaries):
    return read_seed_incidents(boundaries)


def test_map_links_no_cdn_only_local_assets(seed, boundaries):
    page = map_html(build_incident_map(seed, boundaries))
    links = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert links and all(link.startswith("/app/static/vendor/") for link in links), links


def test_every_linked_asset_is_installed(seed, boundaries):
    assert missing_asset_files() == []
    page = map_html(build_incident_map(seed, boundaries))
    for link in re.findall(r'"/app/static/vendor/([^"]+)"', page):
        assert (VENDOR_DIR / link).is_file(), link


def test_an_asset_without_local_copy_is_refused():
    import folium

    fmap = folium.Map(tiles=None)
    fmap.default_js = [("some_new_plugin", "https://cdn.example.org/plugin.js")]
    with pytest.raises(UnvendoredAsset, match="plugin.js"):
        use_local_assets(fmap)


def test_no_asset_name_maps_outside_the_vendor_folder():
    assert all(not path or not path.startswith(("/", "..")) for path in ASSET_FILES.values())


def test_each_precision_is_drawn_its_own_way(seed, boundaries):
    page = map_html(build_incident_map(seed, boundaries))
    assert "Incidents near a place" in page  # precision 2: circles
    assert "Incidents known by area only" in page  # precision 3: the governorate polygon
    assert "Incidents at a place" not in page  # no seed incident is known to the exact place


def test_incident_text_is_escaped_in_popups_and_the_page(seed, boundaries):
    hostile = seed.copy()
    for column in ("location", "notes", "actor1", "source", "sub_event_type", "review_reasons"):
        hostile[column] = HOSTILE
    hostile["source_url"] = "javascript:alert(3)"
    page = map_html(build_incident_map(conform(hostile), boundaries))
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    assert "javascript:alert(3)" not in page
    popup = incident_popup_html(hostile.iloc[0])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in popup


def test_an_empty_selection_still_draws_the_districts(boundaries):
    page = map_html(build_incident_map(conform(pd.DataFrame(columns=["incident_id"])), boundaries))
    assert page.count("IQG13Q0") >= 4
