"""CLI commands that take the map into the classroom: ``video`` (the timeline as MP4 or GIF) and ``print`` (PNG or PDF)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from classroom.printout import DEFAULT_PNG_SIZE, PrintOptions, export_print, print_format
from classroom.sheet import DEFAULT_TITLE
from classroom.video import DEFAULT_SECONDS_PER_STEP, DEFAULT_SIZE, MAX_FRAMES, VideoOptions, export_timeline_video
from cli.failures import UsageError
from cli.transfer_commands import add_filter_arguments, chosen_filter
from geo.boundaries import Boundaries, load_boundaries
from incidents.filters import IncidentFilter
from incidents.scope import KIRKUK
from incidents.store import connect, read_incidents
from mapview.incident_map import build_incident_map
from mapview.timeline import TIMELINE_MODES, build_timeline_map, latest_incidents

VIDEO_SUFFIXES = (".mp4", ".gif")


def frame_size(text: str) -> tuple[int, int]:
    """A size given as WIDTHxHEIGHT in pixels.

    >>> frame_size("1280x720")
    (1280, 720)
    """
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise argparse.ArgumentTypeError(f"give a size as WIDTHxHEIGHT in pixels, e.g. 1280x720, not {text!r}")
    return int(width), int(height)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``video`` and ``print`` to the CLI."""
    video = subparsers.add_parser(
        "video", help="the timeline as a video (MP4, H.264) or an animated GIF, for a lesson",
        description="Film the timeline step by step in Debian's chromium (apt-get install chromium) and encode it with ffmpeg. "
        f"One frame per step; beyond --max-frames ({MAX_FRAMES}) the steps are sampled evenly.",
    )
    video.add_argument("--out", type=Path, required=True, help="the file to write: NAME.mp4 or NAME.gif")
    video.add_argument("--gif", action="store_true", help="also write a GIF beside an MP4 (NAME.gif)")
    add_filter_arguments(video, default_scope=KIRKUK)
    video.add_argument("--title", default=DEFAULT_TITLE, help=f"the title above the map (default: {DEFAULT_TITLE!r})")
    video.add_argument("--seconds-per-step", type=float, default=DEFAULT_SECONDS_PER_STEP, help=f"how long each step shows (default {DEFAULT_SECONDS_PER_STEP})")
    video.add_argument("--size", type=frame_size, default=DEFAULT_SIZE, metavar="WxH", help="frame size in pixels (default 1280x720)")
    video.add_argument("--max-frames", type=int, default=MAX_FRAMES, help=f"at most this many frames (default {MAX_FRAMES})")
    video.add_argument("--mode", choices=TIMELINE_MODES, default="cumulative", help="cumulative (every incident stays) or window (only the last --window-days)")
    video.add_argument("--window-days", type=int, default=30, help="the window of --mode window, in days (default 30)")
    video.set_defaults(func=run_video)

    printing = subparsers.add_parser(
        "print", help="the map as a print-ready A4 landscape PNG or PDF (title, legend, scale bar, dates, credits)",
        description="Draw the analyst's map of the chosen incidents in Debian's chromium (apt-get install chromium), as a PNG or a one-page PDF.",
    )
    printing.add_argument("--out", type=Path, required=True, help="the file to write: NAME.png or NAME.pdf")
    add_filter_arguments(printing, default_scope=KIRKUK)
    printing.add_argument("--title", default=DEFAULT_TITLE, help=f"the title above the map (default: {DEFAULT_TITLE!r})")
    printing.add_argument("--size", type=frame_size, default=DEFAULT_PNG_SIZE, metavar="WxH", help="PNG only: size in pixels (default 1600x1131, A4's shape)")
    printing.set_defaults(func=run_print)


def chosen_incidents(args: argparse.Namespace, boundaries: Boundaries) -> tuple[pd.DataFrame, IncidentFilter]:
    """The stored incidents the arguments' filter keeps, and the filter."""
    chosen = chosen_filter(args, boundaries)
    return chosen.apply(read_incidents(connect())), chosen


def print_frame_progress(done: int, total: int) -> None:
    """``frame i of n`` on stderr, on one line."""
    print(f"\r  frame {done:,} of {total:,}", end="\n" if done >= total else "", file=sys.stderr, flush=True)


def unit_names(boundaries: Boundaries) -> dict[str, str]:
    units = pd.concat([boundaries.kirkuk(2), boundaries.kirkuk(3)])
    return dict(zip(units["pcode"], units["name"]))


def run_video(args: argparse.Namespace) -> int:
    """Film the (filtered) timeline into --out (and its GIF with --gif)."""
    suffix = args.out.suffix.lower()
    if suffix not in VIDEO_SUFFIXES:
        raise UsageError(f"--out must end in .mp4 or .gif, not {args.out.name!r}.")
    mp4 = args.out if suffix == ".mp4" else None
    gif = args.out if suffix == ".gif" else (args.out.with_suffix(".gif") if args.gif else None)
    boundaries = load_boundaries()
    incidents, chosen = chosen_incidents(args, boundaries)
    played = latest_incidents(incidents)
    if len(played) < len(incidents.dropna(subset=["event_date"])):
        print(f"note: the timeline plays the {len(played):,} most recent dated incidents.", file=sys.stderr)
    width, height = args.size
    options = VideoOptions(width, height, args.seconds_per_step, args.max_frames, args.title, chosen.caption(unit_names(boundaries)))
    fmap = build_timeline_map(played, boundaries, mode=args.mode, window_days=args.window_days)
    result = export_timeline_video(fmap, played, mp4=mp4, gif=gif, options=options, on_progress=print_frame_progress)
    print(result.summary())
    return 0


def run_print(args: argparse.Namespace) -> int:
    """Draw the (filtered) map into --out, a PNG or a PDF."""
    print_format(args.out)
    boundaries = load_boundaries()
    incidents, chosen = chosen_incidents(args, boundaries)
    fmap = build_incident_map(incidents, boundaries, tiles={}, chosen_units=tuple(chosen.adm2_pcodes))
    width, height = args.size
    options = PrintOptions(args.title, chosen.caption(unit_names(boundaries)), width, height)
    print(export_print(fmap, incidents, args.out, options).summary())
    return 0
