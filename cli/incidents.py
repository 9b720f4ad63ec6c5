"""The incidents CLI: ``python -m incidents COMMAND ...``.

Each command lives in the module that does its job; a module registers its commands
with ``register(subparsers)``, setting ``func`` to a function that takes the parsed
arguments and returns the exit code.

Exit codes (cli/failures.py): 0 done; 1 bad input; 2 bad arguments, or a set-up or store
that cannot be used. Then one line ``error: ...`` on stderr says what to do.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from cli.failures import run_command

COMMAND_MODULES = (
    "cli.store_commands",
    "cli.transfer_commands",
    "cli.report_commands",
)


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


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and run the command."""
    args = build_parser().parse_args(argv)
    return run_command(args.func, args)


if __name__ == "__main__":
    sys.exit(main())
