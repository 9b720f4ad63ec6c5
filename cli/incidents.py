"""The incidents CLI: ``python -m incidents COMMAND ...``.

Each command lives in the module that does its job; a module registers its commands
with ``register(subparsers)``, setting ``func`` to a function that takes the parsed
arguments and returns the exit code.

Exit codes (cli/failures.py): 0 done; 1 bad input; 2 bad arguments, or a set-up or store
that cannot be used. Then one line ``error: ...`` on stderr says what to do.
"""
from __future__ import annotations

import argparse
import getpass
import importlib
import os
import sys

from cli.failures import run_command
from incidents.access import Actor, acting_as

COMMAND_MODULES = (
    "cli.store_commands",
    "cli.transfer_commands",
    "cli.report_commands",
    "cli.user_commands",
    "cli.classroom_commands",
)
USER_ENV = "KIRKUK_USER"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command registered."""
    parser = argparse.ArgumentParser(
        prog="python -m incidents",
        description="Incident records for Kirkuk governorate.",
        epilog="Exit codes: 0 done, 1 bad input, 2 bad arguments or a store that cannot be used (see the error line).",
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def command_line_actor(command: str) -> Actor:
    """Who the command's writes are recorded as: $KIRKUK_USER, else the login name.

    Whoever runs the CLI holds the store itself (its file, or the database's credentials),
    so acts as an admin; the read-only mode still refuses every write.
    """
    return Actor(name=os.environ.get(USER_ENV, "").strip() or getpass.getuser(), role="admin", via=f"command line: {command}")


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and run the command (its writes recorded as ``command_line_actor``)."""
    args = build_parser().parse_args(argv)
    with acting_as(command_line_actor(args.command)):
        return run_command(args.func, args)


if __name__ == "__main__":
    sys.exit(main())
