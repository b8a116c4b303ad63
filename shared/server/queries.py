"""Every SQL statement the hall service runs, each a named function over one connection.

The service modules say what they want ("the waiting tickets of the day", "log this
call") and never spell SQL themselves, so a change of the schema is made here and in
`shared.server.store` (the schema and its migrations) and nowhere else. These run on the
hot path (issue, call_next), so they speak plain sqlite3: see the store's docstring.
Each function takes the store's connection; none begins or ends a transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

Row = sqlite3.Row
Conn = sqlite3.Connection


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


def _sets(changes: Mapping[str, Any]) -> str:
    return ", ".join(f"{column} = ?" for column in changes)


# -- the catalog, counters and clerks as the hall file gives them ------------------------------


def insert_category(conn: Conn, code: str, prefix: str, name: str, name_en: str, pos: int) -> None:
    conn.execute(
        "INSERT INTO categories(code, prefix, name, name_en, position) VALUES (?,?,?,?,?)",
        (code, prefix, name, name_en, pos),
    )


def insert_service(
    conn: Conn,
    code: str,
    name: str,
    name_en: str,
    category: str,
    daily_limit: int | None,
    pinyin: str,
    pos: int,
) -> None:
    conn.execute(
        "INSERT INTO services(code, name, name_en, category, daily_limit, pinyin, position)"
        " VALUES (?,?,?,?,?,?,?)",
        (code, name, name_en, category, daily_limit, pinyin, pos),
    )


def put_counter(
    conn: Conn, number: int, name: str, assigned: str | None, services: str | None, overwrite: bool
) -> None:
    """Add a counter; with `overwrite`, an existing one takes this name and assignment."""
    conflict = (
        "DO UPDATE SET name = excluded.name, assigned = excluded.assigned,"
        " services = excluded.services"
        if overwrite
        else "DO NOTHING"
    )
    conn.execute(
        "INSERT INTO counters(number, name, assigned, services) VALUES (?,?,?,?)"
        f" ON CONFLICT(number) {conflict}",
        (number, name, assigned, services),
    )


def clerk_ids(conn: Conn) -> set[str]:
    return {r[0] for r in conn.execute("SELECT id FROM clerks")}


def insert_clerk(conn: Conn, clerk_id: str, name: str, pin_hash: str, created_at: str) -> None:
    conn.execute(
        "INSERT INTO clerks(id, name, pin_hash, created_at) VALUES (?,?,?,?)",
        (clerk_id, name, pin_hash, created_at),
    )


def clerk(conn: Conn, clerk_id: str) -> Row | None:
    return conn.execute("SELECT * FROM clerks WHERE id = ?", (clerk_id,)).fetchone()


def clerk_name(conn: Conn, clerk_id: str) -> str | None:
    row = conn.execute("SELECT name FROM clerks WHERE id = ?", (clerk_id,)).fetchone()
    return None if row is None else str(row[0])


def pin_hashes(conn: Conn) -> list[str]:
    return [r[0] for r in conn.execute("SELECT pin_hash FROM clerks")]


# -- tickets ------------------------------------------------------------------------------------


def ticket(conn: Conn, ticket_id: int) -> Row | None:
    return conn.execute("SELECT * FROM tickets WHERE id = ?", (ticket_id,)).fetchone()


def ticket_by_number(conn: Conn, day: str, number: str) -> Row | None:
    return conn.execute(
        "SELECT * FROM tickets WHERE day = ? AND number = ?", (day, number)
    ).fetchone()


def tickets(conn: Conn, ids: Iterable[int]) -> list[Row]:
    ids = list(ids)
    if not ids:
        return []
    return conn.execute(f"SELECT * FROM tickets WHERE id IN ({_marks(ids)})", ids).fetchall()


def waiting_tickets(conn: Conn, day: str) -> list[Row]:
    """What the in-memory waiting queue is built from."""
    return conn.execute(
        "SELECT id, service, category, priority, order_at, order_no, reserved_counter FROM tickets"
        " WHERE day = ? AND state = 'waiting'",
        (day,),
    ).fetchall()


def last_order_no(conn: Conn, day: str) -> int:
    row = conn.execute("SELECT max(order_no) FROM tickets WHERE day = ?", (day,)).fetchone()
    return int(row[0] or 0)


def recent_service_times(conn: Conn, day: str, count: int) -> list[float]:
    """The day's last `count` service times, the oldest first."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT service_s FROM (SELECT service_s, finished_at FROM tickets WHERE day = ?"
            " AND state = 'done' AND service_s IS NOT NULL ORDER BY finished_at DESC LIMIT ?)"
            " ORDER BY finished_at",
            (day, count),
        )
    ]


