"""Debian's chromium, driven by Playwright, showing one of our standalone pages with no network.

The page is written to a temporary file and opened from there; every request that is not
for a local file is refused, so what the browser draws is exactly what the file holds.
"""
from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from errors import SetupProblem

CHROMIUM_PATHS = ("chromium", "chromium-browser", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars",
]
# A page of 3,000 incidents takes a few seconds to parse on a loaded machine.
PAGE_LOAD_TIMEOUT_MS = 120_000


class ChromiumMissing(SetupProblem):
    """Debian's chromium is not installed: the video and print exports need it."""


def find_chromium() -> str:
    """The path of Debian's chromium; ChromiumMissing says how to install it."""
    for name in CHROMIUM_PATHS:
        found = shutil.which(name)
        if found:
            return found
    raise ChromiumMissing(
        "Videos and prints are drawn by Debian's chromium, which is not installed: run "
        "`apt-get install chromium` (as root), then try again."
    )


@contextmanager
def offline_page(html: str, width: int, height: int, scale: float = 1.0) -> Iterator[Any]:
    """A headless chromium page of ``width`` x ``height`` CSS pixels (``scale`` device pixels each)
    showing ``html``, loaded from a temporary file with every network request refused.

    Yields a Playwright ``Page``; the browser is closed on exit.
    """
    executable = find_chromium()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="kirkuk-classroom-") as folder:
        path = Path(folder) / "page.html"
        path.write_text(html, encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale)
                context.route("**/*", _local_files_only)
                page = context.new_page()
                page.goto(path.as_uri(), wait_until="load", timeout=PAGE_LOAD_TIMEOUT_MS)
                wait_for_paint(page)
                yield page
            finally:
                browser.close()


def _local_files_only(route: Any) -> None:
    if route.request.url.startswith(("file:", "data:", "blob:")):
        route.continue_()
    else:
        route.abort()


def wait_for_paint(page: Any) -> None:
    """Until the browser has painted what the page's scripts last drew (two animation frames)."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
