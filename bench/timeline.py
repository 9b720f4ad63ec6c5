"""``python -m bench.timeline``: how long the Timeline plays, and how many bytes its map sends,
for a GTD-like table (2,900 incidents over 2012-2017) by day, week and month steps, for the
whole table and for one district's selection.

Prints figures; nothing here is asserted (tests/test_bench_timeline.py only checks the shape).
"""
from __future__ import annotations

import argparse
import json

import numpy as np
import pandas as pd

from bench.synthetic import synthetic_incidents
from geo.boundaries import Boundaries, load_boundaries
from geo.join import assign_admin_units
from incidents.filters import IncidentFilter
from mapview.incident_map import map_html
from mapview.timeline import build_timeline_map, played_incidents
from mapview.timeline_pace import TimelinePace, frame_ms, resolved_step, timeline_steps

FIRST, LAST = pd.Timestamp("2012-01-05"), pd.Timestamp("2017-12-30")
# The teacher: "Hawija, 2014-2017".
HAWIJA_2014_2017 = IncidentFilter(adm2_pcodes=("IQG13Q01",), date_from=pd.Timestamp("2014-01-01").date(), include_undated=False)


def gtd_like(count: int, boundaries: Boundaries, seed: int = 0) -> pd.DataFrame:
    """``count`` synthetic incidents (bench.synthetic) re-dated uniformly over 2012-01-05 .. 2017-12-30 and joined."""
    incidents = synthetic_incidents(count, boundaries, seed=seed)
    days = np.random.default_rng(seed).integers(0, (LAST - FIRST).days + 1, count)
    incidents["event_date"] = (FIRST + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d")
    return assign_admin_units(incidents, boundaries)


def measure(incidents: pd.DataFrame, boundaries: Boundaries, play_seconds: int = 60) -> dict[str, dict[str, float]]:
    """Per step (auto, day, week, month): steps, seconds to play at the default pace and with
    ``play_seconds``, and the bytes of the timeline map's page."""
    played = played_incidents(incidents, boundaries)
    rows = {}
    for step in ("auto", "day", "week", "month"):
        steps = len(timeline_steps(played, step))
        default_ms, _ = frame_ms(steps, TimelinePace(step=step))
        asked_ms, note = frame_ms(steps, TimelinePace(step=step, play_seconds=play_seconds))
        page = map_html(build_timeline_map(incidents, boundaries, pace=TimelinePace(step=step)))
        rows[step] = {
            "step": resolved_step(step, played["event_date"]),
            "steps": steps,
            "seconds_at_default_pace": round(steps * default_ms / 1000, 1),
            f"seconds_asked_{play_seconds}": round(steps * asked_ms / 1000, 1),
            "page_bytes": len(page.encode("utf-8")),
        }
    return rows


def run(count: int = 2_900) -> dict[str, object]:
    """The figures for the whole table and for Hawija district from 2014."""
    boundaries = load_boundaries()
    incidents = gtd_like(count, boundaries)
    hawija = HAWIJA_2014_2017.apply(incidents)
    return {"incidents": len(incidents), "whole": measure(incidents, boundaries),
            "hawija_2014_2017": {"incidents": len(hawija), **measure(hawija, boundaries)}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.timeline", description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2_900)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run(args.count)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    for name in ("whole", "hawija_2014_2017"):
        rows = result[name]
        print(f"{name}: {rows.get('incidents', result['incidents'])} incidents")
        for step, row in rows.items():
            if isinstance(row, dict):
                print(f"  {step:>5} ({row['step']}): " + ", ".join(f"{k} {v:,}" for k, v in row.items() if k != "step"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
