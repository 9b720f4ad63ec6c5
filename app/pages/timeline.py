"""The educator's page: play incidents over time on the map, or step through them as a story."""
from __future__ import annotations

from typing import Mapping

import streamlit as st
from streamlit_folium import st_folium

from app.classroom_downloads import video_downloads
from app.selection import (
    MAP_PAGE, TIMELINE_PAGE, keep_in_url, link_to_page, restore_from_url, selection_caption, selection_widgets, show_url_notes,
    store_selection,
)
from app.state import load_filtered, map_page_store
from incidents.schema import GEO_PRECISION, TIME_PRECISION
from mapview.export import standalone_html
from mapview.layers import placements
from mapview.text import clip_text, escape_markdown
from mapview.timeline import (
    MAX_TIMELINE_INCIDENTS, build_story_map, build_timeline_map, latest_incidents, played_incidents, story_order,
)
from mapview.timeline_pace import PLAY_SECONDS_LIMITS, STEPS, TimelinePace, frame_ms, parse_pace, resolved_step, timeline_steps

# The story shows this much of a report's words; the exports have them whole.
STORY_TEXT_CHARS = 5_000


def move_story(delta: int, steps: int) -> None:
    """One step back or on in the story, within its ``steps``."""
    st.session_state["story_step"] = max(0, min(st.session_state.get("story_step", 0) + delta, steps - 1))


def pace_from_url(params: Mapping[str, str]) -> tuple[dict[str, object], list[str]]:
    """The pace widgets' values a link gives (``step``, ``play_seconds``)."""
    pace, notes = parse_pace(params)
    return {"timeline_step": pace.step, "timeline_play_seconds": pace.play_seconds or 0}, notes


boundaries, url = map_page_store()
selection = store_selection(boundaries, url)
restore_from_url(TIMELINE_PAGE, selection, pace_from_url)
incident_filter = selection_widgets(selection)

# The database filters (IncidentFilter.where): the page reads only the selection, never every incident.
shown = load_filtered(url, incident_filter)
incidents = latest_incidents(shown)
story = story_order(incidents)
placed = placements(story, boundaries)

st.title("Timeline")
show_url_notes()
st.caption(selection_caption(incident_filter, selection) + ".")
link_to_page(MAP_PAGE, "Open this selection on the Map", ":material/map:", incident_filter, selection)
undated = int(shown["event_date"].isna().sum())
if undated:
    st.info(
        f"{undated} incident(s) have no date yet and are not in the timeline or the story; "
        "the Review queue lists those awaiting review, and the Map page shows them all."
    )
unplaced = int(placed.isna().sum())
if unplaced:
    st.info(f"{unplaced} dated incident(s) have no place yet: the story steps through them, but no map can show them.")
dated = int(shown["event_date"].notna().sum())
if dated > len(incidents):
    st.warning(
        f"This selection holds {dated:,} dated incidents; the timeline and the story play the {MAX_TIMELINE_INCIDENTS:,} most recent, "
        f"from {incidents['event_date'].min()} to {incidents['event_date'].max()}, so that the page stays quick. "
        "Narrow the dates, districts or types in the sidebar to play them all."
    )
play_tab, story_tab = st.tabs([":material/play_arrow: Play over time", ":material/auto_stories: Story"])

with play_tab:
    controls = st.columns(5)
    mode = controls[0].radio("Show", ["cumulative", "window"], horizontal=True, key="timeline_mode",
                             help="cumulative: every incident stays once it has happened; window: only the most recent ones")
    window_days = controls[1].slider("Window (days)", 7, 365, 30, key="timeline_window", disabled=mode != "window")
    step = controls[2].radio("Step", list(STEPS), format_func=STEPS.get, horizontal=True, key="timeline_step",
                             help="One step per day, week or month that holds incidents (empty ones are skipped)")
    play_seconds = controls[3].number_input(
        "Play the whole selection in (seconds)", min_value=0, max_value=PLAY_SECONDS_LIMITS[1], step=10, key="timeline_play_seconds",
        help="0: the speed chooser sets the pace (0.6 s a step at 1×)",
    )
    speed = controls[4].select_slider("Speed", options=[0.25, 0.5, 1.0, 2.0, 4.0], value=1.0, key="timeline_speed",
                                      format_func=lambda s: f"{s:g}×", disabled=bool(play_seconds))
    pace = TimelinePace(step=step, play_seconds=int(play_seconds) or None, speed=speed)
    keep_in_url(incident_filter, selection, pace.to_query_params())
    played = played_incidents(incidents, boundaries)
    if len(played):
        step_length = resolved_step(step, played["event_date"])
        steps = timeline_steps(played, step_length)
        per_step_ms, pace_note = frame_ms(len(steps), pace)
        st.caption(
            f"{len(played):,} incident(s) in {len(steps):,} step(s) of a {step_length}, "
            f"{per_step_ms / 1000:g} s a step (about {len(steps) * per_step_ms / 1000:,.0f} s in all). "
            "Press ▶ on the map; drag the slider to jump; the fps control changes the pace too."
        )
        if pace_note:
            st.info(pace_note)
        timeline = build_timeline_map(incidents, boundaries, mode=mode, window_days=window_days, pace=pace)
        st_folium(timeline, height=560, use_container_width=True, returned_objects=[], key="timeline_map")
        st.download_button(
            "Download this timeline as a standalone HTML file (opens offline)",
            data=lambda: standalone_html(build_timeline_map(incidents, boundaries, mode=mode, window_days=window_days, pace=pace)),
            file_name="kirkuk-incident-timeline.html", mime="text/html", on_click="ignore",
        )
        video_downloads(lambda: build_timeline_map(incidents, boundaries, mode=mode, window_days=window_days, pace=pace), incidents, len(steps),
                        selection=(mode, window_days, pace), caption=incident_filter.caption(selection.unit_names))
    else:
        st.info("No incident of this selection has both a date and a place yet: there is nothing to play.")

with story_tab:
    if story.empty:
        st.info("No dated incident yet.")
    else:
        # The buttons move the step in their callbacks, before this run draws them, so that
        # each is enabled or greyed for the step shown (set in the run, they lagged a step).
        step = min(st.session_state.get("story_step", 0), len(story) - 1)
        st.session_state["story_step"] = step
        buttons = st.columns([1, 1, 4])
        buttons[0].button("◀ Previous", disabled=step == 0, key="story_previous", on_click=move_story, args=(-1, len(story)))
        buttons[1].button("Next ▶", disabled=step >= len(story) - 1, key="story_next", on_click=move_story, args=(1, len(story)))
        current = story.iloc[step]
        # The date is ISO (the store normalises it); the place is data: escaped, never markdown.
        st.subheader(f"{step + 1} of {len(story)}: {current['event_date']} · {escape_markdown(current['location'])}")
        if placed.iloc[step] is None:
            st.caption("This incident has no place yet, so the map shows the governorate; the Review queue is where it gets one.")
        st.text(
            f"{current['event_type']} / {current['sub_event_type']} · "
            f"date known to the {TIME_PRECISION.get(current['time_precision'], '?')} · "  # a missing code shows "?"
            f"place: {GEO_PRECISION.get(current['geo_precision'], '?')}"
        )
        words = current["source_sentences"] if isinstance(current["source_sentences"], str) else current["notes"]
        if isinstance(words, str) and words:
            st.text(clip_text(words, STORY_TEXT_CHARS))  # plain text, never HTML or markdown
        st_folium(build_story_map(story, boundaries, step), height=520, use_container_width=True, returned_objects=[], key=f"story_map_{step}")
