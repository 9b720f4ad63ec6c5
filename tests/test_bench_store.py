"""Smoke test of the store benchmark at 2,000 incidents: both backends, both approaches, the
same answer each way (no wall-clock time is asserted: CI machines differ)."""
from __future__ import annotations

import pytest

from bench.store import APPROACHES, format_table, run
from tests.pg_cluster import missing_reason

pytestmark = pytest.mark.skipif(missing_reason() is not None, reason=f"PostgreSQL tests need the server binaries: {missing_reason()}")


def test_the_store_benchmark_compares_both_approaches_on_both_backends():
    result = run(2_000)
    rows = result["results"]
    assert set(rows) == {f"{backend}/{approach}" for backend in ("sqlite", "postgresql") for approach in APPROACHES}
    answers = {(row["rows"], row["killed"], row["months"]) for row in rows.values()}
    assert len(answers) == 1 and next(iter(answers))[0] > 0  # every way gives the same page
    assert all(row["seconds"] > 0 and row["peak_rss_mb"] > 0 for row in rows.values())
    assert "| postgresql | query_in_database |" in format_table(result)
