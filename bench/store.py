"""The store benchmark: ``python -m bench.store [--size 1M] [--seed N] [--json]``.

A filter change on the Map page at ``size`` incidents, on SQLite and on PostgreSQL/PostGIS
(a throwaway cluster, see tests/pg_cluster.py), in the same run: today's read-every-incident-
then-filter in pandas against the query push-down (``incidents.queries``: WHERE, only the
asked columns, GROUP BY). Each (backend, approach) runs in a fresh process
(``python -m bench.store measure URL APPROACH``) so that its peak memory is its own.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from bench.run import REPO_ROOT, parse_sizes
from bench.timing import best_of, peak_rss_mb, progress

# A district and two years: what an analyst narrows the map to (about a tenth of the rows).
BENCH_FILTER_FIELDS = {"adm2_pcodes": ("IQG13Q02",), "date_from": date(2020, 1, 1), "date_to": date(2021, 12, 31),
                       "include_undated": False}
APPROACHES = ("read_all_then_filter", "query_in_database")


def page_answer(engine, units, approach: str) -> dict:
    """What the Map page needs after a filter change (rows, unit counts, monthly counts), one way or the other."""
    from incidents import aggregate, queries
    from incidents.filters import IncidentFilter
    from incidents.store import read_incidents

    incident_filter = IncidentFilter(**BENCH_FILTER_FIELDS)
    if approach == "read_all_then_filter":
        shown = incident_filter.apply(read_incidents(engine))
        counts = aggregate.count_by_unit(shown, units, 2)
        monthly = aggregate.monthly_by_district(shown)
    else:
        shown = queries.read_filtered(engine, incident_filter)
        counts = aggregate.unit_metrics(units, queries.counts_by_unit(engine, incident_filter, 2))
        monthly = queries.monthly_by_district(engine, incident_filter)
    return {"rows": len(shown), "killed": int(counts["fatalities"].sum()), "months": len(monthly)}


def peak_rss_of_this_program_mb() -> float:
    """Peak resident memory since this program started, in MB.

    Not ``ru_maxrss``: Linux carries it over ``exec`` from the parent that forked us, and the
    parent here holds a million generated incidents. ``VmHWM`` belongs to this program only.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return peak_rss_mb()


def measure(url: str, approach: str) -> dict:
    """One approach on one store, in this (fresh) process: seconds (best of 3) and peak RSS."""
    from geo.boundaries import load_boundaries
    from incidents.store import connect

    engine = connect(url)
    units = load_boundaries().kirkuk(2)  # loaded once per app process, not per rerun
    before = peak_rss_of_this_program_mb()
    seconds, cpu, answer = best_of(3, lambda: page_answer(engine, units, approach))
    return {"seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3), "peak_rss_mb": peak_rss_of_this_program_mb(),
            "rss_mb_before": before, **answer}


def _measure_in_process(url: str, approach: str) -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-m", "bench.store", "measure", url, approach], cwd=REPO_ROOT, env=env,
                          stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"Measuring {approach} on {url} failed (exit {done.returncode}); its traceback is above.")
    return json.loads(done.stdout)


def fill_stores(size: int, seed: int, urls: dict[str, str]) -> None:
    """Generate ``size`` joined synthetic incidents once and save them in every store."""
    from bench.synthetic import synthetic_incidents
    from geo.boundaries import load_boundaries
    from geo.join import assign_admin_units
    from incidents.store import connect, save_new_incidents

    boundaries = load_boundaries()
    progress(f"{size:,}: generating and joining incidents")
    incidents = assign_admin_units(synthetic_incidents(size, boundaries, seed=seed), boundaries)
    for backend, url in urls.items():
        progress(f"{size:,}: saving into {backend}")
        engine = connect(url)
        seconds, _, _ = best_of(1, lambda engine=engine: save_new_incidents(engine, incidents))
        progress(f"{size:,}: saved into {backend} in {seconds:.0f} s")
        engine.dispose()


def run(size: int, seed: int = 0) -> dict:
    """Both backends, both approaches, in one run."""
    from tests.pg_cluster import start_cluster

    cluster = start_cluster()
    try:
        with tempfile.TemporaryDirectory(prefix="kirkuk-bench-") as folder:
            urls = {"sqlite": f"sqlite:///{Path(folder) / 'incidents.sqlite'}", "postgresql": cluster.create_database("bench")}
            fill_stores(size, seed, urls)
            results = {}
            for backend, url in urls.items():
                for approach in APPROACHES:
                    progress(f"{size:,}: {backend}, {approach}")
                    results[f"{backend}/{approach}"] = _measure_in_process(url, approach)
    finally:
        cluster.stop()
    return {"size": size, "filter": {k: str(v) for k, v in BENCH_FILTER_FIELDS.items()}, "results": results}


def format_table(result: dict) -> str:
    """The results as a Markdown table, with the push-down's speed-up per backend."""
    lines = [f"Filter change at {result['size']:,} incidents ({result['filter']})", "",
             "| backend | approach | server time (s) | peak RSS (MB) | rows kept | speed-up |",
             "| --- | --- | ---: | ---: | ---: | ---: |"]
    rows = result["results"]
    for key, row in rows.items():
        backend, approach = key.split("/")
        baseline = rows[f"{backend}/read_all_then_filter"]["seconds"]
        speedup = f"{baseline / row['seconds']:.1f}×" if approach == "query_in_database" and row["seconds"] else ""
        lines.append(f"| {backend} | {approach} | {row['seconds']:.3f} | {row['peak_rss_mb']:.0f} | {row['rows']:,} | {speedup} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["measure"]:
        json.dump(measure(argv[1], argv[2]), sys.stdout)
        print()
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench.store", description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=lambda text: parse_sizes(text)[0], default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run(args.size, args.seed)
    print(json.dumps(result) if args.json else format_table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
