"""What the report figure tests share: the hall's zone and setting the clock to a time of day."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")


def at(clock, day: int, hh: int, mm: int, month: int = 11) -> None:
    clock.set(datetime(2026, month, day, hh, mm, 0, tzinfo=TZ))
