"""In a real browser: the app served by `streamlit run` draws the Leaflet map offline.

Debian's chromium driven by Playwright (no downloaded browser build). The machine has no
internet, so a map that loaded anything from a CDN would stay blank here.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from tests.conftest import REPO_ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="Debian's chromium is not installed (apt-get install chromium)"
)
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# What the Leaflet map in streamlit-folium's frame holds: district polygons and incidents
# (a feature each, an incident layer's count on canvas, an area outline's count).
COUNT_LAYERS_JS = """() => {
  const found = {districts: new Set(), incidents: new Set()};
  let drawn = 0;
  window.map.eachLayer(layer => {
    drawn += layer.kimIncidentCount || 0;
    const p = layer.feature && layer.feature.properties;
    if (!p) return;
    if (p.pcode && /^IQG13Q\\d\\d$/.test(p.pcode)) found.districts.add(p.pcode);
    if (p.incident_id) found.incidents.add(p.incident_id);
    drawn += p.area_incidents || 0;
  });
  return {districts: found.districts.size, incidents: found.incidents.size + drawn};
}"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve_app(tmp_path: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free localhost port with the store tmp_path/browser.sqlite; stopped on exit."""
    port = _free_port()
    env = os.environ | {"KIRKUK_DB": str(tmp_path / "browser.sqlite")}
    log = open(tmp_path / "streamlit.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail(f"streamlit did not start; log: {(tmp_path / 'streamlit.log').read_text()}")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory):
    """The app on a fresh (seeded) store; stopped after the module."""
    with serve_app(tmp_path_factory.mktemp("browser")) as url:
        yield url


@pytest.fixture
def page(tmp_path: Path):
    """A headless Debian chromium page, through Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1100})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.console_errors = errors  # type: ignore[attr-defined]
        yield page
        browser.close()


def _map_frame(page, timeout_s: float = 90, index: int = 0):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        frames = [f for f in page.frames if "streamlit_folium" in f.url]
        for frame in frames[index : index + 1]:
            if True:
                try:
                    if frame.evaluate("() => !!(window.map && window.L)"):
                        return frame
                except Exception:  # the frame is still loading
                    pass
        page.wait_for_timeout(500)  # not time.sleep: Playwright handles frame events while it waits
    raise AssertionError(f"No Leaflet map appeared; console errors: {page.console_errors}")


def _wait_for_counts(frame, expected: dict, timeout_s: float = 60) -> dict:
    """Poll the map's layer counts until they are as expected (re-finding the map frame
    when a rerun of the script replaces it)."""
    page = frame.page
    deadline = time.monotonic() + timeout_s
    counts = None
    while time.monotonic() < deadline:
        try:
            counts = frame.evaluate(COUNT_LAYERS_JS)
        except Exception:  # the frame was detached or is reloading: find the new one
            frame = _map_frame(page, timeout_s=max(1.0, deadline - time.monotonic()))
            continue
        if counts == expected:
            return counts
        page.wait_for_timeout(500)
    return counts


OUTPUT = REPO_ROOT / "test-output"


def test_the_app_draws_districts_and_incidents_offline(app_url, page):
    output = OUTPUT
    output.mkdir(exist_ok=True)
    page.goto(app_url, wait_until="domcontentloaded")
    frame = _map_frame(page)
    assert _wait_for_counts(frame, {"districts": 4, "incidents": 3}) == {"districts": 4, "incidents": 3}
    box = frame.locator(".leaflet-container").bounding_box()
    assert box and box["height"] > 300
    page.get_by_text("3 incident(s)").wait_for(timeout=30_000)
    page.screenshot(path=str(output / "browser_map.png"), full_page=True)

    # Filter to Daquq district: the seed incidents are elsewhere, so the map and table empty.
    page.get_by_role("combobox", name="District", exact=True).click()
    page.get_by_role("option", name="Daquq").click()
    page.keyboard.press("Escape")
    page.get_by_text("0 incident(s)").wait_for(timeout=60_000)
    frame = _map_frame(page)
    assert _wait_for_counts(frame, {"districts": 4, "incidents": 0}) == {"districts": 4, "incidents": 0}
    page.screenshot(path=str(output / "browser_map_filtered.png"), full_page=True)


def test_clicking_a_district_filters_to_it_and_the_link_keeps_it(app_url, page):
    page.goto(app_url + "/?event_types=Battles", wait_until="domcontentloaded")
    frame = _map_frame(page)
    _wait_for_counts(frame, {"districts": 4, "incidents": 2})
    page.get_by_text("2 incident(s)").wait_for(timeout=30_000)
    # Daquq district's interior, away from every incident and outline. The map may still be
    # binding its click handlers (or be re-rendered once), so click until the view changes.
    for _attempt in range(4):
        frame = _map_frame(page)
        x, y = frame.evaluate("() => { const p = window.map.latLngToContainerPoint([35.02, 44.28]); return [p.x, p.y]; }")
        box = page.locator("iframe").first.bounding_box()
        page.mouse.click(box["x"] + x, box["y"] + y)
        try:
            page.wait_for_url("**adm2_pcodes=IQG13Q02**", timeout=15_000)
            break
        except Exception:
            continue
    page.get_by_text("0 incident(s)").wait_for(timeout=60_000)
    assert "adm2_pcodes=IQG13Q02" in page.url and "event_types=Battles" in page.url
    page.screenshot(path=str(OUTPUT / "browser_click_filter.png"), full_page=True)


def _until_in_map(page, condition_js: str, timeout_s: float = 60):
    """Poll a JS condition in every map frame until one makes it truthy; returns that frame.

    A page may hold several maps (the timeline page has the player and the story)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in [f for f in page.frames if "streamlit_folium" in f.url]:
            try:
                if frame.evaluate(f"() => !!window.map && ({condition_js})()"):
                    return frame
            except Exception:  # detached or still loading
                pass
        page.wait_for_timeout(500)
    raise AssertionError(f"In no map frame did {condition_js} become true within {timeout_s} s")


