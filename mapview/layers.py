"""Folium layers, one function each: outlines, labels, choropleth, incidents at their precision,
an aggregated grid for large selections, clusters and a heat map.

Every text from data is escaped before it reaches HTML (mapview.popups).
"""
from __future__ import annotations

from typing import Callable

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from geo.boundaries import Boundaries
from mapview.point_overlays import ClusterOverlay, HeatOverlay, points_json
from mapview.popups import incident_popup_html, incident_tooltip
from mapview.style import (
    CHOROPLETH_COLOURS,
    CHOROPLETH_FILL_OPACITY,
    EVENT_TYPE_COLOURS,
    NEAR_PLACE_RADIUS_KM,
    change_colour,
    class_breaks,
    class_colour,
    event_colour,
    marker_radius_px,
)
from mapview.text import html_text

# Grid cell for aggregated incidents: 0.02° is about 2.2 km north-south at Kirkuk.
GRID_CELL_DEG = 0.02


def _escaped_names(units: gpd.GeoDataFrame) -> pd.Series:
    return units["name"].map(lambda n: html_text(str(n)))


# A pane above the choropleth (whose fills would hide the outlines) that lets every click
# through to it (click-to-filter): the outlines of a map that keeps them across filter changes.
OUTLINE_PANE = "kimOutlines"


