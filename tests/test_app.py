"""The app runs on the seeded store and its filters change the table (Streamlit's AppTest)."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO_ROOT


@pytest.fixture
def app(db_url) -> AppTest:
    """The app on a fresh, seeded temporary store."""
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_map_page_lists_the_three_seed_incidents(app):
    table = app.dataframe[0].value
    assert len(table) == 3
    assert set(table["location"]) == {"Qarahanjir", "Laylan", "Kirkuk governorate"}
    assert set(table["geo_precision"]) == {2, 3}


def test_a_district_filter_that_excludes_them_shows_none(app):
    app.multiselect(key="districts").set_value(["IQG13Q02"]).run()  # Daquq district
    assert not app.exception
    assert len(app.dataframe[0].value) == 0
    assert "Daquq" in app.caption[0].value


def test_an_event_type_filter_keeps_only_that_type(app):
    app.multiselect(key="event_types").set_value(["Explosions/Remote violence"]).run()
    assert list(app.dataframe[0].value["location"]) == ["Laylan"]


def test_a_link_reproduces_a_view(db_url):
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    at.query_params["event_types"] = "Battles"
    at.query_params["geo_precisions"] = "2"
    at.query_params["metric"] = "fatalities"
    at.run()
    assert not at.exception, at.exception
    assert list(at.dataframe[0].value["location"]) == ["Qarahanjir"]
    assert at.multiselect(key="event_types").value == ["Battles"]
    assert at.selectbox(key="metric").value == "fatalities"


def test_changing_a_filter_writes_it_into_the_url(app):
    app.multiselect(key="districts").set_value(["IQG13Q04"]).run()
    app.number_input(key="min_fatalities").set_value(3).run()
    assert app.query_params["adm2_pcodes"] == "IQG13Q04"
    assert app.query_params["min_fatalities"] == "3"
    assert list(app.dataframe[0].value["location"]) == ["Laylan"]


def test_the_timeline_page_runs_and_its_story_steps_forward(db_url):
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("app/pages/timeline.py").run()
    assert not at.exception, at.exception
    assert at.subheader[0].value.startswith("1 of 3: 2024-07-14")
    at.button(key="story_next").click().run()
    assert at.subheader[0].value.startswith("2 of 3: 2024-10-15")
    at.radio(key="timeline_mode").set_value("window").run()
    assert not at.exception
