"""data/gazetteer.csv against the real COD-AB polygons: every point's pcodes agree with the
polygon that contains it, and the file covers what the issue asks for."""
from __future__ import annotations

import csv

import numpy as np
import pytest

from geo.boundaries import Boundaries
from geo.gazetteer import DEFAULT_GAZETTEER_CSV, load_gazetteer
from geo.join import points_to_sub_districts

KINDS = {"governorate", "district", "sub-district", "city", "town", "village", "neighbourhood",
         "military site", "oil field", "landmark", "valley", "mountain"}


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    with open(DEFAULT_GAZETTEER_CSV, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_ids_are_unique_and_every_row_has_a_source(rows):
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    assert all(r["name_source"] and r["coord_source"] for r in rows)


def test_kinds_and_precisions_are_known(rows):
    assert {r["kind"] for r in rows} <= KINDS
    assert {r["geo_precision"] for r in rows} <= {"1", "2", "3"}


def test_pcodes_agree_with_the_containing_polygon(rows, boundaries: Boundaries):
    lon = np.array([float(r["longitude"]) for r in rows])
    lat = np.array([float(r["latitude"]) for r in rows])
    found = points_to_sub_districts(lon, lat, boundaries.adm3)
    wrong = []
    for row, index in zip(rows, found):
        if index < 0:
            expected = {1: "", 2: "", 3: ""}
        else:
            unit = boundaries.adm3.iloc[index]
            expected = {level: unit[f"adm{level}_pcode"] for level in (1, 2, 3)}
        for level in (1, 2, 3):
            given = row[f"adm{level}_pcode"]
            # Area-level rows carry no finer unit than their level; what they carry must agree.
            if given and given != expected[level]:
                wrong.append((row["id"], row["name"], level, given, expected[level]))
        if row["geo_precision"] != "3" and index >= 0 and not row["adm3_pcode"]:
            wrong.append((row["id"], row["name"], 3, "", expected[3]))
    assert not wrong, f"{len(wrong)} rows disagree with the polygons, e.g. {wrong[:5]}"


def test_in_kirkuk_is_the_polygon_test(rows):
    for row in rows:
        assert (row["in_kirkuk"] == "true") == (row["adm1_pcode"] == "IQG13"), row["id"]


def test_every_kirkuk_district_and_sub_district_is_a_row(rows, boundaries: Boundaries):
    ids = {r["id"] for r in rows}
    for level in (2, 3):
        assert set(boundaries.kirkuk(level)["pcode"]) <= ids
    assert "IQG13" in ids


@pytest.mark.parametrize(("town", "unit"), [
    ("gn:94787", "IQG13Q04N06"), ("gn:390188", "IQG13Q01N01"), ("gn:90220", "IQG13Q02N02"),
    ("gn:97001", "IQG13Q03N02"), ("gn:90199", "IQG13Q04N01"), ("gn:98697", "IQG13Q01N03"),
    ("gn:95224", "IQG13Q01N04"), ("ref:altun-kupri", "IQG13Q03N03"), ("ref:zab", "IQG13Q01N02"),
])
def test_seat_towns_lie_in_the_unit_they_head(rows, town, unit):
    row = next(r for r in rows if r["id"] == town)
    assert row["adm3_pcode"] == unit and unit in row["seat_of"].split("|")


@pytest.mark.parametrize("name", ["Tuz Khurmatu", "Sulaiman Bek", "Amirli", "Makhmur", "Chamchamal", "Kifri"])
def test_confusable_neighbours_are_rows_outside_kirkuk(rows, name):
    row = next(r for r in rows if r["name"] == name)
    assert row["in_kirkuk"] == "false" and row["adm1_pcode"] not in ("", "IQG13")


@pytest.mark.parametrize("name", ["Wadi al-Shay", "Wadi Zghaytun", "Hamrin Mountains", "K-1 Air Base",
                                  "Kirkuk International Airport", "Baba Gurgur", "Bai Hassan oil field",
                                  "Jambur oil field", "Wasiti", "Shorja", "Domiz"])
def test_named_features_are_covered(rows, name):
    assert any(r["name"] == name for r in rows)


def test_rows_without_a_coordinate_of_their_own_are_not_precision_1(rows):
    for row in rows:
        if row["coord_source"].startswith("stand-in"):
            assert row["geo_precision"] in ("2", "3"), row["id"]


def test_loading_with_boundaries_fills_the_same_names(boundaries: Boundaries):
    gazetteer = load_gazetteer(boundaries=boundaries)
    assert gazetteer.geocode("Daquq").admin3 == "Markaz Daquq"
