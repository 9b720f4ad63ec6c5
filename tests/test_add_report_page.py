"""Add a report: an edited place is placed as a review correction places it, an unknown
village is kept for review, a text far longer than a report is refused with its length."""
from __future__ import annotations

import os
import subprocess
import sys

from streamlit.testing.v1 import AppTest

from reports.extract import MAX_REPORT_CHARS
from mapview.text import unescape_markdown
from incidents.store import connect, read_incidents
from tests.conftest import REPO_ROOT

DAQUQ_BOMB = "Two soldiers were killed when a roadside bomb hit their patrol near Daquq on Monday."
UNKNOWN_VILLAGE = "Gunmen shot dead a shepherd in the village of Qizilbashkand on 10 November 2024."


def extracted(text: str, published: str, url: str) -> AppTest:
    """The page after pasting a report and pressing Extract."""
    at = AppTest.from_file(str(REPO_ROOT / "app" / "pages" / "add_report.py"), default_timeout=120)
    at.run()
    at.text_area(key="report_text").input(text)
    at.date_input(key="published").set_value(published)
    at.text_input(key="report_url").input(url)
    at.button(key="extract").click().run()
    assert not at.exception, at.exception
    return at


def stored(db_url: str, url: str):
    incidents = read_incidents(connect(db_url))
    return incidents[incidents["source_url"] == url]


def test_an_edited_location_is_geocoded_and_joined_before_saving(db_url):
    at = extracted(DAQUQ_BOMB, "2023-03-08", "https://example.org/daquq")
    at.session_state["preview_table"] = {"edited_rows": {0: {"location": "Hawija"}}, "added_rows": [], "deleted_rows": []}
    at.button(key="save").click().run()
    assert not at.exception, at.exception
    (incident,) = stored(db_url, "https://example.org/daquq").itertuples()
    assert (incident.location, incident.adm2_pcode, incident.geo_precision) == ("Hawija", "IQG13Q01", 1)
    assert incident.adm3_pcode == "IQG13Q01N01" and abs(incident.latitude - 35.33) < 0.05  # Hawija's point, not Daquq's
    assert incident.review_status == "corrected"
    assert any("Placed at Hawija" in t.value for t in at.text)


def test_an_invalid_edit_is_refused_and_nothing_is_saved(db_url):
    at = extracted(DAQUQ_BOMB, "2023-03-08", "https://example.org/daquq")
    at.session_state["preview_table"] = {"edited_rows": {0: {"event_date": "2024-7-5"}}, "added_rows": [], "deleted_rows": []}
    at.button(key="save").click().run()
    assert not at.exception, at.exception
    assert unescape_markdown(at.error[0].value).startswith("Not saved: row 1: event_date is not a date")
    assert stored(db_url, "https://example.org/daquq").empty


def test_an_unknown_village_shows_the_table_and_saves_for_review(db_url):
    at = extracted(UNKNOWN_VILLAGE, "2024-11-11", "https://example.org/shepherd")
    assert len(at.data_editor) == 1 and at.button(key="save")
    at.button(key="save").click().run()
    assert not at.exception, at.exception
    (incident,) = stored(db_url, "https://example.org/shepherd").itertuples()
    assert incident.event_date == "2024-11-10" and incident.needs_review
    assert incident.geo_precision == 3 and incident.latitude != incident.latitude  # no point: NaN


def test_a_report_over_the_limit_is_refused_with_its_length(db_url):
    at = extracted("x" * (MAX_REPORT_CHARS + 1), "2024-11-11", "https://example.org/long")
    assert f"{MAX_REPORT_CHARS + 1:,} characters long; at most {MAX_REPORT_CHARS:,}" in unescape_markdown(at.error[0].value)
    assert not at.data_editor


def test_the_cli_refuses_a_report_over_the_limit(tmp_path):
    report = tmp_path / "long.txt"
    report.write_text(DAQUQ_BOMB + " " + "x" * MAX_REPORT_CHARS, encoding="utf-8")
    env = os.environ | {"KIRKUK_DB": str(tmp_path / "cli.sqlite"), "PYTHONPATH": str(REPO_ROOT)}
    for command in ("extract", "add"):
        done = subprocess.run([sys.executable, "-m", "incidents", command, str(report), "--published", "2023-03-08"],
                              cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert done.stderr.startswith(f"error: {report}: The report is {len(DAQUQ_BOMB) + 1 + MAX_REPORT_CHARS:,} characters long")