def pending_due(conn: Conn, day: str, cutoff: float) -> list[Row]:
    """Pending tickets issued at or before `cutoff` (POSIX seconds)."""
    return conn.execute(
        "SELECT * FROM tickets WHERE day = ? AND state = 'pending' AND order_at <= ? ORDER BY id",
        (day, cutoff),
    ).fetchall()


def tickets_in_state(conn: Conn, day: str, state: str) -> list[Row]:
    """The day's tickets in `state`, the latest called first."""
    return conn.execute(
        "SELECT * FROM tickets WHERE day = ? AND state = ? ORDER BY called_at DESC, id DESC",
        (day, state),
    ).fetchall()


def tickets_of_service(conn: Conn, day: str, service: str) -> int:
    """The day's tickets of one service, all but the cancelled (its daily limit counts them)."""
    return int(
        conn.execute(
            "SELECT count(*) FROM tickets WHERE day = ? AND service = ? AND state != 'cancelled'",
            (day, service),
        ).fetchone()[0]
    )


def tickets_per_service(conn: Conn, day: str, waiting_only: bool) -> dict[str, int]:
    """The day's tickets per service: all but the cancelled, or only the waiting ones."""
    which = "state = 'waiting'" if waiting_only else "state != 'cancelled'"
    return {
        r[0]: r[1]
        for r in conn.execute(
            f"SELECT service, count(*) FROM tickets WHERE day = ? AND {which} GROUP BY service",
            (day,),
        )
    }


def next_number(conn: Conn, day: str, prefix: str) -> int:
    """The next ticket number of `prefix` today (1 for the first)."""
    return int(
        conn.execute(
            "INSERT INTO number_seq(day, prefix, last) VALUES (?, ?, 1)"
            " ON CONFLICT(day, prefix) DO UPDATE SET last = last + 1 RETURNING last",
            (day, prefix),
        ).fetchone()[0]
    )


def insert_ticket(conn: Conn, ticket: Mapping[str, Any]) -> int:
    """A new ticket from its column values; returns its id."""
    cursor = conn.execute(
        f"INSERT INTO tickets({', '.join(ticket)}) VALUES ({_marks(list(ticket))})",
        tuple(ticket.values()),
    )
    return int(cursor.lastrowid or 0)


def update_ticket(conn: Conn, ticket_id: int, changes: Mapping[str, Any]) -> Row:
    """Change a ticket; returns the updated row (RETURNING: one statement fewer per step)."""
    return conn.execute(
        f"UPDATE tickets SET {_sets(changes)} WHERE id = ? RETURNING *",
        (*changes.values(), ticket_id),
    ).fetchall()[0]


def log_ticket(
    conn: Conn,
    ticket_id: int,
    day: str,
    at: str,
    action: str,
    state: str,
    counter: int | None = None,
    clerk_id: str | None = None,
    detail: str | None = None,
) -> None:
    conn.execute(
        "INSERT INTO ticket_log(ticket_id, day, at, action, state, counter, clerk_id, detail)"
        " VALUES (?,?,?,?,?,?,?,?)",
        (ticket_id, day, at, action, state, counter, clerk_id, detail),
    )


def mark_last_log_started(conn: Conn, started: bool) -> None:
    """On the ticket_log row just written (a finish): whether the clerk had pressed start."""
    conn.execute(
        "UPDATE ticket_log SET started = ? WHERE id = last_insert_rowid()", (int(started),)
    )


