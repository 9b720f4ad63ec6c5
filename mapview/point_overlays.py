"""Cluster and heat-map overlays fed by one compact JSON array of points.

folium's FastMarkerCluster and HeatMap validate each point in Python (~0.35 s per
100,000); ours take a numeric array that is checked once, vectorised, and serialised
compactly. They use the same Leaflet plugins, served locally (mapview.assets).
"""
from __future__ import annotations

import hashlib
import json

import numpy as np
from branca.element import Element
from folium.elements import JSCSSMixin
from folium.map import Layer
from jinja2 import Template
from jinja2.utils import htmlsafe_json_dumps

from mapview.figure import VerbatimText
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


class HoistedPoints(Element):
    """A large JSON array of points as a hoisted JavaScript function, ``kimPoints<hash>()``.

    The layer's own script stays small and calls the function; the array goes into the
    page verbatim (mapview.figure.VerbatimText): compiled as a template, as branca does
    with every script, it would cost about 1.2 s per million points. streamlit-folium
    reads the ``script`` macro instead, which renders it once. The name has no "_",
    so streamlit-folium's renaming of element variables leaves it alone.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}function {{ this.function_name }}() { return "
        "{% if this.texts_json %}Object.assign(JSON.parse({{ this.points_literal }}), {{ this.texts_json }})"
        "{% else %}JSON.parse({{ this.points_literal }}){% endif %}; }{% endmacro %}"
    )

    def __init__(self, points_json: str, texts_json: str | None = None) -> None:
        super().__init__()
        self._name = "HoistedPoints"
        self.points_json = points_json
        # The numbers as a JSON string literal for JSON.parse: V8 parses a 1.8 MB array literal
        # in a script about 14x slower (150 ms against 10 ms for 60,000 incidents, in chromium).
        # The texts (small tables, ``texts_json``: a JSON object, htmlsafe) stay a literal,
        # merged into the parsed object. htmlsafe: no "<", ">", "&" or "'" in the page's script.
        self.points_literal = htmlsafe_json_dumps(points_json)
        self.texts_json = texts_json
        digest = hashlib.sha1(points_json.encode() + (texts_json or "").encode())
        self.function_name = "kimPoints" + digest.hexdigest()[:16]

    def render(self, **kwargs: object) -> None:
        script = self._template.module.script(self, kwargs)
        self.get_root().script.add_child(VerbatimText(script), name=self.function_name)


class _DataLayer(JSCSSMixin, Layer):
    """A layer drawn from a large JSON array of points, ``this.points`` (folium's plugin pattern).

    Its plugin's files are linked as folium links them (a whole page: exports, prints), and
    the layer also loads them itself when they are missing (``plugin_loader``): a map kept
    across filter changes (the app's) loads no plugin until a layer that needs it is drawn.
    """

    def __init__(self, points_json: str, name: str, show: bool) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self.points = HoistedPoints(points_json)
        self.add_child(self.points)

    def plugin_loader(self) -> str:
        """A JS function that calls back once the plugin's scripts and style sheets (this
        element's links, local after mapview.assets) are in the page, loading them in order first."""
        scripts, sheets = [url for _, url in self.default_js], [url for _, url in self.default_css]
        return PLUGIN_LOADER_JS % (htmlsafe_json_dumps(scripts), htmlsafe_json_dumps(sheets), htmlsafe_json_dumps(self.plugin_global))


# Loads missing scripts one after another, then calls back; the page keeps them for later layers.
PLUGIN_LOADER_JS = """(function (scripts, sheets, global) {
  return function (ready) {
    if (L[global]) { ready(); return; }
    window.kimPluginQueue = window.kimPluginQueue || {};
    var queue = window.kimPluginQueue[global];
    if (queue) { queue.push(ready); return; }
    queue = window.kimPluginQueue[global] = [ready];
    sheets.forEach(function (href) { var link = document.createElement("link"); link.rel = "stylesheet"; link.href = href; document.head.appendChild(link); });
    (function next(i) {
      if (i === scripts.length) { queue.splice(0).forEach(function (f) { f(); }); return; }
      var script = document.createElement("script"); script.src = scripts[i]; script.onload = function () { next(i + 1); };
      document.head.appendChild(script);
    })(0);
  };
})(%s, %s, %s)"""


class ClusterOverlay(_DataLayer):
    """Points as coloured circle markers grouped in clusters that split as the user zooms in."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.layerGroup();
        {{ this.plugin_loader() }}(function () {
          var palette = {{ this.palette|tojson }}, rows = {{ this.points.function_name }}(), markers = [];
          var clusters = L.markerClusterGroup({chunkedLoading: true});
          for (var i = 0; i < rows.length; i++) {
            markers.push(L.circleMarker([rows[i][0], rows[i][1]],
              {radius: 5, color: "#222", weight: 1, fillColor: palette[rows[i][2]], fillOpacity: 0.9}));
          }
          clusters.addLayers(markers);
          {{ this.get_name() }}.addLayer(clusters);
        });
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
        self.plugin_global = "markerClusterGroup"  # what the plugin adds to L


class HeatOverlay(_DataLayer):
    """A heat map of points (each weighs one)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.layerGroup();
        {{ this.plugin_loader() }}(function () {
          {{ this.get_name() }}.addLayer(L.heatLayer({{ this.points.function_name }}(), {radius: 14, blur: 18, minOpacity: 0.3}));
        });
        {% endmacro %}
        """
    )
    default_js = [("leaflet-heat.js", "https://cdn.jsdelivr.net/gh/python-visualization/folium@main/folium/templates/leaflet_heat.min.js")]

    def __init__(self, points_json: str, name: str, show: bool = False) -> None:
        super().__init__(points_json, name=name, show=show)
        self._name = "HeatOverlay"
        self.plugin_global = "heatLayer"
