"""In a real browser: the scope radio widens the Map page from Kirkuk to its neighbours, and the
incidents outside Kirkuk are drawn muted (tests/test_browser.py starts the app and the browser)."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.test_browser import OUTPUT, _map_frame, page, pytestmark, serve_app  # noqa: F401  (fixtures and the skip)
from tests.test_scope import IN_KIRKUK, IN_NEIGHBOURS_ONLY, IRAQ_WIDE, UNPLACED

# Incidents on the map's canvas layers, muted (context outside Kirkuk) or not.
CANVAS_COUNTS_JS = """() => {
  const counts = {own: 0, muted: 0};
  window.map.eachLayer(layer => {
    if (layer.kimIncidentCount === undefined) return;
    counts[layer.options.muted ? "muted" : "own"] += layer.kimIncidentCount;
  });
  return counts;
}"""


@pytest.fixture(scope="module")
def iraq_wide_app_url(tmp_path_factory: pytest.TempPathFactory, boundaries):
    """The app on a store holding the Iraq-wide test file."""
    from geo.gazetteer import load_gazetteer
    from importers.pipeline import import_file
    from incidents.store import connect

    folder = tmp_path_factory.mktemp("browser_scope")
    engine = connect(f"sqlite:///{folder / 'browser.sqlite'}")
    import_file(IRAQ_WIDE, "csv", engine, boundaries, load_gazetteer(boundaries=boundaries))
    engine.dispose()
    with serve_app(folder) as url:
        yield url


def _headline_incidents(tab) -> str:
    return tab.locator('[data-testid="stMetricValue"]').first.inner_text().strip()


def _until(tab, condition, timeout_s: float = 60):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception:  # a rerun replaced the element or the map frame
            pass
        tab.wait_for_timeout(500)
    raise AssertionError("the condition did not become true")


def test_the_scope_radio_widens_the_headline_and_mutes_what_lies_outside(iraq_wide_app_url, page):  # noqa: F811 (the fixture)
    page.goto(iraq_wide_app_url, wait_until="domcontentloaded")
    _until(page, lambda: _headline_incidents(page) == str(IN_KIRKUK + UNPLACED))
    frame = _map_frame(page)
    assert _until(page, lambda: frame.evaluate(CANVAS_COUNTS_JS) if frame.evaluate(CANVAS_COUNTS_JS)["own"] else None) == {
        "own": IN_KIRKUK, "muted": 0,
    }

    page.get_by_text("Kirkuk and its neighbours (within 30 km)").click()
    _until(page, lambda: _headline_incidents(page) == str(IN_KIRKUK + IN_NEIGHBOURS_ONLY + UNPLACED))
    assert "scope=neighbours" in page.url

    def muted_counts():
        counts = _map_frame(page).evaluate(CANVAS_COUNTS_JS)
        return counts if counts["muted"] else None

    assert _until(page, muted_counts) == {"own": IN_KIRKUK, "muted": IN_NEIGHBOURS_ONLY}
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(Path(OUTPUT) / "browser_scope_neighbours.png"), full_page=True)
