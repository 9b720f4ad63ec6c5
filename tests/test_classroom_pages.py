"""The classroom exports on the pages (AppTest): made when their button is pressed, then offered as a download."""
from __future__ import annotations

import os
import shutil

import pytest

from tests.incident_rows import run_page

pytestmark = pytest.mark.skipif(
    shutil.which("chromium") is None and not os.environ.get("CI"), reason="Debian's chromium is not installed (apt-get install chromium)"
)


def labels(at) -> list[str]:
    return [button.label for button in at.button]


def test_the_map_page_prints_the_view_as_a_png_on_click(db_url):
    at = run_page("map")
    assert {"Print (PNG)", "Print (PDF)"} <= set(labels(at))
    at.button(key="make_print_png").click().run()
    assert not at.exception and not at.error, (at.exception, at.error)
    saved = at.download_button(key="save_print_png")
    assert saved.label.startswith("Save kirkuk-incident-map.png (")
    at.run()  # the file made for this view stays offered while the view is the same
    assert at.download_button(key="save_print_png").label == saved.label


def test_the_timeline_page_films_a_gif_on_click(db_url):
    at = run_page("timeline")
    assert {"Video (MP4)", "GIF"} <= set(labels(at))
    at.selectbox(key="timeline_video_size").set_value("640×360 (small)").run()
    at.button(key="make_timeline_gif").click().run()
    assert not at.exception and not at.error, (at.exception, at.error)
    assert at.download_button(key="save_timeline_gif").label.startswith("Save kirkuk-incident-timeline.gif (")
    at.radio(key="timeline_mode").set_value("window").run()  # another selection: the GIF made for the last one is not offered
    assert "save_timeline_gif" not in [button.key for button in at.download_button]
