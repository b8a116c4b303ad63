"""The counter client's view-model: what the clerk's window shows and does, without Qt.

The window binds to it; it talks to the hall through a `Transport` (the Qt
`HallConnection` in the app, a blocking client adapter in tests). Every button state
comes from `enabled()`, which asks `shared.domain.lifecycle.counter_ops` and refuses
everything while a request is in flight, so a double press can never call twice. After
a call the call keys stay locked for the hall's call gap (`call_gap_s`, from `login`),
so a second press a moment later (a bouncing key, a worn keypad) is ignored too; the
server holds the same rule.
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from shared.client.connection import fetch_pages
from shared.domain import search
from shared.domain.errors import QueueHallError
from shared.domain.lifecycle import HELD_STATES, counter_ops
from shared.domain.limits import MAX_CALL_GAP_S
from shared.protocol.readable import (
    problem_of_counter,
    problem_of_service,
    problem_of_ticket,
    readable,
)

log = logging.getLogger(__name__)

# The clerk's actions, in button order. `pause_resume` is one button that pauses an open
# counter and resumes a paused one.
ACTIONS = (
    "call_next",
    "recall",
    "start",
    "finish",
    "no_show",
    "transfer",
    "call",
    "pause_resume",
    "reactivate",
)

# Hall keypads send F-keys; the order follows the clerk's day (call, recall, start, finish ...).
DEFAULT_SHORTCUTS: dict[str, str] = {
    action: f"F{index}" for index, action in enumerate(ACTIONS, start=1)
}

_KEY_RE = re.compile(
    r"(?:(?:Ctrl|Alt|Shift|Meta)\+)*"
    r"(?:F(?:[1-9]|1[0-9]|2[0-4])|[A-Z0-9]|Ins|Del|Home|End|PgUp|PgDown|Space|Return|Enter"
    r"|Num\+[0-9+\-*/.])"
)

# Connection states, as HallConnection names them.
CONNECTING, ONLINE, OFFLINE = "connecting", "online", "offline"

CALL_ACTIONS = frozenset({"call_next", "call"})  # held back by the call gap (recall is not)
CALL_TOO_SOON = "call_too_soon"  # the server's reason when a call comes inside the gap

QUEUE_REFRESH_DELAY_S = 0.15  # events come in bursts (a call sends three); ask `queue` once
_QUEUE_EVENTS = frozenset({"ticket_issued", "ticket_called", "ticket_changed", "waiting_changed"})

log = logging.getLogger(__name__)


class ShortcutError(QueueHallError, ValueError):
    """A shortcut setting that cannot be used; the message names the problem."""


def parse_shortcuts(text: str | None) -> dict[str, str]:
    """'call_next=F1,recall=F2' -> the full action->key map (defaults for actions not named).

    Keys are written the Qt way: F1..F24, a letter or digit, Ctrl+/Alt+/Shift+ combinations,
    or Num+<digit> for the numeric keypad. Every action must end up with a different key.
    """
    shortcuts = dict(DEFAULT_SHORTCUTS)
    if text is None or not text.strip():
        return shortcuts
    given: dict[str, str] = {}
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        action, sep, key = (s.strip() for s in part.partition("="))
        if not sep:
            raise ShortcutError(f"shortcut {part!r} must be written ACTION=KEY, e.g. call_next=F1")
        if action not in DEFAULT_SHORTCUTS:
            raise ShortcutError(
                f"unknown action {action!r} in the shortcuts; actions are: {', '.join(ACTIONS)}"
            )
        normalised = _normalise_key(key)
        if not _KEY_RE.fullmatch(normalised):
            raise ShortcutError(
                f"key {key!r} for {action} is not a usable key (use F1..F24, a letter or digit,"
                " Ctrl+/Alt+/Shift+ combinations, or Num+<digit>)"
            )
        if action in given:
            raise ShortcutError(f"action {action} is given two shortcuts")
        given[action] = normalised
    shortcuts.update(given)
    owners: dict[str, str] = {}
    for action in ACTIONS:
        key = shortcuts[action]
        if key in owners:
            other = owners[key]
            blame = action if action in given else other
            raise ShortcutError(
                f"key {key} is used for both {other} and {action}; give {blame} another key"
            )
        owners[key] = action
    return shortcuts


def _normalise_key(key: str) -> str:
    parts = [p.strip() for p in key.split("+")]
    if len(parts) > 1 and parts[-1] == "" and parts[-2] == "":  # "Num++"
        parts = [*parts[:-2], "+"]
    fixed = []
    for part in parts:
        low = part.lower()
        named = {
            "ctrl": "Ctrl",
            "alt": "Alt",
            "shift": "Shift",
            "meta": "Meta",
            "num": "Num",
            "ins": "Ins",
            "del": "Del",
            "home": "Home",
            "end": "End",
            "pgup": "PgUp",
            "pgdown": "PgDown",
            "space": "Space",
            "return": "Return",
            "enter": "Enter",
        }
        fixed.append(named.get(low, part.upper()))
    return "+".join(fixed)


class ReplyLike(Protocol):
    ok: bool
    result: dict[str, Any]
    code: str
    message: str
    reason: str


class Transport(Protocol):
    """What the model needs from a hall connection (HallConnection has exactly this)."""

    def request(
        self, op: str, params: dict[str, Any] | None = None, callback: Any = None
    ) -> int: ...

    def login(self, clerk: str, pin: str, callback: Any = None) -> None: ...

    def logout(self, callback: Any = None) -> None: ...


@dataclass(frozen=True)
class Notice:
    """A message for the clerk. `key` names the text (the window translates it);
    `detail` is the server's own message, shown under it."""

    level: str  # "info" | "error"
    key: str
    args: Mapping[str, Any] = field(default_factory=dict)
    detail: str = ""


