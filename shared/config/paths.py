"""Where the hall keeps its files on this machine: the per-user data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path


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
