"""The map page: filters in the sidebar, the map, and the table of filtered incidents."""
from __future__ import annotations

import datetime as dt

import streamlit as st
from streamlit_folium import st_folium

from app_state import get_boundaries, get_engine, load_incidents
from geo.boundaries import BoundariesNotFound
from incidents.aggregate import headline_figures
from incidents.filters import IncidentFilter
from incidents.store import database_url
from mapview.assets import AssetsMissing, check_assets_installed
from mapview.incident_map import build_incident_map

TABLE_COLUMNS = [
    "event_date", "time_precision", "event_type", "sub_event_type", "location", "geo_precision",
    "admin2", "admin3", "in_kirkuk", "fatalities", "wounded", "actor1", "actor2", "source",
    "needs_review", "review_reasons", "incident_id",
]

try:
    boundaries = get_boundaries()
    check_assets_installed()
except (BoundariesNotFound, AssetsMissing) as error:
    st.error(str(error))
    st.stop()

url = database_url()
get_engine(url)
incidents = load_incidents(url)
districts = boundaries.kirkuk(2)
district_names = dict(zip(districts["pcode"], districts["name"]))

st.title("Kirkuk Incident Map")
with st.sidebar:
    st.header("Filters")
    dates = incidents["event_date"].dropna()
    first = min(dates) if len(dates) else None
    last = max(dates) if len(dates) else None
    default_range = (dt.date.fromisoformat(first), dt.date.fromisoformat(last)) if first else ()
    chosen_dates = st.date_input("Date range", value=default_range, key="date_range")
    chosen_districts = st.multiselect(
        "District", options=list(district_names), format_func=district_names.get, key="districts"
    )
    event_types = sorted(incidents["event_type"].dropna().unique())
    chosen_types = st.multiselect("Event type", options=event_types, key="event_types")
    include_undated = st.checkbox("Include incidents with no date yet", value=True, key="include_undated")

date_from = chosen_dates[0] if len(chosen_dates) > 0 else None
date_to = chosen_dates[1] if len(chosen_dates) > 1 else None
incident_filter = IncidentFilter(
    date_from=date_from, date_to=date_to, adm2_pcodes=tuple(chosen_districts), event_types=tuple(chosen_types),
    include_undated=include_undated,
)
shown = incident_filter.apply(incidents)

st.caption(incident_filter.caption(district_names))
figures = headline_figures(shown)
columns = st.columns(4)
columns[0].metric("Incidents", figures["incidents"])
columns[1].metric("Killed", figures["fatalities"])
columns[2].metric("Wounded", figures["wounded"])
columns[3].metric("Awaiting review", figures["needs_review"])

fmap = build_incident_map(shown, boundaries)
# returned_objects=[]: panning and zooming send nothing back, so they do not rerun the script.
st_folium(fmap, height=560, use_container_width=True, returned_objects=[], key="incident_map")

st.subheader(f"{len(shown)} incident(s)")
st.dataframe(shown[TABLE_COLUMNS], hide_index=True, use_container_width=True)
