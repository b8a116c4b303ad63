"""The announcement queue: calls are read in order, repeats give way when the hall is busy.

Pure code (no Qt). Each call becomes one first reading plus its repeats, queued one
after another (first in, first out), so an announcement never cuts another off. When
more than `max_pending` readings wait, repeats (second readings, a recall's extra
readings) are dropped, oldest first; a first reading of a call is never dropped, so
the queue only grows past `max_pending` with first readings.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from display_board.voice.text import check_counter, normalize_ticket

DEFAULT_REPEATS = 2
DEFAULT_MAX_PENDING = 6
MAX_REPEATS = 9


@dataclass(frozen=True)
class Announcement:
    """One reading of one call: ticket `number` to `counter`."""

    number: str
    counter: int
    recall: bool
    repeat_index: int  # 0 for the first reading of the call, 1.. for its repeats
    repeats: int  # how many readings the call asked for
    call_id: int  # the call this reading belongs to, counted from 1 per queue

    @property
    def is_repeat(self) -> bool:
        return self.repeat_index > 0


def check_repeats(repeats: int) -> int:
    """`repeats` if it is a valid number of readings per call (1-9), else a ValueError."""
    if isinstance(repeats, bool) or not isinstance(repeats, int):
        raise ValueError(f"readings per call must be an integer, not {repeats!r}")
    if not 1 <= repeats <= MAX_REPEATS:
        raise ValueError(f"readings per call must be between 1 and {MAX_REPEATS}, not {repeats}")
    return repeats


class AnnouncementQueue:
    """Readings waiting to be spoken, in order; see the module docstring for the drop rule."""

    def __init__(self, max_pending: int = DEFAULT_MAX_PENDING) -> None:
        if isinstance(max_pending, bool) or not isinstance(max_pending, int) or max_pending < 1:
            raise ValueError(f"max_pending must be a positive integer, not {max_pending!r}")
        self.max_pending = max_pending
        self.dropped_repeats = 0
        self._readings: deque[Announcement] = deque()
        self._last_call_id = 0

    def push_call(
        self, number: str, counter: int, recall: bool = False, repeats: int = DEFAULT_REPEATS
    ) -> None:
        """Queue a call: its first reading and `repeats - 1` repeats."""
        canonical_number = normalize_ticket(number)
        check_counter(counter)
        check_repeats(repeats)
        if not isinstance(recall, bool):
            raise ValueError(f"recall must be True or False, not {recall!r}")
        self._last_call_id += 1
        for repeat_index in range(repeats):
            self._readings.append(
                Announcement(
                    number=canonical_number,
                    counter=counter,
                    recall=recall,
                    repeat_index=repeat_index,
                    repeats=repeats,
                    call_id=self._last_call_id,
                )
            )
        self._drop_repeats_over_limit()

    def pop(self) -> Announcement | None:
        """The next reading to speak, or None when nothing waits."""
        return self._readings.popleft() if self._readings else None

    def clear(self) -> None:
        self._readings.clear()

    def __len__(self) -> int:
        return len(self._readings)

    def __iter__(self) -> Iterator[Announcement]:
        return iter(tuple(self._readings))

    def _drop_repeats_over_limit(self) -> None:
        # The oldest repeat goes first: dropping it brings every later call forward.
        excess = len(self._readings) - self.max_pending
        if excess <= 0:
            return
        kept: deque[Announcement] = deque()
        for reading in self._readings:
            if excess > 0 and reading.is_repeat:
                excess -= 1
                self.dropped_repeats += 1
                continue
            kept.append(reading)
        self._readings = kept
