"""Corroboration: the same incident from two sources becomes one incident listing both."""
from __future__ import annotations

import pandas as pd
import pytest

from incidents.corroborate import DateIndex, apply_plan, casualties_compatible, plan_corroboration, same_incident
from incidents.schema import conform
from incidents.store import read_incidents, read_sources

BASE = {
    "incident_id": "KIM-aaaaaaaaaaaa", "event_date": "2024-10-16", "time_precision": 1, "event_type": "Battles",
    "sub_event_type": "Armed clash", "location": "Qura Hanjeer", "latitude": 35.47, "longitude": 44.63,
    "geo_precision": 2, "adm1_pcode": "IQG13", "adm2_pcode": "IQG13Q04", "adm3_pcode": "IQG13Q04N07",
    "fatalities": 2, "needs_review": False, "review_status": "unreviewed", "source_url": "https://a.example/1",
    "source": "a", "report_date": "2024-10-18",
}

pytestmark = pytest.mark.both_backends  # the same behaviour on SQLite and PostgreSQL


def record(**changes) -> dict:
    return BASE | changes


@pytest.mark.parametrize(
    "changes, same",
    [
        ({}, True),
        ({"event_date": "2024-10-17"}, True),  # within a day
        ({"event_date": "2024-10-19"}, False),  # three days apart
        ({"event_date": "2024-10-19", "time_precision": 2}, True),  # a week-precision date spans it
        ({"adm2_pcode": "IQG13Q02", "latitude": 35.50, "longitude": 44.66}, True),  # other district, 4 km away
        ({"adm2_pcode": "IQG13Q02", "latitude": 35.10, "longitude": 44.30}, False),  # other district, far
        ({"adm2_pcode": None, "adm3_pcode": None, "geo_precision": 3, "latitude": 35.29, "longitude": 44.06}, True),  # governorate-level
        ({"fatalities": 3}, True),  # a later, higher toll
        ({"fatalities": 0}, False),  # contradicts
        ({"event_type": "Strategic developments", "sub_event_type": "Arrests"}, False),
        ({"event_date": None}, False),  # undated records wait for review
    ],
)
def test_same_incident(changes, same):
    assert same_incident(BASE, record(**changes)) is same


@pytest.mark.parametrize("a, b, ok", [(None, 3, True), (2, 2, True), (2, 4, True), (2, 5, False), (0, 1, False)])
def test_casualties_compatible(a, b, ok):
    assert casualties_compatible({"fatalities": a}, {"fatalities": b}) is ok


def test_a_second_source_merges_and_keeps_the_more_precise_place_and_date():
    existing = conform(pd.DataFrame([record(geo_precision=3, adm3_pcode=None, location="Kirkuk governorate", time_precision=2)]))
    new = conform(pd.DataFrame([record(incident_id="KIM-bbbbbbbbbbbb", source_url="https://b.example/2", event_date="2024-10-17")]))
    plan = plan_corroboration(new, existing)
    assert plan.new.empty
    (merge,) = plan.merges
    assert merge.incident_id == "KIM-aaaaaaaaaaaa"
    assert merge.changes["geo_precision"] == 2 and merge.changes["adm3_pcode"] == "IQG13Q04N07"
    assert merge.changes["time_precision"] == 1 and merge.source["url"] == "https://b.example/2"


def test_an_analyst_decision_is_never_overwritten_by_a_merge():
    existing = conform(pd.DataFrame([record(geo_precision=3, review_status="approved")]))
    new = conform(pd.DataFrame([record(incident_id="KIM-bbbbbbbbbbbb", source_url="https://b.example/2", geo_precision=1)]))
    (merge,) = plan_corroboration(new, existing).merges
    assert merge.changes == {}


def test_applying_a_plan_twice_adds_nothing_the_second_time(engine):
    first = conform(pd.DataFrame([record()]))
    assert apply_plan(engine, plan_corroboration(first, read_incidents(engine)))["added"] == 1
    second = conform(pd.DataFrame([record(incident_id="KIM-bbbbbbbbbbbb", source_url="https://b.example/2")]))
    counts = apply_plan(engine, plan_corroboration(second, read_incidents(engine)))
    assert (counts["added"], counts["sources_added"]) == (0, 1)
    again = apply_plan(engine, plan_corroboration(second, read_incidents(engine)))
    assert (again["added"], again["sources_added"]) == (0, 0)
    assert len(read_incidents(engine)) == 1
    assert sorted(read_sources(engine)["url"]) == ["https://a.example/1", "https://b.example/2"]


def test_the_date_index_finds_every_match_a_full_scan_finds():
    stored = [
        record(incident_id=f"KIM-{i:012d}", event_date=day, time_precision=precision)
        for i, (day, precision) in enumerate(
            [("2024-09-01", 3), ("2024-10-02", 2), ("2024-10-15", 1), ("2024-10-16", 1), ("2024-11-30", 3), (None, 1)]
        )
    ]
    index = DateIndex(stored)
    for day in ("2024-08-17", "2024-09-16", "2024-09-17", "2024-10-05", "2024-10-14", "2024-10-17", "2024-12-14"):
        for precision in (1, 2, 3):
            new = record(incident_id="KIM-new", event_date=day, time_precision=precision)
            assert [s for s in index.candidates(new) if same_incident(s, new)] == [s for s in stored if same_incident(s, new)]
    assert index.candidates(record(event_date=None)) == []
