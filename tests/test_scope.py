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


@pytest.fixture
def iraq_wide_store(db_url, located) -> str:
    """The test's store ($KIRKUK_DB) holding the located Iraq-wide file."""
    from incidents.store import save_incidents

    engine = connect(db_url)
    save_incidents(engine, located)
    engine.dispose()
    return db_url


def chart_districts(at) -> set[str]:
    """The districts the Map page's monthly charts list in their legends."""
    import json

    return {name for chart in at.get("vega_lite_chart") for name in json.loads(chart.proto.spec)["encoding"]["color"]["scale"]["domain"]}


# Kirkuk's districts (COD-AB names) and the unplaced incident's "district unknown": no other governorate's.
KIRKUK_LEGEND = {"Kirkuk", "Al-Hawiga", "Daquq", "Dibis", "district unknown"}


@pytest.mark.parametrize(
    ("query", "count", "districts"),
    [
        ({}, IN_KIRKUK + UNPLACED, KIRKUK_LEGEND),
        ({"scope": "neighbours"}, IN_KIRKUK + IN_NEIGHBOURS_ONLY + UNPLACED, None),
        ({"scope": "all"}, ROWS, None),
        ({"scope": "iraq"}, IN_KIRKUK + UNPLACED, KIRKUK_LEGEND),  # a bad value: the default, with a note
    ],
)
def test_the_map_page_counts_kirkuk_by_default_and_widens_on_request(iraq_wide_store, query, count, districts):
    from tests.incident_rows import run_page

    at = run_page("map", query)
    assert not at.exception, at.exception
    assert at.metric[0].label == "Incidents" and at.metric[0].value == str(count)
    assert len(at.dataframe[0].value) == count
    assert at.radio(key="scope").value == (query.get("scope") if query.get("scope") in ("neighbours", "all") else "kirkuk")
    shown = chart_districts(at)
    if districts is not None:
        assert shown <= districts and "Kirkuk" in shown
    else:
        assert "outside Kirkuk" in shown and not shown & {"Al-Mosul", "Tikrit", "Beygee"}
    if query.get("scope") == "iraq":
        assert "scope 'iraq' is not one of kirkuk, neighbours, all" in at.warning[0].value.replace("\\", "")


def test_the_scope_radio_widens_the_view_and_the_url(iraq_wide_store):
    from tests.incident_rows import run_page

    at = run_page("map")
    at.radio(key="scope").set_value("neighbours").run()
    assert at.metric[0].value == str(IN_KIRKUK + IN_NEIGHBOURS_ONLY + UNPLACED)
    assert at.query_params["scope"] == ["neighbours"] or at.query_params["scope"] == "neighbours"
    assert "in Kirkuk and its neighbours" in at.caption[0].value.replace("\\", "")


@pytest.mark.parametrize("scope", ["kirkuk", "neighbours", "all"])
def test_the_monthly_counts_in_the_store_equal_the_frame_s_with_one_band_outside_kirkuk(iraq_wide_store, scope):
    from incidents import aggregate, queries
    from incidents.store import read_incidents

    engine = connect(iraq_wide_store)
    incident_filter = IncidentFilter(scope=scope)
    in_sql = queries.monthly_by_district(engine, incident_filter)
    in_pandas = aggregate.monthly_by_district(incident_filter.apply(read_incidents(engine)))
    pd.testing.assert_frame_equal(
        in_sql.sort_values(["month", "district"]).reset_index(drop=True),
        in_pandas.astype({"district": "string"}).sort_values(["month", "district"]).reset_index(drop=True),
        check_dtype=False,
    )
    outside = in_sql.loc[in_sql["district"] == "outside Kirkuk", "incidents"].sum()
    assert outside == {"kirkuk": 0, "neighbours": IN_NEIGHBOURS_ONLY, "all": IN_NEIGHBOURS_ONLY + FURTHER}[scope]
    engine.dispose()


def test_the_import_page_keeps_only_kirkuk_when_asked(db_url):
    from tests.incident_rows import run_page

    at = run_page("data")
    at.file_uploader(key="import_file").upload(IRAQ_WIDE.name, IRAQ_WIDE.read_bytes(), "text/csv").run()
    at.radio(key="import_within").set_value("kirkuk").run()
    at.button(key="import_check").click().run()
    assert not at.exception, at.exception
    message = at.success[0].value.replace("\\", "").replace("\u2060", "")  # escape_markdown's escapes and word joiners
    assert message.startswith(f"{IN_KIRKUK + UNPLACED} accepted, 0 rejected, {IN_NEIGHBOURS_ONLY + FURTHER} skipped: outside the region")
    assert at.subheader[0].value == f"Would be imported: {IN_KIRKUK + UNPLACED} row(s)"


def test_the_map_draws_what_lies_outside_kirkuk_as_muted_context(located, boundaries):
    from mapview.incident_map import incident_layers
    from mapview.incident_points import IncidentPoints
    from mapview.style import CONTEXT_COLOUR

    def points(groups):
        return [child for group in groups for child in group._children.values() if isinstance(child, IncidentPoints)]

    everything = incident_layers(located, boundaries, context_outlines=True)
    muted = [layer for layer in points(everything) if layer.layer_options["muted"]]
    own = [layer for layer in points(everything) if not layer.layer_options["muted"]]
    assert muted and all(set(layer.layer_options["palette"]) == {CONTEXT_COLOUR} for layer in muted)
    assert all(layer.layer_options["opacity"] < 1 and layer.layer_options["size"] < 1 for layer in muted)
    assert all(layer.layer_options["opacity"] == 1 for layer in own)
    names = [group.layer_name for group in everything]
    assert "Neighbouring governorates" in names and names.index("Outside Kirkuk: at a place") < names.index("Incidents at a place")
    kirkuk_only = incident_layers(IncidentFilter().apply(located), boundaries)
    assert not any(layer.layer_options["muted"] for layer in points(kirkuk_only))
    assert "Neighbouring governorates" not in [group.layer_name for group in kirkuk_only]


@pytest.mark.parametrize(
    ("query", "played"),
    [({}, IN_KIRKUK), ({"scope": "neighbours"}, IN_KIRKUK + IN_NEIGHBOURS_ONLY), ({"scope": "all"}, ROWS - UNPLACED)],
)
def test_the_timeline_plays_kirkuk_by_default_and_widens_on_request(iraq_wide_store, query, played):
    """The Timeline shares the Map's filter, scope included: the unplaced incident is in the story, not on the map."""
    from tests.incident_rows import run_page

    at = run_page("timeline", query)
    assert not at.exception, at.exception
    assert any(caption.value.startswith(f"{played:,} incident(s) in ") for caption in at.caption), [c.value for c in at.caption]
    assert at.subheader[0].value.startswith(f"1 of {played + UNPLACED}:")


@pytest.mark.parametrize(
    ("scope_args", "exported"),
    [((), ROWS), (("--scope", "kirkuk"), IN_KIRKUK + UNPLACED), (("--scope", "neighbours"), IN_KIRKUK + IN_NEIGHBOURS_ONLY + UNPLACED)],
)
def test_the_export_command_keeps_every_governorate_unless_a_scope_is_given(iraq_wide_store, tmp_path, scope_args, exported):
    out = tmp_path / "out.csv"
    env = os.environ | {"KIRKUK_DB": iraq_wide_store, "PYTHONPATH": str(REPO_ROOT)}
    command = [sys.executable, "-m", "incidents", "export", str(out), *scope_args]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(pd.read_csv(out)) == exported
