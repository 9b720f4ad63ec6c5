"""The analyst's map, composed from the layers: choropleth, outlines, labels, incidents,
clusters and heat map. Pure: frames in, a folium.Map out.

Precision is drawn honestly (DESIGN.md): a point for geo_precision 1, an uncertainty
circle for 2, the area for 3. Beyond ``MAX_INCIDENT_FEATURES`` incidents the points are
aggregated into grid cells so the page stays small.
"""
from __future__ import annotations

import os
from typing import Mapping

import folium
import geopandas as gpd
import pandas as pd

from geo.boundaries import Boundaries
from incidents.aggregate import METRICS, count_by_unit
from mapview.assets import APP_VENDOR_URL, use_local_assets
from mapview.figure import in_data_safe_figure
from mapview.layers import (
    AREA,
    EXACT,
    NEAR,
    area_count_layer,
    area_layer,
    choropleth_layer,
    cluster_layer,
    grid_layer,
    heat_layer,
    label_layer,
    near_place_layer,
    outline_layer,
    placements,
    point_layer,
)
from mapview.legend import MapExtras, choropleth_legend, symbols_legend
from mapview.options import UNIT_LABELS, MapOptions  # MapOptions lives in mapview.options; importable from here too

KIRKUK_CENTRE = (35.35, 44.15)  # folium order: [lat, lon]
TILES_ENV = "KIRKUK_TILES"
TILES_ATTRIBUTION_ENV = "KIRKUK_TILES_ATTRIBUTION"
# Above this many incidents, one feature each (with its popup) makes the page too heavy.
MAX_INCIDENT_FEATURES = 2_000


def base_map(tiles: Mapping[str, str] | None = None) -> folium.Map:
    """An empty map of Kirkuk governorate; with no tile source it draws on a plain background.

    ``tiles`` is {"url": template, "attribution": text}; by default read from
    $KIRKUK_TILES and $KIRKUK_TILES_ATTRIBUTION.
    """
    if tiles is None and os.environ.get(TILES_ENV):
        tiles = {"url": os.environ[TILES_ENV], "attribution": os.environ.get(TILES_ATTRIBUTION_ENV, "Base map")}
    # maxZoom: with no tile layer Leaflet knows no zoom limit, and the cluster plugin needs one.
    fmap = folium.Map(
        location=KIRKUK_CENTRE, zoom_start=9, tiles=None, control_scale=True, prefer_canvas=True, maxZoom=18, minZoom=6
    )
    in_data_safe_figure(fmap)  # data in the map is never evaluated as a template (mapview.figure)
    # Our layers need Leaflet, and jQuery for folium.Popup: no Bootstrap or icon fonts to serve or embed.
    fmap.default_js = [item for item in fmap.default_js if item[0] in ("leaflet", "jquery")]
    fmap.default_css = [item for item in fmap.default_css if item[0] == "leaflet_css"]
    if tiles:
        folium.TileLayer(tiles["url"], attr=tiles.get("attribution", "Base map"), name="Base map").add_to(fmap)
    return fmap


def add_incident_layers(fmap: folium.Map, incidents: pd.DataFrame, boundaries: Boundaries) -> bool:
    """Draw incidents at their precision; aggregated beyond MAX_INCIDENT_FEATURES. Returns True if aggregated.

    Each incident is drawn as ``placements`` says; one with no place yet is not drawn
    (the pages count and list it), and a layer is added only when it has incidents.
    """
    placed = placements(incidents, boundaries)
    in_area, pointed = placed == AREA, placed.isin([EXACT, NEAR])
    if len(incidents) > MAX_INCIDENT_FEATURES:
        # Only the columns the aggregated layers read: a subset of every column of a
        # million incidents would cost hundreds of MB.
        area = incidents.loc[in_area, ["adm1_pcode", "adm2_pcode", "adm3_pcode"]]
        points = incidents.loc[pointed, ["latitude", "longitude", "fatalities", "event_type"]]
        if len(area):
            area_count_layer(area, boundaries, "Incidents known by area only").add_to(fmap)
        if len(points):
            grid_layer(points, "Incidents (counts per ~2 km cell)").add_to(fmap)
        return True
    layers = (
        (AREA, lambda rows: area_layer(rows, boundaries, "Incidents known by area only")),
        (NEAR, lambda rows: near_place_layer(rows, "Incidents near a place")),
        (EXACT, lambda rows: point_layer(rows, "Incidents at a place")),
    )
    for kind, layer in layers:
        rows = incidents[placed == kind]
        if len(rows):
            layer(rows).add_to(fmap)
    return False