def open_tickets_before(conn: Conn, states: Sequence[str], day: str) -> list[Row]:
    return conn.execute(
        f"SELECT id, day FROM tickets WHERE state IN ({_marks(states)}) AND day < ?",
        (*states, day),
    ).fetchall()


def log_expired(conn: Conn, rows: Iterable[Row], at: str, action: str, state: str) -> None:
    conn.executemany(
        "INSERT INTO ticket_log(ticket_id, day, at, action, state) VALUES (?,?,?,?,?)",
        [(row["id"], row["day"], at, action, state) for row in rows],
    )


def expire_before(conn: Conn, states: Sequence[str], day: str, state: str) -> None:
    conn.execute(
        f"UPDATE tickets SET state = ?, reserved_counter = NULL"
        f" WHERE state IN ({_marks(states)}) AND day < ?",
        (state, *states, day),
    )


def insert_call(conn: Conn, day: str, ticket_id: int, counter: int, at: str, recall: bool) -> None:
    conn.execute(
        "INSERT INTO calls(day, ticket_id, counter, at, recall) VALUES (?,?,?,?,?)",
        (day, ticket_id, counter, at, int(recall)),
    )


def recent_calls(conn: Conn, day: str, limit: int) -> list[Row]:
    """The day's latest calls, the latest first, each with its ticket's columns."""
    return conn.execute(
        "SELECT c.counter, c.at, c.recall, t.* FROM calls c JOIN tickets t ON t.id = c.ticket_id"
        " WHERE c.day = ? ORDER BY c.id DESC LIMIT ?",
        (day, limit),
    ).fetchall()


def rated(conn: Conn, ticket_id: int) -> bool:
    return (
        conn.execute("SELECT 1 FROM ratings WHERE ticket_id = ?", (ticket_id,)).fetchone()
        is not None
    )


def insert_rating(
    conn: Conn,
    ticket_id: int,
    day: str,
    at: str,
    level: str,
    counter: int | None,
    clerk_id: str | None,
) -> None:
    conn.execute(
        "INSERT INTO ratings(ticket_id, day, at, level, counter, clerk_id) VALUES (?,?,?,?,?,?)",
        (ticket_id, day, at, level, counter, clerk_id),
    )


# -- counters -----------------------------------------------------------------------------------


def counter(conn: Conn, number: int | None) -> Row | None:
    return conn.execute("SELECT * FROM counters WHERE number = ?", (number,)).fetchone()


def counters(conn: Conn) -> list[Row]:
    return conn.execute("SELECT * FROM counters ORDER BY number").fetchall()


def counter_services(conn: Conn) -> list[Row]:
    """Every counter's number and service list (JSON text; NULL: all services)."""
    return conn.execute("SELECT number, services FROM counters ORDER BY number").fetchall()


def counter_states(conn: Conn) -> list[Row]:
    """What the wait figures need of each counter besides its service list."""
    return conn.execute(
        "SELECT number, name, state, priority_streak FROM counters ORDER BY number"
    ).fetchall()


def update_counter(conn: Conn, number: int, changes: Mapping[str, Any]) -> Row | None:
    """Change a counter; returns the updated row (None: no such counter)."""
    return conn.execute(
        f"UPDATE counters SET {_sets(changes)} WHERE number = ? RETURNING *",
        (*changes.values(), number),
    ).fetchone()


def update_all_counters(conn: Conn, changes: Mapping[str, Any]) -> None:
    conn.execute(f"UPDATE counters SET {_sets(changes)}", tuple(changes.values()))


def open_counter_numbers(conn: Conn) -> list[int]:
    return [r[0] for r in conn.execute("SELECT number FROM counters WHERE state != 'closed'")]


