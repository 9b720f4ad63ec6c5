"""Expected failures (errors.ExpectedFailure) on the command line: one line on stderr, a documented exit code.

Exit codes: 0 done; 1 bad input (a missing or unreadable file, a bad value, a report too
long, a file that cannot be imported, an incident another writer changed meanwhile:
nothing was written, run it again); 2 bad arguments, or a set-up or store that cannot be
used (boundaries or gazetteer missing; store damaged, read-only, full, locked, not ours).
"""
from __future__ import annotations

import argparse
import sys
from typing import Callable

from errors import BadInput, ExpectedFailure


class UsageError(BadInput):
    """Arguments that argparse accepts but that do not go together."""

    exit_code = 2


def run_command(command: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run one command; an expected failure becomes ``error: MESSAGE`` on stderr and its exit code."""
    try:
        return command(args)
    except ExpectedFailure as failure:
        print(f"error: {failure}", file=sys.stderr)
        return failure.exit_code
