"""Smoke test of the browser benchmark at 1,000 incidents: it runs, and its answer has its shape.

No time is asserted (machines differ); only that both pages were measured on each figure,
every repeat beside its load average, and that the table prints.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT
from tests.test_browser import CHROMIUM

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)")
FIGURES = {"first_map_s", "first_map_mb", "filter_change_s", "filter_change_map_s", "filter_change_mb", "js_heap_mb", "server_rss_mb"}


@pytest.fixture(scope="module")
def browser_bench() -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "bench.browser", "--sizes", "1000", "--repeats", "1", "--json"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_both_pages_are_measured_at_each_size(browser_bench):
    (run,) = browser_bench["runs"]
    assert run["size"] == 1000
    for page in ("ours", "pydeck"):
        assert set(run[page]["median"]) == FIGURES
        (repeat,) = run[page]["repeats"]
        assert set(repeat) == FIGURES | {"load_average"}
        assert all(repeat[key] > 0 for key in FIGURES)
    assert run["filter_change_speedup_vs_pydeck"] > 0 and run["map_redraw_speedup_vs_pydeck"] > 0


def test_the_table_has_a_row_per_figure_and_page(browser_bench):
    from bench.browser import format_table

    table = format_table(browser_bench).splitlines()
    assert len(table) == 2 + 2 * len(FIGURES) + 2
    assert all("load" in line for line in table[2:-2])
