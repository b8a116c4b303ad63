"""How the hall's snapshot and events reach one counter's state.

`HallConnection` (or a test's adapter) hands the model the connection's state, the hello,
a fresh snapshot after every (re)connect and each pushed event; `CounterFeed` folds them
into the state (counter_client.model.state) and fetches what they make stale: the waiting list
(once per burst of events), the catalog, the clerk's figures. It also notices when the
server closed this counter under a logged-in clerk (the clerk logged in elsewhere).
The clerk's own actions are counter_client.model's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from counter_client.model import hall
from counter_client.model.figures import DayFigures
from counter_client.model.notices import Notice, ReplyLike
from counter_client.model.state import ONLINE, CounterState
from shared.client.connection import fetch_pages
from shared.client.listeners import Listeners
from shared.domain import lifecycle
from shared.domain.lifecycle import TicketState
from shared.protocol.readable import (
    problem_of_counter,
    problem_of_service,
    problem_of_ticket,
    readable,
)

QUEUE_REFRESH_DELAY_S = 0.15  # events come in bursts (a call sends three); ask `queue` once
_QUEUE_EVENTS = frozenset({"ticket_issued", "ticket_called", "ticket_changed", "waiting_changed"})

log = logging.getLogger(__name__)


class CounterFeed(CounterState):
    """The counter's state kept up to date from the hall's snapshot and events."""

    def __init__(self, counter: int, *args: Any, **kwargs: Any) -> None:
        super().__init__(counter, *args, **kwargs)
        self._listeners = Listeners()
        self._closed_ids: set[int] = set()  # tickets already counted into a figures refresh
        self._queue_scheduled = False
        self.queue_loading = False  # a `queue` request is on its way
        self._queue_again = False
        self._auto_login: tuple[str, str] | None = None

    # -- observers ----------------------------------------------------------------------------

    def subscribe(self, listener: Callable[[], None]) -> None:
        """`listener()` is called after every change of what the window shows."""
        self._listeners.add(listener)

    def _changed(self) -> None:
        self._listeners.tell()

    def login(self, clerk: str, pin: str) -> None:
        """Log a clerk in (counter_client.model sends it); used here for the automatic login."""
        raise NotImplementedError

    # -- connection -----------------------------------------------------------------------------

    def set_auto_login(self, clerk: str, pin: str) -> None:
        """Log in as soon as the connection is up (the demo starts counters this way)."""
        self._auto_login = (clerk, pin)

    def on_state(self, state: str) -> None:
        self.connection = state
        if state != ONLINE:
            self.queue_loading = False
        self._changed()

    def on_handshake_failed(self, code: str, message: str) -> None:
        if "does not exist" in message:
            self.counter_exists = False
        self.notice = Notice("error", "handshake_failed", {"code": code}, message)
        self._changed()

    def on_hello(self, hello: Mapping[str, Any] | None) -> None:
        """Estimate the server clock from hello's server_time (timers use server times)."""
        server_time = hall.parse_time((hello or {}).get("server_time"))
        if server_time is not None:
            self._clock_offset = server_time - self._clock()

    def on_ready(self, snapshot: Mapping[str, Any]) -> None:
        """A fresh snapshot (first connect, reconnect, resync): rebuild everything from it."""
        self.connection = ONLINE
        self.ever_online = True
        self.hall = str(snapshot.get("hall") or self.hall)
        day = snapshot.get("day")
        if day and self.day and day != self.day:
            self.figures = DayFigures()
        if day:
            self.day = str(day)
        self._take_counters(snapshot.get("counters"))
        self._take_login_alert(snapshot.get("login_alert"))
        if self.notice and self.notice.key in ("disconnected", "handshake_failed"):
            self.notice = None
        self.kiosks = hall.read_kiosks(snapshot.get("kiosks"))
        self._load_catalog()
        if self.logged_in:
            self.schedule_queue_refresh()
            self.refresh_figures()
        elif self._auto_login and not self.logging_in:
            clerk, pin = self._auto_login
            self.login(clerk, pin)
        self._changed()

    def _take_counters(self, raw: object) -> None:
        self.counters = readable(raw, problem_of_counter, "snapshot", log)
        mine = next((c for c in self.counters if c.get("number") == self.number), None)
        # Our own counter in a form this client cannot read still exists: keep what we knew.
        listed = isinstance(raw, list) and any(
            isinstance(c, dict) and c.get("number") == self.number for c in raw
        )
        self.counter_exists = mine is not None or listed
        if mine is not None:
            self._set_counter(mine)

    def on_login_failed(self, code: str, message: str) -> None:
        """The login replayed after a reconnect was refused (PIN changed, clerk disabled)."""
        self.clerk = None
        self.queue = []
        self.notice = Notice("error", "login_lost", {"code": code}, message)
        self._changed()

    def on_event(self, name: str, seq: int, data: Mapping[str, Any]) -> None:
        if name == "counter_changed":
            self._counter_changed(seq, data.get("counter"))
        elif name == "login_alert":
            self._take_login_alert(data.get("alert"))
        elif name == "kiosk_changed":
            kiosk = data.get("kiosk")
            if isinstance(kiosk, dict) and isinstance(kiosk.get("client"), str):
                self.kiosks[kiosk["client"]] = kiosk
        elif name == "day_reset":
            self.login_alert = None
            self.kiosks.clear()
            self.no_shows = []
            self.figures = DayFigures()
            self._closed_ids.clear()
            self.day = str(data.get("day") or "") or None
        ticket = data.get("ticket")
        if isinstance(ticket, dict) and problem_of_ticket(ticket) is None:
            self._note_closed(ticket)
        if name in _QUEUE_EVENTS and self.logged_in:
            self.schedule_queue_refresh()
        self._changed()

    def _counter_changed(self, seq: int, counter: object) -> None:
        problem = problem_of_counter(counter)
        if problem is not None:
            log.warning("counter_changed (seq %s): skipped, unreadable: %s", seq, problem)
            return
        assert isinstance(counter, dict)
        self.counters = [
            counter if c.get("number") == counter.get("number") else c for c in self.counters
        ]
        if counter.get("number") == self.number:
            self._set_counter(counter)

    def _take_login_alert(self, alert: Any) -> None:
        if hall.readable_login_alert(alert):
            self.login_alert = alert

    # -- the waiting list and the catalog ---------------------------------------------------------

    def schedule_queue_refresh(self) -> None:
        """Ask for the waiting list soon; a burst of events asks only once."""
        if not self.logged_in or self._queue_scheduled:
            return
        if self.queue_loading:
            self._queue_again = True
            return
        self._queue_scheduled = True
        if self._schedule is None:
            self.refresh_queue()
        else:
            self._schedule(QUEUE_REFRESH_DELAY_S, self.refresh_queue)

    def refresh_queue(self) -> None:
        self._queue_scheduled = False
        if not self.logged_in or self.connection != ONLINE:
            return
        self.queue_loading = True
        self._queue_again = False
        self.transport.request("queue", {}, self._on_queue)

    def _on_queue(self, reply: ReplyLike) -> None:
        self.queue_loading = False
        if reply.ok:
            self.queue = readable(reply.result.get("tickets"), problem_of_ticket, "queue", log)
            self.queue_total = int(reply.result.get("total", len(self.queue)))
            self._changed()
        if self._queue_again:
            self._queue_again = False
            self.schedule_queue_refresh()

    def _load_catalog(self) -> None:
        def loaded(reply: ReplyLike) -> None:
            if reply.ok:
                services = reply.result.get("services")
                self.services = {
                    s["code"]: s for s in readable(services, problem_of_service, "catalog", log)
                }
                self._changed()

        fetch_pages(self.transport.request, "catalog", loaded)

    # -- the clerk's figures ----------------------------------------------------------------------

    def refresh_figures(self) -> None:
        """Ask the server for the clerk's figures of the day (`clerk_stats`)."""
        if not self.logged_in:
            return

        def loaded(reply: ReplyLike) -> None:
            if reply.ok:
                self.figures = DayFigures.from_stats(reply.result)
                self._figures_at = self._clock()
                self._changed()

        self.transport.request("clerk_stats", {}, loaded)

    def _note_closed(self, ticket: Mapping[str, Any]) -> None:
        """A ticket this counter finished or marked no-show: fetch the day's figures again."""
        if not self.logged_in or ticket.get("counter") != self.number:
            return
        if (
            ticket.get("state") not in (TicketState.DONE, TicketState.NO_SHOW)
            or ticket.get("id") in self._closed_ids
        ):
            return
        self._closed_ids.add(int(ticket.get("id") or 0))
        self.refresh_figures()

    # -- bookkeeping --------------------------------------------------------------------------

    def _set_counter(self, counter: Any) -> None:
        if not isinstance(counter, dict):
            return
        if (
            self.logged_in
            and not self.logging_in
            and self.busy != "logout"
            and counter.get("state") == lifecycle.CounterState.CLOSED
            and counter.get("clerk") is None
        ):
            self._login_taken()
        previous = (self.counter or {}).get("ticket") or {}
        self.counter = counter
        ticket = counter.get("ticket") or {}
        if (
            ticket.get("state") == TicketState.SERVING
            and ticket.get("id") not in self._started_at
            and previous.get("id") == ticket.get("id")
            and previous.get("state") == TicketState.CALLED
        ):
            self._started_at[ticket["id"]] = self.server_now()

    def _login_taken(self) -> None:
        """Our counter was closed under us while logged in: most often the same clerk logged
        in at another counter (a clerk is open at one counter at a time). Show the login page
        with the reason, and stop the connection logging in again on the next reconnect."""
        self.clerk = None
        self.queue = []
        forget = getattr(self.transport, "forget_login", None)
        if forget is not None:
            forget()
        self.notice = Notice("error", "login_lost", {"code": "counter_closed"})
        log.warning("counter %s was closed by the server: back to the login page", self.number)
