"""The incident map: boundaries, a choropleth of counts, and incidents drawn as precisely as they are known.

Pure functions from frames to folium objects. Precision is drawn honestly
(DESIGN.md): a point for geo_precision 1, an uncertainty circle for 2, the area for 3.
"""
from __future__ import annotations

import html
import os
from typing import Mapping

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from geo.boundaries import Boundaries
from incidents.aggregate import count_by_unit
from mapview.assets import APP_VENDOR_URL, use_local_assets
from mapview.popups import incident_popup_html, incident_tooltip
from mapview.style import (
    CHOROPLETH_COLOURS,
    EVENT_TYPE_COLOURS,
    NEAR_PLACE_RADIUS_KM,
    class_breaks,
    class_colour,
    event_colour,
    marker_radius_px,
)

KIRKUK_CENTRE = (35.35, 44.15)  # folium order: [lat, lon]
TILES_ENV = "KIRKUK_TILES"
TILES_ATTRIBUTION_ENV = "KIRKUK_TILES_ATTRIBUTION"
DATA_CREDITS = (
    "Boundaries: OCHA COD-AB Iraq (CSO/ITOS, CC BY-IGO) · Places: GeoNames (CC BY 4.0), "
    "© OpenStreetMap contributors (ODbL) · Incidents: their report sources"
)


