"""The benchmark: ``python -m bench [--sizes 1000,10000,100000,1000000] [--json]``.

For each size a fresh process (``bench.worker``) generates synthetic incidents and
measures the spatial join, the map rebuild of a filter change and peak memory; then the
gazetteer and extraction benchmarks run once. Every figure stands beside a naive
baseline measured in the same run, so the ratio holds on a noisy machine. Progress goes
to stderr; the table (or, with ``--json``, one JSON object) to stdout.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from bench.report import format_table, targets
from bench.timing import progress

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (1_000, 10_000, 100_000, 1_000_000)
REPORTS_DIR = REPO_ROOT / "tests" / "data" / "reports"


def parse_sizes(text: str) -> list[int]:
    """Sizes from "1000,10000" (underscores and "k"/"M" suffixes allowed).

    >>> parse_sizes("1k,10_000,1M")
    [1000, 10000, 1000000]
    """
    sizes = []
    for part in text.split(","):
        part = part.strip().replace("_", "").lower()
        factor = {"k": 1_000, "m": 1_000_000}.get(part[-1:], 1)
        number = part[:-1] if factor > 1 else part
        if not number.isdigit() or int(number) <= 0:
            raise argparse.ArgumentTypeError(f"--sizes takes positive whole numbers separated by commas, e.g. 1000,100000 (got {text!r}).")
        sizes.append(int(number) * factor)
    return sizes


def run_size(size: int, seed: int) -> dict:
    """Measure one size in a fresh Python process and return its JSON answer."""
    command = [sys.executable, "-m", "bench.worker", str(size), "--seed", str(seed)]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])))
    done = subprocess.run(command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"The benchmark of size {size:,} failed (exit {done.returncode}); its traceback is above.")
    return json.loads(done.stdout)


def machine() -> dict:
    """What the figures were measured on."""
    import psutil

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
    }


def versions() -> dict:
    """Versions of the libraries whose speed is measured."""
    import folium
    import geopandas
    import numpy
    import pandas
    import shapely

    return {m.__name__: m.__version__ for m in (geopandas, shapely, pandas, numpy, folium)}


def optional_benchmark(name: str, modules: tuple[str, ...], run: Callable[[], dict]) -> dict:
    """Run the gazetteer or extraction benchmark, or say it is not available yet.

    Only an ImportError of those benchmarks' own modules counts as "not available" (they
    are being written beside this one); any other error propagates.
    """
    try:
        return run()
    except ImportError as error:
        if getattr(error, "name", None) not in modules:
            raise
        return {"status": "not available", "reason": f"{name}: {error}"}


def measure_gazetteer_once() -> dict:
    """Gazetteer lookups per second (exact, normalised, fuzzy) beside naive scans."""
    from bench.gazetteer import measure_gazetteer
    from geo.boundaries import load_boundaries
    from geo.gazetteer import load_gazetteer

    return measure_gazetteer(load_gazetteer(boundaries=load_boundaries()))


def measure_extraction_once() -> dict:
    """Reports extracted per second and accuracy, beside the naive extractor; with a speedup."""
    from bench.extraction import measure_extraction
    from geo.boundaries import load_boundaries
    from geo.gazetteer import load_gazetteer

    runs = measure_extraction(load_gazetteer(boundaries=load_boundaries()), REPORTS_DIR)
    ours, naive = runs["extractor"]["summary"], runs["baseline"]["summary"]
    summary = {
        "reports": ours["reports"],
        "ours_per_second": round(ours["reports_per_second"], 1),
        "baseline": "naive: one incident per report, first number killed, first place, first date",
        "baseline_per_second": round(naive["reports_per_second"], 1),
        "baseline_seconds": round(naive["seconds"], 4),
        "ours_seconds": round(ours["seconds"], 4),
        "speedup": round(naive["seconds"] / ours["seconds"], 3) if ours["seconds"] else None,
        "ours_place_accuracy": round(ours["place_accuracy"], 3),
        "baseline_place_accuracy": round(naive["place_accuracy"], 3),
        "ours_type_accuracy": round(ours["type_accuracy"], 3),
        "baseline_type_accuracy": round(naive["type_accuracy"], 3),
    }
    return {"comparison": summary, "runs": {k: v["summary"] for k, v in runs.items()}}


def run_benchmark(sizes: list[int], seed: int = 0) -> dict[str, Any]:
    """Every measurement, as one JSON-ready dict."""
    started = datetime.now(timezone.utc)
    result: dict[str, Any] = {"date": started.isoformat(timespec="seconds"), "machine": machine(), "versions": versions()}
    result["sizes"] = sizes
    result["runs"] = []
    for size in sizes:
        progress(f"size {size:,} in a fresh process")
        result["runs"].append(run_size(size, seed))
    progress("gazetteer lookups")
    result["gazetteer"] = optional_benchmark("gazetteer", ("bench.gazetteer", "geo.gazetteer"), measure_gazetteer_once)
    progress("report extraction")
    result["extraction"] = optional_benchmark("extraction", ("bench.extraction", "reports.extract"), measure_extraction_once)
    result["targets"] = targets(result)
    result["seconds"] = round((datetime.now(timezone.utc) - started).total_seconds(), 1)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=parse_sizes, default=list(DEFAULT_SIZES), help="comma-separated incident counts (default: %(default)s)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic incidents")
    args = parser.parse_args(argv)
    result = run_benchmark(args.sizes, args.seed)
    print(json.dumps(result, indent=1) if args.json else format_table(result))
    return 0
