"""Who may write: roles, the read-only mode, and the one check every write of the store passes.

The store's ``write_transaction`` calls ``check_may_write`` before its first statement, so a
page or command that forgets to hide a button still cannot write. Who is acting is set once
per app run or CLI command with ``acting_as`` (a context variable: each Streamlit session's
script thread has its own). Rules (DESIGN.md "Who may do what"):

- ``KIRKUK_READ_ONLY=1``: nobody writes, whatever their role.
- No users in the store: everybody may write (one person on a laptop, as before users).
- Users exist: an ``analyst`` or ``admin`` writes incidents; only an ``admin`` manages users.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Iterator, Mapping

from errors import ExpectedFailure

READ_ONLY_ENV = "KIRKUK_READ_ONLY"
ROLES = ("viewer", "analyst", "admin")
INCIDENT_WRITERS = ("analyst", "admin")
USER_MANAGERS = ("admin",)


@dataclass(frozen=True)
class Actor:
    """Who a write is made by (recorded in the audit trail) and with which role; ``via`` is where from."""

    name: str
    role: str
    via: str = ""


class WriteRefused(ExpectedFailure):
    """A write the read-only mode or the user's role does not allow; nothing was written."""


_current: ContextVar[Actor | None] = ContextVar("kirkuk_actor", default=None)


def is_read_only(env: Mapping[str, str] | None = None) -> bool:
    """True when ``$KIRKUK_READ_ONLY`` asks for a read-only app and CLI (a classroom or public screen).

    >>> is_read_only({"KIRKUK_READ_ONLY": "1"}), is_read_only({"KIRKUK_READ_ONLY": "0"}), is_read_only({})
    (True, False, False)
    """
    env = os.environ if env is None else env
    return env.get(READ_ONLY_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def current_actor() -> Actor | None:
    """Who is acting now (None: nobody has logged in or been named)."""
    return _current.get()


@contextmanager
def acting_as(actor: Actor | None) -> Iterator[None]:
    """Make ``actor`` the one every write inside the block is checked against and recorded as."""
    token = _current.set(actor)
    try:
        yield
    finally:
        _current.reset(token)


def set_actor(actor: Actor | None) -> None:
    """Make ``actor`` the current one until changed (for a Streamlit run, which has its own context)."""
    _current.set(actor)


def write_refusal(users_exist: bool, allowed_roles: tuple[str, ...] = INCIDENT_WRITERS) -> str | None:
    """Why the current actor may not write (None when they may).

    >>> with acting_as(Actor("amal", "viewer")):
    ...     write_refusal(users_exist=True)
    'Not saved: amal is a viewer, and only an analyst or admin may change the store. Ask an admin for the analyst role.'
    """
    if is_read_only():
        return f"Not saved: this app runs read-only ({READ_ONLY_ENV}=1); nothing can be changed here. Unset it to edit."
    if not users_exist:
        return None
    actor = current_actor()
    if actor is None:
        return "Not saved: this store has users; log in (or name yourself with KIRKUK_USER on the command line) first."
    if actor.role not in allowed_roles:
        needed = " or ".join(allowed_roles)
        return (f"Not saved: {actor.name} is a {actor.role}, and only an {needed} may change the store. "
                f"Ask an admin for the {allowed_roles[0]} role.")
    return None


def check_may_write(users_exist: bool, allowed_roles: tuple[str, ...] = INCIDENT_WRITERS) -> None:
    """Raise WriteRefused unless the current actor may write."""
    refusal = write_refusal(users_exist, allowed_roles)
    if refusal:
        raise WriteRefused(refusal)
