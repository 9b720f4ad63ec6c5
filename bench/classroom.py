"""``python -m bench.classroom``: how long the classroom exports take, and how large they are.

Synthetic incidents (bench.synthetic), joined to the boundaries, played as the timeline:
the seconds to draw N frames in chromium and to encode them (MP4 and GIF), the files' sizes,
and a print of the same incidents as a PNG and a PDF. Figures only; no test asserts a time.
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from bench.synthetic import synthetic_incidents
from classroom.printout import PrintOptions, export_print
from classroom.video import VideoOptions, export_timeline_video
from geo.boundaries import load_boundaries
from geo.join import assign_admin_units
from mapview.incident_map import build_incident_map
from mapview.timeline import build_timeline_map, latest_incidents


def measure(incidents_count: int, frames: int, width: int, height: int, seed: int = 0) -> dict:
    """One video (MP4 and GIF) of at most ``frames`` steps at ``width`` x ``height``, and one print of each format."""
    boundaries = load_boundaries()
    incidents = latest_incidents(assign_admin_units(synthetic_incidents(incidents_count, boundaries, seed=seed), boundaries))
    result: dict = {"incidents": len(incidents), "size": f"{width}x{height}", "load_average": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory(prefix="kirkuk-bench-") as folder:
        mp4, gif = Path(folder) / "bench.mp4", Path(folder) / "bench.gif"
        video = export_timeline_video(build_timeline_map(incidents, boundaries), incidents, mp4=mp4, gif=gif,
                                      options=VideoOptions(width=width, height=height, max_frames=frames))
        result["video"] = {
            "frames": video.frames, "steps": video.steps, "render_s": round(video.render_seconds, 2),
            "render_s_per_frame": round(video.render_seconds / video.frames, 3), "encode_s": round(video.encode_seconds, 2),
            "mp4_mb": round(mp4.stat().st_size / 1e6, 2), "gif_mb": round(gif.stat().st_size / 1e6, 2),
        }
        for fmt in ("png", "pdf"):
            out = Path(folder) / f"bench.{fmt}"
            started = time.perf_counter()
            export_print(build_incident_map(incidents, boundaries, tiles={}), incidents, out, PrintOptions())
            result[fmt] = {"seconds": round(time.perf_counter() - started, 2), "mb": round(out.stat().st_size / 1e6, 2)}
    return result


def format_result(result: dict) -> str:
    video = result["video"]
    return "\n".join([
        f"{result['incidents']:,} incidents, {result['size']}, load average {result['load_average']:.1f}",
        f"video: {video['frames']} frames of {video['steps']:,} steps drawn in {video['render_s']} s "
        f"({video['render_s_per_frame']} s a frame), MP4 + GIF encoded in {video['encode_s']} s; "
        f"MP4 {video['mp4_mb']} MB, GIF {video['gif_mb']} MB",
        f"print: PNG {result['png']['seconds']} s, {result['png']['mb']} MB; PDF {result['pdf']['seconds']} s, {result['pdf']['mb']} MB",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.classroom", description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1_000)
    parser.add_argument("--frames", type=int, default=120, help="the video's frame cap")
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    width, height = (int(side) for side in args.size.lower().split("x"))
    result = measure(args.incidents, args.frames, width, height)
    print(json.dumps(result, indent=1) if args.json else format_result(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
