"""Where the hall keeps its files on this machine: the per-user data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from shared.domain.errors import StoreError

if TYPE_CHECKING:
    from shared.config.hall import HallConfig


def data_dir() -> Path:
    """QUEUE_HALL_HOME, else %LOCALAPPDATA%/queue-hall, ~/Library/…, or $XDG_DATA_HOME/queue-hall."""
    if os.environ.get("QUEUE_HALL_HOME"):
        return Path(os.environ["QUEUE_HALL_HOME"])
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "queue-hall"


def default_db(config: HallConfig) -> Path:
    return Path(config.db_path) if config.db_path else data_dir() / "hall.db"


def missing_db_message(db: Path) -> str:
    """The one line for a command that needs a hall database where there is none."""
    return (
        f"no hall database at {db}; give the hall's file with --config HALL.toml (or the "
        "database with --db FILE), or create the hall with `queue-hall init --config HALL.toml`"
    )


def existing_db(config: HallConfig) -> Path:
    """The hall database of a command that must not create one (all but serve, init, demo)."""
    db = default_db(config)
    if not db.exists():
        raise StoreError(missing_db_message(db))
    return db
