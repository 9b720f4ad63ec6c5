"""The spatial join puts incidents in the right sub-district and keeps those outside Kirkuk."""
from __future__ import annotations

import pandas as pd
import pytest

from geo.join import assign_admin_units
from incidents.seed import read_seed_incidents


def test_seed_incidents_land_in_their_sub_districts(boundaries):
    seed = read_seed_incidents(boundaries).set_index("location")
    assert seed.loc["Qarahanjir", "adm3_pcode"] == "IQG13Q04N07"
    assert seed.loc["Laylan", "adm3_pcode"] == "IQG13Q04N02"
    assert seed["in_kirkuk"].all()


def test_a_governorate_level_incident_gains_no_district(boundaries):
    clash = read_seed_incidents(boundaries).query("geo_precision == 3").iloc[0]
    assert (clash["adm1_pcode"], clash["admin1"]) == ("IQG13", "Kirkuk")
    assert pd.isna(clash["adm2_pcode"]) and pd.isna(clash["adm3_pcode"])


@pytest.mark.parametrize(
    ("place", "lat", "lon", "adm1", "in_kirkuk"),
    [
        ("Tuz Khurmatu", 34.88808, 44.63256, "IQG16", False),
        ("Kirkuk citadel", 35.4686, 44.3957, "IQG13", True),
        ("Hawija", 35.3167, 43.7667, "IQG13", True),
        ("Chamchamal", 35.5333, 44.8333, "IQG06", False),
    ],
)
def test_points_inside_and_outside_kirkuk(boundaries, place, lat, lon, adm1, in_kirkuk):
    joined = assign_admin_units(pd.DataFrame({"latitude": [lat], "longitude": [lon], "geo_precision": [1]}), boundaries)
    assert joined.loc[0, "adm1_pcode"] == adm1, place
    assert bool(joined.loc[0, "in_kirkuk"]) is in_kirkuk


def test_a_point_outside_every_polygon_is_kept_with_empty_units(boundaries):
    joined = assign_admin_units(pd.DataFrame({"latitude": [30.5], "longitude": [47.8], "geo_precision": [1]}), boundaries)
    assert len(joined) == 1
    assert pd.isna(joined.loc[0, "adm1_pcode"]) and not joined.loc[0, "in_kirkuk"]


def test_a_row_without_coordinates_keeps_its_district_and_gets_names(boundaries):
    frame = pd.DataFrame({"latitude": [None], "longitude": [None], "geo_precision": [3], "adm2_pcode": ["IQG13Q02"]})
    joined = assign_admin_units(frame, boundaries)
    assert (joined.loc[0, "admin2"], joined.loc[0, "adm1_pcode"], joined.loc[0, "admin1"]) == ("Daquq", "IQG13", "Kirkuk")


def test_the_join_does_not_change_its_input(boundaries):
    frame = pd.DataFrame({"latitude": [35.47], "longitude": [44.39]})
    assign_admin_units(frame, boundaries)
    assert list(frame.columns) == ["latitude", "longitude"]


def test_missing_coordinate_columns_are_named():
    with pytest.raises(KeyError, match="latitude"):
        assign_admin_units(pd.DataFrame({"lat": [1]}), None)
