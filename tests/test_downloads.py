"""Downloads are built when clicked, not on every rerun of a page (Streamlit's AppTest)."""
from __future__ import annotations

import pytest

from tests.conftest import TEST_DATA
from tests.incident_rows import run_page


@pytest.mark.parametrize(("page", "buttons"), [("map", 4), ("data", 3), ("timeline", 1)])
def test_every_download_is_built_on_click_without_a_rerun(db_url, page, buttons):
    at = run_page(page)
    assert not at.exception, at.exception
    assert len(at.download_button) == buttons
    for button in at.download_button:
        # A deferred file: its bytes are made by the callable when the button is clicked.
        assert button.proto.HasField("deferred_file_id") and button.proto.ignore_rerun, button.label


def test_the_reject_report_is_built_on_click(db_url):
    at = run_page("data")
    bad_rows = (TEST_DATA / "imports" / "generic_bad_rows.csv").read_bytes()
    at.file_uploader(key="import_file").upload("generic_bad_rows.csv", bad_rows, "text/csv").run()
    at.button(key="import_check").click().run()
    assert not at.exception, at.exception
    button = at.download_button(key="download_rejects")
    assert button.proto.HasField("deferred_file_id") and button.proto.ignore_rerun
    assert at.subheader[-1].value == "Rejected: 6 row(s)"
