"""The store keeps every column, never duplicates, and records analysts' decisions."""
from __future__ import annotations

import pandas as pd
import pytest

from incidents.schema import COLUMN_NAMES, SCHEMA_VERSION
from incidents.seed import read_seed_incidents, seed_store
from incidents.store import (
    add_source,
    connect,
    count_incidents,
    current_version,
    database_url,
    read_incidents,
    read_sources,
    save_incidents,
    update_incident,
)

pytestmark = pytest.mark.both_backends  # the same behaviour on SQLite and PostgreSQL


def test_round_trip_keeps_every_column(engine, boundaries):
    seed = read_seed_incidents(boundaries)
    save_incidents(engine, seed)
    stored = read_incidents(engine).set_index("incident_id").sort_index()
    expected = seed.set_index("incident_id").sort_index()
    assert list(stored.columns) == [c for c in COLUMN_NAMES if c != "incident_id"]
    pd.testing.assert_frame_equal(stored, expected[stored.columns])


def test_seeding_twice_does_not_duplicate(engine, boundaries):
    assert seed_store(engine, boundaries) == 3
    assert seed_store(engine, boundaries) == 0
    assert save_incidents(engine, read_seed_incidents(boundaries)) == 0
    assert count_incidents(engine) == 3


def test_each_saved_incident_lists_its_source(engine, boundaries):
    seed_store(engine, boundaries)
    sources = read_sources(engine)
    assert len(sources) == 3
    assert set(sources["url"]) == {"https://en.964media.com/26485"}


def test_a_second_source_is_added_once(engine, boundaries):
    seed_store(engine, boundaries)
    incident_id = read_incidents(engine)["incident_id"].iloc[0]
    other = {"url": "https://example.org/report", "outlet": "Example", "published": "2024-10-19"}
    assert add_source(engine, incident_id, other) is True
    assert add_source(engine, incident_id, other) is False
    assert len(read_sources(engine, [incident_id])) == 2


def test_an_analyst_correction_is_recorded_and_survives_reseeding(engine, boundaries):
    seed_store(engine, boundaries)
    clash = read_incidents(engine).query("geo_precision == 3").iloc[0]
    update_incident(engine, clash["incident_id"], {"event_date": "2024-10-16", "time_precision": 1}, "corrected")
    save_incidents(engine, read_seed_incidents(boundaries))
    after = read_incidents(engine).set_index("incident_id").loc[clash["incident_id"]]
    assert (after["event_date"], after["time_precision"], after["review_status"]) == ("2024-10-16", 1, "corrected")
    assert not after["needs_review"]


def test_update_of_an_unknown_incident_says_so(engine):
    with pytest.raises(KeyError, match="No incident"):
        update_incident(engine, "KIM-000000000000", {"notes": "x"}, "approved")


def test_store_is_migrated_to_the_current_version(engine):
    assert current_version(engine) == SCHEMA_VERSION
    connect(str(engine.url)).dispose()  # migrating again is a no-op
    assert current_version(engine) == SCHEMA_VERSION


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "sqlite:///"),
        ("/tmp/x.sqlite", "sqlite:////tmp/x.sqlite"),
        ("postgresql://user@host/db", "postgresql://user@host/db"),
    ],
)
def test_database_url_comes_from_kirkuk_db(value, expected):
    assert database_url({"KIRKUK_DB": value}).startswith(expected)
