"""The Timeline page on the Map's filter and with the teacher's pace, as the page runs (Streamlit's
AppTest): the same widgets and URL keys as the Map, links between the two that keep the
selection, the pace read from the link with notes for bad values."""
from __future__ import annotations

from urllib.parse import parse_qsl

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from incidents.filters import FIELDS
from incidents.schema import conform
from incidents.store import connect, save_incidents
from mapview.timeline import MAX_TIMELINE_INCIDENTS
from tests.conftest import REPO_ROOT
from tests.incident_rows import incident, run_page, store_with

# Two Battles in Kirkuk district a week apart, an IED in Daquq district a month later.
ROWS = [
    incident(1, event_date="2014-06-09", fatalities=3),
    incident(2, event_date="2014-06-17", fatalities=1),
    incident(3, event_date="2014-07-20", event_type="Explosions/Remote violence", sub_event_type="Remote explosive/landmine/IED",
             fatalities=5, latitude=35.14, longitude=44.45, adm2_pcode="IQG13Q02"),
]


def story_heading(at: AppTest) -> str:
    return next(h.value for h in at.subheader if " of " in h.value)


def link(at: AppTest, label: str) -> dict[str, str]:
    """The query parameters of the page link labelled ``label``."""
    (found,) = [element.proto for element in at.get("page_link") if element.proto.label == label]
    return dict(parse_qsl(found.query_string))


def test_the_timeline_has_every_filter_widget_of_the_map(db_url):
    at = run_page("timeline")
    assert not at.exception, at.exception
    keys = {widget.key for kind in ("radio", "multiselect", "date_input", "number_input", "checkbox") for widget in at.get(kind)}
    assert {item.widget for item in FIELDS} <= keys


def test_a_link_with_a_filter_and_a_pace_sets_the_widgets_and_plays_only_the_selection(db_url):
    store_with(db_url, ROWS)
    at = run_page("timeline", {"event_types": "Battles", "step": "week", "play_seconds": "60"})
    assert not at.exception, at.exception
    assert at.multiselect(key="event_types").value == ["Battles"]
    assert at.radio(key="timeline_step").value == "week"
    assert at.number_input(key="timeline_play_seconds").value == 60
    assert at.caption[0].value.startswith("Battles incidents")
    assert any("2 incident(s) in 2 step(s) of a week, 30 s a step" in caption.value for caption in at.caption)
    assert story_heading(at).startswith("1 of 2: 2014-06-09")
    assert dict(at.query_params) == {"event_types": "Battles", "step": "week", "play_seconds": "60"}


def test_changing_the_filter_or_the_pace_writes_them_into_the_url(db_url):
    store_with(db_url, ROWS)
    at = run_page("timeline")
    at.multiselect(key="districts").set_value(["IQG13Q02"]).run()
    at.radio(key="timeline_step").set_value("month").run()
    assert at.query_params["adm2_pcodes"] == "IQG13Q02" and at.query_params["step"] == "month"
    assert story_heading(at).startswith("1 of 1: 2014-07-20")


@pytest.mark.parametrize(
    "params",
    [
        {"step": "fortnight"},
        {"play_seconds": "soon"},
        {"play_seconds": "<script>alert(1)</script>", "step": "[x](http://evil.example)"},
        {"min_fatalities": "lots", "step": "day", "play_seconds": "1"},
        {"adm2_pcodes": "XYZ", "date_from": "abc", "play_seconds": "9" * 40},
    ],
)
def test_a_bad_link_shows_the_timeline_with_a_note(db_url, params):
    store_with(db_url, ROWS)
    at = run_page("timeline", params)
    assert not at.exception, at.exception
    assert at.warning[0].value.startswith("Parts of this link were ignored or changed")
    assert "](http" not in at.warning[0].value and "<script>" not in at.warning[0].value  # shown as text
    assert at.radio(key="timeline_step").value == ("day" if params.get("step") == "day" else "auto")
    assert " of " in story_heading(at)


def test_the_map_link_opens_the_timeline_on_the_same_selection_and_back(db_url):
    store_with(db_url, ROWS)
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    for name, value in {"adm2_pcodes": "IQG13Q04", "min_fatalities": "2", "metric": "fatalities"}.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    map_caption = at.caption[0].value
    to_timeline = link(at, "Open this selection on the Timeline")
    assert to_timeline == {"adm2_pcodes": "IQG13Q04", "min_fatalities": "2"}  # the filter, not the map's options

    follow(at, "app/pages/timeline.py", to_timeline)
    assert at.multiselect(key="districts").value == ["IQG13Q04"] and at.number_input(key="min_fatalities").value == 2
    assert map_caption.startswith(at.caption[0].value.removesuffix("."))
    assert story_heading(at).startswith("1 of 1: 2014-06-09")
    to_map = link(at, "Open this selection on the Map")
    assert to_map == to_timeline

    follow(at, "app/pages/map.py", to_map)
    assert at.caption[0].value == map_caption
    assert list(at.dataframe[0].value["incident_id"]) == ["KIM-000000000001"]


def follow(at: AppTest, page: str, params: dict[str, str]) -> None:
    """What a click on a page link does: the other page, with the link's query parameters only."""
    for name in list(at.query_params):
        del at.query_params[name]
    for name, value in params.items():
        at.query_params[name] = value
    at.switch_page(page).run()
    assert not at.exception, at.exception


def test_a_large_selection_plays_its_latest_incidents_and_says_how_to_narrow_it(db_url):
    days = pd.date_range("2012-01-01", periods=MAX_TIMELINE_INCIDENTS + 10, freq="D").strftime("%Y-%m-%d")
    rows = [incident(i, event_date=day, location="Kirkuk") for i, day in enumerate(days)]
    engine = connect(db_url)
    save_incidents(engine, conform(pd.DataFrame(rows)))
    engine.dispose()
    at = run_page("timeline")
    assert not at.exception, at.exception
    (warning,) = [w.value for w in at.warning]
    assert warning.startswith(f"This selection holds {MAX_TIMELINE_INCIDENTS + 10:,} dated incidents") and "Narrow the dates" in warning
    at = run_page("timeline", {"date_from": days[20]})
    assert not at.exception, at.exception
    assert not at.warning  # the narrower selection plays whole
    assert story_heading(at).startswith(f"1 of {MAX_TIMELINE_INCIDENTS - 10}: {days[20]}")
