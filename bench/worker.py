"""One benchmark size in a fresh process: ``python -m bench.worker SIZE [--seed N] [--repeats N]``.

Prints one JSON object on stdout. Each size runs in its own process so that its peak
memory is its own, not the high-water mark of a larger size measured earlier; and our
code runs first, the peak is read, and only then do the naive baselines run.
"""
from __future__ import annotations

import argparse
import gc
import json
import sys

from bench import join, mapbuild
from bench.synthetic import synthetic_incidents
from bench.timing import best_of, peak_rss_mb, progress
from geo.boundaries import load_boundaries


def measure_size(size: int, seed: int = 0, repeats: int | None = None) -> dict:
    """Generate ``size`` incidents and measure the join, the map rebuild and peak memory."""
    repeats = repeats if repeats is not None else (3 if size <= 100_000 else 1)
    boundaries = load_boundaries()
    progress(f"{size:,}: generating incidents")
    generate_s, _, incidents = best_of(1, lambda: synthetic_incidents(size, boundaries, seed=seed))
    after_generation = peak_rss_mb()
    progress(f"{size:,}: spatial join")
    join_ours = join.time_ours(incidents, boundaries, repeats=max(repeats, 3))
    joined = join_ours["joined"]
    del incidents
    gc.collect()
    progress(f"{size:,}: filter, aggregate, map")
    map_ours = mapbuild.time_ours(joined, boundaries, repeats=repeats)
    peak = peak_rss_mb()
    progress(f"{size:,}: baselines (per-point loop, STRtree query, one marker per incident)")
    result = {
        "size": size,
        "generate_seconds": round(generate_s, 3),
        "join": join.compare_with_baselines(join_ours, boundaries),
        "map": mapbuild.compare_with_baseline(map_ours, joined),
    }
    result["memory"] = {
        "peak_rss_mb": peak,
        "peak_rss_mb_after_generating": after_generation,
        "peak_rss_mb_with_baselines": peak_rss_mb(),
    }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.worker", description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=None)
    args = parser.parse_args(argv)
    json.dump(measure_size(args.size, args.seed, args.repeats), sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
