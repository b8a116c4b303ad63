"""The voice announcer: speaks queued calls one announcement at a time, through one engine.

Announcements never cut each other off: the next starts when the engine reports the last
one `done`. See queue.py for what gives way when the hall is busy (repeats before new
calls) and engines.py for which engine speaks.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from display_board.voice.base import VoiceEngine
from display_board.voice.queue import (
    DEFAULT_MAX_MERGE,
    DEFAULT_REPEATS,
    Announcement,
    AnnouncementQueue,
    CallRef,
    check_repeats,
)

log = logging.getLogger(__name__)

# Silence between a call and its repeat, when the hall is quiet.
DEFAULT_GAP_MS = 600
# Silence before the next announcement when calls wait to be said.
DEFAULT_BUSY_GAP_MS = 250


class Announcer(QObject):
    """Speaks calls one announcement at a time, in order; see queue.py for the busy-hall rule.

    Signals: `spoken(text)` when an announcement starts, `finished(text)` when it ends,
    `idle()` when the last waiting one has finished, `changed()` whenever what is being
    said or what waits to be said changes (the board marks both).
    """

    spoken = Signal(str)
    finished = Signal(str)
    idle = Signal()
    changed = Signal()

    HISTORY = 500  # announcements kept for `history()` (the board's automation)

    def __init__(
        self,
        engine: VoiceEngine,
        *,
        repeats: int = DEFAULT_REPEATS,
        recall_repeats: int = DEFAULT_REPEATS,
        max_merge: int = DEFAULT_MAX_MERGE,
        gap_ms: int = DEFAULT_GAP_MS,
        busy_gap_ms: int = DEFAULT_BUSY_GAP_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.repeats = check_repeats(repeats)
        self.recall_repeats = check_repeats(recall_repeats)
        for name, value in (("gap_ms", gap_ms), ("busy_gap_ms", busy_gap_ms)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be 0 or more milliseconds, not {value!r}")
        self.gap_ms = gap_ms
        self.busy_gap_ms = busy_gap_ms
        self._queue = AnnouncementQueue(max_merge)
        self._engine = engine
        engine.setParent(self)
        engine.done.connect(self._on_engine_done)
        self._current: Announcement | None = None
        self._current_text = ""
        self._history: deque[dict[str, Any]] = deque(maxlen=self.HISTORY)
        self._gap_timer = QTimer(self)
        self._gap_timer.setSingleShot(True)
        self._gap_timer.timeout.connect(self._start_next)

    @property
    def engine(self) -> VoiceEngine:
        return self._engine

    @property
    def current(self) -> Announcement | None:
        """The announcement being spoken now, if any."""
        return self._current

    @property
    def pending(self) -> int:
        """How many calls still have a reading to come (not counting the current one)."""
        return len(self._queue)

    @property
    def dropped_repeats(self) -> int:
        """How many repeats were dropped so that new calls were heard first."""
        return self._queue.dropped_repeats

    def speaking(self) -> tuple[CallRef, ...]:
        """The calls being said now."""
        return self._current.calls if self._current is not None else ()

    def waiting(self) -> list[CallRef]:
        """The calls not said yet, oldest first (a backlog the board shows)."""
        return self._queue.unheard()

    def history(self) -> list[dict[str, Any]]:
        """The latest announcements: calls, chime, start time (time.monotonic()) and plan."""
        return list(self._history)

    def is_busy(self) -> bool:
        return self._current is not None or bool(self._queue) or self._gap_timer.isActive()

    def announce(self, number: str, counter: int, recall: bool = False) -> None:
        """Queue a call of ticket `number` to `counter`; raises ValueError for bad input."""
        # Repeating what nobody hears would only replay the board's highlight.
        if not self._engine.audible:
            repeats = 1
        else:
            repeats = self.recall_repeats if recall else self.repeats
        self._queue.push_call(number, counter, recall=recall, repeats=repeats)
        if self._current is None and not self._gap_timer.isActive():
            self._start_next()
        else:
            if self._gap_timer.isActive():
                # A call waits: the pause before it is the short one.
                remaining = self._gap_timer.remainingTime()
                if remaining > self.busy_gap_ms:
                    self._gap_timer.start(self.busy_gap_ms)
            self.changed.emit()

    def clear(self) -> None:
        """Drop every waiting call and stop the current announcement (no `finished` for it)."""
        was_busy = self.is_busy()
        self._queue.clear()
        self._gap_timer.stop()
        self._current = None
        self._engine.stop()
        self.changed.emit()
        if was_busy:
            self.idle.emit()

    def _start_next(self) -> None:
        announcement = self._queue.pop()
        if announcement is None:
            self.changed.emit()
            self.idle.emit()
            return
        self._current = announcement
        calls = [(call.number, call.counter) for call in announcement.calls]
        self._current_text = self._engine.text_for(calls)
        self._engine.plan = None
        started = time.monotonic()
        self.spoken.emit(self._current_text)
        self.changed.emit()
        log.info(
            "saying %s%s (%d more waiting)",
            ", ".join(f"{n} to {c}" for n, c in calls),
            " again" if announcement.is_repeat else "",
            len(self._queue.unheard()),
        )
        try:
            self._engine.speak(calls, chime=announcement.chime)
        except Exception:
            # A failing engine must not silence the rest of the day's calls.
            log.exception("voice engine failed on %s", calls)
            self._record(announcement, started, failed=True)
            self._on_engine_done()
            return
        self._record(announcement, started, failed=False)

    def _record(self, announcement: Announcement, started: float, failed: bool) -> None:
        plan = self._engine.plan
        self._history.append(
            {
                "calls": [
                    {"number": c.number, "counter": c.counter, "recall": c.recall}
                    for c in announcement.calls
                ],
                "chime": announcement.chime,
                "repeat": announcement.repeat_index,
                "started": started,
                "failed": failed,
                "plan": None
                if plan is None
                else {
                    "duration_ms": plan.duration_ms,
                    "word_ms": plan.word_ms,
                    "call_ms": list(plan.call_ms),
                },
            }
        )

    def _on_engine_done(self) -> None:
        if self._current is None:
            return
        text = self._current_text
        self._current = None
        self.finished.emit(text)
        self.changed.emit()
        if self._queue:
            if not self._engine.audible:
                gap = 0
            elif self._queue.has_unheard():
                gap = self.busy_gap_ms
            else:
                gap = self.gap_ms
            self._gap_timer.start(gap)
        else:
            self.idle.emit()
