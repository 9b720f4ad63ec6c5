"""Smoke test of the timeline benchmark on a small table (no wall-clock time is asserted)."""
from __future__ import annotations

from bench.timeline import main, run


def test_the_timeline_benchmark_counts_fewer_steps_for_longer_steps(capsys):
    result = run(150)
    whole = result["whole"]
    assert whole["day"]["steps"] > whole["week"]["steps"] > whole["month"]["steps"] > 0
    assert whole["auto"]["step"] == "month"  # six years: a step a month
    assert all(row["page_bytes"] > 0 and row["seconds_asked_60"] >= 59 for row in whole.values())
    assert 0 < result["hawija_2014_2017"]["incidents"] < result["incidents"]
    assert main(["--count", "60"]) == 0 and "hawija_2014_2017" in capsys.readouterr().out
