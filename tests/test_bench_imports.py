"""Smoke test of the import benchmark on a small file: it runs, and both sides read every row."""
from __future__ import annotations

from bench.imports import format_line, measure


def test_the_import_benchmark_reads_every_row_on_both_sides():
    record = measure(500)

    assert (record["accepted"], record["rejected"], record["baseline_accepted"]) == (500, 0, 500)
    assert record["ours_rows_per_second"] > 0 and record["speedup"] is not None
    assert format_line(record).startswith("ACLED import, 500 rows")
