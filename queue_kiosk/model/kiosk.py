"""The kiosk view-model: screens, catalog, search and the two-phase issue flow, without Qt.

The Qt window only draws this state and forwards touches. Everything slow happens
elsewhere and comes back through callbacks: the hall server through `hall.request(op,
params, callback)` (a `shared.client.port.HallPort`, which the Qt `HallConnection` is), the
printer through `runner.run(job, done)` (the Qt app runs jobs on a worker thread; tests may
run them inline). Time comes from `clock()` (monotonic seconds) and moves on in `tick()`.

`KioskModel` is the state (state.py) with each concern layered on it: the printer
(printer.py), browsing the catalog (browse.py), the priority lane (priority.py) and the
issue flow (flow.py); this module adds the connection's events and the clock.
"""

from __future__ import annotations

import logging
import math
from dataclasses import replace
from typing import Any

from queue_kiosk.model.catalog import read_waiting_counts
from queue_kiosk.model.flow import IssueFlow
from queue_kiosk.model.state import (
    CATALOG_REFRESH_S,
    CONFIRMATION_S,
    IDLE_S,
    ISSUE_TIMEOUT_S,
    NOTICE_S,
    PRINTER_CHECK_TIMEOUT_S,
    PRINTER_FAULT_POLL_S,
    PRINTER_POLL_S,
    Screen,
)
from queue_kiosk.model.ticket import Phase, Problem

log = logging.getLogger(__name__)


class KioskModel(IssueFlow):
    """The kiosk's whole state and every action a touch can take."""

    # -- the connection -----------------------------------------------------------------------

    def set_refused(self, code: str, detail: str) -> None:
        """The server refused this kiosk (most often a wrong hall key): the window says so by
        `code` in the residents' language, the log keeps the server's `detail` for the staff."""
        if code != self.refused:
            log.warning("the hall server refused this kiosk: %s (%s)", detail, code)
        self.refused = code
        self._changed()

    def set_online(self, online: bool) -> None:
        """The connection to the hall server came up (hello done) or went down."""
        was_online, self.online = self.online, online
        if online:
            self.refused = ""
            # Also on a resync while online: the catalog may have changed behind our back.
            self.refresh_catalog()
            self._resend_unconfirmed()
            if not was_online and self.printer_state != "unknown":
                # Also what was learnt offline; the server may have lost the last report
                # (a restart, a new day).
                self._reported = None
                self._report(self.printer_state, self._printer_message)
        if online != was_online:
            self._changed()

    def on_event(self, name: str, data: dict[str, Any]) -> None:
        """A server event: waiting counts and opening state change the buttons."""
        if name == "waiting_changed":
            counts = read_waiting_counts(data)
            self.categories = [
                replace(c, waiting=counts.get(c.code, c.waiting)) for c in self.categories
            ]
            if self.category is not None:
                self.category = next(
                    (c for c in self.categories if c.code == self.category.code), self.category
                )
            self._changed()
        if name in (
            "waiting_changed",
            "ticket_issued",
            "ticket_changed",
            "ticket_called",
            "day_reset",
        ):
            self.refresh_catalog()

    # -- time ---------------------------------------------------------------------------------

    def seconds_left(self) -> int | None:
        """Whole seconds until the confirmation returns to the start (None on other screens)."""
        if self.screen is not Screen.CONFIRMATION:
            return None
        return max(0, math.ceil(CONFIRMATION_S - (self.clock() - self._screen_since)))

    def tick(self) -> None:
        """Called about once a second: time-outs, returning to the start, refreshing."""
        now = self.clock()
        flow = self._flow
        if flow is not None:
            if (
                flow.phase is Phase.CHECKING_PRINTER
                and now - flow.started >= PRINTER_CHECK_TIMEOUT_S
            ):
                self._printer_polling = False
                self._set_printer_state("offline", "no answer to a status query")
                self._fail(Problem.PRINTER_OFFLINE)
            elif flow.phase is Phase.ISSUING and now - flow.started >= ISSUE_TIMEOUT_S:
                self._fail(Problem.SERVER_TIMEOUT)
            return
        since = now - self._screen_since
        if self.screen is Screen.CONFIRMATION and since >= CONFIRMATION_S:
            self.return_to_start()
        elif self.screen is Screen.NOTICE and since >= NOTICE_S:
            self.return_to_start()
        elif self.screen in (Screen.MATTERS, Screen.PIN) and now - self._last_touch >= IDLE_S:
            self.return_to_start()
        elif (
            self.screen is Screen.START and self.priority_armed and now - self._last_touch >= IDLE_S
        ):
            self.cancel_priority()
        if self.online and now - self._catalog_at >= CATALOG_REFRESH_S:
            self.refresh_catalog()
        poll_every = PRINTER_FAULT_POLL_S if self.printer_blocked else PRINTER_POLL_S
        if now - self._printer_polled_at >= poll_every and self.screen is Screen.START:
            self.poll_printer()
