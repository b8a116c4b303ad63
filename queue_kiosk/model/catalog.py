"""The catalog as the kiosk shows it: departments and matters read from a `catalog` reply.

The server's reply is checked entry by entry (shared.protocol.readable): one bad entry is
logged and left out, the rest still become buttons. Names come in the interface language
when the catalog has them, and a matter served at only a few counters keeps their numbers
for the ticket. The search (part of a name, or pinyin initials) is shared.domain.search.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from shared.domain import search
from shared.protocol.readable import problem_of_catalog_entry, problem_of_service, readable

log = logging.getLogger(__name__)

MAX_NAMED_COUNTERS = 6  # more counters than this: the ticket names none ("any counter")


@dataclass(frozen=True)
class Category:
    code: str
    prefix: str
    name: str
    waiting: int


@dataclass(frozen=True)
class Matter:
    """A service as the kiosk shows it."""

    code: str
    name: str
    category: str
    pinyin: str
    waiting: int
    open: bool
    full: bool
    counters: tuple[int, ...] = ()  # the only counters that serve it; () = any counter


def counter_numbers(value: Any) -> tuple[int, ...]:
    """A catalog service's `counters` (a list of numbers, or null) as the kiosk keeps it."""
    if not isinstance(value, list):
        return ()
    numbers = tuple(n for n in value if isinstance(n, int) and not isinstance(n, bool))
    return numbers if len(numbers) <= MAX_NAMED_COUNTERS else ()


def matter_name(matter: Matter) -> str:
    return matter.name


def matter_pinyin(matter: Matter) -> str:
    return matter.pinyin


def matches_search(matter: Matter, text: str) -> bool:
    """Whether a matter matches what was typed: part of its name, or its pinyin initials."""
    return search.matches(matter.name, matter.pinyin, text)


def search_matters(matters: list[Matter], text: str) -> list[Matter]:
    """The matters that match `text`, best matches first (all of them for no text)."""
    return search.search(matters, text, matter_name, matter_pinyin)


def entry_name(item: dict[str, Any], lang: str) -> str:
    """A department's or matter's name in the interface language (the catalog has both)."""
    if lang == "en" and item.get("name_en"):
        return str(item["name_en"])
    return str(item["name"])


def read_hours(result: dict[str, Any]) -> tuple[str, ...]:
    """The issuing hours ("HH:MM" or "" each) of a `catalog` result: (open, close)."""
    hours = result.get("hours")
    if not isinstance(hours, dict):
        hours = {}
    return tuple(
        str(hours.get(key)) if isinstance(hours.get(key), str) else "" for key in ("open", "close")
    )


def read_categories(result: dict[str, Any], lang: str) -> list[Category]:
    """The departments of a `catalog` result; bad entries are logged and left out."""
    categories = readable(result.get("categories"), problem_of_catalog_entry, "catalog", log)
    return [
        Category(
            str(c["code"]), str(c.get("prefix", "")), entry_name(c, lang), int(c.get("waiting", 0))
        )
        for c in categories
    ]


def read_matters(result: dict[str, Any], lang: str) -> list[Matter]:
    """The matters of a `catalog` result; bad entries are logged and left out."""
    services = readable(result.get("services"), problem_of_service, "catalog", log)
    return [
        Matter(
            code=str(s["code"]),
            name=entry_name(s, lang),
            category=str(s["category"]),
            pinyin=str(s.get("pinyin") or "").lower(),
            waiting=int(s.get("waiting", 0)),
            open=bool(s.get("open", True)),
            full=bool(s.get("full", False)),
            counters=counter_numbers(s.get("counters")),
        )
        for s in services
    ]


def read_waiting_counts(data: dict[str, Any]) -> dict[str, int]:
    """The per-department counts of a `waiting_changed` event; a bad count is logged, skipped."""
    waiting = data.get("waiting")
    waiting = waiting if isinstance(waiting, dict) else {}
    counts = {}
    for code, count in waiting.items():
        if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
            counts[code] = count
        else:
            log.warning("waiting_changed: skipped the count of %.64r (%.40r)", code, count)
    return counts
