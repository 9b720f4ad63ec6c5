"""The Map page's frame gets what st_folium would send, with the base rendered once.

app.map_frame renders the base map (outlines, names, plugins) once and each run's layers
against a stand-in of it; streamlit-folium's frame must see the same scripts as when
st_folium renders the whole map on every run (folium's random ids aside).
"""
from __future__ import annotations

import json
import re

import pandas as pd
from branca.element import Element
from streamlit_folium import _get_feature_group_string, _get_layer_control_string, _get_map_string

from app.map_frame import render_base, render_layers
from app.state import refresh_incidents
from mapview.incident_map import MapOptions, build_incident_map_parts
from mapview.layers import feature_collection
from tests.incident_rows import incident, run_page, store_with
from tests.test_templating import seed_incidents

FOLIUM_ID = re.compile(r"[0-9a-f]{32}")


def same_ids(script: str) -> str:
    return FOLIUM_ID.sub("ID", script)


def st_folium_strings(parts) -> tuple[str, str, str]:
    """The base script, feature groups and control as st_folium makes them from one whole map."""
    parts.base.get_root().render()
    parts.base.render()
    script = _get_map_string(parts.base)
    groups = "".join(_get_feature_group_string(group, map=parts.base, idx=idx) for idx, group in enumerate(parts.layers))
    return script, groups, _get_layer_control_string(parts.control, parts.base)


def test_the_frame_gets_the_scripts_st_folium_would_send(boundaries):
    options = MapOptions(level=3, show_clusters=True)
    script, groups, control = st_folium_strings(build_incident_map_parts(seed_incidents(), boundaries, options))
    parts = build_incident_map_parts(seed_incidents(), boundaries, options)
    base = render_base(parts.base)
    layers = render_layers(base, parts.layers, parts.control)
    assert same_ids(base.script) == same_ids(script)
    assert same_ids(layers.feature_group) == same_ids(groups)
    assert same_ids(layers.layer_control) == same_ids(control)


def test_the_layer_control_lists_this_runs_layers_and_the_base_keeps_its_own(boundaries):
    parts = build_incident_map_parts(seed_incidents(), boundaries)
    base = render_base(parts.base)
    control = render_layers(base, parts.layers, parts.control).layer_control
    for name in ("Incidents per district", "Incidents known by area only", "Incidents near a place"):
        assert f'"{name}" : feature_group_feature_group_' in control
    # The base's outlines and names are always on, out of the control (as on the whole map).
    assert {layer.layer_name: layer.control for layer in base.layers} == {
        "District outlines": False, "Sub-district outlines": False, "District names": False,
    }
    assert "District outlines" not in control


def test_a_run_needs_the_base_only_as_rendered_once(boundaries):
    base = render_base(build_incident_map_parts(seed_incidents(), boundaries).base)
    first = render_layers(base, build_incident_map_parts(seed_incidents(), boundaries).layers, None)
    fewer = render_layers(base, build_incident_map_parts(seed_incidents().iloc[:1], boundaries).layers, None)
    assert first.feature_group != fewer.feature_group
    assert "District outlines" not in first.feature_group  # the outlines stay in the base
    assert first.layer_control == ""


def test_plugin_scripts_come_with_the_layers_that_need_them(boundaries):
    base = render_base(build_incident_map_parts(seed_incidents(), boundaries).base)
    plain = render_layers(base, build_incident_map_parts(seed_incidents(), boundaries).layers, None)
    heat = render_layers(base, build_incident_map_parts(seed_incidents(), boundaries, MapOptions(show_heat=True)).layers, None)
    assert set(plain.js_links) <= set(heat.js_links)


def test_an_element_of_template_syntax_is_compiled_only_when_rendered():
    Element("{% not a tag %} {{ unclosed")  # made (and kept verbatim by our figures) without compiling
    assert Element("{{ 6 * 7 }}").render() == "42"  # rendered as branca always has


def test_a_feature_collection_has_json_values_and_the_units_geometry(boundaries):
    properties = pd.DataFrame({"pcode": ["IQG13Q01", "IQG13Q02", "NOWHERE"], "rate": [1.5, float("nan"), 2.0]})
    collection = feature_collection(properties, properties["pcode"], boundaries.geometry_json())
    assert [f["id"] for f in collection["features"]] == ["IQG13Q01", "IQG13Q02"]  # an unknown unit has no shape
    assert collection["features"][1]["properties"]["rate"] is None  # NaN is not JSON
    assert collection["features"][0]["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_kirkuks_units_are_cut_once_and_handed_out_as_copies(boundaries):
    districts = boundaries.kirkuk(2)
    districts["extra"] = 1
    assert "extra" not in boundaries.kirkuk(2)
    outlines = boundaries.geometry_json(outlines=True)
    assert outlines is boundaries.geometry_json(outlines=True)
    assert outlines["IQG13Q01"]["type"] in {"LineString", "MultiLineString"}


def frame_arguments(at) -> dict:
    """The arguments the Map page sent streamlit-folium's frame in its last run."""
    (frame,) = at.main.get("component_instance")
    return json.loads(frame.proto.json_args)


def test_a_view_seen_before_is_not_drawn_again_until_the_store_changes(db_url):
    store_with(db_url, [incident(1, location="Laylan")])
    at = run_page("map")
    first = frame_arguments(at)
    at.run()
    assert frame_arguments(at) == first and "Laylan" in first["feature_group"]
    store_with(db_url, [incident(2, location="Qarahanjir")])
    refresh_incidents()  # what a page calls after it writes
    at.run()
    after = frame_arguments(at)
    assert "Qarahanjir" in after["feature_group"] and "Laylan" in after["feature_group"]
    assert after["script"] == first["script"]  # the base stays, so the browser keeps the map, zoom and centre
