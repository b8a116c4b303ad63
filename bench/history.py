"""Fills a hall database fast with direct inserts: a year of history and a pool of waiting tickets."""

from __future__ import annotations

import random
import sqlite3
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from shared.config.hall import Catalog

TZ = ZoneInfo("Asia/Shanghai")


def _services(catalog: Catalog) -> list[tuple[str, str, str]]:
    prefixes = {c.code: c.prefix for c in catalog.categories}
    return [(s.code, s.category, prefixes[s.category]) for s in catalog.services]


def add_history(
    db: Path, catalog: Catalog, tickets: int, days: int, until: date, seed: int = 1
) -> None:
    """`tickets` finished tickets spread over the `days` days before `until`, with their calls."""
    rng = random.Random(seed)
    services = _services(catalog)
    per_day = tickets // days
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    for d in range(days, 0, -1):
        day = until - timedelta(days=d)
        seqs: dict[str, int] = {}
        opening = datetime.combine(day, time(8, 30), TZ)
        rows, calls, logs = [], [], []
        for i in range(per_day):
            code, category, prefix = services[rng.randrange(len(services))]
            seqs[prefix] = seqs.get(prefix, 0) + 1
            issued = opening + timedelta(seconds=i * 30000 / per_day)
            called = issued + timedelta(seconds=rng.randint(60, 1800))
            service_s = rng.randint(120, 900)
            finished = called + timedelta(seconds=service_s)
            counter = rng.randint(1, 24)
            state = "done" if rng.random() > 0.05 else "no_show"
            rows.append(
                (
                    day.isoformat(),
                    f"{prefix}{seqs[prefix]:03d}",
                    prefix,
                    seqs[prefix],
                    code,
                    category,
                    int(rng.random() < 0.05),
                    state,
                    issued.isoformat(timespec="seconds"),
                    issued.timestamp(),
                    issued.isoformat(timespec="seconds"),
                    called.isoformat(timespec="seconds"),
                    finished.isoformat(timespec="seconds"),
                    service_s if state == "done" else None,
                    counter,
                    f"b{counter:02d}",
                )
            )
        cursor = conn.executemany(
            "INSERT INTO tickets(day, number, prefix, seq, service, category, priority, state, issued_at, order_at,"
            " printed_at, called_at, finished_at, service_s, counter, clerk_id, calls)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1)",
            rows,
        )
        del cursor
        first = conn.execute(
            "SELECT min(id) FROM tickets WHERE day = ?", (day.isoformat(),)
        ).fetchone()[0]
        for offset, row in enumerate(rows):
            calls.append((row[0], first + offset, row[14], row[11]))
            logs.append(
                (
                    first + offset,
                    row[0],
                    row[12],
                    "finish" if row[7] == "done" else "no_show",
                    row[7],
                    row[14],
                    row[15],
                )
            )
        conn.executemany("INSERT INTO calls(day, ticket_id, counter, at) VALUES (?,?,?,?)", calls)
        conn.executemany(
            "INSERT INTO ticket_log(ticket_id, day, at, action, state, counter, clerk_id) VALUES (?,?,?,?,?,?,?)",
            logs,
        )
        conn.executemany(
            "INSERT INTO number_seq(day, prefix, last) VALUES (?,?,?)",
            [(day.isoformat(), p, n) for p, n in seqs.items()],
        )
    conn.execute("COMMIT")
    conn.close()


def add_waiting(
    db: Path, catalog: Catalog, count: int, day: date, now: datetime, seed: int = 2
) -> None:
    """`count` waiting tickets of `day`, issued over the hour before `now`."""
    rng = random.Random(seed)
    services = _services(catalog)
    conn = sqlite3.connect(db)
    conn.execute("BEGIN")
    seqs = dict(
        conn.execute(
            "SELECT prefix, last FROM number_seq WHERE day = ?", (day.isoformat(),)
        ).fetchall()
    )
    rows = []
    for i in range(count):
        code, category, prefix = services[rng.randrange(len(services))]
        seqs[prefix] = seqs.get(prefix, 0) + 1
        issued = now - timedelta(seconds=3600 - i * 3600 / count)
        rows.append(
            (
                day.isoformat(),
                f"{prefix}{seqs[prefix]:03d}",
                prefix,
                seqs[prefix],
                code,
                category,
                int(rng.random() < 0.05),
                "waiting",
                issued.isoformat(timespec="seconds"),
                issued.timestamp(),
            )
        )
    conn.executemany(
        "INSERT INTO tickets(day, number, prefix, seq, service, category, priority, state, issued_at, order_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    conn.executemany(
        "INSERT INTO number_seq(day, prefix, last) VALUES (?,?,?)"
        " ON CONFLICT(day, prefix) DO UPDATE SET last = excluded.last",
        [(day.isoformat(), p, n) for p, n in seqs.items()],
    )
    conn.execute("COMMIT")
    conn.close()
