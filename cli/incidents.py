"""The incidents CLI: ``python -m incidents COMMAND ...``.

Each command lives in the module that does its job; a module registers its commands
with ``register(subparsers)``, setting ``func`` to a function that takes the parsed
arguments and returns the exit code.
"""
from __future__ import annotations

import argparse
import importlib
import sys

COMMAND_MODULES = (
    "cli.store_commands",
    "cli.transfer_commands",
    "cli.report_commands",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command registered."""
    parser = argparse.ArgumentParser(prog="python -m incidents", description="Incident records for Kirkuk governorate.")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and run the command."""
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
