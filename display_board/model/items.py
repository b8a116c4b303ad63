"""What the board reads from the hall: calls, counters, departments and kiosks, checked.

The server's snapshot, catalog and events are plain JSON objects; the board keeps only the
few fields it draws, as small frozen records. Every read goes through `require` so a
missing field or a wrong type becomes a `BoardDataError` naming where it was, and
`parse_each` skips (and logs) one unreadable item instead of losing a whole snapshot: a
counter or kiosk in a state this board does not know (a newer server) hides only itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from shared.domain.errors import QueueHallError
from shared.domain.vocabulary import COUNTER_STATES, PRINTER_NEEDS_STAFF, PRINTER_STATES

log = logging.getLogger(__name__)

T = TypeVar("T")


class BoardDataError(QueueHallError, ValueError):
    """A snapshot, event or catalog from the server lacks a field or has one of the wrong type."""


@dataclass(frozen=True)
class Call:
    """One call of a ticket to a counter, as the board shows and announces it."""

    ticket_id: int
    number: str
    counter: int
    at: str
    recall: bool = False
    state: str = "called"  # the ticket's state when the board last heard of it
    calls: int = 1  # how often the ticket had been called (recalls included) by then


@dataclass(frozen=True)
class CounterStatus:
    """One counter's state: closed, open (idle or holding `ticket`), or paused."""

    number: int
    name: str
    state: str = "closed"
    ticket: str | None = None  # the number of the ticket held (called or serving)
    ticket_state: str | None = None
    clerk: str | None = None
    services: frozenset[str] | None = None  # the matters it serves; None: every matter

    @property
    def calling(self) -> bool:
        return self.ticket is not None and self.ticket_state == "called"


@dataclass(frozen=True)
class Department:
    """A department (ticket category): its code, ticket prefix and names."""

    code: str
    prefix: str
    name: str
    name_en: str = ""


@dataclass(frozen=True)
class KioskStatus:
    """A kiosk's printer state, as the kiosk last reported it."""

    client: str
    printer: str
    message: str = ""
    at: str = ""
    name: str = ""  # the friendly name from the hall file ("东门取号机"), if any

    @property
    def needs_attention(self) -> bool:
        return self.printer in PRINTER_NEEDS_STAFF


def require(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(data, Mapping):
        raise BoardDataError(f"{where} must be an object, not {type(data).__name__}")
    if key not in data:
        raise BoardDataError(f"{where} has no {key!r}")
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise BoardDataError(f"{where}: {key!r} has the wrong type ({type(value).__name__})")
    return value


def optional_text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def parse_call(data: Mapping[str, Any], where: str = "call") -> Call:
    """A Call from a protocol Call object or a `ticket_called` event's data."""
    ticket = require(data, "ticket", Mapping, where)
    counter = require(data, "counter", int, where)
    at = data.get("at") or ticket.get("called_at") or ""
    calls = ticket.get("calls")
    return Call(
        ticket_id=require(ticket, "id", int, f"{where} ticket"),
        number=require(ticket, "number", str, f"{where} ticket"),
        counter=counter,
        at=at if isinstance(at, str) else "",
        recall=bool(data.get("recall", False)),
        state=optional_text(ticket, "state") or "called",
        calls=calls if isinstance(calls, int) and not isinstance(calls, bool) else 1,
    )


def parse_counter(data: Mapping[str, Any], where: str = "counter") -> CounterStatus:
    """A CounterStatus from a protocol Counter object."""
    number = require(data, "number", int, where)
    state = require(data, "state", str, where)
    if state not in COUNTER_STATES:
        raise BoardDataError(f"{where} {number}: unknown state {state!r}")
    name = data.get("name")
    ticket = data.get("ticket")
    clerk = data.get("clerk")
    if ticket is not None:
        require(ticket, "number", str, f"{where} {number} ticket")
    return CounterStatus(
        number=number,
        name=name if isinstance(name, str) and name else f"{number}",
        state=state,
        ticket=ticket["number"] if ticket else None,
        ticket_state=optional_text(ticket, "state") if ticket else None,
        clerk=(optional_text(clerk, "name") or None) if isinstance(clerk, Mapping) else None,
        services=_services(data.get("services")),
    )


def _services(value: Any) -> frozenset[str] | None:
    if isinstance(value, list):
        return frozenset(code for code in value if isinstance(code, str))
    return None  # "all" (or a form this board does not know: show the counter everywhere)


def parse_kiosk(data: Mapping[str, Any], where: str = "kiosk") -> KioskStatus:
    """A KioskStatus from a `kiosk_changed` event's kiosk or a snapshot's kiosks entry."""
    client = require(data, "client", str, where)
    printer = require(data, "printer", str, where)
    if printer not in PRINTER_STATES:
        raise BoardDataError(f"{where} {client}: unknown printer state {printer!r}")
    return KioskStatus(
        client,
        printer,
        optional_text(data, "message"),
        optional_text(data, "at"),
        optional_text(data, "name"),
    )


def parse_waiting(data: Any, where: str = "waiting") -> dict[str, int]:
    """Department counts; a count that is not a number is skipped and logged."""
    if not isinstance(data, Mapping):
        raise BoardDataError(f"{where} must be an object of department counts")
    counts = {}
    for code, count in data.items():
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            log.warning("%s: skipped the count of %r, not a number (%.80r)", where, code, count)
            continue
        counts[str(code)] = count
    return counts


def parse_each(parse: Callable[[Any, str], T], items: Iterable[Any], where: str) -> list[T]:
    """Every item `parse` can read; one it cannot read is skipped and logged, not fatal."""
    parsed = []
    for item in items:
        try:
            parsed.append(parse(item, where))
        except BoardDataError as error:
            log.warning("skipped an unreadable %s: %s", where, error)
    return parsed
