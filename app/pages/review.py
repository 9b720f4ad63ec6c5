"""The review queue: incidents that need an analyst, their reasons and sentences; approve or correct them.

Thin page: the decision is written with incidents.store.update_incident, which records it
so that no later import overwrites it.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app.state import get_boundaries, get_engine, get_gazetteer, load_incidents, refresh_incidents
from incidents.review import changed_values, correction_problems, place_changes
from incidents.schema import EVENT_TYPES
from incidents.store import database_url, read_sources, update_incident

EDITABLE_TEXT = ["event_date", "location", "actor1", "actor2", "adm1_pcode", "adm2_pcode", "adm3_pcode", "notes"]
EDITABLE_INT = ["fatalities", "wounded", "arrested", "abducted"]

url = database_url()
engine = get_engine(url)
incidents = load_incidents(url)
queue = incidents[incidents["needs_review"].fillna(False).astype(bool)]

st.title("Review queue")
if queue.empty:
    st.success("No incident awaits review.")
    st.stop()
st.caption(f"{len(queue)} incident(s) await review. Approve what is right; correct what is not.")


queue_by_id = queue.set_index("incident_id")  # indexed once: the labels below read it once per incident


def _label(incident_id: str) -> str:
    row = queue_by_id.loc[incident_id]
    return f"{row['event_date'] or 'undated'} · {row['location']} · {row['sub_event_type']}"


chosen = st.selectbox("Incident", options=list(queue["incident_id"]), format_func=_label, key="review_choice")
incident = queue_by_id.loc[chosen]


def _value(column: str) -> object:
    value = incident[column]
    return None if pd.isna(value) else value

st.subheader("Why it needs review")
for reason in str(_value("review_reasons") or "no reason recorded").split("; "):
    st.text(f"• {reason}")  # reasons quote the report: plain text, never markdown
st.subheader("What the report says")
# Report text is untrusted: st.text shows it verbatim, never as markup.
st.text(str(_value("source_sentences") or "(no sentences recorded)"))
sources = read_sources(engine, [chosen])
if len(sources):
    st.dataframe(sources[["url", "outlet", "published"]], hide_index=True, width="stretch")



with st.form("review_form"):
    values: dict[str, object] = {}
    columns = st.columns(2)
    for i, column in enumerate(EDITABLE_TEXT):
        values[column] = columns[i % 2].text_input(column, value=str(_value(column) or ""), key=f"edit_{column}")
    types = list(EVENT_TYPES)
    values["event_type"] = columns[0].selectbox("event_type", types, index=types.index(incident["event_type"]) if incident["event_type"] in types else 0, key="edit_event_type")
    subs = [s for t in types for s in EVENT_TYPES[t]]
    values["sub_event_type"] = columns[1].selectbox("sub_event_type", subs, index=subs.index(incident["sub_event_type"]) if incident["sub_event_type"] in subs else 0, key="edit_sub_event_type")
    values["time_precision"] = columns[0].selectbox("time_precision", [1, 2, 3], index=int(_value("time_precision") or 1) - 1, key="edit_time_precision")
    values["geo_precision"] = columns[1].selectbox("geo_precision", [1, 2, 3], index=int(_value("geo_precision") or 3) - 1, key="edit_geo_precision")
    for i, column in enumerate(EDITABLE_INT):
        current = _value(column)
        values[column] = columns[i % 2].number_input(column, min_value=0, step=1, value=None if current is None else int(current), key=f"edit_{column}")
    approve = st.form_submit_button("Approve as it is")
    correct = st.form_submit_button("Save corrections and approve")

if approve:
    update_incident(engine, chosen, {}, "approved")
    refresh_incidents()
    st.success("Approved.")
    st.rerun()
if correct:
    current = {column: _value(column) for column in incident.index} | {"incident_id": chosen}
    changes = place_changes(current, changed_values(current, values), get_gazetteer(), get_boundaries())
    note = changes.pop("_note", None)
    problems = correction_problems(current, changes)
    if problems:
        st.error("Not saved: " + "; ".join(problems))
    else:
        update_incident(engine, chosen, changes, "corrected" if changes else "approved")
        refresh_incidents()
        st.success(f"Saved {len(changes)} correction(s)." + (f" {note}" if note else ""))
        st.rerun()
