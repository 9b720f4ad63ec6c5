"""The geocoding CLI: ``python -m geo geocode "Qara Hanjir" [--context TEXT] [--json]``.

Prints one JSON object (or a readable line); exits 1 when nothing matched, so scripts can
tell a resolved name from an unresolved one without parsing the output.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from cli.failures import run_command
from geo.gazetteer import DEFAULT_GAZETTEER_CSV, GeocodeResult, load_gazetteer

PRECISION_WORDS = {1: "the place itself", 2: "near the place / part of the area", 3: "only the area"}


def format_result(result: GeocodeResult) -> str:
    """One readable line for a result (and the closest names when nothing matched)."""
    if not result.matched:
        return f"not found: {result.reason}"
    units = " / ".join(u for u in (result.admin1, result.admin2, result.admin3) if u) or "no COD-AB unit"
    where = "in Kirkuk" if result.in_kirkuk else "OUTSIDE Kirkuk"
    line = (f"{result.query} -> {result.name} ({result.kind}) {result.latitude:.5f}, {result.longitude:.5f} "
            f"[{units}; {result.adm3_pcode or result.adm2_pcode or result.adm1_pcode or '-'}] {where}, "
            f"precision {result.geo_precision} ({PRECISION_WORDS.get(result.geo_precision, '?')}), "
            f"score {result.score:.2f}")
    if result.reason:
        line += f"\n  note: {result.reason}"
    if result.alternatives:
        line += "\n  also: " + ", ".join(f"{c.name} ({c.kind}, {c.score:.2f})" for c in result.alternatives)
    return line


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo", description="Geography tools for the Kirkuk Incident Map.")
    commands = parser.add_subparsers(dest="command", required=True)
    geocode = commands.add_parser("geocode", help="resolve a place name or phrase to a place in the gazetteer")
    geocode.add_argument("name", help='a place name or phrase, e.g. "Qara Hanjir" or "20 km west of Hawija"')
    geocode.add_argument("--context", default=None, help="surrounding report text, used to settle ties")
    geocode.add_argument("--json", action="store_true", help="print one JSON object")
    geocode.add_argument("--gazetteer", type=Path, default=DEFAULT_GAZETTEER_CSV, help="gazetteer CSV file")
    return parser


def run_geocode(args: argparse.Namespace) -> int:
    """Print one place; exit 0 when found, 1 when not."""
    result = load_gazetteer(args.gazetteer).geocode(args.name, context=args.context)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        print(format_result(result))
    return 0 if result.matched else 1


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 found, 1 not found, 2 bad setup: cli/failures.py)."""
    return run_command(run_geocode, build_parser().parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
