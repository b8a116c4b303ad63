"""The protocol's objects (Ticket, Counter, Kiosk, ticket views...) made from database rows.

docs/protocol.md defines what each object holds; these functions are the one place that
turns rows into them, so every reply and event shows a ticket or a counter alike. They
read nothing: whatever a row does not hold (a clerk's name, the held ticket) is given.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from shared.config.hall import HallConfig


def ticket_json(row: sqlite3.Row) -> dict[str, Any]:
    """The Ticket object."""
    return {
        "id": row["id"],
        "number": row["number"],
        "service": row["service"],
        "category": row["category"],
        "priority": bool(row["priority"]),
        "state": row["state"],
        "issued_at": row["issued_at"],
        "called_at": row["called_at"],
        "counter": row["counter"],
        "calls": row["calls"],
    }


def counter_json(
    row: sqlite3.Row, clerk_name: str | None, ticket: dict[str, Any] | None
) -> dict[str, Any]:
    """The Counter object; `ticket` is its held ticket's object (ignored when it holds none)."""
    clerk = {"id": row["clerk_id"], "name": clerk_name} if row["clerk_id"] else None
    return {
        "number": row["number"],
        "name": row["name"],
        "state": row["state"],
        "clerk": clerk,
        "ticket": ticket if row["ticket_id"] else None,
        "services": json.loads(row["services"]) if row["services"] else "all",
        "pause_reason": row["pause_reason"],
    }


def kiosk_json(kiosk: Mapping[str, Any], config: HallConfig) -> dict[str, Any]:
    """A Kiosk object; `name` is the friendly name the hall file gives it, if any."""
    name = dict(config.kiosk_names).get(kiosk["client"])
    return {**kiosk, "name": name} if name else dict(kiosk)


def call_json(row: sqlite3.Row) -> dict[str, Any]:
    """One of the snapshot's recent calls, from a calls row joined with its ticket's."""
    return {
        "ticket": ticket_json(row),
        "counter": row["counter"],
        "at": row["at"],
        "recall": bool(row["recall"]),
    }


def category_json(row: sqlite3.Row, waiting: int) -> dict[str, Any]:
    return {
        "code": row["code"],
        "prefix": row["prefix"],
        "name": row["name"],
        "name_en": row["name_en"],
        "waiting": waiting,
    }


def service_json(
    row: sqlite3.Row, waiting: int, issued: int, issuing: bool, counters: list[int] | None
) -> dict[str, Any]:
    """A catalog Service; `issued` today counts against its daily limit."""
    limit = row["daily_limit"]
    full = limit is not None and issued >= limit
    return {
        "code": row["code"],
        "name": row["name"],
        "name_en": row["name_en"],
        "category": row["category"],
        "pinyin": row["pinyin"],
        "waiting": waiting,
        "open": issuing and not full,
        "daily_limit": limit,
        "full": full,
        "counters": counters,
    }


def hours_json(config: HallConfig) -> dict[str, Any]:
    return {
        "open": f"{config.open_time:%H:%M}" if config.open_time else None,
        "close": f"{config.close_time:%H:%M}" if config.close_time else None,
        "weekdays": [d + 1 for d in sorted(config.open_weekdays)],
    }


def catalog_version(
    hall: str, categories: Iterable[Mapping[str, Any]], rows: Iterable[sqlite3.Row]
) -> str:
    """A fingerprint of the active catalog (not its counts): pages of one version belong together."""
    fields = ("code", "name", "name_en", "category", "pinyin", "daily_limit")
    static = [
        hall,
        [[c[k] for k in ("code", "prefix", "name", "name_en")] for c in categories],
        [[r[k] for k in fields] for r in rows],
    ]
    digest = hashlib.sha256(json.dumps(static, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()[:16]


def ticket_view_json(
    token: str, row: sqlite3.Row, names: sqlite3.Row | None, counter_name: str | None
) -> dict[str, Any]:
    """A ticket's web view before its place in the queue is filled in."""
    return {
        "token": token,
        "status": "ok",
        "ticket": ticket_json(row),
        "service_name": names["name"] if names else row["service"],
        "service_name_en": names["name_en"] if names else row["service"],
        "category_name": names["cat_name"] if names else row["category"],
        "category_name_en": names["cat_name_en"] if names else row["category"],
        "ahead": None,
        "est_wait_s": None,
        "counter_name": counter_name,
    }
