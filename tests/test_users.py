"""Roles on the team store: users with argon2 hashes, the write check every write passes,
the read-only mode, and the CLI that adds users; on SQLite and PostgreSQL."""
from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest

from incidents.access import Actor, WriteRefused, acting_as
from incidents.seed import seed_store
from incidents.store import count_incidents, read_incidents, update_incident, users_table
from incidents.users import UserError, add_user, authenticate, reset_password, user_role, users_exist
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.both_backends
ADMIN, ANALYST, VIEWER = Actor("root", "admin"), Actor("amal", "analyst"), Actor("vera", "viewer")


@pytest.fixture
def team(engine, boundaries):
    """A seeded store with an admin, an analyst and a viewer (passwords: NAME-password)."""
    seed_store(engine, boundaries)
    add_user(engine, "root", "admin", "root-password")  # the first user needs nobody's permission
    with acting_as(ADMIN):
        add_user(engine, "amal", "analyst", "amal-password")
        add_user(engine, "vera", "viewer", "vera-password")
    return engine


def test_the_password_is_stored_only_as_an_argon2_hash(team):
    with team.connect() as connection:
        hashes = connection.execute(users_table.select()).mappings().all()
    assert all(row["password_hash"].startswith("$argon2id$") for row in hashes)
    assert not any("password" in row["password_hash"] for row in hashes)


@pytest.mark.parametrize(("name", "password", "role"), [
    ("amal", "amal-password", "analyst"),
    ("amal", "wrong-password", None),
    ("nobody", "amal-password", None),
])
def test_a_user_logs_in_with_their_own_password_only(team, name, password, role):
    actor = authenticate(team, name, password)
    assert (actor.role if actor else None) == role


def test_a_reset_password_replaces_the_old_one(team):
    with acting_as(ADMIN):
        reset_password(team, "amal", "a-new-password")
    assert authenticate(team, "amal", "amal-password") is None and authenticate(team, "amal", "a-new-password")


@pytest.mark.parametrize(("name", "role", "password", "message"), [
    ("", "analyst", "long-enough", "empty"),
    ("x", "editor", "long-enough", "Unknown role 'editor'"),
    ("x", "viewer", "short", "at least 8"),
    ("amal", "viewer", "long-enough", "already a user 'amal'"),
])
def test_a_bad_user_is_refused_with_the_reason(team, name, role, password, message):
    with acting_as(ADMIN), pytest.raises(UserError, match=message):
        add_user(team, name, role, password)


def incident_id(engine) -> str:
    return read_incidents(engine)["incident_id"].iloc[0]


@pytest.mark.parametrize(("actor", "refused"), [(None, "log in"), (VIEWER, "vera is a viewer"), (ANALYST, None), (ADMIN, None)])
def test_the_store_itself_refuses_a_write_the_role_does_not_allow(team, actor, refused):
    before = read_incidents(team, with_row_version=True)
    with acting_as(actor):
        if refused:
            with pytest.raises(WriteRefused, match=refused):
                update_incident(team, incident_id(team), {"notes": "changed"}, "corrected")
            pd.testing.assert_frame_equal(read_incidents(team, with_row_version=True), before)
        else:
            update_incident(team, incident_id(team), {"notes": "changed"}, "corrected")


def test_only_an_admin_manages_users(team):
    with acting_as(ANALYST), pytest.raises(WriteRefused, match="only an admin"):
        add_user(team, "eve", "admin", "eve-password")
    assert user_role(team, "eve") is None


def test_without_users_everybody_writes_as_before(engine, boundaries):
    assert not users_exist(engine) and seed_store(engine, boundaries) == 3


def test_read_only_mode_refuses_even_an_admin(team, boundaries, monkeypatch):
    monkeypatch.setenv("KIRKUK_READ_ONLY", "1")
    with acting_as(ADMIN), pytest.raises(WriteRefused, match="read-only"):
        update_incident(team, incident_id(team), {"notes": "changed"}, "corrected")


def run_cli(*args: str, db_url: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess:
    environment = os.environ | {"KIRKUK_DB": db_url, "PYTHONPATH": str(REPO_ROOT)} | env
    return subprocess.run([sys.executable, "-m", "incidents", *args], input=stdin, env=environment,
                          capture_output=True, text=True, timeout=120, cwd=REPO_ROOT)


def test_the_cli_adds_a_user_and_resets_a_password_from_stdin(engine, db_url):
    added = run_cli("user", "add", "amal", "--role", "analyst", db_url=db_url, stdin="first-password\n")
    assert added.returncode == 0, added.stderr
    reset = run_cli("user", "reset-password", "amal", db_url=db_url, stdin="second-password\n")
    assert reset.returncode == 0, reset.stderr
    assert authenticate(engine, "amal", "second-password").role == "analyst"


def test_a_cli_write_in_read_only_mode_exits_non_zero_and_changes_nothing(engine, db_url, boundaries):
    done = run_cli("seed", db_url=db_url, KIRKUK_READ_ONLY="1")
    assert done.returncode == 1 and "read-only" in done.stderr
    assert count_incidents(engine) == 0
    refused = run_cli("user", "add", "amal", "--role", "admin", db_url=db_url, stdin="long-enough\n", KIRKUK_READ_ONLY="1")
    assert refused.returncode == 1 and not users_exist(engine)
