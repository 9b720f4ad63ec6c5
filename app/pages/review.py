"""The review queue: incidents that need an analyst, their reasons and sentences; approve or correct them.

Thin page: the decision is written with incidents.store.update_incident, which records it
so that no later import overwrites it. The form's buttons carry the incident and the row
version the form was drawn for (their callback's arguments, fixed when it was drawn), so a
save writes exactly that incident, and only if nobody changed it since: a stale save is
refused with what changed, even when the queue has moved on meanwhile.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import streamlit as st

from errors import ExpectedFailure
from app.session import as_session_user, require_writer
from app.state import get_boundaries, get_engine, get_gazetteer, refresh_incidents
from geo.gazetteer.local import add_spelling
from incidents.audit import history_csv, incident_history
from incidents.review import correct_incident
from incidents.schema import EVENT_TYPES, is_missing
from mapview.text import escape_markdown
from incidents.store import StaleEdit, database_url, read_review_queue, read_sources, update_incident

EDITABLE_TEXT = ["event_date", "location", "actor1", "actor2", "adm1_pcode", "adm2_pcode", "adm3_pcode", "notes"]
EDITABLE_INT = ["fatalities", "wounded", "arrested", "abducted"]
CHOICES: dict[str, list[Any]] = {
    "event_type": list(EVENT_TYPES),
    "sub_event_type": [s for subs in EVENT_TYPES.values() for s in subs],
    "time_precision": [1, 2, 3],
    "geo_precision": [1, 2, 3],
}
EDITABLE_COLUMNS = [*EDITABLE_TEXT, *CHOICES, *EDITABLE_INT]
CHOICE_DEFAULTS = {"time_precision": 1, "geo_precision": 3}
FORM_FOR = "review_form_for"  # (incident_id, row_version) whose values the form's widgets hold
OUTCOME = "review_outcome"  # what the last press of a button did, shown once


def load_form(incident: dict[str, Any]) -> None:
    """Put an incident's stored values into the form's widgets (before they are drawn)."""
    for column in EDITABLE_TEXT:
        st.session_state[f"edit_{column}"] = "" if is_missing(incident[column]) else str(incident[column])
    for column, options in CHOICES.items():
        value = incident[column]
        st.session_state[f"edit_{column}"] = value if value in options else CHOICE_DEFAULTS.get(column, options[0])
    for column in EDITABLE_INT:
        st.session_state[f"edit_{column}"] = None if is_missing(incident[column]) else int(incident[column])
    st.session_state[FORM_FOR] = (incident["incident_id"], incident["row_version"])


def save_decision(engine: sa.Engine, loaded: dict[str, Any], correct: bool) -> None:
    """The form's buttons: approve, or correct and approve, the incident the form was drawn for.

    ``loaded`` is that incident as the form showed it, with its row version.
    """
    changes: dict[str, object] = {}
    note = None
    if correct:
        edited = {column: st.session_state.get(f"edit_{column}") for column in EDITABLE_COLUMNS}
        correction = correct_incident(loaded, edited, get_gazetteer(), get_boundaries())
        if len(correction.problems):
            st.session_state[OUTCOME] = {"error": "Not saved: " + correction.summary, "problems": correction.problems}
            return
        changes, note = correction.changes, correction.note
    try:
        with as_session_user(engine):
            update_incident(engine, loaded["incident_id"], changes, "corrected" if changes else "approved",
                            expected_version=loaded["row_version"], loaded=loaded)
    except StaleEdit as error:
        st.session_state[OUTCOME] = {
            "error": f"Not saved: this incident was changed by someone else after you loaded it (version "
            f"{error.expected_version} then, {error.stored_version} now). Nothing was written. The form "
            "below is reloaded with its current values: check them and make your change again.",
            "details": f"Incident {error.incident_id}. What changed:\n"
            + "\n".join(f"  • {d}" for d in error.differences or ["(no column you saw; it was saved again)"]),
        }
        return
    except ExpectedFailure as error:  # the store cannot be written (errors.ExpectedFailure)
        st.session_state[OUTCOME] = {"error": str(error)}
        return
    refresh_incidents()
    st.session_state[OUTCOME] = {"success": f"Saved {len(changes)} correction(s)." if changes else "Approved.", "details": note}


def save_spelling(incident_id: str) -> None:
    """"Save as a new spelling": the report's spelling becomes an alias of the gazetteer place the analyst names."""
    spelling, place = st.session_state.get("spelling_text", ""), st.session_state.get("spelling_place", "")
    found = get_gazetteer().geocode(place) if place.strip() else None
    if found is None or not found.matched or found.score < 1.0:
        st.session_state[OUTCOME] = {"error": f"Not saved: name the gazetteer place exactly (got {place!r})."}
        return
    try:
        add_spelling(spelling, found.place_id, added_by=st.session_state.get("spelling_added_by") or "analyst",
                     incident_id=incident_id)
    except ExpectedFailure as error:
        st.session_state[OUTCOME] = {"error": str(error)}
        return
    st.session_state[OUTCOME] = {"success": "Saved as a new spelling.", "details": f"{spelling} = {found.name} ({found.place_id})"}


