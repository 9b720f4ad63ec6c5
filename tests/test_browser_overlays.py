"""In a real browser: the Map page loads the cluster and heat-map plugins only when those
layers are switched on, and then draws them on the map it keeps (tests/test_browser.py
starts the app and the browser)."""
from __future__ import annotations

from tests.test_browser import _until_in_map, app_url, page, pytestmark  # noqa: F401  (fixtures and the skip)

CLUSTERED_JS = """() => { let n = 0; window.map.eachLayer(l => {
  if (L.MarkerClusterGroup && l instanceof L.MarkerClusterGroup) n += l.getLayers().length; }); return n > 0; }"""
HEAT_JS = "() => !!document.querySelector('canvas.leaflet-heatmap-layer')"


def test_clusters_and_heat_load_their_plugins_when_switched_on(app_url, page):  # noqa: F811 (the fixtures)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(app_url, wait_until="domcontentloaded")
    frame = _until_in_map(page, "() => window.kimRedraws > 0")
    assert frame.evaluate("() => [!!L.markerClusterGroup, !!L.heatLayer]") == [False, False]  # not on the first map
    assert not [url for url in requested if "markercluster" in url or "heat" in url]

    page.get_by_text("Clusters", exact=True).click()
    frame = _until_in_map(page, CLUSTERED_JS)
    page.get_by_text("Heat map", exact=True).click()
    frame = _until_in_map(page, HEAT_JS)
    assert frame.evaluate(CLUSTERED_JS)  # the clusters stay while the heat map is added
    loaded = [url for url in requested if "markercluster" in url.lower() or "heat" in url.lower()]
    assert loaded and all(url.startswith(app_url) for url in loaded)  # served by the app itself
    assert "layers=clusters%2Cheat" in page.url


def test_a_link_with_the_heat_map_on_draws_it_on_the_first_map(app_url, page):  # noqa: F811 (the fixtures)
    page.goto(app_url + "/?layers=heat", wait_until="domcontentloaded")
    frame = _until_in_map(page, HEAT_JS)
    assert frame.evaluate("() => !!L.heatLayer && !L.markerClusterGroup")
