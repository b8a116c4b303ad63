"""The kiosk's state in one place: which screen shows, what the catalog holds, the printer.

`KioskState` keeps every field the screens draw and the few helpers every part of the
behaviour needs (tell the listeners, change screen, note a touch). The behaviour itself is
layered on top, one concern per module: the printer (printer.py), browsing the catalog
(browse.py), the priority lane (priority.py), the issue flow (flow.py) and the connection
and the clock (kiosk.py, whose `KioskModel` is the whole model).
"""

from __future__ import annotations

import enum
import math
import time
from collections.abc import Callable
from typing import Any

from queue_kiosk.model.catalog import Category, Matter
from queue_kiosk.model.ports import PrinterPort, Runner
from queue_kiosk.model.ticket import Confirmation, Flow, Notice, Phase
from shared.client.listeners import Listeners
from shared.client.port import HallPort
from shared.domain.vocabulary import PRINTER_BLOCKED

CONFIRMATION_S = 8.0  # the confirmation screen returns to the start by itself
CONFIRMATION_MIN_S = 1.5  # touches this soon after a ticket are the same finger, not a request
NOTICE_S = 10.0  # a problem message stays this long
IDLE_S = 45.0  # any other screen left alone this long returns to the start
PRINTER_CHECK_TIMEOUT_S = 5.0  # a printer that does not answer a status query counts as offline
ISSUE_TIMEOUT_S = 10.0  # the resident is told "no ticket" after this; a late ticket is cancelled
CATALOG_REFRESH_S = 30.0  # opening hours and daily limits change with time, not only by events
PRINTER_POLL_S = 60.0  # an idle kiosk re-reads its printer so staff hear of paper out early
PRINTER_FAULT_POLL_S = 12.0  # while the printer is faulty: a refill is seen within seconds
PIN_ATTEMPTS = 5
PIN_LOCKOUT_S = 60.0
PRIORITY_LONG_PRESS_S = 2.0


class Screen(enum.Enum):
    START = "start"
    MATTERS = "matters"
    PIN = "pin"
    WORKING = "working"
    CONFIRMATION = "confirmation"
    NOTICE = "notice"


class PriorityMode(enum.Enum):
    """How staff unlock a priority (绿色通道) ticket for a resident."""

    OFF = "off"
    PIN = "pin"
    LONG_PRESS = "long-press"


class KioskState:
    """Every field of the kiosk, its collaborators, and the helpers all behaviour shares."""

    def __init__(
        self,
        hall: HallPort,
        printer: PrinterPort,
        runner: Runner,
        render: Callable[..., bytes],
        make_slip: Callable[..., Any],
        *,
        hall_name: str = "",
        ticket_notice: str = "",
        paper_mm: int = 80,
        priority_mode: PriorityMode = PriorityMode.OFF,
        priority_pin: str | None = None,
        lang: str = "zh_CN",
        reads_status: bool = True,
        save_preview: Callable[[bytes], str | None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if priority_mode is PriorityMode.PIN and not priority_pin:
            raise ValueError("priority mode 'pin' needs a priority_pin in the hall configuration")
        self.hall = hall
        self.printer = printer
        self.runner = runner
        self.render = render
        self.make_slip = make_slip
        self.hall_name = hall_name
        self.ticket_notice = ticket_notice
        self.paper_mm = paper_mm
        self.priority_mode = priority_mode
        self._priority_pin = priority_pin
        self.lang = lang
        self.refused = ""  # the error code of the server's refusal of this kiosk, while it refuses
        self.reads_status = reads_status
        self._save_preview = save_preview
        self.clock = clock

        self.screen = Screen.START
        self.online = False
        self.issuing = True
        self.hours: tuple[str, ...] = ("", "")  # issuing hours "HH:MM" from the catalog, or ""
        self.categories: list[Category] = []
        self.matters: list[Matter] = []
        self.category: Category | None = None  # None on the matters screen: search everything
        self.search_text = ""
        self.page = 0
        self.page_size = 12
        self.priority_armed = False
        self.pin_entry = ""
        self.pin_error = False
        self.confirmation: Confirmation | None = None
        self.notice: Notice | None = None
        self.printer_state = "unknown"
        self.printer_detail = ""
        self.issued_count = 0

        self._listeners = Listeners()
        self._flow: Flow | None = None
        self._tokens = 0
        self._screen_since = clock()
        self._last_touch = clock()
        self._catalog_loading = False
        self._catalog_stale = False
        self._catalog_at = -math.inf
        self._printer_polling = False
        self._printer_polled_at = clock()
        self._reported: tuple[str, str] | None = None  # what the server was last told
        self._printer_message = ""
        self._unconfirmed: list[tuple[str, dict[str, Any]]] = []  # printed / print_failed to resend
        self._pin_failures: list[float] = []

    # -- observing ----------------------------------------------------------------------------

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.add(listener)

    def _changed(self) -> None:
        self._listeners.tell()

    @property
    def phase(self) -> Phase:
        return self._flow.phase if self._flow else Phase.IDLE

    @property
    def busy(self) -> bool:
        return self._flow is not None

    @property
    def printer_blocked(self) -> bool:
        return self.printer_state in PRINTER_BLOCKED

    def _go(self, screen: Screen) -> None:
        self.screen = screen
        self._screen_since = self.clock()

    def _touch(self) -> None:
        self._last_touch = self.clock()