def idle_counters_of(conn: Conn, clerk_id: str, besides: int) -> list[int]:
    """The other counters where this clerk is logged in with no ticket in hand."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT number FROM counters WHERE clerk_id = ? AND number != ? AND ticket_id IS NULL",
            (clerk_id, besides),
        )
    ]


def log_counter(
    conn: Conn,
    day: str,
    at: str,
    number: int,
    clerk_id: str | None,
    state: str,
    pause_reason: str | None = None,
) -> None:
    conn.execute(
        "INSERT INTO counter_log(day, at, counter, clerk_id, state, pause_reason)"
        " VALUES (?,?,?,?,?,?)",
        (day, at, number, clerk_id, state, pause_reason),
    )


# -- the catalog --------------------------------------------------------------------------------


def category_codes(conn: Conn) -> list[str]:
    return [r[0] for r in conn.execute("SELECT code FROM categories ORDER BY position")]


def category(conn: Conn, code: str) -> Row | None:
    return conn.execute("SELECT * FROM categories WHERE code = ?", (code,)).fetchone()


def service(conn: Conn, code: str, active_only: bool) -> Row | None:
    sql = "SELECT * FROM services WHERE code = ?" + (" AND active = 1" if active_only else "")
    return conn.execute(sql, (code,)).fetchone()


def active_categories(conn: Conn) -> list[Row]:
    return conn.execute(
        "SELECT * FROM categories WHERE code IN (SELECT category FROM services WHERE active = 1)"
        " ORDER BY position, code"
    ).fetchall()


def active_services(conn: Conn) -> list[Row]:
    return conn.execute(
        "SELECT * FROM services WHERE active = 1 ORDER BY position, code"
    ).fetchall()


def service_names(conn: Conn, code: str) -> Row | None:
    """A service's names and its category's, for a ticket's web page."""
    return conn.execute(
        "SELECT s.name, s.name_en, c.name AS cat_name, c.name_en AS cat_name_en"
        " FROM services s JOIN categories c ON c.code = s.category WHERE s.code = ?",
        (code,),
    ).fetchone()


# -- kiosks, events, requests -------------------------------------------------------------------


def kiosk(conn: Conn, client: str) -> Row | None:
    return conn.execute(
        "SELECT printer, message FROM kiosks WHERE client = ?", (client,)
    ).fetchone()


def put_kiosk(conn: Conn, kiosk: Mapping[str, Any]) -> None:
    conn.execute(
        "INSERT INTO kiosks(client, printer, message, at) VALUES (:client, :printer, :message, :at)"
        " ON CONFLICT(client) DO UPDATE SET printer = excluded.printer, message = excluded.message,"
        " at = excluded.at",
        kiosk,
    )


def latest_kiosks(conn: Conn, limit: int) -> list[Row]:
    """The `limit` kiosks heard from last, by name."""
    return conn.execute(
        "SELECT * FROM (SELECT client, printer, message, at FROM kiosks"
        " ORDER BY at DESC, client LIMIT ?) ORDER BY client",
        (limit,),
    ).fetchall()


def insert_events(conn: Conn, rows: Iterable[tuple[int, str, str, str]]) -> None:
    """Events as (seq, at, name, frame text)."""
    conn.executemany("INSERT INTO events(seq, at, name, data) VALUES (?,?,?,?)", rows)


def answered_request(conn: Conn, client: str, day: str, req: str | None) -> Row | None:
    """The op and result stored for an idempotent request, if it was applied already."""
    return conn.execute(
        "SELECT op, result FROM requests WHERE client = ? AND day = ? AND req = ?",
        (client, day, req),
    ).fetchone()


def keep_answer(conn: Conn, client: str, day: str, req: str | None, op: str, result: str) -> None:
    conn.execute(
        "INSERT INTO requests(client, day, req, op, result) VALUES (?,?,?,?,?)",
        (client, day, req, op, result),
    )


def forget_before(conn: Conn, day: str, events_from: str) -> None:
    """At the day reset: earlier days' answered requests, every kiosk, events before `events_from`."""
    conn.execute("DELETE FROM requests WHERE day < ?", (day,))
    conn.execute("DELETE FROM kiosks")
    conn.execute("DELETE FROM events WHERE at < ?", (events_from,))
