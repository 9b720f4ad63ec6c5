"""Synthetic incidents over Kirkuk governorate with a realistic shape, for the benchmark.

Incidents cluster around real towns (most in Kirkuk city, fewer in the small towns, some
in the countryside between them), span ten years of dates, and mix the precision levels
of DESIGN.md about 60/30/10 %: a point at a place, a point near a place, or only a district
(or the governorate). Fatalities are skewed: most incidents kill no one, a few kill many.
The frame is schema-conformed and not yet joined: the benchmark times the join itself.
"""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from geo.boundaries import Boundaries
from geo.join import points_to_sub_districts
from incidents.schema import ACTORS, EVENT_TYPES, conform, make_incident_id

# (name, latitude, longitude, share of incidents), coordinates from
# ../shared/geo/kirkuk_places_reference.csv (GeoNames / Wikipedia points, checked there
# against the COD-AB polygons). Shares are invented but follow population: the city first.
TOWNS: tuple[tuple[str, float, float, float], ...] = (
    ("Kirkuk", 35.468060, 44.392220, 0.34),
    ("Hawija", 35.325920, 43.772670, 0.11),
    ("Daquq", 35.139230, 44.449070, 0.07),
    ("Dibis", 35.674820, 44.070670, 0.05),
    ("Altun Kupri", 35.753333, 44.143611, 0.04),
    ("Taza Khurmatu", 35.302360, 44.326370, 0.05),
    ("Al-Riyadh", 35.269640, 43.910670, 0.06),
    ("Al-Abbasi", 35.275170, 43.595930, 0.05),
    ("Al-Zab", 35.266667, 43.451944, 0.05),
    ("Al-Rashad", 35.015895, 43.995760, 0.04),
    ("Yaijy", 35.439194, 44.278345, 0.03),
    ("Al-Multaka", 35.465305, 44.212138, 0.03),
    ("Qura Hanjeer", 35.472432, 44.632349, 0.02),
    ("Lilan", 35.283177, 44.595787, 0.02),
)
FIRST_DAY = date(2015, 1, 1)
LAST_DAY = date(2024, 12, 31)
GEO_PRECISION_SHARES = (0.6, 0.3, 0.1)
TIME_PRECISION_SHARES = (0.8, 0.12, 0.08)
KM_PER_DEGREE_LAT = 111.0
KM_PER_DEGREE_LON = 111.0 * np.cos(np.radians(35.4))  # at Kirkuk's latitude
OUTLETS = ("Rudaw", "Shafaq News", "Kirkuk Now", "964media", "Xinhua", "Kurdistan24", "Iraqi News Agency")
# Event types weighted as Kirkuk's ACLED record looks: explosions and arrests lead.
EVENT_TYPE_SHARES = {
    "Explosions/Remote violence": 0.36,
    "Strategic developments": 0.22,
    "Battles": 0.2,
    "Violence against civilians": 0.14,
    "Protests": 0.06,
    "Riots": 0.02,
}


def synthetic_incidents(count: int, boundaries: Boundaries, seed: int = 0) -> pd.DataFrame:
    """``count`` schema-conformed incidents around Kirkuk's towns (deterministic for a seed).

    Precision-3 rows carry their district's pcode (or only the governorate's) and that
    area's representative point, as the geocoder gives them.
    """
    rng = np.random.default_rng(seed)
    names = np.array([t[0] for t in TOWNS])
    shares = np.array([t[3] for t in TOWNS])
    town = rng.choice(len(TOWNS), count, p=shares / shares.sum())
    geo_precision = rng.choice([1, 2, 3], count, p=GEO_PRECISION_SHARES)
    latitude, longitude = _scatter(rng, town, geo_precision)
    frame = pd.DataFrame({"latitude": latitude, "longitude": longitude, "geo_precision": geo_precision})
    frame["location"] = np.where(geo_precision == 2, np.char.add("near ", names[town]), names[town])
    _place_area_level(frame, rng, town, boundaries)
    frame = frame.assign(**_dates(rng, count), **_events(rng, count), **_casualties(rng, count), **_review(rng, count))
    outlet = rng.choice(len(OUTLETS), count)
    frame["source"] = np.asarray(OUTLETS)[outlet]
    frame["source_url"] = [f"https://news{o}.example/{i}" for o, i in zip(outlet, range(count))]
    frame["notes"] = [f"Synthetic: {s} ({p})." for s, p in zip(frame["sub_event_type"], frame["location"])]
    frame["incident_id"] = [
        make_incident_id(u, d, p, s)
        for u, d, p, s in zip(frame["source_url"], frame["event_date"], frame["location"], frame["sub_event_type"])
    ]
    return conform(frame)


