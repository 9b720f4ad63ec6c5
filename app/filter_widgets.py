"""The filter's widgets, one per declared field (incidents.filters.FIELDS), chosen by its kind.

Streamlit only. The page passes, by field name, what only it knows: the date window of the
store (``"date_range"``) and, for each choice without a vocabulary, what it offers
(``Offered``: the districts by name, the store's event types, actors and sources).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, NamedTuple, Sequence

import streamlit as st

from incidents.date_limits import DateWindow
from incidents.filters import FIELDS, AtLeast, Choice, DateRange, FilterField, Flag, IncidentFilter, OneOf


@dataclass(frozen=True)
class Offered:
    """What a choice widget offers: its options, or a function of the values chosen in the
    field it refines (all of them when none is chosen), and how to show each option."""

    options: Sequence[object] | Callable[[tuple[object, ...]], Sequence[object]]
    label: Callable[[object], str] | None = None

    def given(self, broader: tuple[object, ...] = ()) -> list[object]:
        """The options, given the values chosen in the broader field."""
        return list(self.options(broader) if callable(self.options) else self.options)


PageData = Mapping[str, "DateWindow | Offered"]


def offered(item: Choice, page_data: PageData) -> Offered:
    """What a choice offers: its vocabulary, or what the page passed for it."""
    if item.vocabulary is not None:
        return Offered(list(item.vocabulary), item.option_label)
    return page_data[item.name]  # type: ignore[return-value]


def allowed_values(page_data: PageData) -> dict[str, set[object]]:
    """{field name: every value its widget can offer}, for IncidentFilter.within."""
    return {item.name: set(offered(item, page_data).given()) for item in FIELDS if isinstance(item, Choice) and item.name in page_data}


def _date_range(item: DateRange, page_data: PageData, chosen: Mapping[str, object]) -> dict[str, object]:
    window: DateWindow = page_data[item.name]  # type: ignore[assignment]
    # Kept inside the window on every run: the store may have changed since the range was chosen.
    st.session_state[item.widget] = tuple(window.clamp(day) for day in st.session_state.get(item.widget) or (window.first, window.last))
    days = st.date_input(item.label, key=item.widget, min_value=window.first, max_value=window.last)
    first, last = window.filter_bounds(days[0] if len(days) > 0 else None, days[1] if len(days) > 1 else None)
    return {item.start: first, item.end: last}


def _date_range_state(item: DateRange, incident_filter: IncidentFilter, page_data: PageData) -> object:
    window: DateWindow = page_data[item.name]  # type: ignore[assignment]
    return (getattr(incident_filter, item.start) or window.first, getattr(incident_filter, item.end) or window.last)


def _choice(item: Choice, page_data: PageData, chosen: Mapping[str, object]) -> dict[str, object]:
    choices = offered(item, page_data)
    options = choices.given(tuple(chosen.get(item.refines, ())) if item.refines else ())  # type: ignore[arg-type]
    # A value its broader field no longer offers (that choice changed) is dropped before the widget is drawn.
    st.session_state[item.widget] = [value for value in st.session_state.get(item.widget, []) if value in options]
    values = st.multiselect(item.label, options=options, format_func=choices.label or str, key=item.widget)
    return {item.name: tuple(values)}


def _at_least(item: AtLeast, page_data: PageData, chosen: Mapping[str, object]) -> dict[str, object]:
    return {item.name: int(st.number_input(item.label, min_value=0, max_value=item.maximum, step=1, key=item.widget))}


def _flag(item: Flag, page_data: PageData, chosen: Mapping[str, object]) -> dict[str, object]:
    return {item.name: bool(st.checkbox(item.label, key=item.widget))}


def _one_of(item: OneOf, page_data: PageData, chosen: Mapping[str, object]) -> dict[str, object]:
    if st.session_state.get(item.widget) not in item.options:
        st.session_state[item.widget] = item.default
    return {item.name: str(st.radio(item.label, options=list(item.options), format_func=item.option_label, key=item.widget))}


def _value_state(item: FilterField, incident_filter: IncidentFilter, page_data: PageData) -> object:
    value = item.value(incident_filter)
    return list(value) if isinstance(value, tuple) else value


class Widget(NamedTuple):
    """How a kind of field is drawn, and the widget's state that shows a filter's value."""

    draw: Callable[[FilterField, PageData, Mapping[str, object]], dict[str, object]]
    state: Callable[[FilterField, IncidentFilter, PageData], object]


WIDGETS: dict[str, Widget] = {
    DateRange.kind: Widget(_date_range, _date_range_state),  # type: ignore[arg-type]
    Choice.kind: Widget(_choice, _value_state),  # type: ignore[arg-type]
    AtLeast.kind: Widget(_at_least, _value_state),  # type: ignore[arg-type]
    Flag.kind: Widget(_flag, _value_state),  # type: ignore[arg-type]
    OneOf.kind: Widget(_one_of, _value_state),  # type: ignore[arg-type]
}


def filter_widgets(page_data: PageData) -> IncidentFilter:
    """Draw a widget per filter field, in FIELDS order, and return the filter they describe."""
    values: dict[str, object] = {}
    for item in FIELDS:
        values |= WIDGETS[item.kind].draw(item, page_data, values)
    return IncidentFilter(**values)  # type: ignore[arg-type]


def show_in_widgets(incident_filter: IncidentFilter, page_data: PageData) -> None:
    """Set every filter widget to show ``incident_filter`` (before the widgets are drawn)."""
    for item in FIELDS:
        st.session_state[item.widget] = WIDGETS[item.kind].state(item, incident_filter, page_data)


def untouched_filter(page_data: PageData) -> IncidentFilter:
    """The filter of widgets left as they start: every field open, the dates spanning the window."""
    dates: dict[str, object] = {}
    for item in FIELDS:
        if isinstance(item, DateRange):
            window: DateWindow = page_data[item.name]  # type: ignore[assignment]
            dates |= dict(zip((item.start, item.end), window.filter_bounds(window.first, window.last)))
    return IncidentFilter(**dates)  # type: ignore[arg-type]
