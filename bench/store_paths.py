"""One call_next's statements through plain sqlite3 and through sqlite-utils:
`python -m bench.store_paths`.

The hall store keeps its hot path (issue, call_next) on plain sqlite3 and uses sqlite-utils
for its migrations; this measures why. Both sides run the statements one call_next makes
(read the counter and the ticket, call the ticket and log it, record the call, update the
counter, read the categories, store the event) on a hall file, inside BEGIN IMMEDIATE and
rolled back, so the figure is the statements' cost without the commit's flush.
"""

from __future__ import annotations

import argparse
import functools
import tempfile
import timeit
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from shared.config.hall import default_config
from shared.server import queries
from shared.server.service import HallService
from shared.server.store import HallStore

DAY, AT = "2026-01-05", "2026-01-05T09:10:00+08:00"
CALLED = {"state": "called", "called_at": AT, "counter": 1, "clerk_id": "1001"}
COUNTER = {"priority_streak": 0, "last_call_at": 1.0, "updated_at": AT}
LOG = {"day": DAY, "at": AT, "action": "call", "state": "called", "counter": 1, "clerk_id": "1001"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=2000, help="call_nexts per round")
    args = parser.parse_args()
    store = HallStore(Path(tempfile.mkdtemp()) / "hall.db")
    HallService(store, default_config())
    conn, db = store.conn, sqlite_utils.Database(store.conn)
    tid = queries.insert_ticket(
        conn,
        {"day": DAY, "number": "A001", "prefix": "A", "seq": 1, "service": "s"}
        | {"category": "c", "state": "waiting", "issued_at": AT, "order_at": 0.0},
    )

    def plain() -> None:
        queries.counter(conn, 1)
        ticket = queries.ticket(conn, tid)
        assert ticket is not None
        queries.update_ticket(conn, tid, {**CALLED, "calls": ticket["calls"] + 1})
        queries.log_ticket(conn, tid, DAY, AT, "call", "called", 1, "1001")
        queries.insert_call(conn, DAY, tid, 1, AT, False)
        queries.counter(conn, 1)
        queries.update_counter(conn, 1, {"ticket_id": tid, **COUNTER})
        queries.category_codes(conn)
        queries.insert_events(conn, [(10**6, AT, "ticket_called", "{}")])

    def utils() -> None:
        db.table("counters").get(1)
        ticket = db.table("tickets").get(tid)
        db.table("tickets").update(tid, {**CALLED, "calls": ticket["calls"] + 1})
        db.table("tickets").get(tid)
        db.table("ticket_log").insert({"ticket_id": tid, **LOG})
        db.table("calls").insert({"day": DAY, "ticket_id": tid, "counter": 1, "at": AT})
        db.table("counters").get(1)
        db.table("counters").update(1, {"ticket_id": tid, **COUNTER})
        db.table("counters").get(1)
        db.execute("SELECT code FROM categories ORDER BY position").fetchall()
        db.table("events").insert({"seq": 10**6, "at": AT, "name": "ticket_called", "data": "{}"})

    def rolled_back(statements: Callable[[], None]) -> None:
        conn.execute("BEGIN IMMEDIATE")
        statements()
        conn.execute("ROLLBACK")

    for name, statements in (("sqlite3", plain), ("sqlite-utils", utils)):
        run = functools.partial(rolled_back, statements)
        rounds = timeit.repeat(run, number=args.number, repeat=5)
        print(f"{name:13s} {min(rounds) / args.number * 1e6:7.0f} µs per call_next")
    store.close()


if __name__ == "__main__":
    main()
