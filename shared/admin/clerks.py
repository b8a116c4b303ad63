"""The hall's clerks in its database: add one, set a new PIN, disable, enable, list.

Only a salted hash of a PIN is stored; a new PIN also lifts a lockout after failed logins.
A clerk is never deleted (tickets name the clerk who served them): a clerk who leaves is
disabled.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from shared.domain import limits
from shared.domain.clock import SystemClock, iso
from shared.domain.errors import EXIT_USAGE, CommandError
from shared.protocol import auth
from shared.server.store import HallStore


@dataclass(frozen=True)
class ClerkRow:
    id: str
    name: str
    disabled: bool


def check_pin(pin: str) -> None:
    """CommandError (a usage error) unless `pin` is 4 to 8 digits."""
    if not auth.valid_pin_text(pin):
        raise CommandError("a PIN is 4 to 8 digits", EXIT_USAGE)


def add_clerk(db: Path, clerk_id: str, name: str, pin: str, timezone: str | None = None) -> str:
    """Add the clerk `clerk_id` with `name` and `pin`; returns the name as stored."""
    check_pin(pin)
    store = HallStore(db)
    try:
        if _exists(store, clerk_id):
            raise CommandError(f"clerk {clerk_id} already exists (use reset-pin)")
        name = name.strip()
        if not name:
            raise CommandError("a clerk needs a --name", EXIT_USAGE)
        problem = limits.text_problem("--name", name, limits.MAX_CLERK_NAME)
        if problem:
            raise CommandError(problem, EXIT_USAGE)
        now = iso(SystemClock(timezone).now())
        with store.transaction() as conn:
            conn.execute(
                "INSERT INTO clerks(id, name, pin_hash, created_at) VALUES (?,?,?,?)",
                (clerk_id, name, auth.hash_pin(pin), now),
            )
    finally:
        store.close()
    return name


def reset_pin(db: Path, clerk_id: str, pin: str) -> None:
    """Give the clerk a new PIN, enable them and lift any lockout."""
    check_pin(pin)
    store = HallStore(db)
    try:
        _must_exist(store, clerk_id)
        with store.transaction() as conn:
            conn.execute(
                "UPDATE clerks SET pin_hash = ?, disabled = 0 WHERE id = ?",
                (auth.hash_pin(pin), clerk_id),
            )
            conn.execute("DELETE FROM login_failures WHERE clerk_id = ?", (clerk_id,))
            conn.execute("UPDATE clerks SET locked_until = NULL WHERE id = ?", (clerk_id,))
    finally:
        store.close()


def set_disabled(db: Path, clerk_id: str, disabled: bool) -> None:
    """Disable the clerk (no more logins) or enable them again."""
    store = HallStore(db)
    try:
        _must_exist(store, clerk_id)
        with store.transaction() as conn:
            conn.execute(
                "UPDATE clerks SET disabled = ? WHERE id = ?", (1 if disabled else 0, clerk_id)
            )
    finally:
        store.close()


def clerk_rows(db: Path) -> list[ClerkRow]:
    """Every clerk of the hall database, by id."""
    store = HallStore(db)
    try:
        rows = store.all("SELECT id, name, disabled FROM clerks ORDER BY id")
    finally:
        store.close()
    return [ClerkRow(row["id"], row["name"], bool(row["disabled"])) for row in rows]


def _exists(store: HallStore, clerk_id: str) -> bool:
    return store.scalar("SELECT 1 FROM clerks WHERE id = ?", (clerk_id,)) is not None


def _must_exist(store: HallStore, clerk_id: str) -> None:
    if not _exists(store, clerk_id):
        raise CommandError(f"no clerk {clerk_id}")
