"""The hall database as the operator commands find, open and describe it.

Every command that looks after a hall works on the database its hall file names (or
`--db`); the helpers here find it and refuse a missing or unusable one with the same
words everywhere, open the hall service on it, and word counts and lists the same way in
every message.
"""

from __future__ import annotations

import datetime
import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shared.config import paths
from shared.config.hall import HallConfig
from shared.domain.clock import SystemClock
from shared.domain.errors import CommandError
from shared.server.store import HallStore, check_file, unusable

if TYPE_CHECKING:
    from shared.server.service import HallService


def open_service(config: HallConfig, db: Path | None = None) -> HallService:
    """The hall service on the hall database (created with the catalog on first use)."""
    from shared.server.service import HallService

    path = db or paths.default_db(config)
    store = HallStore(path)
    try:
        return HallService(store, config, SystemClock(config.timezone))
    except sqlite3.DatabaseError as exc:  # damage in the tables read at start-up
        store.close()
        raise unusable(str(path), f"the database is damaged ({exc})") from exc


def hall_database(config: HallConfig) -> Path:
    """The hall's existing database file; CommandError or StoreError when there is none."""
    db = paths.default_db(config)
    if not db.exists():
        raise CommandError(paths.missing_db_message(db))
    check_file(db, writable=False)  # a folder or an empty file: StoreError names it
    return db


def open_store(db: Path) -> HallStore:
    """The store of a hall database that holds a catalog (made by `queue-hall init`)."""
    store = HallStore(db)
    if store.is_empty():
        store.close()
        raise CommandError(f"{db} holds no catalog yet; create the hall with `queue-hall init`")
    return store


def count(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> int:
    return int(conn.execute(sql, params).fetchone()[0])


def json_codes(text: str | None) -> list[str]:
    """The codes of a counter's `services` column (a JSON list); [] when unreadable."""
    if text is None:
        return []
    try:
        value = json.loads(text)
    except ValueError:
        return []
    return [str(item) for item in value] if isinstance(value, list) else []


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def listed(codes: Sequence[str], limit: int = 12) -> str:
    """The first `limit` codes, and how many there are in all when there are more."""
    shown = ", ".join(codes[:limit])
    return shown + (f" … ({len(codes)} in all)" if len(codes) > limit else "")


def stamp() -> str:
    return datetime.datetime.now().strftime("%Y%m%d-%H%M%S")


def free_name(folder: Path, stem: str, suffix: str) -> Path:
    """`folder/stem+suffix`, or with -2, -3 … added when that name is taken."""
    candidate = folder / f"{stem}{suffix}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}{suffix}"
        number += 1
    return candidate
