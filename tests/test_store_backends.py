"""The same schema on SQLite and PostgreSQL: every migration runs, the filtered columns are
indexed, and on PostGIS each placed incident's point is written with the row."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from incidents.schema import SCHEMA_VERSION
from incidents.seed import seed_store
from incidents.store import FILTERED_COLUMNS, MIGRATIONS, connect, current_version, read_incidents, update_incident_fields

@pytest.mark.both_backends
def test_every_migration_runs_and_is_recorded(engine):
    with engine.connect() as connection:
        applied = connection.exec_driver_sql("SELECT version FROM schema_version ORDER BY version").scalars().all()
    assert applied == sorted(MIGRATIONS) and current_version(engine) == SCHEMA_VERSION


@pytest.mark.both_backends
def test_the_filtered_columns_are_indexed(engine):
    indexed = {column for index in sa.inspect(engine).get_indexes("incidents") for column in index["column_names"]}
    assert set(FILTERED_COLUMNS) <= indexed


@pytest.mark.both_backends
def test_a_store_rolled_back_to_version_2_migrates_again(engine, db_url):
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM schema_version WHERE version > 2")
    again = connect(db_url)
    assert current_version(again) == SCHEMA_VERSION
    again.dispose()


@pytest.fixture
def postgis(engine, boundaries):
    seed_store(engine, boundaries)
    return engine


def points(engine) -> dict[str, tuple[float, float] | None]:
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT incident_id, ST_X(geom), ST_Y(geom), ST_SRID(geom) FROM incidents"
        ).all()
    assert {srid for *_, srid in rows if srid is not None} <= {4326}
    return {row[0]: None if row[1] is None else (round(row[1], 6), round(row[2], 6)) for row in rows}


@pytest.mark.postgresql_only
def test_postgis_writes_the_point_with_the_row(postgis):
    stored = read_incidents(postgis).set_index("incident_id")
    expected = {
        incident_id: None if row.isna()["longitude"] else (round(row["longitude"], 6), round(row["latitude"], 6))
        for incident_id, row in stored.iterrows()
    }
    assert points(postgis) == expected


@pytest.mark.postgresql_only
def test_postgis_moves_the_point_when_the_place_is_corrected(postgis):
    incident_id = read_incidents(postgis)["incident_id"].iloc[0]
    update_incident_fields(postgis, incident_id, {"longitude": 44.1, "latitude": 35.2})
    assert points(postgis)[incident_id] == (44.1, 35.2)


@pytest.mark.postgresql_only
def test_postgis_indexes_the_points_with_gist(postgis):
    with postgis.connect() as connection:
        definition = connection.exec_driver_sql(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'incidents' AND indexname = 'ix_incidents_geom'"
        ).scalar_one()
    assert "USING gist (geom)" in definition
