"""``python -m incidents import`` and ``export`` as a user runs them, against a temporary store."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from incidents.store import connect, count_incidents

IMPORTS = Path(__file__).parent / "data" / "imports"
REPO_ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, db: Path, cwd: Path) -> subprocess.CompletedProcess:
    """``python -m incidents ARGS`` in ``cwd``; an import of one of our sample files writes its rejects
    into ``cwd`` (by default they go beside the file, which is in the repository)."""
    if args[0] == "import" and not {"--rejects", "--dry-run"} & set(args) and Path(args[1]).parent == IMPORTS:
        args = (*args, "--rejects", str(cwd / f"{Path(args[1]).stem}.rejects.csv"))
    env = os.environ | {"KIRKUK_DB": str(db), "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run([sys.executable, "-m", "incidents", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cli.sqlite"


def test_import_prints_the_summary_and_writes_the_rejects_beside_the_file(db, tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    shutil.copy(IMPORTS / "acled_kirkuk.csv", exports)
    done = run_cli("import", str(exports / "acled_kirkuk.csv"), "--format", "acled", db=db, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rejects = exports / "acled_kirkuk.rejects.csv"
    assert not list(tmp_path.glob("*.rejects.csv"))  # nothing in the working directory
    assert done.stdout.startswith(f"7 accepted, 1 rejected; rejects written to {rejects}")
    assert "7 new incident(s) added" in done.stdout
    assert "read 8" in done.stderr  # progress
    assert pd.read_csv(rejects, encoding="utf-8-sig")["line"].tolist() == [9]


def test_reimporting_and_dry_runs_add_nothing(db, tmp_path):
    run_cli("import", str(IMPORTS / "acled_kirkuk.csv"), "--format", "acled", db=db, cwd=tmp_path)
    again = run_cli("import", str(IMPORTS / "acled_kirkuk_tab.tsv"), "--format", "acled", db=db, cwd=tmp_path)
    assert "0 new incident(s) added, 7 already in the store" in again.stdout
    dry = run_cli("import", str(IMPORTS / "spreadsheet_cp1256.csv"), "--dry-run", "--no-geocode", db=db, cwd=tmp_path)
    assert "5 new incident(s) would be added" in dry.stdout and "dry run: nothing stored" in dry.stdout
    assert count_incidents(connect(f"sqlite:///{db}")) == 7


def test_a_column_mapping_is_given_with_map(db, tmp_path):
    done = run_cli(
        "import", str(IMPORTS / "spreadsheet_needs_mapping.csv"), "--format", "csv",
        "--map", "event_date=When", "--map", "event_type=Category", "--map", "sub_event_type=Kind",
        "--map", "location=Village", "--map", "latitude=North", "--map", "longitude=East",
        db=db, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("3 accepted, 0 rejected.")


@pytest.mark.parametrize(
    ("file_name", "fmt", "message"),
    [
        ("acled_missing_columns.csv", "acled", "no 'latitude', 'longitude' columns"),
        ("broken.geojson", "geojson", "is not valid JSON"),
    ],
)
def test_files_that_cannot_be_imported_exit_1_with_the_reason(db, tmp_path, file_name, fmt, message):
    done = run_cli("import", str(IMPORTS / file_name), "--format", fmt, db=db, cwd=tmp_path)
    assert done.returncode == 1
    assert message in done.stderr and "Traceback" not in done.stderr


def test_export_then_import_adds_nothing(db, tmp_path):
    run_cli("import", str(IMPORTS / "acled_kirkuk.csv"), "--format", "acled", db=db, cwd=tmp_path)
    out = tmp_path / "hawija.csv"
    exported = run_cli("export", str(out), "--format", "csv", "--district", "IQG13Q01", "--hxl", db=db, cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith(f"2 incident(s) written to {out}")
    back = run_cli("import", str(out), "--format", "csv", db=db, cwd=tmp_path)
    assert "2 accepted, 0 rejected" in back.stdout and "0 new incident(s) added, 2 already" in back.stdout
    done = run_cli("export", str(tmp_path / "all.gpkg"), "--from", "2024-08-01", "--to", "2024-09-30", db=db, cwd=tmp_path)
    assert done.stdout.startswith("4 incident(s) written"), done.stderr
    assert (tmp_path / "all.gpkg").stat().st_size > 0


@pytest.mark.parametrize("district", ["Hawija", "al-hawiga", "IQG13Q01"])
def test_export_takes_a_district_by_name_or_pcode(db, tmp_path, district):
    run_cli("import", str(IMPORTS / "acled_kirkuk.csv"), "--format", "acled", db=db, cwd=tmp_path)
    done = run_cli("export", str(tmp_path / "hawija.csv"), "--district", district, db=db, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(pd.read_csv(tmp_path / "hawija.csv")) > 0
    assert set(pd.read_csv(tmp_path / "hawija.csv")["adm2_pcode"]) == {"IQG13Q01"}


def test_export_names_the_districts_when_one_is_unknown(db, tmp_path):
    done = run_cli("export", str(tmp_path / "out.csv"), "--district", "Tikrit", db=db, cwd=tmp_path)
    assert done.returncode == 2
    assert "'Tikrit' is not a district of Kirkuk" in done.stderr and "Daquq (IQG13Q02)" in done.stderr
    assert not (tmp_path / "out.csv").exists()


def test_a_dry_run_writes_no_reject_report_unless_asked(db, tmp_path):
    dry = run_cli("import", str(IMPORTS / "acled_kirkuk.csv"), "--format", "acled", "--dry-run", db=db, cwd=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert list(tmp_path.glob("*.rejects.csv")) == [] and "1 rejected" in dry.stdout and "--rejects" in dry.stderr
    asked = run_cli("import", str(IMPORTS / "acled_kirkuk.csv"), "--format", "acled", "--dry-run", "--rejects",
                    str(tmp_path / "r.csv"), db=db, cwd=tmp_path)
    assert asked.returncode == 0 and (tmp_path / "r.csv").exists()
