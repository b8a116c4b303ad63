"""What every part of the hall service shares: who asked, what an op did, and the few
primitives that change a ticket or a counter.

The service's op handlers live in modules of their own (tickets, counters, catalog...),
as mixins of `ServiceCore`. Whatever more than one of them needs is here, so that a
ticket moves along its life cycle, a counter changes (and is logged), and a counter
closes in exactly one way.
"""

from __future__ import annotations

import json
import sqlite3
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from shared.config.hall import HallConfig
from shared.domain.call_order import QueuedTicket, WaitingQueue
from shared.domain.clock import Clock, business_day, iso
from shared.domain.errors import ErrorCode, HallError
from shared.domain.estimate import estimate_wait_s, mean_service_s
from shared.domain.lifecycle import (
    TICKET_OPS,
    Action,
    CounterState,
    TicketState,
    TransitionError,
    counter_ops,
    next_state,
)
from shared.domain.numbering import format_number, parse_number
from shared.server import queries, wire
from shared.server.store import HallStore

Event = tuple[str, dict[str, Any]]  # (name, data) as an op makes it
Numbered = tuple[int, str, bytes]  # (seq, name, the event's frame) once stored

# What a closed counter is: nobody logged in, nothing in hand, no pause, no priority streak.
CLOSED_COUNTER: dict[str, Any] = {
    "clerk_id": None,
    "state": CounterState.CLOSED.value,
    "ticket_id": None,
    "pause_reason": None,
    "priority_streak": 0,
}
# A change of one of these goes to counter_log (time logged in and paused is summed from it).
LOGGED_COUNTER_COLUMNS = ("clerk_id", "state", "pause_reason")


@dataclass
class Caller:
    """Who sent a request: the connection's role, client name, counter and logged-in clerk."""

    role: str
    client: str
    counter: int | None = None
    clerk: str | None = None
    source: str | None = None  # the connection's IP address (lockouts are per clerk and address)


@dataclass(frozen=True)
class PinCheck:
    """A login's PIN, already checked off the event loop against the hash read just before."""

    pin_hash: str | None  # None: no such clerk (a dummy hash of the same cost was checked)
    ok: bool


@dataclass(frozen=True)
class CounterView:
    """What the wait figures need of one counter."""

    number: int
    name: str
    state: str
    services: frozenset[str] | None
    streak: int


@dataclass
class Outcome:
    """What one request did: its reply (a result or an error) and the events it caused."""

    result: dict[str, Any] | None = None
    error: HallError | None = None
    events: list[Any] = field(default_factory=list)  # Event while applied, Numbered when returned
    clerk: str | None = None  # set by login / logout so the connection can remember it


def queued(row: sqlite3.Row) -> QueuedTicket:
    """A ticket row as the waiting queue holds it."""
    return QueuedTicket(
        row["id"],
        row["service"],
        bool(row["priority"]),
        row["order_at"],
        row["reserved_counter"],
        row["order_no"],
    )


def refusal(op: str, counter: sqlite3.Row, held: sqlite3.Row | None) -> HallError:
    """Why `counter_ops` does not allow `op` at this counter now, in the clerk's words."""
    action = TICKET_OPS.get(op)
    if action is not None and held is not None:
        return HallError(
            ErrorCode.CONFLICT, str(TransitionError(TicketState(held["state"]), action))
        )
    if action is not None:
        return HallError(
            ErrorCode.CONFLICT, f"'{op}' needs a ticket at the counter; call one first"
        )
    if op in ("call", "call_next") and counter["state"] == CounterState.PAUSED:
        return HallError(ErrorCode.CONFLICT, "the counter is paused; resume it before calling")
    if op == "resume":
        return HallError(ErrorCode.CONFLICT, "the counter is not paused")
    if op == "pause" and held is None:
        return HallError(ErrorCode.CONFLICT, "the counter is already paused")
    if op in ("pause", "logout"):
        doing = "pausing" if op == "pause" else "logging out"
        return HallError(
            ErrorCode.CONFLICT,
            f"finish, transfer or mark no-show the current ticket before {doing}",
        )
    return HallError(ErrorCode.CONFLICT, f"'{op}' is not possible at a {counter['state']} counter")


