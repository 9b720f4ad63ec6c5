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
CHOROPLETH_FILL_OPACITY = 0.55  # the fills and the legend's swatches
# Radius drawn around an incident known only as "near" a place (geo_precision 2).
NEAR_PLACE_RADIUS_KM = 5.0
# Context under a wider scope (incidents outside Kirkuk, the neighbouring governorates' outlines):
# one grey, faint and smaller, so Kirkuk's own incidents and outlines keep the eye.
CONTEXT_COLOUR = "#9e9e9e"
CONTEXT_OPACITY = 0.35  # times the usual opacity of a dot or circle
CONTEXT_SIZE = 0.6  # times the usual radius of a dot
CONTEXT_OUTLINE_WEIGHT = 1.0


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


# Diverging blue-white-red for change against the previous period (fewer / same / more).
CHANGE_COLOURS = ("#2166ac", "#92c5de", "#f7f7f7", "#f4a582", "#b2182b")
CLASS_SCHEMES = ("quantiles", "natural breaks")


def class_breaks(
    values: list[float] | np.ndarray, classes: int = len(CHOROPLETH_COLOURS) - 1, scheme: str = "quantiles"
) -> list[float]:
    """Upper bounds of the classes of the positive values (zero has its own class).

    ``scheme`` is "quantiles" (equal counts) or "natural breaks" (Jenks: least
    within-class variance, better for skewed counts).

    >>> class_breaks([0, 1, 2, 3, 4])
    [1.0, 2.0, 3.0, 4.0]
    >>> class_breaks([1, 1, 2, 10, 11, 50], classes=3, scheme="natural breaks")
    [2.0, 11.0, 50.0]
    >>> class_breaks([0, 0])
    []
    """
    positive = np.sort(np.asarray([v for v in values if v and v > 0], dtype=float))
    if positive.size == 0:
        return []
    if scheme == "natural breaks":
        return jenks_breaks(positive, classes)
    if scheme != "quantiles":
        raise ValueError(f"Unknown class scheme {scheme!r}; use one of: {', '.join(CLASS_SCHEMES)}.")
    quantiles = np.quantile(positive, np.linspace(0, 1, classes + 1)[1:], method="inverted_cdf")
    return sorted(set(float(q) for q in quantiles))


def jenks_breaks(sorted_values: np.ndarray, classes: int) -> list[float]:
    """Upper bounds of Jenks natural-breaks classes (Fisher's exact dynamic programme).

    O(classes·n²): fine for the tens of units a choropleth shows.
    """
    values = np.asarray(sorted_values, dtype=float)
    n = len(values)
    classes = min(classes, len(np.unique(values)))
    if classes <= 1:
        return [float(values[-1])]
    prefix = np.concatenate([[0.0], np.cumsum(values)])
    prefix_sq = np.concatenate([[0.0], np.cumsum(values**2)])

    def cost(i: int, j: int) -> float:  # variance sum of values[i:j]
        total, total_sq, count = prefix[j] - prefix[i], prefix_sq[j] - prefix_sq[i], j - i
        return total_sq - total * total / count

    best = np.full((classes + 1, n + 1), np.inf)
    split = np.zeros((classes + 1, n + 1), dtype=int)
    best[0, 0] = 0.0
    for k in range(1, classes + 1):
        for j in range(k, n + 1):
            for i in range(k - 1, j):
                candidate = best[k - 1, i] + cost(i, j)
                if candidate < best[k, j]:
                    best[k, j], split[k, j] = candidate, i
    bounds, j = [], n
    for k in range(classes, 0, -1):
        bounds.append(float(values[j - 1]))
        j = split[k, j]
    return sorted(set(bounds))


def change_colour(change: float) -> str:
    """Colour of a change in counts: blues for fewer, white for none, reds for more."""
    if change != change:  # NaN: no previous period
        return CHOROPLETH_COLOURS[0]
    if change <= -3:
        return CHANGE_COLOURS[0]
    if change < 0:
        return CHANGE_COLOURS[1]
    if change == 0:
        return CHANGE_COLOURS[2]
    return CHANGE_COLOURS[3] if change < 3 else CHANGE_COLOURS[4]


def class_colour(value: float, breaks: list[float]) -> str:
    """The choropleth colour of a value given the class breaks."""
    if not value or value <= 0 or not breaks:
        return CHOROPLETH_COLOURS[0]
    for index, upper in enumerate(breaks):
        if value <= upper:
            return CHOROPLETH_COLOURS[min(index + 1, len(CHOROPLETH_COLOURS) - 1)]
    return CHOROPLETH_COLOURS[-1]