class _MapExtras(MacroElement):
    """Background colour for a map without tiles, the data credits, and a legend."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
          #{{ this._parent.get_name() }} { background: #f3f1ec; }
          .kim-legend { background: rgba(255,255,255,0.92); padding: 6px 8px; font: 12px/1.4 sans-serif;
                        border-radius: 4px; box-shadow: 0 0 4px rgba(0,0,0,0.3); }
          .kim-legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -1px; }
          #{{ this._parent.get_name() }} .leaflet-control-attribution { font-size: 10px; line-height: 1.3; }
          .kim-label { font: 11px sans-serif; color: #333; text-shadow: 0 0 3px #fff, 0 0 3px #fff; white-space: nowrap; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.credits|tojson }});
        (function () {
          var legend = L.control({position: "bottomright"});
          legend.onAdd = function () {
            var div = L.DomUtil.create("div", "kim-legend");
            div.innerHTML = {{ this.legend_html|tojson }};
            return div;
          };
          legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, credits: str, legend_html: str) -> None:
        super().__init__()
        self._name = "MapExtras"
        self.credits = credits
        self.legend_html = legend_html


def base_map(tiles: Mapping[str, str] | None = None) -> folium.Map:
    """An empty map of Kirkuk governorate; with no tile source it draws on a plain background.

    ``tiles`` is {"url": template, "attribution": text}; by default read from
    $KIRKUK_TILES and $KIRKUK_TILES_ATTRIBUTION.
    """
    if tiles is None and os.environ.get(TILES_ENV):
        tiles = {"url": os.environ[TILES_ENV], "attribution": os.environ.get(TILES_ATTRIBUTION_ENV, "Base map")}
    fmap = folium.Map(location=KIRKUK_CENTRE, zoom_start=9, tiles=None, control_scale=True, prefer_canvas=True)
    if tiles:
        folium.TileLayer(tiles["url"], attr=tiles.get("attribution", "Base map"), name="Base map").add_to(fmap)
    return fmap


def choropleth_layer(counts: gpd.GeoDataFrame, metric: str, name: str) -> tuple[folium.GeoJson, list[float]]:
    """Units coloured by quantile class of ``metric``; returns the layer and its class breaks."""
    breaks = class_breaks(counts[metric].tolist())
    colours = {row.pcode: class_colour(getattr(row, metric), breaks) for row in counts.itertuples()}
    shown = counts[["pcode", "name", "incidents", "fatalities", "incidents_per_1000_km2", "geometry"]].copy()
    shown["name"] = shown["name"].map(lambda n: html.escape(str(n)))
    shown["incidents_per_1000_km2"] = shown["incidents_per_1000_km2"].round(2)
    layer = folium.GeoJson(
        shown,
        name=name,
        style_function=lambda f: {
            "fillColor": colours.get(f["properties"]["pcode"], CHOROPLETH_COLOURS[0]),
            "fillOpacity": 0.55,
            "color": "#555",
            "weight": 1.5,
        },
        highlight_function=lambda f: {"weight": 3, "color": "#000"},
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "incidents", "fatalities", "incidents_per_1000_km2"],
            aliases=["District", "Incidents", "Killed", "Incidents per 1,000 km²"],
        ),
    )
    return layer, breaks


def outline_layer(units: gpd.GeoDataFrame, name: str, weight: float, dash: str | None = None) -> folium.GeoJson:
    """Unfilled outlines of administrative units, with their names as tooltips."""
    shown = units[["pcode", "name", "geometry"]].copy()
    shown["name"] = shown["name"].map(lambda n: html.escape(str(n)))
    return folium.GeoJson(
        shown,
        name=name,
        style_function=lambda f: {"fill": False, "color": "#444", "weight": weight, "dashArray": dash},
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    )


def label_layer(units: gpd.GeoDataFrame, name: str) -> folium.FeatureGroup:
    """Unit names written on the map, so it reads well without base-map tiles."""
    group = folium.FeatureGroup(name=name)
    points = units.geometry.representative_point()
    for unit_name, point in zip(units["name"], points):
        folium.Marker(
            [point.y, point.x],  # shapely (x=lon, y=lat) -> folium [lat, lon]
            icon=folium.DivIcon(html=f'<div class="kim-label">{html.escape(str(unit_name))}</div>', icon_size=(120, 14), icon_anchor=(60, 7)),
        ).add_to(group)
    return group


def _incident_features(incidents: pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "incident_id": incidents["incident_id"].astype(str),
            "popup": [incident_popup_html(row) for _, row in incidents.iterrows()],
            "tooltip": [incident_tooltip(row) for _, row in incidents.iterrows()],
            "colour": incidents["event_type"].map(event_colour),
            "radius": incidents["fatalities"].map(marker_radius_px),
        },
        index=incidents.index,
    )
    return frame


def point_layer(incidents: pd.DataFrame, name: str) -> folium.GeoJson:
    """Incidents at a known place (geo_precision 1) as circle markers coloured by type, sized by deaths."""
    features = _incident_features(incidents)
    gdf = gpd.GeoDataFrame(features, geometry=gpd.points_from_xy(incidents["longitude"], incidents["latitude"]), crs="EPSG:4326")
    return folium.GeoJson(
        gdf,
        name=name,
        marker=folium.CircleMarker(radius=6, fill=True, weight=1),
        style_function=lambda f: {
            "fillColor": f["properties"]["colour"],
            "color": "#222",
            "fillOpacity": 0.85,
            "radius": f["properties"]["radius"],
        },
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False),
    )


def near_place_layer(incidents: pd.DataFrame, name: str, radius_km: float = NEAR_PLACE_RADIUS_KM) -> folium.GeoJson:
    """Incidents known only near a place or within a sub-district (geo_precision 2) as
    dashed uncertainty circles, not pins."""
    features = _incident_features(incidents)
    gdf = gpd.GeoDataFrame(features, geometry=gpd.points_from_xy(incidents["longitude"], incidents["latitude"]), crs="EPSG:4326")
    return folium.GeoJson(
        gdf,
        name=name,
        marker=folium.Circle(radius=radius_km * 1000, fill=True),
        style_function=lambda f: {
            "fillColor": f["properties"]["colour"],
            "color": f["properties"]["colour"],
            "fillOpacity": 0.2,
            "weight": 2,
            "dashArray": "6 4",
        },
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False),
    )


def area_geometries(incidents: pd.DataFrame, boundaries: Boundaries) -> gpd.GeoSeries:
    """For each incident, the polygon of the finest administrative unit it is known in."""
    shapes = []
    lookups = {level: boundaries.level(level).set_index("pcode").geometry for level in (1, 2, 3)}
    for _, row in incidents.iterrows():
        shape = None
        for level in (3, 2, 1):
            pcode = row.get(f"adm{level}_pcode")
            if pd.notna(pcode) and pcode in lookups[level].index:
                shape = lookups[level].loc[pcode]
                break
        shapes.append(shape)
    return gpd.GeoSeries(shapes, index=incidents.index, crs="EPSG:4326")


def area_layer(incidents: pd.DataFrame, boundaries: Boundaries, name: str) -> folium.GeoJson:
    """Incidents known only by district or governorate (geo_precision 3), drawn as that area."""
    features = _incident_features(incidents)
    gdf = gpd.GeoDataFrame(features, geometry=area_geometries(incidents, boundaries), crs="EPSG:4326")
    gdf = gdf[gdf.geometry.notna()]
    return folium.GeoJson(
        gdf,
        name=name,
        style_function=lambda f: {
            "fillColor": f["properties"]["colour"],
            "color": f["properties"]["colour"],
            "fillOpacity": 0.08,
            "weight": 3,
            "dashArray": "2 6",
        },
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False),
    )


def legend_html(breaks: list[float], metric_label: str) -> str:
    """Legend: the choropleth classes and the event-type colours and precision symbols."""
    bounds = [0.0] + breaks
    classes = [f"<i style='background:{CHOROPLETH_COLOURS[0]}'></i>0"]
    for index, upper in enumerate(breaks):
        lower = bounds[index]
        label = f"{lower:g}–{upper:g}" if index else f"≤ {upper:g}"
        classes.append(f"<i style='background:{CHOROPLETH_COLOURS[min(index + 1, len(CHOROPLETH_COLOURS) - 1)]}'></i>{label}")
    types = [f"<i style='background:{colour};border-radius:6px'></i>{html.escape(t)}" for t, colour in EVENT_TYPE_COLOURS.items()]
    precision = [
        "● exact place",
        "◌ near a place (5 km circle)",
        "⬚ district / governorate only (area)",
    ]
    return (
        f"<b>{html.escape(metric_label)} per district</b> (quantiles)<br>" + "<br>".join(classes)
        + "<br><b>Event type</b><br>" + "<br>".join(types)
        + "<br><b>Precision</b><br>" + "<br>".join(precision)
    )


def build_incident_map(
    incidents: pd.DataFrame,
    boundaries: Boundaries,
    tiles: Mapping[str, str] | None = None,
    asset_base_url: str = APP_VENDOR_URL,
) -> folium.Map:
    """The main map: district choropleth of incident counts, outlines, labels and incidents.

    ``incidents`` is a schema-conformed frame (already filtered). Rows without
    coordinates and without an area are not drawable; the app lists them in its table.
    """
    fmap = base_map(tiles)
    districts = boundaries.kirkuk(2)
    counts = count_by_unit(incidents, districts, level=2)
    choropleth, breaks = choropleth_layer(counts, "incidents", "Incidents per district")
    choropleth.add_to(fmap)
    outline_layer(boundaries.kirkuk(3), "Sub-districts", weight=0.8, dash="4 3").add_to(fmap)
    label_layer(districts, "District names").add_to(fmap)

    precision = pd.to_numeric(incidents["geo_precision"], errors="coerce")
    has_point = incidents["latitude"].notna() & incidents["longitude"].notna()
    exact = incidents[(precision == 1) & has_point]
    near = incidents[(precision == 2) & has_point]
    area = incidents[precision == 3]
    if len(area):
        area_layer(area, boundaries, "Incidents known by area only").add_to(fmap)
    if len(near):
        near_place_layer(near, "Incidents near a place").add_to(fmap)
    if len(exact):
        point_layer(exact, "Incidents at a place").add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    fmap.add_child(_MapExtras(DATA_CREDITS, legend_html(breaks, "Incidents")))
    fmap.fit_bounds(_bounds(districts))
    return use_local_assets(fmap, asset_base_url)


def _bounds(units: gpd.GeoDataFrame) -> list[list[float]]:
    minx, miny, maxx, maxy = units.total_bounds
    return [[miny, minx], [maxy, maxx]]  # folium [[south, west], [north, east]]


def map_html(fmap: folium.Map) -> str:
    """The full HTML page of a map (for tests and exports)."""
    return fmap.get_root().render()


__all__ = ["build_incident_map", "base_map", "map_html", "DATA_CREDITS"]
