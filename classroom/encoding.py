"""Frames (numbered PNG files) encoded as an MP4 that plays everywhere, or as a GIF, by ffmpeg.

The ffmpeg is the one the PyPI package imageio-ffmpeg ships (pinned in requirements.txt), so
no system package is needed. One frame per step: the frame rate is 1 / seconds per step.
"""
from __future__ import annotations

import subprocess
from fractions import Fraction
from pathlib import Path

from errors import SetupProblem

FRAME_PATTERN = "frame-%05d.png"
# The lines of ffmpeg's output an encoding failure quotes.
QUOTED_LINES = 12


class EncodingFailed(SetupProblem):
    """ffmpeg could not encode the frames; the message quotes what it printed."""


def ffmpeg_executable() -> str:
    """The ffmpeg binary of imageio-ffmpeg; SetupProblem when the package is missing."""
    try:
        import imageio_ffmpeg
    except ImportError as error:
        raise SetupProblem(f"Encoding videos needs imageio-ffmpeg ({error}): run bash scripts/setup.") from error
    return imageio_ffmpeg.get_ffmpeg_exe()


def frame_rate(seconds_per_step: float) -> str:
    """The frame rate, as ffmpeg reads it, that shows each frame for ``seconds_per_step``.

    >>> frame_rate(0.5), frame_rate(2), frame_rate(1 / 3)
    ('2', '1/2', '3')
    """
    if not 0 < seconds_per_step <= 60:
        raise ValueError(f"Seconds per step must be above 0 and at most 60, not {seconds_per_step!r}.")
    return str(Fraction(1 / seconds_per_step).limit_denominator(1000))


def mp4_arguments(frames: Path, out: Path, seconds_per_step: float) -> list[str]:
    """ffmpeg's arguments for H.264 in yuv420p (what every player and phone plays), moov atom first."""
    return [
        "-framerate", frame_rate(seconds_per_step), "-i", str(frames / FRAME_PATTERN),
        "-c:v", "libx264", "-preset", "medium", "-crf", "20", "-tune", "stillimage",
        "-pix_fmt", "yuv420p", "-movflags", "+faststart", str(out),
    ]


def gif_arguments(frames: Path, out: Path, seconds_per_step: float) -> list[str]:
    """ffmpeg's arguments for a GIF with one palette made for these frames, played once through and repeated."""
    return [
        "-framerate", frame_rate(seconds_per_step), "-i", str(frames / FRAME_PATTERN),
        "-filter_complex", "[0:v]split[a][b];[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=bayer:bayer_scale=4",
        "-loop", "0", str(out),
    ]


def run_ffmpeg(arguments: list[str], what: str) -> None:
    """Run ffmpeg (overwriting its output); EncodingFailed quotes the end of what it printed."""
    command = [ffmpeg_executable(), "-hide_banner", "-loglevel", "error", "-y", *arguments]
    done = subprocess.run(command, capture_output=True, text=True, errors="replace")
    if done.returncode != 0:
        printed = "\n".join(done.stderr.strip().splitlines()[-QUOTED_LINES:]) or "(nothing)"
        raise EncodingFailed(f"ffmpeg could not encode the {what} (exit {done.returncode}); it printed: {printed}")


def encode_mp4(frames: Path, out: Path, seconds_per_step: float) -> None:
    """The numbered frames in ``frames`` as an H.264 MP4 at ``out``."""
    run_ffmpeg(mp4_arguments(frames, out, seconds_per_step), "video (MP4)")


def encode_gif(frames: Path, out: Path, seconds_per_step: float) -> None:
    """The numbered frames in ``frames`` as an animated GIF at ``out``."""
    run_ffmpeg(gif_arguments(frames, out, seconds_per_step), "GIF")
