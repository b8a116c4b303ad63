"""The display board's view-model: the hall state the lobby board shows, kept in step with the hall.

Plain Python (no Qt), so every rule of the board is tested without a screen.

`BoardModel` keeps only what the board draws: the latest call, the recent calls (bounded,
one entry per ticket), every counter's state, the waiting counts per department, and the
kiosks' printer states. Nothing grows with the number of calls, so a board left on for
months keeps a flat memory. `apply_event` returns an `Update` saying which parts changed,
which calls are new (to be highlighted and announced) and whether the board must resync
with a `snapshot` (a gap in `seq`, a day reset, or an event whose frame the model could
not read at all). A single item it cannot read is skipped and logged (see items.py).

`BoardSync` feeds the model from the hall: it talks to the hall only through a
`shared.client.port.HallPort` (HallConnection in the app, a fake in tests), announces new
calls, and tells the screen (a `BoardScreen`) which parts to draw again. Reconnecting, the
hello, seq-gap resyncs and holding events while a snapshot is on its way are the
connection's (shared.protocol.session); the board only asks it for a fresh snapshot when it
sees what only the board can see (an event it could not read, a snapshot it could not use).
"""

from __future__ import annotations

import dataclasses
import logging
import weakref
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

from display_board.model.items import (
    BoardDataError,
    Call,
    CounterStatus,
    Department,
    KioskStatus,
    optional_text,
    parse_call,
    parse_counter,
    parse_each,
    parse_kiosk,
    parse_waiting,
    require,
)
from display_board.model.updates import Announces, BoardScreen, NoScreen, Part, SeqCheck, Update
from shared.client.connection import fetch_pages
from shared.client.port import HallPort
from shared.domain.lifecycle import HELD_STATES

log = logging.getLogger(__name__)

DEFAULT_RECENT_LIMIT = 12


