"""``python -m bench.classroom`` runs and reports its figures (their shape only: no test asserts a time)."""
from __future__ import annotations

import json
import os
import shutil

import pytest

from bench.classroom import main

pytestmark = pytest.mark.skipif(
    shutil.which("chromium") is None and not os.environ.get("CI"), reason="Debian's chromium is not installed (apt-get install chromium)"
)


def test_the_classroom_benchmark_reports_frames_seconds_and_sizes(capsys):
    assert main(["--incidents", "30", "--frames", "3", "--size", "320x240", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["video"]["frames"] == 3 and result["video"]["steps"] >= 3
    assert {"render_s", "encode_s", "mp4_mb", "gif_mb"} <= set(result["video"]) and {"seconds", "mb"} <= set(result["pdf"])
