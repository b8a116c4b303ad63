"""What the report reads of a hall database, as plain values, and nothing it computes.

The report opens the database read-only (`shared.server.store.open_readonly`), so it can run
beside a running server and refuse a file that is not a hall database or is too old to hold
the figures. It reads
through sqlite-utils, where the rows come as dicts named by their columns; the clerks'
figures come from `shared.server.figures`, the same reading the server does for a counter.

Every query filters on `day BETWEEN first AND last`, so SQLite reads the period through
the day indexes and a year of history costs no more than the month asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

import sqlite_utils

from shared.admin.report_period import Period
from shared.domain.errors import ReportError, StoreError
from shared.domain.figures import DEFAULT_RULES, ClerkFigures, FigureRules
from shared.domain.vocabulary import RATING_LEVELS
from shared.server.figures import CLERK_QUERIES, clerk_work
from shared.server.store import open_readonly, schema_version

MIN_SCHEMA_VERSION = 3  # counter_log and ticket_log.started arrived with schema version 3

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
    **CLERK_QUERIES,
}


@dataclass
class HallRecords:
    """A period of one hall database, as the report reads it."""

    hall: str  # the hall's name ("" when the database has none)
    now: datetime  # when the report is made, in the hall's time
    clerk_names: dict[str, str]
    categories: dict[str, tuple[str, int]]  # code -> (name, position)
    services: dict[str, tuple[str, str, int]]  # code -> (name, category, position)
    tickets: list[dict[str, Any]]  # the columns of QUERIES["tickets"]
    first_calls: dict[int, tuple[str, str | None]]  # ticket id -> (at, clerk)
    clerks: dict[str, ClerkFigures]  # the clerks' own figures (shared.server.figures)
    ratings: dict[str, int]  # the hall's, by level


def open_database(path: str | Path) -> sqlite_utils.Database:
    """Open a hall database read-only (the report never writes; the server may be running)."""
    try:
        conn = open_readonly(path)
    except StoreError as exc:
        raise ReportError(str(exc)) from None
    version = schema_version(conn)
    db = sqlite_utils.Database(conn, recursive_triggers=False)
    if version < MIN_SCHEMA_VERSION or not db["ratings"].exists():
        db.close()
        raise ReportError(
            f"{path}: the database has schema version {version}; start the hall server once"
            f" with it to upgrade it to version {MIN_SCHEMA_VERSION} or later"
        )
    return db


def latest_day(db: sqlite_utils.Database) -> str | None:
    """The business day of the latest ticket (None: no tickets)."""
    latest = db.execute("SELECT max(day) FROM tickets").fetchone()[0]
    return None if latest is None else str(latest)


def hall_zone(db: sqlite_utils.Database) -> tzinfo | None:
    """The hall's UTC offset as its server wrote the latest ticket's time (None: this machine's)."""
    row = next(db.query("SELECT issued_at FROM tickets ORDER BY id DESC LIMIT 1"), None)
    if row is None:
        return None
    try:
        return datetime.fromisoformat(row["issued_at"]).tzinfo
    except (TypeError, ValueError):
        return None


def hall_now(db: sqlite_utils.Database) -> datetime:
    """Now, at the hall's UTC offset (the latest ticket's), else at this machine's."""
    zone = hall_zone(db)
    return datetime.now(zone) if zone is not None else datetime.now().astimezone()


def read_catalog(
    db: sqlite_utils.Database, lang: str
) -> tuple[dict[str, tuple[str, int]], dict[str, tuple[str, str, int]]]:
    """Names and positions: {category: (name, pos)}, {service: (name, category, pos)}."""

    def name(row: dict[str, Any]) -> str:
        return str(row["name_en"] if lang == "en" and row["name_en"] else row["name"])

    categories = {
        r["code"]: (name(r), r["position"])
        for r in db.table("categories").rows_where(select="code, name, name_en, position")
    }
    services = {
        r["code"]: (name(r), r["category"], r["position"])
        for r in db.table("services").rows_where(select="code, name, name_en, category, position")
    }
    return categories, services


def read_period(
    db: sqlite_utils.Database,
    period: Period,
    lang: str = "zh_CN",
    now: datetime | None = None,
    rules: FigureRules = DEFAULT_RULES,
) -> HallRecords:
    """Everything the report needs of `period` (catalog names in `lang`)."""
    now = now or hall_now(db)
    bounds = {"first": period.first.isoformat(), "last": period.last.isoformat()}
    hall = next(db.table("meta").rows_where("key = 'hall'", select="value"), None)
    clerk_names = {r["id"]: r["name"] for r in db.table("clerks").rows_where(select="id, name")}
    categories, services = read_catalog(db, lang)
    first_calls = {
        r["ticket_id"]: (r["at"], r["clerk_id"]) for r in db.query(QUERIES["first_calls"], bounds)
    }
    tickets = list(db.query(QUERIES["tickets"], bounds))
    service_s = {
        r["id"]: float(r["service_s"])
        for r in tickets
        if r["state"] == "done" and r["service_s"] is not None
    }
    clerks = clerk_work(
        db.conn, bounds["first"], bounds["last"], now, rules, names=clerk_names, service_s=service_s
    )
    ratings = dict.fromkeys(RATING_LEVELS, 0)
    for _clerk, level, count in db.execute(QUERIES["ratings"], {**bounds, "clerk": None}):
        if level in ratings:  # the server accepts only the four levels; ignore the rest
            ratings[level] += count
    return HallRecords(
        hall=str(hall["value"]) if hall else "",
        now=now,
        clerk_names=clerk_names,
        categories=categories,
        services=services,
        tickets=tickets,
        first_calls=first_calls,
        clerks=clerks,
        ratings=ratings,
    )
