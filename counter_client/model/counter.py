"""The counter client's view-model: what the clerk's window shows and does, without Qt.

The window binds to it; it talks to the hall through a `shared.client.port.HallPort` (the
Qt `HallConnection` in the app, a blocking client adapter in tests). Every button state
comes from `enabled()` (counter_client.model.state), which asks
`shared.domain.lifecycle.counter_ops` and refuses everything while a request is in
flight, so a double press can never call twice. After a call the call keys stay locked
for the hall's call gap (`call_gap_s`, from `login`), so a second press a moment later (a
bouncing key, a worn keypad) is ignored too; the server holds the same rule.

This module holds the actions and their replies; the hall's snapshot and events come in
through counter_client.model.feed, the reads through counter_client.model.state. The names other
packages use (hall_hardware's keypads) are all importable from here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from counter_client.model.feed import CounterFeed
from counter_client.model.notices import Notice, ReplyLike, error_notice, outcome_notice
from counter_client.model.state import CALL_ACTIONS, ONLINE
from shared.domain.errors import ErrorReason
from shared.domain.lifecycle import HELD_STATES, TicketState
from shared.domain.limits import MAX_CALL_GAP_S

CONFIRM_S = 10  # how long a second call key confirms finishing a ticket never started

log = logging.getLogger(__name__)


class CounterModel(CounterFeed):
    """State and actions of one counter's window (see CounterState for the arguments)."""

    def __init__(self, counter: int, *args: Any, **kwargs: Any) -> None:
        super().__init__(counter, *args, **kwargs)
        self._before: dict[str, Any] | None = None  # the ticket held when an op was sent
        self._transfer_to: dict[str, Any] = {}  # the target of the transfer in flight
        self._sent: dict[str, Any] = {}  # the params of the op in flight
        self._confirm: tuple[int, float] | None = None  # (ticket id, when) of the first call key
        self._notice_since: tuple[Notice | None, float] = (None, 0.0)
        # Called with the ticket once this counter's `finish` succeeded (the rating window).
        self.on_finished: Callable[[dict[str, Any]], object] | None = None

    # -- the clerk's session --------------------------------------------------------------------

    def login(self, clerk: str, pin: str) -> None:
        clerk, pin = clerk.strip(), pin.strip()
        if not clerk or not pin:
            self.notice = Notice("error", "login_incomplete")
            self._changed()
            return
        if self.logging_in:
            return
        self.logging_in = True
        self.notice = None
        self._changed()
        self.transport.login(clerk, pin, self._on_login)

    def _on_login(self, reply: ReplyLike) -> None:
        self.logging_in = False
        self._auto_login = None  # a refused automatic login is not tried again and again
        if not reply.ok:
            reason = getattr(reply, "reason", "")
            self.notice = Notice(
                "error", "login_failed", {"code": reply.code, "reason": reason}, reply.message
            )
            self._changed()
            return
        self.clerk = dict(reply.result.get("clerk") or {})
        gap = reply.result.get("call_gap_s")
        self.call_gap_s = gap if isinstance(gap, int) and not isinstance(gap, bool) else 0
        self.logged_out = False
        self._set_counter(reply.result.get("counter"))
        self.notice = None
        self.schedule_queue_refresh()
        self.refresh_figures()
        self._changed()

    def logout(self) -> None:
        if not self.enabled("logout"):
            return
        self._begin("logout")
        self.transport.logout(self._on_logout)

    def _on_logout(self, reply: ReplyLike) -> None:
        self.busy = None
        if reply.ok:
            self.clerk = None
            self.logged_out = True
            self._set_counter(reply.result.get("counter"))
            self.queue = []
        else:
            self.notice = error_notice(reply, "logout", self._sent.get("ticket", ""))
        self._changed()

    def leaves_on_close(self) -> bool:
        """Whether closing the window logs the clerk out: a clerk who closes it with no
        ticket in hand has left, so the counter closes and the board stops showing it open.
        With a ticket in hand it stays open: a window closed by accident can be opened
        again and carry on with the same ticket."""
        return self.logged_in and self.ticket is None

    # -- actions ------------------------------------------------------------------------------

    def trigger(self, action: str) -> bool:
        """Run an action that needs no further input (what a shortcut or button does).

        Actions that need a choice (transfer, call, reactivate) return False: the window
        asks the clerk first and then calls the method with the choice.
        """
        if not self.enabled(action):
            return False
        simple = {
            "call_next": self.call_next,
            "recall": self.recall,
            "start": self.start,
            "finish": self.finish,
            "no_show": self.no_show,
        }
        if action in simple:
            simple[action]()
            return True
        if action == "pause_resume" and self.paused:
            self.resume()
            return True
        return False

    def confirmed(self, action: str) -> bool:
        """The call key finishes the held ticket; one that was called but never started is
        asked about first (a notice): the second press within CONFIRM_S goes ahead."""
        ticket = self.ticket
        if action != "call_next" or not ticket or ticket.get("state") != TicketState.CALLED:
            self._confirm = None
            return True
        now = self._clock()
        if (
            self._confirm
            and self._confirm[0] == ticket["id"]
            and now - self._confirm[1] < CONFIRM_S
        ):
            self._confirm = None
            return True
        self._confirm = (ticket["id"], now)
        self.warn("confirm_finish_unstarted", number=ticket["number"])
        return False

    def call_next(self) -> None:
        self._op("call_next", "call_next", {})

    def recall(self) -> None:
        self._op("recall", "recall", {})

    def start(self) -> None:
        self._op("start", "start", {})

    def finish(self) -> None:
        self._op("finish", "finish", {})

    def no_show(self) -> None:
        self._op("no_show", "no_show", {})

    def transfer(self, *, service: str | None = None, counter: int | None = None) -> None:
        if (service is None) == (counter is None):
            raise ValueError("transfer needs exactly one of service or counter")
        params: dict[str, Any] = {"service": service} if service else {"counter": counter}
        self._transfer_to = dict(params)
        self._op("transfer", "transfer", params)

    def call(self, ticket: int | str) -> None:
        if isinstance(ticket, str):
            ticket = ticket.strip().upper()
            if not ticket:
                self.notice = Notice("error", "number_missing")
                self._changed()
                return
        self._op("call", "call", {"ticket": ticket})

    def pause(self, reason: str = "") -> None:
        params = {"reason": reason.strip()} if reason.strip() else {}
        self._op("pause_resume", "pause", params)

    def resume(self) -> None:
        self._op("pause_resume", "resume", {})

    def reactivate(self, number: str) -> None:
        number = number.strip().upper()
        if not number:
            self.notice = Notice("error", "number_missing")
            self._changed()
            return
        self._op("reactivate", "reactivate", {"ticket": number})

    def _begin(self, action: str) -> None:
        self.busy = action
        self.notice = None
        self._changed()

    def _op(self, action: str, op: str, params: dict[str, Any]) -> None:
        if not self.enabled(action):
            return  # also the second press of a double press: the first is in flight
        self._begin(action)
        self._before = self.ticket
        self._sent = dict(params)
        self.transport.request(op, params, lambda reply: self._on_op(op, reply))

    def _on_op(self, op: str, reply: ReplyLike) -> None:
        self.busy = None
        before, self._before = self._before, None
        if not reply.ok:
            self._refused(op, reply)
            self._changed()
            return
        result = reply.result
        ticket = result.get("ticket") if isinstance(result.get("ticket"), dict) else None
        if op in CALL_ACTIONS and ticket is not None:
            self._lock_calls(self.call_gap_s)
        if isinstance(result.get("counter"), dict):
            self._set_counter(result["counter"])
        if ticket is not None:
            self._note_closed(ticket)
            self._apply_ticket(op, ticket)
        self._tell_outcome(op, before, ticket)
        if op in ("pause", "resume"):
            self.refresh_figures()  # the paused time counts on from here
        if op == "finish" and ticket is not None and self.on_finished is not None:
            self.on_finished(ticket)
        self.schedule_queue_refresh()
        self._changed()

    def _refused(self, op: str, reply: ReplyLike) -> None:
        if getattr(reply, "reason", "") == ErrorReason.CALL_TOO_SOON:
            retry = getattr(reply, "retry_after_s", None)
            # Never longer than the hall's gap (MAX_CALL_GAP_S at most): a server clock set
            # back must not lock the keys for hours.
            gap = self.call_gap_s or MAX_CALL_GAP_S
            self._lock_calls(min(retry, gap) if isinstance(retry, int) else self.call_gap_s)
        self.notice = error_notice(reply, op, self._sent.get("ticket", ""))

    def _tell_outcome(
        self, op: str, before: dict[str, Any] | None, ticket: dict[str, Any] | None
    ) -> None:
        """Set the notice of an op that succeeded; forget what the op's reply settles."""
        target, self._transfer_to = self._transfer_to, {}  # set by transfer() just before
        if op == "reactivate" and ticket is not None:
            self.no_shows = [t for t in self.no_shows if t.get("id") != ticket.get("id")]
        self.notice = outcome_notice(
            op, before, ticket, target, self.counter_label, self.service_name
        )

    def _lock_calls(self, seconds: float) -> None:
        if seconds <= 0:
            return
        self._calls_locked_until = max(self._calls_locked_until, self._clock() + seconds)
        if self._schedule is not None:  # unlock the keys on time, without waiting for an event
            self._schedule(seconds + 0.05, self._changed)  # a timer may fire a little early

    def _apply_ticket(self, op: str, ticket: dict[str, Any]) -> None:
        """Put an op's resulting ticket on the counter at once (the counter event follows)."""
        if self.counter is None:
            return
        if ticket.get("state") in HELD_STATES and ticket.get("counter") == self.number:
            self.counter = {**self.counter, "ticket": ticket}
            if ticket["state"] == TicketState.SERVING and op == "start":
                self._started_at[ticket["id"]] = self.server_now()
        elif (self.counter.get("ticket") or {}).get("id") == ticket.get("id"):
            self.counter = {**self.counter, "ticket": None}

    # -- notices ------------------------------------------------------------------------------

    def warn(self, key: str, **args: Any) -> None:
        """Show a notice the window itself raised (e.g. a confirmation question)."""
        self.notice = Notice("info", key, args)
        self._changed()

    def show_notice(self, notice: Notice) -> None:
        """Show `notice` as it is (one built elsewhere, with its own detail)."""
        self.notice = notice
        self._changed()

    def clear_notice(self, notice: Notice | None = None) -> None:
        """Clear the notice (only `notice`, if given and still shown)."""
        if self.notice is None or (notice is not None and self.notice is not notice):
            return
        self.notice = None
        self._changed()

    def expire_notice(self, after_s: float) -> None:
        """Clear a notice on the main page once it has been shown `after_s` (call it every
        second; the next action clears it too)."""
        notice, now = self.notice, self._clock()
        if notice is not self._notice_since[0]:
            self._notice_since = (notice, now)
            return
        if notice is not None and self.logged_in and now - self._notice_since[1] >= after_s:
            self.clear_notice(notice)

    # -- lists the window asks for ----------------------------------------------------------------

    def refresh_no_shows(self) -> None:
        """Ask the server for today's no-shows (`no_shows`), for the reactivate list."""
        if not self.logged_in or self.connection != ONLINE:
            return

        def loaded(reply: ReplyLike) -> None:
            if reply.ok:
                self.no_shows = [
                    t for t in reply.result.get("tickets") or [] if isinstance(t, dict)
                ]
                self._changed()

        self.transport.request("no_shows", {}, loaded)