def test_the_timeline_page_has_a_player(app_url, page):
    page.goto(app_url + "/timeline", wait_until="domcontentloaded")
    player = _until_in_map(page, "() => !!(window.map.timeDimension && document.querySelector('.timecontrol-play'))")
    player.locator(".timecontrol-forward").first.click()
    _until_in_map(page, "() => window.map.timeDimension && window.map.timeDimension.getCurrentTimeIndex() > 0")
    page.screenshot(path=str(OUTPUT / "browser_timeline.png"), full_page=True)


@pytest.mark.parametrize("path", ["/", "/timeline"])
def test_the_app_asks_nothing_of_the_internet(app_url, page, path):
    """Every request a map page makes stays on this machine (no CDN, no web fonts)."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(app_url + path, wait_until="domcontentloaded")
    _until_in_map(page, "() => document.querySelectorAll('.leaflet-interactive').length > 0 || !!document.querySelector('canvas')")
    page.wait_for_timeout(2000)
    outside = [url for url in requested if not url.startswith((app_url, "data:", "blob:", "about:"))]
    assert outside == []


def test_an_exported_map_opens_from_a_file_with_no_network(boundaries, page, tmp_path):
    from incidents.seed import read_seed_incidents
    from mapview.export import standalone_html
    from mapview.timeline import build_timeline_map

    path = tmp_path / "timeline.html"
    path.write_text(standalone_html(build_timeline_map(read_seed_incidents(boundaries), boundaries)), encoding="utf-8")
    requested: list[str] = []
    page.route("**/*", lambda route: (requested.append(route.request.url), route.continue_() if route.request.url.startswith("file:") else route.abort()))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_function("() => Object.keys(window).some(k => k.startsWith('map_') && window[k].timeDimension)", timeout=30_000)
    assert [url for url in requested if not url.startswith("file:")] == []
    assert errors == []


def test_adding_a_report_previews_its_incidents_on_a_map(app_url, page):
    report = (REPO_ROOT / "tests" / "data" / "reports" / "001_wire_roadside_bomb_hawija.txt").read_text(encoding="utf-8")
    page.goto(app_url + "/add_report", wait_until="domcontentloaded")
    page.get_by_label("Report text").fill(report)
    page.get_by_label("URL of the report").fill("https://wire.example/iraq-hawija-bomb-0309")
    page.get_by_role("spinbutton", name="year, Publication date").click()
    page.keyboard.type("20230309")  # year, month, day segments of Streamlit's date field
    page.keyboard.press("Escape")  # close the calendar that opened over the page
    page.get_by_role("heading", name="Add a report").click()
    page.get_by_role("button", name="Extract incidents").click()
    page.get_by_text("1 incident(s) found").wait_for(timeout=60_000)
    _until_in_map(page, "() => { let n = 0; window.map.eachLayer(l => { if (l.feature && l.feature.properties.incident_id) n++; }); return n === 1; }")
    page.get_by_text("2023-03-07").first.wait_for(state="attached", timeout=30_000)  # "on Tuesday" before 9 March
    page.screenshot(path=str(OUTPUT / "browser_add_report.png"), full_page=True)


HOSTILE_MARKDOWN = "[click](http://evil.example) ![x](http://evil.example/a.png) **bold** <b>x</b>"


@pytest.fixture(scope="module")
def hostile_app_url(tmp_path_factory: pytest.TempPathFactory):
    """The app on a store of one incident whose place and source are markdown and HTML."""
    from tests.incident_rows import incident, store_with

    tmp_path = tmp_path_factory.mktemp("hostile")
    store_with(f"sqlite:///{tmp_path / 'browser.sqlite'}", [incident(1, location=HOSTILE_MARKDOWN, source=HOSTILE_MARKDOWN)])
    with serve_app(tmp_path) as url:
        yield url


def _as_read(text: str) -> str:
    """Text as a reader sees it: without the invisible word joiners that stop autolinking."""
    from mapview.text import WORD_JOINER

    return text.replace(WORD_JOINER, "")


def _assert_no_markup_from_data(page) -> None:
    # A link or image to evil.example; the page's own link to the other page carries the filter's
    # value URL-encoded in its query string (%2F%2Fevil.example), which is not markup.
    assert page.locator('a[href*="//evil.example"], img[src*="//evil.example"]').count() == 0
    assert page.locator("strong", has_text="bold").count() == 0 and page.locator("b", has_text="x").count() == 0


def test_a_place_name_shows_as_text_in_the_story_heading(hostile_app_url, page):
    page.goto(hostile_app_url + "/timeline", wait_until="domcontentloaded")
    page.get_by_role("tab", name="Story").click()
    heading = page.get_by_role("heading", name="1 of 1: 2024-07-14")
    heading.wait_for(timeout=60_000)
    assert HOSTILE_MARKDOWN in _as_read(heading.inner_text())
    _assert_no_markup_from_data(page)


def test_a_source_name_shows_as_text_in_the_filter_caption(hostile_app_url, page):
    from urllib.parse import quote

    page.goto(f"{hostile_app_url}/?sources={quote(HOSTILE_MARKDOWN)}", wait_until="domcontentloaded")
    page.get_by_text("1 incident(s)").wait_for(timeout=60_000)
    captions = page.get_by_test_id("stCaptionContainer").all_inner_texts()
    assert any(f"from {HOSTILE_MARKDOWN}" in _as_read(caption) for caption in captions), captions
    _assert_no_markup_from_data(page)


def _incident_point(frame) -> tuple[float, float, str]:
    """Where on the page the first incident of a canvas layer is drawn, and its place's name."""
    return frame.evaluate("""() => { let layer; window.map.eachLayer(l => { if (l.kimIncidentCount && !layer) layer = l; });
      const p = window.map.latLngToContainerPoint([layer.data.y[0] / 1e4, layer.data.x[0] / 1e4]);
      return [p.x, p.y, new DOMParser().parseFromString(layer.data.places[layer.data.l[0]], 'text/html').documentElement.textContent]; }""")