def show_outcome(outcome: dict[str, Any]) -> None:
    """What the last save did. Messages are fixed words; values from the data are shown as plain text."""
    if "success" in outcome:
        st.success(outcome["success"])
    else:
        st.error(escape_markdown(outcome["error"]))  # it may quote what the analyst typed
    if outcome.get("details"):
        st.text(outcome["details"])
    if outcome.get("problems") is not None:
        st.dataframe(outcome["problems"], hide_index=True, width="stretch")


url = database_url()
engine = get_engine(url)
require_writer(engine)
# Read fresh on every run (never cached): the form must show what the store holds now.
queue = read_review_queue(engine)
records = {r["incident_id"]: r for r in queue.astype(object).where(queue.notna(), None).to_dict("records")}

st.title("Review queue")
if OUTCOME in st.session_state:
    show_outcome(st.session_state.pop(OUTCOME))
if queue.empty:
    st.success("No incident awaits review.")
    st.stop()
st.caption(f"{len(queue)} incident(s) await review. Approve what is right; correct what is not.")


def _label(incident_id: str) -> str:
    row = records[incident_id]
    return f"{row['event_date'] or 'undated'} · {row['location']} · {row['sub_event_type']}"


if st.session_state.get("review_choice") not in records:
    st.session_state["review_choice"] = next(iter(records))  # the chosen incident left the queue
chosen = st.selectbox("Incident", options=list(records), format_func=_label, key="review_choice")
incident = records[chosen]
FORM_KEYS = [f"edit_{column}" for column in EDITABLE_COLUMNS]
if st.session_state.get(FORM_FOR) != (chosen, incident["row_version"]) or any(k not in st.session_state for k in FORM_KEYS):
    load_form(incident)  # another incident, this one changed since the form was filled, or a run without the form

st.subheader("Why it needs review")
for reason in str(incident["review_reasons"] or "no reason recorded").split("; "):
    st.text(f"• {reason}")  # reasons quote the report: plain text, never markdown
st.subheader("What the report says")
# Report text is untrusted: st.text shows it verbatim, never as markup.
st.text(str(incident["source_sentences"] or "(no sentences recorded)"))
sources = read_sources(engine, [chosen])
if len(sources):
    st.dataframe(sources[["url", "outlet", "published"]], hide_index=True, width="stretch")

history = incident_history(engine, chosen)
with st.expander(f"History ({len(history)} change(s))"):
    # Who changed what, when, from which source (incidents.audit); values are data: a table, never markdown.
    st.dataframe(history, hide_index=True, width="stretch")
    st.download_button("History (CSV)", data=history_csv(history), file_name=f"{chosen}-history.csv", mime="text/csv",
                       on_click="ignore", key="history_csv")

with st.form("review_form"):
    columns = st.columns(2)
    for i, column in enumerate(EDITABLE_TEXT):
        columns[i % 2].text_input(column, key=f"edit_{column}")
    for i, (column, options) in enumerate(CHOICES.items()):
        columns[i % 2].selectbox(column, options, index=None, key=f"edit_{column}")
    for i, column in enumerate(EDITABLE_INT):
        # No bounds here: a stored value out of bounds must not take the page down; the
        # correction is checked (0 to 100,000) when it is saved.
        columns[i % 2].number_input(column, step=1, value=None, key=f"edit_{column}")
    st.form_submit_button("Approve as it is", on_click=save_decision, args=(engine, incident, False))
    st.form_submit_button("Save corrections and approve", on_click=save_decision, args=(engine, incident, True))

with st.form("spelling_form"):
    st.caption("Save as a new spelling: the next report that spells the place this way resolves to it.")
    st.text_input("Spelling in the report", value=str(incident["location"] or ""), key="spelling_text")
    st.text_input("is the gazetteer place", key="spelling_place")
    st.text_input("Added by", key="spelling_added_by")
    st.form_submit_button("Save as a new spelling", on_click=save_spelling, args=(chosen,))
