"""The incident store: an embedded SQLite file by default, any SQLAlchemy URL otherwise.

``$KIRKUK_DB`` (a file path or a database URL) overrides the default
``data/incidents.sqlite`` for the app, the CLI and the tests alike.

Every failure of the store itself (a damaged file, a read-only file or folder, a full
disk, a lock held too long, another program's database) is raised as ``StoreError``
with a message that says what to do. Every write of an incident bumps its
``row_version``; an edit planned on an older version is refused with ``StaleEdit``.
"""
from __future__ import annotations

import json
import os
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

import pandas as pd
import sqlalchemy as sa

from incidents.access import INCIDENT_WRITERS, check_may_write, current_actor
from incidents.lesson_tables import create_lesson_tables
from incidents.schema import COLUMNS, COLUMN_NAMES, SCHEMA_VERSION, conform, is_missing
# StoreError and StaleEdit are raised here; callers import them from this module.
from incidents.store_errors import DB_ENV, StaleEdit, StoreError, differences, store_error, store_location

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = REPO_ROOT / "data" / "incidents.sqlite"

_SQL_TYPES = {"str": sa.Text, "date": sa.Text, "int": sa.Integer, "float": sa.Float, "bool": sa.Boolean}

metadata = sa.MetaData()
incidents_table = sa.Table(
    "incidents",
    metadata,
    *[
        sa.Column(
            c.name,
            _SQL_TYPES[c.dtype],
            primary_key=c.name == "incident_id",
            nullable=not c.required,
        )
        for c in COLUMNS
    ],
    # Bookkeeping, not an incident attribute (never exported): bumped by every write.
    sa.Column("row_version", sa.Integer, nullable=False, server_default=sa.text("1")),
)
# Every report or dataset row that describes an incident: corroboration adds rows here.
sources_table = sa.Table(
    "sources",
    metadata,
    sa.Column("incident_id", sa.Text, sa.ForeignKey("incidents.incident_id", ondelete="CASCADE"), nullable=False),
    sa.Column("url", sa.Text, nullable=False, server_default=""),
    sa.Column("outlet", sa.Text),
    sa.Column("published", sa.Text),
    sa.Column("source_id", sa.Text),
    sa.Column("sentences", sa.Text),
    sa.UniqueConstraint("incident_id", "url", "source_id", name="uq_source"),
)
# The team store: who may log in (an argon2 hash, never the password) and every write, who made it.
users_table = sa.Table(
    "users",
    metadata,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("created_at", sa.Text, nullable=False),
)
audit_table = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.Text, nullable=False),  # UTC, ISO 8601
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("action", sa.Text, nullable=False),  # insert, update, review, add source, add user, reset password
    sa.Column("incident_id", sa.Text, index=True),
    sa.Column("old_values", sa.Text),  # JSON {column: value}
    sa.Column("new_values", sa.Text),
    sa.Column("source", sa.Text),  # the report or file it came from, or the page or command
)
schema_version_table = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("applied_at", sa.Text, server_default=sa.func.current_timestamp()),
)


def database_url(env: Mapping[str, str] | None = None) -> str:
    """The store's SQLAlchemy URL: ``$KIRKUK_DB`` (path or URL) or the default SQLite file."""
    env = os.environ if env is None else env
    value = env.get(DB_ENV, "").strip()
    if not value:
        return f"sqlite:///{DEFAULT_DB_PATH}"
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def connect(url: str | None = None) -> sa.Engine:
    """An engine on the store, created and migrated to the current schema if needed.

    Raises StoreError when the store cannot be created, opened or migrated.
    """
    url = database_url() if url is None else url
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        if not parsed.database.startswith("file:"):  # a file: URI names a file that must exist
            try:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(
                    f"Cannot create the folder {Path(parsed.database).parent} for the store ({error.strerror}: "
                    f"is part of that path a file, or read-only?). Set {DB_ENV} to a path in a writable folder."
                ) from None
    engine = sa.create_engine(url)
    sa.event.listen(engine, "handle_error", _raise_store_error)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    migrate(engine)
    return engine


def _raise_store_error(context: sa.engine.ExceptionContext) -> BaseException | None:
    # SQLAlchemy raises what a handle_error hook returns instead of its own exception.
    engine = context.engine
    return store_error(context.original_exception, store_location(engine.url)) if engine is not None else None


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    # busy_timeout makes a second writer wait for the first instead of failing at once.
    # (WAL, which lets the app read while an import writes, is set once by migrate: it
    # lasts in the file, and a file that is not ours must not be changed at all.)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _create_v1(connection: sa.Connection) -> None:
    metadata.create_all(connection, tables=[incidents_table, sources_table])


