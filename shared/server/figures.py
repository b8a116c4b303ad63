"""The clerks' figures read from the hall database, for `clerk_stats` and the monthly report.

The server answers a counter's `clerk_stats` with the figures of the day and the report
prints those of a month: both read the same rows with the queries here and count them
with `shared.domain.figures`, where the figures are defined.

Every query filters on `day BETWEEN first AND last`, so SQLite reads the period through
the day indexes and a year of history costs no more than the month asked for.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from shared.domain.figures import DEFAULT_RULES, ClerkFigures, ClerkTally, FigureRules

__all__ = ["CLERK_QUERIES", "ClerkFigures", "FigureRules", "clerk_work"]

# The clerk figures' queries, named so a test can check that each one reads through an index.
CLERK_QUERIES: dict[str, str] = {
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
        "SELECT counter, at, clerk_id, state, pause_reason FROM counter_log"
        " WHERE day BETWEEN :first AND :last ORDER BY id"
    ),
}


def clerk_work(
    conn: sqlite3.Connection,
    first: str,
    last: str,
    now: datetime,
    rules: FigureRules = DEFAULT_RULES,
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
    if service_s is None:
        service_s = {
            ticket_id: float(seconds)
            for ticket_id, seconds in conn.execute(CLERK_QUERIES["service_times"], bounds)
            if seconds is not None
        }
    tally = ClerkTally(rules, only, names)
    tally.finishes(conn.execute(CLERK_QUERIES["finishes"], bounds), service_s)
    tally.marks(conn.execute(CLERK_QUERIES["clerk_marks"], bounds))
    tally.ratings(conn.execute(CLERK_QUERIES["ratings"], bounds))
    tally.counter_log(conn.execute(CLERK_QUERIES["counter_log"], bounds), now)
    return tally.clerks
