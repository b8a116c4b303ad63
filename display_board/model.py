"""The display board's view-model: the hall state the lobby board shows, kept from snapshot + events.

Plain Python (no Qt), so every rule of the board is tested without a screen. The model
keeps only what the board draws: the latest call, the recent calls (bounded, one entry
per ticket), every counter's state, the waiting counts per department, and the kiosks'
printer states. Nothing grows with the number of calls, so a board left on for months
keeps a flat memory.

`apply_event` returns an `Update` saying which parts changed, which calls are new (to be
highlighted and announced) and whether the board must resync with a `snapshot` (a gap
in `seq`, a day reset, or an event whose frame the model could not read at all).

A single item the model cannot read (a counter, call or kiosk entry with a missing field or
a state this board does not know, e.g. from a newer server) is skipped and logged; the
rest of the snapshot or event is applied.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from shared.domain.errors import QueueHallError
from shared.domain.vocabulary import COUNTER_STATES, PRINTER_NEEDS_STAFF, PRINTER_STATES

log = logging.getLogger(__name__)

DEFAULT_RECENT_LIMIT = 12
HEADLINE_STATES = ("called", "serving")  # the resident is expected at, or is at, the counter
T = TypeVar("T")


class BoardDataError(QueueHallError, ValueError):
    """A snapshot, event or catalog from the server lacks a field or has one of the wrong type."""


@dataclass(frozen=True)
class Call:
    """One call of a ticket to a counter, as the board shows and announces it."""

    ticket_id: int
    number: str
    counter: int
    at: str
    recall: bool = False
    state: str = "called"  # the ticket's state when the board last heard of it
    calls: int = 1  # how often the ticket had been called (recalls included) by then


@dataclass(frozen=True)
class CounterStatus:
    """One counter's state: closed, open (idle or holding `ticket`), or paused."""

    number: int
    name: str
    state: str = "closed"
    ticket: str | None = None  # the number of the ticket held (called or serving)
    ticket_state: str | None = None
    clerk: str | None = None
    services: frozenset[str] | None = None  # the matters it serves; None: every matter

    @property
    def calling(self) -> bool:
        return self.ticket is not None and self.ticket_state == "called"


@dataclass(frozen=True)
class Department:
    """A department (ticket category): its code, ticket prefix and names."""

    code: str
    prefix: str
    name: str
    name_en: str = ""


@dataclass(frozen=True)
class KioskStatus:
    """A kiosk's printer state, as the kiosk last reported it."""

    client: str
    printer: str
    message: str = ""
    at: str = ""
    name: str = ""  # the friendly name from the hall file ("东门取号机"), if any

    @property
    def needs_attention(self) -> bool:
        return self.printer in PRINTER_NEEDS_STAFF


class Part(StrEnum):
    """A part of the board an update may have changed."""

    CALLS = "calls"
    COUNTERS = "counters"
    WAITING = "waiting"
    KIOSKS = "kiosks"
    HALL = "hall"


class SeqCheck(StrEnum):
    """How an event's `seq` relates to what the model has seen."""

    NEXT = "next"  # the expected event: apply it
    STALE = "stale"  # already covered by the last snapshot or event: skip it
    GAP = "gap"  # events were missed: resync with a snapshot


@dataclass
class Update:
    """What one applied event changed."""

    parts: set[Part] = field(default_factory=set)
    new_calls: list[Call] = field(default_factory=list)
    resync: bool = False


