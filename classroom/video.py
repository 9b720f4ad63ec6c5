"""The timeline as a video (MP4) or GIF for a lesson: one frame per step of the map's player.

The page is the timeline's own standalone HTML, framed with a title, the date of the step
and running totals (classroom.sheet), shown in chromium with no network (classroom.browser).
Each step is reached through the map's Leaflet timeDimension (``setCurrentTime``), the layer
is left to redraw, and the frame is a screenshot; ffmpeg encodes them (classroom.encoding).
"""
from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import folium
import pandas as pd

from classroom.browser import offline_page, wait_for_paint
from classroom.encoding import FRAME_PATTERN, encode_gif, encode_mp4
from classroom.sheet import DEFAULT_TITLE, credits_text, date_span, framed_map_page, sheet_css, still_map_options, text_block
from errors import BadInput
from mapview.export import standalone_html

DEFAULT_SIZE = (1280, 720)
DEFAULT_SECONDS_PER_STEP = 0.5
# A video of more steps samples them evenly: 600 frames are 5 minutes at 2 frames a second.
MAX_FRAMES = 600
MIN_SIDE_PX, MAX_SIDE_PX = 160, 3840
# A smaller frame is laid out this wide (or more) and drawn at a fraction of a pixel per CSS
# pixel, so that it shows the whole map as a large frame does, not a crowded corner of it.
MIN_LAYOUT_WIDTH_PX = 960
# How long one step may take to redraw before the frame is taken anyway.
STEP_TIMEOUT_MS = 5_000

# Move the player to one time and resolve once its layers have drawn it ("timeload").
_SET_TIME_JS = """async ([mapName, time, date, totals]) => {
  const dimension = window[mapName].timeDimension;
  await new Promise(done => {
    dimension.once("timeload", done);
    setTimeout(done, %d);
    dimension.setCurrentTime(time);
  });
  document.getElementById("kim-date").textContent = date;
  document.getElementById("kim-totals").textContent = totals;
}""" % STEP_TIMEOUT_MS

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class VideoOptions:
    """What the caller chooses: the frame's size in pixels, how long each step shows, the frame cap, the title."""

    width: int = DEFAULT_SIZE[0]
    height: int = DEFAULT_SIZE[1]
    seconds_per_step: float = DEFAULT_SECONDS_PER_STEP
    max_frames: int = MAX_FRAMES
    title: str = DEFAULT_TITLE
    caption: str = ""

    def check(self, mp4: bool) -> None:
        """BadInput for a size, pace or cap that cannot be encoded (an MP4 in yuv420p needs even sides)."""
        for name, side in (("width", self.width), ("height", self.height)):
            if not MIN_SIDE_PX <= side <= MAX_SIDE_PX:
                raise BadInput(f"The video's {name} must be {MIN_SIDE_PX} to {MAX_SIDE_PX} pixels, not {side}.")
            if mp4 and side % 2:
                raise BadInput(f"An MP4's {name} must be even (H.264 in yuv420p), not {side}: try {side + 1}.")
        if not 0.05 <= self.seconds_per_step <= 60:
            raise BadInput(f"Seconds per step must be 0.05 to 60, not {self.seconds_per_step:g}.")
        if self.max_frames < 2:
            raise BadInput(f"A video needs at least 2 frames, not {self.max_frames}.")


@dataclass(frozen=True)
class VideoResult:
    """What was made: frames drawn of the steps the timeline has, the seconds it took, the files and their sizes."""

    frames: int
    steps: int
    render_seconds: float
    encode_seconds: float
    files: dict[Path, int]

    def summary(self) -> str:
        """One line for the user: the files, frames of steps (and the sampling), and the time taken."""
        sampled = f" (every {self.steps / self.frames:.1f}th step, capped at {self.frames:,} frames)" if self.frames < self.steps else ""
        files = ", ".join(f"{path} ({size / 1e6:.2f} MB)" for path, size in self.files.items())
        return (f"{files}: {self.frames:,} frame(s) of {self.steps:,} step(s){sampled}; "
                f"drawn in {self.render_seconds:.1f} s, encoded in {self.encode_seconds:.1f} s.")


def sample_steps(steps: int, max_frames: int) -> list[int]:
    """Which steps become frames: all of them, or ``max_frames`` spread evenly, first and last kept.

    >>> sample_steps(5, 600)
    [0, 1, 2, 3, 4]
    >>> sample_steps(10, 4)
    [0, 3, 6, 9]
    >>> sample_steps(0, 4)
    []
    """
    if steps <= max_frames:
        return list(range(steps))
    return sorted({round(i * (steps - 1) / (max_frames - 1)) for i in range(max_frames)})


