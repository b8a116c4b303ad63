"""The kiosk view-model: screens, catalog, search and the two-phase issue flow, without Qt.

The Qt window only draws this state and forwards touches. Everything slow happens
elsewhere and comes back through callbacks: the hall server through `hall.request(op,
params, callback)` (the Qt `HallConnection` has exactly this shape), the printer through
`runner.run(job, done)` (the Qt window runs jobs on a worker thread; tests may run them
inline). Time comes from `clock()` (monotonic seconds) and moves on in `tick()`.

Issue flow, one ticket at a time (a second touch while a flow runs is ignored):

    CHECKING_PRINTER --paper/online ok--> ISSUING --issue ok--> PRINTING --printed--> confirmation
          |                                  |                       |
    paper out / offline:               refused / timeout:      printer raised:
    no ticket, kiosk_status            no ticket               print_failed (ticket cancelled)

A ticket the server issued after the kiosk stopped waiting is cancelled with
`print_failed`, so the queue never holds a ticket nobody has in hand.
"""

from __future__ import annotations

import enum
import hmac
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

from shared.client.connection import fetch_pages
from shared.domain import search
from shared.domain.vocabulary import PRINTER_BLOCKED, PRINTER_NEEDS_STAFF
from shared.protocol.readable import problem_of_catalog_entry, problem_of_service, readable

log = logging.getLogger(__name__)

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


class Phase(enum.Enum):
    IDLE = "idle"
    CHECKING_PRINTER = "checking_printer"
    ISSUING = "issuing"
    PRINTING = "printing"


class Problem(enum.Enum):
    """Why a touch gave no ticket (the view words each one)."""

    PAPER_OUT = "paper_out"
    PRINTER_OFFLINE = "printer_offline"
    PRINTER_ERROR = "printer_error"
    PRINT_FAILED = "print_failed"
    SERVER_OFFLINE = "server_offline"
    SERVER_TIMEOUT = "server_timeout"
    HALL_CLOSED = "hall_closed"
    SERVICE_CLOSED = "service_closed"
    SERVICE_FULL = "service_full"
    ISSUE_REFUSED = "issue_refused"
    TOO_FAST = "too_fast"  # this kiosk asked for tickets faster than the server allows


class PriorityMode(enum.Enum):
    """How staff unlock a priority (绿色通道) ticket for a resident."""

    OFF = "off"
    PIN = "pin"
    LONG_PRESS = "long-press"


# What counters and the board are told about this kiosk's printer (kiosk_status message).
_STATUS_MESSAGES = {
    "zh_CN": {
        "ok": "",
        "near_end": "取号机打印纸即将用完，请及时更换",
        "paper_out": "取号机打印机缺纸，已暂停出号",
        "offline": "取号机打印机离线，已暂停出号",
        "error": "取号机打印机故障：{detail}",
        "unknown": "",
    },
    "en": {
        "ok": "",
        "near_end": "Kiosk printer paper is running low; replace the roll soon",
        "paper_out": "Kiosk printer is out of paper; no tickets are issued",
        "offline": "Kiosk printer is offline; no tickets are issued",
        "error": "Kiosk printer error: {detail}",
        "unknown": "",
    },
}


def status_message(printer_state: str, detail: str = "", lang: str = "zh_CN") -> str:
    """The kiosk_status message for a printer state, in the kiosk's language."""
    texts = _STATUS_MESSAGES.get(lang, _STATUS_MESSAGES["zh_CN"])
    return texts.get(printer_state, "").format(detail=detail)[:200]


class HallPort(Protocol):
    def request(
        self,
        op: str,
        params: dict[str, Any] | None = None,
        callback: Callable[[Any], None] | None = None,
    ) -> int: ...


class Runner(Protocol):
    """Runs a slow job (a printer query) off the screen's thread and hands back its outcome."""

    def run(self, job: Callable[[], Any], done: Callable[[JobResult], None]) -> None: ...


class PrinterPort(Protocol):
    def status(self) -> Any: ...

    def print_ticket(self, data: bytes) -> Any: ...


@dataclass(frozen=True)
class JobResult:
    value: Any = None
    error: BaseException | None = None


