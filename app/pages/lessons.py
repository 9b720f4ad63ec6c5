"""The educator's lessons: make one (title card, chosen incidents with captions, closing card),
list the saved ones, open one by its link (``?lesson=<id>``), step through it, download it.

Thin page: validation and the store are incidents.lessons (which checks the writer's role and
the lesson's row version), the offline HTML is mapview.lesson. Every text from a lesson or an
incident is shown with st.text or escaped markdown.
"""
from __future__ import annotations

import re

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from app.failures import failures_stop_the_page, show_failure
from app.session import as_session_user, may_write
from app.state import get_engine, load_incidents, map_page_store
from errors import ExpectedFailure
from incidents.lessons import (
    GONE, MAX_CAPTION_CHARS, MAX_CARD_CHARS, MAX_STEPS, MAX_TITLE_CHARS, Lesson, LessonStep,
    delete_lesson, incident_at, incidents_matching, lesson_steps_with_incidents, list_lessons, read_lesson, save_lesson,
)
from mapview.lesson import build_pick_map, lesson_html, report_words, step_facts, step_heading
from mapview.text import clip_text, clip_text_columns, escape_markdown
from mapview.timeline import build_story_map

PICK_COLUMNS = ["event_date", "location", "admin2", "admin3", "event_type", "sub_event_type", "fatalities", "incident_id"]
PICK_TABLE_ROWS = 1_000
STEP_TEXT_CHARS = 5_000
STEP_IDS = "lesson_step_ids"  # the incidents chosen so far, in the lesson's order
EDITING = "lesson_editing"  # (lesson_id, row_version) of the saved lesson being edited, or None
OUTCOME = "lesson_outcome"  # what the last save or delete did, shown once
CARD = "lesson_card"  # (lesson_id, card number) being shown
_ID_IN_TOOLTIP = re.compile(r"(KIM-[0-9a-f]{12})\s*$")

boundaries, url = map_page_store()
engine = get_engine(url)
incidents = load_incidents(url)


def heading_text(text: str) -> str:
    """A teacher's text for a Streamlit heading: one line, escaped."""
    return escape_markdown(" ".join(text.split()))


# --- Making a lesson ----------------------------------------------------------------------


def add_steps(incident_ids: list[str]) -> None:
    """Append incidents to the lesson being made (each once, at most MAX_STEPS)."""
    steps = st.session_state.setdefault(STEP_IDS, [])
    for incident_id in incident_ids:
        if incident_id not in steps and len(steps) < MAX_STEPS:
            steps.append(incident_id)


def move_step(index: int, delta: int) -> None:
    """Move a step up (-1) or down (+1), or remove it (delta 0)."""
    steps = st.session_state[STEP_IDS]
    if delta == 0:
        steps.pop(index)
    elif 0 <= index + delta < len(steps):
        steps[index], steps[index + delta] = steps[index + delta], steps[index]


def drafted_lesson() -> Lesson:
    """The lesson the form holds now."""
    lesson_id, version = st.session_state.get(EDITING) or (None, None)
    steps = tuple(LessonStep(i, st.session_state.get(f"lesson_caption_{i}", "")) for i in st.session_state.get(STEP_IDS, []))
    return Lesson(
        title=st.session_state.get("lesson_title", ""), question=st.session_state.get("lesson_question", ""),
        closing=st.session_state.get("lesson_closing", ""), steps=steps, lesson_id=lesson_id, row_version=version,
    )


def clear_form() -> None:
    for key in [k for k in st.session_state if str(k).startswith(("lesson_caption_", "lesson_title", "lesson_question", "lesson_closing"))]:
        del st.session_state[key]
    st.session_state[STEP_IDS] = []
    st.session_state[EDITING] = None


def save_draft() -> None:
    """The Save button: store the lesson, then open it (its link in the address bar)."""
    try:
        with as_session_user(engine):
            saved = save_lesson(engine, drafted_lesson())
    except ExpectedFailure as failure:
        st.session_state[OUTCOME] = ("error", failure)
        return
    clear_form()
    st.session_state[OUTCOME] = ("success", f"Saved the lesson with {len(saved.steps)} step(s). Its link ends in ?lesson={saved.lesson_id}.")
    st.query_params["lesson"] = saved.lesson_id


