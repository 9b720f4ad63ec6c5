"""The audit trail: every write of an incident says who, when, what changed (old and new) and
from which source, on both backends; the Review page shows it and the roles hold on the pages."""
from __future__ import annotations

import io

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from incidents.access import Actor, acting_as
from incidents.audit import history_csv, incident_history, read_audit
from incidents.seed import read_seed_incidents, seed_store
from incidents.store import add_source, connect, read_incidents, save_incidents, update_incident
from incidents.users import add_user
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.both_backends
CLASH = "KIM-c99e00f1a04a"  # the seed clash: the seed's only incident that needs review
AMAL = Actor("amal", "analyst", via="Review page")


@pytest.fixture
def seeded(engine, boundaries):
    with acting_as(Actor("importer", "analyst", via="command line: import")):
        seed_store(engine, boundaries)
    return engine


def test_an_insert_records_who_and_the_new_values_with_the_source(seeded):
    inserted = read_audit(seeded, CLASH).iloc[0]
    assert (inserted["action"], inserted["actor"]) == ("insert", "importer")
    assert inserted["old_values"] is None and '"fatalities"' in inserted["new_values"]
    assert inserted["source"].startswith("https://en.964media.com/")


def test_a_review_decision_records_old_and_new_values_and_the_analyst(seeded):
    before = read_incidents(seeded).set_index("incident_id").loc[CLASH, "fatalities"]
    with acting_as(AMAL):
        update_incident(seeded, CLASH, {"fatalities": 7}, "corrected")
    history = incident_history(seeded, CLASH)
    change = history[(history["action"] == "review") & (history["column"] == "fatalities")].iloc[0]
    assert (change["actor"], change["old_value"], change["new_value"], change["source"]) == ("amal", str(before), "7", "Review page")
    assert set(history.loc[history["action"] == "review", "column"]) == {"fatalities", "review_status", "needs_review"}


def test_a_later_import_leaves_the_decision_and_the_history_says_why(seeded, boundaries):
    with acting_as(AMAL):
        update_incident(seeded, CLASH, {"fatalities": 7}, "corrected")
    save_incidents(seeded, read_seed_incidents(boundaries))  # the same report again
    assert read_incidents(seeded).set_index("incident_id").loc[CLASH, "fatalities"] == 7
    assert list(read_audit(seeded, CLASH)["action"]) == ["insert", "review"]  # nothing overwrote it


def test_a_merged_source_is_recorded(seeded):
    with acting_as(AMAL):
        add_source(seeded, CLASH, {"url": "https://other.example/1", "outlet": "Other"})
    added = read_audit(seeded, CLASH).iloc[-1]
    assert (added["action"], added["source"]) == ("add source", "https://other.example/1")


def test_the_history_exports_as_csv_with_formulas_defused(seeded):
    with acting_as(AMAL):
        update_incident(seeded, CLASH, {"notes": "=HYPERLINK(1)"}, "corrected")
    exported = pd.read_csv(io.BytesIO(history_csv(incident_history(seeded, CLASH))), encoding="utf-8-sig")
    assert "'=HYPERLINK(1)" in set(exported["new_value"]) and list(exported.columns)[:3] == ["at", "actor", "action"]


# --- the pages ---------------------------------------------------------------------------

REVIEW_PAGE = str(REPO_ROOT / "app" / "pages" / "review.py")


@pytest.fixture
def team(seeded):
    add_user(seeded, "root", "admin", "root-password")
    with acting_as(Actor("root", "admin")):
        add_user(seeded, "amal", "analyst", "amal-password")
        add_user(seeded, "vera", "viewer", "vera-password")
    return seeded


def review_page(actor: Actor | None) -> AppTest:
    at = AppTest.from_file(REVIEW_PAGE, default_timeout=120)
    if actor is not None:
        at.session_state["_actor"] = actor
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(("actor", "said"), [(Actor("vera", "viewer"), "vera is a viewer"), (None, "Log in")])
def test_a_viewer_or_nobody_cannot_reach_the_review_page_even_directly(team, actor, said):
    at = review_page(actor)
    assert not at.button or said == "Log in"  # no save button: a warning, or the login form
    shown = [w.value for w in at.warning] + [b.label for b in at.button]
    assert any(said in text for text in shown), shown


def test_read_only_mode_refuses_the_review_page(team, monkeypatch):
    monkeypatch.setenv("KIRKUK_READ_ONLY", "1")
    at = review_page(None)
    assert any("read-only" in w.value for w in at.warning) and not at.button


def test_an_analysts_edit_appears_in_the_history_with_their_name(team, db_url):
    at = review_page(Actor("amal", "analyst", via="app"))
    at.number_input(key="edit_fatalities").set_value(9)
    next(b for b in at.button if b.label == "Save corrections and approve").click().run()
    assert not at.exception, at.exception
    history = incident_history(connect(db_url), CLASH)
    change = history[history["column"] == "fatalities"].iloc[-1]
    assert (change["actor"], change["new_value"]) == ("amal", "9")
