"""The order in which counters take waiting tickets.

Priority tickets go before normal ones, each by order time (issue time, kept on
transfer; the reactivation time after a no-show is reactivated). After three
priority tickets in a row taken by `call_next` at one counter, the oldest normal
ticket goes next, so normal residents are never starved. A counter sees only the
services it serves, plus tickets reserved for it by a transfer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

PRIORITY_STREAK_LIMIT = 3


@dataclass(frozen=True)
class QueuedTicket:
    id: int
    service: str
    priority: bool
    order_at: float  # seconds since the epoch; ties go to the lower id
    reserved_counter: int | None = None


def may_serve(ticket: QueuedTicket, counter: int, services: frozenset[str] | None) -> bool:
    """Whether `counter` (serving `services`, None = all) may take `ticket`."""
    if ticket.reserved_counter is not None:
        return ticket.reserved_counter == counter
    return services is None or ticket.service in services


def call_order(
    waiting: Iterable[QueuedTicket],
    counter: int,
    services: frozenset[str] | None,
    priority_streak: int = 0,
) -> list[QueuedTicket]:
    """Every ticket `counter` may take, in the order successive `call_next`s take them."""
    eligible = [t for t in waiting if may_serve(t, counter, services)]
    priority = sorted((t for t in eligible if t.priority), key=lambda t: (t.order_at, t.id))
    normal = sorted((t for t in eligible if not t.priority), key=lambda t: (t.order_at, t.id))
    order: list[QueuedTicket] = []
    p = n = 0
    streak = priority_streak
    while p < len(priority) or n < len(normal):
        if p < len(priority) and (streak < PRIORITY_STREAK_LIMIT or n >= len(normal)):
            order.append(priority[p])
            p += 1
            streak += 1
        else:
            order.append(normal[n])
            n += 1
            streak = 0
    return order


def next_streak(streak: int, taken: QueuedTicket) -> int:
    """The counter's priority streak after `call_next` took `taken`."""
    return streak + 1 if taken.priority else 0


def ahead_of(new: QueuedTicket, waiting: Iterable[QueuedTicket]) -> int:
    """How many waiting tickets of the new ticket's service the call order puts before it.

    Within one service queue the order is priority first, then order time; the
    anti-starvation rule depends on which counter calls, so it is not counted here.
    """
    key = (not new.priority, new.order_at, new.id)
    return sum(
        1
        for t in waiting
        if t.service == new.service and t.id != new.id and (not t.priority, t.order_at, t.id) < key
    )
