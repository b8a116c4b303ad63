"""`queue-hall clerk`: add clerks, give them new PINs, disable and enable them, list them.

The PIN is asked twice without echo when `--pin` is not given, so it stays out of the
shell history; the work is done by `shared.admin.clerks`.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import Any

from shared.admin.clerks import add_clerk, check_pin, clerk_rows, reset_pin, set_disabled
from shared.cli.options import load_hall
from shared.config.paths import existing_db
from shared.domain.errors import EXIT_OK, EXIT_USAGE, CommandError


def cmd_clerk(args: argparse.Namespace) -> int:
    config = load_hall(args)
    db = existing_db(config)  # before asking for a PIN
    clerk_id = args.id.strip()
    if args.action in ("add", "reset-pin"):
        pin = args.pin if args.pin is not None else _ask_pin(clerk_id)
        check_pin(pin)
        if args.action == "add":
            name = add_clerk(db, clerk_id, args.name, pin, config.timezone)
            print(f"clerk {clerk_id} ({name}) added")
        else:
            reset_pin(db, clerk_id, pin)
            print(f"PIN of clerk {clerk_id} reset")
    else:
        set_disabled(db, clerk_id, args.action == "disable")
        print(f"clerk {clerk_id} {args.action}d")
    return EXIT_OK


def _ask_pin(clerk_id: str) -> str:
    """The new PIN typed twice without echo (so it stays out of the shell history)."""
    try:
        first = getpass.getpass(f"PIN for clerk {clerk_id} (4 to 8 digits): ")
        second = getpass.getpass("the same PIN again: ")
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)  # end the prompt's line
        raise CommandError("no PIN given: type it when asked, or give --pin", EXIT_USAGE) from None
    if first != second:
        raise CommandError("the two PINs differ; nothing was changed", EXIT_USAGE)
    return first


def cmd_clerk_list(args: argparse.Namespace) -> int:
    for row in clerk_rows(existing_db(load_hall(args))):
        print(f"{row.id}\t{row.name}\t{'disabled' if row.disabled else 'active'}")
    return EXIT_OK


def register(subparsers: Any, common: Callable[..., None]) -> None:
    """Add `clerk` and its actions to the `queue-hall` parser."""
    clerk = subparsers.add_parser(
        "clerk", help="manage clerks: add, reset-pin, disable, enable, list"
    )
    clerk_sub = clerk.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = clerk_sub.add_parser("add", help="add a clerk")
    add.add_argument("id")
    add.add_argument("--name", required=True)
    pin_help = "the PIN (4 to 8 digits); without it the command asks for it twice, hidden"
    add.add_argument("--pin", help=pin_help)
    reset = clerk_sub.add_parser("reset-pin", help="set a new PIN (and lift a lockout)")
    reset.add_argument("id")
    reset.add_argument("--pin", help=pin_help)
    for name in ("disable", "enable"):
        p = clerk_sub.add_parser(name, help=f"{name} a clerk")
        p.add_argument("id")
    listing = clerk_sub.add_parser("list", help="list clerks")
    for p in (add, reset, listing, *[clerk_sub.choices[n] for n in ("disable", "enable")]):
        common(p)
        p.set_defaults(func=cmd_clerk_list if p is listing else cmd_clerk)
