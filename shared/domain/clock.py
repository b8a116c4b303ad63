"""Time in the hall: an injectable clock, business days and ISO 8601 strings."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """Wall-clock time in the hall's zone (the machine's zone when none is given)."""

    def __init__(self, tz: tzinfo | str | None = None) -> None:
        self.tz = ZoneInfo(tz) if isinstance(tz, str) else tz

    def now(self) -> datetime:
        return datetime.now(self.tz) if self.tz else datetime.now().astimezone()


class FakeClock:
    """A clock that tests move by hand."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, seconds: float = 0, **kwargs: float) -> datetime:
        self.current += timedelta(seconds=seconds, **kwargs)
        return self.current

    def set(self, when: datetime) -> None:
        self.current = when


def business_day(now: datetime, reset: time = time(0, 0)) -> date:
    """The business day `now` belongs to: a day starts at the `reset` time."""
    return (now - timedelta(hours=reset.hour, minutes=reset.minute, seconds=reset.second)).date()


def next_day_start(now: datetime, reset: time = time(0, 0)) -> datetime:
    """The moment the business day after `now`'s begins."""
    day = business_day(now, reset) + timedelta(days=1)
    return datetime.combine(day, reset, tzinfo=now.tzinfo)


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
