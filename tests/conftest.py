"""Shared fixtures: the real COD-AB boundaries and a temporary store per test.

The store is a SQLite file unless a test is marked ``both_backends``: then it runs twice,
on SQLite and on a fresh database of a throwaway PostgreSQL/PostGIS cluster (started once
per session; skipped, with the reason, only where PostgreSQL is not installed).
"""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from geo.boundaries import Boundaries, load_boundaries
from incidents.store import DB_ENV, connect
from tests.pg_cluster import Cluster, missing_reason, start_cluster

TESTS_DIR = Path(__file__).resolve().parent
TEST_DATA = TESTS_DIR / "data"
REPO_ROOT = TESTS_DIR.parent
SHARED_SEED_DIR = REPO_ROOT.parent / "shared" / "seed"


@pytest.fixture(scope="session")
def boundaries() -> Boundaries:
    """The real boundaries, looked up as the app does ($KIRKUK_GEO_DIR, then ../shared/geo)."""
    return load_boundaries()


BACKENDS = ("sqlite", "postgresql")
_database_numbers = itertools.count(1)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "both_backends: run the test on SQLite and on PostgreSQL/PostGIS")
    config.addinivalue_line("markers", "postgresql_only: run the test on PostgreSQL/PostGIS only")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("both_backends"):
        metafunc.parametrize("backend", BACKENDS, indirect=True)
    elif metafunc.definition.get_closest_marker("postgresql_only"):
        metafunc.parametrize("backend", ["postgresql"], indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The store's backend: "sqlite" unless the test is marked ``both_backends`` or ``postgresql_only``."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL cluster with PostGIS, for the whole session."""
    reason = missing_reason()
    if reason:
        pytest.skip(f"PostgreSQL tests need the server binaries: {reason}")
    cluster = start_cluster()
    yield cluster
    cluster.stop()


@pytest.fixture
def db_url(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> str:
    """A fresh store for one test (a SQLite file, or a new PostGIS database); $KIRKUK_DB points at it."""
    if backend == "postgresql":
        cluster: Cluster = request.getfixturevalue("pg_cluster")
        name = f"test_{next(_database_numbers)}"
        url = cluster.create_database(name)
        request.addfinalizer(lambda: cluster.drop_database(name))
        monkeypatch.setenv(DB_ENV, url)
        return url
    path = tmp_path / "incidents.sqlite"
    monkeypatch.setenv(DB_ENV, str(path))
    return f"sqlite:///{path}"


@pytest.fixture
def engine(db_url: str):
    """A migrated, empty store on a temporary SQLite file (or PostGIS database, see ``backend``)."""
    engine = connect(db_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def small_gazetteer():
    """The real Gazetteer on two rows of our gazetteer (Hawija town, Lilan sub-district),
    so that tests do not depend on the full file's contents."""
    from geo.gazetteer import Gazetteer

    return Gazetteer.from_csv(TEST_DATA / "small_gazetteer.csv")


@pytest.fixture(scope="session", autouse=True)
def no_local_spellings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read or write a developer's own data/gazetteer_local.csv (a test that needs one sets its own)."""
    import os

    from geo.gazetteer.local import LOCAL_SPELLINGS_ENV

    os.environ.setdefault(LOCAL_SPELLINGS_ENV, str(tmp_path_factory.mktemp("spellings") / "gazetteer_local.csv"))