def edit_lesson(lesson: Lesson) -> None:
    """Load a saved lesson into the form (saving then replaces it, if nobody changed it meanwhile)."""
    clear_form()
    st.session_state.update(lesson_title=lesson.title, lesson_question=lesson.question, lesson_closing=lesson.closing)
    st.session_state[STEP_IDS] = [s.incident_id for s in lesson.steps]
    for step in lesson.steps:
        st.session_state[f"lesson_caption_{step.incident_id}"] = step.caption
    st.session_state[EDITING] = (lesson.lesson_id, lesson.row_version)
    st.query_params.pop("lesson", None)


def remove_lesson(lesson_id: str, version: int) -> None:
    try:
        with as_session_user(engine):
            delete_lesson(engine, lesson_id, version)
    except ExpectedFailure as failure:
        st.session_state[OUTCOME] = ("error", failure)
        return
    st.session_state[OUTCOME] = ("success", "Deleted the lesson (its incidents stay in the store).")


def pick_from_map(chosen: tuple[str, ...], shown: pd.DataFrame) -> None:
    """The picking map: a click on an incident adds it (each click once, not on every rerun)."""
    clicked = st_folium(build_pick_map(shown, boundaries, chosen), height=420, use_container_width=True,
                        returned_objects=["last_object_clicked", "last_object_clicked_tooltip"], key="lesson_pick_map")
    tooltip = (clicked or {}).get("last_object_clicked_tooltip") or ""
    point = (clicked or {}).get("last_object_clicked") or {}
    click = (tooltip, point.get("lat"), point.get("lng"))
    if not (tooltip or point) or st.session_state.get("lesson_last_click") == click:
        return
    st.session_state["lesson_last_click"] = click
    match = _ID_IN_TOOLTIP.search(tooltip)
    incident_id = match.group(1) if match else (incident_at(shown, point["lat"], point["lng"]) if point.get("lat") is not None else None)
    if incident_id:
        add_steps([incident_id])
        st.rerun()


def lesson_form() -> None:
    editing = st.session_state.get(EDITING)
    if editing:
        st.info(f"Editing the saved lesson {editing[0]}: saving replaces it.")
        st.button("Start a new lesson instead", key="lesson_new", on_click=clear_form)
    st.text_input("Title", key="lesson_title", max_chars=MAX_TITLE_CHARS)
    st.text_area("Opening question for the class", key="lesson_question", max_chars=MAX_CARD_CHARS, height=80)
    st.subheader("Pick incidents")
    search = st.text_input("Search (place, district, date, type, actor, notes)", key="lesson_search")
    matching = incidents_matching(incidents, search)
    shown = matching[PICK_COLUMNS].head(PICK_TABLE_ROWS).reset_index(drop=True)
    st.caption(f"{len(matching):,} incident(s) match" + (f"; the first {PICK_TABLE_ROWS:,} are listed." if len(matching) > PICK_TABLE_ROWS else "."))
    event = st.dataframe(clip_text_columns(shown), on_select="rerun", selection_mode="multi-row", key="lesson_pick",
                         hide_index=True, width="stretch")
    selected = shown.iloc[list(event.selection.rows)]["incident_id"].tolist() if event and event.selection.rows else []
    st.button(f"Add the {len(selected)} selected incident(s) as steps", key="lesson_add", disabled=not selected,
              on_click=add_steps, args=(selected,))
    chosen = tuple(st.session_state.setdefault(STEP_IDS, []))
    with st.expander("…or click incidents on a map"):
        pick_from_map(chosen, matching)
    st.subheader(f"Steps ({len(chosen)} of at most {MAX_STEPS})")
    by_id = incidents.drop_duplicates("incident_id").set_index("incident_id")
    for index, incident_id in enumerate(chosen):
        row = by_id.loc[incident_id] if incident_id in by_id.index else None
        heading = step_heading(pd.Series({"in_store": row is not None, "incident_id": incident_id, **({} if row is None else row.to_dict())}))
        st.markdown(f"**{index + 1}.** {escape_markdown(heading)}")
        columns = st.columns([3, 3, 1])
        columns[0].text_area("Your caption", key=f"lesson_caption_{incident_id}", max_chars=MAX_CAPTION_CHARS, height=90)
        words = report_words(row) if row is not None else GONE
        columns[1].text(clip_text(words, 600) or "(the report gives no words for this incident)")
        columns[2].button("↑", key=f"lesson_up_{incident_id}", on_click=move_step, args=(index, -1), disabled=index == 0)
        columns[2].button("↓", key=f"lesson_down_{incident_id}", on_click=move_step, args=(index, 1), disabled=index == len(chosen) - 1)
        columns[2].button("✕", key=f"lesson_remove_{incident_id}", on_click=move_step, args=(index, 0), help="Remove this step")
    st.text_area("Closing card", key="lesson_closing", max_chars=MAX_CARD_CHARS, height=80)
    st.button("Save the lesson", key="lesson_save", type="primary", on_click=save_draft)


