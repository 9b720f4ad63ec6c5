"""The one base of every expected failure: a missing file, a bad input, an unusable store.

Each package raises its own named subclass (BoundariesNotFound, GazetteerError, ImportFailed,
StoreError, StaleEdit, ReportTooLong, ...) with a message that says what was wrong and what
to do. The app shows any of them as one error box (app/failures.py) and the command line as
one line on stderr with the subclass's exit code (cli/failures.py); anything else is a bug and
keeps its traceback. This module imports nothing of ours, so every package may use it.
"""
from __future__ import annotations


class ExpectedFailure(Exception):
    """A failure the user can fix; ``str()`` of it says how.

    ``exit_code`` is what the command line exits with: 1 for bad input, 2 for a set-up or
    store that cannot be used (argparse also uses 2 for bad arguments).
    """

    exit_code = 1


class BadInput(ExpectedFailure):
    """An input given on the command line or a page cannot be used (a missing file, a bad value)."""


class SetupProblem(ExpectedFailure):
    """The installation or the environment lacks something the command needs."""

    exit_code = 2
