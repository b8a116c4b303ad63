"""The one place where an error becomes a line on stderr and an exit code.

Commands raise; `queue-hall` (shared.cli.main) hands what they raise to `exit_code`:
CommandError carries its own code (and the subcommand's name when the command says its
errors as `queue-hall COMMAND: …`), a bad hall file is a usage error (EXIT_USAGE), and a
database or file that cannot be used is EXIT_FAILED, each said in one line.
"""

from __future__ import annotations

import sqlite3
import sys

from shared.domain.errors import EXIT_FAILED, EXIT_USAGE, CommandError, ConfigError, QueueHallError

# What `exit_code` turns into a message; anything else is a bug and keeps its traceback.
HANDLED = (QueueHallError, sqlite3.DatabaseError, OSError)


def error(message: str, command: str | None = None) -> None:
    """One line on stderr, as every `queue-hall` command words its errors and warnings:
    `queue-hall: …`, or `queue-hall COMMAND: …` for a command that names itself."""
    print(
        f"queue-hall {command}: {message}" if command else f"queue-hall: {message}", file=sys.stderr
    )


def exit_code(exc: BaseException) -> int:
    """Say what went wrong in one line on stderr and return the command's exit code."""
    if isinstance(exc, CommandError):
        error(exc.message, exc.command)
        return exc.code
    if isinstance(exc, ConfigError):
        error(str(exc))
        return EXIT_USAGE
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc)
        if "locked" in text or "busy" in text:
            error(
                "the hall database stayed busy (the server is writing); nothing was changed, "
                "try again in a moment"
            )
        else:
            error(f"the hall database refused the operation: {text}")
    elif isinstance(exc, sqlite3.DatabaseError):
        error(f"the hall database cannot be used: {exc}")
    elif isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        error(f"{where}{exc.strerror or exc}")
    else:
        error(str(exc))
    return EXIT_FAILED
