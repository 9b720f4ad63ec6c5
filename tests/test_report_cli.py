"""The report CLI end to end: ``extract --json`` and ``add`` in a subprocess on a temporary store."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from incidents.store import connect, read_incidents, read_sources
from tests.conftest import REPO_ROOT, SHARED_SEED_DIR, TEST_DATA

SEED_REPORT = SHARED_SEED_DIR / "000_2f92e663109994ae.txt"
CORROBORATING = TEST_DATA / "reports" / "001_wire_roadside_bomb_hawija.txt"


def run_cli(*args: str, db: str) -> subprocess.CompletedProcess:
    env = os.environ | {"KIRKUK_DB": db, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run([sys.executable, "-m", "incidents", *args], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "cli.sqlite")


def test_extract_prints_the_seed_incidents_as_json(db):
    if not SEED_REPORT.exists():
        pytest.skip(f"the seed report is not at {SEED_REPORT}")
    done = run_cli("extract", str(SEED_REPORT), "--published", "2024-10-18", "--url", "https://en.964media.com/26485", "--json", db=db)
    assert done.returncode == 0, done.stderr
    incidents = json.loads(done.stdout)
    assert sorted(i["event_date"] for i in incidents) == ["2024-07-14", "2024-10-15", "2024-10-17"]
    assert all(i["source_sentences"] and i["source_url"] == "https://en.964media.com/26485" for i in incidents)


def test_a_bad_publication_date_is_explained(db):
    done = run_cli("extract", str(CORROBORATING), "--published", "18/10/2024", db=db)
    assert done.returncode != 0
    assert "YYYY-MM-DD" in done.stdout + done.stderr


def test_add_stores_incidents_once_and_merges_a_second_source(db, tmp_path):
    first = run_cli("add", str(CORROBORATING), "--published", "2023-03-09", "--url", "https://wire.example/1", db=db)
    assert first.returncode == 0, first.stderr
    again = run_cli("add", str(CORROBORATING), "--published", "2023-03-09", "--url", "https://wire.example/1", db=db)
    assert "0 added" in again.stdout
    other = tmp_path / "other.txt"
    other.write_text("Two soldiers died on Tuesday when an IED hit their Humvee in Hawija, police said.\n", encoding="utf-8")
    third = run_cli("add", str(other), "--published", "2023-03-08", "--url", "https://local.example/2", db=db)
    assert "1 merged" in third.stdout, third.stdout
    engine = connect(f"sqlite:///{db}")
    assert len(read_incidents(engine)) == 1
    assert sorted(read_sources(engine)["url"]) == ["https://local.example/2", "https://wire.example/1"]


README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readmes_add_examples_give_a_url_only_for_one_report():
    examples = [line.split("#")[0].split() for line in README.splitlines() if "-m incidents add " in line]
    assert examples
    for words in examples:
        files = [w for w in words[words.index("add") + 1:] if not w.startswith(("-", "[", "]")) and w.endswith(".txt")]
        assert "--url" not in words or len(files) == 1, words


def test_extract_json_is_what_the_readme_says(db):
    assert "`extract --json` prints a JSON array, one object per incident" in README
    done = run_cli("extract", str(CORROBORATING), "--published", "2023-03-09", "--json", db=db)
    assert done.returncode == 0, done.stderr
    incidents = json.loads(done.stdout)
    assert isinstance(incidents, list) and all(isinstance(i, dict) and "event_date" in i for i in incidents)
