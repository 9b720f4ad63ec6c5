"""The selection the Map and the Timeline share: one IncidentFilter, drawn by the same sidebar
widgets (``app.filter_widgets``, one per ``incidents.filters.FIELDS`` entry), kept under the
same URL keys, and carried from one page to the other by a link.

Streamlit only. A field added to FIELDS appears on both pages, in their URLs and links, with
no change here or in the pages.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from app.filter_widgets import Offered, PageData, allowed_values, filter_widgets, show_in_widgets, untouched_filter
from app.state import load_filter_choices
from geo.boundaries import Boundaries
from incidents.date_limits import DateWindow
from incidents.filters import IncidentFilter, parse_query_params, sub_event_types_of
from mapview.text import escape_markdown

URL_NOTES_KEY = "_url_notes"
# The page whose widgets were last set from the URL: entering a page (first run, a link from the
# other page) sets its widgets from the URL; its own reruns keep what the user chose.
RESTORED_PAGE_KEY = "_restored_from_url_for"
MAP_PAGE = "app/pages/map.py"
TIMELINE_PAGE = "app/pages/timeline.py"

# What a page reads from the URL beside the filter: {widget key: value} and notes.
ExtraParser = Callable[[Mapping[str, str]], tuple[dict[str, object], list[str]]]


@dataclass(frozen=True)
class Selection:
    """What the filter widgets offer on a page of this store (``page_data``) and the names of
    Kirkuk's districts and sub-districts by pcode (for the caption)."""

    page_data: PageData
    unit_names: dict[str, str]


def store_selection(boundaries: Boundaries, url: str) -> Selection:
    """The widgets' offer for the store at ``url``: the date widget spans the data (within
    1900-01-01 .. a year ahead: a stored date beyond that would make Streamlit refuse it),
    the districts and sub-districts by name, the store's event types, actors and sources."""
    districts, sub_districts = boundaries.kirkuk(2), boundaries.kirkuk(3)
    unit_names = dict(zip(districts["pcode"], districts["name"])) | dict(zip(sub_districts["pcode"], sub_districts["name"]))
    choices = load_filter_choices(url)

    def sub_districts_of(chosen_districts: tuple[str, ...]) -> list[str]:
        """The sub-districts of the chosen districts (all of them when none is chosen)."""
        rows = sub_districts[sub_districts["adm2_pcode"].isin(chosen_districts)] if chosen_districts else sub_districts
        return list(rows["pcode"])

    page_data = {
        "date_range": DateWindow.of(choices.first_date, choices.last_date),
        "adm2_pcodes": Offered(list(districts["pcode"]), unit_names.get),
        "adm3_pcodes": Offered(sub_districts_of, unit_names.get),
        "event_types": Offered(choices.event_types),
        "sub_event_types": Offered(sub_event_types_of),
        "actors": Offered(choices.actors),
        "sources": Offered(choices.sources),
    }
    return Selection(page_data, unit_names)


def restore_from_url(page: str, selection: Selection, parse_extra: ExtraParser | None = None) -> None:
    """On entering ``page``, set its widgets from the URL (the filter's, and the page's own
    through ``parse_extra``) so that a link reproduces a view; notes say what it ignored."""
    if st.session_state.get(RESTORED_PAGE_KEY) == page:
        return
    st.session_state[RESTORED_PAGE_KEY] = page
    params = st.query_params.to_dict()
    url_filter, notes = parse_query_params(params)
    url_filter, unknown = url_filter.within(selection.page_data["date_range"], allowed_values(selection.page_data))  # type: ignore[arg-type]
    extra, extra_notes = parse_extra(params) if parse_extra else ({}, [])
    show_in_widgets(url_filter, selection.page_data)
    st.session_state.update(extra)
    st.session_state[URL_NOTES_KEY] = notes + extra_notes + unknown


def selection_widgets(selection: Selection) -> IncidentFilter:
    """The filter's widgets, under a "Filters" header in the sidebar; the filter they describe."""
    with st.sidebar:
        st.header("Filters")
        return filter_widgets(selection.page_data)


def filter_params(incident_filter: IncidentFilter, selection: Selection) -> dict[str, str]:
    """The filter's URL parameters: only what differs from the untouched widgets (the default view needs none)."""
    return incident_filter.to_query_params(untouched_filter(selection.page_data))


def keep_in_url(incident_filter: IncidentFilter, selection: Selection, page_params: Mapping[str, str]) -> None:
    """Write the filter and the page's own parameters into the address bar, so a link keeps the view."""
    st.query_params.from_dict(filter_params(incident_filter, selection) | dict(page_params))


def show_url_notes() -> None:
    """What the link that opened the page got wrong, shown once, on the run that read it."""
    notes = st.session_state.pop(URL_NOTES_KEY, [])
    if notes:
        st.warning("Parts of this link were ignored or changed:\n" + "\n".join(f"- {escape_markdown(note)}" for note in notes))


def selection_caption(incident_filter: IncidentFilter, selection: Selection) -> str:
    """The filter in plain English as markdown that shows it verbatim (it names actors and sources from the data)."""
    return escape_markdown(incident_filter.caption(selection.unit_names))


def link_to_page(page: str, label: str, icon: str, incident_filter: IncidentFilter, selection: Selection) -> None:
    """A link that opens ``page`` on the same selection (its URL carries the filter)."""
    try:
        st.page_link(page, label=label, icon=icon, query_params=filter_params(incident_filter, selection))
    except StreamlitPageNotFoundError:  # the page runs on its own (a test of one page): no app to link within
        pass
