"""The pace a teacher sets for the timeline: its step (day, week or month), how long it plays,
the steps themselves (only periods that hold incidents) and the running totals per step;
and the pace's round trip through a URL query string.

Pure functions over frames; ``mapview.timeline`` draws them, the Timeline page holds the widgets.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import pandas as pd

from incidents.filter_fields import shown_value

# What a step can be; "auto" chooses by the span shown (``automatic_step``).
STEPS = {"auto": "Chosen by the span", "day": "Day", "week": "Week", "month": "Month"}
# The player's ISO 8601 period for each step (the control's own stepping, before ours replaces it).
STEP_PERIODS = {"day": "P1D", "week": "P1W", "month": "P1M"}
# The fastest the player steps (its speed control tops out at 20 steps a second).
MIN_FRAME_MS = 50
# The pace without a total duration: 0.6 s a step, times the speed chooser.
DEFAULT_FRAME_MS = 600
PLAY_SECONDS_LIMITS = (5, 3_600)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
STEP_COLUMNS = ["start", "end", "time_ms", "label", "incidents", "killed", "incidents_so_far", "killed_so_far"]


@dataclass(frozen=True)
class TimelinePace:
    """How the timeline plays: its ``step``, and either a total duration (``play_seconds``) or
    the default pace times ``speed``."""

    step: str = "auto"
    play_seconds: int | None = None
    speed: float = 1.0

    def to_query_params(self) -> dict[str, str]:
        """The pace as URL query parameters (only what differs from the defaults; the speed stays on the page).

        >>> TimelinePace(step="week", play_seconds=60).to_query_params()
        {'step': 'week', 'play_seconds': '60'}
        """
        params = {"step": self.step} if self.step != "auto" else {}
        return params | ({"play_seconds": str(self.play_seconds)} if self.play_seconds else {})


def parse_pace(params: Mapping[str, str]) -> tuple[TimelinePace, list[str]]:
    """The pace a URL describes, and a note for every value it ignored or changed.

    >>> parse_pace({"step": "fortnight", "play_seconds": "2"})
    (TimelinePace(step='auto', play_seconds=5, speed=1.0), \
["step 'fortnight' is not one of auto, day, week, month; auto is used.", 'play_seconds 2 is below 5; 5 is used.'])
    """
    notes: list[str] = []
    step = str(params.get("step", "auto"))
    if step not in STEPS:
        notes.append(f"step {shown_value(step)} is not one of {', '.join(STEPS)}; auto is used.")
        step = "auto"
    play_seconds = None
    if "play_seconds" in params:
        text = str(params["play_seconds"])
        low, high = PLAY_SECONDS_LIMITS
        if not text.strip().isdigit() or len(text) > 12:
            notes.append(f"play_seconds {shown_value(text)} is not a whole number of seconds; the speed chooser sets the pace.")
        elif int(text) == 0:
            play_seconds = None
        elif int(text) < low:
            notes.append(f"play_seconds {int(text)} is below {low}; {low} is used.")
            play_seconds = low
        elif int(text) > high:
            notes.append(f"play_seconds {int(text)} is above {high}; {high} is used.")
            play_seconds = high
        else:
            play_seconds = int(text)
    return TimelinePace(step=step, play_seconds=play_seconds), notes


def automatic_step(dates: pd.Series) -> str:
    """The step for a span: days up to half a year, weeks up to three years, months beyond.

    >>> automatic_step(pd.Series(["2024-07-14", "2024-10-17"])), automatic_step(pd.Series(["2012-01-05", "2017-12-30"]))
    ('day', 'month')
    """
    parsed = pd.to_datetime(dates, errors="coerce").dropna()
    if parsed.empty:
        return "day"
    span_days = (parsed.max() - parsed.min()).days
    if span_days <= 180:
        return "day"
    return "week" if span_days <= 3 * 365 else "month"


def resolved_step(step: str, dates: pd.Series) -> str:
    """``step``, with "auto" made the step for the span of ``dates``."""
    if step not in STEPS:
        raise ValueError(f"Unknown timeline step {step!r}; use one of: {', '.join(STEPS)}.")
    return automatic_step(dates) if step == "auto" else step


def period_bounds(days: pd.Series, step: str) -> tuple[pd.Series, pd.Series]:
    """The first and last day of the period (day, week from Monday, or month) holding each day.

    >>> first, last = period_bounds(pd.Series(pd.to_datetime(["2024-07-14"])), "week")
    >>> str(first[0].date()), str(last[0].date())
    ('2024-07-08', '2024-07-14')
    """
    if step == "day":
        return days, days
    periods = days.dt.to_period("W-SUN" if step == "week" else "M")
    return periods.dt.start_time.dt.normalize(), periods.dt.end_time.dt.normalize()


def step_label(start: pd.Timestamp, end: pd.Timestamp, step: str) -> str:
    """How the big date label names a step: an ISO day, a week's first and last day, or a month.

    >>> step_label(pd.Timestamp("2014-06-09"), pd.Timestamp("2014-06-15"), "week")
    '2014-06-09 – 2014-06-15'
    >>> step_label(pd.Timestamp("1900-01-01"), pd.Timestamp("1900-01-31"), "month")
    'January 1900'
    """
    if step == "day":
        return start.strftime("%Y-%m-%d")
    if step == "week":
        return f"{start.strftime('%Y-%m-%d')} – {end.strftime('%Y-%m-%d')}"
    return f"{MONTHS[start.month - 1]} {start.year}"


def timeline_steps(incidents: pd.DataFrame, step: str) -> pd.DataFrame:
    """One row per period of ``step`` that holds incidents, oldest first (empty spans skipped):
    its first and last day, the time the player shows it (its last day, in ms since 1970 UTC,
    so a cumulative map at that time holds the whole period), its label, and the incidents and
    killed in it and so far. Undated incidents are in no step; a missing death count is 0.

    >>> steps = timeline_steps(pd.DataFrame({"event_date": ["2024-07-14", None, "2024-07-09", "2024-10-17"],
    ...     "fatalities": [2, 5, None, 1]}), "week")
    >>> steps[["label", "incidents_so_far", "killed_so_far"]].values.tolist()
    [['2024-07-08 – 2024-07-14', 2, 2], ['2024-10-14 – 2024-10-20', 3, 3]]
    """
    step = resolved_step(step, incidents["event_date"])
    days = pd.to_datetime(incidents["event_date"], errors="coerce")
    dated = days.notna()
    frame = pd.DataFrame({
        "day": days[dated],
        "killed": pd.to_numeric(incidents.loc[dated, "fatalities"], errors="coerce").fillna(0).astype("int64"),
    })
    if frame.empty:
        return pd.DataFrame({column: pd.Series(dtype="object") for column in STEP_COLUMNS})
    frame["start"], frame["end"] = period_bounds(frame["day"], step)
    steps = frame.groupby(["start", "end"], as_index=False).agg(incidents=("day", "size"), killed=("killed", "sum"))
    steps = steps.sort_values("start", ignore_index=True)
    steps["time_ms"] = [int((end - pd.Timestamp("1970-01-01")) // pd.Timedelta(milliseconds=1)) for end in steps["end"]]
    steps["label"] = [step_label(start, end, step) for start, end in zip(steps["start"], steps["end"])]
    steps["incidents_so_far"] = steps["incidents"].cumsum()
    steps["killed_so_far"] = steps["killed"].cumsum()
    return steps[STEP_COLUMNS]


def frame_ms(steps: int, pace: TimelinePace) -> tuple[int, str | None]:
    """Milliseconds per step for ``steps`` steps at ``pace``, and a note when the player cannot
    go that fast (it then takes longer than asked).

    >>> frame_ms(73, TimelinePace(play_seconds=60))
    (821, None)
    >>> frame_ms(2000, TimelinePace(play_seconds=60))
    (50, '2,000 steps take at least 100 s at 20 steps a second; choose a longer step to play in 60 s.')
    """
    if not pace.play_seconds:
        return max(MIN_FRAME_MS, int(DEFAULT_FRAME_MS / pace.speed)), None
    wanted = int(pace.play_seconds * 1000 / max(steps, 1))
    if wanted >= MIN_FRAME_MS:
        return wanted, None
    shortest_s = steps * MIN_FRAME_MS / 1000
    return MIN_FRAME_MS, (
        f"{steps:,} steps take at least {shortest_s:g} s at {1000 // MIN_FRAME_MS} steps a second; "
        f"choose a longer step to play in {pace.play_seconds} s."
    )