def test_a_click_on_an_incident_opens_its_popup_clear_of_the_collapsed_layer_control(app_url, page):
    page.goto(app_url, wait_until="domcontentloaded")
    frame = _map_frame(page)
    _wait_for_counts(frame, {"districts": 4, "incidents": 3})
    assert frame.locator(".leaflet-control-layers-expanded").count() == 0
    x, y, place = _incident_point(frame)
    box = page.locator("iframe").first.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    assert place in popup.inner_text() and "Killed" in popup.inner_text()
    assert "adm2_pcodes" not in page.url  # a click on an incident does not filter to its district
    page.screenshot(path=str(OUTPUT / "browser_incident_popup.png"), full_page=True)


def test_zoom_and_centre_survive_a_filter_change(app_url, page):
    page.goto(app_url, wait_until="domcontentloaded")
    frame = _map_frame(page)
    _wait_for_counts(frame, {"districts": 4, "incidents": 3})
    frame.evaluate("() => { window.map.setView([35.47, 44.39], 12, {animate: false}); window.kimKept = true; }")
    page.get_by_role("combobox", name="Event type", exact=True).click()
    page.get_by_role("option", name="Battles").click()
    page.keyboard.press("Escape")
    page.get_by_text("2 incident(s)").wait_for(timeout=60_000)
    frame = _until_in_map(page, "() => window.kimKept === true")
    assert frame.evaluate("() => window.map.getZoom()") == 12
    assert frame.evaluate("() => { const c = window.map.getCenter(); return [Math.round(c.lat * 100), Math.round(c.lng * 100)]; }") == [3547, 4439]


def test_a_chosen_district_is_outlined_and_zoomed_to(app_url, page):
    page.goto(app_url + "/?adm2_pcodes=IQG13Q02", wait_until="domcontentloaded")
    frame = _until_in_map(page, "() => window.kimFittedTo === 'IQG13Q02'")
    bounds = frame.evaluate("() => { const b = window.map.getBounds(); return [b.getSouth(), b.getNorth()]; }")
    assert 34.6 < bounds[0] and bounds[1] < 35.5  # Daquq district, not the whole governorate (34.7 .. 36.0)
    weight = frame.evaluate("""() => { let w; window.map.eachLayer(l => { if (l.feature && l.feature.properties.pcode === 'IQG13Q02' && l.options.pane === 'overlayPane') w = l.options.weight; }); return w; }""")
    assert weight == 4


