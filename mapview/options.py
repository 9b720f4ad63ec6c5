"""What the user chose to see on the map beside the filter (the choropleth's level, metric and
classes, the extra layers), and its round trip through a URL query string."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from incidents.aggregate import METRICS
from incidents.filter_fields import shown_value
from mapview.style import CLASS_SCHEMES

UNIT_LABELS = {2: "District", 3: "Sub-district"}
# URL name of each extra layer -> the MapOptions attribute that switches it on.
LAYERS = {"clusters": "show_clusters", "heat": "show_heat"}


@dataclass(frozen=True)
class MapOptions:
    """What the user chose to see: the choropleth's level, metric and class scheme, and the extra layers."""

    level: int = 2
    metric: str = "incidents"
    scheme: str = "quantiles"
    show_clusters: bool = False
    show_heat: bool = False

    def to_query_params(self) -> dict[str, str]:
        """The options as URL query parameters (only what differs from the defaults).

        >>> MapOptions(level=3, show_clusters=True, show_heat=True).to_query_params()
        {'level': '3', 'layers': 'clusters,heat'}
        """
        default = MapOptions()
        params = {name: str(getattr(self, name)) for name in ("level", "metric", "scheme") if getattr(self, name) != getattr(default, name)}
        layers = [name for name, attribute in LAYERS.items() if getattr(self, attribute)]
        return params | ({"layers": ",".join(layers)} if layers else {})

    @classmethod
    def from_query_params(cls, params: Mapping[str, str]) -> MapOptions:
        """The options a URL describes; a value that is not offered gives the default (``parse_map_options`` says which)."""
        return parse_map_options(params)[0]


def _one_of(params: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str, notes: list[str]) -> str:
    """A URL parameter that must be one of ``allowed``; anything else gives ``default`` and a note."""
    value = str(params.get(name, default))
    if value not in allowed:
        notes.append(f"{name} {shown_value(value)} is not one of {', '.join(allowed)}; {default} is used.")
        return default
    return value


def parse_map_options(params: Mapping[str, str]) -> tuple[MapOptions, list[str]]:
    """The options a URL describes, and a note for every value it ignored.

    >>> parse_map_options({"level": "7", "metric": "fatalities", "layers": "heat,x"})
    (MapOptions(level=2, metric='fatalities', scheme='quantiles', show_clusters=False, show_heat=True), \
["level '7' is not one of 2, 3; 2 is used.", 'layers: only clusters and heat exist; the others are ignored.'])
    """
    notes: list[str] = []
    default = MapOptions()
    level = _one_of(params, "level", tuple(map(str, UNIT_LABELS)), str(default.level), notes)
    metric = _one_of(params, "metric", tuple(METRICS), default.metric, notes)
    scheme = _one_of(params, "scheme", CLASS_SCHEMES, default.scheme, notes)
    layers = [name for name in str(params.get("layers", "")).split(",") if name]
    if set(layers) - set(LAYERS):
        notes.append(f"layers: only {' and '.join(LAYERS)} exist; the others are ignored.")
    shown = {attribute: name in layers for name, attribute in LAYERS.items()}
    return MapOptions(level=int(level), metric=metric, scheme=scheme, **shown), notes
