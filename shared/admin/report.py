"""The hall report: per clerk, per department and service, per hour, from the hall database.

`queue-hall report --month 2026-11 [--day 2026-11-26] [--out DIR] [--lang en]` writes CSV
files (UTF-8 with a BOM, so Excel shows Chinese correctly) and one self-contained HTML
page with inline SVG charts. The figures are defined once, here, and the HTML report
prints the same definitions for its readers:

- period: the business days from the first to the last day asked for (the tickets' `day`);
- issued: tickets issued in the period, except those whose printing failed (cancelled);
- wait: the ticket's first call minus its issue time; a ticket never called has no wait;
- served (clerk): tickets the clerk finished (with finish, or by calling the next ticket);
  no-shows and transfers (clerk): how many times the clerk marked a ticket no-show or
  transferred one;
- finished without start: of the served tickets, those whose clerk never pressed start;
- service time: finish minus start (or minus the call when the clerk never pressed start),
  of the tickets the clerk finished; a short service is one under the hall's
  `[report] short_service_s` (default 60 s); short share = short services / served;
- calls (clerk): the clerk's calls of a ticket (call_next or call; recalls not included);
  calls per served = calls / served; recalls: the clerk's recalls of a held ticket;
- time logged in: from the clerk's login at a counter to the logout or the counter's
  closing (by another login, by the server when the client was gone, or at the end of the
  business day), pauses included; time paused: while the counter was paused, by the reason
  given; a session still open counts until the report is made;
- stands out: a clerk whose short share or calls per served is above twice the median of
  the clerks who served in the period (a pointer for a conversation, not a verdict);
- mean wait (clerk): over the tickets whose first call the clerk made;
- a ticket transferred to another service counts under the service it ended in;
- p90: nearest rank, the smallest value that at least 90 % of the values do not exceed;
- satisfaction score: 100 × (1.0·very satisfied + 0.8·satisfied + 0.6·basic
  + 0·unsatisfied) / ratings, over the ratings of the period; none without ratings.

Every query filters on `day BETWEEN first AND last`, so SQLite reads the period through
the day indexes and a year of history costs no more than the month asked for.
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from datetime import time as day_time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from shared.admin.spreadsheet import to_row
from shared.domain.errors import ReportError
from shared.domain.vocabulary import RATING_LEVELS

RATING_WEIGHTS: dict[str, float] = {
    "very_satisfied": 1.0,
    "satisfied": 0.8,
    "basic": 0.6,
    "unsatisfied": 0.0,
}
# Upper bounds (minutes) of the wait-distribution buckets; the last bucket is open-ended.
WAIT_BUCKET_LIMITS_MIN: tuple[int, ...] = (5, 10, 15, 20, 30, 45, 60)
MIN_SCHEMA_VERSION = 3  # counter_log and ticket_log.started arrived with schema version 3
STANDOUT_FACTOR = 2.0  # a clerk stands out above this many times the clerks' median
LANGS = ("zh_CN", "en")

# The report's queries, named so a test can check that each one reads through an index.
QUERIES: dict[str, str] = {
    "tickets": (
        "SELECT id, issued_at, service, category, state, service_s FROM tickets"
        " WHERE day BETWEEN :first AND :last AND state != 'cancelled'"
    ),
    # The earliest 'call' of each ticket; SQLite takes the bare columns from the min(id) row.
    "first_calls": (
        "SELECT ticket_id, min(id) AS log_id, at, clerk_id FROM ticket_log"
        " WHERE day BETWEEN :first AND :last AND action = 'call' GROUP BY ticket_id"
    ),
    "finishes": (
        "SELECT ticket_id, clerk_id, started FROM ticket_log"
        " WHERE day BETWEEN :first AND :last AND action = 'finish'"
        " AND (:clerk IS NULL OR clerk_id = :clerk)"
    ),
    "service_times": (
        "SELECT id, service_s FROM tickets WHERE day BETWEEN :first AND :last AND state = 'done'"
    ),
    "clerk_marks": (
        "SELECT clerk_id, action, count(*) FROM ticket_log"
        " WHERE day BETWEEN :first AND :last"
        " AND action IN ('no_show', 'transfer', 'call', 'recall')"
        " AND (:clerk IS NULL OR clerk_id = :clerk)"
        " GROUP BY clerk_id, action"
    ),
    "ratings": (
        "SELECT clerk_id, level, count(*) FROM ratings"
        " WHERE day BETWEEN :first AND :last AND (:clerk IS NULL OR clerk_id = :clerk)"
        " GROUP BY clerk_id, level"
    ),
    # Every change of a counter's clerk, state or pause reason, in the order it happened.
    "counter_log": (
        "SELECT counter, day, at, clerk_id, state, pause_reason FROM counter_log"
        " WHERE day BETWEEN :first AND :last ORDER BY id"
    ),
}


@dataclass(frozen=True)
class FigureRules:
    """The hall settings the figures depend on (from the hall file)."""

    short_service_s: int = 60  # [report] short_service_s
    day_reset: day_time = day_time(0, 0)  # [hours] day_reset: where a business day ends


# -- the period -------------------------------------------------------------------------------


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


# -- the figures ------------------------------------------------------------------------------


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def p90(values: Sequence[float]) -> float | None:
    """Nearest-rank 90th percentile: the ceil(0.9·n)-th smallest value."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


