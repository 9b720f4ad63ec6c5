"""CLI commands for the team store's users: ``user add NAME --role R`` and ``user reset-password NAME``.

The password is asked for at a terminal (twice, not echoed) or read as the first line of
standard input, so that it never appears in the shell history or the process list.
"""
from __future__ import annotations

import argparse
import getpass
import sys

from incidents.access import ROLES
from incidents.store import connect
from incidents.users import UserError, add_user, reset_password


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``user add`` and ``user reset-password`` to the CLI."""
    user = subparsers.add_parser("user", help="manage the team store's users (roles: viewer, analyst, admin)")
    commands = user.add_subparsers(dest="user_command", required=True)
    add = commands.add_parser("add", help="add a user; the password is asked for, or read from stdin")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.set_defaults(func=run_add)
    reset = commands.add_parser("reset-password", help="give a user a new password (asked for, or read from stdin)")
    reset.add_argument("name")
    reset.set_defaults(func=run_reset_password)


def read_password() -> str:
    """The new password: prompted twice at a terminal, else the first line of stdin."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Repeat it: ") != first:
        raise UserError("The two passwords differ; nothing was changed. Run the command again.")
    return first


def run_add(args: argparse.Namespace) -> int:
    """Add a user to the store named by $KIRKUK_DB."""
    add_user(connect(), args.name, args.role, read_password())
    print(f"User {args.name} added as {args.role}.")
    return 0


def run_reset_password(args: argparse.Namespace) -> int:
    """Give a user of the store a new password."""
    reset_password(connect(), args.name, read_password())
    print(f"Password of {args.name} changed.")
    return 0
