"""Add a report: paste its text, give its date and URL, preview the incidents it describes, then save.

Thin page: extraction is reports.extract, an edit in the preview table is corrected
as on the Review page (incidents.review.correct_preview: a new place is geocoded and
joined, every rule checked), merging with stored incidents is incidents.corroborate;
this script only reads widgets and draws results.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from app.failures import failures_stop_the_page, show_failure
from app.session import require_writer
from app.state import get_boundaries, get_engine, get_gazetteer, refresh_incidents
from incidents.corroborate import apply_plan, plan_corroboration
from reports.extract import ReportTooLong, extract_incidents
from incidents.review import correct_preview
from incidents.schema import EVENT_TYPES, FIRST_VALID_DATE, last_valid_date
from incidents.store import StaleEdit, database_url, read_incidents
from mapview.incident_map import build_preview_map
from mapview.text import escape_markdown

EDITABLE = ["event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2", "location",
            "geo_precision", "fatalities", "wounded", "arrested", "abducted", "needs_review", "review_reasons"]
SHOWN = EDITABLE + ["adm2_pcode", "adm3_pcode", "source_sentences"]

boundaries = get_boundaries()
gazetteer = get_gazetteer()
engine = get_engine(database_url())
require_writer(engine)

st.title("Add a report")
st.caption("Paste the text of a news report. Nothing is stored until you press Save.")
text = st.text_area("Report text", height=260, key="report_text")
left, right = st.columns(2)
# No default date: a guess (today) would misdate every "on Friday" of an older report.
published = left.date_input(
    "Publication date", value=None, key="published", min_value=FIRST_VALID_DATE, max_value=last_valid_date(),
    help="Relative dates ('on Friday', 'last week') are resolved against it. Leave it empty if unknown: "
    "those incidents then wait in the review queue.",
)
url = right.text_input("URL of the report", key="report_url", placeholder="https://...")

if st.button("Extract incidents", type="primary", key="extract"):
    if not text.strip():
        st.warning("Paste the report's text first.")
    else:
        try:
            st.session_state["extracted"] = extract_incidents(text, gazetteer, published, url.strip() or None)
        except ReportTooLong as error:
            st.session_state.pop("extracted", None)
            show_failure(error)

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
            corrected = correct_preview(extracted, edited[EDITABLE], gazetteer, boundaries)
            for note in corrected.notes:
                st.text(note)  # notes quote the analyst's text: plain text, never markdown
            if len(corrected.problems):
                st.error(escape_markdown("Not saved: " + "; ".join(f"row {p.row}: {p.column} {p.reason}" for p in corrected.problems.itertuples())))
                st.dataframe(corrected.problems, hide_index=True, width="stretch")
                st.stop()
            with failures_stop_the_page("Not saved: "):
                try:
                    plan = plan_corroboration(corrected.incidents, read_incidents(engine, with_row_version=True))
                    counts = apply_plan(engine, plan)
                except StaleEdit as error:  # a stored incident this report merges into changed meanwhile
                    st.error("Not saved: a stored incident this report merges into was changed while saving. "
                             "Nothing was written; press Save again.")
                    st.text(f"Incident {error.incident_id}: " + "; ".join(error.differences))
                    st.stop()
            refresh_incidents()
            st.session_state.pop("extracted", None)
            st.success(
                f"Saved: {counts['added']} new incident(s), {counts['merged']} merged into stored incidents, "
                f"{counts['unchanged']} already stored."
            )
