"""Cluster and heat-map overlays fed by one compact JSON array of points.

folium's FastMarkerCluster and HeatMap validate each point in Python (~0.35 s per
100,000); ours take a numeric array that is checked once, vectorised, and serialised
compactly. They use the same Leaflet plugins, served locally (mapview.assets).
"""
from __future__ import annotations

import json

import numpy as np
from branca.element import CssLink, Element, JavascriptLink
from folium.elements import ElementAddToElement, JSCSSMixin
from folium.map import Layer
from jinja2 import Template

from mapview.style import EVENT_TYPE_COLOURS, UNKNOWN_COLOUR

# Index into this palette travels with each point instead of a colour string.
PALETTE = list(EVENT_TYPE_COLOURS.values()) + [UNKNOWN_COLOUR]


def points_json(latitude: np.ndarray, longitude: np.ndarray, colour_index: np.ndarray | None = None) -> str:
    """``[[lat, lon(, colour index)], ...]`` rounded to 5 decimals (about 1 m), NaN rows left out."""
    lat, lon = np.asarray(latitude, dtype=float), np.asarray(longitude, dtype=float)
    keep = np.isfinite(lat) & np.isfinite(lon)
    columns = [np.round(lat[keep], 5), np.round(lon[keep], 5)]
    if colour_index is not None:
        columns.append(np.asarray(colour_index)[keep])
    rows = np.column_stack(columns).tolist()
    if colour_index is not None:
        rows = [[a, b, int(c)] for a, b, c in rows]
    return json.dumps(rows, separators=(",", ":"))


class RawScript(Element):
    """Script text put into the page as it is.

    branca turns every rendered script into a Jinja template and compiles it again,
    which costs time in proportion to the data; data needs no templating.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: object) -> str:
        return self.text


class _DataLayer(JSCSSMixin, Layer):
    """A layer whose script carries a large JSON array of points.

    Rendered like folium's JSCSSMixin + Layer + MacroElement, except that the script goes
    into the page as a RawScript, not re-compiled as a template. streamlit-folium, which
    calls the script macro itself, gets the same text.
    """

    def __init__(self, points_json: str, name: str, show: bool) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self.points_json = points_json

    def render(self, **kwargs: object) -> None:
        figure = self.get_root()
        for link_name, url in self.default_js:
            figure.header.add_child(JavascriptLink(url), name=link_name)
        for link_name, url in self.default_css:
            figure.header.add_child(CssLink(url), name=link_name)
        if self.show:
            self.add_child(
                ElementAddToElement(element_name=self.get_name(), element_parent_name=self._parent.get_name()),
                name=self.get_name() + "_add",
            )
        script = self._template.module.__dict__["script"]
        figure.script.add_child(RawScript(script(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class ClusterOverlay(_DataLayer):
    """Points as coloured circle markers grouped in clusters that split as the user zooms in."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.markerClusterGroup({chunkedLoading: true});
        (function () {
          var palette = {{ this.palette|tojson }}, rows = {{ this.points_json }}, markers = [];
          for (var i = 0; i < rows.length; i++) {
            markers.push(L.circleMarker([rows[i][0], rows[i][1]],
              {radius: 5, color: "#222", weight: 1, fillColor: palette[rows[i][2]], fillOpacity: 0.9}));
          }
          {{ this.get_name() }}.addLayers(markers);
        })();
        {% endmacro %}
        """
    )
    default_js = [("markerclusterjs", "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js")]
    default_css = [
        ("markerclustercss", "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css"),
        ("markerclusterdefaultcss", "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css"),
    ]

    def __init__(self, points_json: str, name: str, show: bool = False) -> None:
        super().__init__(points_json, name=name, show=show)
        self._name = "ClusterOverlay"
        self.palette = PALETTE


class HeatOverlay(_DataLayer):
    """A heat map of points (each weighs one)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.heatLayer({{ this.points_json }}, {radius: 14, blur: 18, minOpacity: 0.3});
        {% endmacro %}
        """
    )
    default_js = [("leaflet-heat.js", "https://cdn.jsdelivr.net/gh/python-visualization/folium@main/folium/templates/leaflet_heat.min.js")]

    def __init__(self, points_json: str, name: str, show: bool = False) -> None:
        super().__init__(points_json, name=name, show=show)
        self._name = "HeatOverlay"
