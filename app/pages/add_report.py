"""Add a report: paste its text, give its date and URL, preview the incidents it describes, then save.

Thin page: extraction is reports.extract, merging with stored incidents is
incidents.corroborate; this script only reads widgets and draws results.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from app.state import get_boundaries, get_engine, get_gazetteer, refresh_incidents
from geo.boundaries import BoundariesNotFound
from incidents.corroborate import apply_plan, plan_corroboration
from reports.extract import extract_incidents
from incidents.schema import EVENT_TYPES, conform
from incidents.store import database_url, read_incidents
from mapview.incident_map import build_preview_map

EDITABLE = ["event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2", "location",
            "geo_precision", "fatalities", "wounded", "arrested", "abducted", "needs_review", "review_reasons"]
SHOWN = EDITABLE + ["adm2_pcode", "adm3_pcode", "source_sentences"]

try:
    boundaries = get_boundaries()
    gazetteer = get_gazetteer()
except (BoundariesNotFound, ImportError, FileNotFoundError) as error:
    st.error(f"The report extractor needs the boundaries and the gazetteer: {error}")
    st.stop()
engine = get_engine(database_url())

st.title("Add a report")
st.caption("Paste the text of a news report. Nothing is stored until you press Save.")
text = st.text_area("Report text", height=260, key="report_text")
left, right = st.columns(2)
# No default date: a guess (today) would misdate every "on Friday" of an older report.
published = left.date_input(
    "Publication date", value=None, key="published", min_value=dt.date(1990, 1, 1),
    help="Relative dates ('on Friday', 'last week') are resolved against it. Leave it empty if unknown: "
    "those incidents then wait in the review queue.",
)
url = right.text_input("URL of the report", key="report_url", placeholder="https://...")

if st.button("Extract incidents", type="primary", key="extract"):
    if not text.strip():
        st.warning("Paste the report's text first.")
    else:
        st.session_state["extracted"] = extract_incidents(
            text, gazetteer, published, url.strip() or None
        )

extracted: pd.DataFrame | None = st.session_state.get("extracted")
if extracted is not None:
    if extracted.empty:
        st.info("No incident found: no sentence of this report describes an event (statements and totals are skipped).")
    else:
        st.subheader(f"{len(extracted)} incident(s) found")
        review = int(extracted["needs_review"].fillna(False).sum())
        if review:
            st.warning(f"{review} incident(s) will go to the review queue; their reasons are in the table.")
        fmap = build_preview_map(extracted, boundaries)
        st_folium(fmap, height=360, use_container_width=True, returned_objects=[], key="preview_map")
        edited = st.data_editor(
            extracted[SHOWN],
            key="preview_table",
            hide_index=True,
            width="stretch",
            disabled=[c for c in SHOWN if c not in EDITABLE],
            column_config={
                "event_type": st.column_config.SelectboxColumn(options=list(EVENT_TYPES)),
                "sub_event_type": st.column_config.SelectboxColumn(options=[s for subs in EVENT_TYPES.values() for s in subs]),
                "time_precision": st.column_config.SelectboxColumn(options=[1, 2, 3]),
                "geo_precision": st.column_config.SelectboxColumn(options=[1, 2, 3]),
            },
        )
        if st.button("Save", key="save"):
            incidents = extracted.copy()
            changed = (edited[EDITABLE].astype("string").fillna("") != extracted[EDITABLE].astype("string").fillna("")).any(axis=1)
            incidents[EDITABLE] = edited[EDITABLE].to_numpy()
            # An analyst's edit before saving is a correction and is recorded as one.
            incidents.loc[changed.to_numpy(), "review_status"] = "corrected"
            counts = apply_plan(engine, plan_corroboration(conform(incidents), read_incidents(engine)))
            refresh_incidents()
            st.session_state.pop("extracted", None)
            st.success(
                f"Saved: {counts['added']} new incident(s), {counts['merged']} merged into stored incidents, "
                f"{counts['unchanged']} already stored."
            )
