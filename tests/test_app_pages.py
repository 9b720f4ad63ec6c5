"""The review queue and the Add-a-report page run, approve, extract and save (Streamlit's AppTest)."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from incidents.store import connect, read_incidents
from tests.conftest import REPO_ROOT



def test_the_review_queue_lists_the_seed_clash_and_approves_it(db_url):
    at = AppTest.from_file(str(REPO_ROOT / "app_pages" / "review.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    assert "conflicting dates" in " ".join(m.value for m in at.markdown)
    at.button[0].click().run()  # "Approve as it is"
    assert not at.exception, at.exception
    approved = read_incidents(connect(db_url)).set_index("event_date").loc["2024-10-17"]
    assert (approved["review_status"], bool(approved["needs_review"])) == ("approved", False)


def test_add_a_report_previews_and_saves(db_url):
    at = AppTest.from_file(str(REPO_ROOT / "app_pages" / "add_report.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    at.text_area(key="report_text").input("Two soldiers were killed when a roadside bomb hit their patrol near Daquq on Monday.")
    at.date_input(key="published").set_value("2023-03-08")
    at.text_input(key="report_url").input("https://example.org/daquq")
    at.button(key="extract").click().run()
    assert not at.exception, at.exception
    before = len(read_incidents(connect(db_url)))
    at.button(key="save").click().run()
    assert not at.exception, at.exception
    assert len(read_incidents(connect(db_url))) == before + 1