def layout_factor(width: int, min_layout_width: int = MIN_LAYOUT_WIDTH_PX) -> int:
    """How many CSS pixels a frame's pixel stands for: a whole number, so that the layout is whole pixels too.

    >>> layout_factor(320), layout_factor(1280)
    (3, 1)
    """
    return max(1, -(-min_layout_width // width))


def step_dates(times_ms: list[int]) -> list[str]:
    """The player's times (milliseconds since 1970, UTC) as ISO dates.

    >>> step_dates([1704844800000])
    ['2024-01-10']
    """
    return [pd.Timestamp(t, unit="ms").strftime("%Y-%m-%d") for t in times_ms]


def running_totals(incidents: pd.DataFrame, dates: list[str]) -> list[str]:
    """For each date, the incidents and killed up to and including it, in words.

    >>> frame = pd.DataFrame({"event_date": ["2024-01-10", "2024-02-10", None], "fatalities": [2, None, 9]})
    >>> running_totals(frame, ["2024-01-10", "2024-03-01"])
    ['1 incident, 2 killed so far', '2 incidents, 2 killed so far']
    """
    when = pd.to_datetime(incidents["event_date"], errors="coerce")
    killed = pd.to_numeric(incidents["fatalities"], errors="coerce").fillna(0)
    totals = []
    for date in pd.to_datetime(pd.Series(dates)):
        upto = when <= date
        count = int(upto.sum())
        totals.append(f"{count:,} incident{'' if count == 1 else 's'}, {int(killed[upto].sum()):,} killed so far")
    return totals


def video_page(fmap: folium.Map, incidents: pd.DataFrame, options: VideoOptions) -> str:
    """The timeline's standalone page framed for a video: title and caption, the step's date and totals, credits."""
    still_map_options(fmap.options)
    name = fmap.get_name()
    header = (
        '<header class="kim-sheet-header kim-video-header"><div class="kim-titles">'
        + text_block("kim-title", options.title) + text_block("kim-caption", options.caption or date_span(incidents))
        + '</div><div class="kim-now"><div id="kim-date"></div><div id="kim-totals"></div></div></header>'
    )
    footer = '<footer class="kim-sheet-footer kim-video-footer">' + text_block("kim-credits", credits_text(incidents)) + "</footer>"
    css = sheet_css(name, legend_zoom=min(1.0, options.height * layout_factor(options.width) / 720)) + """
      .kim-video-header { display: flex; justify-content: space-between; align-items: center; gap: 2vw;
                          padding: 1.2vh 2vw; background: #20242b; color: #fff; }
      .kim-title { font-size: 5vh; font-weight: bold; line-height: 1.15; }
      .kim-caption { font-size: 2.8vh; opacity: 0.85; line-height: 1.2; }
      .kim-now { text-align: right; white-space: nowrap; }
      #kim-date { font-size: 7vh; font-weight: bold; line-height: 1.1; font-variant-numeric: tabular-nums; }
      #kim-totals { font-size: 3vh; line-height: 1.2; }
      .kim-video-footer { font-size: max(9px, 1.7vh); padding: 0.4vh 2vw; color: #444; background: #f3f1ec; }
      .leaflet-control-attribution { display: none; }
    """
    return framed_map_page(standalone_html(fmap), name, header, footer, css)


def render_frames(
    fmap: folium.Map, incidents: pd.DataFrame, folder: Path, options: VideoOptions, on_progress: Progress | None = None,
) -> tuple[int, int]:
    """Screenshots of the timeline's steps as numbered PNGs in ``folder``; returns (frames, steps).

    ``on_progress(i, n)`` is called after frame i of n. BadInput when the timeline has no step.
    """
    page_html = video_page(fmap, incidents, options)
    factor = layout_factor(options.width)
    with offline_page(page_html, options.width * factor, options.height * factor, scale=1 / factor) as page:
        times = page.evaluate("name => window[name].timeDimension ? window[name].timeDimension.getAvailableTimes() : []", fmap.get_name())
        if not times:
            raise BadInput("The timeline has no dated incident with a place: there is nothing to film.")
        chosen = sample_steps(len(times), options.max_frames)
        dates = step_dates([times[i] for i in chosen])
        totals = running_totals(incidents, dates)
        for number, (step, date, total) in enumerate(zip(chosen, dates, totals)):
            page.evaluate(_SET_TIME_JS, [fmap.get_name(), times[step], date, total])
            wait_for_paint(page)
            page.screenshot(path=str(folder / (FRAME_PATTERN % number)), type="png")
            if on_progress:
                on_progress(number + 1, len(chosen))
    return len(chosen), len(times)


def export_timeline_video(
    fmap: folium.Map,
    incidents: pd.DataFrame,
    mp4: Path | None = None,
    gif: Path | None = None,
    options: VideoOptions = VideoOptions(),
    on_progress: Progress | None = None,
) -> VideoResult:
    """The timeline map ``fmap`` (mapview.timeline.build_timeline_map of ``incidents``) filmed
    step by step and written as an MP4 and/or a GIF.

    The frames are drawn once and encoded for each file asked for. Raises BadInput for
    options that cannot be encoded, ChromiumMissing, and EncodingFailed with ffmpeg's words.
    """
    if mp4 is None and gif is None:
        raise ValueError("Name an MP4 or a GIF to write.")
    options.check(mp4=mp4 is not None)
    with tempfile.TemporaryDirectory(prefix="kirkuk-frames-") as folder:
        started = time.perf_counter()
        frames, steps = render_frames(fmap, incidents, Path(folder), options, on_progress)
        drawn = time.perf_counter()
        files: dict[Path, int] = {}
        for out, encode in ((mp4, encode_mp4), (gif, encode_gif)):
            if out is not None:
                encode(Path(folder), out, options.seconds_per_step)
                files[out] = out.stat().st_size
    return VideoResult(frames, steps, drawn - started, time.perf_counter() - drawn, files)
