"""CLI commands that move incidents in and out of the store: ``import`` and ``export``."""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from cli.failures import UsageError
from geo.boundaries import Boundaries, load_boundaries
from geo.gazetteer.normalize import fold
from incidents.export import EXPORT_FORMATS, export_filter, with_source_urls, write_export
from incidents.filters import IncidentFilter
from importers import FORMATS, parse_column_mapping, parse_value_maps
from importers.pipeline import default_rejects_path, locate_incidents, read_import, store_incidents, summarise, write_rejects
from importers.placement import WITHIN_REGIONS, keep_within
from incidents.scope import EVERYWHERE, REGIONS
from importers.tables import MAX_IMPORT_BYTES, describe_size
from incidents.store import connect, read_incidents, read_sources

SUFFIX_FORMATS = {
    ".geojson": "geojson", ".json": "geojson", ".csv": "csv", ".tsv": "csv", ".txt": "csv", ".gpkg": "gpkg",
    ".xlsx": "acled", ".zip": "csv",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``import`` and ``export`` to the CLI."""
    importing = subparsers.add_parser(
        "import",
        help="import an ACLED (CSV, .xlsx, API JSON), UCDP GED (CSV or .zip), CSV, GeoJSON or GeoPackage file",
        description=f"Import incidents from a file (at most {describe_size(MAX_IMPORT_BYTES)}). Bad rows go to a reject "
        "report; good rows are stored in one transaction; re-importing a file adds nothing.",
    )
    importing.add_argument("file", type=Path, help="the file to import")
    importing.add_argument("--format", choices=list(FORMATS), help="the file's format (default: from its suffix; .csv is generic csv)")
    importing.add_argument("--dry-run", action="store_true", help="read, check and count, but store nothing")
    importing.add_argument(
        "--map", action="append", metavar="OURS=THEIRS", dest="mapping",
        help="column mapping for csv/geojson, e.g. --map latitude=lat --map location='Place name'; a constant, "
        "--map event_type=Battles; or a value map, --map 'event_type:attack_type={Bombing/Explosion: "
        "Explosions/Remote violence, Armed Assault: Battles}' (repeatable)",
    )
    importing.add_argument("--encoding", help="the file's text encoding (default: detected; UTF-8, UTF-16 with BOM, else cp1256)")
    importing.add_argument("--rejects", type=Path, help="where to write the reject report (default: FILE_STEM.rejects.csv beside FILE; a --dry-run writes one only when given)")
    importing.add_argument("--no-geocode", action="store_true", help="do not load the gazetteer; rows with only a place name wait for review")
    importing.add_argument(
        "--within", choices=list(WITHIN_REGIONS),
        help="keep only the rows in Kirkuk governorate (kirkuk) or in Kirkuk and the governorates within 30 km (neighbours); "
        "the others are skipped and counted as 'skipped: outside the region', not rejected. Rows whose place is not known "
        "at all are kept (they may be in Kirkuk). Default: keep every row",
    )
    importing.set_defaults(func=run_import)

    exporting = subparsers.add_parser("export", help="export incidents as CSV, GeoJSON or GeoPackage")
    exporting.add_argument("out", type=Path, help="the file to write")
    exporting.add_argument("--format", choices=EXPORT_FORMATS, help="default: from OUT's suffix")
    add_filter_arguments(exporting, default_scope=EVERYWHERE)
    exporting.add_argument("--hxl", action="store_true", help="CSV only: add an HXL hashtag row under the header")
    exporting.set_defaults(func=run_export)


def format_from_suffix(path: Path, allowed: tuple[str, ...] | list[str]) -> str | None:
    """The format a file's suffix suggests, if it is one of ``allowed``.

    >>> format_from_suffix(Path("events.geojson"), ["csv", "geojson"])
    'geojson'
    """
    found = SUFFIX_FORMATS.get(path.suffix.lower())
    return found if found in allowed else None


def print_progress(rows_done: int, rows_total: int | None) -> None:
    """Show reading progress on stderr, on one line."""
    total = f" of about {rows_total:,}" if rows_total else ""
    end = "\n" if rows_total is not None and rows_done >= rows_total else ""
    print(f"\r  read {rows_done:,}{total} rows", end=end, file=sys.stderr, flush=True)


def load_gazetteer_or_none(boundaries: Boundaries) -> Any:
    """The project gazetteer, or None (with a warning) when it cannot be loaded."""
    try:
        from geo.gazetteer import load_gazetteer
    except ImportError as error:
        print(f"warning: the gazetteer is not available ({error}); place-only rows wait for review.", file=sys.stderr)
        return None
    return load_gazetteer(boundaries=boundaries)


def run_import(args: argparse.Namespace) -> int:
    """Import one file; prints progress and 'N accepted, M rejected; rejects written to FILE'."""
    fmt = args.format or format_from_suffix(args.file, list(FORMATS))
    if fmt is None:
        raise UsageError(f"cannot tell the format of {args.file.name}; give --format {'|'.join(FORMATS)}.")
    boundaries = load_boundaries()
    mapping = parse_column_mapping(args.mapping)
    value_maps = parse_value_maps(args.mapping)
    if mapping and fmt not in ("csv", "geojson", "gpkg"):
        raise UsageError(f"--map applies to --format csv, geojson or gpkg, not {fmt}.")
    result = read_import(args.file, fmt, mapping=mapping, value_maps=value_maps, encoding=args.encoding, on_progress=print_progress)
    needs_places = bool((result.incidents["latitude"].isna() & result.incidents["location"].notna()).any())
    gazetteer = load_gazetteer_or_none(boundaries) if needs_places and not args.no_geocode else None
    located, skipped = keep_within(locate_incidents(result.incidents, boundaries, gazetteer), args.within)
    counts = store_incidents(connect(), located, dry_run=args.dry_run)
    rejects_path = None
    # A dry run writes nothing unless asked to (--rejects), not even a reject report.
    if len(result.rejects) and (args.rejects or not args.dry_run):
        rejects_path = args.rejects or default_rejects_path(args.file)
        write_rejects(result.rejects, rejects_path)
    print(summarise(result, located, counts, args.dry_run, str(rejects_path) if rejects_path else None, args.within, skipped).message())
    if len(result.rejects) and rejects_path is None:
        print("Give --rejects FILE to write the reject report of a dry run.", file=sys.stderr)
    return 0


def district_key(name: str) -> str:
    """A district name as typed or as COD-AB spells it, folded to one key.

    Arabic ج is written j or g (Hawija, COD-AB's Al-Hawiga), and the article may be left out.

    >>> district_key("Al-Hawiga") == district_key("hawija")
    True
    """
    return fold(name).replace("j", "g")


def add_filter_arguments(parser: argparse.ArgumentParser, default_scope: str) -> None:
    """--from, --to, --district, --event-type and --scope: the filter of ``export``, ``video`` and ``print``."""
    parser.add_argument("--from", dest="date_from", type=date.fromisoformat, metavar="YYYY-MM-DD", help="first incident date")
    parser.add_argument("--to", dest="date_to", type=date.fromisoformat, metavar="YYYY-MM-DD", help="last incident date")
    parser.add_argument("--district", action="append", default=[], metavar="DISTRICT", help="district name or ADM2 pcode, e.g. Hawija or IQG13Q01 (repeatable)")
    parser.add_argument("--event-type", action="append", default=[], metavar="TYPE", help="ACLED event type (repeatable)")
    parser.add_argument(
        "--scope", choices=list(REGIONS), default=default_scope,
        help=f"kirkuk: Kirkuk governorate; neighbours: and the governorates within 30 km; all: every stored incident (default: {default_scope}; "
        "incidents with no known governorate are in every scope)",
    )


def chosen_filter(args: argparse.Namespace, boundaries: Boundaries) -> IncidentFilter:
    """The filter the arguments of ``add_filter_arguments`` ask for."""
    return export_filter(args.date_from, args.date_to, district_pcodes(args.district, boundaries), args.event_type, args.scope)


def district_pcodes(chosen: list[str], boundaries: Boundaries) -> list[str]:
    """Kirkuk districts given as pcodes or names as pcodes; an unknown one is a UsageError naming the choices."""
    districts = boundaries.kirkuk(2)
    pairs = list(zip(districts["pcode"].astype(str), districts["name"].astype(str)))
    by_key = {pcode.casefold(): pcode for pcode, _ in pairs} | {district_key(name): pcode for pcode, name in pairs}
    found = [by_key.get(value.strip().casefold()) or by_key.get(district_key(value)) for value in chosen]
    unknown = [value for value, pcode in zip(chosen, found) if pcode is None]
    if unknown:
        names = ", ".join(f"{name} ({pcode})" for pcode, name in pairs)
        raise UsageError(f"--district {unknown[0]!r} is not a district of Kirkuk; give one of: {names}.")
    return [pcode for pcode in found if pcode]


def run_export(args: argparse.Namespace) -> int:
    """Export the (filtered) stored incidents to OUT."""
    fmt = args.format or format_from_suffix(args.out, list(EXPORT_FORMATS))
    if fmt is None:
        raise UsageError(f"cannot tell the format of {args.out.name}; give --format {'|'.join(EXPORT_FORMATS)}.")
    if args.hxl and fmt != "csv":
        raise UsageError("--hxl applies to --format csv only.")
    chosen = chosen_filter(args, load_boundaries())
    engine = connect()
    incidents = with_source_urls(chosen.apply(read_incidents(engine)), read_sources(engine))
    written = write_export(incidents, args.out, fmt, hxl=args.hxl)
    print(f"{written} incident(s) written to {args.out} ({chosen.caption()}).")
    return 0
