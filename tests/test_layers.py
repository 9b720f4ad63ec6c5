"""Layers draw what they are given, exactly, and large selections stay small."""
from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from incidents.schema import conform
from mapview.incident_map import MAX_INCIDENT_FEATURES, MapOptions, build_incident_map, map_html
from mapview.layers import area_pcodes, grid_counts
from mapview.point_overlays import points_json


def synthetic(n: int, seed: int = 0) -> pd.DataFrame:
    """n incidents around Kirkuk city, a tenth known only by district."""
    rng = np.random.default_rng(seed)
    precision = rng.choice([1, 2, 3], n, p=[0.6, 0.3, 0.1])
    return conform(
        pd.DataFrame(
            {
                "incident_id": [f"KIM-{i:012d}" for i in range(n)],
                "event_date": "2024-05-01",
                "event_type": rng.choice(["Battles", "Explosions/Remote violence"], n),
                "latitude": np.where(precision < 3, rng.normal(35.45, 0.1, n), np.nan),
                "longitude": np.where(precision < 3, rng.normal(44.35, 0.1, n), np.nan),
                "geo_precision": precision,
                "fatalities": rng.integers(0, 4, n),
                "adm1_pcode": "IQG13",
                "adm2_pcode": "IQG13Q04",
            }
        )
    )


def test_grid_counts_every_point_exactly_once():
    incidents = synthetic(5_000)
    cells = grid_counts(incidents)
    with_point = incidents["latitude"].notna()
    assert cells["incidents"].sum() == with_point.sum()
    assert cells["fatalities"].sum() == incidents.loc[with_point, "fatalities"].sum()
    assert set(cells["main_type"]) <= {"Battles", "Explosions/Remote violence"}


def test_area_pcode_is_the_finest_level_known():
    frame = pd.DataFrame({"adm1_pcode": ["IQG13", "IQG13", None], "adm2_pcode": [None, "IQG13Q02", None], "adm3_pcode": [None, None, None]})
    assert area_pcodes(frame).tolist() == ["IQG13", "IQG13Q02", pd.NA]


def test_points_json_is_compact_and_drops_missing_points():
    text = points_json(np.array([35.1234567, np.nan]), np.array([44.7654321, 44.0]), np.array([2, 0]))
    assert json.loads(text) == [[35.12346, 44.76543, 2]]


def drawn_incidents(page: str) -> int:
    """How many incidents the canvas layers of a page hold (the length of each layer's ``y`` column).

    Each layer's numeric columns are a JSON text in a string literal, for JSON.parse (HoistedPoints).
    """
    literals = re.findall(r'JSON\.parse\(("(?:\\.|[^"\\])*")\)', page)
    return sum(len(json.loads(json.loads(literal)).get("y", [])) for literal in literals if literal.startswith('"{'))


@pytest.mark.parametrize("size", [300, MAX_INCIDENT_FEATURES * 5])
def test_every_incident_with_a_point_is_drawn_individually_at_any_size(boundaries, size):
    incidents = synthetic(size)
    page = map_html(build_incident_map(incidents, boundaries, MapOptions(show_heat=True)))
    assert drawn_incidents(page) == int(incidents["latitude"].notna().sum())
    assert "counts per ~2 km cell" not in page
    # No popup per incident (they were ~1 kB each): a few dozen bytes per incident.
    assert len(page) < 200_000 + len(incidents) * 60


@pytest.mark.parametrize("metric", ["incidents", "fatalities", "incidents_per_1000_km2", "change"])
@pytest.mark.parametrize("level", [2, 3])
def test_every_metric_and_level_draws(boundaries, metric, level):
    incidents = synthetic(50)
    page = map_html(build_incident_map(incidents, boundaries, MapOptions(level=level, metric=metric), previous=synthetic(20, seed=1)))
    unit_pcodes = set(re.findall(r'"pcode": "(IQG13Q\d\d(?:N\d\d)?)"', page))
    assert len([p for p in unit_pcodes if len(p) == (8 if level == 2 else 11)]) == (4 if level == 2 else 16)


def test_an_unknown_metric_or_level_is_named(boundaries):
    with pytest.raises(ValueError, match="metric"):
        build_incident_map(synthetic(5), boundaries, MapOptions(metric="density"))
    with pytest.raises(ValueError, match="level"):
        build_incident_map(synthetic(5), boundaries, MapOptions(level=1))
