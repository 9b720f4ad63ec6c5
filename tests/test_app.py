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
