"""``python -m geo geocode`` as a user runs it: a subprocess, JSON out, exit codes."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
FIELDS = {"query", "name", "kind", "latitude", "longitude", "geo_precision", "adm1_pcode", "adm2_pcode",
          "adm3_pcode", "admin2", "admin3", "in_kirkuk", "score", "alternatives"}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", "geocode", *args], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=60)


def test_json_for_a_known_name():
    done = run_cli("Qara Hanjir", "--json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert FIELDS <= set(answer)
    assert answer["adm3_pcode"] == "IQG13Q04N07" and answer["in_kirkuk"] is True
    assert answer["geo_precision"] == 2 and isinstance(answer["alternatives"], list)


def test_context_option():
    done = run_cli("Kirkuk", "--context", "Two gunmen were arrested in Kirkuk province.", "--json")
    answer = json.loads(done.stdout)
    assert (answer["adm1_pcode"], answer["adm2_pcode"], answer["geo_precision"]) == ("IQG13", None, 3)


def test_unknown_name_prints_an_error_and_exits_1():
    done = run_cli("Blorfington", "--json")
    assert done.returncode == 1
    answer = json.loads(done.stdout)
    assert "error" in answer and "closest" in answer["error"] and "alternatives" in answer


@pytest.mark.parametrize(("name", "expected"), [("20 km west of Hawija", "Hawija"), ("Tuz Khurmatu", "OUTSIDE")])
def test_readable_line(name, expected):
    done = run_cli(name)
    assert done.returncode == 0 and expected in done.stdout and "precision" in done.stdout


def test_missing_gazetteer_file_says_how_to_build_it(tmp_path):
    done = run_cli("Kirkuk", "--gazetteer", str(tmp_path / "none.csv"))
    assert done.returncode == 2 and "build_gazetteer.py" in done.stderr
