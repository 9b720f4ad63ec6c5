"""Shared fixtures: the real COD-AB boundaries and a temporary SQLite store per test."""
from __future__ import annotations

from pathlib import Path

import pytest

from geo.boundaries import Boundaries, load_boundaries
from incidents.store import DB_ENV, connect

TESTS_DIR = Path(__file__).resolve().parent
TEST_DATA = TESTS_DIR / "data"
REPO_ROOT = TESTS_DIR.parent
SHARED_SEED_DIR = REPO_ROOT.parent / "shared" / "seed"


@pytest.fixture(scope="session")
def boundaries() -> Boundaries:
    """The real boundaries, looked up as the app does ($KIRKUK_GEO_DIR, then ../shared/geo)."""
    return load_boundaries()


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh SQLite file for one test; $KIRKUK_DB points at it for code that reads it."""
    path = tmp_path / "incidents.sqlite"
    monkeypatch.setenv(DB_ENV, str(path))
    return f"sqlite:///{path}"


@pytest.fixture
def engine(db_url: str):
    """A migrated, empty store on a temporary SQLite file."""
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
