"""Creating a hall database (`queue-hall init`), moving an old one aside first when asked.

An old database is never deleted: it is renamed to `<name>.<timestamp>.bak` with its WAL
files, and only when no server holds it, so `--force` cannot pull a database from under a
running hall.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from shared.admin.hall_db import count, free_name, open_service, stamp
from shared.config.hall import HallConfig
from shared.domain.errors import CommandError, DatabaseInUse
from shared.server.dblock import ServerLock


@dataclass(frozen=True)
class NewHall:
    """What `create_hall` made: the database, where the old one went, and what it holds."""

    db: Path
    moved: Path | None
    departments: int
    matters: int
    counters: int
    clerks: int


def sidecars(db: Path) -> list[Path]:
    return [db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]


def _move_aside(db: Path) -> Path:
    """Rename the database (and its WAL files) to `<name>.<timestamp>.bak`; refuse while in use."""
    try:
        ServerLock.acquire(db, "queue-hall init --force").release()
    except DatabaseInUse as exc:
        raise CommandError(str(exc)) from None
    if db.is_file():
        try:
            conn = sqlite3.connect(db)
            try:
                conn.execute("PRAGMA busy_timeout=5000")
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                conn.close()
        except sqlite3.DatabaseError:
            pass  # not an SQLite file: it is moved aside as it is
        # The last connection to close removes the WAL file; if it is still there, another
        # program (the server) has the database open.
        if db.with_name(db.name + "-wal").exists():
            raise CommandError(
                f"{db} is in use (is `queue-hall serve` running?); stop the server first"
            )
    backup = free_name(db.parent, f"{db.name}.{stamp()}", ".bak")
    if db.exists():
        db.rename(backup)
    for sidecar in sidecars(db):
        if sidecar.exists():
            sidecar.rename(backup.with_name(backup.name + sidecar.name[len(db.name) :]))
    return backup


def create_hall(config: HallConfig, db: Path, *, force: bool) -> NewHall:
    """Create the hall database `db` from `config`; with `force`, move an existing one aside."""
    moved: Path | None = None
    if db.exists() or any(path.exists() for path in sidecars(db)):
        if not force:
            raise CommandError(
                f"{db} already exists; use --force to move it aside (kept as a .bak file) "
                "and create a new one"
            )
        moved = _move_aside(db)
    if db.is_dir():
        raise CommandError(f"{db} is a folder; give the database file with --db")
    service = open_service(config, db)
    conn = service.store.conn
    try:
        return NewHall(
            db,
            moved,
            departments=count(conn, "SELECT count(*) FROM categories"),
            matters=count(conn, "SELECT count(*) FROM services WHERE active = 1"),
            counters=count(conn, "SELECT count(*) FROM counters"),
            clerks=count(conn, "SELECT count(*) FROM clerks"),
        )
    finally:
        service.store.close()
