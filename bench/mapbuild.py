"""Benchmark of what a filter change costs the app: filter, aggregate, build the map, render it.

Server time and the bytes of the page sent to the browser, against the naive map that
adds one ``folium.Marker`` per incident (built and rendered the same way).
"""
from __future__ import annotations

from typing import Callable, TypeVar

import folium
import pandas as pd

from bench.synthetic import FIRST_DAY, LAST_DAY
from bench.timing import best_of, comparison
from geo.boundaries import Boundaries
from incidents.aggregate import count_by_unit
from incidents.filters import IncidentFilter
from mapview.incident_map import KIRKUK_CENTRE, build_incident_map, map_html

T = TypeVar("T")
# The naive map's cost is linear in its markers; beyond this many, measure this many and scale.
MARKER_BASELINE_MAX = 100_000
# A filter change that keeps (nearly) every incident: the ten years and the undated ones,
# the worst case for drawing, while the date comparison still runs over every row.
BENCH_FILTER = IncidentFilter(date_from=FIRST_DAY, date_to=LAST_DAY)

def rebuild_map(incidents: pd.DataFrame, boundaries: Boundaries, incident_filter: IncidentFilter) -> dict:
    """What the app does on a filter change, step by step: seconds per step and the page's bytes."""
    steps: dict[str, float] = {}
    filtered = _timed(steps, "filter", lambda: incident_filter.apply(incidents))
    _timed(steps, "aggregate", lambda: count_by_unit(filtered, boundaries.kirkuk(2), level=2))
    fmap = _timed(steps, "build_map", lambda: build_incident_map(filtered, boundaries))
    page = _timed(steps, "render_html", lambda: map_html(fmap))
    return {"kept": len(filtered), "steps_seconds": steps, "html_bytes": len(page.encode("utf-8"))}

def marker_map_html(incidents: pd.DataFrame) -> str:
    """The naive map: one folium.Marker per incident with a point, rendered to a page."""
    fmap = folium.Map(location=KIRKUK_CENTRE, zoom_start=9, tiles=None)
    drawable = incidents[incidents["latitude"].notna() & incidents["longitude"].notna()]
    for lat, lon in zip(drawable["latitude"], drawable["longitude"]):
        folium.Marker([lat, lon]).add_to(fmap)  # folium order: [lat, lon]
    return fmap.get_root().render()

def time_ours(incidents: pd.DataFrame, boundaries: Boundaries, repeats: int = 3) -> dict:
    """Our rebuild of the map after a filter change: the fastest of ``repeats`` runs."""
    seconds, cpu, ours = best_of(repeats, lambda: rebuild_map(incidents, boundaries, BENCH_FILTER))
    return {"seconds": seconds, "cpu_seconds": cpu, **ours}


def compare_with_baseline(ours: dict, incidents: pd.DataFrame) -> dict:
    """The filter-change comparison (time and bytes): ours (from ``time_ours``) against one marker per incident."""
    size = len(incidents)
    sample = min(size, MARKER_BASELINE_MAX)
    baseline_s, _, page = best_of(1, lambda: marker_map_html(BENCH_FILTER.apply(incidents.iloc[:sample])))
    baseline_bytes = len(page.encode("utf-8")) * (size / sample if sample else 1)
    return {
        "kept": ours["kept"],
        "steps_seconds": {k: round(v, 4) for k, v in ours["steps_seconds"].items()},
        "comparisons": {
            "map_vs_one_marker_each": comparison(
                ours["seconds"], baseline_s, "folium.Map with one folium.Marker per incident, built and rendered", sample, size,
                ours_cpu_seconds=round(ours["cpu_seconds"], 4),
                ours_bytes=ours["html_bytes"],
                baseline_bytes=int(baseline_bytes),
                bytes_ratio=round(baseline_bytes / ours["html_bytes"], 1),
            )
        },
    }


def _timed(steps: dict[str, float], name: str, work: Callable[[], T]) -> T:
    seconds, _, result = best_of(1, work)
    steps[name] = seconds
    return result
