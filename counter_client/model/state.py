"""What one counter's window knows, and every question the window asks of it.

`CounterState` holds the state the server sent (the counter, the hall's counters, services
and kiosks, the waiting list, the clerk's figures) and answers from it alone: which ticket
is in hand, which buttons may be pressed, how long the ticket has taken. It sends nothing
and changes nothing; `counter_client.model.CounterModel` adds the actions and the hall's
events on top. Splitting the two keeps the rules of what may be pressed readable apart
from the traffic that changes the state.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from typing import Any

from counter_client.model import hall
from counter_client.model.figures import DayFigures
from counter_client.model.notices import Notice
from counter_client.model.shortcuts import DEFAULT_SHORTCUTS
from shared.client.port import HallPort
from shared.domain.lifecycle import HELD_STATES, counter_ops

# Connection states, as HallConnection names them.
CONNECTING, ONLINE, OFFLINE = "connecting", "online", "offline"

CALL_ACTIONS = frozenset({"call_next", "call"})  # held back by the call gap (recall is not)

Schedule = Callable[[float, Callable[[], None]], None]


class CounterState:
    """State of one counter's window and the reads the window makes of it.

    `schedule(delay_s, fn)` runs `fn` later (a QTimer in the window); without one,
    `fn` runs at once. `clock()` gives the local time as a POSIX timestamp.
    """

    def __init__(
        self,
        counter: int,
        transport: HallPort,
        *,
        lang: str = "zh_CN",
        shortcuts: Mapping[str, str] | None = None,
        schedule: Schedule | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.number = counter
        self.transport = transport
        self.lang = lang
        self.shortcuts = dict(shortcuts or DEFAULT_SHORTCUTS)
        self._schedule = schedule
        self._clock = clock

        self.connection = CONNECTING
        self.hall = ""
        self.ever_online = False  # whether the server has ever answered this window
        self.counter: dict[str, Any] | None = None  # the Counter object (protocol.md)
        self.counter_exists = True
        self.clerk: dict[str, Any] | None = None  # set by our own successful login
        self.busy: str | None = None  # the action whose request is in flight
        self.logging_in = False
        self.logged_out = False  # the clerk logged out: the window closes
        self.queue: list[dict[str, Any]] = []
        self.queue_total = 0
        self.services: dict[str, dict[str, Any]] = {}  # catalog services by code
        self.counters: list[dict[str, Any]] = []  # every counter of the hall (transfer targets)
        self.notice: Notice | None = None
        self.kiosks: dict[str, dict[str, Any]] = {}  # kiosk client -> Kiosk (printer state)
        self.no_shows: list[dict[str, Any]] = []  # today's no-shows, for reactivate
        self.figures = DayFigures()
        self._figures_at = 0.0  # local clock when `figures` came from the server
        self.day: str | None = None
        # The hall's latest login alert (repeated wrong PINs for one clerk id), for staff.
        self.login_alert: dict[str, Any] | None = None
        self._clock_offset = 0.0  # server time minus local time
        self._started_at: dict[int, float] = {}  # ticket id -> server time it was started
        self.call_gap_s = 0  # the hall's call gap, from the login reply
        self._calls_locked_until = 0.0  # local clock: call keys are ignored until then

    # -- the counter and its ticket -------------------------------------------------------------

    @property
    def logged_in(self) -> bool:
        return self.clerk is not None

    @property
    def ticket(self) -> dict[str, Any] | None:
        """The ticket this counter holds (called or serving), or None."""
        ticket: dict[str, Any] | None = (self.counter or {}).get("ticket")
        if ticket and ticket.get("state") in HELD_STATES:
            return ticket
        return None

    @property
    def counter_state(self) -> str | None:
        if not self.logged_in or self.counter is None:
            return None
        return str(self.counter.get("state") or "closed")

    @property
    def paused(self) -> bool:
        return self.counter_state == "paused"

    @property
    def pause_reason(self) -> str:
        return str((self.counter or {}).get("pause_reason") or "")

    @property
    def counter_name(self) -> str:
        return str((self.counter or {}).get("name") or "")

    # -- what may be pressed --------------------------------------------------------------------

    def allowed_ops(self) -> frozenset[str]:
        """The counter ops the server would accept now (no request in flight, online)."""
        if self.connection != ONLINE or self.busy or not self.logged_in:
            return frozenset()
        ticket = self.ticket
        return counter_ops(self.counter_state, ticket["state"] if ticket else None)

    def call_lock_s(self) -> int:
        """Whole seconds the call keys stay locked by the call gap; 0 when they are free."""
        left = self._calls_locked_until - self._clock()
        return math.ceil(left) if left > 0 else 0

    def enabled(self, action: str) -> bool:
        if action not in DEFAULT_SHORTCUTS and action != "logout":
            raise KeyError(f"unknown action {action!r}")
        if action in CALL_ACTIONS and self.call_lock_s():
            return False
        ops = self.allowed_ops()
        if action == "pause_resume":
            return "pause" in ops or "resume" in ops
        return action in ops

    # -- times ----------------------------------------------------------------------------------

    def server_now(self) -> float:
        return self._clock() + self._clock_offset

    def time_logged_in_s(self) -> tuple[int, int]:
        """(logged in, paused) seconds today, counted on from the server's last figures."""
        since = max(0, int(self._clock() - self._figures_at)) if self._figures_at else 0
        logged_in = self.figures.logged_in_s + (since if self.logged_in else 0)
        paused = self.figures.paused_s + (since if self.paused else 0)
        return logged_in, paused

    def ticket_elapsed_s(self) -> int | None:
        """Seconds since the current ticket was started (serving) or called."""
        ticket = self.ticket
        if ticket is None:
            return None
        begun = None
        if ticket["state"] == "serving":
            begun = self._started_at.get(ticket["id"])
        if begun is None:
            begun = hall.parse_time(ticket.get("called_at"))
        if begun is None:
            return None
        return max(0, int(self.server_now() - begun))

    def ticket_waited_s(self, ticket: Mapping[str, Any] | None = None) -> int | None:
        """How long a resident waited: from issue to the (last) call, or to now if waiting."""
        ticket = ticket if ticket is not None else self.ticket
        if not ticket:
            return None
        return hall.ticket_waited_s(ticket, self.server_now())

    def active_login_alert(self) -> dict[str, Any] | None:
        """The login alert while its lockout lasts: {"clerk", "source", "at", "until"}."""
        return self.login_alert if hall.alert_lasts(self.login_alert, self.server_now()) else None

    # -- the hall's lists -----------------------------------------------------------------------

    def service_name(self, code: str | None) -> str:
        return hall.service_name(self.services, code, self.lang)

    def transfer_counters(self) -> list[dict[str, Any]]:
        """The other counters a ticket may be reserved for."""
        return [c for c in self.counters if c.get("number") != self.number]

    def transfer_services(self, text: str = "") -> list[dict[str, Any]]:
        """The matters a ticket may be transferred to or called for; `text` finds them by part
        of their name (either language) or their pinyin initials."""
        return hall.find_services(self.services.values(), text)

    def counter_label(self, number: int | None) -> str:
        """A counter's name as the hall calls it ("21号窗口"), or its number."""
        return hall.counter_label(self.counters, number)

    def counter_is_closed(self, number: int | None) -> bool:
        return hall.counter_is_closed(self.counters, number)

    def kiosks_needing_attention(self) -> list[dict[str, Any]]:
        """Kiosks whose printer is out of paper, offline or faulty (for the staff banner)."""
        return hall.kiosks_needing_attention(self.kiosks)
