"""`queue-hall backup`: a checked copy of the hall database, safe while the server runs.

SQLite's online backup copies a consistent snapshot while the server keeps writing (WAL
mode); the copy is written under a `.partial` name readable by its owner only (it holds the
clerks' PIN hashes), checked, and renamed into place only when whole. The standard
library's `Connection.backup` is used as it is: sqlite-utils offers no backup of its own.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from shared.admin.hall_db import count, free_name, stamp
from shared.domain.errors import EXIT_USAGE, CommandError
from shared.server.store import create_private, is_hall_database, schema_version, unusable


@dataclass(frozen=True)
class Backup:
    """A finished backup: the database, its copy, the copy's size in bytes and tickets."""

    db: Path
    target: Path
    size: int
    tickets: int


def backup_target(text: str, db: Path) -> Path:
    """The backup file for DEST: inside it when it is a folder or ends with a slash."""
    dest = Path(text)
    if dest.is_dir() or text.endswith(("/", os.sep)):  # Path() would drop the slash
        if dest.exists() and not dest.is_dir():
            raise CommandError(f"{dest} is a file, not a folder")
        dest.mkdir(parents=True, exist_ok=True)
        return free_name(dest, f"hall-{stamp()}", ".db")
    if dest.exists():
        raise CommandError(f"{dest} already exists; give a new file name or a folder")
    if not dest.parent.is_dir():
        raise CommandError(f"the folder {dest.parent} does not exist", EXIT_USAGE)
    if dest.resolve() == db.resolve():
        raise CommandError("the backup must not be the hall database itself", EXIT_USAGE)
    return dest


def backup_database(db: Path, dest: str) -> Backup:
    """Copy the hall database `db` to DEST (a new file, or a folder) and check the copy."""
    target = backup_target(dest, db)
    partial = target.with_name(target.name + ".partial")
    source = sqlite3.connect(db)
    copy: sqlite3.Connection | None = None
    try:
        partial.unlink(missing_ok=True)  # left by a backup that was killed
        create_private(partial)  # the copy holds the clerks' PIN hashes too
        source.execute("PRAGMA busy_timeout=5000")
        try:
            hall, version = is_hall_database(source), schema_version(source)
        except sqlite3.DatabaseError as exc:
            raise unusable(str(db), f"not a usable hall database ({exc})") from None
        if not hall:
            raise CommandError(f"{db} is not a hall database")
        copy = sqlite3.connect(partial)
        # One step copies a consistent snapshot; in WAL mode the server keeps writing meanwhile.
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        integrity = [row[0] for row in copy.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            raise CommandError(f"the copy failed its integrity check: {'; '.join(integrity[:5])}")
        if schema_version(copy) != version:
            raise CommandError("the copy has another schema version than the database")
        tickets = count(copy, "SELECT count(*) FROM tickets")
        copy.close()
        copy = None
        os.replace(partial, target)
    except BaseException:
        if copy is not None:
            copy.close()
        if partial.exists():
            partial.unlink()  # our own unfinished copy
        raise
    finally:
        source.close()
    return Backup(db, target, target.stat().st_size, tickets)
