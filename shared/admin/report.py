"""The hall report: per clerk, per department and service, per hour, from the hall database.

`queue-hall report --month 2026-11 [--day 2026-11-26] [--out DIR] [--lang en]` writes CSV
files (UTF-8 with a BOM, so Excel shows Chinese correctly) and one self-contained HTML
page with inline SVG charts. This module computes the report from what
`shared.admin.report_read` reads; the clerks' own figures (served, service time, short
services, calls, time logged in and paused, satisfaction score, p90) are defined in
`shared.domain.figures`. The HTML report prints the same definitions for its readers:

- period: the business days from the first to the last day asked for (the tickets' `day`);
- issued: tickets issued in the period, except those whose printing failed (cancelled);
- wait: the ticket's first call minus its issue time; a ticket never called has no wait;
- stands out: a clerk whose short share or calls per served is above twice the median of
  the clerks who served in the period (a pointer for a conversation, not a verdict);
- a ticket transferred to another service counts under the service it ended in;
- p90 and the satisfaction score as for a clerk, over the period's waits and ratings.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from shared.admin.report_period import Period, parse_period
from shared.admin.report_read import HallRecords, latest_day, open_database, read_period
from shared.domain.errors import ReportError
from shared.domain.figures import (
    DEFAULT_RULES,
    ClerkFigures,
    FigureRules,
    Waits,
    median,
    satisfaction_score,
)

# Upper bounds (minutes) of the wait-distribution buckets; the last bucket is open-ended.
WAIT_BUCKET_LIMITS_MIN: tuple[int, ...] = (5, 10, 15, 20, 30, 45, 60)
STANDOUT_FACTOR = 2.0  # a clerk stands out above this many times the clerks' median
STANDOUT_FIGURES = ("short_share", "calls_per_served")


@dataclass
class GroupFigures(Waits):
    """A department (category) or a service: its volumes and waits."""

    code: str
    name: str
    category: str = ""  # a service's department code
    issued: int = 0
    served: int = 0
    no_shows: int = 0
    waits_s: list[float] = field(default_factory=list, repr=False)


@dataclass
class HourFigures(Waits):
    hour: int
    arrivals: int = 0
    waits_s: list[float] = field(default_factory=list, repr=False)  # of the tickets issued then


@dataclass
class WaitBucket:
    low_min: int
    high_min: int | None  # None: open-ended
    count: int = 0


@dataclass
class HallReport:
    hall: str
    period: Period
    generated_at: datetime
    clerks: list[ClerkFigures]
    categories: list[GroupFigures]
    services: list[GroupFigures]
    hours: list[HourFigures]  # all 24 hours of the day
    wait_buckets: list[WaitBucket]
    hall_total: GroupFigures
    ratings: dict[str, int]
    days: list[GroupFigures] = field(default_factory=list)  # per day of issue, in date order
    rules: FigureRules = field(default_factory=FigureRules)
    clerk_total: ClerkFigures = field(default_factory=lambda: ClerkFigures("", ""))
    # clerk id -> the figures ("short_share", "calls_per_served") in which the clerk stands out
    standouts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    medians: dict[str, float | None] = field(default_factory=dict)
    pause_reasons: list[str] = field(default_factory=list)  # most paused first

    @property
    def score(self) -> float | None:
        return satisfaction_score(self.ratings)

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())

    @property
    def empty(self) -> bool:
        return self.hall_total.issued == 0 and not self.clerks


def find_standouts(
    clerks: Sequence[ClerkFigures],
) -> tuple[dict[str, float | None], dict[str, tuple[str, ...]]]:
    """The clerks' medians of the standout figures, and who is above STANDOUT_FACTOR × median.

    Only clerks who served in the period count (the figures are per served ticket).
    """
    serving = [c for c in clerks if c.served]
    medians: dict[str, float | None] = {}
    standouts: dict[str, tuple[str, ...]] = {}
    for figure in STANDOUT_FIGURES:
        medians[figure] = median([getattr(c, figure) for c in serving])
    for c in serving:
        marked = tuple(
            figure
            for figure in STANDOUT_FIGURES
            if medians[figure] is not None
            and getattr(c, figure) > STANDOUT_FACTOR * (medians[figure] or 0.0)
        )
        if marked:
            standouts[c.clerk_id] = marked
    return medians, standouts


def wait_buckets(waits_s: Iterable[float]) -> list[WaitBucket]:
    """The waits counted in the buckets of WAIT_BUCKET_LIMITS_MIN."""
    lows = (0, *WAIT_BUCKET_LIMITS_MIN)
    buckets = [
        WaitBucket(low, WAIT_BUCKET_LIMITS_MIN[i] if i < len(WAIT_BUCKET_LIMITS_MIN) else None)
        for i, low in enumerate(lows)
    ]
    for wait in waits_s:
        minutes = wait / 60
        for bucket in buckets:
            if bucket.high_min is None or minutes < bucket.high_min:
                bucket.count += 1
                break
    return buckets


def _seconds_between(start: str, end: str) -> float:
    return datetime.fromisoformat(end).timestamp() - datetime.fromisoformat(start).timestamp()


@dataclass
class _Groups:
    """The tickets counted per department, service, hour and day, and in all."""

    records: HallRecords
    categories: dict[str, GroupFigures] = field(default_factory=dict)
    services: dict[str, GroupFigures] = field(default_factory=dict)
    hours: list[HourFigures] = field(default_factory=lambda: [HourFigures(h) for h in range(24)])
    days: dict[str, GroupFigures] = field(default_factory=dict)
    total: GroupFigures = field(default_factory=lambda: GroupFigures("", ""))

    def clerk(self, clerk_id: str | None) -> ClerkFigures | None:
        clerks, names = self.records.clerks, self.records.clerk_names
        if clerk_id is None:
            return None
        if clerk_id not in clerks:
            clerks[clerk_id] = ClerkFigures(clerk_id, str(names.get(clerk_id, clerk_id)))
        return clerks[clerk_id]

    def count(self, ticket: dict[str, Any]) -> None:
        """One ticket, in every group it belongs to; its wait also for the clerk who called it."""
        ticket_id, issued_at, state = ticket["id"], ticket["issued_at"], ticket["state"]
        service, category = ticket["service"], ticket["category"]
        if category not in self.categories:
            name = self.records.categories.get(category, (category, 0))[0]
            self.categories[category] = GroupFigures(category, name)
        if service not in self.services:
            name, _, _ = self.records.services.get(service, (service, category, 0))
            self.services[service] = GroupFigures(service, name, category)
        hour = self.hours[int(issued_at[11:13])]  # local hall time, as the server wrote it
        day = self.days.setdefault(issued_at[:10], GroupFigures(issued_at[:10], issued_at[:10]))
        wait = None
        if ticket_id in self.records.first_calls:
            called_at, caller = self.records.first_calls[ticket_id]
            wait = max(0.0, _seconds_between(issued_at, called_at))
            hour.waits_s.append(wait)
            figures = self.clerk(caller)
            if figures is not None:
                figures.waits_s.append(wait)
        hour.arrivals += 1
        for group in (self.categories[category], self.services[service], self.total, day):
            group.issued += 1
            group.served += state == "done"
            group.no_shows += state == "no_show"
            if wait is not None:
                group.waits_s.append(wait)

    def ordered_categories(self) -> list[GroupFigures]:
        """In the catalog's order (unknown codes last, by code)."""
        names = self.records.categories
        return sorted(
            self.categories.values(), key=lambda g: (names.get(g.code, ("", 1 << 30))[1], g.code)
        )

    def ordered_services(self, categories: list[GroupFigures]) -> list[GroupFigures]:
        """By their department's place, then in the catalog's order."""
        names = self.records.services
        category_rank = {g.code: i for i, g in enumerate(categories)}
        return sorted(
            self.services.values(),
            key=lambda g: (
                category_rank.get(g.category, 1 << 30),
                names.get(g.code, ("", "", 1 << 30))[2],
                g.code,
            ),
        )


