"""The map page's monthly charts: each month's bar spans that month, counts tick in whole
numbers, and a district keeps its colour in every view. Altair only, no Streamlit.
"""
from __future__ import annotations

from typing import Iterable

import altair as alt
import pandas as pd

from incidents.aggregate import OUTSIDE_KIRKUK, UNKNOWN_DISTRICT
from mapview.style import CONTEXT_COLOUR

# Tableau 10 without the event types' red and green, so a district never reads as an event type.
DISTRICT_PALETTE = ("#4e79a7", "#f28e2b", "#76b7b2", "#b07aa1", "#9c755f", "#edc948", "#ff9da7", "#bab0ac")


def district_colours(districts: Iterable[str]) -> dict[str, str]:
    """A fixed colour per district (in the order given, e.g. by pcode), grey for an unknown one,
    the muted context grey for incidents outside Kirkuk (a wider scope).

    >>> district_colours(["Al-Hawiga", "Daquq"])["Daquq"]
    '#f28e2b'
    """
    colours = {name: DISTRICT_PALETTE[i % len(DISTRICT_PALETTE)] for i, name in enumerate(districts)}
    return colours | {UNKNOWN_DISTRICT: "#bab0ac", OUTSIDE_KIRKUK: CONTEXT_COLOUR}


def chart_data_and_spec(chart: alt.Chart) -> tuple[pd.DataFrame, dict]:
    """A chart as its data and a Vega-Lite spec that does not hold the data.

    Given apart (``st.vega_lite_chart(data, spec)``), the spec stays the same when only the
    data changes, so Streamlit replaces the data of the chart already drawn instead of
    drawing it anew; an Altair chart names its data by a hash of it, and was redrawn on every
    filter change (the two charts took about 0.8 s of the browser's time at 10,000 incidents).
    """
    bare = chart.copy()
    bare.data = alt.Undefined
    spec = bare.to_dict()
    spec.pop("data", None)
    spec.pop("datasets", None)
    return chart.data, spec


def monthly_chart(monthly: pd.DataFrame, measure: str, title: str, colours: dict[str, str]) -> alt.Chart:
    """Stacked bars of ``measure`` per month and district (monthly_by_district's frame).

    Each bar runs from the first of its month to the first of the next, on a UTC scale,
    so that no time zone moves October's bar under November. The legend lists only the
    districts the data holds, each in its fixed colour.
    """
    present = set(monthly["district"].astype(str))
    colours = {district: colour for district, colour in colours.items() if district in present}
    frame = monthly.assign(
        start=monthly["month"].dt.strftime("%Y-%m-%d"),
        end=(monthly["month"] + pd.offsets.MonthBegin(1)).dt.strftime("%Y-%m-%d"),
        label=monthly["month"].dt.strftime("%b %Y"),
    )
    return (
        alt.Chart(frame, title=title)
        .mark_bar()
        .encode(
            x=alt.X("start:T", title="Month", scale=alt.Scale(type="utc"), axis=alt.Axis(format="%b %Y", labelAngle=-40)),
            x2="end:T",
            y=alt.Y(f"sum({measure}):Q", title=measure.capitalize(), axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color("district:N", title="District", scale=alt.Scale(domain=list(colours), range=list(colours.values()))),
            tooltip=[alt.Tooltip("label:N", title="Month"), "district:N", f"{measure}:Q"],
        )
    )
