"""How every hall process logs: stderr, a rotating file in the hall's log folder, floods counted."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import time
from pathlib import Path


class RepeatFilter(logging.Filter):
    """Lets through a few of the same log line per period, then counts the rest.

    Lines are "the same" when their logger, level and format string are; the first line of
    the next period says how many were left out. A flood of identical warnings (thousands of
    refused connections) then costs a handful of lines and never rotates the file log away.
    """

    def __init__(self, burst: int = 20, period_s: float = 10.0) -> None:
        super().__init__()
        self.burst, self.period_s = burst, period_s
        self._seen: dict[tuple[str, int, str], list[float]] = {}  # key -> [start, shown, left out]

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, record.levelno, str(record.msg))
        now = time.monotonic()
        entry = self._seen.get(key)
        if entry is None or now - entry[0] >= self.period_s:
            left_out = int(entry[2]) if entry else 0
            if len(self._seen) > 1000:
                self._seen.clear()
            self._seen[key] = [now, 1, 0]
            if left_out:
                record.msg = f"{record.getMessage()} [{left_out} similar lines left out]"
                record.args = None
            return True
        if entry[1] < self.burst:
            entry[1] += 1
            return True
        entry[2] += 1
        return False


def setup_logging(log_dir: Path | None, name: str = "queue-hall", verbose: bool = False) -> None:
    """Log to stderr, and to a rotating file in `log_dir` when given."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    stream = logging.StreamHandler(sys.stderr)
    stream.setFormatter(fmt)
    root.handlers[:] = [stream]
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            log_dir / f"{name}.log", maxBytes=5_000_000, backupCount=5, encoding="utf-8"
        )
        handler.setFormatter(fmt)
        root.addHandler(handler)
    repeats = RepeatFilter()  # one filter for both: a flood is counted once
    for each in root.handlers:
        each.addFilter(repeats)