def build_incident_map(
    incidents: pd.DataFrame,
    boundaries: Boundaries,
    options: MapOptions = MapOptions(),
    previous: pd.DataFrame | None = None,
    tiles: Mapping[str, str] | None = None,
    asset_base_url: str = APP_VENDOR_URL,
    counts: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """The main map of a (filtered) incident frame.

    ``previous`` holds the incidents of the period before, for the "change" metric.
    ``counts`` (``incidents.aggregate.unit_metrics`` at ``options.level``, e.g. from the
    store's GROUP BY) replaces counting ``incidents`` and ``previous`` here.
    Rows with neither a point nor an area are not drawable; the app lists them in its table.
    """
    if options.metric not in METRICS:
        raise ValueError(f"Unknown metric {options.metric!r}; choose one of: {', '.join(METRICS)}.")
    if options.level not in UNIT_LABELS:
        raise ValueError(f"The choropleth level must be 2 (districts) or 3 (sub-districts), not {options.level!r}.")
    fmap = base_map(tiles)
    units = boundaries.kirkuk(options.level)
    unit_label = UNIT_LABELS[options.level]
    if counts is None:
        counts = count_by_unit(incidents, units, options.level, previous=previous)
    choropleth, breaks = choropleth_layer(
        counts, options.metric, f"{METRICS[options.metric]} per {unit_label.lower()}", unit_label, options.scheme
    )
    choropleth.add_to(fmap)
    if options.level == 2:
        outline_layer(boundaries.kirkuk(3), "Sub-district outlines", weight=0.8, dash="4 3").add_to(fmap)
    else:
        outline_layer(boundaries.kirkuk(2), "District outlines", weight=2.5).add_to(fmap)
    label_layer(boundaries.kirkuk(2), "District names").add_to(fmap)
    aggregated = add_incident_layers(fmap, incidents, boundaries)
    # Clusters and heat carry every point: built only when asked for, so that a large
    # selection's page stays small (the user switches them on in the sidebar).
    pointed = incidents.loc[incidents["latitude"].notna() & incidents["longitude"].notna(), ["latitude", "longitude", "event_type"]]
    if len(pointed) and options.show_clusters:
        cluster_layer(pointed, "Clusters", show=True).add_to(fmap)
    if len(pointed) and options.show_heat:
        heat_layer(pointed, "Heat map", show=True).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    legend = choropleth_legend(options.metric, METRICS[options.metric], unit_label, breaks, options.scheme)
    fmap.add_child(MapExtras(legend + "<br>" + symbols_legend(aggregated)))
    fmap.fit_bounds(unit_bounds(boundaries.kirkuk(2)))
    return use_local_assets(fmap, asset_base_url)


def add_reference_layers(fmap: folium.Map, boundaries: Boundaries) -> None:
    """District and sub-district outlines and district names: the map's frame of reference
    when no choropleth is drawn."""
    outline_layer(boundaries.kirkuk(2), "Districts", weight=2).add_to(fmap)
    outline_layer(boundaries.kirkuk(3), "Sub-districts", weight=0.8, dash="4 3").add_to(fmap)
    label_layer(boundaries.kirkuk(2), "District names").add_to(fmap)


def build_preview_map(
    incidents: pd.DataFrame, boundaries: Boundaries, asset_base_url: str = APP_VENDOR_URL
) -> folium.Map:
    """A small map of a few incidents (a report being added): outlines, names and the incidents."""
    fmap = base_map()
    add_reference_layers(fmap, boundaries)
    add_incident_layers(fmap, incidents, boundaries)
    fmap.add_child(MapExtras(symbols_legend(aggregated=False)))
    fmap.fit_bounds(unit_bounds(boundaries.kirkuk(2)))
    return use_local_assets(fmap, asset_base_url)


def unit_bounds(units: gpd.GeoDataFrame) -> list[list[float]]:
    """The units' bounding box in folium's [[south, west], [north, east]]."""
    minx, miny, maxx, maxy = units.total_bounds
    return [[miny, minx], [maxy, maxx]]  # folium [[south, west], [north, east]]


def map_html(fmap: folium.Map) -> str:
    """The full HTML page of a map (for tests, exports and the benchmark)."""
    return fmap.get_root().render()
