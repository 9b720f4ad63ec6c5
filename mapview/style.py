"""Colours, class breaks and sizes shared by every layer and legend."""
from __future__ import annotations

import math

import numpy as np

EVENT_TYPE_COLOURS: dict[str, str] = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Strategic developments": "#1f77b4",
    "Protests": "#2ca02c",
    "Riots": "#8c564b",
}
UNKNOWN_COLOUR = "#555555"
# Sequential reds (ColorBrewer "Reds", 5 classes); the first is for zero.
CHOROPLETH_COLOURS = ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")
# Radius drawn around an incident known only as "near" a place (geo_precision 2).
NEAR_PLACE_RADIUS_KM = 5.0


def event_colour(event_type: object) -> str:
    """The colour of an event type (grey for an unknown one)."""
    return EVENT_TYPE_COLOURS.get(str(event_type), UNKNOWN_COLOUR)


def marker_radius_px(fatalities: object) -> float:
    """Marker radius in pixels: 5 px, growing with the square root of the dead.

    >>> marker_radius_px(0), marker_radius_px(4), marker_radius_px(None)
    (5.0, 9.0, 5.0)
    """
    try:
        dead = max(float(fatalities), 0.0)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        dead = 0.0
    if math.isnan(dead):
        dead = 0.0
    return 5.0 + 2.0 * math.sqrt(dead)


def class_breaks(values: list[float] | np.ndarray, classes: int = len(CHOROPLETH_COLOURS) - 1) -> list[float]:
    """Upper bounds of quantile classes of the non-zero values (zero has its own class).

    >>> class_breaks([0, 1, 2, 3, 4])
    [1.0, 2.0, 3.0, 4.0]
    >>> class_breaks([0, 0])
    []
    """
    positive = np.asarray([v for v in values if v and v > 0], dtype=float)
    if positive.size == 0:
        return []
    quantiles = np.quantile(positive, np.linspace(0, 1, classes + 1)[1:], method="inverted_cdf")
    return sorted(set(float(q) for q in quantiles))


def class_colour(value: float, breaks: list[float]) -> str:
    """The choropleth colour of a value given the class breaks."""
    if not value or value <= 0 or not breaks:
        return CHOROPLETH_COLOURS[0]
    for index, upper in enumerate(breaks):
        if value <= upper:
            return CHOROPLETH_COLOURS[min(index + 1, len(CHOROPLETH_COLOURS) - 1)]
    return CHOROPLETH_COLOURS[-1]
