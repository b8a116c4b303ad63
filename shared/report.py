"""The hall report: per clerk, per department and service, per hour, from the hall database.

`queue-hall report --month 2026-11 [--day 2026-11-26] [--out DIR] [--lang en]` writes CSV
files (UTF-8 with a BOM, so Excel shows Chinese correctly) and one self-contained HTML
page with inline SVG charts. The figures are defined once, here, and the HTML report
prints the same definitions for its readers:

- period: the business days from the first to the last day asked for (the tickets' `day`);
- issued: tickets issued in the period, except those whose printing failed (cancelled);
- wait: the ticket's first call minus its issue time; a ticket never called has no wait;
- served (clerk): tickets the clerk finished; no-shows and transfers (clerk): how many
  times the clerk marked a ticket no-show or transferred one;
- service time: finish minus start (or minus the call when the clerk never pressed start),
  of the tickets the clerk finished;
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
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from shared.spreadsheet import to_row
from shared.vocabulary import RATING_LEVELS

RATING_WEIGHTS: dict[str, float] = {
    "very_satisfied": 1.0,
    "satisfied": 0.8,
    "basic": 0.6,
    "unsatisfied": 0.0,
}
# Upper bounds (minutes) of the wait-distribution buckets; the last bucket is open-ended.
WAIT_BUCKET_LIMITS_MIN: tuple[int, ...] = (5, 10, 15, 20, 30, 45, 60)
MIN_SCHEMA_VERSION = 2  # ratings arrived with schema version 2
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
        "SELECT ticket_id, clerk_id FROM ticket_log"
        " WHERE day BETWEEN :first AND :last AND action = 'finish'"
    ),
    "clerk_marks": (
        "SELECT clerk_id, action, count(*) FROM ticket_log"
        " WHERE day BETWEEN :first AND :last AND action IN ('no_show', 'transfer')"
        " GROUP BY clerk_id, action"
    ),
    "ratings": (
        "SELECT clerk_id, level, count(*) FROM ratings"
        " WHERE day BETWEEN :first AND :last GROUP BY clerk_id, level"
    ),
}


class ReportError(Exception):
    """The report cannot be made as asked; the message names the problem."""


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


def compute_report(
    conn: sqlite3.Connection, period: Period, lang: str = "zh_CN", now: datetime | None = None
) -> HallReport:
    """Every figure of the report for `period`, read from an open hall database."""
    bounds = {"first": period.first.isoformat(), "last": period.last.isoformat()}
    hall = conn.execute("SELECT value FROM meta WHERE key = 'hall'").fetchone()
    clerk_names = dict(conn.execute("SELECT id, name FROM clerks").fetchall())
    category_names, service_names = _catalog(conn, lang)

    first_calls = {row[0]: (row[2], row[3]) for row in conn.execute(QUERIES["first_calls"], bounds)}
    clerks: dict[str, ClerkFigures] = {}

    def clerk(clerk_id: str | None) -> ClerkFigures | None:
        if clerk_id is None:
            return None
        if clerk_id not in clerks:
            clerks[clerk_id] = ClerkFigures(clerk_id, str(clerk_names.get(clerk_id, clerk_id)))
        return clerks[clerk_id]

    categories: dict[str, GroupFigures] = {}
    services: dict[str, GroupFigures] = {}
    hours = [HourFigures(h) for h in range(24)]
    total = GroupFigures("", "")
    service_s: dict[int, float] = {}
    for ticket_id, issued_at, service, category, state, seconds in conn.execute(
        QUERIES["tickets"], bounds
    ):
        if category not in categories:
            categories[category] = GroupFigures(
                category, category_names.get(category, (category, 0))[0]
            )
        if service not in services:
            name, _, _ = service_names.get(service, (service, category, 0))
            services[service] = GroupFigures(service, name, category)
        hour = hours[int(issued_at[11:13])]  # local hall time, as the server wrote it
        groups = (categories[category], services[service], total)
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
        if state == "done" and seconds is not None:
            service_s[ticket_id] = float(seconds)

    for ticket_id, clerk_id in conn.execute(QUERIES["finishes"], bounds):
        figures = clerk(clerk_id)
        if figures is None:
            continue
        figures.served += 1
        if ticket_id in service_s:
            figures.service_s.append(service_s[ticket_id])
    for clerk_id, action, count in conn.execute(QUERIES["clerk_marks"], bounds):
        figures = clerk(clerk_id)
        if figures is not None:
            if action == "no_show":
                figures.no_shows += count
            else:
                figures.transfers += count
    hall_ratings = dict.fromkeys(RATING_LEVELS, 0)
    for clerk_id, level, count in conn.execute(QUERIES["ratings"], bounds):
        if level not in hall_ratings:
            continue  # the server accepts only the four levels; ignore anything else
        hall_ratings[level] += count
        figures = clerk(clerk_id)
        if figures is not None:
            figures.ratings[level] += count

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
        generated_at=now or datetime.now().astimezone(),
        clerks=sorted(clerks.values(), key=lambda c: c.clerk_id),
        categories=ordered_categories,
        services=ordered_services,
        hours=hours,
        wait_buckets=buckets,
        hall_total=total,
        ratings=hall_ratings,
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
    db: str | Path, period: Period, lang: str = "zh_CN", now: datetime | None = None
) -> HallReport:
    conn = open_database(db)
    try:
        return compute_report(conn, period, lang, now)
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


def clerk_table(report: HallReport, lang: str) -> tuple[list[str], list[list[str]]]:
    t = TEXT[lang]
    keys = ["clerk_id", "clerk", "served", "no_shows", "transfers", "mean_service_s",
            "p90_service_s", "called", "mean_wait_s", *RATING_LEVELS, "rated", "score"]  # fmt: skip
    rows = [
        [c.clerk_id, c.name, str(c.served), str(c.no_shows), str(c.transfers),
         number(c.mean_service_s), number(c.p90_service_s), str(c.called), number(c.mean_wait_s),
         *(str(c.ratings[level]) for level in RATING_LEVELS), str(c.rated), number(c.score)]
        for c in report.clerks
    ]  # fmt: skip
    return [t[k] for k in keys], rows


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
    from shared.report_html import render_html

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
    from shared.cli import _load, default_db

    if args.lang not in LANGS:
        print(f"queue-hall report: --lang {args.lang!r}: choose zh_CN or en", file=sys.stderr)
        return 2
    try:
        period = parse_period(args.month, args.day)
    except ReportError as exc:
        print(f"queue-hall report: {exc}", file=sys.stderr)
        return 2
    db = Path(args.db) if args.db else default_db(_load(args))
    out_dir = Path(args.out) if args.out else Path("hall-report")
    try:
        report = build_report(db, period, args.lang)
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
