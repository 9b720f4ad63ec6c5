"""A link never takes the Map page down: out-of-range, malformed or unknown URL parameters are
ignored or clamped with a visible note, and dates from 1900 to a year ahead work everywhere."""
from __future__ import annotations

from datetime import date

import pytest

from incidents.date_limits import EARLIEST_DATE, DateWindow, latest_date
from incidents.filters import MAX_MIN_FATALITIES, IncidentFilter, parse_query_params
from mapview.text import escape_markdown
from tests.incident_rows import incident, run_page, store_with

TODAY = date(2026, 1, 1)


@pytest.mark.parametrize(
    ("params", "expected", "note"),
    [
        ({}, IncidentFilter(), None),
        ({"date_from": "2024-07-01"}, IncidentFilter(date_from=date(2024, 7, 1)), None),
        ({"date_from": "1999-12-31"}, IncidentFilter(date_from=date(1999, 12, 31)), None),  # before the data: the page clamps it
        ({"date_from": "abc"}, IncidentFilter(), "is not a date"),
        ({"date_from": ""}, IncidentFilter(), "is not a date"),
        ({"date_to": "2024-02-30"}, IncidentFilter(), "is not a date"),
        ({"date_to": "9999-12-31"}, IncidentFilter(date_to=latest_date(TODAY)), "after the last date"),
        ({"date_from": "0001-01-01"}, IncidentFilter(date_from=EARLIEST_DATE), "before the first date"),
        ({"date_from": "2024-10-01", "date_to": "2024-07-01"}, IncidentFilter(), "is after date_to"),
        ({"min_fatalities": "3"}, IncidentFilter(min_fatalities=3), None),
        ({"min_fatalities": "lots"}, IncidentFilter(), "is not a whole number"),
        ({"min_fatalities": "2.5"}, IncidentFilter(), "is not a whole number"),
        ({"min_fatalities": "-5"}, IncidentFilter(), "below 0"),
        ({"min_fatalities": "1" * 30}, IncidentFilter(min_fatalities=MAX_MIN_FATALITIES), "is above"),
        ({"geo_precisions": "1,9,x"}, IncidentFilter(geo_precisions=(1,)), "not one of 1, 2, 3"),
        ({"review_states": "approved,bogus"}, IncidentFilter(review_states=("approved",)), "not one of"),
        ({"include_undated": "0"}, IncidentFilter(include_undated=False), None),
        ({"include_undated": "maybe"}, IncidentFilter(), "is not 1 or 0"),
        ({"adm2_pcodes": "IQG13Q02,,IQG13Q02"}, IncidentFilter(adm2_pcodes=("IQG13Q02",)), None),
        ({"unknown": "x"}, IncidentFilter(), None),
        ({"scope": "neighbours"}, IncidentFilter(scope="neighbours"), None),
        ({"scope": " all "}, IncidentFilter(scope="all"), None),
        ({"scope": "kirkuk"}, IncidentFilter(), None),
        ({"scope": "iraq"}, IncidentFilter(), "is not one of kirkuk, neighbours, all; kirkuk is used"),
        ({"scope": "Neighbours"}, IncidentFilter(), "is not one of"),
        ({"scope": ""}, IncidentFilter(), "is not one of"),
    ],
)
def test_url_parameters_give_a_filter_and_say_what_they_ignored(params, expected, note):
    parsed, notes = parse_query_params(params, today=TODAY)
    assert parsed == expected
    if note is None:
        assert notes == []
    else:
        assert len(notes) == 1 and note in notes[0], notes


def test_a_long_hostile_value_is_shortened_in_its_note():
    notes = parse_query_params({"date_from": "x" * 10_000})[1]
    assert len(notes[0]) < 200


WINDOW = DateWindow.of(date(2024, 7, 14), date(2024, 10, 17))


@pytest.mark.parametrize(
    ("incident_filter", "kept", "note"),
    [
        (IncidentFilter(date_from=date(2024, 8, 1)), IncidentFilter(date_from=date(2024, 8, 1)), None),
        (IncidentFilter(date_from=date(1999, 12, 31)), IncidentFilter(date_from=date(2024, 7, 14)), "starts at 2024-07-14"),
        (IncidentFilter(date_to=date(2025, 1, 1)), IncidentFilter(date_to=date(2024, 10, 17)), "ends at 2024-10-17"),
        (IncidentFilter(adm2_pcodes=("IQG13Q02", "XYZ")), IncidentFilter(adm2_pcodes=("IQG13Q02",)), "'XYZ' is not among"),
        (IncidentFilter(sources=("zz",)), IncidentFilter(), "'zz' is not among"),
    ],
)
def test_a_filter_is_kept_within_what_the_widgets_offer(incident_filter, kept, note):
    within, notes = incident_filter.within(WINDOW, {"adm2_pcodes": {"IQG13Q02"}, "sources": {"964media"}})
    assert within == kept
    assert (notes == []) if note is None else (note in notes[0])


