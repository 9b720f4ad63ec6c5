"""Timing and memory helpers shared by the benchmark's measurements."""
from __future__ import annotations

import resource
import sys
import time
from typing import Callable, TypeVar

T = TypeVar("T")


def best_of(repeats: int, work: Callable[[], T]) -> tuple[float, float, T]:
    """Run ``work`` ``repeats`` times; the fastest wall-clock seconds, its CPU seconds, and its result.

    The fastest run is the one least disturbed by other processes on a shared machine.
    """
    best: tuple[float, float, T] | None = None
    for _ in range(max(repeats, 1)):
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        run = (time.perf_counter() - wall, time.process_time() - cpu, result)
        if best is None or run[0] < best[0]:
            best = run
    assert best is not None
    return best


def comparison(ours_s: float, baseline_s: float, baseline: str, measured_on: int, size: int, **extra: object) -> dict:
    """One "ours against a baseline" record; ``speedup`` is baseline time divided by ours.

    When the baseline ran on fewer items than ours (``measured_on`` < ``size``) its time is
    scaled up linearly and marked as extrapolated: the baselines are per-item loops.
    """
    scale = size / measured_on if measured_on else 1.0
    baseline_total = baseline_s * scale
    return {
        "ours_seconds": round(ours_s, 4),
        "baseline": baseline,
        "baseline_seconds": round(baseline_total, 4),
        "baseline_measured_on": measured_on,
        "baseline_extrapolated": measured_on < size,
        "speedup": round(baseline_total / ours_s, 1) if ours_s > 0 else None,
        **extra,
    }


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (ru_maxrss is KB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def progress(message: str) -> None:
    """A progress line on stderr (stdout carries the results)."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)