def _require(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(data, Mapping):
        raise BoardDataError(f"{where} must be an object, not {type(data).__name__}")
    if key not in data:
        raise BoardDataError(f"{where} has no {key!r}")
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise BoardDataError(f"{where}: {key!r} has the wrong type ({type(value).__name__})")
    return value


def _optional_text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def parse_call(data: Mapping[str, Any], where: str = "call") -> Call:
    """A Call from a protocol Call object or a `ticket_called` event's data."""
    ticket = _require(data, "ticket", Mapping, where)
    counter = _require(data, "counter", int, where)
    at = data.get("at") or ticket.get("called_at") or ""
    calls = ticket.get("calls")
    return Call(
        ticket_id=_require(ticket, "id", int, f"{where} ticket"),
        number=_require(ticket, "number", str, f"{where} ticket"),
        counter=counter,
        at=at if isinstance(at, str) else "",
        recall=bool(data.get("recall", False)),
        state=_optional_text(ticket, "state") or "called",
        calls=calls if isinstance(calls, int) and not isinstance(calls, bool) else 1,
    )


def parse_counter(data: Mapping[str, Any], where: str = "counter") -> CounterStatus:
    """A CounterStatus from a protocol Counter object."""
    number = _require(data, "number", int, where)
    state = _require(data, "state", str, where)
    if state not in COUNTER_STATES:
        raise BoardDataError(f"{where} {number}: unknown state {state!r}")
    name = data.get("name")
    ticket = data.get("ticket")
    clerk = data.get("clerk")
    if ticket is not None:
        _require(ticket, "number", str, f"{where} {number} ticket")
    return CounterStatus(
        number=number,
        name=name if isinstance(name, str) and name else f"{number}",
        state=state,
        ticket=ticket["number"] if ticket else None,
        ticket_state=_optional_text(ticket, "state") if ticket else None,
        clerk=(_optional_text(clerk, "name") or None) if isinstance(clerk, Mapping) else None,
        services=_services(data.get("services")),
    )


def _services(value: Any) -> frozenset[str] | None:
    if isinstance(value, list):
        return frozenset(code for code in value if isinstance(code, str))
    return None  # "all" (or a form this board does not know: show the counter everywhere)


def parse_kiosk(data: Mapping[str, Any], where: str = "kiosk") -> KioskStatus:
    """A KioskStatus from a `kiosk_changed` event's kiosk or a snapshot's kiosks entry."""
    client = _require(data, "client", str, where)
    printer = _require(data, "printer", str, where)
    if printer not in PRINTER_STATES:
        raise BoardDataError(f"{where} {client}: unknown printer state {printer!r}")
    return KioskStatus(
        client,
        printer,
        _optional_text(data, "message"),
        _optional_text(data, "at"),
        _optional_text(data, "name"),
    )


def parse_waiting(data: Any, where: str = "waiting") -> dict[str, int]:
    """Department counts; a count that is not a number is skipped and logged."""
    if not isinstance(data, Mapping):
        raise BoardDataError(f"{where} must be an object of department counts")
    counts = {}
    for code, count in data.items():
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            log.warning("%s: skipped the count of %r, not a number (%.80r)", where, code, count)
            continue
        counts[str(code)] = count
    return counts


def parse_each(parse: Callable[[Any, str], T], items: Iterable[Any], where: str) -> list[T]:
    """Every item `parse` can read; one it cannot read is skipped and logged, not fatal."""
    parsed = []
    for item in items:
        try:
            parsed.append(parse(item, where))
        except BoardDataError as error:
            log.warning("skipped an unreadable %s: %s", where, error)
    return parsed


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
        if call is None or call.state not in HEADLINE_STATES:
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
        seq = _require(snapshot, "seq", int, "snapshot")
        counters = parse_each(
            parse_counter, _require(snapshot, "counters", list, "snapshot"), "snapshot counter"
        )
        calls = parse_each(
            parse_call, _require(snapshot, "recent_calls", list, "snapshot"), "snapshot call"
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
        for data in _require(catalog, "categories", list, "catalog"):
            departments.append(
                Department(
                    code=_require(data, "code", str, "catalog category"),
                    prefix=_optional_text(data, "prefix"),
                    name=_require(data, "name", str, "catalog category"),
                    name_en=_optional_text(data, "name_en"),
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
            self._update_ticket_state(_require(data, "ticket", Mapping, "ticket_changed"))
            update.parts.add(Part.CALLS)
        elif name == "counter_changed":
            counter = parse_counter(_require(data, "counter", Mapping, "counter_changed"))
            if self.mine(counter.number):
                self.counters[counter.number] = counter
                update.parts.add(Part.COUNTERS)
                update.parts.add(Part.CALLS)  # the headline follows its counter
                if self.assigned is not None:
                    update.parts.add(Part.WAITING)  # the departments this board shows
        elif name == "waiting_changed":
            self.waiting = parse_waiting(_require(data, "waiting", Mapping, "waiting_changed"))
            update.parts.add(Part.WAITING)
        elif name == "kiosk_changed":
            kiosk = parse_kiosk(_require(data, "kiosk", Mapping, "kiosk_changed"))
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
        ticket_id = _require(ticket, "id", int, "ticket_changed ticket")
        state = _optional_text(ticket, "state")
        for index, known in enumerate(self._recent):
            if known.ticket_id == ticket_id:
                changed = dataclasses.replace(known, state=state)
                self._recent[index] = changed
                if self.latest is not None and self.latest.ticket_id == ticket_id:
                    self.latest = changed
                break
