"""The order in which counters take waiting tickets.

Priority tickets go before normal ones, each by order time (issue time, kept on
transfer; the reactivation time after a no-show is reactivated). After three
priority tickets in a row taken by `call_next` at one counter, the oldest normal
ticket goes next, so normal residents are never starved. A counter sees only the
services it serves, plus tickets reserved for it by a transfer.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field

PRIORITY_STREAK_LIMIT = 3


@dataclass(frozen=True, slots=True)
class QueuedTicket:
    id: int
    service: str
    priority: bool
    order_at: float  # seconds since the epoch
    reserved_counter: int | None = None
    order_no: int = 0  # the order of issue (or reactivation) in the day: breaks ties in order_at
    # (order_at, order_no, id), built once: lanes compare tickets thousands of times a second.
    key: tuple[float, int, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", (self.order_at, self.order_no, self.id))

    def __lt__(self, other: QueuedTicket) -> bool:
        return self.key < other.key


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
    priority = sorted((t for t in eligible if t.priority), key=lambda t: t.key)
    normal = sorted((t for t in eligible if not t.priority), key=lambda t: t.key)
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
    """How many waiting tickets of the new ticket's service queue the call order puts before it.

    Within one service queue the order is priority first, then order time; the
    anti-starvation rule depends on which counter calls, so it is not counted here.
    Tickets reserved for one counter by a transfer are in that counter's queue, not here.
    """
    key = (not new.priority, new.key)
    return sum(
        1
        for t in waiting
        if t.service == new.service
        and t.reserved_counter is None
        and t.id != new.id
        and (not t.priority, t.key) < key
    )


class WaitingQueue:
    """Today's waiting tickets in memory, indexed so the call order costs the same at any size.

    Each service has two lanes (priority, normal) and each counter two lanes for the
    tickets reserved for it; a lane is a list of tickets sorted by their key (order time,
    order number, id), and `next_for` looks only at lane heads. Two more lanes hold every
    unreserved ticket, so a counter that serves every service (the usual one-window hall)
    looks at two heads however many services the catalog has. The database stays the truth:
    the service rebuilds this from it at start-up and whenever a transaction fails.
    """

    def __init__(self, tickets: Iterable[tuple[QueuedTicket, str]] = ()) -> None:
        self._tickets: dict[int, tuple[QueuedTicket, str]] = {}
        self._lanes: dict[tuple[str, str | int, bool], list[QueuedTicket]] = {}
        self._any: dict[bool, list[QueuedTicket]] = {True: [], False: []}  # every unreserved one
        self._counts: dict[str, int] = {}
        for ticket, category in tickets:
            self.add(ticket, category)

    def __len__(self) -> int:
        return len(self._tickets)

    def __contains__(self, ticket_id: object) -> bool:
        return ticket_id in self._tickets

    def get(self, ticket_id: int) -> QueuedTicket | None:
        entry = self._tickets.get(ticket_id)
        return entry[0] if entry else None

    @staticmethod
    def _lane_key(t: QueuedTicket) -> tuple[str, str | int, bool]:
        if t.reserved_counter is not None:
            return ("counter", t.reserved_counter, t.priority)
        return ("service", t.service, t.priority)

    def add(self, ticket: QueuedTicket, category: str) -> None:
        if ticket.id in self._tickets:
            self.remove(ticket.id)
        self._tickets[ticket.id] = (ticket, category)
        bisect.insort(self._lanes.setdefault(self._lane_key(ticket), []), ticket)
        if ticket.reserved_counter is None:
            bisect.insort(self._any[ticket.priority], ticket)
        self._counts[category] = self._counts.get(category, 0) + 1

    def remove(self, ticket_id: int) -> tuple[QueuedTicket, str] | None:
        entry = self._tickets.pop(ticket_id, None)
        if entry is None:
            return None
        ticket, category = entry
        lane = self._lanes[self._lane_key(ticket)]
        del lane[bisect.bisect_left(lane, ticket)]
        if ticket.reserved_counter is None:
            lane = self._any[ticket.priority]
            del lane[bisect.bisect_left(lane, ticket)]
        self._counts[category] -= 1
        return entry

    def clear(self) -> None:
        self._tickets.clear()
        self._lanes.clear()
        self._any = {True: [], False: []}
        self._counts.clear()

    def counts(self) -> dict[str, int]:
        """Waiting tickets per category."""
        return {k: v for k, v in self._counts.items() if v}

    def _lanes_for(
        self, counter: int, services: frozenset[str] | None, priority: bool
    ) -> list[list[QueuedTicket]]:
        lanes = []
        own = self._lanes.get(("counter", counter, priority))
        if own:
            lanes.append(own)
        if services is None:
            if self._any[priority]:
                lanes.append(self._any[priority])
        else:
            lanes += [lane for s in services if (lane := self._lanes.get(("service", s, priority)))]
        return lanes

    def order_for(
        self,
        counter: int,
        services: frozenset[str] | None,
        priority_streak: int = 0,
        limit: int | None = None,
    ) -> list[QueuedTicket]:
        """The tickets `counter` would take, in call order (the same rule as `call_order`)."""
        priority = heapq.merge(*self._lanes_for(counter, services, True))
        normal = heapq.merge(*self._lanes_for(counter, services, False))
        next_p, next_n = next(priority, None), next(normal, None)
        order: list[QueuedTicket] = []
        streak = priority_streak
        while (next_p or next_n) and (limit is None or len(order) < limit):
            if next_p and (streak < PRIORITY_STREAK_LIMIT or not next_n):
                order.append(next_p)
                next_p, streak = next(priority, None), streak + 1
            else:
                assert next_n is not None
                order.append(next_n)
                next_n, streak = next(normal, None), 0
        return order

    def place_for(
        self,
        ticket: QueuedTicket,
        counter: int,
        services: frozenset[str] | None,
        priority_streak: int = 0,
    ) -> int | None:
        """How many tickets `counter` takes before `ticket` (its index in `order_for`), or None
        when the counter may not take it. Counts lane positions only, at any queue length; a
        ticket not in the queue yet gets the place it would take there."""
        if not may_serve(ticket, counter, services):
            return None
        lanes = {p: self._lanes_for(counter, services, p) for p in (True, False)}
        before = {p: sum(bisect.bisect_left(lane, ticket) for lane in lanes[p]) for p in lanes}
        total = {p: sum(len(lane) for lane in lanes[p]) for p in lanes}
        first_run = max(0, PRIORITY_STREAK_LIMIT - priority_streak)  # priorities before a normal
        if ticket.priority:
            taken = before[True]
            normals = 0 if taken < first_run else (taken - first_run) // PRIORITY_STREAK_LIMIT + 1
            return taken + min(total[False], normals)
        taken = before[False]
        return taken + min(total[True], first_run + PRIORITY_STREAK_LIMIT * taken)

    def has_reserved(self, counter: int) -> bool:
        """Whether tickets wait that were transferred to `counter` alone."""
        return bool(
            self._lanes.get(("counter", counter, True))
            or self._lanes.get(("counter", counter, False))
        )

    def count_for(self, counter: int, services: frozenset[str] | None) -> int:
        """How many waiting tickets `counter` may take."""
        return sum(
            len(lane) for p in (True, False) for lane in self._lanes_for(counter, services, p)
        )

    def next_for(
        self, counter: int, services: frozenset[str] | None, priority_streak: int = 0
    ) -> QueuedTicket | None:
        """The ticket `call_next` takes now; only lane heads are looked at."""
        heads_p = [lane[0] for lane in self._lanes_for(counter, services, True)]
        heads_n = [lane[0] for lane in self._lanes_for(counter, services, False)]
        if heads_p and (priority_streak < PRIORITY_STREAK_LIMIT or not heads_n):
            return min(heads_p)
        if heads_n:
            return min(heads_n)
        return None

    def ahead(self, new: QueuedTicket) -> int:
        """Waiting tickets of `new`'s service queue that the call order puts before it."""
        priority_lane = self._lanes.get(("service", new.service, True), [])
        if new.priority:
            return bisect.bisect_left(priority_lane, new)
        normal_lane = self._lanes.get(("service", new.service, False), [])
        return len(priority_lane) + bisect.bisect_left(normal_lane, new)
