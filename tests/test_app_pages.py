"""The review queue and the Add-a-report page run, approve, extract and save (Streamlit's AppTest)."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from incidents.store import connect, read_incidents
from tests.conftest import REPO_ROOT



def test_the_review_queue_lists_the_seed_clash_and_approves_it(db_url):
    at = AppTest.from_file(str(REPO_ROOT / "app" / "pages" / "review.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    assert "conflicting dates" in " ".join(t.value for t in at.text)  # reasons are shown as plain text
    at.button[0].click().run()  # "Approve as it is"
    assert not at.exception, at.exception
    approved = read_incidents(connect(db_url)).set_index("event_date").loc["2024-10-17"]
    assert (approved["review_status"], bool(approved["needs_review"])) == ("approved", False)


def test_add_a_report_previews_and_saves(db_url):
    at = AppTest.from_file(str(REPO_ROOT / "app" / "pages" / "add_report.py"), default_timeout=120)
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


def test_an_invalid_date_correction_is_refused_and_nothing_changes(db_url):
    at = AppTest.from_file(str(REPO_ROOT / "app" / "pages" / "review.py"), default_timeout=120)
    at.run()
    at.text_input(key="edit_event_date").set_value("2024-02-30")
    at.button[1].click().run()  # "Save corrections and approve"
    assert not at.exception, at.exception
    assert "not a date" in at.error[0].value
    from incidents.store import connect, read_incidents

    stored = read_incidents(connect(db_url)).query("geo_precision == 3").iloc[0]
    assert stored["event_date"] == "2024-10-17" and bool(stored["needs_review"])
