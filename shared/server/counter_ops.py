"""The counter ops of a logged-in clerk: call_next, call, recall, start, finish, no_show,
transfer, reactivate, pause, resume, logout, queue, no_shows; and `counter_gone`.

Which of them a counter may send now is `shared.domain.lifecycle.counter_ops` (the counter
client enables its buttons from the same rule); `ServiceCore.counter_for_op` enforces it
before any handler here runs. The call gap stops a double press from calling twice.
"""

from __future__ import annotations

import math
import sqlite3
from datetime import datetime
from typing import Any

from shared.domain.call_order import next_streak
from shared.domain.clock import iso
from shared.domain.errors import ErrorCode, ErrorReason, HallError
from shared.domain.lifecycle import TICKET_OPS, Action, CounterState, TicketState
from shared.domain.limits import PAGE_BUDGET, fill_page, json_size
from shared.protocol.ops import COUNTER
from shared.server import queries, wire
from shared.server.core import Caller, Event, Outcome, ServiceCore

QUEUE_LIMIT = 200  # tickets in one `queue` reply at most (fewer when they would not fit a page)
NO_SHOWS_LIMIT = 100  # tickets in one `no_shows` reply


class CounterOps(ServiceCore):
    """What a clerk does at a counter."""

    # -- calling --------------------------------------------------------------------------------

    def op_call_next(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        counter, held = self.counter_for_op(caller, "call_next")
        self.check_call_gap(counter, now)
        events = self.finish_held(caller, held, now, "call_next")
        taken = self.queue.next_for(
            counter["number"], self.counter_services(counter), counter["priority_streak"]
        )
        if taken is None:
            if events:
                data = self.set_counter(counter["number"], now, ticket_id=None)
                events.append(("counter_changed", {"counter": data}))
            return Outcome(result={"ticket": None}, events=events)
        streak = next_streak(counter["priority_streak"], taken)
        return self.call(caller, counter, self.ticket_row(taken.id), now, events, streak)

    def op_call(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        counter, held = self.counter_for_op(caller, "call")
        self.check_call_gap(counter, now)
        row = self.find_ticket(params["ticket"], self.day(now))
        if row["state"] != TicketState.WAITING:
            raise HallError(
                ErrorCode.CONFLICT, f"ticket {row['number']} is {row['state']}, not waiting"
            )
        if row["reserved_counter"] not in (None, counter["number"]):
            raise HallError(
                ErrorCode.CONFLICT,
                f"ticket {row['number']} is reserved for counter {row['reserved_counter']}",
            )
        events = self.finish_held(caller, held, now, "call")
        return self.call(caller, counter, row, now, events, counter["priority_streak"])

    def check_call_gap(self, counter: sqlite3.Row, now: datetime) -> None:
        """The call gap: a double press (or a bouncing key) must not call a second resident
        and finish the first one's ticket a moment after it was called."""
        gap = self.config.call_gap_s
        last = counter["last_call_at"]
        remaining = (last + gap - now.timestamp()) if last is not None else 0
        # A clock set back (by hand, or by a time server) must not lock the keys for hours.
        remaining = min(remaining, gap)
        if remaining > 0:
            seconds = max(1, math.ceil(remaining))
            raise HallError(
                ErrorCode.CONFLICT,
                f"counter {counter['number']} called a ticket less than"
                f" {gap} s ago; call again in {seconds} s",
                reason=ErrorReason.CALL_TOO_SOON,
                retry_after_s=seconds,
            )

    def finish_held(
        self, caller: Caller, held: sqlite3.Row | None, now: datetime, op: str
    ) -> list[Event]:
        """Calling the next resident finishes the ticket in hand."""
        if held is None:
            return []
        ticket = self.finish(held, caller, now, detail=f"by {op}")
        return [("ticket_changed", {"ticket": ticket})]

    def call(
        self,
        caller: Caller,
        counter: sqlite3.Row,
        row: sqlite3.Row,
        now: datetime,
        events: list[Event],
        streak: int,
    ) -> Outcome:
        ticket = self.transition(
            row,
            Action.CALL,
            now,
            caller,
            called_at=iso(now),
            counter=counter["number"],
            clerk_id=caller.clerk,
            calls=row["calls"] + 1,
            reserved_counter=None,
            started_at=None,
        )
        queries.insert_call(self.conn, row["day"], row["id"], counter["number"], iso(now), False)
        data = self.set_counter(
            counter["number"],
            now,
            ticket,
            ticket_id=row["id"],
            priority_streak=streak,
            last_call_at=now.timestamp(),
        )
        events += [
            ("ticket_called", {"ticket": ticket, "counter": counter["number"], "recall": False}),
            ("counter_changed", {"counter": data}),
            self.waiting_event(),
        ]
        return Outcome(result={"ticket": ticket}, events=events)

    def op_recall(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        counter, held = self.counter_for_op(caller, "recall")
        assert held is not None  # counter_ops allows recall only with a ticket in hand
        ticket = self.transition(held, Action.RECALL, now, caller, calls=held["calls"] + 1)
        queries.insert_call(self.conn, held["day"], held["id"], counter["number"], iso(now), True)
        data = self.counter_json(self.counter_row(counter["number"]))
        return Outcome(
            result={"ticket": ticket},
            events=[
                ("ticket_called", {"ticket": ticket, "counter": counter["number"], "recall": True}),
                ("counter_changed", {"counter": data}),
            ],
        )

    # -- the ticket in hand ---------------------------------------------------------------------

    def step(
        self, caller: Caller, op: str, now: datetime, release: bool, **changes: Any
    ) -> Outcome:
        """Start, finish or no-show the ticket in hand; `release` frees the counter of it."""
        counter, held = self.counter_for_op(caller, op)
        assert held is not None  # counter_ops allows these only with a ticket in hand
        action = TICKET_OPS[op]
        if action == Action.FINISH:
            ticket = self.finish(held, caller, now)
        else:
            ticket = self.transition(held, action, now, caller, **changes)
        data = (
            self.set_counter(counter["number"], now, ticket_id=None)
            if release
            else self.counter_json(self.counter_row(counter["number"]))
        )
        return Outcome(
            result={"ticket": ticket},
            events=[("ticket_changed", {"ticket": ticket}), ("counter_changed", {"counter": data})],
        )

    def op_start(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        return self.step(caller, "start", now, release=False, started_at=iso(now))

    def op_finish(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        return self.step(caller, "finish", now, release=True)

    def op_no_show(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        return self.step(caller, "no_show", now, release=True)

    def op_transfer(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        counter, held = self.counter_for_op(caller, "transfer")
        assert held is not None  # counter_ops allows transfer only with a ticket in hand
        changes: dict[str, Any] = {
            "counter": None,
            "transfers": held["transfers"] + 1,
            "started_at": None,
        }
        if "service" in params:
            service = queries.service(self.conn, params["service"], active_only=False)
            if service is None:
                raise HallError(
                    ErrorCode.NOT_FOUND, f"no service {params['service']!r} in the catalog"
                )
            changes.update(
                service=service["code"], category=service["category"], reserved_counter=None
            )
            detail = f"to service {service['code']}"
        else:
            target = params["counter"]
            if target == counter["number"]:
                raise HallError(
                    ErrorCode.CONFLICT, "a ticket cannot be transferred to its own counter"
                )
            self.counter_row(target)
            changes["reserved_counter"] = target
            detail = f"to counter {target}"
        ticket = self.transition(held, Action.TRANSFER, now, caller, detail=detail, **changes)
        data = self.set_counter(counter["number"], now, ticket_id=None)
        return Outcome(
            result={"ticket": ticket},
            events=[
                ("ticket_changed", {"ticket": ticket}),
                ("counter_changed", {"counter": data}),
                self.waiting_event(),
            ],
        )

    def op_reactivate(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        if caller.role == COUNTER:
            self.counter_for_op(caller, "reactivate")
        day = self.day(now)
        row = self.find_ticket(params["ticket"], day)
        if row["day"] != day:
            raise HallError(
                ErrorCode.CONFLICT, f"ticket {row['number']} is from {row['day']}, not today"
            )
        if row["state"] != TicketState.NO_SHOW:
            raise HallError(
                ErrorCode.CONFLICT, f"ticket {row['number']} is {row['state']}, not a no-show"
            )
        ticket = self.transition(
            row,
            Action.REACTIVATE,
            now,
            caller,
            order_at=now.timestamp(),
            order_no=self.next_order_no(),
            counter=None,
            reserved_counter=None,
        )
        return Outcome(
            result={"ticket": ticket},
            events=[("ticket_changed", {"ticket": ticket}), self.waiting_event()],
        )

    # -- the counter ----------------------------------------------------------------------------

    def op_pause(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        counter, _ = self.counter_for_op(caller, "pause")
        data = self.set_counter(
            counter["number"],
            now,
            state=CounterState.PAUSED.value,
            pause_reason=params.get("reason") or None,
        )
        return Outcome(result={"counter": data}, events=[("counter_changed", {"counter": data})])

    def op_resume(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        counter, _ = self.counter_for_op(caller, "resume")
        data = self.set_counter(
            counter["number"], now, state=CounterState.OPEN.value, pause_reason=None
        )
        return Outcome(result={"counter": data}, events=[("counter_changed", {"counter": data})])

    def op_logout(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        counter, _ = self.counter_for_op(caller, "logout")
        data = self.close_counter(counter["number"], now)
        return Outcome(
            result={"counter": data}, events=[("counter_changed", {"counter": data})], clerk=""
        )

    def op_counter_gone(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        """Close a counter whose client left and did not come back, unless a ticket is in hand
        (then the clerk is most likely still there, and the ticket must not be lost)."""
        counter = self.counter_row(caller.counter)
        if (
            counter["clerk_id"] != caller.clerk
            or counter["ticket_id"]
            or counter["state"] == CounterState.CLOSED
        ):
            return Outcome(result={})
        data = self.close_counter(counter["number"], now)
        return Outcome(result={"counter": data}, events=[("counter_changed", {"counter": data})])

    # -- lists ----------------------------------------------------------------------------------

    def op_queue(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        counter, _ = self.counter_for_op(caller, "queue")
        services = self.counter_services(counter)
        limit = min(params.get("limit", QUEUE_LIMIT), QUEUE_LIMIT)
        order = self.queue.order_for(counter["number"], services, counter["priority_streak"], limit)
        rows = {r["id"]: r for r in queries.tickets(self.conn, [t.id for t in order])}
        tickets = [wire.ticket_json(rows[t.id]) for t in order]
        total = self.queue.count_for(counter["number"], services)
        end = fill_page(tickets, PAGE_BUDGET - json_size({"tickets": [], "total": total}))
        return Outcome(result={"tickets": tickets[:end], "total": total})

    def op_no_shows(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        """Today's no-show tickets, the latest first: what a counter may reactivate."""
        self.counter_for_op(caller, None)
        limit = min(params.get("limit", NO_SHOWS_LIMIT), NO_SHOWS_LIMIT)
        rows = queries.tickets_in_state(self.conn, self.day(now), TicketState.NO_SHOW.value)
        tickets = [wire.ticket_json(row) for row in rows[:limit]]
        end = fill_page(tickets, PAGE_BUDGET - json_size({"tickets": [], "total": len(rows)}))
        return Outcome(result={"tickets": tickets[:end], "total": len(rows)})
