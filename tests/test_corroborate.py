"""Corroboration: the same incident from two sources becomes one incident listing both."""
from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from geo.gazetteer import load_gazetteer
from incidents.corroborate import (
    DateIndex, apply_plan, casualties_compatible, match_strength, outlets, plan_corroboration, same_incident,
)
from incidents.export import csv_bytes, with_source_urls
from incidents.schema import conform
from incidents.store import read_incidents, read_sources
from reports.extract import extract_incidents
from tests.conftest import REPO_ROOT, TEST_DATA

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


# ---- another outlet's account: no date, or an earlier toll ------------------------------------


OTHER = {"source_url": "https://b.example/2", "source": "b"}


@pytest.mark.parametrize(
    "changes, strength",
    [
        ({}, "same"),
        (OTHER | {"fatalities": 5}, "corroborating"),  # the same day, another outlet's higher toll
        ({"fatalities": 5}, None),  # the same report never contradicts itself into a merge
        (OTHER | {"fatalities": 0}, None),  # none killed against two killed
        (OTHER | {"event_date": None, "source_sentences": "Gunmen attacked on Wednesday night."}, "corroborating"),
        (OTHER | {"event_date": None, "source_sentences": "Gunmen attacked on Friday night."}, None),  # another day
        (OTHER | {"event_date": None}, None),  # nothing says which day: no merge on a guess
        ({"event_date": None, "source_sentences": "Gunmen attacked on Wednesday night."}, None),  # one source
        (OTHER | {"event_date": "2024-10-20"}, None),  # dated, days apart
    ],
)
def test_match_strength(changes, strength):
    assert match_strength(BASE, record(**changes)) == strength  # BASE is dated Wednesday 16 October 2024


def test_outlets_are_listed_once_each_in_order():
    assert outlets({"source": "a"}, {"source": "b; a"}, {"source": None}) == "a; b"


def test_a_corroborating_account_merges_lists_both_outlets_and_asks_for_review():
    existing = conform(pd.DataFrame([record()]))
    new = conform(pd.DataFrame([record(incident_id="KIM-bbbbbbbbbbbb", fatalities=5, **OTHER)]))
    plan = plan_corroboration(new, existing)
    (merge,) = plan.merges
    assert plan.new.empty and merge.changes["source"] == "a; b"
    assert (merge.changes["fatalities_low"], merge.changes["fatalities_high"]) == (2, 5)
    assert merge.changes["needs_review"] and "sources differ on deaths" in merge.changes["review_reasons"]


def test_an_account_that_fits_two_incidents_merges_into_neither():
    twins = conform(pd.DataFrame([record(), record(incident_id="KIM-cccccccccccc", latitude=35.471)]))
    new = conform(pd.DataFrame([record(incident_id="KIM-bbbbbbbbbbbb", event_date=None,
                                       source_sentences="It happened on Wednesday.", **OTHER)]))
    plan = plan_corroboration(new, twins)
    assert plan.merges == [] and len(plan.new) == 1
    assert "possible duplicate of KIM-aaaaaaaaaaaa, KIM-cccccccccccc" in plan.new.iloc[0]["review_reasons"]


# ---- reports of one incident by two outlets, added one after the other --------------------------


SHARED_REPORTS = REPO_ROOT.parent / "shared" / "reports"
SHARED_PAIRS = [("106", "135"), ("109", "162"), ("110", "153"), ("115", "149"), ("129", "131"), ("136", "157")]


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def add_report(engine, path, gazetteer) -> tuple[str, str]:
    """Extract one report (JSON, the shared reports' format) into the store; its main incident's id and its URL."""
    report = json.loads(path.read_text(encoding="utf-8"))
    url = report.get("url") or f"https://outlet-{report['id']}.example/{report['id']}"
    published = date.fromisoformat(report["published"]) if report["published"] else None
    incidents = extract_incidents(report["text"], gazetteer, published, url, f"Outlet {report['id']}")
    apply_plan(engine, plan_corroboration(incidents, read_incidents(engine)))
    return incidents.iloc[0]["incident_id"], url


def assert_one_incident_with_both_sources(engine, first_main: str, ids: tuple[str, str], urls: tuple[str, str]) -> None:
    stored = read_incidents(engine).set_index("incident_id")
    assert stored.loc[first_main, "source"] == f"Outlet {ids[0]}; Outlet {ids[1]}"
    listed = with_source_urls(read_incidents(engine), read_sources(engine)).set_index("incident_id").loc[first_main, "source_urls"]
    assert listed == "; ".join(urls)
    assert len(read_sources(engine, [first_main])) == 2


@pytest.mark.parametrize("first, second", SHARED_PAIRS + [pair[::-1] for pair in SHARED_PAIRS])
def test_the_real_pairs_merge_into_one_incident_with_both_sources(first, second, engine, gazetteer):
    if not SHARED_REPORTS.is_dir():
        pytest.skip(f"no shared reports at {SHARED_REPORTS}")
    main, first_url = add_report(engine, SHARED_REPORTS / f"{first}.json", gazetteer)
    second_main, second_url = add_report(engine, SHARED_REPORTS / f"{second}.json", gazetteer)
    assert second_main not in set(read_incidents(engine)["incident_id"])  # merged, not added
    assert_one_incident_with_both_sources(engine, main, (first, second), (first_url, second_url))


def test_our_pair_merges_and_the_export_carries_both_urls(engine, gazetteer):
    main, first_url = add_report(engine, TEST_DATA / "real_reports" / "r06.json", gazetteer)
    _, second_url = add_report(engine, TEST_DATA / "real_reports" / "r07.json", gazetteer)
    assert_one_incident_with_both_sources(engine, main, ("r06", "r07"), (first_url, second_url))
    exported = csv_bytes(with_source_urls(read_incidents(engine), read_sources(engine))).decode("utf-8-sig")
    assert "https://outlet-a.example/hawija-bomb; https://outlet-b.example/news/2022/05/09/blast" in exported