def _scatter(rng: np.random.Generator, town: np.ndarray, geo_precision: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points around the towns: tight in town, wider near a place, a quarter out in the villages."""
    count = len(town)
    spread_km = np.where(geo_precision == 2, 5.0, 2.0)
    rural = rng.random(count) < 0.25
    spread_km = np.where(rural, 12.0, spread_km)
    centre_lat = np.array([t[1] for t in TOWNS])[town]
    centre_lon = np.array([t[2] for t in TOWNS])[town]
    latitude = centre_lat + rng.normal(0, 1, count) * spread_km / KM_PER_DEGREE_LAT
    longitude = centre_lon + rng.normal(0, 1, count) * spread_km / KM_PER_DEGREE_LON
    return latitude, longitude


def _place_area_level(frame: pd.DataFrame, rng: np.random.Generator, town: np.ndarray, boundaries: Boundaries) -> None:
    """Precision-3 rows: the district of their town (nine in ten) or only the governorate,
    at that area's representative point (in place: the frame is ours, freshly made)."""
    districts = boundaries.kirkuk(2)
    town_lon = np.array([t[2] for t in TOWNS])
    town_lat = np.array([t[1] for t in TOWNS])
    town_district = points_to_sub_districts(town_lon, town_lat, districts)  # any polygon layer works
    area = (frame["geo_precision"] == 3).to_numpy()
    governorate_only = area & (rng.random(len(frame)) < 0.1)
    district_level = area & ~governorate_only
    district = town_district[town]
    centres = districts.geometry.representative_point()
    frame["adm2_pcode"] = pd.array(np.where(district_level, districts["pcode"].to_numpy()[district], None), dtype="string")
    frame["adm1_pcode"] = pd.array(np.where(area, "IQG13", None), dtype="string")
    frame.loc[district_level, "latitude"] = centres.y.to_numpy()[district[district_level]]
    frame.loc[district_level, "longitude"] = centres.x.to_numpy()[district[district_level]]
    home = boundaries.kirkuk(1).geometry.representative_point().iloc[0]
    frame.loc[governorate_only, ["latitude", "longitude"]] = (home.y, home.x)
    frame.loc[district_level, "location"] = districts["name"].to_numpy()[district[district_level]]
    frame.loc[governorate_only, "location"] = "Kirkuk governorate"


def _dates(rng: np.random.Generator, count: int) -> dict[str, object]:
    """Ten years of incident dates (busier in 2015-2017), their precision, and report dates."""
    years = np.arange(FIRST_DAY.year, LAST_DAY.year + 1)
    weight = np.where(years <= 2017, 3.0, 1.0)
    year = rng.choice(years, count, p=weight / weight.sum())
    day = pd.to_datetime(year.astype(str), format="%Y") + pd.to_timedelta(rng.integers(0, 365, count), unit="D")
    time_precision = rng.choice([1, 2, 3], count, p=TIME_PRECISION_SHARES)
    week_middle = day - pd.to_timedelta(day.dayofweek, unit="D") + pd.Timedelta(days=3)
    month_middle = day.to_period("M").to_timestamp() + pd.Timedelta(days=14)
    event_day = pd.Series(np.where(time_precision == 2, week_middle, np.where(time_precision == 3, month_middle, day)))
    report_day = event_day + pd.to_timedelta(rng.integers(0, 4, count), unit="D")
    event_date = event_day.dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    event_date[rng.random(count) < 0.005] = None  # unresolved dates wait for review
    return {"event_date": event_date, "time_precision": time_precision, "report_date": report_day.dt.strftime("%Y-%m-%d")}


def _events(rng: np.random.Generator, count: int) -> dict[str, object]:
    """Event and sub-event types from the schema's taxonomy, and actors."""
    types = list(EVENT_TYPE_SHARES)
    shares = np.array(list(EVENT_TYPE_SHARES.values()))
    event_type = rng.choice(len(types), count, p=shares / shares.sum())
    sub_pick = rng.random(count)
    sub_event = [EVENT_TYPES[types[t]][int(u * len(EVENT_TYPES[types[t]]))] for t, u in zip(event_type, sub_pick)]
    actors = np.asarray(ACTORS, dtype=object)
    actor2 = actors[rng.integers(0, len(actors), count)]
    actor2[rng.random(count) < 0.4] = None
    return {
        "event_type": np.asarray(types, dtype=object)[event_type],
        "sub_event_type": sub_event,
        "actor1": actors[rng.integers(0, len(actors), count)],
        "actor2": actor2,
    }


def _casualties(rng: np.random.Generator, count: int) -> dict[str, object]:
    """Skewed deaths: most none, many one to a few, a heavy tail; some vague (no number)."""
    killed = np.where(rng.random(count) < 0.55, 0, rng.geometric(0.35, count))
    tail = rng.random(count) < 0.03
    killed[tail] = np.minimum(np.round(rng.pareto(1.3, tail.sum()) * 10 + 5), 250).astype(int)
    fatalities = pd.array(killed, dtype="Int64")
    fatalities[rng.random(count) < 0.05] = pd.NA
    wounded = pd.array(np.where(rng.random(count) < 0.6, 0, rng.geometric(0.25, count)), dtype="Int64")
    return {"fatalities": fatalities, "wounded": wounded}


def _review(rng: np.random.Generator, count: int) -> dict[str, object]:
    """A few incidents flagged for review; most of the rest unreviewed, some approved."""
    needs_review = rng.random(count) < 0.08
    reasons = np.where(needs_review, "low match score", None)
    status = rng.choice(["unreviewed", "approved", "corrected"], count, p=[0.7, 0.25, 0.05])
    return {"needs_review": needs_review, "review_reasons": reasons, "review_status": status}
