"""Benchmark of the ACLED import: ``python -m bench.imports [--rows 100000] [--json]``.

Writes a synthetic ACLED CSV in today's layout (31 columns, Kirkuk places, a quoted
multi-line note now and then), then times ``read_acled_csv`` (chunked parsing, every rule
of the schema, rejects with line numbers) beside a naive baseline in the same run:
``pandas.read_csv`` and a per-row Python loop that checks the date, the coordinates and
the event type. The baseline runs on at most BASELINE_MAX_ROWS rows and is scaled up.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from bench.timing import best_of, comparison, progress
from importers import read_acled_csv
from incidents.schema import EVENT_TYPES

BASELINE_MAX_ROWS = 20_000  # the per-row loop runs some 10k rows a second: scale beyond this
HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,"
    "actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,"
    "latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp"
).split(",")
PLACES = (
    ("Kirkuk", "Markaz Kirkuk", 35.4681, 44.3922), ("Al-Hawiga", "Markaz Al-Hawiga", 35.3283, 43.7594),
    ("Daquq", "Markaz Daquq", 35.1387, 44.4515), ("Dibis", "Markaz Dibis", 35.6406, 44.0706),
    ("Dibis", "Altun Qupri", 35.7606, 44.1456), ("Kirkuk", "Taza Khormato", 35.3040, 44.3290),
)
PAIRS = tuple((kind, sub) for kind, subs in EVENT_TYPES.items() for sub in subs)


def write_acled_csv(path: Path, rows: int, seed: int = 0) -> None:
    """A synthetic ACLED export of ``rows`` valid events (invented; shaped like the Data Export Tool's CSV)."""
    rng = np.random.default_rng(seed)
    place = rng.integers(len(PLACES), size=rows)
    pair = rng.integers(len(PAIRS), size=rows)
    days = rng.integers(0, 3650, size=rows)
    jitter = rng.normal(0, 0.01, size=(rows, 2))
    start = np.datetime64("2015-01-01")
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for i in range(rows):
            admin2, admin3, lat, lon = PLACES[place[i]]
            kind, sub = PAIRS[pair[i]]
            day = str(start + days[i])
            note = f"On {day}, an invented {sub.lower()} near {admin3}." + ("\nA second line of the note." if i % 50 == 0 else "")
            writer.writerow([
                f"IRQ{i + 1}", day, day[:4], 1, "Political violence", kind, sub, "Islamic State (Iraq)", "", "Rebel group",
                "Military Forces of Iraq (2022-)", "", "State forces", "State forces-Rebel group", "", 368, "Middle East", "Iraq",
                "Kirkuk", admin2, admin3, admin3, round(lat + jitter[i, 0], 4), round(lon + jitter[i, 1], 4), 1 + i % 2,
                "Invented News", "National", note, i % 4, "", 1_700_000_000,
            ])


def naive_import(path: Path, max_rows: int | None = None) -> tuple[int, int]:
    """The baseline: pandas.read_csv, then one Python check per row; (accepted, rejected)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, nrows=max_rows)
    pairs = set(PAIRS)
    accepted = rejected = 0
    for row in frame.to_dict("records"):
        try:
            datetime.strptime(row["event_date"], "%Y-%m-%d")
            lat, lon = float(row["latitude"]), float(row["longitude"])
            ok = -90 <= lat <= 90 and -180 <= lon <= 180 and (row["event_type"], row["sub_event_type"]) in pairs
            ok = ok and row["geo_precision"] in ("1", "2", "3") and int(row["fatalities"] or 0) >= 0
        except ValueError:
            ok = False
        accepted, rejected = accepted + ok, rejected + (not ok)
    return accepted, rejected


def measure(rows: int, seed: int = 0) -> dict:
    """Ours and the baseline on one synthetic file: rows per second of each and the speedup."""
    with tempfile.TemporaryDirectory(prefix="kirkuk-bench-") as directory:
        path = Path(directory) / "acled.csv"
        progress(f"writing a {rows:,}-row ACLED CSV")
        write_acled_csv(path, rows, seed)
        size_mb = path.stat().st_size / 1024 / 1024
        progress("timing read_acled_csv")
        ours_s, _, result = best_of(1, lambda: read_acled_csv(path))
        measured_on = min(rows, BASELINE_MAX_ROWS)
        progress(f"timing the naive baseline on {measured_on:,} rows")
        base_s, _, (base_ok, _) = best_of(1, lambda: naive_import(path, measured_on))
    record = comparison(
        ours_s, base_s, "pandas.read_csv + a per-row Python check", measured_on, rows,
        rows=rows, file_mb=round(size_mb, 1), accepted=len(result.incidents), rejected=result.rejected_rows,
        baseline_accepted=base_ok,
    )
    record["ours_rows_per_second"] = round(rows / ours_s) if ours_s else None
    record["baseline_rows_per_second"] = round(rows / record["baseline_seconds"]) if record["baseline_seconds"] else None
    return record


def format_line(record: dict) -> str:
    """The benchmark's one line of results."""
    scaled = f", measured on {record['baseline_measured_on']:,} and scaled" if record["baseline_extrapolated"] else ""
    return (
        f"ACLED import, {record['rows']:,} rows ({record['file_mb']} MB): {record['ours_rows_per_second']:,} rows/s "
        f"({record['ours_seconds']} s, {record['accepted']:,} accepted, {record['rejected']} rejected); "
        f"naive {record['baseline']}: {record['baseline_rows_per_second']:,} rows/s ({record['baseline_seconds']} s{scaled}); "
        f"speedup {record['speedup']}x"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the import benchmark and print its line (or JSON)."""
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the synthetic ACLED file (default 100,000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the line")
    args = parser.parse_args(argv)
    record = measure(args.rows, args.seed)
    print(json.dumps(record) if args.json else format_line(record))
    return 0


if __name__ == "__main__":
    sys.exit(main())
