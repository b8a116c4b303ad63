"""The time-driven work at the start of every batch: the business-day reset and the
release of pending tickets the kiosk never confirmed.

At the first batch of a new business day, every ticket still open from earlier days
expires, every counter closes (logged at the end of the day it was open on, so time
logged in stops at the day's end), and the in-memory queue is rebuilt for the new day.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from shared.domain.clock import iso
from shared.domain.estimate import RECENT
from shared.domain.lifecycle import OPEN_STATES, Action, CounterState, TicketState
from shared.server import queries
from shared.server.core import CLOSED_COUNTER, Event, ServiceCore, queued

log = logging.getLogger(__name__)

EVENT_KEEP_DAYS = 1  # the event log is for looking into today; clients resync by snapshot


class DayReset(ServiceCore):
    """The business day: its reset, its pending time-outs, and the memory built for it."""

    def load_memory(self, day: str | None = None) -> None:
        """Rebuild the in-memory waiting queue and recent service times from the database."""
        day = day or self.day()
        self.day_now = day
        self.queue.clear()
        for r in queries.waiting_tickets(self.conn, day):
            self.queue.add(queued(r), r["category"])
        self.order_no = queries.last_order_no(self.conn, day)
        self.recent_s.clear()
        self.recent_s.extend(queries.recent_service_times(self.conn, day, RECENT))

    def maintain(self, now: datetime) -> list[Event]:
        """Day reset and pending time-outs; runs at the start of every batch."""
        events = self.day_reset(now)
        events += self.release_pending(now)
        return events

    def day_reset(self, now: datetime) -> list[Event]:
        today = self.day(now)
        stored = self.store.get_meta("day")
        if stored == today:
            return []
        conn = self.conn
        at = iso(now)
        open_states = tuple(s.value for s in OPEN_STATES)
        stale = queries.open_tickets_before(conn, open_states, today)
        expired = TicketState.EXPIRED.value
        queries.log_expired(conn, stale, at, Action.EXPIRE.value, expired)
        queries.expire_before(conn, open_states, today, expired)
        if stored is not None:
            # Counters left open close with the day they were open on, not when the next
            # day's first request happens to come: time logged in stops at the day's end.
            day_end = datetime.combine(
                date.fromisoformat(stored) + timedelta(days=1),
                self.config.day_reset,
                tzinfo=now.tzinfo,
            )
            ended = iso(min(now, day_end))
            for number in queries.open_counter_numbers(conn):
                queries.log_counter(conn, stored, ended, number, None, CounterState.CLOSED.value)
        queries.update_all_counters(conn, {**CLOSED_COUNTER, "updated_at": at})
        keep_from = (
            (datetime.fromisoformat(today) - timedelta(days=EVENT_KEEP_DAYS)).date().isoformat()
        )
        queries.forget_before(conn, today, keep_from)
        self.store.set_meta("day", today)
        self.load_memory(today)
        if stored is None:
            return []  # a brand-new database: nothing to reset
        log.info(
            "business day %s begins; %d open tickets of earlier days expired", today, len(stale)
        )
        return [("day_reset", {"day": today})]

    def release_pending(self, now: datetime) -> list[Event]:
        """Pending tickets never confirmed by the kiosk become waiting after the time-out."""
        cutoff = now.timestamp() - self.config.pending_timeout_s
        rows = queries.pending_due(self.conn, self.day_now, cutoff)
        events: list[Event] = []
        for row in rows:
            ticket = self.transition(
                row, Action.PENDING_TIMEOUT, now, detail="kiosk did not confirm"
            )
            events.append(("ticket_issued", {"ticket": ticket}))
        if rows:
            events.append(self.waiting_event())
        return events