MAX_NAMED_COUNTERS = 6  # more counters than this: the ticket names none ("any counter")


def _counter_numbers(value: Any) -> tuple[int, ...]:
    """A catalog service's `counters` (a list of numbers, or null) as the kiosk keeps it."""
    if not isinstance(value, list):
        return ()
    numbers = tuple(n for n in value if isinstance(n, int) and not isinstance(n, bool))
    return numbers if len(numbers) <= MAX_NAMED_COUNTERS else ()


class InlineRunner:
    """Runs jobs at once on the caller's thread (command line, tests of the flow)."""

    def run(self, job: Callable[[], Any], done: Callable[[JobResult], None]) -> None:
        try:
            value = job()
        except Exception as exc:  # handed to the flow, which decides what the resident sees
            done(JobResult(error=exc))
            return
        done(JobResult(value=value))


@dataclass(frozen=True)
class Category:
    code: str
    prefix: str
    name: str
    waiting: int


@dataclass(frozen=True)
class Matter:
    """A service as the kiosk shows it."""

    code: str
    name: str
    category: str
    pinyin: str
    waiting: int
    open: bool
    full: bool
    counters: tuple[int, ...] = ()  # the only counters that serve it; () = any counter


@dataclass(frozen=True)
class Confirmation:
    number: str
    service_name: str
    category_name: str
    ahead: int
    est_wait_s: int
    priority: bool
    preview_path: str | None = None
    counters: tuple[int, ...] = ()  # the only counters that serve the matter, if not all

    @property
    def est_wait_min(self) -> int:
        return math.ceil(self.est_wait_s / 60)


@dataclass(frozen=True)
class Notice:
    problem: Problem
    detail: str = ""


@dataclass
class _Flow:
    """One touch on a matter, from the printer check to the confirmation."""

    token: int
    matter: Matter
    priority: bool
    phase: Phase
    started: float
    ticket: dict[str, Any] | None = None
    ahead: int = 0
    est_wait_s: int = 0
    qr_url: str = ""


# PrinterStatus.condition (queue_kiosk.printing) -> the kiosk_status printer state.
_CONDITION_STATES = {
    "ready": "ok",
    "paper_near_end": "near_end",
    "paper_out": "paper_out",
    "offline": "offline",
    "unreachable": "offline",
    "no_reply": "offline",
    "cover_open": "error",
    "error": "error",
    "bad_reply": "error",
}
# PrinterError.code -> the kiosk_status printer state after a failed ticket.
_ERROR_STATES = {
    "paper_out": "paper_out",
    "offline": "offline",
    "not_found": "offline",
    "timeout": "offline",
}


def printer_state_of(status: Any) -> tuple[str, str]:
    """(kiosk_status state, staff detail) from a PrinterStatus; "unknown" for a printer that
    cannot tell (file, cups, win32, preview)."""
    condition = getattr(status, "condition", None)
    if condition == "no_reply" and getattr(status, "online", None):
        return "ok", ""  # it answered "online"; only the paper sensor stayed silent
    state = _CONDITION_STATES.get(str(condition), "unknown")
    return state, str(getattr(status, "detail", "") or "")


def _ticket_url(value: Any) -> str:
    """The ticket page's address from the issue reply; one that cannot be printed is left out."""
    from queue_kiosk.printing.slip import is_ticket_url

    if value is None:
        return ""
    if not is_ticket_url(value):
        log.warning("the server sent a ticket url that cannot be printed, left out: %r", value)
        return ""
    return str(value)


def printer_state_of_error(error: BaseException) -> str:
    return _ERROR_STATES.get(str(getattr(error, "code", "")), "error")


def _matter_name(matter: Matter) -> str:
    return matter.name


def _matter_pinyin(matter: Matter) -> str:
    return matter.pinyin


def matches_search(matter: Matter, text: str) -> bool:
    """Whether a matter matches what was typed: part of its name, or its pinyin initials."""
    return search.matches(matter.name, matter.pinyin, text)