@pytest.mark.parametrize(
    ("data", "window"),
    [
        ((None, None), (TODAY, TODAY)),
        ((date(1995, 6, 1), date(2024, 10, 17)), (date(1995, 6, 1), date(2024, 10, 17))),
        ((date(1850, 1, 1), date(9999, 12, 31)), (EARLIEST_DATE, latest_date(TODAY))),
        ((date(2030, 1, 1), date(2030, 1, 1)), (latest_date(TODAY), latest_date(TODAY))),
    ],
)
def test_the_date_window_spans_the_data_within_1900_and_a_year_ahead(data, window):
    got = DateWindow.of(*data, today=TODAY)
    assert (got.first, got.last) == window


def test_a_full_range_stays_open_where_stored_dates_reach_beyond_the_window():
    window = DateWindow.of(date(1850, 1, 1), date(9999, 12, 31), today=TODAY)
    assert window.filter_bounds(window.first, window.last) == (None, None)
    assert window.filter_bounds(date(2000, 1, 1), date(2001, 1, 1)) == (date(2000, 1, 1), date(2001, 1, 1))


HOSTILE_LINKS = [
    {"date_from": "1999-12-31"},
    {"date_to": "9999-12-31"},
    {"date_from": "abc"},
    {"date_from": "0001-01-01", "date_to": "0001-01-02"},
    {"date_from": "2024-10-01", "date_to": "2024-07-01"},
    {"adm2_pcodes": "XYZ,IQG13Q04", "adm3_pcodes": "<b>x</b>"},
    {"event_types": "Nope", "sub_event_types": "Nope", "actors": "Nobody", "sources": "[x](http://evil.example)"},
    {"min_fatalities": "lots"},
    {"min_fatalities": "-5"},
    {"min_fatalities": "1" * 30},
    {"geo_precisions": "9,x", "review_states": "bogus", "include_undated": "maybe"},
    {"level": "7", "metric": "x", "scheme": "y", "layers": "z"},
    {"scope": "<script>alert(1)</script>"},
]


@pytest.mark.parametrize("params", HOSTILE_LINKS)
def test_a_hostile_link_shows_the_map_with_a_note(db_url, params):
    at = run_page("map", params)
    assert not at.exception, at.exception
    assert at.warning[0].value.startswith("Parts of this link were ignored or changed")
    chosen = at.date_input(key="date_range").value
    assert date(2024, 7, 14) <= chosen[0] <= chosen[-1] <= date(2024, 10, 17)  # the seed incidents' span
    assert len(at.dataframe[0].value) <= 3


def test_a_value_from_the_link_is_shown_as_text_not_markdown(db_url):
    at = run_page("map", {"sources": "[x](http://evil.example)"})
    assert escape_markdown("'[x](http://evil.example)'") in at.warning[0].value


def test_a_link_that_reverses_the_range_shows_every_date(db_url):
    at = run_page("map", {"date_from": "2024-10-01", "date_to": "2024-07-01"})
    assert at.date_input(key="date_range").value == (date(2024, 7, 14), date(2024, 10, 17))
    assert len(at.dataframe[0].value) == 3


@pytest.mark.parametrize("first", ["1900-01-01", "1989-01-01", "1995-06-01"])
def test_incidents_from_1900_on_work_on_the_map_and_timeline(db_url, first):
    store_with(db_url, [incident(1, event_date=first), incident(2, event_date="2024-10-17")])
    at = run_page("map")
    assert not at.exception, at.exception
    assert at.date_input(key="date_range").value == (date.fromisoformat(first), date(2024, 10, 17))
    assert len(at.dataframe[0].value) == 2
    at = run_page("timeline")
    assert not at.exception, at.exception
    assert at.subheader[0].value.startswith(f"1 of 2: {first}")


def test_a_stored_date_beyond_a_year_ahead_stays_in_the_default_view(db_url):
    store_with(db_url, [incident(1, event_date="2024-07-14"), incident(2, event_date="2099-01-01")])
    at = run_page("map")
    assert not at.exception, at.exception
    assert at.date_input(key="date_range").value[1] == latest_date()
    assert len(at.dataframe[0].value) == 2


@pytest.mark.parametrize(("scope", "params"), [("kirkuk", {}), ("neighbours", {"scope": "neighbours"}), ("all", {"scope": "all"})])
def test_the_default_scope_needs_no_parameter_and_a_wider_one_round_trips(scope, params):
    assert IncidentFilter(scope=scope).to_query_params() == params
    assert parse_query_params(params) == (IncidentFilter(scope=scope), [])
