"""CLI commands for news reports: ``extract`` (print the incidents a report describes) and ``add`` (store them).

    python -m incidents extract REPORT.txt --published 2024-10-18 --url https://... --json
    python -m incidents add REPORT.txt [REPORT2.txt ...] --published 2024-10-18 --url https://...
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from cli.failures import UsageError
from errors import BadInput
from incidents.corroborate import apply_plan, plan_corroboration
from reports.dates import parse_published
from reports.extract import ReportTooLong, extract_incidents, incidents_to_records
from incidents.store import connect, database_url, read_incidents

SUMMARY_COLUMNS = ["event_date", "time_precision", "event_type", "sub_event_type", "location", "geo_precision",
                   "fatalities", "wounded", "needs_review", "review_reasons"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``extract`` and ``add`` to the CLI."""
    extract = subparsers.add_parser("extract", help="print the incidents a report describes (nothing is stored)")
    extract.add_argument("file", type=Path, help="a plain-text report (UTF-8)")
    _report_options(extract)
    extract.add_argument("--json", action="store_true", help="print a JSON array, one object per incident")
    extract.set_defaults(func=run_extract)
    add = subparsers.add_parser("add", help="extract reports and store their incidents (with corroboration)")
    add.add_argument("files", type=Path, nargs="+", help="plain-text reports (UTF-8)")
    _report_options(add)
    add.set_defaults(func=run_add)


def _report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--published", help="publication date YYYY-MM-DD; relative dates ('on Friday') need it")
    parser.add_argument("--url", help="the report's URL (identifies the source)")
    parser.add_argument("--outlet", help="the outlet's name (default: taken from the URL)")


def _load_gazetteer() -> Any:
    from geo.gazetteer import load_gazetteer

    return load_gazetteer()


def _read_report(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput(f"no report at {path}. Give the path of a plain-text file.") from None
    except UnicodeDecodeError:
        raise BadInput(f"{path} is not UTF-8 text. Save it as UTF-8 plain text and try again.") from None


def _extract(path: Path, args: argparse.Namespace, gazetteer: Any) -> pd.DataFrame:
    try:
        published = parse_published(args.published)
    except ValueError as error:
        raise BadInput(str(error)) from None
    try:
        return extract_incidents(_read_report(path), gazetteer, published, args.url, args.outlet)
    except ReportTooLong as error:
        raise BadInput(f"{path}: {error}") from None


def run_extract(args: argparse.Namespace) -> int:
    """Print the incidents of one report, as JSON with --json or as a table."""
    incidents = _extract(args.file, args, _load_gazetteer())
    if args.json:
        json.dump(incidents_to_records(incidents), sys.stdout, ensure_ascii=False, indent=2)
        print()
    elif incidents.empty:
        print(f"{args.file}: no incident found (no sentence reports an event).")
    else:
        print(incidents[SUMMARY_COLUMNS].to_string(index=False))
    return 0


def run_add(args: argparse.Namespace) -> int:
    """Extract each report and store its incidents; same incidents from other sources are merged."""
    if args.url and len(args.files) > 1:
        raise UsageError("--url names one report; add reports with different URLs one at a time.")
    gazetteer = _load_gazetteer()
    engine = connect()
    for path in args.files:
        incidents = _extract(path, args, gazetteer)
        plan = plan_corroboration(incidents, read_incidents(engine, with_row_version=True))
        counts = apply_plan(engine, plan)
        review = int(incidents["needs_review"].fillna(False).sum()) if len(incidents) else 0
        print(
            f"{path}: {len(incidents)} incident(s) found; {counts['added']} added, "
            f"{counts['merged']} merged into stored incidents ({counts['sources_added']} new source(s)), "
            f"{counts['unchanged']} already stored; {review} need review."
        )
    print(f"Store: {database_url()}")
    return 0