def satisfaction_score(ratings: dict[str, int]) -> float | None:
    """100 × weighted share of the ratings (weights in RATING_WEIGHTS); None with no rating."""
    rated = sum(ratings.get(level, 0) for level in RATING_LEVELS)
    if not rated:
        return None
    weighted = sum(RATING_WEIGHTS[level] * ratings.get(level, 0) for level in RATING_LEVELS)
    return 100 * weighted / rated


@dataclass
class ClerkFigures:
    clerk_id: str
    name: str
    served: int = 0
    no_shows: int = 0
    transfers: int = 0
    service_s: list[float] = field(default_factory=list, repr=False)
    waits_s: list[float] = field(
        default_factory=list, repr=False
    )  # of the tickets they called first
    ratings: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RATING_LEVELS, 0))
    without_start: int = 0  # served tickets finished without pressing start
    short: int = 0  # served tickets with a service time under FigureRules.short_service_s
    calls: int = 0  # call_next / call (not recalls)
    recalls: int = 0
    logged_in_s: float = 0.0
    paused_s: dict[str, float] = field(default_factory=dict)  # by reason ("" = none given)

    @property
    def short_share(self) -> float | None:
        return self.short / self.served if self.served else None

    @property
    def calls_per_served(self) -> float | None:
        return self.calls / self.served if self.served else None

    @property
    def paused_total_s(self) -> float:
        return sum(self.paused_s.values())

    def add(self, other: ClerkFigures) -> None:
        """Add another clerk's figures to these (the hall's total row)."""
        for name in ("served", "no_shows", "transfers", "without_start", "short", "calls",
                     "recalls", "logged_in_s"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.service_s += other.service_s
        self.waits_s += other.waits_s
        for level, count in other.ratings.items():
            self.ratings[level] = self.ratings.get(level, 0) + count
        for reason, seconds in other.paused_s.items():
            self.paused_s[reason] = self.paused_s.get(reason, 0.0) + seconds

    @property
    def mean_service_s(self) -> float | None:
        return mean(self.service_s)

    @property
    def p90_service_s(self) -> float | None:
        return p90(self.service_s)

    @property
    def called(self) -> int:
        return len(self.waits_s)

    @property
    def mean_wait_s(self) -> float | None:
        return mean(self.waits_s)

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())

    @property
    def score(self) -> float | None:
        return satisfaction_score(self.ratings)