class FitToChosen(MacroElement):
    """Zooms its map to the chosen units' bounds once per choice (``key``), so that choosing or
    clicking a district shows it, and any other filter change keeps the user's view."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (group) {
          var key = {{ this.key|tojson }};
          setTimeout(function () {
            var map = group._map || window.map;
            if (!map || window.kimFittedTo === key) return;
            window.kimFittedTo = key;
            map.fitBounds({{ this.bounds|tojson }}, {padding: [20, 20]});
          }, 0);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]], key: str) -> None:
        super().__init__()
        self._name = "FitToChosen"
        self.bounds = bounds
        self.key = key


class OutlinePane(MacroElement):
    """Creates OUTLINE_PANE on its map: above the overlays, transparent to the mouse."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (pane) { pane.style.zIndex = 420; pane.style.pointerEvents = "none"; })(
          {{ this._parent.get_name() }}.createPane({{ this.pane|tojson }}));
        {% endmacro %}
        """
    )

    def __init__(self, pane: str = OUTLINE_PANE) -> None:
        super().__init__()
        self._name = "OutlinePane"
        self.pane = pane


def outline_layer(
    units: gpd.GeoDataFrame, name: str, weight: float, dash: str | None = None, show: bool = True, pane: str | None = None,
    colour: str = "#444",
) -> folium.GeoJson:
    """Outlines of administrative units as lines, with their names as tooltips (none in ``pane``,
    which is transparent to the mouse: OUTLINE_PANE).

    Lines, not unfilled polygons: on the canvas renderer a polygon takes every click
    inside it, which would hide the choropleth's units from click-to-filter.
    """
    shown = units[["pcode", "name", "geometry"]].copy()
    shown["name"] = _escaped_names(units)
    shown["geometry"] = units.geometry.boundary
    extra = {"pane": pane, "interactive": False, "control": False} if pane else {}
    return folium.GeoJson(
        shown,
        name=name,
        show=show,
        style_function=lambda f: {"fill": False, "color": colour, "weight": weight, "dashArray": dash},
        tooltip=None if pane else folium.GeoJsonTooltip(fields=["name"], labels=False),
        **extra,
    )


def label_layer(units: gpd.GeoDataFrame, name: str, control: bool = True) -> folium.FeatureGroup:
    """Unit names written on the map, so it reads well without base-map tiles."""
    group = folium.FeatureGroup(name=name, control=control)
    points = units.geometry.representative_point()
    for unit_name, point in zip(units["name"], points):
        folium.Marker(
            [point.y, point.x],  # shapely (x=lon, y=lat) -> folium [lat, lon]
            icon=folium.DivIcon(
                html=f'<div class="kim-label">{html_text(str(unit_name))}</div>', icon_size=(120, 14), icon_anchor=(60, 7)
            ),
        ).add_to(group)
    return group


def feature_collection(properties: pd.DataFrame, pcodes: pd.Series, geometries: dict[str, dict]) -> dict:
    """A GeoJSON FeatureCollection: a feature per row of ``properties`` with its unit's geometry
    (``geometries``: Boundaries.geometry_json), the pcode as its id; rows of unknown units are left out."""
    records = properties.astype(object).where(properties.notna(), None).to_dict("records")  # NaN is not JSON: null
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": str(pcode), "properties": record, "geometry": geometries[pcode]}
        for pcode, record in zip(pcodes, records) if pcode in geometries
    ]}


def choropleth_layer(
    counts: gpd.GeoDataFrame, metric: str, name: str, unit_label: str, scheme: str = "quantiles", chosen: tuple[str, ...] = (),
    boundaries: Boundaries | None = None,
) -> tuple[folium.GeoJson, list[float]]:
    """Units coloured by class of ``metric`` (change: diverging colours); returns the layer and its breaks.

    Each unit carries its pcode, so a click on it tells the app which unit was chosen; the
    ``chosen`` units (pcodes of any level: a district chosen at sub-district level marks its
    sub-districts) are drawn with a heavy black outline.
    """
    marked = {pcode for pcode in counts["pcode"] if any(str(pcode).startswith(c) for c in chosen)}
    if metric == "change":
        breaks: list[float] = []
        colours = {row.pcode: change_colour(row.change) for row in counts.itertuples()}
    else:
        breaks = class_breaks(counts[metric].tolist(), scheme=scheme)
        colours = {row.pcode: class_colour(getattr(row, metric), breaks) for row in counts.itertuples()}
    shown = counts[["pcode", "name", "incidents", "fatalities", "incidents_per_1000_km2", "geometry"]].copy()
    shown["name"] = _escaped_names(counts)
    shown["incidents_per_1000_km2"] = shown["incidents_per_1000_km2"].round(2)
    shown["change"] = counts["change"].map(lambda c: "n/a" if c != c else f"{c:+.0f}")
    # With the boundaries, the units' geometry is converted once, not on every run.
    data = shown if boundaries is None else feature_collection(shown.drop(columns="geometry"), shown["pcode"], boundaries.geometry_json())
    layer = folium.GeoJson(
        data,
        name=name,
        style_function=lambda f: {
            "fillColor": colours.get(f["properties"]["pcode"], CHOROPLETH_COLOURS[0]),
            "fillOpacity": CHOROPLETH_FILL_OPACITY,
            "color": "#000" if f["properties"]["pcode"] in marked else "#555",
            "weight": 4 if f["properties"]["pcode"] in marked else 1.5,
        },
        highlight_function=lambda f: {"weight": 3, "color": "#000"},
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "incidents", "fatalities", "incidents_per_1000_km2", "change"],
            aliases=[unit_label, "Incidents", "Killed", "Incidents per 1,000 km²", "Change vs previous period"],
        ),
    )
    return layer, breaks


def _incident_features(incidents: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "incident_id": incidents["incident_id"].astype(str),
            "popup": [incident_popup_html(row) for _, row in incidents.iterrows()],
            "tooltip": [incident_tooltip(row) for _, row in incidents.iterrows()],
            "colour": incidents["event_type"].map(event_colour),
            "radius": incidents["fatalities"].map(marker_radius_px),
        },
        index=incidents.index,
    )


def _points(incidents: pd.DataFrame, features: pd.DataFrame) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        features, geometry=gpd.points_from_xy(incidents["longitude"], incidents["latitude"]), crs="EPSG:4326"
    )


def _feature_layer(
    data: gpd.GeoDataFrame | dict, name: str, style_function: Callable[[dict], dict], marker: object = None, popup: bool = True
) -> folium.GeoJson:
    """A GeoJson layer (a GeoDataFrame or a FeatureCollection) of features with a ``tooltip``
    (and ``popup``) property.

    An empty layer gets no tooltip or popup: folium asserts that their fields exist in
    the first feature, and an empty layer has none.
    """
    has_features = len(data["features"] if isinstance(data, dict) else data) > 0
    return folium.GeoJson(
        data,
        name=name,
        marker=marker,
        style_function=style_function,
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False) if has_features else None,
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False) if has_features and popup else None,
    )


def point_layer(incidents: pd.DataFrame, name: str) -> folium.GeoJson:
    """Incidents at a known place (geo_precision 1) as circle markers coloured by type, sized by deaths."""
    return _feature_layer(
        _points(incidents, _incident_features(incidents)),
        name,
        marker=folium.CircleMarker(radius=6, fill=True, weight=1),
        style_function=lambda f: {
            "fillColor": f["properties"]["colour"],
            "color": "#222",
            "fillOpacity": 0.85,
            "radius": f["properties"]["radius"],
        },
    )


def near_place_layer(incidents: pd.DataFrame, name: str, radius_km: float = NEAR_PLACE_RADIUS_KM) -> folium.GeoJson:
    """Incidents known only near a place or within a sub-district (geo_precision 2) as
    dashed uncertainty circles, not pins."""
    return _feature_layer(
        _points(incidents, _incident_features(incidents)),
        name,
        marker=folium.Circle(radius=radius_km * 1000, fill=True),
        style_function=lambda f: {
            "fillColor": f["properties"]["colour"],
            "color": f["properties"]["colour"],
            "fillOpacity": 0.2,
            "weight": 2,
            "dashArray": "6 4",
        },
    )


def area_pcodes(incidents: pd.DataFrame) -> pd.Series:
    """For each incident, the pcode of the finest administrative unit it is known in (or NA)."""
    pcodes = pd.Series(pd.NA, index=incidents.index, dtype="string")
    for level in (1, 2, 3):
        column = incidents[f"adm{level}_pcode"].astype("string")
        pcodes = column.where(column.notna(), pcodes)
    return pcodes


def area_shapes(pcodes: pd.Series, boundaries: Boundaries) -> gpd.GeoSeries:
    """The polygon of each pcode (any level), or None for an unknown one."""
    return gpd.GeoSeries(pcodes.map(boundaries.shapes_by_pcode()), index=pcodes.index, crs="EPSG:4326")


# How an incident is drawn (placements): a point, an uncertainty circle, or its area.
EXACT, NEAR, AREA = "exact", "near", "area"


def placements(incidents: pd.DataFrame, boundaries: Boundaries) -> pd.Series:
    """How each incident can be drawn: EXACT (a point at geo_precision 1), NEAR (a point at
    precision 2, or of unknown precision), AREA (the finest unit it is known in, for
    precision 3 or when it has no point), or None: it has no place yet and is listed, not drawn.

    One answer for every map and for the pages that count what is not on them.
    """
    # float: a missing precision is NaN, which compares unequal to every code (no NA to propagate)
    precision = pd.to_numeric(incidents["geo_precision"], errors="coerce").astype("float64")
    has_point = (incidents["latitude"].notna() & incidents["longitude"].notna()).to_numpy(dtype=bool)
    placed = np.full(len(incidents), None, dtype=object)  # numpy keeps None (pandas would make it NaN)
    placed[has_point & (precision == 1).to_numpy()] = EXACT
    placed[has_point & ((precision != 1) & (precision != 3)).to_numpy()] = NEAR
    needs_area = ~has_point | (precision == 3).to_numpy()
    if needs_area.any():
        pcodes = area_pcodes(incidents.loc[needs_area, ["adm1_pcode", "adm2_pcode", "adm3_pcode"]])
        known = pcodes.isin(boundaries.shapes_by_pcode().index).to_numpy(dtype=bool)
        placed[np.flatnonzero(needs_area)[known]] = AREA
    return pd.Series(placed, index=incidents.index, dtype="object")


def area_layer(incidents: pd.DataFrame, boundaries: Boundaries, name: str) -> folium.GeoJson:
    """Incidents known only by district or governorate (geo_precision 3), drawn as that area."""
    # The area's boundary as lines, not a polygon: a click inside the area then reaches the
    # district under it (click-to-filter; the canvas renderer would hit an unfilled polygon
    # too), and the dashed outline carries the popup.
    outlines = area_shapes(area_pcodes(incidents), boundaries).boundary
    gdf = gpd.GeoDataFrame(_incident_features(incidents), geometry=outlines, crs="EPSG:4326")
    return _feature_layer(
        gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty],
        name,
        style_function=lambda f: {
            "color": f["properties"]["colour"],
            "weight": 4,
            "dashArray": "2 6",
        },
    )


def grid_counts(incidents: pd.DataFrame, cell_deg: float = GRID_CELL_DEG) -> pd.DataFrame:
    """Incidents with a point, binned into square cells: one row per non-empty cell.

    Columns: latitude, longitude (mean of the cell's points), incidents, fatalities,
    main_type (the most frequent event type). Exact: every incident is in one cell.
    """
    lat = pd.to_numeric(incidents["latitude"], errors="coerce")
    lon = pd.to_numeric(incidents["longitude"], errors="coerce")
    ok = lat.notna() & lon.notna()
    frame = pd.DataFrame(
        {
            "row": np.floor(lat[ok] / cell_deg).astype(np.int64),
            "col": np.floor(lon[ok] / cell_deg).astype(np.int64),
            "latitude": lat[ok],
            "longitude": lon[ok],
            "fatalities": pd.to_numeric(incidents.loc[ok, "fatalities"], errors="coerce").fillna(0),
            "event_type": incidents.loc[ok, "event_type"].astype("string").fillna("unknown"),
        }
    )
    cells = frame.groupby(["row", "col"]).agg(
        latitude=("latitude", "mean"), longitude=("longitude", "mean"),
        incidents=("latitude", "size"), fatalities=("fatalities", "sum"),
    )
    by_type = frame.groupby(["row", "col", "event_type"]).size().reset_index(name="n")
    top = by_type.sort_values("n", ascending=False).drop_duplicates(["row", "col"]).set_index(["row", "col"])
    cells["main_type"] = top["event_type"]
    return cells.reset_index(drop=True)


def grid_layer(incidents: pd.DataFrame, name: str, cell_deg: float = GRID_CELL_DEG) -> folium.GeoJson:
    """Many incidents as one circle per grid cell, sized by count, coloured by the main event type.

    What a large selection is drawn as: its size grows with the number of occupied cells,
    not with the number of incidents. The GeoJSON is written directly (a GeoDataFrame's
    feature-by-feature conversion costs more than the rest of the layer).
    """
    cells = grid_counts(incidents, cell_deg)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(float(lon), 5), round(float(lat), 5)]},
            "properties": {
                "colour": event_colour(main_type),
                "radius": round(4 + 2.5 * float(np.sqrt(count)), 1),
                "tooltip": f"{count:,} incident(s), {int(killed):,} killed; mostly {html_text(str(main_type))}",
            },
        }
        for lat, lon, count, killed, main_type in zip(
            cells["latitude"], cells["longitude"], cells["incidents"], cells["fatalities"], cells["main_type"]
        )
    ]
    return _feature_layer(
        {"type": "FeatureCollection", "features": features},
        name,
        marker=folium.CircleMarker(radius=5, fill=True, weight=1),
        style_function=lambda f: {
            "fillColor": f["properties"]["colour"], "color": "#222", "fillOpacity": 0.75, "radius": f["properties"]["radius"],
        },
        popup=False,
    )


def area_count_layer(incidents: pd.DataFrame, boundaries: Boundaries, name: str, colour: str = "#555") -> folium.GeoJson:
    """Many area-only incidents as one dashed outline per area, with the count in its tooltip
    (``colour``: CONTEXT_COLOUR for those outside Kirkuk under a wider scope)."""
    pcodes = area_pcodes(incidents)
    counts = pcodes.value_counts()
    # Lines, not polygons: an unfilled polygon on canvas takes every click inside it (click-to-filter).
    properties = pd.DataFrame({
        "tooltip": [f"{n:,} incident(s) known only as {html_text(str(p))}" for p, n in counts.items()],
        "area_incidents": [int(n) for n in counts.values],
    })
    return _feature_layer(
        feature_collection(properties, pd.Series(counts.index), boundaries.geometry_json(outlines=True)),
        name,
        style_function=lambda f: {"fill": False, "color": colour, "weight": 3, "dashArray": "2 6"},
        popup=False,
    )


def _colour_index(incidents: pd.DataFrame) -> np.ndarray:
    index = {t: i for i, t in enumerate(EVENT_TYPE_COLOURS)}
    return incidents["event_type"].map(index).fillna(len(index)).astype(int).to_numpy()


def cluster_layer(incidents: pd.DataFrame, name: str, show: bool = False) -> ClusterOverlay:
    """Incidents with a point as clusters that split as the user zooms in."""
    data = points_json(incidents["latitude"], incidents["longitude"], _colour_index(incidents))
    return ClusterOverlay(data, name=name, show=show)


def heat_layer(incidents: pd.DataFrame, name: str, show: bool = False) -> HeatOverlay:
    """A heat map of incidents with a point (each incident weighs one)."""
    return HeatOverlay(points_json(incidents["latitude"], incidents["longitude"]), name=name, show=show)