@dataclass
class DayFigures:
    """The logged-in clerk's figures for the business day, as the server counts them
    (`clerk_stats`: the monthly report's definitions, for today)."""

    served: int = 0
    no_shows: int = 0
    mean_service_s: float | None = None
    without_start: int = 0
    short: int = 0
    short_service_s: int | None = None
    calls: int = 0
    recalls: int = 0
    logged_in_s: int = 0
    paused_s: int = 0
    rated: int = 0
    score: float | None = None

    @property
    def short_share(self) -> float | None:
        return self.short / self.served if self.served else None

    @property
    def calls_per_served(self) -> float | None:
        return self.calls / self.served if self.served else None

    @classmethod
    def from_stats(cls, stats: Mapping[str, Any]) -> DayFigures:
        """Tolerant: a field missing or of the wrong type (an older server) reads as none."""

        def whole(key: str) -> int:
            value = stats.get(key)
            return int(value) if isinstance(value, int | float) and value >= 0 else 0

        def real(key: str) -> float | None:
            value = stats.get(key)
            return float(value) if isinstance(value, int | float) else None

        paused = stats.get("paused_s")
        short_s = stats.get("short_service_s")
        return cls(
            served=whole("served"),
            no_shows=whole("no_shows"),
            mean_service_s=real("mean_service_s"),
            without_start=whole("without_start"),
            short=whole("short"),
            short_service_s=int(short_s) if isinstance(short_s, int) else None,
            calls=whole("calls"),
            recalls=whole("recalls"),
            logged_in_s=whole("logged_in_s"),
            paused_s=sum(int(v) for v in paused.values() if isinstance(v, int | float) and v > 0)
            if isinstance(paused, dict)
            else 0,
            rated=whole("rated"),
            score=real("score"),
        )


def _parse_time(text: str | None) -> float | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).timestamp()
    except ValueError:
        return None