class ServiceCore:
    """The service's state and the primitives its op handlers share."""

    store: HallStore
    config: HallConfig
    clock: Clock
    hall: str
    seq: int
    queue: WaitingQueue
    undo: list[Callable[[], object]]
    recent_s: deque[float]
    day_now: str  # the business day the in-memory queue belongs to
    order_no: int
    clerk_names: dict[str, str]
    services_parsed: dict[str, frozenset[str]]
    batch_services: dict[int, frozenset[str] | None] | None

    @property
    def conn(self) -> sqlite3.Connection:
        return self.store.conn

    def day(self, now: datetime | None = None) -> str:
        return business_day(now or self.clock.now(), self.config.day_reset).isoformat()

    def next_order_no(self) -> int:
        """Issue order within the day; a reactivated ticket takes a new one (end of its queue)."""
        self.order_no += 1
        return self.order_no

    def issuing_now(self, now: datetime) -> tuple[bool, str]:
        """Whether tickets may be issued now, and why not."""
        cfg = self.config
        if cfg.within_issuing_hours(now):
            return True, ""
        local = cfg.hall_time(now)
        if local.weekday() not in cfg.open_weekdays:
            return False, "the hall is closed today"
        if cfg.open_time and local.time() < cfg.open_time:
            return False, f"tickets are issued from {cfg.open_time:%H:%M}"
        return False, f"tickets are issued until {cfg.close_time:%H:%M}"

    # -- reading --------------------------------------------------------------------------------

    def ticket_row(self, ticket_id: int) -> sqlite3.Row:
        row = queries.ticket(self.conn, ticket_id)
        if row is None:
            raise HallError(ErrorCode.NOT_FOUND, f"ticket {ticket_id} does not exist")
        return row

    def find_ticket(self, ref: int | str, day: str) -> sqlite3.Row:
        """A ticket by id, or by its number today ("A007")."""
        if isinstance(ref, int):
            return self.ticket_row(ref)
        try:
            prefix, seq = parse_number(ref)
        except ValueError as exc:
            raise HallError(ErrorCode.BAD_REQUEST, str(exc)) from None
        row = queries.ticket_by_number(self.conn, day, format_number(prefix, seq))
        if row is None:
            raise HallError(ErrorCode.NOT_FOUND, f"no ticket {ref} today")
        return row

    def counter_row(self, number: int | None) -> sqlite3.Row:
        row = queries.counter(self.conn, number)
        if row is None:
            raise HallError(ErrorCode.NOT_FOUND, f"counter {number} does not exist")
        return row

    def counter_exists(self, number: int) -> bool:
        return queries.counter(self.conn, number) is not None

    def counter_services(self, row: sqlite3.Row) -> frozenset[str] | None:
        """A counter's services (None: all), parsed once per distinct list: a county hall's
        counters name up to 1,000 matters each."""
        text = row["services"]
        if not text:
            return None
        services = self.services_parsed.get(text)
        if services is None:
            if len(self.services_parsed) > 4 * 999:
                self.services_parsed.clear()
            services = self.services_parsed[text] = frozenset(json.loads(text))
        return services

    def clerk_name(self, clerk_id: str) -> str:
        name = self.clerk_names.get(clerk_id)
        if name is None:
            name = queries.clerk_name(self.conn, clerk_id) or clerk_id
            self.clerk_names[clerk_id] = name
        return name

    def counter_json(
        self, row: sqlite3.Row, ticket: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """The Counter object; `ticket` is the held ticket's object when the caller has it."""
        if row["ticket_id"] and (ticket is None or ticket["id"] != row["ticket_id"]):
            ticket = wire.ticket_json(self.ticket_row(row["ticket_id"]))
        clerk = self.clerk_name(row["clerk_id"]) if row["clerk_id"] else None
        return wire.counter_json(row, clerk, ticket)

    def waiting_counts(self) -> dict[str, int]:
        """Waiting tickets per category code (every category, zeros included)."""
        counts = self.queue.counts()
        # The categories are read each time (a few rows): `queue-hall catalog import` may add
        # one while serving.
        return {code: counts.get(code, 0) for code in queries.category_codes(self.conn)}

    def waiting_event(self) -> Event:
        return ("waiting_changed", {"waiting": self.waiting_counts()})

    # -- the wait figures -------------------------------------------------------------------------

    def counter_views(self) -> list[CounterView]:
        """The counters as the wait figures see them; their service lists (up to 1,000 matters
        each in a county hall) are read and parsed once per batch (the transaction sees no
        other writer)."""
        if self.batch_services is None:
            self.batch_services = {
                row["number"]: self.counter_services(row)
                for row in queries.counter_services(self.conn)
            }
        return [
            CounterView(
                r["number"],
                r["name"],
                r["state"],
                self.batch_services.get(r["number"]),
                r["priority_streak"],
            )
            for r in queries.counter_states(self.conn)
        ]

    def estimate(self, service: str, ahead: int, counters: list[CounterView]) -> int:
        serving = open_ = 0
        for counter in counters:
            if counter.services is None or service in counter.services:
                serving += 1
                open_ += counter.state == CounterState.OPEN
        return estimate_wait_s(ahead, mean_service_s(list(self.recent_s)), open_, serving)

    def ahead_in_call_order(self, ticket: QueuedTicket, counters: list[CounterView]) -> int:
        """Waiting tickets that `call_next` takes before this one, at the counter reaching it first.

        The open counters that may take the ticket (its reserved counter, or those serving its
        service) are asked, or all that may take it when none is open; each answers with its
        real call order (service set, priority, its priority streak). A ticket not yet in the
        queue (just issued, not yet printed) gets the place it will take there. Counters alike
        (same services and streak, nothing reserved for them) are asked once.
        """
        places: dict[bool, list[int]] = {True: [], False: []}
        asked: dict[object, int | None] = {}
        for counter in counters:
            alike: object = (
                counter.number
                if self.queue.has_reserved(counter.number)
                else (counter.services, counter.streak)
            )
            if alike not in asked:
                asked[alike] = self.queue.place_for(
                    ticket, counter.number, counter.services, counter.streak
                )
            place = asked[alike]
            if place is not None:
                places[counter.state == CounterState.OPEN].append(place)
        found = places[True] or places[False]
        return min(found) if found else self.queue.ahead(ticket)

    # -- changing tickets and counters ------------------------------------------------------------

    def transition(
        self,
        row: sqlite3.Row,
        action: Action,
        now: datetime,
        caller: Caller | None = None,
        detail: str | None = None,
        **changes: Any,
    ) -> dict[str, Any]:
        """Move a ticket along the life cycle, log it, and return the new Ticket object."""
        state = next_state(TicketState(row["state"]), action)
        changes["state"] = state.value
        updated = queries.update_ticket(self.conn, row["id"], changes)
        queries.log_ticket(
            self.conn,
            row["id"],
            row["day"],
            iso(now),
            action.value,
            state.value,
            caller.counter if caller else None,
            caller.clerk if caller else None,
            detail,
        )
        self.track_waiting(row, updated)
        return wire.ticket_json(updated)

    def track_waiting(self, before: sqlite3.Row, after: sqlite3.Row) -> None:
        """Keep the in-memory queue equal to the database's waiting tickets, undoably."""
        if before["state"] == TicketState.WAITING and before["id"] in self.queue:
            entry = self.queue.remove(before["id"])
            if entry is not None:
                ticket, category = entry
                self.undo.append(lambda: self.queue.add(ticket, category))
        if after["state"] == TicketState.WAITING and after["day"] == self.day_now:
            self.queue.add(queued(after), after["category"])
            self.undo.append(lambda: self.queue.remove(after["id"]))

    def finish(
        self, held: sqlite3.Row, caller: Caller, now: datetime, detail: str | None = None
    ) -> dict[str, Any]:
        """Finish the held ticket; its log row says whether the clerk had pressed start."""
        begun = held["started_at"] or held["called_at"]
        service_s = (
            max(0.0, now.timestamp() - datetime.fromisoformat(begun).timestamp()) if begun else None
        )
        if service_s is not None:
            self.recent_s.append(service_s)
            self.undo.append(self.recent_s.pop)
        ticket = self.transition(
            held, Action.FINISH, now, caller, detail, finished_at=iso(now), service_s=service_s
        )
        queries.mark_last_log_started(self.conn, held["started_at"] is not None)
        return ticket

    def set_counter(
        self, number: int, now: datetime, ticket: dict[str, Any] | None = None, **changes: Any
    ) -> dict[str, Any]:
        """Change a counter; returns its Counter object (`ticket`: the held ticket's, if known).

        A change of its clerk, state or pause reason goes to counter_log.
        """
        logged = LOGGED_COUNTER_COLUMNS
        before = self.counter_row(number) if any(k in changes for k in logged) else None
        changes["updated_at"] = iso(now)
        after = queries.update_counter(self.conn, number, changes)
        if after is None:
            raise HallError(ErrorCode.NOT_FOUND, f"counter {number} does not exist")
        if before is not None and any(before[k] != after[k] for k in logged):
            queries.log_counter(
                self.conn, self.day(now), iso(now), number, *(after[k] for k in logged)
            )
        return self.counter_json(after, ticket)

    def close_counter(self, number: int, now: datetime) -> dict[str, Any]:
        """Close a counter (its clerk leaves it); returns its Counter object."""
        return self.set_counter(number, now, **CLOSED_COUNTER)

    def counter_for_op(
        self, caller: Caller, op: str | None
    ) -> tuple[sqlite3.Row, sqlite3.Row | None]:
        """The caller's counter and the ticket it holds, once `counter_ops` allows `op` there
        (`op` None: an op that needs only the clerk logged in at this counter)."""
        counter = self.counter_row(caller.counter)
        if counter["clerk_id"] is None:
            raise HallError(
                ErrorCode.FORBIDDEN,
                f"counter {caller.counter} was closed (a new day?); log in again",
            )
        if counter["clerk_id"] != caller.clerk:
            raise HallError(
                ErrorCode.FORBIDDEN, f"another clerk has logged in at counter {caller.counter}"
            )
        held = self.ticket_row(counter["ticket_id"]) if counter["ticket_id"] else None
        if op is not None and op not in counter_ops(
            counter["state"], held["state"] if held else None
        ):
            raise refusal(op, counter, held)
        return counter, held
