"""The baseline of ``python -m bench.browser``: Streamlit's own deck.gl map of the same store.

A minimal page as a user would write it: the stored incidents, an event-type filter with
the same label as ours, one ``st.pydeck_chart`` scatter layer (no base map: offline), and
the count under it in the words our page uses, so that the benchmark waits for the same text.
"""
from __future__ import annotations

import pydeck as pdk
import streamlit as st

from incidents.store import connect, database_url, read_incidents


@st.cache_data(show_spinner=False)
def load_points(url: str):
    """Every stored incident with a point: the columns the layer draws."""
    frame = read_incidents(connect(url))
    return frame.loc[frame["latitude"].notna() & frame["longitude"].notna(), ["latitude", "longitude", "event_type", "fatalities"]]


points = load_points(database_url())
chosen = st.sidebar.multiselect("Event type", sorted(points["event_type"].dropna().unique()))
shown = points[points["event_type"].isin(chosen)] if chosen else points
st.pydeck_chart(
    pdk.Deck(
        layers=[pdk.Layer("ScatterplotLayer", shown, get_position="[longitude, latitude]", get_radius=200,
                          get_fill_color=[200, 30, 0, 160], pickable=True)],
        initial_view_state=pdk.ViewState(latitude=35.35, longitude=44.15, zoom=8),
        map_style=None,
        tooltip={"text": "{event_type}: {fatalities} killed"},
    ),
    height=600,
)
st.subheader(f"{len(shown)} incident(s)")