@dataclass
class GroupFigures:
    """A department (category) or a service: its volumes and waits."""

    code: str
    name: str
    category: str = ""  # a service's department code
    issued: int = 0
    served: int = 0
    no_shows: int = 0
    waits_s: list[float] = field(default_factory=list, repr=False)

    @property
    def called(self) -> int:
        return len(self.waits_s)

    @property
    def mean_wait_s(self) -> float | None:
        return mean(self.waits_s)

    @property
    def p90_wait_s(self) -> float | None:
        return p90(self.waits_s)


@dataclass
class HourFigures:
    hour: int
    arrivals: int = 0
    waits_s: list[float] = field(default_factory=list, repr=False)  # of the tickets issued then

    @property
    def mean_wait_s(self) -> float | None:
        return mean(self.waits_s)


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


# -- reading the database -----------------------------------------------------------------------


def open_database(path: str | Path) -> sqlite3.Connection:
    """Open a hall database read-only (the report never writes; the server may be running)."""
    path = Path(path)
    if not path.is_file():
        raise ReportError(f"no hall database at {path}")
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise ReportError(f"{path}: not a usable hall database ({exc})") from None
    if not {"tickets", "ticket_log", "meta"} <= tables:
        conn.close()
        raise ReportError(f"{path}: this SQLite file is not a hall database")
    if version < MIN_SCHEMA_VERSION or "ratings" not in tables:
        conn.close()
        raise ReportError(
            f"{path}: the database has schema version {version}; start the hall server once"
            f" with it to upgrade it to version {MIN_SCHEMA_VERSION} or later"
        )
    return conn


def _hall_now(conn: sqlite3.Connection) -> datetime:
    """Now, at the hall's UTC offset (the latest ticket's), else at this machine's."""
    zone = _hall_zone(conn)
    return datetime.now(zone) if zone is not None else datetime.now().astimezone()