class BoardModel:
    """The board's state; see the module docstring."""

    def __init__(self, recent_limit: int = DEFAULT_RECENT_LIMIT) -> None:
        if isinstance(recent_limit, bool) or not isinstance(recent_limit, int) or recent_limit < 1:
            raise ValueError(f"recent_limit must be a positive integer, not {recent_limit!r}")
        self.recent_limit = recent_limit
        self.hall = ""
        self.day: str | None = None
        self.seq: int | None = None
        self.issuing = True
        self.latest: Call | None = None
        # Whether `latest` was called while this board watched (False: it came with a
        # snapshot, e.g. at start-up, and is not announced as a new call or a recall).
        self.latest_is_live = False
        self._recent: deque[Call] = deque()
        self.counters: dict[int, CounterStatus] = {}
        self.waiting: dict[str, int] = {}
        self.departments: list[Department] = []
        self.kiosks: dict[str, KioskStatus] = {}
        # A board hung for some counters (`--counters 25-60`) shows and speaks only theirs.
        self.assigned: frozenset[int] | None = None
        self._category_of: dict[str, str] = {}  # service code -> department code
        self.hall_counters: tuple[int, ...] = ()  # every counter of the hall, from the snapshot

    # -- reading -------------------------------------------------------------------------------

    @property
    def recent(self) -> tuple[Call, ...]:
        """The recent calls, newest first, one per ticket; the first is `latest`."""
        return tuple(self._recent)

    def counter_name(self, number: int) -> str:
        """The counter's name as configured ("3号窗口"), or its number if the board has none."""
        counter = self.counters.get(number)
        return counter.name if counter else str(number)

    @property
    def assignment_missing(self) -> bool:
        """The board is hung for counters (`--counters`) of which the hall has none."""
        return self.assigned is not None and self.seq is not None and not self.counters

    def mine(self, counter: int) -> bool:
        """Whether this board shows (and announces) the counter."""
        return self.assigned is None or counter in self.assigned

    def _shown_departments(self) -> set[str] | None:
        """The departments an assigned board shows: those its counters serve (None: all)."""
        if self.assigned is None or not self._category_of:
            return None
        shown: set[str] = set()
        for counter in self.counters.values():
            if counter.services is None:
                return None
            shown.update(self._category_of.get(code, "") for code in counter.services)
        return shown

    def waiting_by_department(self) -> list[tuple[Department, int]]:
        """Each department with its waiting count, in catalog order (codes alone if no catalog)."""
        shown = self._shown_departments()
        if shown is not None:
            return [
                (department, self.waiting.get(department.code, 0))
                for department in self.departments
                if department.code in shown
            ]
        known = {department.code for department in self.departments}
        rows = [
            (department, self.waiting.get(department.code, 0)) for department in self.departments
        ]
        rows += [
            (Department(code, "", code), count)
            for code, count in self.waiting.items()
            if code not in known
        ]
        return rows

    @property
    def headline(self) -> Call | None:
        """The call the headline may show: the latest one while its resident is still expected
        there (the ticket called or served at that counter, the counter open). A call whose
        ticket was finished, transferred or marked no-show, or whose counter paused or
        closed, is not shown as if it were still current."""
        call = self.latest
        if call is None or call.state not in HELD_STATES:
            return None
        counter = self.counters.get(call.counter)
        if counter is not None and (counter.state != "open" or counter.ticket != call.number):
            return None
        return call

    def kiosks_needing_attention(self) -> list[KioskStatus]:
        return [kiosk for kiosk in self.kiosks.values() if kiosk.needs_attention]

    # -- applying ------------------------------------------------------------------------------

    def apply_snapshot(self, snapshot: Mapping[str, Any]) -> list[Call]:
        """Rebuild the whole state from a `snapshot` result.

        Returns, oldest first, the calls this snapshot shows that the board had not seen and
        whose ticket is still called (the resident is still expected at the counter): calls
        made while the board was offline. A first snapshot, or one of a new day, returns none.
        """
        seq = require(snapshot, "seq", int, "snapshot")
        counters = parse_each(
            parse_counter, require(snapshot, "counters", list, "snapshot"), "snapshot counter"
        )
        calls = parse_each(
            parse_call, require(snapshot, "recent_calls", list, "snapshot"), "snapshot call"
        )
        waiting = parse_waiting(snapshot.get("waiting", {}), "snapshot waiting")
        kiosk_items = snapshot.get("kiosks")
        kiosks = parse_each(
            parse_kiosk, kiosk_items if isinstance(kiosk_items, list) else [], "snapshot kiosk"
        )
        day = snapshot.get("day") if isinstance(snapshot.get("day"), str) else None

        missed = (
            [call for call in self._missed_calls(calls, day) if self.mine(call.counter)]
            if self.seq is not None
            else []
        )

        self.seq = seq
        self.day = day
        hall = snapshot.get("hall")
        if isinstance(hall, str) and hall:
            self.hall = hall
        self.issuing = bool(snapshot.get("issuing", True))
        self.counters = {
            counter.number: counter for counter in counters if self.mine(counter.number)
        }
        self.hall_counters = tuple(sorted(counter.number for counter in counters))
        self._recent.clear()
        for call in reversed(calls):
            if self.mine(call.counter):
                self._add_call(call)
        self.latest = self._recent[0] if self._recent else None
        self.latest_is_live = bool(missed) and self.latest is missed[-1]
        self.waiting = waiting
        self.kiosks = {kiosk.client: kiosk for kiosk in kiosks}
        return missed

    def apply_catalog(self, catalog: Mapping[str, Any]) -> bool:
        """Take the department names from a `catalog` result; True if they changed."""
        departments = []
        for data in require(catalog, "categories", list, "catalog"):
            departments.append(
                Department(
                    code=require(data, "code", str, "catalog category"),
                    prefix=optional_text(data, "prefix"),
                    name=require(data, "name", str, "catalog category"),
                    name_en=optional_text(data, "name_en"),
                )
            )
        self._category_of = {
            data["code"]: data["category"]
            for data in catalog.get("services") or []
            if isinstance(data, Mapping)
            and isinstance(data.get("code"), str)
            and isinstance(data.get("category"), str)
        }
        changed = departments != self.departments
        self.departments = departments
        hall = catalog.get("hall")
        if isinstance(hall, str) and hall and not self.hall:
            self.hall = hall
        return changed

    def check_seq(self, seq: Any) -> SeqCheck:
        """Whether the event numbered `seq` is the next one, an old one, or follows a gap."""
        if self.seq is None or not isinstance(seq, int) or isinstance(seq, bool):
            return SeqCheck.GAP
        if seq <= self.seq:
            return SeqCheck.STALE
        if seq == self.seq + 1:
            return SeqCheck.NEXT
        return SeqCheck.GAP

    def apply_event(self, name: str, seq: Any, data: Mapping[str, Any]) -> Update:
        """Apply one pushed event; see `Update`. Raises BoardDataError for unreadable data."""
        check = self.check_seq(seq)
        if check is SeqCheck.STALE:
            return Update()
        if check is SeqCheck.GAP:
            return Update(resync=True)
        update = Update()
        if not isinstance(data, Mapping):
            raise BoardDataError(f"{name}: data must be an object, not {type(data).__name__}")
        try:
            self._apply_item(name, data, update)
        except BoardDataError as error:
            # One event's item: skip it; the next snapshot (a gap, a new day) brings it again.
            log.warning("skipped the unreadable %s event (seq %s): %s", name, seq, error)
        if name == "day_reset":
            self.start_new_day(data.get("day") if isinstance(data.get("day"), str) else None)
            update.parts.update(Part)
            update.resync = True
        # Unknown events are new parts of the protocol this board does not show: skip them.
        self.seq = seq
        return update

    def _apply_item(self, name: str, data: Mapping[str, Any], update: Update) -> None:
        if name == "ticket_called":
            call = parse_call(data, "ticket_called")
            if not self.mine(call.counter):
                return  # another board's counter
            self._add_call(call)
            self.latest = call
            self.latest_is_live = True
            counter = self.counters.get(call.counter)
            if counter is not None:  # its counter_changed follows; hold the ticket already
                self.counters[call.counter] = dataclasses.replace(
                    counter, ticket=call.number, ticket_state=call.state
                )
                update.parts.add(Part.COUNTERS)
            update.parts.add(Part.CALLS)
            update.new_calls.append(call)
        elif name == "ticket_changed":
            self._update_ticket_state(require(data, "ticket", Mapping, "ticket_changed"))
            update.parts.add(Part.CALLS)
        elif name == "counter_changed":
            counter = parse_counter(require(data, "counter", Mapping, "counter_changed"))
            if self.mine(counter.number):
                self.counters[counter.number] = counter
                update.parts.add(Part.COUNTERS)
                update.parts.add(Part.CALLS)  # the headline follows its counter
                if self.assigned is not None:
                    update.parts.add(Part.WAITING)  # the departments this board shows
        elif name == "waiting_changed":
            self.waiting = parse_waiting(require(data, "waiting", Mapping, "waiting_changed"))
            update.parts.add(Part.WAITING)
        elif name == "kiosk_changed":
            kiosk = parse_kiosk(require(data, "kiosk", Mapping, "kiosk_changed"))
            self.kiosks[kiosk.client] = kiosk
            update.parts.add(Part.KIOSKS)

    def start_new_day(self, day: str | None) -> None:
        """Clear yesterday's calls and counters' tickets; the resync brings the new day's state."""
        self.day = day
        self.latest = None
        self._recent.clear()
        self.counters = {
            number: CounterStatus(number, counter.name) for number, counter in self.counters.items()
        }
        self.waiting = {code: 0 for code in self.waiting}
        self.kiosks.clear()

    # -- inside --------------------------------------------------------------------------------

    def _missed_calls(self, calls: list[Call], day: str | None) -> list[Call]:
        """Calls (newest first in `calls`) made since the board last heard; oldest first.

        A ticket counts once, by its newest call, and only while it is still called. The
        ticket's call count tells a recall made offline from a call the board already knew
        (the call times cannot: a recall keeps the ticket's first called_at).
        """
        if day is not None and day != self.day:
            return []
        known = {call.ticket_id: call.calls for call in self._recent}
        missed: list[Call] = []
        taken: set[int] = set()
        for call in calls:
            if call.ticket_id in taken or call.state != "called":
                continue
            taken.add(call.ticket_id)
            if call.calls > known.get(call.ticket_id, 0):
                missed.append(call)
        missed.reverse()
        return missed

    def _add_call(self, call: Call) -> None:
        # One entry per ticket: a recall or a transfer's new call moves it to the top.
        for index, known in enumerate(self._recent):
            if known.ticket_id == call.ticket_id:
                del self._recent[index]
                break
        self._recent.appendleft(call)
        while len(self._recent) > self.recent_limit:
            self._recent.pop()

    def _update_ticket_state(self, ticket: Mapping[str, Any]) -> None:
        ticket_id = require(ticket, "id", int, "ticket_changed ticket")
        state = optional_text(ticket, "state")
        for index, known in enumerate(self._recent):
            if known.ticket_id == ticket_id:
                changed = dataclasses.replace(known, state=state)
                self._recent[index] = changed
                if self.latest is not None and self.latest.ticket_id == ticket_id:
                    self.latest = changed
                break


