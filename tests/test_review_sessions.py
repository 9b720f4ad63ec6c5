"""Two analysts review at once (two AppTest sessions on one SQLite file): a stale save is
refused with what changed, and it never writes to another incident."""
from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from mapview.text import unescape_markdown
from incidents.seed import read_seed_incidents, seed_store
from incidents.store import connect, read_incidents, read_sources, save_incidents, update_incident_fields
from tests.conftest import REPO_ROOT

REVIEW_PAGE = str(REPO_ROOT / "app" / "pages" / "review.py")
CLASH = "KIM-c99e00f1a04a"  # the seed clash, dated 2024-10-17: the seed's only incident that needs review

pytestmark = pytest.mark.both_backends  # the same behaviour on SQLite and PostgreSQL


def session() -> AppTest:
    """One analyst's browser tab on the Review page, drawn once."""
    at = AppTest.from_file(REVIEW_PAGE, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def press(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception


def store_contents(db_url: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    engine = connect(db_url)
    return read_incidents(engine, with_row_version=True), read_sources(engine)


def assert_store_unchanged(before: tuple[pd.DataFrame, pd.DataFrame], db_url: str) -> None:
    after = store_contents(db_url)
    pd.testing.assert_frame_equal(after[0], before[0])
    pd.testing.assert_frame_equal(after[1], before[1])


@pytest.fixture
def three_in_queue(db_url, boundaries):
    """The seed clash (2024-10-17) and two more incidents awaiting review, dated after it."""
    engine = connect(db_url)
    seed_store(engine, boundaries)
    more = read_seed_incidents(boundaries).query("not needs_review").copy()
    more["incident_id"] = ["KIM-00000000000a", "KIM-00000000000b"]
    more["event_date"] = ["2024-11-01", "2024-11-02"]
    more["needs_review"] = True
    save_incidents(engine, more)
    return ["KIM-c99e00f1a04a", "KIM-00000000000a", "KIM-00000000000b"]


@pytest.mark.parametrize("first_decision", ["Approve as it is", "Save corrections and approve"])
def test_a_stale_save_is_refused_with_what_changed_and_nothing_is_written(db_url, first_decision):
    analyst_a, analyst_b = session(), session()  # both loaded the seed clash, the only incident in the queue
    analyst_a.number_input(key="edit_fatalities").set_value(7)
    press(analyst_a, first_decision)
    assert analyst_a.success[0].value in ("Approved.", "Saved 1 correction(s).")
    before = store_contents(db_url)

    analyst_b.text_input(key="edit_notes").input("B's note")
    analyst_b.number_input(key="edit_wounded").set_value(3)
    press(analyst_b, "Save corrections and approve")

    assert "changed by someone else after you loaded it" in unescape_markdown(analyst_b.error[0].value)
    changed = " ".join(t.value for t in analyst_b.text)
    assert f"Incident {CLASH}" in changed and "needs_review: True → False" in changed
    assert ("fatalities: 1 → 7" in changed) == (first_decision != "Approve as it is")
    assert_store_unchanged(before, db_url)
    assert analyst_b.success[-1].value == "No incident awaits review."  # the queue B now sees, reloaded


def test_when_the_queue_shrinks_a_stale_save_does_not_land_on_the_next_incident(db_url, three_in_queue):
    clash, second, third = three_in_queue
    analyst_b = session()  # B looks at the first incident, the clash
    analyst_a = session()
    press(analyst_a, "Approve as it is")  # A approves the clash: the queue is now [second, third]
    before = store_contents(db_url)

    analyst_b.text_input(key="edit_event_date").input("2024-10-16")
    press(analyst_b, "Save corrections and approve")

    assert "changed by someone else" in unescape_markdown(analyst_b.error[0].value)
    assert_store_unchanged(before, db_url)  # neither the clash nor the incident now first in B's queue changed


def test_a_save_after_the_queue_shrank_writes_the_incident_the_form_showed(db_url, three_in_queue):
    clash, second, third = three_in_queue
    analyst_b = session()
    analyst_b.selectbox(key="review_choice").set_value(second).run()  # B opens the second incident
    analyst_a = session()
    press(analyst_a, "Approve as it is")  # A approves the clash, before it in the queue
    before = read_incidents(connect(db_url), with_row_version=True).set_index("incident_id")

    analyst_b.number_input(key="edit_fatalities").set_value(4)
    press(analyst_b, "Save corrections and approve")

    after = read_incidents(connect(db_url), with_row_version=True).set_index("incident_id")
    assert (after.at[second, "fatalities"], after.at[second, "review_status"]) == (4, "corrected")
    assert after.at[second, "row_version"] == before.at[second, "row_version"] + 1
    pd.testing.assert_frame_equal(after.drop(index=second), before.drop(index=second))


def test_a_refused_correction_keeps_what_the_analyst_typed(db_url):
    analyst = session()
    analyst.text_input(key="edit_adm3_pcode").input("<script>x</script>")
    press(analyst, "Save corrections and approve")
    assert "adm3_pcode is not an ADM3 pcode" in unescape_markdown(analyst.error[0].value)
    assert analyst.text_input(key="edit_adm3_pcode").value == "<script>x</script>"


def test_an_incident_changed_by_a_corroborating_report_is_reloaded_for_the_analyst(db_url):
    analyst = session()
    update_incident_fields(connect(db_url), CLASH, {"wounded": 9})  # a second source gave the wounded meanwhile
    before = store_contents(db_url)

    analyst.text_input(key="edit_notes").input("checked")
    press(analyst, "Save corrections and approve")

    assert "changed by someone else" in unescape_markdown(analyst.error[0].value)
    assert "wounded: 2 → 9" in " ".join(t.value for t in analyst.text)
    assert_store_unchanged(before, db_url)
    # Still in the queue: the form now shows the stored values, so a second save is informed.
    stored_notes = before[0].set_index("incident_id").at[CLASH, "notes"]
    assert analyst.number_input(key="edit_wounded").value == 9 and analyst.text_input(key="edit_notes").value == stored_notes
    press(analyst, "Save corrections and approve")
    assert analyst.success[0].value == "Approved."
