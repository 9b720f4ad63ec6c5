"""The scope: Kirkuk governorate by default, its neighbours or everything on request; and imports
kept within a region. Measured on tests/data/imports/iraq_wide_2012_2017.csv, an Iraq-wide table
of 100 incidents (2012-2017) written for these tests: 17 in Kirkuk governorate, 35 in its
neighbours (Mosul, Tikrit, Baiji, Samarra, Tuz Khurmatu, Baqubah, Chamchamal, Kifri, Erbil,
Al-Shirqat), 47 further away (Baghdad, Fallujah, Ramadi, ...) and one place no source knows
(Latifiyah: no point, no governorate)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from geo.boundaries import KIRKUK_PCODE, find_boundaries_dir, find_layer_file, neighbour_pcodes, read_admin_layer
from importers.pipeline import import_file, locate_incidents, read_import
from importers.placement import keep_within
from incidents.filters import IncidentFilter
from incidents.scope import NEIGHBOUR_PCODES, in_region, place_unknown
from incidents.store import connect, count_incidents

IRAQ_WIDE = Path(__file__).parent / "data" / "imports" / "iraq_wide_2012_2017.csv"
REPO_ROOT = Path(__file__).resolve().parent.parent
ROWS, IN_KIRKUK, IN_NEIGHBOURS_ONLY, FURTHER, UNPLACED = 100, 17, 35, 47, 1


def test_the_neighbours_are_the_governorates_within_30_km_of_the_real_adm1_layer():
    adm1 = read_admin_layer(find_layer_file(find_boundaries_dir(), 1), 1)
    assert NEIGHBOUR_PCODES == frozenset(neighbour_pcodes(adm1)) and KIRKUK_PCODE in NEIGHBOUR_PCODES


@pytest.fixture(scope="module")
def located(boundaries) -> pd.DataFrame:
    """The Iraq-wide file read, geocoded with the project gazetteer and joined to the real boundaries."""
    from geo.gazetteer import load_gazetteer

    return locate_incidents(read_import(IRAQ_WIDE, "csv").incidents, boundaries, load_gazetteer(boundaries=boundaries))


def test_the_iraq_wide_file_is_mostly_outside_kirkuk(located):
    assert len(located) == ROWS
    assert int(located["in_kirkuk"].fillna(False).sum()) == IN_KIRKUK
    assert int(place_unknown(located).sum()) == UNPLACED
    assert int(in_region(located, "neighbours").sum()) == IN_KIRKUK + IN_NEIGHBOURS_ONLY + UNPLACED


@pytest.mark.parametrize(
    ("scope", "kept"),
    [("kirkuk", IN_KIRKUK + UNPLACED), ("neighbours", IN_KIRKUK + IN_NEIGHBOURS_ONLY + UNPLACED), ("all", ROWS)],
)
def test_the_scope_counts_its_region_and_the_incidents_with_no_known_place(located, scope, kept):
    assert len(IncidentFilter(scope=scope).apply(located)) == kept


def test_the_default_filter_is_kirkuk_and_says_so(located):
    assert IncidentFilter().scope == "kirkuk"
    assert IncidentFilter().caption() == "All incidents in Kirkuk governorate"
    kept = IncidentFilter().apply(located)
    assert set(kept["admin1"].dropna()) == {"Kirkuk"}


@pytest.mark.parametrize(
    ("within", "kept", "skipped"),
    [(None, ROWS, 0), ("kirkuk", IN_KIRKUK + UNPLACED, IN_NEIGHBOURS_ONLY + FURTHER), ("neighbours", IN_KIRKUK + IN_NEIGHBOURS_ONLY + UNPLACED, FURTHER)],
)
def test_an_import_kept_within_a_region_skips_and_counts_the_rows_outside(located, within, kept, skipped):
    rows, skipped_rows = keep_within(located, within)
    assert (len(rows), skipped_rows) == (kept, skipped)
    assert place_unknown(rows).sum() == UNPLACED  # a row with no known place is never skipped


def test_keep_within_refuses_an_unknown_region(located):
    with pytest.raises(ValueError, match="kirkuk, neighbours"):
        keep_within(located, "iraq")


def test_import_file_within_kirkuk_stores_only_kirkuk_and_reports_the_skipped(engine, boundaries, small_gazetteer):
    summary, result, stored = import_file(IRAQ_WIDE, "csv", engine, boundaries, small_gazetteer, within="kirkuk", dry_run=True)
    # The small gazetteer knows Hawija, not Mosul: the Mosul row without coordinates is unplaced and kept.
    assert (summary.rows_read, summary.rejected, summary.skipped_outside) == (ROWS, 0, IN_NEIGHBOURS_ONLY + FURTHER - 1)
    assert "skipped: outside the region (Kirkuk governorate)" in summary.message()
    assert len(result.rejects) == 0 and count_incidents(engine) == 0
    summary, _, stored = import_file(IRAQ_WIDE, "csv", engine, boundaries, small_gazetteer, within="kirkuk")
    assert summary.new == len(stored) == count_incidents(engine) == IN_KIRKUK + UNPLACED + 1


def run_import(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = os.environ | {"KIRKUK_DB": str(tmp_path / "cli.sqlite"), "PYTHONPATH": str(REPO_ROOT)}
    command = [sys.executable, "-m", "incidents", "import", str(IRAQ_WIDE), "--rejects", str(tmp_path / "rejects.csv"), *args]
    return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize(
    ("args", "accepted", "skipped_words"),
    [
        (("--within", "kirkuk"), IN_KIRKUK + UNPLACED, f"{IN_NEIGHBOURS_ONLY + FURTHER} skipped: outside the region (Kirkuk governorate)"),
        (("--within", "neighbours", "--dry-run"), IN_KIRKUK + IN_NEIGHBOURS_ONLY + UNPLACED,
         f"{FURTHER} skipped: outside the region (Kirkuk and its neighbours)"),
        ((), ROWS, None),
    ],
)
def test_the_import_command_within_a_region_reports_the_skipped_rows(tmp_path, args, accepted, skipped_words):
    done = run_import(*args, tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{accepted} accepted, 0 rejected")
    if skipped_words:
        assert skipped_words in done.stdout
    else:
        assert "skipped" not in done.stdout
    assert not (tmp_path / "rejects.csv").exists()  # skipped rows are not rejects
    stored = count_incidents(connect(f"sqlite:///{tmp_path / 'cli.sqlite'}"))
    assert stored == (0 if "--dry-run" in args else accepted)


def test_the_import_command_refuses_an_unknown_region(tmp_path):
    done = run_import("--within", "iraq", tmp_path=tmp_path)
    assert done.returncode == 2 and "--within" in done.stderr
