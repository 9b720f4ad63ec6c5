"""Smoke test of the benchmark at 1,000 incidents: it runs and its JSON is well-formed.

No wall-clock time is asserted (CI machines differ); only the shape of the answer, and
that every comparison carries its speedup (and the map's its bytes ratio).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bench_json() -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--sizes", "1000", "--json"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "[bench]" in done.stderr  # progress goes to stderr, not into the JSON
    return json.loads(done.stdout)


def comparisons(node: object) -> list[dict]:
    """Every dict in the JSON that compares ours with a baseline."""
    found = []
    if isinstance(node, dict):
        if any(key.startswith("baseline_") and key != "baseline_extrapolated" for key in node):
            found.append(node)
        for value in node.values():
            found.extend(comparisons(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(comparisons(value))
    return found


def test_the_answer_names_its_date_machine_and_sizes(bench_json):
    assert {"date", "machine", "versions", "sizes", "runs", "gazetteer", "extraction", "targets"} <= set(bench_json)
    assert bench_json["sizes"] == [1000]
    assert bench_json["machine"]["cores"] >= 1


def test_each_size_has_the_join_the_map_and_memory(bench_json):
    (run,) = bench_json["runs"]
    assert run["size"] == 1000
    assert set(run["join"]["comparisons"]) == {"join_vs_per_point_loop", "join_vs_strtree_query"}
    assert set(run["map"]["comparisons"]) == {"map_vs_one_marker_each"}
    assert run["map"]["kept"] > 900
    assert run["memory"]["peak_rss_mb"] > 0


def test_every_comparison_carries_a_speedup(bench_json):
    found = comparisons(bench_json)
    assert len(found) >= 3
    for comparison in found:
        assert "speedup" in comparison, comparison
        assert comparison["speedup"] is None or comparison["speedup"] > 0


def test_the_map_comparison_carries_a_bytes_ratio(bench_json):
    (run,) = bench_json["runs"]
    rebuild = run["map"]["comparisons"]["map_vs_one_marker_each"]
    assert rebuild["bytes_ratio"] > 0 and rebuild["ours_bytes"] > 0 and rebuild["baseline_bytes"] > 0


def test_the_fast_join_gives_the_loops_answers(bench_json):
    (run,) = bench_json["runs"]
    assert all(c["same_answers"] for c in run["join"]["comparisons"].values())


def test_gazetteer_and_extraction_are_measured_or_said_unavailable(bench_json):
    for name in ("gazetteer", "extraction"):
        section = bench_json[name]
        assert section.get("status") == "not available" or comparisons(section), section


def test_targets_are_listed_and_unrun_sizes_say_so(bench_json):
    assert len(bench_json["targets"]) == 3
    assert all(t["met"] is None and t["measured"] == "size not run" for t in bench_json["targets"])
