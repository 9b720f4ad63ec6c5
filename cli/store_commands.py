"""CLI commands about the store itself: ``seed`` and ``list``."""
from __future__ import annotations

import argparse

from geo.boundaries import load_boundaries
from incidents.seed import seed_store
from incidents.store import connect, database_url, read_incidents

LIST_COLUMNS = ["incident_id", "event_date", "event_type", "location", "admin2", "geo_precision", "fatalities", "needs_review"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``seed`` and ``list`` to the CLI."""
    seed = subparsers.add_parser("seed", help="create the store and load the seed incidents if it is empty")
    seed.set_defaults(func=run_seed)
    listing = subparsers.add_parser("list", help="print the stored incidents")
    listing.set_defaults(func=run_list)


def run_seed(_args: argparse.Namespace) -> int:
    """Create and seed the store named by $KIRKUK_DB (or the default file)."""
    added = seed_store(connect(), load_boundaries())
    print(f"{added} seed incident(s) added to {database_url()}.")
    return 0


def run_list(_args: argparse.Namespace) -> int:
    """Print the stored incidents, one line each."""
    incidents = read_incidents(connect())
    print(incidents[LIST_COLUMNS].to_string(index=False) if len(incidents) else "The store is empty.")
    return 0
