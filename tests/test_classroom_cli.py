"""``python -m incidents video`` and ``print`` as a teacher runs them, on the seed store (three incidents)."""
from __future__ import annotations

import os
import shutil

import imageio_ffmpeg
import pytest
from PIL import Image

from tests.test_transfer_cli import run_cli

pytestmark = pytest.mark.skipif(
    shutil.which("chromium") is None and not os.environ.get("CI"), reason="Debian's chromium is not installed (apt-get install chromium)"
)


@pytest.fixture
def db(tmp_path):
    db = tmp_path / "cli.sqlite"
    assert run_cli("seed", db=db, cwd=tmp_path).returncode == 0
    return db


def test_video_writes_an_mp4_and_its_gif_with_progress(db, tmp_path):
    done = run_cli("video", "--out", "lesson.mp4", "--gif", "--size", "320x240", "--seconds-per-step", "1", "--title", "calc {{7*7}} end",
                   db=db, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "frame 3 of 3" in done.stderr
    assert "3 frame(s) of 3 step(s)" in done.stdout and "lesson.gif" in done.stdout
    frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(tmp_path / "lesson.mp4"))
    assert frames == 3 and seconds == pytest.approx(3, abs=0.1)
    with Image.open(tmp_path / "lesson.gif") as animation:
        assert animation.n_frames == 3 and animation.size == (320, 240)


def test_print_writes_a_png_of_the_filtered_map(db, tmp_path):
    done = run_cli("print", "--out", "map.png", "--size", "800x566", "--from", "2024-10-01", db=db, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with Image.open(tmp_path / "map.png") as sheet:
        assert sheet.size == (800, 566)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("print", "--out", "map.jpg"), 1, "a .png or a .pdf"),
        (("video", "--out", "lesson.avi"), 2, "must end in .mp4 or .gif"),
        (("video", "--out", "lesson.mp4", "--size", "321x240"), 1, "must be even"),
        (("video", "--out", "lesson.mp4", "--size", "big"), 2, "WIDTHxHEIGHT"),
    ],
)
def test_what_cannot_be_made_is_one_error_line(db, tmp_path, args, code, message):
    done = run_cli(*args, db=db, cwd=tmp_path)
    assert done.returncode == code and message in done.stderr and "Traceback" not in done.stderr