def compute_report(
    records: HallRecords, period: Period, rules: FigureRules = DEFAULT_RULES
) -> HallReport:
    """Every figure of the report for `period`, from what was read of the hall database."""
    groups = _Groups(records)
    for ticket in records.tickets:
        groups.count(ticket)
    ordered_clerks = sorted(records.clerks.values(), key=lambda c: c.clerk_id)
    clerk_total = ClerkFigures("", "")
    for figures in ordered_clerks:
        clerk_total.add(figures)
    medians, standouts = find_standouts(ordered_clerks)
    pause_reasons = sorted(clerk_total.paused_s, key=lambda r: (-clerk_total.paused_s[r], r))
    categories = groups.ordered_categories()
    return HallReport(
        hall=records.hall,
        period=period,
        generated_at=records.now,
        clerks=ordered_clerks,
        categories=categories,
        services=groups.ordered_services(categories),
        hours=groups.hours,
        wait_buckets=wait_buckets(groups.total.waits_s),
        hall_total=groups.total,
        days=[groups.days[d] for d in sorted(groups.days)],
        ratings=records.ratings,
        rules=rules,
        clerk_total=clerk_total,
        standouts=standouts,
        medians=medians,
        pause_reasons=pause_reasons,
    )


def build_report(
    db: str | Path,
    period: Period,
    lang: str = "zh_CN",
    now: datetime | None = None,
    rules: FigureRules = DEFAULT_RULES,
) -> HallReport:
    """The report of `period` from the hall database at `db` (names in `lang`)."""
    database = open_database(db)
    try:
        records = read_period(database, period, lang, now, rules)
    finally:
        database.close()
    return compute_report(records, period, rules)


def bench_report(db: str | Path, month: str | None = None) -> float:
    """Seconds to compute the report of `month` (default: the latest month with tickets)."""
    if month is None:
        database = open_database(db)
        latest = latest_day(database)
        database.close()
        if latest is None:
            raise ReportError(f"{db}: no tickets to report on")
        month = latest[:7]
    period = parse_period(month)
    started = time.perf_counter()
    build_report(db, period)
    return time.perf_counter() - started