# --- Showing a lesson ---------------------------------------------------------------------


def move_card(lesson_id: str, delta: int, cards: int) -> None:
    _, card = st.session_state.get(CARD, (lesson_id, 0))
    st.session_state[CARD] = (lesson_id, max(0, min(card + delta, cards - 1)))


def show_lesson(lesson: Lesson) -> None:
    steps = lesson_steps_with_incidents(lesson, incidents)
    story = steps[steps["in_store"]].reset_index()  # "index": the step's position in the lesson
    cards = len(steps) + 2
    shown_for, card = st.session_state.get(CARD, (lesson.lesson_id, 0))
    card = min(card, cards - 1) if shown_for == lesson.lesson_id else 0
    st.session_state[CARD] = (lesson.lesson_id, card)
    buttons = st.columns([1, 1, 4])
    buttons[0].button("◀ Previous", key="lesson_previous", disabled=card == 0, on_click=move_card, args=(lesson.lesson_id, -1, cards))
    buttons[1].button("Next ▶", key="lesson_next", disabled=card == cards - 1, on_click=move_card, args=(lesson.lesson_id, 1, cards))
    if card == 0:
        st.header(heading_text(lesson.title))
        if lesson.question.strip():
            st.subheader(heading_text(lesson.question))
        st.caption(f"{len(steps)} step(s). Press Next to begin.")
    elif card == cards - 1:
        st.header(heading_text(lesson.title))
        if lesson.closing.strip():
            st.subheader(heading_text(lesson.closing))
    else:
        step = steps.iloc[card - 1]
        st.subheader(f"{card} of {len(steps)}: {escape_markdown(step_heading(step))}")
        columns = st.columns(2)
        columns[0].markdown("**The teacher**")
        columns[0].text(step["caption"] or "(no caption)")
        columns[1].markdown("**The report**")
        if step["in_store"]:
            columns[1].text(clip_text(report_words(step), STEP_TEXT_CHARS) or "(the report gives no words for this incident)")
            st.text(step_facts(step))
            position = int(story.index[story["index"] == card - 1][0])
            st_folium(build_story_map(story.drop(columns="index"), boundaries, position), height=480,
                      use_container_width=True, returned_objects=[], key=f"lesson_map_{card}")
        else:
            columns[1].warning(GONE)
    st.divider()
    st.download_button("Download this lesson as one HTML file (opens offline)", key="lesson_download",
                       data=lambda: lesson_html(lesson, steps, boundaries), file_name=f"lesson-{lesson.lesson_id}.html",
                       mime="text/html", on_click="ignore")
    st.caption(f"Share it: this page's address ends in ?lesson={lesson.lesson_id}. Saved by {lesson.created_by}, {lesson.updated_at}.")
    actions = st.columns(3)
    actions[0].button("All lessons", key="lesson_all", on_click=lambda: st.query_params.pop("lesson", None))
    if may_write(engine):
        actions[1].button("Edit this lesson", key="lesson_edit", on_click=edit_lesson, args=(lesson,))
        actions[2].button("Delete this lesson", key="lesson_delete", on_click=remove_lesson, args=(lesson.lesson_id, lesson.row_version))


def saved_lessons() -> None:
    saved = list_lessons(engine)
    if saved.empty:
        st.info("No lesson saved yet." + (" Make one in the next tab." if may_write(engine) else ""))
        return
    st.dataframe(clip_text_columns(saved), hide_index=True, width="stretch")
    titles = dict(zip(saved["lesson_id"], saved["title"]))
    chosen = st.selectbox("Lesson", list(titles), format_func=lambda i: clip_text(titles[i], 100), key="lesson_choice")
    st.button("Open", key="lesson_open", on_click=lambda: st.query_params.update(lesson=chosen))


st.title("Lessons")
outcome = st.session_state.pop(OUTCOME, None)
if outcome:
    kind, message = outcome
    if kind == "error":
        show_failure(message)
    else:
        st.success(escape_markdown(message))
opened = st.query_params.get("lesson")
if opened:
    with failures_stop_the_page():
        lesson = read_lesson(engine, opened)
    show_lesson(lesson)
elif may_write(engine):
    saved_tab, make_tab = st.tabs([":material/list: Saved lessons", ":material/edit: Make a lesson"])
    with saved_tab:
        saved_lessons()
    with make_tab:
        lesson_form()
else:
    saved_lessons()