def _hall_zone(conn: sqlite3.Connection) -> tzinfo | None:
    """The hall's UTC offset as its server wrote the latest ticket's time (None: this machine's)."""
    row = conn.execute("SELECT issued_at FROM tickets ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return None
    try:
        return datetime.fromisoformat(row[0]).tzinfo
    except (TypeError, ValueError):
        return None


def _seconds_between(start: str, end: str) -> float:
    return datetime.fromisoformat(end).timestamp() - datetime.fromisoformat(start).timestamp()


def _catalog(
    conn: sqlite3.Connection, lang: str
) -> tuple[dict[str, tuple[str, int]], dict[str, tuple[str, str, int]]]:
    """Names and positions: {category: (name, pos)}, {service: (name, category, pos)}."""

    def pick(row: sqlite3.Row | tuple[Any, ...], zh: int, en: int) -> str:
        return str(row[en] if lang == "en" and row[en] else row[zh])

    categories = {
        r[0]: (pick(r, 1, 2), r[3])
        for r in conn.execute("SELECT code, name, name_en, position FROM categories")
    }
    services = {
        r[0]: (pick(r, 1, 2), r[3], r[4])
        for r in conn.execute("SELECT code, name, name_en, category, position FROM services")
    }
    return categories, services


def clerk_work(
    conn: sqlite3.Connection,
    first: str,
    last: str,
    now: datetime,
    rules: FigureRules = FigureRules(),
    only: str | None = None,
    names: dict[str, str] | None = None,
    service_s: dict[int, float] | None = None,
) -> dict[str, ClerkFigures]:
    """The clerks' own figures for business days `first`..`last` (ISO dates): served,
    without start, short services, calls, recalls, no-shows, transfers, service times,
    time logged in and paused, ratings. `only` narrows them to one clerk (`clerk_stats`).
    `service_s` (ticket id -> service time of the finished tickets) saves reading the
    tickets again when the caller has read them. The report and the counter's figures of
    the day both come from here."""
    bounds = {"first": first, "last": last, "clerk": only}
    clerks: dict[str, ClerkFigures] = {}

    def clerk(clerk_id: str | None) -> ClerkFigures | None:
        if clerk_id is None or (only is not None and clerk_id != only):
            return None
        if clerk_id not in clerks:
            name = (names or {}).get(clerk_id, clerk_id)
            clerks[clerk_id] = ClerkFigures(clerk_id, str(name))
        return clerks[clerk_id]

    if service_s is None:
        service_s = {
            ticket_id: float(seconds)
            for ticket_id, seconds in conn.execute(QUERIES["service_times"], bounds)
            if seconds is not None
        }
    for ticket_id, clerk_id, started in conn.execute(QUERIES["finishes"], bounds):
        figures = clerk(clerk_id)
        if figures is None:
            continue
        figures.served += 1
        figures.without_start += started == 0
        if ticket_id in service_s:
            figures.service_s.append(service_s[ticket_id])
            figures.short += service_s[ticket_id] < rules.short_service_s
    marks = {"no_show": "no_shows", "transfer": "transfers", "call": "calls", "recall": "recalls"}
    for clerk_id, action, count in conn.execute(QUERIES["clerk_marks"], bounds):
        figures = clerk(clerk_id)
        if figures is not None:
            setattr(figures, marks[action], getattr(figures, marks[action]) + count)
    for clerk_id, level, count in conn.execute(QUERIES["ratings"], bounds):
        figures = clerk(clerk_id)
        if figures is not None and level in figures.ratings:
            figures.ratings[level] += count
    for clerk_id, state, reason, seconds in _counter_intervals(conn, bounds, now, rules):
        figures = clerk(clerk_id)
        if figures is None or state == "closed":
            continue
        figures.logged_in_s += seconds
        if state == "paused":
            figures.paused_s[reason] = figures.paused_s.get(reason, 0.0) + seconds
    return clerks


def _counter_intervals(
    conn: sqlite3.Connection, bounds: dict[str, Any], now: datetime, rules: FigureRules
) -> Iterable[tuple[str | None, str, str, float]]:
    """(clerk, state, pause reason, seconds) for each stretch a counter spent in one state.

    A stretch ends at the counter's next change, at the end of its business day, or now.
    """
    current: dict[int, tuple[str | None, str, str, datetime]] = {}

    def close(counter: int, end: datetime) -> tuple[str | None, str, str, float]:
        clerk_id, state, reason, since = current.pop(counter)
        day_end = datetime.combine(
            since.date() + timedelta(days=1) if since.time() >= rules.day_reset else since.date(),
            rules.day_reset,
            tzinfo=since.tzinfo,
        )
        return clerk_id, state, reason, max(0.0, (min(end, day_end) - since).total_seconds())

    for counter, _day, at, clerk_id, state, reason in conn.execute(QUERIES["counter_log"], bounds):
        moment = datetime.fromisoformat(at)
        if counter in current:
            yield close(counter, moment)
        current[counter] = (clerk_id, state, reason or "", moment)
    for counter in list(current):
        yield close(counter, now)


def _median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


STANDOUT_FIGURES = ("short_share", "calls_per_served")


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
        medians[figure] = _median([getattr(c, figure) for c in serving])
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


def compute_report(
    conn: sqlite3.Connection,
    period: Period,
    lang: str = "zh_CN",
    now: datetime | None = None,
    rules: FigureRules = FigureRules(),
) -> HallReport:
    """Every figure of the report for `period`, read from an open hall database."""
    now = now or _hall_now(conn)
    bounds = {"first": period.first.isoformat(), "last": period.last.isoformat()}
    hall = conn.execute("SELECT value FROM meta WHERE key = 'hall'").fetchone()
    clerk_names = dict(conn.execute("SELECT id, name FROM clerks").fetchall())
    category_names, service_names = _catalog(conn, lang)

    first_calls = {row[0]: (row[2], row[3]) for row in conn.execute(QUERIES["first_calls"], bounds)}
    tickets = conn.execute(QUERIES["tickets"], bounds).fetchall()
    service_s = {
        row[0]: float(row[5]) for row in tickets if row[4] == "done" and row[5] is not None
    }
    clerks = clerk_work(
        conn, bounds["first"], bounds["last"], now, rules, names=clerk_names, service_s=service_s
    )

    def clerk(clerk_id: str | None) -> ClerkFigures | None:
        if clerk_id is None:
            return None
        if clerk_id not in clerks:
            clerks[clerk_id] = ClerkFigures(clerk_id, str(clerk_names.get(clerk_id, clerk_id)))
        return clerks[clerk_id]

    categories: dict[str, GroupFigures] = {}
    services: dict[str, GroupFigures] = {}
    hours = [HourFigures(h) for h in range(24)]
    days: dict[str, GroupFigures] = {}
    total = GroupFigures("", "")
    for ticket_id, issued_at, service, category, state, _seconds in tickets:
        if category not in categories:
            categories[category] = GroupFigures(
                category, category_names.get(category, (category, 0))[0]
            )
        if service not in services:
            name, _, _ = service_names.get(service, (service, category, 0))
            services[service] = GroupFigures(service, name, category)
        hour = hours[int(issued_at[11:13])]  # local hall time, as the server wrote it
        day = days.setdefault(issued_at[:10], GroupFigures(issued_at[:10], issued_at[:10]))
        groups = (categories[category], services[service], total, day)
        wait = None
        if ticket_id in first_calls:
            called_at, caller = first_calls[ticket_id]
            wait = max(0.0, _seconds_between(issued_at, called_at))
            hour.waits_s.append(wait)
            figures = clerk(caller)
            if figures is not None:
                figures.waits_s.append(wait)
        hour.arrivals += 1
        for group in groups:
            group.issued += 1
            group.served += state == "done"
            group.no_shows += state == "no_show"
            if wait is not None:
                group.waits_s.append(wait)

    hall_ratings = dict.fromkeys(RATING_LEVELS, 0)
    for _, level, count in conn.execute(QUERIES["ratings"], {**bounds, "clerk": None}):
        if level in hall_ratings:  # the server accepts only the four levels; ignore the rest
            hall_ratings[level] += count
    ordered_clerks = sorted(clerks.values(), key=lambda c: c.clerk_id)
    clerk_total = ClerkFigures("", "")
    for figures in ordered_clerks:
        clerk_total.add(figures)
    medians, standouts = find_standouts(ordered_clerks)
    pause_reasons = sorted(clerk_total.paused_s, key=lambda r: (-clerk_total.paused_s[r], r))

    buckets = _wait_buckets(total.waits_s)
    ordered_categories = sorted(
        categories.values(), key=lambda g: (category_names.get(g.code, ("", 1 << 30))[1], g.code)
    )
    category_rank = {g.code: i for i, g in enumerate(ordered_categories)}
    ordered_services = sorted(
        services.values(),
        key=lambda g: (
            category_rank.get(g.category, 1 << 30),
            service_names.get(g.code, ("", "", 1 << 30))[2],
            g.code,
        ),
    )
    return HallReport(
        hall=str(hall[0]) if hall else "",
        period=period,
        generated_at=now,
        clerks=ordered_clerks,
        categories=ordered_categories,
        services=ordered_services,
        hours=hours,
        wait_buckets=buckets,
        hall_total=total,
        days=[days[d] for d in sorted(days)],
        ratings=hall_ratings,
        rules=rules,
        clerk_total=clerk_total,
        standouts=standouts,
        medians=medians,
        pause_reasons=pause_reasons,
    )


def _wait_buckets(waits_s: Iterable[float]) -> list[WaitBucket]:
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


def build_report(
    db: str | Path,
    period: Period,
    lang: str = "zh_CN",
    now: datetime | None = None,
    rules: FigureRules = FigureRules(),
) -> HallReport:
    conn = open_database(db)
    try:
        return compute_report(conn, period, lang, now, rules)
    finally:
        conn.close()


# -- text -------------------------------------------------------------------------------------

TEXT: dict[str, dict[str, str]] = {
    "zh_CN": {
        "clerk_id": "工号",
        "clerk": "姓名",
        "served": "办结件数",
        "no_shows": "过号次数",
        "transfers": "转移次数",
        "mean_service_s": "平均办理时长(秒)",
        "p90_service_s": "P90办理时长(秒)",
        "called": "首次叫号人数",
        "mean_wait_s": "平均等候时长(秒)",
        "p90_wait_s": "P90等候时长(秒)",
        "very_satisfied": "非常满意",
        "satisfied": "满意",
        "basic": "基本满意",
        "unsatisfied": "不满意",
        "rated": "评价数",
        "score": "满意度得分",
        "category_code": "部门代码",
        "category": "部门",
        "service_code": "事项代码",
        "service": "事项",
        "issued": "取号数",
        "hour": "时段",
        "arrivals": "到达人数",
        "wait_bucket": "等候时长(分钟)",
        "tickets": "人数",
        "all": "全部",
        "total": "合计",
        "without_start": "其中未按开始办结",
        "short": "短时办结件数",
        "short_share": "短时办结占比(%)",
        "calls": "叫号次数",
        "calls_per_served": "每办结叫号次数",
        "recalls": "重呼次数",
        "logged_in_min": "在岗时长(分钟)",
        "paused_min": "暂停时长(分钟)",
        "paused_reason_min": "暂停(分钟)：{reason}",
        "no_reason": "未填原因",
    },
    "en": {
        "clerk_id": "Clerk ID",
        "clerk": "Name",
        "served": "Served",
        "no_shows": "No-shows",
        "transfers": "Transfers",
        "mean_service_s": "Mean service (s)",
        "p90_service_s": "P90 service (s)",
        "called": "First calls",
        "mean_wait_s": "Mean wait (s)",
        "p90_wait_s": "P90 wait (s)",
        "very_satisfied": "Very satisfied",
        "satisfied": "Satisfied",
        "basic": "Basically satisfied",
        "unsatisfied": "Unsatisfied",
        "rated": "Ratings",
        "score": "Satisfaction score",
        "category_code": "Department code",
        "category": "Department",
        "service_code": "Service code",
        "service": "Service",
        "issued": "Issued",
        "hour": "Hour",
        "arrivals": "Arrivals",
        "wait_bucket": "Wait (minutes)",
        "tickets": "Tickets",
        "all": "All",
        "total": "Total",
        "without_start": "Of which finished without start",
        "short": "Short services",
        "short_share": "Short share (%)",
        "calls": "Calls",
        "calls_per_served": "Calls per served",
        "recalls": "Recalls",
        "logged_in_min": "Logged in (min)",
        "paused_min": "Paused (min)",
        "paused_reason_min": "Paused (min): {reason}",
        "no_reason": "no reason given",
    },
}


def bucket_label(bucket: WaitBucket) -> str:
    if bucket.high_min is None:
        return f"≥{bucket.low_min}"
    return f"{bucket.low_min}–{bucket.high_min}"


def hour_label(hour: int) -> str:
    return f"{hour:02d}:00–{hour + 1:02d}:00"


def number(value: float | None, digits: int = 1) -> str:
    """A figure for a CSV cell: empty when there is none, else rounded to `digits`."""
    if value is None:
        return ""
    rounded = round(value, digits)
    return str(int(rounded)) if float(rounded).is_integer() else f"{rounded:.{digits}f}"


# -- the tables (shared by CSV and HTML) --------------------------------------------------------


def percent(share: float | None) -> str:
    return number(None if share is None else 100 * share)


def minutes(seconds: float) -> str:
    return number(seconds / 60)


# The clerk table's columns: (text key, the cell of one clerk's figures). The paused-by-reason
# columns follow "paused_min", one per reason given in the period.
CLERK_COLUMNS: tuple[tuple[str, Callable[[ClerkFigures], str]], ...] = (
    ("clerk_id", lambda c: c.clerk_id),
    ("clerk", lambda c: c.name),
    ("served", lambda c: str(c.served)),
    ("without_start", lambda c: str(c.without_start)),
    ("short", lambda c: str(c.short)),
    ("short_share", lambda c: percent(c.short_share)),
    ("calls", lambda c: str(c.calls)),
    ("calls_per_served", lambda c: number(c.calls_per_served, 2)),
    ("recalls", lambda c: str(c.recalls)),
    ("no_shows", lambda c: str(c.no_shows)),
    ("transfers", lambda c: str(c.transfers)),
    ("logged_in_min", lambda c: minutes(c.logged_in_s)),
    ("paused_min", lambda c: minutes(c.paused_total_s)),
    ("mean_service_s", lambda c: number(c.mean_service_s)),
    ("p90_service_s", lambda c: number(c.p90_service_s)),
    ("called", lambda c: str(c.called)),
    ("mean_wait_s", lambda c: number(c.mean_wait_s)),
    *((level, lambda c, level=level: str(c.ratings[level])) for level in RATING_LEVELS),
    ("rated", lambda c: str(c.rated)),
    ("score", lambda c: number(c.score)),
)


def clerk_table(report: HallReport, lang: str) -> tuple[list[str], list[list[str]]]:
    """One row per clerk and, when there are clerks, the hall's total row last."""
    t = TEXT[lang]
    reasons = report.pause_reasons
    header: list[str] = []
    for key, _ in CLERK_COLUMNS:
        header.append(t[key])
        if key == "paused_min":
            header += [t["paused_reason_min"].format(reason=r or t["no_reason"]) for r in reasons]

    def row(c: ClerkFigures) -> list[str]:
        cells: list[str] = []
        for key, cell in CLERK_COLUMNS:
            cells.append(cell(c))
            if key == "paused_min":
                cells += [minutes(c.paused_s.get(r, 0.0)) for r in reasons]
        return cells

    rows = [row(c) for c in report.clerks]
    if report.clerks:
        total = row(report.clerk_total)
        total[0], total[1] = "", t["total"]
        rows.append(total)
    return header, rows


def _group_cells(g: GroupFigures) -> list[str]:
    return [str(g.issued), str(g.served), str(g.no_shows), str(g.called),
            number(g.mean_wait_s), number(g.p90_wait_s)]  # fmt: skip


def category_table(report: HallReport, lang: str) -> tuple[list[str], list[list[str]]]:
    t = TEXT[lang]
    keys = ["category_code", "category", "issued", "served", "no_shows", "called",
            "mean_wait_s", "p90_wait_s"]  # fmt: skip
    rows = [[g.code, g.name, *_group_cells(g)] for g in report.categories]
    if report.categories:
        rows.append(["", t["total"], *_group_cells(report.hall_total)])
    return [t[k] for k in keys], rows


def service_table(report: HallReport, lang: str) -> tuple[list[str], list[list[str]]]:
    t = TEXT[lang]
    keys = ["category", "service_code", "service", "issued", "served", "no_shows", "called",
            "mean_wait_s", "p90_wait_s"]  # fmt: skip
    names = {g.code: g.name for g in report.categories}
    rows = [
        [names.get(g.category, g.category), g.code, g.name, *_group_cells(g)]
        for g in report.services
    ]
    return [t[k] for k in keys], rows


def hour_table(report: HallReport, lang: str) -> tuple[list[str], list[list[str]]]:
    t = TEXT[lang]
    rows = [
        [hour_label(h.hour), str(h.arrivals), str(len(h.waits_s)), number(h.mean_wait_s)]
        for h in report.hours
    ]
    return [t["hour"], t["arrivals"], t["called"], t["mean_wait_s"]], rows


def wait_table(report: HallReport, lang: str) -> tuple[list[str], list[list[str]]]:
    t = TEXT[lang]
    rows = [[bucket_label(b), str(b.count)] for b in report.wait_buckets]
    return [t["wait_bucket"], t["tickets"]], rows


TABLES: dict[str, Callable[[HallReport, str], tuple[list[str], list[list[str]]]]] = {
    "clerks": clerk_table,
    "categories": category_table,
    "services": service_table,
    "hours": hour_table,
    "waits": wait_table,
}


# -- writing ----------------------------------------------------------------------------------


def write_csv(report: HallReport, out_dir: Path, lang: str = "zh_CN") -> list[Path]:
    """One CSV per table, UTF-8 with a byte-order mark (Excel reads it as UTF-8 then)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in TABLES.items():
        header, rows = table(report, lang)
        path = out_dir / f"{report.period.label}-{name}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(to_row(header))
            writer.writerows(to_row(row) for row in rows)
        written.append(path)
    return written


def write_report(report: HallReport, out_dir: Path, lang: str = "zh_CN") -> list[Path]:
    """The CSV files and the HTML report; returns their paths (the HTML last)."""
    from shared.admin.report_html import render_html

    written = write_csv(report, out_dir, lang)
    html_path = out_dir / f"{report.period.label}-report.html"
    html_path.write_text(render_html(report, lang), encoding="utf-8")
    written.append(html_path)
    return written


# -- benchmark --------------------------------------------------------------------------------


def bench_report(db: str | Path, month: str | None = None) -> float:
    """Seconds to compute the report of `month` (default: the latest month with tickets)."""
    if month is None:
        conn = open_database(db)
        latest = conn.execute("SELECT max(day) FROM tickets").fetchone()[0]
        conn.close()
        if latest is None:
            raise ReportError(f"{db}: no tickets to report on")
        month = str(latest)[:7]
    period = parse_period(month)
    started = time.perf_counter()
    build_report(db, period)
    return time.perf_counter() - started


# -- the command line -------------------------------------------------------------------------


def register(subparsers: Any, common: Callable[..., None]) -> None:
    parser = subparsers.add_parser(
        "report",
        help="figures per clerk, department, service and hour: CSV files and an HTML report",
        description="Report of a month (or one day): clerks' served tickets, no-shows, transfers,"
        " service times, waits and satisfaction ratings; departments' and services' volumes and"
        " waits; arrivals and waits per hour. Writes CSV files and one HTML page.",
    )
    common(parser)
    parser.add_argument("--month", metavar="YYYY-MM", help="the month, e.g. 2026-11")
    parser.add_argument("--day", metavar="YYYY-MM-DD", help="only this day of the month")
    parser.add_argument(
        "--out", type=Path, metavar="DIR", help="folder for the files (default: ./hall-report)"
    )
    parser.add_argument("--lang", default="zh_CN", help="zh_CN (default) or en")
    parser.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from shared.cli.main import _load
    from shared.config.paths import existing_db
    from shared.server.store import StoreError

    if args.lang not in LANGS:
        print(f"queue-hall report: --lang {args.lang!r}: choose zh_CN or en", file=sys.stderr)
        return 2
    try:
        period = parse_period(args.month, args.day)
    except ReportError as exc:
        print(f"queue-hall report: {exc}", file=sys.stderr)
        return 2
    config = _load(args)
    try:
        db = existing_db(config)  # _load already put --db into the config
    except StoreError as exc:
        print(f"queue-hall report: {exc}", file=sys.stderr)
        return 1
    out_dir = Path(args.out) if args.out else Path("hall-report")
    rules = FigureRules(config.short_service_s, config.day_reset)
    try:
        # "Generated at" in the hall's own time zone, like every time in the report.
        now = config.hall_time() if config.timezone else None  # else the database's offset
        report = build_report(db, period, args.lang, now=now, rules=rules)
    except ReportError as exc:
        print(f"queue-hall report: {exc}", file=sys.stderr)
        return 1
    try:
        written = write_report(report, out_dir, args.lang)
    except OSError as exc:
        print(
            f"queue-hall report: cannot write to {out_dir}: {exc.strerror or exc}", file=sys.stderr
        )
        return 1
    for path in written:
        print(path)
    if report.empty:
        print(
            f"queue-hall report: no tickets in {period.label}; the report is empty", file=sys.stderr
        )
    return 0
