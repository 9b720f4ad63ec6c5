"""The pace of the timeline: steps over the periods that hold incidents, running totals, the
time per step, and the pace's URL parameters (with a note for every bad value)."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from incidents.seed import read_seed_incidents
from mapview.incident_map import map_html
from mapview.timeline import build_timeline_map
from mapview.timeline_pace import MIN_FRAME_MS, TimelinePace, frame_ms, parse_pace, timeline_steps


def incidents(*rows: tuple[str | None, float | None]) -> pd.DataFrame:
    """Incidents as (event_date, fatalities) pairs."""
    return pd.DataFrame({"event_date": [date for date, _ in rows], "fatalities": [killed for _, killed in rows]})


SPREAD = incidents(("2014-06-09", 3), ("2014-06-11", 1), ("2014-06-11", None), ("2014-08-30", 2), ("2015-01-02", 10))


@pytest.mark.parametrize(
    ("step", "labels"),
    [
        ("day", ["2014-06-09", "2014-06-11", "2014-08-30", "2015-01-02"]),
        ("week", ["2014-06-09 – 2014-06-15", "2014-08-25 – 2014-08-31", "2014-12-29 – 2015-01-04"]),
        ("month", ["June 2014", "August 2014", "January 2015"]),
    ],
)
def test_a_step_is_a_period_that_holds_incidents_and_empty_spans_are_skipped(step, labels):
    assert timeline_steps(SPREAD, step)["label"].tolist() == labels


def test_the_totals_run_per_step_and_a_missing_death_count_is_zero():
    steps = timeline_steps(SPREAD, "week")
    assert steps["incidents"].tolist() == [3, 1, 1]
    assert steps["incidents_so_far"].tolist() == [3, 4, 5]
    assert steps["killed_so_far"].tolist() == [4, 6, 16]


def test_a_step_is_shown_at_its_last_day_so_a_cumulative_map_holds_the_whole_period():
    steps = timeline_steps(SPREAD, "month")
    assert steps["end"].dt.strftime("%Y-%m-%d").tolist() == ["2014-06-30", "2014-08-31", "2015-01-31"]
    assert steps["time_ms"].tolist() == [int(pd.Timestamp(day, tz="UTC").timestamp() * 1000) for day in ("2014-06-30", "2014-08-31", "2015-01-31")]


def test_undated_incidents_are_in_no_step_and_a_store_of_them_has_no_steps():
    assert timeline_steps(incidents(("2024-07-14", 1), (None, 50)), "day")["killed_so_far"].tolist() == [1]
    assert timeline_steps(incidents((None, 1), ("not a date", 2)), "week").empty


def test_a_single_incident_is_one_step_in_every_step():
    for step in ("auto", "day", "week", "month"):
        steps = timeline_steps(incidents(("2024-07-14", 2)), step)
        assert len(steps) == 1 and steps["incidents_so_far"].tolist() == [1] and steps["killed_so_far"].tolist() == [2]


def test_dates_from_1900_step_like_any_other():
    steps = timeline_steps(incidents(("1900-01-01", 1), ("1900-01-03", 0), ("2024-10-17", 4)), "week")
    assert steps["label"].tolist() == ["1900-01-01 – 1900-01-07", "2024-10-14 – 2024-10-20"]
    assert steps["time_ms"].iloc[0] == int(pd.Timestamp("1900-01-07", tz="UTC").timestamp() * 1000) < 0
    assert timeline_steps(incidents(("1900-01-01", 1)), "month")["label"].tolist() == ["January 1900"]


def test_auto_chooses_the_step_by_the_span():
    assert timeline_steps(incidents(("2024-07-14", 0), ("2024-10-17", 0)), "auto")["label"].iloc[0] == "2024-07-14"
    assert timeline_steps(incidents(("2012-01-05", 0), ("2017-12-30", 0)), "auto")["label"].iloc[0] == "January 2012"


def test_an_unknown_step_is_refused():
    with pytest.raises(ValueError, match="day, week, month"):
        timeline_steps(SPREAD, "fortnight")


@pytest.mark.parametrize(
    ("steps", "pace", "expected_ms", "noted"),
    [
        (100, TimelinePace(), 600, False),
        (100, TimelinePace(speed=4.0), 150, False),
        (100, TimelinePace(play_seconds=60), 600, False),
        (72, TimelinePace(play_seconds=60), 833, False),
        (1, TimelinePace(play_seconds=5), 5000, False),
        (0, TimelinePace(play_seconds=5), 5000, False),
        (2_000, TimelinePace(play_seconds=60), MIN_FRAME_MS, True),
    ],
)
def test_the_time_per_step_plays_the_whole_selection_in_the_seconds_asked(steps, pace, expected_ms, noted):
    ms, note = frame_ms(steps, pace)
    assert ms == expected_ms and (note is not None) == noted


@pytest.mark.parametrize(
    ("params", "pace", "note"),
    [
        ({}, TimelinePace(), None),
        ({"step": "week", "play_seconds": "60"}, TimelinePace(step="week", play_seconds=60), None),
        ({"step": "month"}, TimelinePace(step="month"), None),
        ({"play_seconds": "0"}, TimelinePace(), None),
        ({"step": "fortnight"}, TimelinePace(), "is not one of auto, day, week, month"),
        ({"step": "<b>x</b>" * 100}, TimelinePace(), "is not one of"),
        ({"play_seconds": "soon"}, TimelinePace(), "is not a whole number"),
        ({"play_seconds": "-5"}, TimelinePace(), "is not a whole number"),
        ({"play_seconds": "2.5"}, TimelinePace(), "is not a whole number"),
        ({"play_seconds": "9" * 40}, TimelinePace(), "is not a whole number"),
        ({"play_seconds": "1"}, TimelinePace(play_seconds=5), "below 5"),
        ({"play_seconds": "999999"}, TimelinePace(play_seconds=3600), "above 3600"),
    ],
)
def test_the_pace_in_a_link_and_what_it_ignored(params, pace, note):
    parsed, notes = parse_pace(params)
    assert parsed == pace
    if note is None:
        assert notes == []
    else:
        assert len(notes) == 1 and note in notes[0] and len(notes[0]) < 200, notes


def test_the_pace_round_trips_through_its_url_parameters():
    for pace in (TimelinePace(), TimelinePace(step="day"), TimelinePace(step="month", play_seconds=90)):
        assert parse_pace(pace.to_query_params()) == (pace, [])


def test_the_timeline_map_embeds_its_steps_as_numbers_and_iso_labels(boundaries):
    seed = read_seed_incidents(boundaries)
    page = map_html(build_timeline_map(seed, boundaries, pace=TimelinePace(step="month", play_seconds=30)))
    steps = timeline_steps(seed, "month")
    assert f"setAvailableTimes({json.dumps(steps['time_ms'].tolist())}" in page
    assert '"July 2024", 1, ' in page and '"October 2024", 3, ' in page
    assert "transitionTime: 15000" in page or '"transitionTime": 15000' in page  # 30 s over 2 steps
    assert 'timeDimension.on("timeload"' in page
