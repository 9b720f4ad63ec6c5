"""What streamlit-folium's frame receives for the analyst's map, rendered in two halves.

``st_folium`` renders the whole map on every run: at 1,000 incidents half of the page's
server time went to the base (outlines, names, credits: a 75 kB script the browser
already holds). The base is the same on every run, so it is rendered once
(``render_base``); a run renders only its layers and their control (``render_layers``),
against a stand-in of the base map that lists the base's layers by their variable names
for the layer control. The strings are streamlit-folium's own (its helpers make them,
in the same order as ``st_folium``), so its frame keeps the map, zoom and centre as before.
``show_map`` sends them to the frame as ``st_folium`` does (streamlit-folium 0.27.4, pinned).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Hashable, Iterable

import branca
import folium
import folium.elements
import streamlit as st
from streamlit_folium import (
    _component_func, _get_feature_group_string, _get_header, _get_html, _get_layer_control_string, _get_map_string, generate_js_hash,
    get_full_id,
)

from mapview.assets import map_elements
from mapview.figure import in_data_safe_figure
from mapview.incident_map import layer_control


@dataclass(frozen=True)
class BaseLayer:
    """A layer of the base as the layer control lists it."""

    element_name: str  # folium's _name ("GeoJson"), with ``element_id`` its JS variable's name
    element_id: str
    layer_name: str
    overlay: bool
    control: bool
    show: bool


@dataclass(frozen=True)
class RenderedBase:
    """The base map as streamlit-folium's frame gets it: the same on every run."""

    script: str
    header: str
    html: str
    map_id: str
    bounds: dict
    zoom: object
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    layers: tuple[BaseLayer, ...]


@dataclass(frozen=True)
class RenderedLayers:
    """One run's layers and their control, as the scripts the frame evaluates on the kept map."""

    feature_group: str
    layer_control: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]


def _assets(elements: Iterable[branca.element.Element]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The style sheets and scripts the elements (and their children) ask for, in order, once each."""
    css: list[str] = []
    js: list[str] = []
    for element in elements:
        for item in map_elements(element):
            if isinstance(item, folium.elements.JSCSSMixin):
                css.extend(href for _, href in getattr(item, "default_css", []))
                js.extend(src for _, src in getattr(item, "default_js", []))
    return tuple(dict.fromkeys(css)), tuple(dict.fromkeys(js))


def _bounds(fmap: folium.Map) -> dict:
    (south, west), (north, east) = fmap.get_bounds()
    return {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}}


def render_base(fmap: folium.Map) -> RenderedBase:
    """The base map rendered as ``st_folium`` renders it (which renames its elements' variables)."""
    fmap.get_root().render()
    fmap.render()
    html, header = _get_html(fmap), _get_header(fmap)
    script = _get_map_string(fmap)
    layers = tuple(
        BaseLayer(child._name, child._id, child.layer_name, child.overlay, child.control, child.show)
        for child in fmap._children.values() if isinstance(child, folium.map.Layer)
    )
    css, js = _assets([fmap])
    return RenderedBase(script, header, html, get_full_id(fmap), _bounds(fmap), fmap.options.get("zoom"), css, js, layers)


class _BaseLayerStandIn(folium.map.Layer):
    """A base layer as the layer control sees it: its name, kind and JS variable; never rendered."""

    def __init__(self, layer: BaseLayer) -> None:
        super().__init__(name=layer.layer_name, overlay=layer.overlay, control=layer.control, show=layer.show)
        self._name, self._id = layer.element_name, layer.element_id


def render_layers(base: RenderedBase, groups: list[folium.FeatureGroup], control: folium.LayerControl | None) -> RenderedLayers:
    """This run's layers and control as ``st_folium`` would render them on the base map."""
    stand_in = folium.Map(tiles=None)
    in_data_safe_figure(stand_in)  # rendered output stays verbatim, as on the base
    stand_in._id = base.map_id.removeprefix("map_")
    for layer in base.layers:
        stand_in.add_child(_BaseLayerStandIn(layer))
    feature_group = "".join(_get_feature_group_string(group, map=stand_in, idx=idx) for idx, group in enumerate(groups))
    layer_control = _get_layer_control_string(control, stand_in) if control is not None else ""
    css, js = _assets(groups)
    return RenderedLayers(feature_group, layer_control, css, js)


# How long a query result or a drawn selection is kept: another process's writes show within it.
STORE_CACHE_SECONDS = 60


@st.cache_resource(show_spinner=False, max_entries=8)
def _rendered_base(key: str, _build: Callable[[], folium.Map]) -> RenderedBase:
    return render_base(_build())


@st.cache_data(show_spinner=False, max_entries=32, ttl=STORE_CACHE_SECONDS)
def _rendered_layers(base_key: str, layers_key: Hashable, _base: RenderedBase, _build: Callable[[], list[folium.FeatureGroup]]) -> RenderedLayers:
    return render_layers(_base, _build(), layer_control())


def forget_rendered_layers() -> None:
    """Forget the layers kept per selection, after a write to the store."""
    _rendered_layers.clear()


def show_map(
    base_key: str, build_base: Callable[[], folium.Map], layers_key: Hashable, build_layers: Callable[[], list[folium.FeatureGroup]], *,
    key: str, height: int, returned_objects: list[str],
) -> dict:
    """The map in streamlit-folium's frame: the base rendered once per ``base_key`` and process
    (``build_base()`` makes it); the layers (``build_layers()``, listed by the layer control)
    once per ``layers_key``, which must name everything they are drawn from (store, filter,
    options): a view seen before, by anyone, is not drawn again until the store changes.

    Returns what the frame reports back, as ``st_folium`` does (``returned_objects`` only).
    """
    base = _rendered_base(base_key, build_base)
    layers = _rendered_layers(base_key, layers_key, base, build_layers)
    defaults = {"last_active_drawing": None, "bounds": base.bounds, "zoom": base.zoom}
    hash_key = generate_js_hash(base.script, key, False)

    def mirror_in_session_state() -> None:  # as st_folium: the value under ``key`` too
        st.session_state[key] = st.session_state.get(hash_key, {})

    return _component_func(
        script=base.script, header=base.header, html=base.html, id=base.map_id, key=hash_key, height=height, width=None,
        returned_objects=returned_objects, default={k: v for k, v in defaults.items() if k in returned_objects},
        zoom=None, center=None, feature_group=layers.feature_group, return_on_hover=False,
        layer_control=layers.layer_control, pixelated=False,
        css_links=list(dict.fromkeys(base.css_links + layers.css_links)), js_links=list(dict.fromkeys(base.js_links + layers.js_links)),
        on_change=mirror_in_session_state, wrap_longitude=False,
    )
