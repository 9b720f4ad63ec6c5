"""Taking the map into the classroom: the timeline filmed as an MP4 and a GIF, the map printed as a PNG and a PDF.

Real chromium (Debian's, through Playwright) and real ffmpeg (imageio-ffmpeg's); kept small
(five incidents, 320x240 frames) because each export starts a browser.
"""
from __future__ import annotations

import os
import re
import shutil

import imageio_ffmpeg
import pandas as pd
import pytest
from PIL import Image, ImageChops

import classroom.browser
from classroom.browser import ChromiumMissing, find_chromium, offline_page
from classroom.encoding import EncodingFailed, encode_mp4
from classroom.printout import PrintOptions, export_print, print_page
from classroom.video import VideoOptions, export_timeline_video, video_page
from errors import BadInput
from incidents.schema import conform
from mapview.incident_map import build_incident_map
from mapview.timeline import build_timeline_map
from tests.incident_rows import incident

pytestmark = pytest.mark.skipif(
    shutil.which("chromium") is None and not os.environ.get("CI"), reason="Debian's chromium is not installed (apt-get install chromium)"
)
# Five places across the governorate, one a month, more killed each time.
PLACES = [(35.4681, 44.3922), (35.35, 43.78), (35.13, 44.43), (35.65, 44.0), (35.25, 44.1)]
HOSTILE = "calc {{7*7}} end <script>window.kimRan = 1</script> ${alert(1)}"


@pytest.fixture
def lesson_incidents() -> pd.DataFrame:
    rows = [
        incident(i, event_date=f"2024-0{i + 1}-10", latitude=lat, longitude=lon, adm2_pcode=None, fatalities=2 * i + 1,
                 source="Test outlet" if i % 2 else "Other outlet")
        for i, (lat, lon) in enumerate(PLACES)
    ]
    return conform(pd.DataFrame(rows))


def map_region(frame: Image.Image) -> Image.Image:
    """The map between the header (title, date, totals) and the credits."""
    width, height = frame.size
    return frame.convert("RGB").crop((0, height // 4, width, height * 7 // 8))


def test_a_short_timeline_becomes_an_mp4_and_a_gif_of_one_frame_per_step(lesson_incidents, boundaries, tmp_path):
    mp4, gif = tmp_path / "lesson.mp4", tmp_path / "lesson.gif"
    seen: list[tuple[int, int]] = []
    result = export_timeline_video(
        build_timeline_map(lesson_incidents, boundaries), lesson_incidents, mp4=mp4, gif=gif,
        options=VideoOptions(width=320, height=240, seconds_per_step=0.5), on_progress=lambda i, n: seen.append((i, n)),
    )
    assert (result.frames, result.steps) == (5, 5) and seen[-1] == (5, 5)
    frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(mp4))
    assert frames == 5 and seconds == pytest.approx(2.5, abs=0.1)
    meta = next(imageio_ffmpeg.read_frames(str(mp4)))
    assert meta["size"] == (320, 240) and "h264" in meta["codec"]
    with Image.open(gif) as animation:
        assert animation.n_frames == 5 and animation.size == (320, 240)
        first = map_region(animation.copy())
        animation.seek(4)
        last = map_region(animation.copy())
    assert ImageChops.difference(first, last).getbbox() is not None  # incidents appeared between the first and last frames
    assert result.files == {mp4: mp4.stat().st_size, gif: gif.stat().st_size}


def test_beyond_the_cap_the_steps_are_sampled_and_the_summary_says_so(lesson_incidents, boundaries, tmp_path):
    gif = tmp_path / "short.gif"
    result = export_timeline_video(build_timeline_map(lesson_incidents, boundaries), lesson_incidents, gif=gif,
                                   options=VideoOptions(width=320, height=240, max_frames=3))
    with Image.open(gif) as animation:
        assert animation.n_frames == 3
    assert "3 frame(s) of 5 step(s) (every 1.7th step, capped at 3 frames)" in result.summary()


@pytest.mark.parametrize("width, height", [(321, 240), (100, 240)])
def test_a_size_that_cannot_be_encoded_is_bad_input(lesson_incidents, boundaries, tmp_path, width, height):
    with pytest.raises(BadInput, match="width"):
        export_timeline_video(build_timeline_map(lesson_incidents, boundaries), lesson_incidents, mp4=tmp_path / "x.mp4",
                              options=VideoOptions(width=width, height=height))


def test_the_print_is_a_png_of_the_asked_size(lesson_incidents, boundaries, tmp_path):
    out = tmp_path / "map.png"
    result = export_print(build_incident_map(lesson_incidents, boundaries, tiles={}), lesson_incidents, out,
                          PrintOptions(caption="All incidents", width=800, height=566))
    with Image.open(out) as sheet:
        assert sheet.size == (800, 566) and sheet.format == "PNG"
    assert result.size_bytes == out.stat().st_size


def test_the_print_is_a_one_page_pdf(lesson_incidents, boundaries, tmp_path):
    out = tmp_path / "map.pdf"
    export_print(build_incident_map(lesson_incidents, boundaries, tiles={}), lesson_incidents, out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) == 1


def test_the_sheet_has_a_title_caption_dates_scale_legend_and_credits(lesson_incidents, boundaries):
    fmap = build_incident_map(lesson_incidents, boundaries, tiles={})
    page_html = print_page(fmap, lesson_incidents, PrintOptions(caption="Battles incidents from 2024-01-01"))
    with offline_page(page_html, 1123, 794) as page:
        text = page.inner_text("body")
        assert page.locator(".leaflet-control-scale").count() == 1 and page.locator(".kim-legend").count() == 1
    assert "Kirkuk Incident Map" in text and "Battles incidents from 2024-01-01" in text
    assert "Incidents dated 2024-01-10 to 2024-05-10" in text
    assert "OCHA COD-AB" in text and "via HDX" in text and "Incidents: Other outlet, Test outlet" in text


def test_hostile_text_in_a_title_or_caption_stays_text(lesson_incidents, boundaries):
    pages = [
        print_page(build_incident_map(lesson_incidents, boundaries, tiles={}), lesson_incidents, PrintOptions(HOSTILE, HOSTILE)),
        video_page(build_timeline_map(lesson_incidents, boundaries), lesson_incidents, VideoOptions(title=HOSTILE, caption=HOSTILE)),
    ]
    for page_html in pages:
        assert "<script>window.kimRan" not in page_html and "{{7*7}}" not in page_html
        with offline_page(page_html, 1123, 794) as page:
            assert page.inner_text(".kim-title") == HOSTILE and page.inner_text(".kim-caption") == HOSTILE
            assert page.evaluate("() => window.kimRan") is None


def test_without_chromium_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(classroom.browser, "CHROMIUM_PATHS", ("no-such-chromium",))
    with pytest.raises(ChromiumMissing, match="apt-get install chromium"):
        find_chromium()


def test_a_failed_encoding_quotes_what_ffmpeg_printed(tmp_path):
    with pytest.raises(EncodingFailed, match=r"ffmpeg could not encode the video \(MP4\).*frame-%05d\.png"):
        encode_mp4(tmp_path, tmp_path / "none.mp4", 0.5)  # a folder with no frames
