"""Where the browser's time goes: ``python -m bench.browser_profile [--size 10000] [--repeats 2]``.

For one store of synthetic incidents and our app (as bench.browser), each repeat opens the
page in a fresh browser context and, for the first map and for one filter change, prints:
the websocket messages received (milliseconds after the start, bytes: the map's message is
the large one), and the CPU profile of the page's main thread (DevTools ``Profiler``)
summed by script, with the idle share. Idle time is waiting: for the server's rerun, for
the network, or for the other processes of a shared machine. Figures go to stdout, one
block per phase; nothing is asserted.
"""
from __future__ import annotations

import argparse
import base64
import os
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.browser import (
    CHROMIUM, CHROMIUM_ARGS, COUNT_HEADING_JS, FILTER_LABEL, FILTER_VALUE, OURS, _drawn, _redrawn, _wait, build_store, serve,
)
from bench.timing import progress


class Messages:
    """Websocket messages the page received: (ms since ``reset``, bytes)."""

    def __init__(self, cdp: Any) -> None:
        self.received: list[tuple[int, int]] = []
        self.started = time.monotonic()
        cdp.on("Network.webSocketFrameReceived", self._add)

    def _add(self, event: dict) -> None:
        frame = event["response"]
        payload = frame.get("payloadData", "")
        size = len(base64.b64decode(payload)) if frame.get("opcode") == 2 else len(payload.encode())
        self.received.append((round((time.monotonic() - self.started) * 1000), size))

    def reset(self) -> None:
        self.received, self.started = [], time.monotonic()


def by_script(profile: dict) -> Counter:
    """Milliseconds of CPU samples per script file name ("(idle)", "(program)", "(gc)" for V8's own)."""
    nodes = {node["id"]: node["callFrame"] for node in profile["nodes"]}
    totals: Counter = Counter()
    for sample, delta in zip(profile["samples"], profile["timeDeltas"]):
        frame = nodes[sample]
        name = frame["url"].rsplit("/", 1)[-1] or frame["functionName"] or "(native)"
        totals[name.replace("(garbage collector)", "(gc)")] += delta / 1000
    return totals


def report(phase: str, seconds: float, messages: Messages, profile: dict) -> None:
    totals = by_script(profile)
    sampled = sum(totals.values())
    print(f"{phase}: {seconds:.2f} s, load average {os.getloadavg()[0]:.1f}; main thread idle {totals['(idle)'] / max(sampled, 1):.0%} of {sampled / 1000:.2f} s sampled")
    large = [(at, size) for at, size in messages.received if size > 2_000]
    print(f"  websocket: {sum(s for _, s in messages.received):,} bytes in {len(messages.received)} messages; over 2 kB (ms, bytes): {large}")
    busy = [(name, round(ms)) for name, ms in totals.most_common() if name != "(idle)"][:12]
    print(f"  CPU by script (ms): {busy}")


def profile_once(browser: Any, url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 1100})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    messages = Messages(cdp)
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 500})
    cdp.send("Profiler.start")
    page.add_init_script("window.kimBenchFrames = 0;")
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    _wait(page, lambda: page.evaluate(COUNT_HEADING_JS) is not None and _drawn(page, OURS.drawn_js) > 0, "its first map")
    report("first map", time.perf_counter() - started, messages, cdp.send("Profiler.stop")["profile"])
    page.wait_for_timeout(1000)
    heading, drawn_before = page.evaluate(COUNT_HEADING_JS), _drawn(page, OURS.drawn_js)
    page.get_by_role("combobox", name=FILTER_LABEL, exact=True).click()
    option = page.get_by_role("option", name=FILTER_VALUE, exact=True)
    option.wait_for()
    cdp.send("Profiler.start")
    messages.reset()
    started = time.perf_counter()
    option.click()
    _wait(page, lambda: page.evaluate(COUNT_HEADING_JS) not in (None, heading) and _redrawn(page, OURS, drawn_before), "the filtered map")
    report("filter change", time.perf_counter() - started, messages, cdp.send("Profiler.stop")["profile"])
    context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.browser_profile", description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=2, help="fresh page loads (the first also warms the server's caches)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="kim-browser-profile-") as workdir:
        store = Path(workdir) / "incidents.sqlite"
        progress(f"{args.size:,}: building the store")
        build_store(store, args.size)
        with sync_playwright() as playwright, serve(OURS.script, store, Path(workdir) / "app.log") as (url, _pid):
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for repeat in range(args.repeats):
                print(f"== {args.size:,} incidents, repeat {repeat + 1} of {args.repeats}")
                profile_once(browser, url)
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