def _add_row_version(connection: sa.Connection) -> None:
    # _create_v1 builds today's tables, so a store created since already has the column.
    columns = set(connection.exec_driver_sql("SELECT * FROM incidents LIMIT 0").keys())
    if "row_version" not in columns:
        connection.exec_driver_sql("ALTER TABLE incidents ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1")


def _add_extra_column_for_imports(connection: sa.Connection) -> None:
    # Issue 12: what an imported file says beyond our columns, as JSON text.
    columns = {c["name"] for c in sa.inspect(connection).get_columns("incidents")}
    if "extra" not in columns:
        connection.exec_driver_sql("ALTER TABLE incidents ADD COLUMN extra TEXT")


# The columns the filter tests (incidents/filters.py FIELDS) and the aggregates group by.
FILTERED_COLUMNS = (
    "event_date", "adm2_pcode", "adm3_pcode", "event_type", "sub_event_type", "actor1", "actor2",
    "fatalities", "geo_precision", "needs_review", "review_status", "source",
)
# PostGIS: the point of every placed incident, set from longitude/latitude by the database on
# every insert and update, so that no writer can forget it or let it drift from the columns.
_POSTGIS_POINT_SQL = (
    "CREATE EXTENSION IF NOT EXISTS postgis",
    "ALTER TABLE incidents ADD COLUMN IF NOT EXISTS geom geometry(Point, 4326)",
    """CREATE OR REPLACE FUNCTION incidents_set_geom() RETURNS trigger AS $$
    BEGIN
        NEW.geom := CASE WHEN NEW.longitude IS NULL OR NEW.latitude IS NULL THEN NULL
                         ELSE ST_SetSRID(ST_MakePoint(NEW.longitude, NEW.latitude), 4326) END;
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS incidents_geom ON incidents",
    "CREATE TRIGGER incidents_geom BEFORE INSERT OR UPDATE OF longitude, latitude ON incidents "
    "FOR EACH ROW EXECUTE FUNCTION incidents_set_geom()",
    "UPDATE incidents SET longitude = longitude WHERE longitude IS NOT NULL",  # fires the trigger for old rows
    "CREATE INDEX IF NOT EXISTS ix_incidents_geom ON incidents USING gist (geom)",
)


def _index_filters_and_add_postgis_point(connection: sa.Connection) -> None:
    # IF NOT EXISTS: a store whose version was rolled back by hand migrates again cleanly.
    for column in FILTERED_COLUMNS:
        connection.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_incidents_{column} ON incidents ({column})")
    connection.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_sources_incident_id ON sources (incident_id)")
    if connection.dialect.name == "postgresql":
        if not connection.exec_driver_sql("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'").first():
            raise StoreError(
                f"The PostgreSQL server of {store_location(connection.engine.url)} has no PostGIS extension. "
                "Install it on the server (Debian: apt-get install postgresql-15-postgis-3) and start the app again."
            )
        for statement in _POSTGIS_POINT_SQL:
            connection.exec_driver_sql(statement)


def _add_users_and_audit_log(connection: sa.Connection) -> None:
    metadata.create_all(connection, tables=[users_table, audit_table])


# Numbered migrations: MIGRATIONS[n] brings a store from version n-1 to n, on every backend.
MIGRATIONS: dict[int, Callable[[sa.Connection], None]] = {
    1: _create_v1,
    2: _add_row_version,
    3: _add_extra_column_for_imports,
    4: _index_filters_and_add_postgis_point,
    5: _add_users_and_audit_log,
    6: create_lesson_tables,  # incidents/lesson_tables.py
}
assert max(MIGRATIONS) == SCHEMA_VERSION


# Tables a database extension creates in a new database (PostGIS): they do not make it another program's.
_EXTENSION_TABLES = {"spatial_ref_sys"}


def current_version(engine: sa.Engine) -> int:
    """The schema version the store is at (0 for a new, empty store)."""
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table("schema_version"):
            return 0
        return connection.execute(sa.select(sa.func.max(schema_version_table.c.version))).scalar() or 0


def migrate(engine: sa.Engine) -> int:
    """Apply every migration the store lacks, each in its own transaction; returns the version.

    Raises StoreError for a database that is not an incident store (it has tables but no
    schema_version table: another program's file, left unchanged) or a newer one.
    """
    location = store_location(engine.url)
    with engine.connect() as connection:
        tables = sorted(set(sa.inspect(connection).get_table_names()) - _EXTENSION_TABLES)
    if tables and "schema_version" not in tables:
        raise StoreError(
            f"{location} is another program's database (tables: {', '.join(tables[:8])}), not an incident "
            f"store; it was left unchanged. Set {DB_ENV} to another path (a new path starts an empty store)."
        )
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            if connection.exec_driver_sql("PRAGMA journal_mode").scalar() not in ("wal", "memory"):
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
    metadata.create_all(engine, tables=[schema_version_table])
    version = current_version(engine)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"The store {location} is at schema version {version}, newer than this code's {SCHEMA_VERSION}. "
            f"Update the code (git pull) or set {DB_ENV} to another store."
        )
    for target in range(version + 1, SCHEMA_VERSION + 1):
        with engine.begin() as connection:
            MIGRATIONS[target](connection)
            connection.execute(sa.insert(schema_version_table).values(version=target))
    return SCHEMA_VERSION


def save_incidents(engine: sa.Engine, incidents: pd.DataFrame) -> int:
    """Insert incidents whose ``incident_id`` is new, with their sources; returns how many.

    One transaction, safe with several writers (see ``save_new_incidents``). An existing
    incident is left as it is, so saving the same records twice adds nothing and an
    analyst's correction is never overwritten.
    """
    return save_new_incidents(engine, incidents).new


def source_row(record: Mapping[str, object]) -> dict[str, object]:
    """The sources-table row describing where an incident record came from (its incident_id aside)."""
    return {
        "url": record.get("source_url") or "",
        "outlet": record.get("source"),
        "published": record.get("report_date"),
        "source_id": record.get("source_id") or "",
        "sentences": record.get("source_sentences"),
    }


def add_source(engine: sa.Engine, incident_id: str, source: dict[str, object]) -> bool:
    """Record one more source of an existing incident; False if it was already listed.

    ``source`` has the sources table's columns: url, outlet, published, source_id, sentences.
    """
    with write_transaction(engine) as connection:
        return insert_source(connection, incident_id, source)


def insert_source(connection: sa.Connection, incident_id: str, source: Mapping[str, object]) -> bool:
    """``add_source`` inside the caller's transaction."""
    record = {"incident_id": incident_id, "url": "", "source_id": ""} | {
        k: v for k, v in source.items() if k in sources_table.c and v is not None
    }
    exists = connection.execute(
        sa.select(sa.func.count())
        .select_from(sources_table)
        .where(
            sources_table.c.incident_id == incident_id,
            sources_table.c.url == record["url"],
            sources_table.c.source_id == record["source_id"],
        )
    ).scalar_one()
    if exists:
        return False
    connection.execute(sa.insert(sources_table).values(**record))
    record_writes(connection, "add source", [{"incident_id": incident_id, "new": record, "source": record.get("url") or record.get("outlet")}])
    return True


def read_sources(engine: sa.Engine, incident_ids: list[str] | None = None) -> pd.DataFrame:
    """The sources of the given incidents (all when None), one row per source."""
    query = sa.select(sources_table).order_by(sources_table.c.incident_id, sources_table.c.published)
    if incident_ids is not None:
        query = query.where(sources_table.c.incident_id.in_(incident_ids))
    with engine.connect() as connection:
        return pd.read_sql(query, connection)


def update_incident(
    engine: sa.Engine,
    incident_id: str,
    changes: Mapping[str, object],
    review_status: str,
    expected_version: int | None = None,
    loaded: Mapping[str, object] | None = None,
) -> int:
    """Apply an analyst's changes to one incident and record the decision; returns its new row version.

    ``review_status`` is "approved" or "corrected"; approving clears ``needs_review``.
    With ``expected_version`` (the row version the analyst's page was drawn from) the
    write happens only if the incident is still at that version; otherwise StaleEdit
    says what changed since, comparing the stored values with ``loaded`` (the values
    the page showed). Raises KeyError for an unknown incident or column.
    """
    changes = dict(changes) | {"review_status": review_status, "needs_review": False}
    with write_transaction(engine) as connection:
        return update_columns(connection, incident_id, changes, expected_version, loaded)


def update_incident_fields(
    engine: sa.Engine, incident_id: str, changes: Mapping[str, object], expected_version: int | None = None
) -> int | None:
    """Change columns of one incident without recording an analyst's decision; returns its new row version.

    Used when a corroborating source gives a more precise place or date; the review state
    is left as it is. ``expected_version`` as in ``update_incident``. Raises KeyError for
    an unknown incident or column; no changes write nothing (and return None).
    """
    if not changes:
        return None
    with write_transaction(engine) as connection:
        return update_columns(connection, incident_id, changes, expected_version)


def update_columns(
    connection: sa.Connection,
    incident_id: str,
    changes: Mapping[str, object],
    expected_version: int | None = None,
    loaded: Mapping[str, object] | None = None,
) -> int:
    """Write ``changes`` to one incident inside the caller's transaction, bumping its row version.

    Only the row ``incident_id`` at ``expected_version`` (any version when None) is
    written; returns the new version. Raises StaleEdit or KeyError (see ``update_incident``).
    """
    unknown = set(changes) - set(COLUMN_NAMES)
    if unknown:
        raise KeyError(f"Unknown column(s): {', '.join(sorted(unknown))}. Columns are listed in incidents/schema.py.")
    values: dict[str, object] = {k: (None if is_missing(v) else v) for k, v in changes.items()}
    row = incidents_table.c
    before = connection.execute(sa.select(*[row[k] for k in values]).where(row.incident_id == incident_id)).mappings().first()
    where = [row.incident_id == incident_id] + ([] if expected_version is None else [row.row_version == int(expected_version)])
    updated = connection.execute(
        sa.update(incidents_table).where(*where).values(**values, row_version=row.row_version + 1)
    ).rowcount
    stored = connection.execute(sa.select(incidents_table).where(row.incident_id == incident_id)).mappings().first()
    if updated:
        old = dict(before or {})
        action = "review" if "review_status" in values else "update"
        record_writes(connection, action, [{"incident_id": incident_id, "old": old, "new": values}])
        return int(stored["row_version"])  # type: ignore[index]
    if stored is None:
        raise KeyError(f"No incident with id {incident_id!r} in the store.")
    raise StaleEdit(incident_id, int(expected_version or 0), int(stored["row_version"]), differences(loaded or {}, stored))


def read_incidents(engine: sa.Engine, *, with_row_version: bool = False) -> pd.DataFrame:
    """Every stored incident as a schema-conformed frame, oldest first.

    ``with_row_version`` adds the ``row_version`` column, for a caller that will write
    back what it read (review, corroboration).
    """
    return _read(engine, None, with_row_version)


def read_review_queue(engine: sa.Engine) -> pd.DataFrame:
    """The incidents that need review, with their row versions, oldest first (read fresh, never cached)."""
    return _read(engine, incidents_table.c.needs_review.is_(True), with_row_version=True)


def _read(engine: sa.Engine, where: sa.ColumnElement[bool] | None, with_row_version: bool) -> pd.DataFrame:
    columns = [incidents_table.c[name] for name in COLUMN_NAMES]
    if with_row_version:
        columns.append(incidents_table.c.row_version)
    query = sa.select(*columns).order_by(incidents_table.c.event_date, incidents_table.c.incident_id)
    if where is not None:
        query = query.where(where)
    with engine.connect() as connection:
        frame = pd.read_sql(query, connection)
    frame = conform(frame)
    if with_row_version:
        frame["row_version"] = frame["row_version"].astype("int64")
    return frame


def count_incidents(engine: sa.Engine) -> int:
    """How many incidents the store holds."""
    with engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(incidents_table)).scalar_one()


# --- Writing: one transaction per batch, safe with several writers ------------------------


@dataclass(frozen=True)
class SaveCounts:
    """What saving a batch did: incidents added, and incidents the store already held."""

    new: int
    already_stored: int


_ID_BATCH = 900  # below SQLite's smallest host-parameter limit (999)
_INSERT_BATCH = 5_000


@contextmanager
def write_transaction(engine: sa.Engine, allowed_roles: tuple[str, ...] = INCIDENT_WRITERS) -> Iterator[sa.Connection]:
    """A transaction that holds the write lock from its first statement (SQLite BEGIN IMMEDIATE,
    a PostgreSQL table lock that lets readers go on).

    A deferred SQLite transaction that reads and then writes fails with "database is
    locked" when another process wrote in between; taking the lock first makes a second
    writer wait (busy_timeout) instead. Commits on success, rolls back on any error.

    Every write of the store passes here, so here the read-only mode and the acting
    user's role (``incidents.access``) are checked: WriteRefused, nothing written.
    """
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        elif engine.dialect.name == "postgresql":
            # The same one-writer-at-a-time rule as SQLite's: readers go on, a second writer waits.
            connection.exec_driver_sql("LOCK TABLE incidents, sources, users, audit_log IN SHARE ROW EXCLUSIVE MODE")
        try:
            check_may_write(_has_users(connection), allowed_roles)
            yield connection
        except BaseException:
            connection.rollback()
            raise
        connection.commit()


def _has_users(connection: sa.Connection) -> bool:
    return connection.execute(sa.select(users_table.c.name).limit(1)).first() is not None


def _json(values: Mapping[str, object]) -> str:
    return json.dumps({k: (None if is_missing(v) else v) for k, v in values.items()}, default=str, ensure_ascii=False)


def record_writes(connection: sa.Connection, action: str, entries: list[dict[str, object]]) -> None:
    """Add audit rows inside the caller's transaction: who (the current actor), when (now, UTC), what.

    Each entry may hold incident_id, old (a mapping), new (a mapping) and source.
    """
    if not entries:
        return
    actor = current_actor()
    at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    who = actor.name if actor else "(no login)"
    via = actor.via if actor else ""
    connection.execute(
        sa.insert(audit_table),
        [
            {
                "at": at, "actor": who, "action": action, "incident_id": entry.get("incident_id"),
                "old_values": None if entry.get("old") is None else _json(entry["old"]),  # type: ignore[arg-type]
                "new_values": None if entry.get("new") is None else _json(entry["new"]),  # type: ignore[arg-type]
                "source": entry.get("source") or via or None,
            }
            for entry in entries
        ],
    )


def existing_incident_ids(connection: sa.Connection, incident_ids: list[str]) -> set[str]:
    """The ids among ``incident_ids`` that the store already holds (queried in batches)."""
    found: set[str] = set()
    for start in range(0, len(incident_ids), _ID_BATCH):
        batch = incident_ids[start : start + _ID_BATCH]
        found.update(
            connection.execute(
                sa.select(incidents_table.c.incident_id).where(incidents_table.c.incident_id.in_(batch))
            ).scalars()
        )
    return found


def save_new_incidents(engine: sa.Engine, incidents: pd.DataFrame) -> SaveCounts:
    """Insert the incidents whose ``incident_id`` is new, with their sources, in ONE transaction.

    All or nothing: an error (or a killed process) leaves the store as it was. Known
    incidents are left untouched, so a re-import adds nothing and never overwrites an
    analyst's correction. Safe to call from several processes at once.
    """
    with write_transaction(engine) as connection:
        return insert_new_incidents(connection, incidents)


def insert_new_incidents(connection: sa.Connection, incidents: pd.DataFrame) -> SaveCounts:
    """``save_new_incidents`` inside the caller's transaction."""
    frame = conform(incidents).drop_duplicates(subset="incident_id", keep="last")
    if frame.empty:
        return SaveCounts(new=0, already_stored=0)
    existing = existing_incident_ids(connection, frame["incident_id"].astype(str).tolist())
    new = frame[~frame["incident_id"].isin(existing)]
    # Records are built a batch at a time: a list of dicts for 100k rows costs hundreds of MB.
    for start in range(0, len(new), _INSERT_BATCH):
        batch = _records(new.iloc[start : start + _INSERT_BATCH])
        connection.execute(sa.insert(incidents_table), batch)
        connection.execute(sa.insert(sources_table), [{"incident_id": r["incident_id"], **source_row(r)} for r in batch])
        record_writes(connection, "insert", [
            {"incident_id": r["incident_id"], "new": {k: v for k, v in r.items() if v is not None},
             "source": r.get("source_url") or r.get("source")}
            for r in batch
        ])
    return SaveCounts(new=len(new), already_stored=len(frame) - len(new))


def _records(incidents: pd.DataFrame) -> list[dict[str, object]]:
    """Rows as dicts with None for missing values, built column by column (several times
    faster than DataFrame.to_dict on big imports)."""
    frame = conform(incidents)[list(COLUMN_NAMES)]
    columns = [frame[name].astype(object).where(frame[name].notna(), None).tolist() for name in COLUMN_NAMES]
    return [dict(zip(COLUMN_NAMES, row)) for row in zip(*columns)]


def stored_incident_ids(engine: sa.Engine, incident_ids: list[str]) -> set[str]:
    """The ids among ``incident_ids`` that the store already holds (for a dry run)."""
    with engine.connect() as connection:
        return existing_incident_ids(connection, incident_ids)
