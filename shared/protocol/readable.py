"""Whether one protocol object from the server can be used: the clients' item checks.

A client meeting an item it cannot read (a missing field, a state from a newer server)
skips that item and logs why, and keeps the rest of the snapshot, event or reply.
`problem_of_*` returns None for a usable item, else what is wrong with it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from shared.domain.vocabulary import COUNTER_STATES, PRINTER_STATES, TICKET_STATES


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def problem_of_ticket(ticket: Any) -> str | None:
    if not isinstance(ticket, dict):
        return f"a ticket must be an object, not {type(ticket).__name__}"
    if not _is_int(ticket.get("id")):
        return "a ticket without a whole-number 'id'"
    if not isinstance(ticket.get("number"), str):
        return f"ticket {ticket['id']} has no 'number' text"
    if ticket.get("state") not in TICKET_STATES:
        return f"ticket {ticket['id']} has an unknown state {ticket.get('state')!r:.40}"
    return None


def problem_of_counter(counter: Any) -> str | None:
    if not isinstance(counter, dict):
        return f"a counter must be an object, not {type(counter).__name__}"
    if not _is_int(counter.get("number")):
        return "a counter without a whole-number 'number'"
    if counter.get("state") not in COUNTER_STATES:
        return f"counter {counter['number']} has an unknown state {counter.get('state')!r:.40}"
    ticket = counter.get("ticket")
    if ticket is not None and (problem := problem_of_ticket(ticket)):
        return f"counter {counter['number']}: {problem}"
    return None


def problem_of_kiosk(kiosk: Any) -> str | None:
    if not isinstance(kiosk, dict):
        return f"a kiosk must be an object, not {type(kiosk).__name__}"
    if not isinstance(kiosk.get("client"), str):
        return "a kiosk without a 'client' name"
    if kiosk.get("printer") not in PRINTER_STATES:
        return (
            f"kiosk {kiosk['client']:.64} has an unknown printer state {kiosk.get('printer')!r:.40}"
        )
    return None


def problem_of_catalog_entry(entry: Any) -> str | None:
    """A catalog category or service: it needs a 'code' and a 'name' text."""
    if not isinstance(entry, dict):
        return f"a catalog entry must be an object, not {type(entry).__name__}"
    for key in ("code", "name"):
        if not isinstance(entry.get(key), str) or not entry[key]:
            return f"a catalog entry without a '{key}' text"
    for key in ("waiting",):
        if key in entry and not (_is_int(entry[key]) and entry[key] >= 0):
            return f"catalog entry {entry['code']:.64} has a bad {key!r} ({entry[key]!r:.40})"
    return None


def problem_of_service(service: Any) -> str | None:
    """A catalog service: a catalog entry that names its category."""
    problem = problem_of_catalog_entry(service)
    if problem is None and not isinstance(service.get("category"), str):
        problem = f"matter {service['code']:.64} names no 'category'"
    return problem


def readable(
    items: Any,
    problem_of: Callable[[Any], str | None],
    where: str,
    log: logging.Logger,
) -> list[Any]:
    """The items `problem_of` finds nothing wrong with; each other one is logged and skipped."""
    if not isinstance(items, list | tuple):
        if items is not None:
            log.warning("%s: expected a list of items, got %s", where, type(items).__name__)
        return []
    kept = []
    for item in items:
        problem = problem_of(item)
        if problem is None:
            kept.append(item)
        else:
            log.warning("%s: skipped an item this client cannot read: %s", where, problem)
    return kept