class KioskModel:
    """The kiosk's whole state and every action a touch can take."""

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
        self.refused = ""  # the server's reason for refusing this kiosk, while it does
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

        self._listeners: list[Callable[[], None]] = []
        self._flow: _Flow | None = None
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
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener()

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

    # -- the connection -----------------------------------------------------------------------

    def set_refused(self, reason: str) -> None:
        """The server refused this kiosk (most often a wrong hall key): staff must see why."""
        self.refused = reason
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
            waiting = data.get("waiting")
            waiting = waiting if isinstance(waiting, dict) else {}
            counts = {}
            for code, count in waiting.items():
                if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
                    counts[code] = count
                else:
                    log.warning("waiting_changed: skipped the count of %.64r (%.40r)", code, count)
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

    def refresh_catalog(self) -> None:
        if not self.online:
            return
        if self._catalog_loading:
            self._catalog_stale = True
            return
        self._catalog_loading = True
        self._catalog_at = self.clock()
        fetch_pages(self.hall.request, "catalog", self._on_catalog)

    def _on_catalog(self, reply: Any) -> None:
        self._catalog_loading = False
        if reply.ok:
            self.load_catalog(reply.result)
        else:
            log.warning("catalog refused: %s %s", reply.code, reply.message)
        if self._catalog_stale:
            self._catalog_stale = False
            self.refresh_catalog()

    def _name(self, item: dict[str, Any]) -> str:
        """A department's or matter's name in the interface language (the catalog has both)."""
        if self.lang == "en" and item.get("name_en"):
            return str(item["name_en"])
        return str(item["name"])

    def load_catalog(self, result: dict[str, Any]) -> None:
        """Take a `catalog` result as the buttons to show."""
        self.hall_name = str(result.get("hall") or self.hall_name)
        self.issuing = bool(result.get("issuing", True))
        hours = result.get("hours") if isinstance(result.get("hours"), dict) else {}
        self.hours = tuple(
            str(hours.get(key)) if isinstance(hours.get(key), str) else ""
            for key in ("open", "close")
        )
        categories = readable(result.get("categories"), problem_of_catalog_entry, "catalog", log)
        services = readable(result.get("services"), problem_of_service, "catalog", log)
        self.categories = [
            Category(
                str(c["code"]), str(c.get("prefix", "")), self._name(c), int(c.get("waiting", 0))
            )
            for c in categories
        ]
        self.matters = [
            Matter(
                code=str(s["code"]),
                name=self._name(s),
                category=str(s["category"]),
                pinyin=str(s.get("pinyin") or "").lower(),
                waiting=int(s.get("waiting", 0)),
                open=bool(s.get("open", True)),
                full=bool(s.get("full", False)),
                counters=_counter_numbers(s.get("counters")),
            )
            for s in services
        ]
        if self.category is not None:
            self.category = next((c for c in self.categories if c.code == self.category.code), None)
            if self.category is None and self.screen is Screen.MATTERS and not self.search_text:
                self._go(Screen.START)
        self.page = min(self.page, max(0, self.page_count - 1))
        self._changed()

    # -- browsing -----------------------------------------------------------------------------

    def _touch(self) -> None:
        self._last_touch = self.clock()

    def category_open(self, code: str) -> bool:
        """Whether any matter of the department can be issued now."""
        return any(m.open for m in self.matters if m.category == code)

    def matters_of(self, code: str) -> list[Matter]:
        return [m for m in self.matters if m.category == code]

    def select_category(self, code: str) -> None:
        self._touch()
        if self.screen is not Screen.START or self.busy:
            return
        category = next((c for c in self.categories if c.code == code), None)
        if category is None:
            return
        self.category = category
        self.search_text = ""
        self.page = 0
        self._go(Screen.MATTERS)
        self._changed()

    def open_search(self) -> None:
        """The matters screen over every department, for residents who search by initials."""
        self._touch()
        if self.screen is not Screen.START or self.busy:
            return
        self.category = None
        self.search_text = ""
        self.page = 0
        self._go(Screen.MATTERS)
        self._changed()

    def set_search(self, text: str) -> None:
        self._touch()
        text = text[:40]
        if text == self.search_text:
            return
        self.search_text = text
        self.page = 0
        self._changed()

    def visible_matters(self) -> list[Matter]:
        """The matters the current department and search show, best matches first."""
        pool = self.matters if self.category is None else self.matters_of(self.category.code)
        return search.search(pool, self.search_text, _matter_name, _matter_pinyin)

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(len(self.visible_matters()) / self.page_size))

    def page_matters(self) -> list[Matter]:
        start = self.page * self.page_size
        return self.visible_matters()[start : start + self.page_size]

    def set_page_size(self, size: int) -> None:
        size = max(1, size)
        if size == self.page_size:
            return
        first = self.page * self.page_size
        self.page_size = size
        self.page = min(first // size, self.page_count - 1)
        self._changed()

    def next_page(self) -> None:
        self._touch()
        if self.page + 1 < self.page_count:
            self.page += 1
            self._changed()

    def previous_page(self) -> None:
        self._touch()
        if self.page > 0:
            self.page -= 1
            self._changed()

    def back(self) -> None:
        """The back button: from the matters or PIN screen to the start."""
        self._touch()
        if self.screen in (Screen.MATTERS, Screen.PIN):
            self.return_to_start(keep_priority=self.screen is Screen.MATTERS)

    def return_to_start(self, keep_priority: bool = False) -> None:
        if self.busy:
            return  # a ticket is on its way; the flow brings the screen back itself
        if not keep_priority:
            self.priority_armed = False
        self.category = None
        self.search_text = ""
        self.page = 0
        self.pin_entry = ""
        self.pin_error = False
        self.confirmation = None
        self.notice = None
        self._go(Screen.START)
        self._changed()

    def dismiss(self) -> None:
        """A touch on the confirmation or a notice: back to the start, unless it is the same
        finger that took the ticket a moment ago."""
        self._touch()
        if self.screen not in (Screen.CONFIRMATION, Screen.NOTICE):
            return
        if self.clock() - self._screen_since < CONFIRMATION_MIN_S:
            return
        self.return_to_start()

    # -- priority (绿色通道) --------------------------------------------------------------------

    def open_priority(self) -> None:
        """The 绿色通道 button in PIN mode: the staff PIN pad."""
        self._touch()
        if (
            self.screen is not Screen.START
            or self.busy
            or self.priority_mode is not PriorityMode.PIN
        ):
            return
        self.pin_entry = ""
        self.pin_error = False
        self._go(Screen.PIN)
        self._changed()

    @property
    def pin_locked(self) -> bool:
        now = self.clock()
        recent = [t for t in self._pin_failures if now - t < PIN_LOCKOUT_S]
        return len(recent) >= PIN_ATTEMPTS

    def pin_digit(self, digit: str) -> None:
        self._touch()
        if self.screen is not Screen.PIN or not digit.isdigit() or len(self.pin_entry) >= 8:
            return
        self.pin_entry += digit
        self.pin_error = False
        self._changed()

    def pin_clear(self) -> None:
        self._touch()
        self.pin_entry = ""
        self._changed()

    def pin_submit(self) -> None:
        self._touch()
        if self.screen is not Screen.PIN:
            return
        entered, self.pin_entry = self.pin_entry, ""
        if self.pin_locked or not self._priority_pin:
            self.pin_error = True
        elif hmac.compare_digest(entered.encode(), self._priority_pin.encode()):
            self._pin_failures.clear()
            self.priority_armed = True
            self.pin_error = False
            self._go(Screen.START)
        else:
            self._pin_failures.append(self.clock())
            self.pin_error = True
        self._changed()

    def priority_pressed(self, held_s: float) -> None:
        """The 绿色通道 button was released after `held_s` seconds (long-press mode)."""
        self._touch()
        if self.screen is not Screen.START or self.busy:
            return
        if self.priority_mode is PriorityMode.PIN:
            self.open_priority()
        elif self.priority_mode is PriorityMode.LONG_PRESS and held_s >= PRIORITY_LONG_PRESS_S:
            self.priority_armed = True
            self._changed()

    def cancel_priority(self) -> None:
        self._touch()
        if self.priority_armed:
            self.priority_armed = False
            self._changed()

    # -- the issue flow -----------------------------------------------------------------------

    def why_not(self, matter: Matter) -> Problem | None:
        """Why touching this matter would give no ticket right now, or None."""
        if not self.online:
            return Problem.SERVER_OFFLINE
        if not self.issuing:
            return Problem.HALL_CLOSED
        if matter.full:
            return Problem.SERVICE_FULL
        if not matter.open:
            return Problem.SERVICE_CLOSED
        return None

    def select_matter(self, code: str) -> None:
        """A touch on a matter: check the printer, then issue and print one ticket."""
        self._touch()
        if self.screen is not Screen.MATTERS or self.busy:
            return  # the second and third touch of a double tap end here
        matter = next((m for m in self.matters if m.code == code), None)
        if matter is None or self.why_not(matter) is not None:
            return  # its button says why; nothing is issued
        self._tokens += 1
        flow = _Flow(
            self._tokens, matter, self.priority_armed, Phase.CHECKING_PRINTER, self.clock()
        )
        self._flow = flow
        self._go(Screen.WORKING)
        self._changed()
        if self.reads_status:
            self.runner.run(self.printer.status, lambda result: self._on_status(flow.token, result))
        else:
            self._issue(flow)

    def _current(self, token: int) -> _Flow | None:
        return self._flow if self._flow is not None and self._flow.token == token else None

    def _on_status(self, token: int, result: JobResult) -> None:
        self._printer_polling = False
        flow = self._current(token)
        message = None
        if result.error is not None:
            state, detail = "error", str(result.error)
        else:
            state, detail = printer_state_of(result.value)
            staff_message = getattr(result.value, "staff_message", None)
            if callable(staff_message) and state in PRINTER_NEEDS_STAFF:
                message = str(staff_message(self.lang))
        self._set_printer_state(state, detail, message)
        if flow is None or flow.phase is not Phase.CHECKING_PRINTER:
            return  # gave up waiting, or a background poll
        if state in PRINTER_BLOCKED:
            problem = {"paper_out": Problem.PAPER_OUT, "offline": Problem.PRINTER_OFFLINE}.get(
                state, Problem.PRINTER_ERROR
            )
            self._fail(problem, detail)
            return
        self._issue(flow)

    def _issue(self, flow: _Flow) -> None:
        flow.phase = Phase.ISSUING
        flow.started = self.clock()
        params: dict[str, Any] = {"service": flow.matter.code, "priority": flow.priority}
        if flow.priority and self._priority_pin:
            params["priority_pin"] = self._priority_pin  # the server checks the staff PIN too
        self.hall.request("issue", params, lambda reply: self._on_issued(flow.token, reply))

    def _on_issued(self, token: int, reply: Any) -> None:
        flow = self._current(token)
        if flow is None or flow.phase is not Phase.ISSUING:
            if reply.ok:  # issued after the resident was told "no ticket": take it back
                ticket_id = reply.result["ticket"]["id"]
                self._confirm(
                    "print_failed",
                    {
                        "ticket": ticket_id,
                        "reason": "kiosk stopped waiting for the server; nothing was printed",
                    },
                )
            return
        if not reply.ok:
            if reply.code == "issuing_closed":
                self.refresh_catalog()
                # One code covers these; the error's reason tells them apart.
                problem = {
                    "daily_limit": Problem.SERVICE_FULL,
                    "rate_limit": Problem.TOO_FAST,
                }.get(reply.reason, Problem.HALL_CLOSED)
            elif reply.code == "disconnected":
                problem = Problem.SERVER_OFFLINE
            else:
                problem = Problem.ISSUE_REFUSED
            self._fail(problem, reply.message)
            return
        flow.ticket = reply.result["ticket"]
        flow.ahead = int(reply.result.get("ahead", 0))
        flow.est_wait_s = int(reply.result.get("est_wait_s", 0))
        flow.qr_url = _ticket_url(reply.result.get("url"))
        flow.phase = Phase.PRINTING
        self._changed()
        try:
            slip = self._slip(flow)
            data = self.render(slip, self.paper_mm)
        except Exception as exc:  # a slip that cannot be laid out prints nothing
            log.exception("ticket %s could not be laid out", flow.ticket.get("number"))
            self._print_done(token, JobResult(error=exc))
            return

        def job() -> str | None:
            self.printer.print_ticket(data)
            return self._save_preview(data) if self._save_preview else None

        self.runner.run(job, lambda result: self._print_done(token, result))

    def _slip(self, flow: _Flow) -> Any:
        ticket = flow.ticket or {}
        category = next((c for c in self.categories if c.code == flow.matter.category), None)
        return self.make_slip(
            hall=self.hall_name,
            number=str(ticket["number"]),
            service_name=flow.matter.name,
            category_name=category.name if category else "",
            ahead=flow.ahead,
            est_wait_s=flow.est_wait_s,
            issued_at=datetime.fromisoformat(ticket["issued_at"]),
            ticket_id=int(ticket["id"]),
            priority=bool(ticket.get("priority", flow.priority)),
            notice=self.ticket_notice,
            lang=self.lang,
            qr_url=flow.qr_url,
            counters=flow.matter.counters,
        )

    def _print_done(self, token: int, result: JobResult) -> None:
        flow = self._current(token)
        if flow is None or flow.ticket is None:
            return
        ticket_id = int(flow.ticket["id"])
        if result.error is not None:
            reason = str(result.error) or type(result.error).__name__
            self._confirm("print_failed", {"ticket": ticket_id, "reason": reason[:200]})
            self._set_printer_state(printer_state_of_error(result.error), reason)
            self._fail(Problem.PRINT_FAILED, reason)
            return
        self._confirm("printed", {"ticket": ticket_id})
        self.issued_count += 1
        category = next((c for c in self.categories if c.code == flow.matter.category), None)
        self.confirmation = Confirmation(
            number=str(flow.ticket["number"]),
            service_name=flow.matter.name,
            category_name=category.name if category else "",
            ahead=flow.ahead,
            est_wait_s=flow.est_wait_s,
            priority=bool(flow.ticket.get("priority", flow.priority)),
            preview_path=result.value if isinstance(result.value, str) else None,
            counters=flow.matter.counters,
        )
        self._flow = None
        self.priority_armed = False
        if self.printer_state in PRINTER_BLOCKED:
            self._set_printer_state("ok", "")  # it printed, so the trouble is over
        self._go(Screen.CONFIRMATION)
        self._changed()

    def _fail(self, problem: Problem, detail: str = "") -> None:
        self._flow = None
        self.notice = Notice(problem, detail)
        self._go(Screen.NOTICE)
        self._changed()

    def _confirm(self, op: str, params: dict[str, Any]) -> None:
        """Send printed / print_failed; kept and sent again after a reconnect until answered."""

        def done(reply: Any) -> None:
            if not reply.ok and reply.code == "disconnected":
                self._unconfirmed.append((op, params))
            elif not reply.ok:
                log.warning("%s for ticket %s refused: %s", op, params["ticket"], reply.message)

        self.hall.request(op, params, done)

    def _resend_unconfirmed(self) -> None:
        pending, self._unconfirmed = self._unconfirmed, []
        for op, params in pending:
            self._confirm(op, params)

    # -- the printer --------------------------------------------------------------------------

    def _set_printer_state(self, state: str, detail: str, message: str | None = None) -> None:
        changed = (state, detail) != (self.printer_state, self.printer_detail)
        self.printer_state, self.printer_detail = state, detail
        if message is None:
            message = status_message(state, detail, self.lang)
        self._printer_message = message
        self._report(state, message)
        if changed:
            self._changed()

    def _report(self, state: str, message: str) -> None:
        """Tell counters and the board about the printer (only when it changed)."""
        if (state, message) == self._reported or not self.online:
            return
        self._reported = (state, message)

        def done(reply: Any) -> None:
            if not reply.ok:
                self._reported = None  # try again next time
                log.warning("kiosk_status refused: %s %s", reply.code, reply.message)

        self.hall.request("kiosk_status", {"printer": state, "message": message}, done)

    def poll_printer(self) -> None:
        """Read the printer between tickets (never during one)."""
        if not self.reads_status or self.busy or self._printer_polling:
            return
        self._printer_polling = True
        self._printer_polled_at = self.clock()
        self.runner.run(self.printer.status, lambda result: self._on_status(-1, result))

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
