"""The period a report covers: the business days of `--month`, or the one `--day` asked for.

Kept apart from the figures so that the command line can check what the user typed, and
say what is wrong with it, before any database is opened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from shared.domain.errors import ReportError


@dataclass(frozen=True)
class Period:
    """Business days `first` to `last`, both included; `label` names it in file names."""

    first: date
    last: date
    label: str

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


_MONTH_RE = re.compile(r"(\d{4})-(\d{2})")
_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_period(month: str | None, day: str | None = None) -> Period:
    """The period of `--month YYYY-MM` narrowed to `--day YYYY-MM-DD` when given."""
    if month is None and day is None:
        raise ReportError("give --month YYYY-MM (and optionally --day YYYY-MM-DD)")
    first = last = None
    if month is not None:
        match = _MONTH_RE.fullmatch(month.strip())
        if not match or not 1 <= int(match.group(2)) <= 12 or not 1 <= int(match.group(1)) <= 9998:
            raise ReportError(
                f"--month {month!r} is not a month: write it as YYYY-MM, e.g. 2026-11"
            )
        year, number = int(match.group(1)), int(match.group(2))
        first = date(year, number, 1)
        last = date(year + number // 12, number % 12 + 1, 1) - timedelta(days=1)
    if day is None:
        assert first is not None and last is not None and month is not None
        return Period(first, last, month.strip())
    text = day.strip()
    try:
        if not _DAY_RE.fullmatch(text):
            raise ValueError
        chosen = date.fromisoformat(text)
    except ValueError:
        raise ReportError(
            f"--day {day!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-11-26"
        ) from None
    if first is not None and last is not None and not first <= chosen <= last:
        raise ReportError(f"--day {text} is not in --month {month}: the period would be empty")
    return Period(chosen, chosen, text)
