"""The COD-AB boundaries: found where documented, Kirkuk's units complete, areas consistent."""
from __future__ import annotations

import shutil

import pytest

from geo.boundaries import GEO_DIR_ENV, BoundariesNotFound, boundary_search_dirs, find_boundaries_dir, load_boundaries


def test_kirkuk_has_4_districts_and_16_sub_districts(boundaries):
    assert sorted(boundaries.kirkuk(2)["pcode"]) == ["IQG13Q01", "IQG13Q02", "IQG13Q03", "IQG13Q04"]
    assert len(boundaries.kirkuk(3)) == 16
    assert boundaries.kirkuk(3)["adm2_pcode"].str.startswith("IQG13Q").all()


def test_sub_districts_tile_their_districts(boundaries):
    by_district = boundaries.kirkuk(3).groupby("adm2_pcode")["area_km2"].sum()
    districts = boundaries.kirkuk(2).set_index("pcode")["area_km2"]
    assert (by_district - districts).abs().max() < 0.01


def test_kirkuk_governorate_measures_about_10190_km2(boundaries):
    area = boundaries.kirkuk(1)["area_km2"].iloc[0]
    assert area == pytest.approx(10_190, abs=10)


def test_neighbours_are_kept_and_marked_outside(boundaries):
    outside = boundaries.adm1[~boundaries.adm1["in_kirkuk"]]
    assert {"IQG16", "IQG11", "IQG06", "IQG10"} <= set(outside["pcode"])  # Salah al-Din, Erbil, Sulaymaniyah, Diyala
    assert "IQG02" not in set(boundaries.adm1["pcode"])  # Basrah is far away


def test_kirkuk_geo_dir_is_searched_first(tmp_path):
    dirs = boundary_search_dirs({GEO_DIR_ENV: str(tmp_path)}, repo_root=tmp_path / "checkout")
    assert dirs == [tmp_path, tmp_path / "shared" / "geo"]


def test_boundaries_load_from_a_directory_named_by_the_variable(tmp_path, boundaries):
    source = find_boundaries_dir()
    for level in (1, 2, 3):
        for path in source.glob(f"irq_admbnda_adm{level}_*"):
            shutil.copy(path, tmp_path / path.name)
    assert find_boundaries_dir({GEO_DIR_ENV: str(tmp_path)}) == tmp_path
    assert len(load_boundaries(tmp_path).kirkuk(3)) == 16


def test_missing_boundaries_name_the_places_searched_and_the_download(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(BoundariesNotFound) as error:
        find_boundaries_dir({GEO_DIR_ENV: str(empty)}, repo_root=tmp_path / "checkout")
    message = str(error.value)
    assert str(empty) in message
    assert str(tmp_path / "shared" / "geo") in message
    assert "cod-ab-irq" in message and GEO_DIR_ENV in message