_NO_SCREEN = NoScreen()  # where a sync draws before it has a screen, or after it is gone


class BoardSync:
    """Keeps a BoardModel in step with the hall and tells its screen what to draw.

    `port` is the hall (None: a board fed by hand, e.g. tests and replays, that never
    resyncs); `address` ("host:port") names it to staff while the board connects.
    The app wires the connection's signals to `set_connection_state`, `refuse`, `on_ready`
    and `handle_event`.
    """

    def __init__(
        self,
        model: BoardModel,
        port: HallPort | None = None,
        *,
        announcer: Announces | None = None,
        address: str = "",
    ) -> None:
        self.model = model
        self.port = port
        self.announcer = announcer
        self.address = address
        self._screen: Callable[[], BoardScreen | None] = lambda: None
        self.state = "connecting"  # the connection's state, as HallConnection names it
        self.refused = ""  # why the server refused this board, until it is let in

    def show_on(self, screen: BoardScreen) -> None:
        """Draw on `screen` from now on. The sync holds it weakly: the board widget holds the
        sync, and a cycle between them would leave the widget to the cyclic garbage collector,
        which may destroy it at any moment, even while Qt is painting it."""
        self._screen = weakref.ref(screen)

    @property
    def screen(self) -> BoardScreen:
        return self._screen() or _NO_SCREEN

    # -- the connection ------------------------------------------------------------------------

    def set_connection_state(self, state: str) -> None:
        self.state = state
        if state == "online":
            self.refused = ""
        self.screen.show_connection()

    def refuse(self, code: str, message: str) -> None:
        """The server refused this board (most often a wrong hall key): say so to staff."""
        self.refused = message
        self.screen.show_connection()

    def status(self) -> tuple[str, str]:
        """The connection line: ("online", ""), ("refused", why), ("reconnecting", "") or
        ("connecting", address)."""
        if self.state == "online":
            return "online", ""
        if self.refused:
            return "refused", self.refused
        if self.model.seq is not None:
            return "reconnecting", ""
        return "connecting", self.address

    def on_ready(self, snapshot: dict[str, Any]) -> None:
        """The connection is (again) in sync: take its snapshot, then the department names."""
        self.apply_snapshot(snapshot)
        if self.port is not None:
            fetch_pages(self.port.request, "catalog", self._on_catalog)

    def _on_catalog(self, reply: Any) -> None:
        if not reply.ok:
            log.warning("catalog not available: %s %s", reply.code, reply.message)
            return
        self.apply_catalog(reply.result)

    def request_resync(self) -> None:
        """Ask the connection for a fresh snapshot: `on_ready` brings it, and the connection
        holds the events that come meanwhile and hands them on after it, in order."""
        if self.port is None or self.state != "online":
            return  # the connection resyncs by itself when it is back
        self.port.resync()

    # -- applying ------------------------------------------------------------------------------

    def apply_catalog(self, catalog: dict[str, Any]) -> None:
        """Name the departments from a `catalog` result (codes are shown until it comes)."""
        try:
            changed = self.model.apply_catalog(catalog)
        except BoardDataError as error:
            log.warning("catalog unreadable: %s", error)
            return
        if changed:
            self.screen.show_parts([Part.WAITING], relayout=True)

    def apply_snapshot(self, snapshot: dict[str, Any]) -> None:
        """Rebuild the board from a `snapshot`; calls missed while offline are announced."""
        try:
            missed = self.model.apply_snapshot(snapshot)
        except BoardDataError as error:
            log.warning("snapshot unreadable, keeping the last state: %s", error)
            return
        log.info("board shows the hall as of event %s", self.model.seq)
        self.screen.show_parts(Part, relayout=True)
        self._announce(missed)
        self.screen.show_resynced()

    def handle_event(self, name: str, seq: int, data: dict[str, Any]) -> None:
        """Apply one pushed event; a gap in `seq` or unreadable data resyncs the board."""
        try:
            update = self.model.apply_event(name, seq, data)
        except BoardDataError as error:
            log.warning("event %s (seq %s) unreadable, resyncing: %s", name, seq, error)
            self.request_resync()
            return
        if update.resync:
            if name == "day_reset":
                self.screen.show_parts(Part)  # a clean screen for the new day, until the snapshot
            else:
                log.info("event seq %s does not follow %s; resyncing", seq, self.model.seq)
            self.request_resync()
            return
        self.screen.show_parts(update.parts)
        self._announce(update.new_calls)

    def _announce(self, calls: list[Call]) -> None:
        if not calls:
            return
        self.screen.show_new_calls(calls)
        if self.announcer is None:
            return
        for call in calls:
            try:
                self.announcer.announce(call.number, call.counter, recall=call.recall)
            except ValueError as error:
                log.warning(
                    "call %s to counter %s not announced: %s", call.number, call.counter, error
                )
