"""How the store fails: ``StoreError`` (the store itself) and ``StaleEdit`` (an edit made on
an older version of an incident), with messages that say what to do.

Pure: ``store_error`` reads what SQLite, PostgreSQL or the file system said and names what it means.
"""
from __future__ import annotations

from typing import Mapping

import sqlalchemy as sa

from errors import ExpectedFailure, SetupProblem
from incidents.schema import is_missing

DB_ENV = "KIRKUK_DB"


class StoreError(SetupProblem):
    """The store cannot be opened or written: damaged, read-only, full, locked or not ours.

    The message names the store and says what to do; nothing was written.
    """


class StaleEdit(ExpectedFailure):
    """An edit planned on an older version of an incident: someone changed it since it was loaded."""

    def __init__(self, incident_id: str, expected_version: int, stored_version: int, differences: list[str]):
        self.incident_id, self.expected_version, self.stored_version = incident_id, expected_version, stored_version
        self.differences = differences
        changed = ": " + "; ".join(differences) if differences else ""
        super().__init__(
            f"Not saved: incident {incident_id} was changed by someone else after you loaded it "
            f"(version {expected_version} then, {stored_version} now){changed}. Nothing was written. "
            "Reload it to see the current values, then make your change again."
        )


def store_location(url: sa.URL) -> str:
    """How messages name a store: its file for SQLite, else its URL without the password."""
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return url.database.removeprefix("file:").split("?")[0]
    return url.render_as_string(hide_password=True)


# What SQLite (or the file system) says -> what it means and what to do. Matched on the
# lower-cased message; anything else is a bug and keeps its traceback.
_FAILURES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("file is not a database", "database disk image is malformed", "file is encrypted"),
     "The store {location} is damaged or is not a SQLite database. Restore it from a backup, "
     f"or set {DB_ENV} to another path (a new path starts an empty store)."),
    (("database or disk is full", "no space left on device"),
     "The disk holding the store {location} is full; nothing was saved. Free some space "
     f"(or set {DB_ENV} to a store on another disk) and try again."),
    (("readonly database", "read-only file system", "unable to open database file", "permission denied"),
     "Cannot write to the store {location}: the file or its folder is read-only. Make both writable "
     f"by this user, or set {DB_ENV} to a path in a writable folder."),
    (("connection refused", "could not connect", "password authentication failed"),
     "Cannot reach the PostgreSQL store {location}: is the server running, and do the host, port, user, "
     f"password and database name in {DB_ENV} match it (the README's Team server section)?"),
    (("database is locked", "database table is locked"),
     "The store {location} stayed locked by another program; nothing was saved. Wait for the other "
     "import or app to finish (or close it) and try again."),
)


def store_error(error: BaseException, location: str) -> StoreError | None:
    """The StoreError a database failure means, or None when it is not a failure of the store."""
    text = str(getattr(error, "orig", None) or error).lower()
    for needles, advice in _FAILURES:
        if any(needle in text for needle in needles):
            said = str(getattr(error, "orig", None) or error).splitlines()[0]
            return StoreError(advice.format(location=location) + f" (the database said: {said})")
    return None


def differences(loaded: Mapping[str, object], stored: Mapping[str, object]) -> list[str]:
    """What changed between the values a page showed and the stored ones, as "column: old → new".

    >>> differences({"fatalities": 2, "notes": None, "location": "Daquq"}, {"fatalities": 3, "notes": "", "location": "Daquq"})
    ['fatalities: 2 → 3']
    """
    found = []
    for column, old in loaded.items():
        if column == "row_version" or column not in stored:
            continue
        new = stored[column]
        if _blank(old) and _blank(new):
            continue
        if _blank(old) or _blank(new) or str(old) != str(new):
            found.append(f"{column}: {_shown(old)} → {_shown(new)}")
    return found


def _blank(value: object) -> bool:
    return is_missing(value) or value == ""


def _shown(value: object) -> str:
    if _blank(value):
        return "(empty)"
    text = str(value)
    return repr(text) if isinstance(value, str) else text
