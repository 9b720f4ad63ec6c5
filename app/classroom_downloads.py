"""Classroom exports on the pages: the timeline as a video or GIF, the map as a PNG or PDF. Streamlit only.

They take seconds (a browser draws them), so each is made when its button is pressed, with a
progress bar, and then offered as a download; a changed selection drops a file made for the last one.
"""
from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import Callable

import folium
import pandas as pd
import streamlit as st

from app.failures import show_failure
from classroom.printout import PRINT_MEDIA_TYPES, PrintOptions, print_bytes
from classroom.video import MAX_FRAMES, VideoOptions, export_timeline_video
from errors import ExpectedFailure

VIDEO_SIZES = {"1280×720 (HD)": (1280, 720), "1920×1080 (full HD)": (1920, 1080), "640×360 (small)": (640, 360)}
VIDEO_PACES = [0.25, 0.5, 1.0, 2.0, 3.0]
VIDEO_MEDIA_TYPES = {"mp4": "video/mp4", "gif": "image/gif"}


def selection_key(incidents: pd.DataFrame, *settings: object) -> str:
    """A short fingerprint of what a file shows: the incidents (their ids) and the settings."""
    digest = hashlib.sha256(repr(settings).encode())
    digest.update(pd.util.hash_pandas_object(incidents["incident_id"], index=False).values.tobytes())
    return digest.hexdigest()[:16]


def build_then_offer(label: str, key: str, selection: str, build: Callable[[Callable[[int, int], None]], bytes], file_name: str, mime: str) -> None:
    """A button that builds a file with a progress bar, then the download of what it built (for this ``selection`` only)."""
    made = f"_classroom_{key}"
    if st.button(label, key=f"make_{key}"):
        bar = st.progress(0.0, text="Starting the browser ...")
        try:
            data = build(lambda done, total: bar.progress(done / total, text=f"frame {done} of {total}"))
        except ExpectedFailure as failure:
            show_failure(failure)
            return
        finally:
            bar.empty()
        st.session_state[made] = (selection, data)
    built = st.session_state.get(made)
    if built and built[0] == selection:
        st.download_button(f"Save {file_name} ({len(built[1]) / 1e6:.2f} MB)", data=built[1], file_name=file_name, mime=mime,
                           key=f"save_{key}", on_click="ignore")


def video_downloads(
    build_map: Callable[[], folium.Map], incidents: pd.DataFrame, steps: int, selection: object, caption: str = "", key: str = "timeline",
) -> None:
    """"Video (MP4)" and "GIF" of the timeline ``build_map`` makes (of ``incidents``, in ``steps``
    steps, with the page's settings ``selection``), with a size and a pace chosen beside them."""
    st.markdown("**For a lesson: the timeline as a video**")
    controls = st.columns([2, 2, 1, 1], vertical_alignment="bottom")
    size = VIDEO_SIZES[controls[0].selectbox("Size", list(VIDEO_SIZES), key=f"{key}_video_size")]
    pace = controls[1].select_slider("Seconds per step", VIDEO_PACES, value=0.5, key=f"{key}_video_pace")
    options = VideoOptions(width=size[0], height=size[1], seconds_per_step=pace, caption=caption)
    if steps > MAX_FRAMES:
        st.caption(f"{steps:,} steps: the video shows {MAX_FRAMES} of them, evenly spread.")
    fingerprint = selection_key(incidents, options, selection)
    for column, fmt, label in ((controls[2], "mp4", "Video (MP4)"), (controls[3], "gif", "GIF")):
        with column:
            build_then_offer(label, f"{key}_{fmt}", fingerprint, lambda progress, fmt=fmt: _video_bytes(build_map(), incidents, fmt, options, progress),
                             f"kirkuk-incident-timeline.{fmt}", VIDEO_MEDIA_TYPES[fmt])


def _video_bytes(fmap: folium.Map, incidents: pd.DataFrame, fmt: str, options: VideoOptions, progress: Callable[[int, int], None]) -> bytes:
    with tempfile.TemporaryDirectory(prefix="kirkuk-video-") as folder:
        out = Path(folder) / f"timeline.{fmt}"
        export_timeline_video(fmap, incidents, **{fmt: out}, options=options, on_progress=progress)
        return out.read_bytes()


def print_downloads(columns: list, build_map: Callable[[], folium.Map], incidents: pd.DataFrame, caption: str, selection: object) -> None:
    """"Print (PNG)" and "Print (PDF)" of the map ``build_map`` makes (A4 landscape), one per column."""
    options = PrintOptions(caption=caption)
    fingerprint = selection_key(incidents, options, selection)
    for column, fmt in zip(columns, ("png", "pdf")):
        with column:
            build_then_offer(f"Print ({fmt.upper()})", f"print_{fmt}", fingerprint, lambda progress, fmt=fmt: print_bytes(build_map(), incidents, fmt, options),
                             f"kirkuk-incident-map.{fmt}", PRINT_MEDIA_TYPES[fmt])
