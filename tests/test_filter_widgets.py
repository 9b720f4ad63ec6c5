"""The Map page draws its filter widgets from the declared fields (Streamlit's AppTest)."""
from __future__ import annotations

from app.filter_widgets import WIDGETS
from incidents.filters import FIELDS
from tests.incident_rows import run_page

# The AppTest accessor of the Streamlit widget each kind of field is drawn with.
APPTEST_WIDGET = {"date_range": "date_input", "choice": "multiselect", "at_least": "number_input", "flag": "checkbox", "one_of": "radio"}


def test_every_kind_of_field_has_a_widget():
    assert {item.kind for item in FIELDS} <= set(WIDGETS) == set(APPTEST_WIDGET)


def test_the_map_page_draws_one_widget_per_declared_field_in_their_order(db_url):
    at = run_page("map")
    assert not at.exception, at.exception
    for item in FIELDS:
        assert getattr(at.sidebar, APPTEST_WIDGET[item.kind])(key=item.widget).label == item.label
    drawn = [widget.key for widget in at.sidebar if getattr(widget, "key", None)]
    assert drawn[: len(FIELDS)] == [item.widget for item in FIELDS]


def test_a_vocabulary_field_offers_its_words(db_url):
    at = run_page("map")
    assert at.multiselect(key="precisions").options == ["1: the place itself", "2: near a place / sub-district", "3: district or governorate only"]
    assert at.multiselect(key="review_states").options == ["needs review", "unreviewed", "approved", "corrected"]


def test_a_narrower_field_offers_only_what_its_broader_choice_holds(db_url, boundaries):
    at = run_page("map")
    every = at.multiselect(key="sub_districts").options
    at.multiselect(key="districts").set_value(["IQG13Q02"]).run()  # Daquq district
    assert not at.exception, at.exception
    units = boundaries.kirkuk(3)
    assert sorted(at.multiselect(key="sub_districts").options) == sorted(units.loc[units["adm2_pcode"] == "IQG13Q02", "name"])
    assert len(every) > len(at.multiselect(key="sub_districts").options)
    at.multiselect(key="event_types").set_value(["Riots"]).run()
    assert at.multiselect(key="sub_event_types").options == ["Mob violence", "Violent demonstration"]
