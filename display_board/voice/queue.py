"""The announcement queue: every call is heard soon, repeats give way, waiting calls merge.

Pure code (no Qt). The rule (README, "Voice announcements"):
- A call is said `repeats` times (the hall setting [announce] times) while the hall is
  quiet: its first reading opens with the chime, the repeats follow after a pause.
- A new call never waits behind a repeat: when a call arrives, the repeats still owed
  to earlier calls are dropped, and a call said while others wait is not repeated. So
  at a busy hour each call is said once.
- Calls that wait together are said in one announcement, up to `max_merge` of them, with
  one chime: "请 A017 号到 3 号窗口，B002 号到 5 号窗口办理". A call's first reading is
  never dropped, whatever the backlog: when more than `max_merge` calls wait, one
  announcement takes half of them, at most `MAX_MERGE` (so a burst drains in a few
  announcements and none of them runs much past half a minute).
- A recall (重呼) is never dropped, neither its first reading nor its repeats: its repeats
  wait behind new calls instead.
- A call for a ticket and counter that is still waiting to be heard is not said twice:
  it joins the waiting one (which becomes a recall if either is).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from display_board.voice.text import check_counter, normalize_ticket

DEFAULT_REPEATS = 2
DEFAULT_MAX_MERGE = 3
MAX_REPEATS = 9
MAX_MERGE = 8


@dataclass(frozen=True)
class CallRef:
    """One call as the announcer knows it: ticket `number` to `counter`."""

    number: str
    counter: int
    recall: bool
    call_id: int  # counted from 1 per queue


@dataclass(frozen=True)
class Announcement:
    """One announcement: the calls it says, in order, and whether the chime opens it."""

    calls: tuple[CallRef, ...]
    chime: bool  # True when it says calls for the first time
    repeat_index: int  # 0 for a first reading, 1.. for repeats

    @property
    def is_repeat(self) -> bool:
        return self.repeat_index > 0


@dataclass
class _Waiting:
    call: CallRef
    readings_left: int
    readings_done: int = 0


def check_repeats(repeats: int) -> int:
    """`repeats` if it is a valid number of readings per call (1-9), else a ValueError."""
    if isinstance(repeats, bool) or not isinstance(repeats, int):
        raise ValueError(f"readings per call must be an integer, not {repeats!r}")
    if not 1 <= repeats <= MAX_REPEATS:
        raise ValueError(f"readings per call must be between 1 and {MAX_REPEATS}, not {repeats}")
    return repeats


def check_max_merge(max_merge: int) -> int:
    """`max_merge` if it is a valid number of calls per announcement (1-8), else a ValueError."""
    if isinstance(max_merge, bool) or not isinstance(max_merge, int):
        raise ValueError(f"calls per announcement must be an integer, not {max_merge!r}")
    if not 1 <= max_merge <= MAX_MERGE:
        raise ValueError(
            f"calls per announcement must be between 1 and {MAX_MERGE}, not {max_merge}"
        )
    return max_merge


class AnnouncementQueue:
    """Calls waiting to be said; see the module docstring for the rule."""

    def __init__(self, max_merge: int = DEFAULT_MAX_MERGE) -> None:
        self.max_merge = check_max_merge(max_merge)
        self.dropped_repeats = 0
        self._waiting: list[_Waiting] = []
        self._last_call_id = 0

    def push_call(
        self, number: str, counter: int, recall: bool = False, repeats: int = DEFAULT_REPEATS
    ) -> CallRef:
        """Queue a call to be said `repeats` times (fewer when the hall is busy)."""
        canonical_number = normalize_ticket(number)
        check_counter(counter)
        check_repeats(repeats)
        if not isinstance(recall, bool):
            raise ValueError(f"recall must be True or False, not {recall!r}")
        for index, entry in enumerate(self._waiting):
            same = entry.call.number == canonical_number and entry.call.counter == counter
            if same and entry.readings_done == 0:
                joined = CallRef(
                    canonical_number, counter, entry.call.recall or recall, entry.call.call_id
                )
                self._waiting[index] = _Waiting(joined, max(entry.readings_left, repeats))
                return joined
        # A new call goes before every repeat; the repeats of plain calls are dropped.
        kept = []
        for entry in self._waiting:
            if entry.readings_done and not entry.call.recall:
                self.dropped_repeats += entry.readings_left
                continue
            kept.append(entry)
        self._waiting = kept
        self._last_call_id += 1
        call = CallRef(canonical_number, counter, recall, self._last_call_id)
        self._waiting.append(_Waiting(call, repeats))
        return call

    def pop(self) -> Announcement | None:
        """The next announcement to speak, or None when nothing waits."""
        unheard = [entry for entry in self._waiting if entry.readings_done == 0]
        if unheard:
            take = min(len(unheard), max(self.max_merge, min(MAX_MERGE, len(unheard) // 2)))
            chosen, chime = unheard[:take], True
        else:
            chosen = self._waiting[: self.max_merge]
            chime = False
            if not chosen:
                return None
        repeat_index = min(entry.readings_done for entry in chosen)
        others_wait = chime and len(unheard) > len(chosen)
        for entry in chosen:
            entry.readings_done += 1
            entry.readings_left -= 1
            if others_wait and not entry.call.recall:
                # Said once: the calls still waiting come before any repeat.
                self.dropped_repeats += entry.readings_left
                entry.readings_left = 0
        self._waiting = [entry for entry in self._waiting if entry.readings_left > 0]
        return Announcement(tuple(entry.call for entry in chosen), chime, repeat_index)

    def unheard(self) -> list[CallRef]:
        """The calls not yet said at all, oldest first."""
        return [entry.call for entry in self._waiting if entry.readings_done == 0]

    def repeating(self) -> list[CallRef]:
        """The calls said at least once that have a repeat still to come, oldest first."""
        return [entry.call for entry in self._waiting if entry.readings_done]

    def has_unheard(self) -> bool:
        return any(entry.readings_done == 0 for entry in self._waiting)

    def clear(self) -> None:
        self._waiting.clear()

    def __len__(self) -> int:
        """How many calls still have a reading to come."""
        return len(self._waiting)

    def __iter__(self) -> Iterator[CallRef]:
        return iter(tuple(entry.call for entry in self._waiting))