class CounterModel:
    """State and actions of one counter's window.

    `schedule(delay_s, fn)` runs `fn` later (a QTimer in the window); without one,
    `fn` runs at once. `clock()` gives the local time as a POSIX timestamp.
    """

    def __init__(
        self,
        counter: int,
        transport: Transport,
        *,
        lang: str = "zh_CN",
        shortcuts: Mapping[str, str] | None = None,
        schedule: Callable[[float, Callable[[], None]], None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.number = counter
        self.transport = transport
        self.lang = lang
        self.shortcuts = dict(shortcuts or DEFAULT_SHORTCUTS)
        self._schedule = schedule
        self._clock = clock
        self._listeners: list[Callable[[], None]] = []

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
        self._before: dict[str, Any] | None = None  # the ticket held when an op was sent
        self._transfer_to: dict[str, Any] = {}  # the target of the transfer in flight
        self._sent: dict[str, Any] = {}  # the params of the op in flight
        self.figures = DayFigures()
        self._figures_at = 0.0  # local clock when `figures` came from the server
        self._closed_ids: set[int] = set()  # tickets already counted into a figures refresh
        self.day: str | None = None
        # The hall's latest login alert (repeated wrong PINs for one clerk id), for staff.
        self.login_alert: dict[str, Any] | None = None
        self._clock_offset = 0.0  # server time minus local time
        self._started_at: dict[int, float] = {}  # ticket id -> server time it was started
        self._queue_scheduled = False
        self._queue_inflight = False
        self._queue_again = False
        self._auto_login: tuple[str, str] | None = None
        self.call_gap_s = 0  # the hall's call gap, from the login reply
        self._calls_locked_until = 0.0  # local clock: call keys are ignored until then
        # Called with the ticket once this counter's `finish` succeeded (the rating window).
        self.on_finished: Callable[[dict[str, Any]], None] | None = None

    # -- observers ----------------------------------------------------------------------------

    def subscribe(self, listener: Callable[[], None]) -> None:
        """`listener()` is called after every change of what the window shows."""
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener()

    # -- what the window shows ----------------------------------------------------------------

    @property
    def logged_in(self) -> bool:
        return self.clerk is not None

    @property
    def ticket(self) -> dict[str, Any] | None:
        """The ticket this counter holds (called or serving), or None."""
        ticket = (self.counter or {}).get("ticket")
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

    def allowed_ops(self) -> frozenset[str]:
        """The counter ops the server would accept now (no request in flight, online)."""
        if self.connection != ONLINE or self.busy or not self.logged_in:
            return frozenset()
        ticket = self.ticket
        return counter_ops(self.counter_state, ticket["state"] if ticket else None)

    def time_logged_in_s(self) -> tuple[int, int]:
        """(logged in, paused) seconds today, counted on from the server's last figures."""
        since = max(0, int(self._clock() - self._figures_at)) if self._figures_at else 0
        logged_in = self.figures.logged_in_s + (since if self.logged_in else 0)
        paused = self.figures.paused_s + (since if self.paused else 0)
        return logged_in, paused

    def call_lock_s(self) -> int:
        """Whole seconds the call keys stay locked by the call gap; 0 when they are free."""
        left = self._calls_locked_until - self._clock()
        return math.ceil(left) if left > 0 else 0

    def _lock_calls(self, seconds: float) -> None:
        if seconds <= 0:
            return
        self._calls_locked_until = max(self._calls_locked_until, self._clock() + seconds)
        if self._schedule is not None:  # unlock the keys on time, without waiting for an event
            self._schedule(seconds + 0.05, self._changed)  # a timer may fire a little early

    def enabled(self, action: str) -> bool:
        if action not in DEFAULT_SHORTCUTS and action != "logout":
            raise KeyError(f"unknown action {action!r}")
        if action in CALL_ACTIONS and self.call_lock_s():
            return False
        ops = self.allowed_ops()
        if action == "pause_resume":
            return "pause" in ops or "resume" in ops
        return action in ops

    def service_name(self, code: str | None) -> str:
        if not code:
            return ""
        service = self.services.get(code)
        if service is None:
            return code
        if self.lang == "en" and service.get("name_en"):
            return str(service["name_en"])
        return str(service.get("name") or code)

    def server_now(self) -> float:
        return self._clock() + self._clock_offset

    def active_login_alert(self) -> dict[str, Any] | None:
        """The login alert while its lockout lasts: {"clerk", "source", "at", "until"}."""
        alert = self.login_alert
        until = _parse_time(alert.get("until")) if alert else None
        if alert is None or until is None or self.server_now() >= until:
            return None
        return alert

    def _take_login_alert(self, alert: Any) -> None:
        if alert is None or (
            isinstance(alert, dict)
            and isinstance(alert.get("clerk"), str)
            and isinstance(alert.get("until"), str)
        ):
            self.login_alert = alert
        else:
            log.warning("skipped a login alert that cannot be read: %r", alert)

    def ticket_elapsed_s(self) -> int | None:
        """Seconds since the current ticket was started (serving) or called."""
        ticket = self.ticket
        if ticket is None:
            return None
        begun = None
        if ticket["state"] == "serving":
            begun = self._started_at.get(ticket["id"])
        if begun is None:
            begun = _parse_time(ticket.get("called_at"))
        if begun is None:
            return None
        return max(0, int(self.server_now() - begun))

    def ticket_waited_s(self, ticket: Mapping[str, Any] | None = None) -> int | None:
        """How long a resident waited: from issue to the (last) call, or to now if waiting."""
        ticket = ticket if ticket is not None else self.ticket
        if not ticket:
            return None
        issued = _parse_time(ticket.get("issued_at"))
        if issued is None:
            return None
        until = _parse_time(ticket.get("called_at")) if ticket.get("state") in HELD_STATES else None
        return max(0, int((until if until is not None else self.server_now()) - issued))

    def transfer_counters(self) -> list[dict[str, Any]]:
        """The other counters a ticket may be reserved for."""
        return [c for c in self.counters if c.get("number") != self.number]

    def transfer_services(self, text: str = "") -> list[dict[str, Any]]:
        """The matters a ticket may be transferred to or called for; `text` finds them by part
        of their name (either language) or their pinyin initials."""
        return search.search(self.services.values(), text, _service_names, _service_pinyin)

    def counter_label(self, number: int | None) -> str:
        """A counter's name as the hall calls it ("21号窗口"), or its number."""
        for counter in self.counters:
            if counter.get("number") == number:
                return str(counter.get("name") or number)
        return str(number)

    def counter_is_closed(self, number: int | None) -> bool:
        for counter in self.counters:
            if counter.get("number") == number:
                return counter.get("state") == "closed"
        return False

    def kiosks_needing_attention(self) -> list[dict[str, Any]]:
        """Kiosks whose printer is out of paper, offline or faulty (for the staff banner)."""
        return [k for k in self.kiosks.values() if k.get("printer") not in (None, "ok", "unknown")]

    def warn(self, key: str, **args: Any) -> None:
        """Show a notice the window itself raised (e.g. a confirmation question)."""
        self.notice = Notice("info", key, args)
        self._changed()

    def clear_notice(self, notice: Notice | None = None) -> None:
        """Clear the notice (only `notice`, if given and still shown)."""
        if self.notice is None or (notice is not None and self.notice is not notice):
            return
        self.notice = None
        self._changed()

    # -- connection -----------------------------------------------------------------------------

    def set_auto_login(self, clerk: str, pin: str) -> None:
        """Log in as soon as the connection is up (the demo starts counters this way)."""
        self._auto_login = (clerk, pin)

    def on_state(self, state: str) -> None:
        self.connection = state
        if state != ONLINE:
            self._queue_inflight = False
        self._changed()

    def on_handshake_failed(self, code: str, message: str) -> None:
        if "does not exist" in message:
            self.counter_exists = False
        self.notice = Notice("error", "handshake_failed", {"code": code}, message)
        self._changed()

    def on_hello(self, hello: Mapping[str, Any] | None) -> None:
        """Estimate the server clock from hello's server_time (timers use server times)."""
        server_time = _parse_time((hello or {}).get("server_time"))
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
        raw = snapshot.get("counters")
        self.counters = readable(raw, problem_of_counter, "snapshot", log)
        self._take_login_alert(snapshot.get("login_alert"))
        mine = next((c for c in self.counters if c.get("number") == self.number), None)
        # Our own counter in a form this client cannot read still exists: keep what we knew.
        listed = isinstance(raw, list) and any(
            isinstance(c, dict) and c.get("number") == self.number for c in raw
        )
        self.counter_exists = mine is not None or listed
        if mine is not None:
            self._set_counter(mine)
        if self.notice and self.notice.key in ("disconnected", "handshake_failed"):
            self.notice = None
        self.kiosks = {
            str(k["client"]): k
            for k in snapshot.get("kiosks") or []
            if isinstance(k, dict) and isinstance(k.get("client"), str)
        }
        self._load_catalog()
        if self.logged_in:
            self.schedule_queue_refresh()
            self.refresh_figures()
        elif self._auto_login and not self.logging_in:
            clerk, pin = self._auto_login
            self.login(clerk, pin)
        self._changed()

    def on_login_failed(self, code: str, message: str) -> None:
        """The login replayed after a reconnect was refused (PIN changed, clerk disabled)."""
        self.clerk = None
        self.queue = []
        self.notice = Notice("error", "login_lost", {"code": code}, message)
        self._changed()

    def on_event(self, name: str, seq: int, data: Mapping[str, Any]) -> None:
        if name == "counter_changed":
            counter = data.get("counter")
            problem = problem_of_counter(counter)
            if problem is not None:
                log.warning("counter_changed (seq %s): skipped, unreadable: %s", seq, problem)
            else:
                assert isinstance(counter, dict)
                self.counters = [
                    counter if c.get("number") == counter.get("number") else c
                    for c in self.counters
                ]
                if counter.get("number") == self.number:
                    self._set_counter(counter)
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

    # -- actions ------------------------------------------------------------------------------

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
            self._error(reply, "logout")
        self._changed()

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
            if getattr(reply, "reason", "") == CALL_TOO_SOON:
                retry = getattr(reply, "retry_after_s", None)
                # Never longer than the hall's gap (MAX_CALL_GAP_S at most): a server clock set back
                # must not lock the keys for hours.
                gap = self.call_gap_s or MAX_CALL_GAP_S
                self._lock_calls(min(retry, gap) if isinstance(retry, int) else self.call_gap_s)
            self._error(reply, op)
            self._changed()
            return
        result = reply.result
        if op in CALL_ACTIONS and isinstance(result.get("ticket"), dict):
            self._lock_calls(self.call_gap_s)
        if "counter" in result and isinstance(result["counter"], dict):
            self._set_counter(result["counter"])
        ticket = result.get("ticket")
        if isinstance(ticket, dict):
            self._note_closed(ticket)
            self._apply_ticket(op, ticket)
        self.notice = self._outcome_notice(op, before, ticket if isinstance(ticket, dict) else None)
        if op in ("pause", "resume"):
            self.refresh_figures()  # the paused time counts on from here
        if op == "finish" and isinstance(ticket, dict) and self.on_finished is not None:
            self.on_finished(ticket)
        self.schedule_queue_refresh()
        self._changed()

    def _outcome_notice(
        self, op: str, before: dict[str, Any] | None, ticket: dict[str, Any] | None
    ) -> Notice | None:
        """What the clerk is told after an op succeeded: always what happened to which ticket."""
        done = before["number"] if before and op in ("call_next", "call") else None
        if op in ("call_next", "call"):
            if ticket is None:
                key = "finished_nobody_waiting" if done else "nobody_waiting"
                return Notice("info", key, {"done": done})
            if done:
                return Notice(
                    "info", "finished_and_called", {"done": done, "number": ticket["number"]}
                )
            return None
        if ticket is None:
            return None
        number = ticket["number"]
        if op == "finish":
            return Notice("info", "finished", {"number": number})
        if op == "no_show":
            return Notice("info", "no_show_done", {"number": number})
        if op == "reactivate":
            self.no_shows = [t for t in self.no_shows if t.get("id") != ticket.get("id")]
            return Notice("info", "reactivated", {"number": number})
        if op == "transfer":
            target, self._transfer_to = self._transfer_to, {}
            if "counter" in target:
                return Notice(
                    "info",
                    "transferred_to_counter",
                    {"number": number, "to": self.counter_label(target["counter"])},
                )
            return Notice(
                "info",
                "transferred_to_service",
                {"number": number, "to": self.service_name(ticket.get("service"))},
            )
        return None

    def _apply_ticket(self, op: str, ticket: dict[str, Any]) -> None:
        """Put an op's resulting ticket on the counter at once (the counter event follows)."""
        if self.counter is None:
            return
        if ticket.get("state") in HELD_STATES and ticket.get("counter") == self.number:
            self.counter = {**self.counter, "ticket": ticket}
            if ticket["state"] == "serving" and op == "start":
                self._started_at[ticket["id"]] = self.server_now()
        elif (self.counter.get("ticket") or {}).get("id") == ticket.get("id"):
            self.counter = {**self.counter, "ticket": None}

    def _error(self, reply: ReplyLike, op: str = "") -> None:
        key = "disconnected" if reply.code == "disconnected" else "op_failed"
        args = {
            "code": reply.code,
            "op": op,
            "reason": getattr(reply, "reason", "") or "",
            "ticket": str(self._sent.get("ticket", "")) if op else "",
        }
        self.notice = Notice("error", key, args, reply.message)

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

    # -- the waiting list ---------------------------------------------------------------------

    def schedule_queue_refresh(self) -> None:
        """Ask for the waiting list soon; a burst of events asks only once."""
        if not self.logged_in or self._queue_scheduled:
            return
        if self._queue_inflight:
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
        self._queue_inflight = True
        self._queue_again = False
        self.transport.request("queue", {}, self._on_queue)

    def _on_queue(self, reply: ReplyLike) -> None:
        self._queue_inflight = False
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

    # -- bookkeeping --------------------------------------------------------------------------

    def _set_counter(self, counter: Any) -> None:
        if not isinstance(counter, dict):
            return
        if (
            self.logged_in
            and not self.logging_in
            and self.busy != "logout"
            and counter.get("state") == "closed"
            and counter.get("clerk") is None
        ):
            self._login_taken()
        previous = (self.counter or {}).get("ticket") or {}
        self.counter = counter
        ticket = counter.get("ticket") or {}
        if (
            ticket.get("state") == "serving"
            and ticket.get("id") not in self._started_at
            and previous.get("id") == ticket.get("id")
            and previous.get("state") == "called"
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

    def _note_closed(self, ticket: Mapping[str, Any]) -> None:
        """A ticket this counter finished or marked no-show: fetch the day's figures again."""
        if not self.logged_in or ticket.get("counter") != self.number:
            return
        if ticket.get("state") not in ("done", "no_show") or ticket.get("id") in self._closed_ids:
            return
        self._closed_ids.add(int(ticket.get("id") or 0))
        self.refresh_figures()

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


def _service_names(service: dict[str, Any]) -> str:
    return f"{service.get('name') or ''} {service.get('name_en') or ''}"


def _service_pinyin(service: dict[str, Any]) -> str:
    return str(service.get("pinyin") or "")
