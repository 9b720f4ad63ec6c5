"""The map's legend, data credits and plain background, as one folium element."""
from __future__ import annotations

from branca.element import MacroElement
from jinja2 import Template

from mapview.style import CHANGE_COLOURS, CHOROPLETH_COLOURS, CHOROPLETH_FILL_OPACITY, CONTEXT_COLOUR, CONTEXT_OPACITY, EVENT_TYPE_COLOURS
from mapview.text import html_text

DATA_CREDITS = (
    "Boundaries: OCHA COD-AB Iraq (CSO/ITOS, CC BY-IGO) · Places: GeoNames (CC BY 4.0), "
    "© OpenStreetMap contributors (ODbL) · Incidents: their report sources"
)


class MapExtras(MacroElement):
    """Background colour for a map without tiles, the data credits, and a legend control."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
          #{{ this._parent.get_name() }} { background: #f3f1ec; }
          #{{ this._parent.get_name() }} .leaflet-control-attribution { font-size: 10px; line-height: 1.3; }
          .kim-legend { background: rgba(255,255,255,0.92); padding: 6px 8px; font: 12px/1.4 sans-serif;
                        border-radius: 4px; box-shadow: 0 0 4px rgba(0,0,0,0.3); max-width: 240px; }
          .kim-legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -1px; }
          .kim-popup { font-size: 12px; max-width: 320px; }
          .kim-popup th { text-align: left; padding-right: 6px; vertical-align: top; }
          .kim-popup p { margin: 6px 0 0; font-style: italic; }
          /* Clusters in greys by size: the plugin's green, yellow and orange read as event types. */
          .leaflet-container .marker-cluster-small { background-color: rgba(170, 170, 170, 0.5); }
          .leaflet-container .marker-cluster-small div { background-color: rgba(120, 120, 120, 0.8); color: #fff; }
          .leaflet-container .marker-cluster-medium { background-color: rgba(110, 110, 110, 0.5); }
          .leaflet-container .marker-cluster-medium div { background-color: rgba(70, 70, 70, 0.8); color: #fff; }
          .leaflet-container .marker-cluster-large { background-color: rgba(50, 50, 50, 0.5); }
          .leaflet-container .marker-cluster-large div { background-color: rgba(20, 20, 20, 0.85); color: #fff; }
          .kim-label { font: 11px sans-serif; color: #333; text-shadow: 0 0 3px #fff, 0 0 3px #fff; white-space: nowrap; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.credits|tojson }});
        {% if this.legend_html %}
        (function () {
          var legend = L.control({position: "bottomright"});
          legend.onAdd = function () {
            var div = L.DomUtil.create("div", "kim-legend");
            div.innerHTML = {{ this.legend_html|tojson }};
            return div;
          };
          legend.addTo({{ this._parent.get_name() }});
        })();
        {% endif %}
        {% endmacro %}
        """
    )

    def __init__(self, legend_html: str = "", credits: str = DATA_CREDITS) -> None:
        super().__init__()
        self._name = "MapExtras"
        self.credits = credits
        self.legend_html = legend_html


class LayerLegend(MacroElement):
    """A legend control shown while its parent layer group is on the map, and removed with it,
    so that a map kept across filter changes (streamlit-folium's feature groups) has one legend."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (group) {
          var legend = L.control({position: "bottomright"});
          legend.onAdd = function () {
            var div = L.DomUtil.create("div", "kim-legend");
            div.innerHTML = {{ this.legend_html|tojson }};
            return div;
          };
          group.on("add", function () { legend.addTo(group._map); });
          group.on("remove", function () { legend.remove(); });
          if (group._map) legend.addTo(group._map);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, legend_html: str) -> None:
        super().__init__()
        self._name = "LayerLegend"
        self.legend_html = legend_html


def _swatch(colour: str, label: str, round_: bool = False, opacity: float = 1.0) -> str:
    radius = ";border-radius:6px" if round_ else ""
    fill = f";opacity:{opacity:g};outline:1px solid #555" if opacity < 1 else ""
    return f"<i style='background:{colour}{radius}{fill}'></i>{label}"


def class_labels(breaks: list[float], whole: bool) -> list[str]:
    """The labels of the classes above zero, which do not overlap: for whole counts
    "1", "2 – 4", for rates "up to 0.8", "0.8 – 2.5" (each class includes its upper bound).

    >>> class_labels([1, 2, 5], whole=True)
    ['1', '2', '3 – 5']
    >>> class_labels([0.8, 2.5], whole=False)
    ['up to 0.8', 'over 0.8 – 2.5']
    """
    labels, lower = [], 0.0
    for upper in breaks:
        if whole:
            first = int(lower) + 1
            labels.append(f"{first:g}" if first >= upper else f"{first:g} – {upper:g}")
        else:
            labels.append(f"up to {upper:g}" if lower == 0 else f"over {lower:g} – {upper:g}")
        lower = upper
    return labels


def choropleth_legend(metric: str, metric_label: str, unit_label: str, breaks: list[float], scheme: str) -> str:
    """Legend rows of the choropleth: its classes with their bounds, the scheme's name, and
    swatches as translucent as the fills they stand for."""
    title = f"<b>{html_text(metric_label)} per {html_text(unit_label.lower())}</b>"
    if metric == "change":
        rows = [
            _swatch(CHANGE_COLOURS[0], "3 or more fewer", opacity=CHOROPLETH_FILL_OPACITY),
            _swatch(CHANGE_COLOURS[1], "1–2 fewer", opacity=CHOROPLETH_FILL_OPACITY),
            _swatch(CHANGE_COLOURS[2], "no change", opacity=CHOROPLETH_FILL_OPACITY),
            _swatch(CHANGE_COLOURS[3], "1–2 more", opacity=CHOROPLETH_FILL_OPACITY),
            _swatch(CHANGE_COLOURS[4], "3 or more more", opacity=CHOROPLETH_FILL_OPACITY),
        ]
        return title + "<br>" + "<br>".join(rows)
    whole = metric in ("incidents", "fatalities")
    rows = [_swatch(CHOROPLETH_COLOURS[0], "0", opacity=CHOROPLETH_FILL_OPACITY)]
    for index, label in enumerate(class_labels(breaks, whole)):
        rows.append(_swatch(CHOROPLETH_COLOURS[min(index + 1, len(CHOROPLETH_COLOURS) - 1)], label, opacity=CHOROPLETH_FILL_OPACITY))
    return f"{title} ({html_text(scheme)})<br>" + "<br>".join(rows)


def symbols_legend(aggregated: bool) -> str:
    """Legend rows of the incident symbols: event-type colours and the precision symbols."""
    types = [_swatch(colour, html_text(t), round_=True) for t, colour in EVENT_TYPE_COLOURS.items()]
    if aggregated:
        precision = ["● one circle per ~2 km cell, sized by count", "⬚ incidents known by area only"]
    else:
        precision = ["● exact place (size: killed)", "◌ near a place (5 km circle)", "⬚ district / governorate only (area)"]
    return "<b>Event type</b><br>" + "<br>".join(types) + "<br><b>Precision</b><br>" + "<br>".join(precision)


def context_legend() -> str:
    """The legend row of the muted context a wider scope draws around Kirkuk."""
    return "<b>Outside Kirkuk</b><br>" + _swatch(
        CONTEXT_COLOUR, "context: incidents, neighbouring governorates", round_=True, opacity=max(CONTEXT_OPACITY, 0.5)
    )
