"""The map from the user's seat: ``python -m bench.browser [--sizes 1000,10000] [--repeats 3] [--json]``.

For each size, a store of synthetic incidents (bench.synthetic, joined as an import
would) is served twice by ``streamlit run``: our app, and a minimal ``st.pydeck_chart``
page of the same data (bench/pydeck_page.py). Debian's chromium, driven by Playwright,
opens each page in a fresh browser context and measures: until the first map is drawn,
then one filter change (event type "Battles") until the map has redrawn, and until the
count under the table has changed too (ours sends the map first); the bytes the
browser received (HTTP bodies and websocket frames) in each phase, the JS heap and the
server's resident memory. Every repeat stands beside the load average of its moment:
this is a shared 2-core machine and the ratio between the two pages is what holds.
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any, Iterator

from bench.run import machine, parse_sizes
from bench.timing import progress

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As tests/test_browser.py: no sandbox (containers), and nothing that talks to the internet.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
FILTER_LABEL, FILTER_VALUE = "Event type", "Battles"
TIMEOUT_MS = 300_000
COUNT_HEADING_JS = """() => { const h = [...document.querySelectorAll('h3')].find(h => /^\\d+ incident\\(s\\)$/.test(h.innerText.trim()));
  return h ? h.innerText.trim() : null; }"""


@dataclass(frozen=True)
class Page:
    """A page to measure: its script, and the JS (run in each frame) that says its map is drawn.

    ``drawn_js`` answers a number that grows with every redraw (0: nothing drawn yet), so a
    map that stays across a filter change is seen to redraw as well as one that is replaced.
    """

    name: str
    script: Path
    drawn_js: str
    counts_redraws: bool = True


# Ours: streamlit-folium's frame holds the Leaflet map. A map replaced by a new frame starts
# over at 1; a map that stays counts its redraws in window.kimRedraws (mapview's layers).
OURS = Page(
    "ours",
    REPO_ROOT / "app.py",
    """() => { if (!window.map || !window.L) return 0;
      const drawn = document.querySelector('.leaflet-overlay-pane canvas, .leaflet-overlay-pane path, .leaflet-marker-pane > *');
      if (!drawn) return 0;
      if (window.kimBenchSeen === undefined) window.kimBenchSeen = ++window.parent.kimBenchFrames;
      return window.kimBenchSeen * 1000 + (window.kimRedraws || 0); }""",
)
# deck.gl draws into a canvas of Streamlit's own page; its JSON spec changes with each rerun.
PYDECK = Page(
    "pydeck",
    REPO_ROOT / "bench" / "pydeck_page.py",
    """() => { const c = document.querySelector('[data-testid="stDeckGlJsonChart"] canvas');
      return c && c.width > 0 ? 1 : 0; }""",
    counts_redraws=False,  # deck.gl redraws in place; the count under it says the rerun arrived
)


def build_store(path: Path, size: int, seed: int = 0) -> int:
    """A SQLite store of ``size`` synthetic incidents, joined to the boundaries; returns its count."""
    from bench.synthetic import synthetic_incidents
    from geo.boundaries import load_boundaries
    from geo.join import assign_admin_units
    from incidents.store import connect, save_incidents

    boundaries = load_boundaries()
    incidents = assign_admin_units(synthetic_incidents(size, boundaries, seed=seed), boundaries)
    engine = connect(f"sqlite:///{path}")
    saved = save_incidents(engine, incidents)
    engine.dispose()
    return saved


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(script: Path, store: Path, log_path: Path) -> Iterator[tuple[str, int]]:
    """``streamlit run script`` on a free port with $KIRKUK_DB=store; yields (url, server pid)."""
    port = _free_port()
    env = os.environ | {"KIRKUK_DB": str(store), "PYTHONPATH": str(REPO_ROOT)}
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port), "--server.address",
             "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError(f"streamlit did not start; its log: {log_path}") from None
                    time.sleep(0.3)
            yield url, server.pid
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:  # still busy with a rerun of a large store
                server.kill()
                server.wait(timeout=30)


class Received:
    """Bytes the browser received, counted from the DevTools protocol: HTTP and websocket."""

    def __init__(self, cdp: Any) -> None:
        self.http = 0
        self.websocket = 0
        cdp.send("Network.enable")
        cdp.on("Network.loadingFinished", lambda e: self._add_http(e.get("encodedDataLength", 0)))
        cdp.on("Network.webSocketFrameReceived", lambda e: self._add_frame(e["response"]))

    def _add_http(self, length: float) -> None:
        self.http += int(length)

    def _add_frame(self, frame: dict) -> None:
        payload = frame.get("payloadData", "")
        # Binary frames (opcode 2, Streamlit's protobuf messages) arrive base64-encoded.
        self.websocket += len(base64.b64decode(payload)) if frame.get("opcode") == 2 else len(payload.encode())

    @property
    def total(self) -> int:
        return self.http + self.websocket


def _drawn(page: Any, drawn_js: str) -> int:
    best = 0
    for frame in page.frames:
        try:
            best = max(best, int(frame.evaluate(drawn_js) or 0))
        except Exception:  # a frame detached or still loading
            continue
    return best


def _redrawn(page: Any, page_spec: Page, drawn_before: int) -> bool:
    drawn = _drawn(page, page_spec.drawn_js)
    return drawn > 0 and (drawn != drawn_before or not page_spec.counts_redraws)


def _wait(page: Any, condition: Any, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"The page did not show {what} within {TIMEOUT_MS // 1000} s")
        page.wait_for_timeout(50)


def _heading_changed(page: Any, heading: str | None) -> bool:
    return page.evaluate(COUNT_HEADING_JS) not in (None, heading)


def _heap_mb(cdp: Any) -> float:
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return round(metrics.get("JSHeapUsedSize", 0) / 2**20, 1)


def _mb(count: int) -> float:
    return round(count / 2**20, 2)


def measure_once(browser: Any, url: str, page_spec: Page, server_pid: int) -> dict:
    """One fresh browser context: first map drawn, then one filter change redrawn."""
    import psutil

    context = browser.new_context(viewport={"width": 1280, "height": 1100})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    received = Received(cdp)
    load_average = round(os.getloadavg()[0], 2)
    started = time.perf_counter()
    page.add_init_script("window.kimBenchFrames = 0;")
    page.goto(url, wait_until="commit")
    _wait(page, lambda: page.evaluate(COUNT_HEADING_JS) is not None and _drawn(page, page_spec.drawn_js) > 0, "its first map")
    first_s = time.perf_counter() - started
    first_bytes = received.total
    page.wait_for_timeout(1000)  # let late messages land before the filter change is counted
    heading, drawn_before, bytes_before = page.evaluate(COUNT_HEADING_JS), _drawn(page, page_spec.drawn_js), received.total
    page.get_by_role("combobox", name=FILTER_LABEL, exact=True).click()
    option = page.get_by_role("option", name=FILTER_VALUE, exact=True)
    option.wait_for(timeout=TIMEOUT_MS)
    started = time.perf_counter()
    option.click()
    seen: dict[str, float] = {}

    def settled() -> bool:
        # The map may redraw before the rest of the page (ours sends it first): both times are kept.
        if "map" not in seen and _redrawn(page, page_spec, drawn_before) and (page_spec.counts_redraws or _heading_changed(page, heading)):
            seen["map"] = time.perf_counter() - started
        if "page" not in seen and _heading_changed(page, heading):
            seen["page"] = time.perf_counter() - started
        return len(seen) == 2

    _wait(page, settled, "the filtered map")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    change_s = time.perf_counter() - started
    change_bytes = received.total - bytes_before
    result = {
        "first_map_s": round(first_s, 2),
        "first_map_mb": _mb(first_bytes),
        "filter_change_s": round(change_s, 2),
        "filter_change_map_s": round(seen["map"], 2),
        "filter_change_mb": _mb(change_bytes),
        "js_heap_mb": _heap_mb(cdp),
        "server_rss_mb": round(psutil.Process(server_pid).memory_info().rss / 2**20, 1),
        "load_average": load_average,
    }
    context.close()
    return result


def summarise(repeats: list[dict]) -> dict:
    """Medians of the repeats, with every repeat kept beside them."""
    keys = [k for k in repeats[0] if k != "load_average"]
    return {"median": {k: round(median(r[k] for r in repeats), 2) for k in keys}, "repeats": repeats}


def measure_size(size: int, repeats: int, workdir: Path, seed: int = 0) -> dict:
    """Both pages on one store of ``size`` incidents, ``repeats`` fresh page loads each."""
    from playwright.sync_api import sync_playwright

    store = workdir / f"incidents-{size}.sqlite"
    progress(f"{size:,}: building the store")
    build_store(store, size, seed)
    result: dict[str, Any] = {"size": size}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for page_spec in (OURS, PYDECK):
            with serve(page_spec.script, store, workdir / f"{page_spec.name}-{size}.log") as (url, pid):
                runs = []
                for repeat in range(repeats):
                    progress(f"{size:,}: {page_spec.name}, repeat {repeat + 1} of {repeats}")
                    runs.append(measure_once(browser, url, page_spec, pid))
                result[page_spec.name] = summarise(runs)
        browser.close()
    ours, deck = result["ours"]["median"], result["pydeck"]["median"]
    result["filter_change_speedup_vs_pydeck"] = round(deck["filter_change_s"] / ours["filter_change_s"], 2) if ours["filter_change_s"] else None
    result["map_redraw_speedup_vs_pydeck"] = round(deck["filter_change_map_s"] / ours["filter_change_map_s"], 2) if ours["filter_change_map_s"] else None
    return result


def _figure(run: dict, key: str, unit: str) -> str:
    loads = "/".join(f"{r['load_average']:.1f}" for r in run["repeats"])
    return f"{run['median'][key]:g} {unit} (load {loads})"


def format_table(result: dict) -> str:
    """The README's table: one row per measure and page, one column per size (medians)."""
    rows = [
        ("first map drawn", "first_map_s", "s"), ("first map, bytes received", "first_map_mb", "MB"),
        ("filter change: map redrawn", "filter_change_map_s", "s"),
        ("filter change: map and count under the table", "filter_change_s", "s"), ("filter change, bytes received", "filter_change_mb", "MB"),
        ("JS heap", "js_heap_mb", "MB"), ("server RSS", "server_rss_mb", "MB"),
    ]
    sizes = [run["size"] for run in result["runs"]]
    lines = [f"| median of {result['repeats']} (load average per repeat) | " + " | ".join(f"{s:,} incidents" for s in sizes) + " |",
             "| --- |" + " ---: |" * len(sizes)]
    for label, key, unit in rows:
        for page in ("ours", "pydeck"):
            name = "ours" if page == "ours" else "`st.pydeck_chart`"
            lines.append(f"| {name}: {label} | " + " | ".join(_figure(run[page], key, unit) for run in result["runs"]) + " |")
    lines.append("| map redrawn, pydeck time / ours | " + " | ".join(f"{run['map_redraw_speedup_vs_pydeck']}x" for run in result["runs"]) + " |")
    lines.append("| map and count, pydeck time / ours | " + " | ".join(f"{run['filter_change_speedup_vs_pydeck']}x" for run in result["runs"]) + " |")
    return "\n".join(lines)


def run_browser_benchmark(sizes: list[int], repeats: int = 3, seed: int = 0) -> dict:
    """Every size, as one JSON-ready dict."""
    with tempfile.TemporaryDirectory(prefix="kim-browser-bench-") as workdir:
        runs = []
        for size in sizes:
            runs.append(measure_size(size, repeats, Path(workdir), seed))
            progress(f"{size:,}: " + json.dumps(runs[-1]))  # kept on stderr should a larger size fail
    return {"machine": machine(), "sizes": sizes, "repeats": repeats, "runs": runs}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.browser", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=parse_sizes, default=[1_000, 10_000, 100_000], help="comma-separated incident counts (default: %(default)s)")
    parser.add_argument("--repeats", type=int, default=3, help="fresh page loads per page and size (default: %(default)s)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    result = run_browser_benchmark(args.sizes, args.repeats, args.seed)
    print(json.dumps(result, indent=1) if args.json else format_table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
