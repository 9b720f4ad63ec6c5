"""A store that cannot be used is one named error, StoreError, saying what to do: a damaged
file, a read-only file or folder, a full disk, another program's database, a newer store.
Each condition is made for real (tests run as root, whom chmod does not stop)."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from incidents.schema import conform
from incidents.seed import seed_store
from incidents.store import StoreError, connect, count_incidents, read_review_queue, save_incidents
from tests.conftest import REPO_ROOT


def incidents(count: int, notes: str = "") -> pd.DataFrame:
    return conform(pd.DataFrame({
        "incident_id": [f"KIM-{i:012x}" for i in range(count)], "time_precision": 1, "event_type": "Battles",
        "sub_event_type": "Armed clash", "location": "Daquq", "geo_precision": 3, "needs_review": False,
        "review_status": "unreviewed", "notes": notes,
    }))


def damaged(tmp_path: Path) -> Path:
    path = tmp_path / "incidents.sqlite"
    path.write_bytes(os.urandom(8192))
    return path


def other_programs(tmp_path: Path) -> Path:
    path = tmp_path / "contacts.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
        db.execute("INSERT INTO contacts VALUES ('Ali', '0770')")
    return path


def under_a_file(tmp_path: Path) -> Path:
    (tmp_path / "a-file").write_text("x")
    return tmp_path / "a-file" / "incidents.sqlite"


def tables_of(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return [row[0] for row in db.execute("SELECT name FROM sqlite_master ORDER BY name")]


@pytest.mark.parametrize(
    ("make_url", "says"),
    [
        (lambda tmp: f"sqlite:///{damaged(tmp)}", "is damaged or is not a SQLite database"),
        (lambda tmp: f"sqlite:///{other_programs(tmp)}", "another program's database (tables: contacts)"),
        # A folder under a file cannot exist, for root too.
        (lambda tmp: f"sqlite:///{under_a_file(tmp)}", "Cannot create the folder"),
        # /proc takes no new files, for root too: a read-only folder.
        (lambda tmp: "sqlite:////proc/kirkuk-incidents.sqlite", "the file or its folder is read-only"),
    ],
    ids=["damaged file", "another program's database", "folder under a file", "read-only folder"],
)
def test_a_store_that_cannot_be_opened_is_a_store_error(tmp_path, make_url, says):
    url = make_url(tmp_path)
    if url.startswith("sqlite:////proc/") and not Path("/proc/self").exists():
        pytest.skip("no /proc here to stand for a read-only folder")
    with pytest.raises(StoreError) as refused:
        connect(url)
    assert says in str(refused.value)
    assert "KIRKUK_DB" in str(refused.value)  # says what to do


def test_another_programs_database_is_left_unchanged(tmp_path):
    path = other_programs(tmp_path)
    before = path.read_bytes()
    with pytest.raises(StoreError):
        connect(f"sqlite:///{path}")
    assert tables_of(path) == ["contacts"] and path.read_bytes() == before


def test_writing_a_read_only_store_is_a_store_error(db_url, boundaries):
    seed_store(connect(db_url), boundaries)
    read_only = connect(f"sqlite:///file:{db_url.removeprefix('sqlite:///')}?mode=ro&uri=true")
    assert count_incidents(read_only) == 3  # it can still be read
    with pytest.raises(StoreError, match="read-only") as refused:
        save_incidents(read_only, incidents(1))
    assert "attempt to write a readonly database" in str(refused.value)


def test_a_save_on_a_read_only_store_shows_what_to_do_on_the_review_page(db_url, boundaries, monkeypatch):
    seed_store(connect(db_url), boundaries)
    monkeypatch.setenv("KIRKUK_DB", f"sqlite:///file:{db_url.removeprefix('sqlite:///')}?mode=ro&uri=true")
    at = AppTest.from_file(str(REPO_ROOT / "app" / "pages" / "review.py"), default_timeout=120)
    at.run()
    next(b for b in at.button if b.label == "Approve as it is").click().run()
    assert not at.exception, at.exception
    assert "Cannot write to the store" in at.error[0].value
    assert read_review_queue(connect(db_url))["incident_id"].tolist() == ["KIM-c99e00f1a04a"]  # still to review


def test_a_full_disk_is_a_store_error_and_nothing_is_saved(db_url):
    engine = connect(db_url)
    engine.dispose()

    @sa.event.listens_for(engine, "connect")
    def fill_the_disk(dbapi_connection, _record):
        # SQLite's own limit on the file's size gives the real SQLITE_FULL a full disk gives.
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 4}")

    with pytest.raises(StoreError, match="is full; nothing was saved") as refused:
        save_incidents(engine, incidents(200, notes="x" * 2000))
    assert "database or disk is full" in str(refused.value)
    engine.dispose()
    assert count_incidents(connect(db_url)) == 0


def test_a_store_newer_than_the_code_is_a_store_error(db_url):
    engine = connect(db_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO schema_version (version) VALUES (99)")
    with pytest.raises(StoreError, match="schema version 99, newer than this code's"):
        connect(db_url)


def test_the_cli_prints_one_error_line_and_exits_2(tmp_path):
    env = os.environ | {"KIRKUK_DB": str(damaged(tmp_path)), "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run([sys.executable, "-m", "incidents", "list"], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith("error: The store ") and len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("page", ["review.py", "add_report.py", "map.py", "data.py", "timeline.py"])
def test_every_page_shows_a_store_error_as_what_to_do(tmp_path, monkeypatch, page):
    monkeypatch.setenv("KIRKUK_DB", str(damaged(tmp_path)))
    at = AppTest.from_file(str(REPO_ROOT / "app" / "pages" / page), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    assert "is damaged or is not a SQLite database" in at.error[0].value
