"""Every write of an incident bumps its row version; a write planned on an older version is
refused (StaleEdit, saying what changed) and writes nothing; older stores are migrated."""
from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa

from incidents.corroborate import apply_plan, plan_corroboration
from incidents.schema import SCHEMA_VERSION
from incidents.seed import read_seed_incidents, seed_store
from incidents.store import (
    StaleEdit,
    add_source,
    connect,
    current_version,
    read_incidents,
    read_review_queue,
    read_sources,
    update_incident,
    update_incident_fields,
)

CLASH = "KIM-c99e00f1a04a"  # the seed clash, the seed's only incident that needs review

pytestmark = pytest.mark.both_backends  # the same behaviour on SQLite and PostgreSQL


@pytest.fixture
def seeded(engine, boundaries):
    seed_store(engine, boundaries)
    return engine


def version(engine: sa.Engine, incident_id: str) -> int:
    return int(read_incidents(engine, with_row_version=True).set_index("incident_id").at[incident_id, "row_version"])


def test_a_new_incident_is_at_version_1_and_every_write_bumps_it(seeded):
    assert set(read_incidents(seeded, with_row_version=True)["row_version"]) == {1}
    assert update_incident_fields(seeded, CLASH, {"wounded": 2}) == 2
    assert update_incident(seeded, CLASH, {"fatalities": 3}, "corrected", expected_version=2) == 3
    assert version(seeded, CLASH) == 3
    add_source(seeded, CLASH, {"url": "https://example.org/more"})  # a source is not a write of the incident
    assert version(seeded, CLASH) == 3


def test_row_version_is_bookkeeping_not_an_incident_column(seeded):
    assert "row_version" not in read_incidents(seeded).columns
    assert read_review_queue(seeded)[["incident_id", "row_version"]].values.tolist() == [[CLASH, 1]]


def test_a_stale_update_is_refused_with_what_changed_and_writes_nothing(seeded):
    loaded = read_review_queue(seeded).iloc[0].to_dict()
    update_incident(seeded, CLASH, {"fatalities": 7, "notes": "checked by A"}, "corrected", expected_version=1)
    before = read_incidents(seeded, with_row_version=True)
    with pytest.raises(StaleEdit) as refused:
        update_incident(seeded, CLASH, {"wounded": 1}, "corrected", expected_version=1, loaded=loaded)
    assert (refused.value.expected_version, refused.value.stored_version) == (1, 2)
    message = str(refused.value)
    assert "fatalities: 1 → 7" in message and "review_status: 'unreviewed' → 'corrected'" in message
    assert "notes:" in message and "'checked by A'" in message and "Reload it" in message
    pd.testing.assert_frame_equal(read_incidents(seeded, with_row_version=True), before)


def test_an_update_of_an_unknown_incident_is_still_a_key_error(seeded):
    with pytest.raises(KeyError, match="No incident"):
        update_incident(seeded, "KIM-000000000000", {}, "approved", expected_version=1)


def test_a_merge_bumps_the_version_of_the_incident_it_changes(seeded, boundaries):
    clash = read_incidents(seeded).set_index("incident_id").loc[CLASH]
    finer = read_seed_incidents(boundaries).set_index("incident_id").loc[[CLASH]].reset_index()
    finer["incident_id"], finer["source_url"] = "KIM-0000000000f1", "https://example.org/finer"
    finer["time_precision"] = 1  # the stored clash's date is a week (2): this report knows the day
    assert clash["time_precision"] > 1
    counts = apply_plan(seeded, plan_corroboration(finer, read_incidents(seeded, with_row_version=True)))
    assert counts["merged"] == 1
    assert version(seeded, CLASH) == 2


def test_a_merge_planned_on_an_older_version_writes_nothing_of_the_plan(seeded, boundaries):
    finer = read_seed_incidents(boundaries).set_index("incident_id").loc[[CLASH]].reset_index()
    finer["incident_id"], finer["source_url"], finer["time_precision"] = "KIM-0000000000f1", "https://example.org/finer", 1
    unrelated = finer.assign(incident_id="KIM-0000000000f2", event_date="2020-01-01", source_url="https://example.org/new")
    plan = plan_corroboration(pd.concat([finer, unrelated]), read_incidents(seeded, with_row_version=True))
    assert [m.incident_id for m in plan.merges] == [CLASH] and len(plan.new) == 1
    update_incident_fields(seeded, CLASH, {"wounded": 4})  # someone writes the clash meanwhile
    before = read_incidents(seeded, with_row_version=True), read_sources(seeded)
    with pytest.raises(StaleEdit, match="changed by someone else"):
        apply_plan(seeded, plan)
    pd.testing.assert_frame_equal(read_incidents(seeded, with_row_version=True), before[0])
    pd.testing.assert_frame_equal(read_sources(seeded), before[1])  # the new incident was not inserted either


def test_a_version_1_store_is_migrated_and_keeps_its_incidents(db_url, boundaries):
    engine = connect(db_url)
    seed_store(engine, boundaries)
    with engine.begin() as connection:  # make it a store as version 1 left it
        connection.exec_driver_sql("ALTER TABLE incidents DROP COLUMN row_version")
        connection.exec_driver_sql("DELETE FROM schema_version WHERE version > 1")
    engine.dispose()
    before = read_seed_incidents(boundaries)

    migrated = connect(db_url)

    assert current_version(migrated) == SCHEMA_VERSION
    stored = read_incidents(migrated, with_row_version=True)
    assert set(stored["row_version"]) == {1} and sorted(stored["incident_id"]) == sorted(before["incident_id"])
    assert update_incident(migrated, CLASH, {}, "approved", expected_version=1) == 2