def test_the_player_steps_from_one_incident_date_to_the_next(app_url, page):
    page.goto(app_url + "/timeline", wait_until="domcontentloaded")
    player = _until_in_map(page, "() => !!(window.map.timeDimension && document.querySelector('.timecontrol-play'))")
    times = player.evaluate("() => window.map.timeDimension.getAvailableTimes().map(t => new Date(t).toISOString().slice(0, 10))")
    assert times == ["2024-07-14", "2024-10-15", "2024-10-17"]  # the seed's dates, and no empty day between
    speed = player.locator(".timecontrol-speed .speed").bounding_box()
    assert speed and speed["x"] >= player.locator(".timecontrol-speed").bounding_box()["x"] + 20  # clear of its icon


def test_jinja_in_the_data_reaches_the_map_as_text_and_never_runs(tmp_path_factory, page):
    from tests.incident_rows import incident, store_with

    tmp_path = tmp_path_factory.mktemp("jinja")
    canary = tmp_path / "ran"
    notes = "{{ cycler.__init__.__globals__.os.mkdir(%r) }} it's {{ 'x' }} {%% if 1 %%}x{%% endif %%}" % str(canary)
    store_with(f"sqlite:///{tmp_path / 'browser.sqlite'}", [incident(1, location="calc {{7*7}} end", notes=notes, latitude=35.14, longitude=44.45, adm2_pcode="IQG13Q02")])
    with serve_app(tmp_path) as url:
        page.goto(url, wait_until="domcontentloaded")
        frame = _map_frame(page)
        assert _wait_for_counts(frame, {"districts": 4, "incidents": 1}) == {"districts": 4, "incidents": 1}
        x, y, place = _incident_point(frame)
        box = page.locator("iframe").first.bounding_box()
        page.mouse.click(box["x"] + x, box["y"] + y)
        popup = frame.locator(".leaflet-popup-content")
        popup.wait_for(timeout=10_000)
        shown = popup.inner_text()
        page.get_by_text("1 incident(s)").wait_for(timeout=30_000)
        assert page.get_by_test_id("stException").count() == 0
    assert place == "calc {{7*7}} end" and place in shown and "49" not in shown
    assert not canary.exists()


PACE_JS = "() => { const b = document.querySelector('.kim-pace'); return b && [b.firstChild.textContent, b.lastChild.textContent]; }"


def test_the_timeline_steps_by_week_with_a_large_date_label_and_running_totals(app_url, page):
    page.goto(app_url + "/timeline?step=week", wait_until="domcontentloaded")
    player = _until_in_map(page, "() => !!(window.map.timeDimension && document.querySelector('.kim-pace-date'))")
    assert player.evaluate(PACE_JS) == ["2024-07-08 – 2024-07-14", "1 incident · 2 killed so far"]
    assert player.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.kim-pace-date')).fontSize)") >= 30
    player.locator(".timecontrol-forward").first.click()
    player = _until_in_map(page, "() => document.querySelector('.kim-pace-date').textContent.startsWith('2024-10-14')")
    assert player.evaluate(PACE_JS) == ["2024-10-14 – 2024-10-20", "3 incidents · 7 killed so far"]  # the empty weeks skipped
    assert player.evaluate("() => window.map.timeDimension.getAvailableTimes().length") == 2
    # A script (a video export) moves the time itself: the label follows.
    player.evaluate("() => window.map.timeDimension.setCurrentTime(window.map.timeDimension.getAvailableTimes()[0])")
    _until_in_map(page, "() => document.querySelector('.kim-pace-totals').textContent === '1 incident · 2 killed so far'")
    page.screenshot(path=str(OUTPUT / "browser_timeline_weeks.png"), full_page=True)


def test_the_maps_link_opens_the_timeline_on_the_same_selection(app_url, page):
    page.goto(app_url + "/?event_types=Battles&metric=fatalities", wait_until="domcontentloaded")
    page.get_by_text("2 incident(s)").wait_for(timeout=60_000)
    page.get_by_role("link", name="Open this selection on the Timeline").click()
    page.wait_for_url("**/timeline?event_types=Battles", timeout=30_000)
    player = _until_in_map(page, "() => !!document.querySelector('.kim-pace-date')")
    captions = page.get_by_test_id("stCaptionContainer").all_inner_texts()
    assert any(caption.startswith("Battles incidents") for caption in captions), captions
    player.evaluate("() => window.map.timeDimension.setCurrentTime(window.map.timeDimension.getAvailableTimes().slice(-1)[0])")
    _until_in_map(page, "() => document.querySelector('.kim-pace-totals').textContent === '2 incidents · 3 killed so far'")
    page.get_by_role("link", name="Open this selection on the Map").click()
    page.wait_for_url("**/?event_types=Battles", timeout=30_000)
    page.get_by_text("2 incident(s)").wait_for(timeout=60_000)
