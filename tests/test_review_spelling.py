"""The Review page's "Save as a new spelling": the next report with that spelling resolves (Streamlit's AppTest)."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from geo.gazetteer import load_gazetteer
from geo.gazetteer.local import LOCAL_SPELLINGS_ENV, read_local_spellings
from tests.conftest import REPO_ROOT


def _review_page() -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app" / "pages" / "review.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_spelling_saved_on_the_review_page_resolves_the_next_report(db_url, tmp_path, monkeypatch):
    local = tmp_path / "gazetteer_local.csv"
    monkeypatch.setenv(LOCAL_SPELLINGS_ENV, str(local))
    at = _review_page()
    at.text_input(key="spelling_text").set_value("Qalat Kerkuk Bazaar")
    at.text_input(key="spelling_place").set_value("Kirkuk Citadel")
    at.text_input(key="spelling_added_by").set_value("analyst1")
    at.button[2].click().run()  # "Save as a new spelling"
    assert not at.exception, at.exception
    assert "Saved as a new spelling." in [s.value for s in at.success]
    [saved] = read_local_spellings(local)
    assert (saved.spelling, saved.place_id, saved.added_by) == ("Qalat Kerkuk Bazaar", "ref:kirkuk-citadel", "analyst1")
    assert saved.incident_id
    assert load_gazetteer().geocode("Qalat Kerkuk Bazaar").place_id == "ref:kirkuk-citadel"


def test_a_spelling_for_no_exact_place_is_not_saved(db_url, tmp_path, monkeypatch):
    local = tmp_path / "gazetteer_local.csv"
    monkeypatch.setenv(LOCAL_SPELLINGS_ENV, str(local))
    at = _review_page()
    at.text_input(key="spelling_text").set_value("Somewhere")
    at.text_input(key="spelling_place").set_value("Kirkukk Citadell")
    at.button[2].click().run()
    assert not at.exception, at.exception
    assert "name the gazetteer place exactly" in at.error[0].value
    assert not local.exists()
