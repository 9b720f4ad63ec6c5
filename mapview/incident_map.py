"""The analyst's map, composed from the layers: choropleth, outlines, labels, incidents,
clusters and heat map. Pure: frames in, a folium.Map out.

Precision is drawn honestly (DESIGN.md): a point for geo_precision 1, an uncertainty
circle for 2, the area for 3. The analyst's map draws every incident with a point on a
canvas from one compact array (mapview.incident_points), at any size; the small preview
map keeps one GeoJSON feature with its popup per incident, and aggregates beyond
``MAX_INCIDENT_FEATURES``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping

import folium
import geopandas as gpd
import pandas as pd

from geo.boundaries import Boundaries
from incidents.aggregate import METRICS, count_by_unit
from incidents.scope import outside_kirkuk
from mapview.assets import APP_VENDOR_URL, use_local_assets
from mapview.figure import in_data_safe_figure
from mapview.incident_points import IncidentPoints
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
    OUTLINE_PANE,
    FitToChosen,
    OutlinePane,
    outline_layer,
    placements,
    point_layer,
)
from mapview.legend import LayerLegend, MapExtras, choropleth_legend, context_legend, symbols_legend
from mapview.style import CONTEXT_COLOUR, CONTEXT_OUTLINE_WEIGHT, NEAR_PLACE_RADIUS_KM
from mapview.options import UNIT_LABELS, MapOptions  # MapOptions lives in mapview.options; importable from here too

KIRKUK_CENTRE = (35.35, 44.15)  # folium order: [lat, lon]
TILES_ENV = "KIRKUK_TILES"
TILES_ATTRIBUTION_ENV = "KIRKUK_TILES_ATTRIBUTION"
# Above this many incidents, one feature each (with its popup) makes the page too heavy.
MAX_INCIDENT_FEATURES = 2_000


def tile_source() -> dict[str, str] | None:
    """The tile source of $KIRKUK_TILES and $KIRKUK_TILES_ATTRIBUTION, or None (a plain background)."""
    if not os.environ.get(TILES_ENV):
        return None
    return {"url": os.environ[TILES_ENV], "attribution": os.environ.get(TILES_ATTRIBUTION_ENV, "Base map")}


def base_map(tiles: Mapping[str, str] | None = None) -> folium.Map:
    """An empty map of Kirkuk governorate; with no tile source it draws on a plain background.

    ``tiles`` is {"url": template, "attribution": text}; by default read from
    $KIRKUK_TILES and $KIRKUK_TILES_ATTRIBUTION.
    """
    if tiles is None:
        tiles = tile_source()
    # maxZoom: with no tile layer Leaflet knows no zoom limit, and the cluster plugin needs one.
    fmap = folium.Map(
        location=KIRKUK_CENTRE, zoom_start=9, tiles=None, control_scale=True, prefer_canvas=True, maxZoom=18, minZoom=6
    )
    in_data_safe_figure(fmap)  # data in the map is never evaluated as a template (mapview.figure)
    # Our layers need Leaflet, and jQuery for folium.Popup (the preview map's): no Bootstrap or icon fonts.
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


def incident_canvas_layers(incidents: pd.DataFrame, boundaries: Boundaries) -> list[folium.map.Layer]:
    """Every incident at its precision: one outline per area for those known only by area (the
    count in its tooltip), uncertainty circles and dots on canvas; a layer only when it has incidents."""
    placed = placements(incidents, boundaries)
    layers: list[folium.map.Layer] = []
    area = incidents.loc[placed == AREA, ["adm1_pcode", "adm2_pcode", "adm3_pcode"]]
    if len(area):
        layers.append(area_count_layer(area, boundaries, "Incidents known by area only"))
    point_columns = ["latitude", "longitude", "event_type", "sub_event_type", "fatalities", "event_date", "time_precision", "location",
                     "actor1", "actor2", "source", "notes"]
    for kind, name, near in ((NEAR, "Incidents near a place", True), (EXACT, "Incidents at a place", False)):
        rows = incidents.loc[placed == kind, [c for c in point_columns if c in incidents]]
        if len(rows):
            layers.append(IncidentPoints(rows, name, near=near, radius_km=NEAR_PLACE_RADIUS_KM))
    return layers


def context_layers(outside: pd.DataFrame, boundaries: Boundaries, outlines: bool) -> list[folium.map.Layer]:
    """Context under a wider scope, drawn muted below Kirkuk's own: the neighbouring governorates'
    outlines (``outlines``) and the incidents ``outside`` Kirkuk (grey, faint, smaller)."""
    layers: list[folium.map.Layer] = []
    if outlines:
        neighbours = boundaries.adm1[~boundaries.adm1["in_kirkuk"].astype(bool)]
        layers.append(outline_layer(neighbours, "Neighbouring governorates", weight=CONTEXT_OUTLINE_WEIGHT, colour=CONTEXT_COLOUR))
    if not len(outside):
        return layers
    placed = placements(outside, boundaries)
    area = outside.loc[placed == AREA, ["adm1_pcode", "adm2_pcode", "adm3_pcode"]]
    if len(area):
        layers.append(area_count_layer(area, boundaries, "Outside Kirkuk: known by area only", colour=CONTEXT_COLOUR))
    point_columns = ["latitude", "longitude", "event_type", "sub_event_type", "fatalities", "event_date", "time_precision", "location"]
    for kind, name, near in ((NEAR, "Outside Kirkuk: near a place", True), (EXACT, "Outside Kirkuk: at a place", False)):
        rows = outside.loc[placed == kind, point_columns]
        if len(rows):
            layers.append(IncidentPoints(rows, name, near=near, radius_km=NEAR_PLACE_RADIUS_KM, muted=True))
    return layers


@dataclass(frozen=True)
class MapParts:
    """The analyst's map in two parts: ``base`` stays in the browser across filter changes
    (background, outlines, names, credits; the same on every run, so streamlit-folium keeps
    its frame, zoom and centre), and ``layers`` replace each other on a filter change
    (streamlit-folium's ``feature_group_to_add``), listed by ``control``."""

    base: folium.Map
    layers: list[folium.FeatureGroup]
    control: folium.LayerControl


def reference_map(boundaries: Boundaries, tiles: Mapping[str, str] | None = None, asset_base_url: str = APP_VENDOR_URL) -> folium.Map:
    """The part of the analyst's map no filter changes: sent to the browser once."""
    fmap = base_map(tiles)
    # No folium.Popup here (canvas popups are built in the browser): one script fewer to load in turn.
    fmap.default_js = [item for item in fmap.default_js if item[0] != "jquery"]
    fmap.add_child(OutlinePane())
    outline_layer(boundaries.kirkuk(2), "District outlines", weight=2.5, pane=OUTLINE_PANE).add_to(fmap)
    outline_layer(boundaries.kirkuk(3), "Sub-district outlines", weight=0.8, dash="4 3", pane=OUTLINE_PANE).add_to(fmap)
    label_layer(boundaries.kirkuk(2), "District names", control=False).add_to(fmap)
    fmap.add_child(MapExtras())
    fmap.fit_bounds(unit_bounds(boundaries.kirkuk(2)))
    return use_local_assets(fmap, asset_base_url)


def _group(layer: folium.map.Layer, show: bool = True) -> folium.FeatureGroup:
    """One layer in its own group: the unit streamlit-folium replaces, and the layer control lists."""
    group = folium.FeatureGroup(name=layer.layer_name, show=show)
    layer.control = False
    group.add_child(layer)
    return group


def incident_layers(
    incidents: pd.DataFrame,
    boundaries: Boundaries,
    options: MapOptions = MapOptions(),
    previous: pd.DataFrame | None = None,
    asset_base_url: str = APP_VENDOR_URL,
    chosen_units: tuple[str, ...] = (),
    counts: gpd.GeoDataFrame | None = None,
    context_outlines: bool = False,
) -> list[folium.FeatureGroup]:
    """What a filter changes: the choropleth with its legend, the incidents, clusters and heat map.

    ``chosen_units`` (district or sub-district pcodes of the filter) are outlined and zoomed to;
    ``counts`` (the store's GROUP BY, ``incidents.aggregate.unit_metrics``) replaces counting here.
    Incidents outside Kirkuk (a wider scope) are drawn muted below Kirkuk's, with the neighbouring
    governorates' outlines when ``context_outlines``.
    """
    if options.metric not in METRICS:
        raise ValueError(f"Unknown metric {options.metric!r}; choose one of: {', '.join(METRICS)}.")
    if options.level not in UNIT_LABELS:
        raise ValueError(f"The choropleth level must be 2 (districts) or 3 (sub-districts), not {options.level!r}.")
    units = boundaries.kirkuk(options.level)
    unit_label = UNIT_LABELS[options.level]
    if counts is None:
        counts = count_by_unit(incidents, units, options.level, previous=previous)
    choropleth, breaks = choropleth_layer(
        counts, options.metric, f"{METRICS[options.metric]} per {unit_label.lower()}", unit_label, options.scheme,
        chosen=chosen_units, boundaries=boundaries,
    )
    choropleth_group = _group(choropleth)
    shapes = pd.concat([boundaries.kirkuk(2), boundaries.kirkuk(3)])
    chosen_shapes = shapes[shapes["pcode"].isin(chosen_units)]
    if len(chosen_shapes):
        choropleth_group.add_child(FitToChosen(unit_bounds(chosen_shapes), ",".join(sorted(chosen_units))))
    legend = choropleth_legend(options.metric, METRICS[options.metric], unit_label, breaks, options.scheme)
    outside = outside_kirkuk(incidents)
    context_rows = "<br>" + context_legend() if context_outlines or outside.any() else ""
    choropleth_group.add_child(LayerLegend(legend + "<br>" + symbols_legend(aggregated=False) + context_rows))
    own = incidents[~outside.to_numpy()] if outside.any() else incidents
    context = context_layers(incidents[outside.to_numpy()], boundaries, context_outlines)
    groups = [choropleth_group] + [_group(layer) for layer in context + incident_canvas_layers(own, boundaries)]
    # Density on top of the incidents, not instead: built only when switched on.
    pointed = incidents.loc[incidents["latitude"].notna() & incidents["longitude"].notna(), ["latitude", "longitude", "event_type"]]
    if len(pointed) and options.show_heat:
        groups.append(_group(heat_layer(pointed, "Heat map", show=True)))
    if len(pointed) and options.show_clusters:
        groups.append(_group(cluster_layer(pointed, "Clusters", show=True)))
    for group in groups:
        use_local_assets(group, asset_base_url)
    return groups


def build_incident_map_parts(
    incidents: pd.DataFrame,
    boundaries: Boundaries,
    options: MapOptions = MapOptions(),
    previous: pd.DataFrame | None = None,
    tiles: Mapping[str, str] | None = None,
    asset_base_url: str = APP_VENDOR_URL,
    chosen_units: tuple[str, ...] = (),
    counts: gpd.GeoDataFrame | None = None,
    context_outlines: bool = False,
) -> MapParts:
    """The analyst's map of a (filtered) incident frame, as a base that stays and layers that change.

    ``previous`` holds the incidents of the period before, for the "change" metric;
    ``chosen_units`` the filter's districts and sub-districts, outlined and zoomed to.
    """
    layers = incident_layers(incidents, boundaries, options, previous, asset_base_url, chosen_units, counts, context_outlines)
    return MapParts(reference_map(boundaries, tiles, asset_base_url), layers, layer_control())


def layer_control() -> folium.LayerControl:
    """The control listing the map's layers; collapsed: an always-open one covered the popups under it."""
    return folium.LayerControl(collapsed=True)


def build_incident_map(
    incidents: pd.DataFrame,
    boundaries: Boundaries,
    options: MapOptions = MapOptions(),
    previous: pd.DataFrame | None = None,
    tiles: Mapping[str, str] | None = None,
    asset_base_url: str = APP_VENDOR_URL,
    counts: gpd.GeoDataFrame | None = None,
    chosen_units: tuple[str, ...] = (),
    context_outlines: bool = False,
) -> folium.Map:
    """The main map of a (filtered) incident frame as one map (exports, prints, tests, the benchmark).

    ``previous`` holds the incidents of the period before, for the "change" metric.
    ``counts`` (``incidents.aggregate.unit_metrics`` at ``options.level``, e.g. from the
    store's GROUP BY) replaces counting ``incidents`` and ``previous`` here.
    ``chosen_units`` (the filter's districts and sub-districts) are outlined and zoomed to.
    Rows with neither a point nor an area are not drawable; the app lists them in its table.
    """
    parts = build_incident_map_parts(
        incidents, boundaries, options, previous, tiles, asset_base_url, chosen_units, counts, context_outlines=context_outlines
    )
    for group in parts.layers:
        group.add_to(parts.base)
    parts.control.add_to(parts.base)
    return parts.base


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
