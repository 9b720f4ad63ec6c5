"""The team store's users: names, roles and argon2 password hashes (argon2-cffi), kept in the store.

Adding a user or resetting a password is a write like any other: it passes the store's
write check (only an admin, once users exist; nobody in read-only mode) and is audited,
without the password or its hash.
"""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from errors import BadInput
from incidents.access import ROLES, USER_MANAGERS, Actor
from incidents.store import record_writes, users_table, write_transaction

MIN_PASSWORD_CHARS = 8
_hasher = PasswordHasher()


class UserError(BadInput):
    """A user name, role or password that cannot be used, or a user who does not exist."""


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise UserError(f"The password has {len(password)} characters; use at least {MIN_PASSWORD_CHARS}.")


def add_user(engine: sa.Engine, name: str, role: str, password: str) -> None:
    """Add a user with a role (viewer, analyst or admin); raises UserError for a bad or taken name."""
    name = name.strip()
    if not name:
        raise UserError("The user name is empty; give a name such as 'amal'.")
    if role not in ROLES:
        raise UserError(f"Unknown role {role!r}; choose one of: {', '.join(ROLES)}.")
    _check_password(password)
    with write_transaction(engine, USER_MANAGERS) as connection:
        if connection.execute(sa.select(users_table.c.name).where(users_table.c.name == name)).first():
            raise UserError(f"There is already a user {name!r}; use 'user reset-password' to change the password.")
        connection.execute(sa.insert(users_table).values(
            name=name, role=role, password_hash=_hasher.hash(password),
            created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        ))
        record_writes(connection, "add user", [{"new": {"name": name, "role": role}}])


def reset_password(engine: sa.Engine, name: str, password: str) -> None:
    """Give a user a new password; raises UserError for an unknown user or a short password."""
    _check_password(password)
    with write_transaction(engine, USER_MANAGERS) as connection:
        changed = connection.execute(
            sa.update(users_table).where(users_table.c.name == name).values(password_hash=_hasher.hash(password))
        ).rowcount
        if not changed:
            raise UserError(f"There is no user {name!r}; add one with 'user add {name} --role analyst'.")
        record_writes(connection, "reset password", [{"new": {"name": name}}])


def users_exist(engine: sa.Engine) -> bool:
    """True once the store has a user: from then on the app asks for a login."""
    with engine.connect() as connection:
        return connection.execute(sa.select(users_table.c.name).limit(1)).first() is not None


def user_role(engine: sa.Engine, name: str) -> str | None:
    """A user's role, or None for an unknown user."""
    with engine.connect() as connection:
        return connection.execute(sa.select(users_table.c.role).where(users_table.c.name == name)).scalar()


def authenticate(engine: sa.Engine, name: str, password: str, via: str = "") -> Actor | None:
    """The user, as an Actor, when the password is theirs; None otherwise (unknown user or wrong password)."""
    with engine.connect() as connection:
        row = connection.execute(sa.select(users_table).where(users_table.c.name == name.strip())).mappings().first()
    if row is None:
        _hasher.hash(password)  # the same time as a known user: no telling which names exist
        return None
    try:
        _hasher.verify(row["password_hash"], password)
    except (VerificationError, InvalidHashError):
        return None
    return Actor(name=row["name"], role=row["role"], via=via)
