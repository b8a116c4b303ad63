"""The lobby display board: the Qt view of the BoardModel.

Built for a TV left on for months and read from ten metres: every widget is created once
(the recent-call rows, the counter cells and the department cells are reused, never made
per call), all sizes follow the screen (1366x768 up to 3840x2160, landscape or
portrait), and a lost connection only shows a small mark while the board keeps the last
state it knew.

`DisplayBoard` is the `BoardScreen` its `BoardSync` (model.py) draws on: the sync applies
snapshots and events to the model and says which parts changed; the board fills the
widgets laid out by `BoardFrame` (layout.py). The app (app.py) wires the sync to the hall.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QDateTime, QLocale, QTimer, Signal
from PySide6.QtWidgets import QWidget

from display_board.model import BoardModel, BoardSync
from display_board.model.items import Call
from display_board.model.updates import Part
from display_board.views.layout import BoardFrame
from display_board.views.status_view import assignment_text, connection_text, kiosk_text
from display_board.views.style import set_style_state, set_text
from display_board.views.tiles import CounterCell, DepartmentCell, counter_parts
from shared.qt.client import HallConnection

FLASH_INTERVAL_MS = 500
FLASH_TICKS = 12  # six seconds of calm blinking for a new call or a recall
CLOCK_INTERVAL_MS = 1000


class DisplayBoard(BoardFrame):
    """The lobby board; fed by its `sync` (a BoardSync), or directly with `apply_snapshot` /
    `handle_event` (tests, replays), which go through the same sync.

    `announcer` (display_board.voice.announcer.Announcer, optional) is asked to speak every
    new call and recall, in the order the server made them, and its marks are shown. `lang`
    ("zh_CN" or "en") picks the department names and the date format; the interface text
    follows the installed translation.
    """

    callShown = Signal(str, int, bool)  # number, counter, recall: a new call on the board
    resynced = Signal()  # the board was rebuilt from a snapshot
    connection: HallConnection | None = None  # the connection the app feeds the sync from

    def __init__(
        self,
        model: BoardModel | None = None,
        announcer: Any | None = None,
        hall_name: str = "",
        notice: str = "",
        parent: QWidget | None = None,
        clock: Callable[[], QDateTime] = QDateTime.currentDateTime,
        lang: str = "zh_CN",
        waiting_mode: str = "all",
        busiest: int = 8,
        sync: BoardSync | None = None,
    ) -> None:
        super().__init__(parent, waiting_mode=waiting_mode, busiest=busiest, lang=lang)
        self.model = sync.model if sync is not None else model or BoardModel()
        self.sync = sync or BoardSync(self.model, announcer=announcer)
        self.announcer = announcer
        self._default_hall_name = hall_name
        self._clock = clock
        self._locale = QLocale("zh_CN" if lang == "zh_CN" else "en_US")
        self._flash_ticks = 0
        self._row_calls: list[Call | None] = []  # the call each recent row shows
        self._retranslate()
        self.ticker.setText(notice)

        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(FLASH_INTERVAL_MS)
        self._flash_timer.timeout.connect(self._on_flash)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(CLOCK_INTERVAL_MS)
        self._clock_timer.timeout.connect(self.show_clock)
        self._clock_timer.start()

        if announcer is not None and hasattr(announcer, "changed"):
            announcer.changed.connect(self._render_voice)
        self.sync.show_on(self)
        self._filled = True

        self.show_clock()
        self.show_connection()
        self.show_parts(Part)
        self._arrange(portrait=False)
        self._apply_scale()

    def _retranslate(self) -> None:
        self.recent_title.setText(self.tr("Recent calls"))
        self._counter_texts = {
            "idle": self.tr("Available"),
            "paused": self.tr("Paused"),
            "closed": self.tr("Closed"),
        }

    # -- fed by hand (tests, replays, tools): through the sync, as the hall feeds it ------------

    def apply_snapshot(self, snapshot: dict[str, Any]) -> None:
        """Rebuild the board from a `snapshot`; calls missed while offline are announced."""
        self.sync.apply_snapshot(snapshot)

    def apply_catalog(self, catalog: dict[str, Any]) -> None:
        """Name the departments from a `catalog` result (codes are shown until it comes)."""
        self.sync.apply_catalog(catalog)

    def handle_event(self, name: str, seq: int, data: dict[str, Any]) -> None:
        """Apply one pushed event; a gap in `seq` or unreadable data resyncs the board."""
        self.sync.handle_event(name, seq, data)

    def request_resync(self) -> None:
        """Ask the server for a snapshot (events are held until it comes)."""
        self.sync.request_resync()

    # -- what the sync asks (BoardScreen) ------------------------------------------------------

    def show_parts(self, parts: Iterable[Part], relayout: bool = False) -> None:
        parts = set(parts)
        if Part.HALL in parts:
            self._render_hall()
        if Part.CALLS in parts:
            self._render_calls()
        if Part.COUNTERS in parts:
            self._render_counters()
        if Part.WAITING in parts:
            self._render_waiting()
        if Part.KIOSKS in parts:
            self._render_staff_note()
        if relayout:
            self._apply_scale()  # the room left for counters may have changed

    def show_new_calls(self, calls: list[Call]) -> None:
        for call in calls:
            self.callShown.emit(call.number, call.counter, call.recall)
        self._start_flash()

    def show_resynced(self) -> None:
        self.resynced.emit()

    def show_connection(self) -> None:
        kind, detail = self.sync.status()
        self.connection_mark.setVisible(kind != "online")
        if kind != "online":
            # Residents should not be alarmed: a small, calm note for staff, the board stays.
            set_text(self.connection_mark, connection_text(kind, detail))

    # -- rendering -----------------------------------------------------------------------------

    def _render_hall(self) -> None:
        set_text(self.hall_label, self.model.hall or self._default_hall_name)

    def _render_calls(self) -> None:
        latest = self.model.headline
        headline = self.headline
        if latest is None:
            set_text(headline.caption, self.tr("Welcome"))
            headline.number.setText("")
            set_text(headline.destination, self.tr("Please wait for your number"))
        else:
            set_text(
                headline.caption,
                self.tr("Calling again")
                if latest.recall and self.model.latest_is_live
                else self.tr("Now calling"),
            )
            headline.number.setText(latest.number)
            set_text(
                headline.destination,
                self.tr("Please go to %1").replace("%1", self.model.counter_name(latest.counter)),
            )
        if latest is None and self.flashing():
            self._flash_timer.stop()
            self.headline.set_flash(False)
        older = [call for call in self.model.recent if latest is None or call is not latest]
        self._row_calls = []
        for index, row in enumerate(self.recent_rows):
            call = older[index] if index < len(older) else None
            # The counter's number part only ("20号窗口", not "20号窗口（不动产）"): large.
            name = counter_parts(self.model.counter_name(call.counter))[0] if call else ""
            row.show_call(call, name)
            self._row_calls.append(call)
        self._render_voice()

    def _render_voice(self) -> None:
        """Mark the call being said now and the calls still waiting to be said."""
        speaking: set[tuple[str, int]] = set()
        waiting: set[tuple[str, int]] = set()
        if self.announcer is not None and hasattr(self.announcer, "speaking"):
            speaking = {(c.number, c.counter) for c in self.announcer.speaking()}
            waiting = {(c.number, c.counter) for c in self.announcer.waiting()}

        def state(call: Call | None) -> str:
            if call is None:
                return ""
            key = (call.number, call.counter)
            return "speaking" if key in speaking else "waiting" if key in waiting else ""

        marks = {"speaking": self.tr("Speaking"), "waiting": self.tr("Queued"), "": ""}
        latest = self.model.latest
        set_style_state(self.headline, "voice", state(latest))
        for row, call in zip(self.recent_rows, self._row_calls, strict=False):
            row_state = state(call)
            row.show_voice(row_state, marks[row_state])

    def voice_marks(self) -> dict[str, str]:
        """Ticket number -> "speaking" / "waiting", as the board shows them (for tests)."""
        marks = {}
        latest = self.model.latest
        if latest is not None and self.headline.property("voice"):
            marks[latest.number] = str(self.headline.property("voice"))
        for row, call in zip(self.recent_rows, self._row_calls, strict=False):
            if call is not None and row.property("voice"):
                marks[call.number] = str(row.property("voice"))
        return marks

    def _render_counters(self) -> None:
        counters, pages = self.shown_counters()
        if pages > 1 and not self._page_timer.isActive():
            self._page_timer.start()
        elif pages == 1:
            self._page_timer.stop()
        self.counter_page_mark.setVisible(pages > 1)
        self.counter_page_mark.setText(
            self.tr("Counters, page %1 of %2")
            .replace("%1", str(self.counter_page % pages + 1))
            .replace("%2", str(pages))
        )
        grown = self._ensure_cells(
            self.counter_cells, len(counters), CounterCell, self.counter_panel
        )
        was_visible = len(self._visible(self.counter_cells))
        for index, cell in enumerate(self.counter_cells):
            cell.show_counter(
                counters[index] if index < len(counters) else None, self._counter_texts
            )
        if grown:
            for cell in self.counter_cells:
                cell.setScale(self._scale)
        if grown or was_visible != len(counters):
            self._regrid_counters()
            self._size_counter_panel()

    def _render_waiting(self) -> None:
        rows = self.shown_departments()
        grown = self._ensure_cells(
            self.department_cells, len(rows), DepartmentCell, self.waiting_panel
        )
        was_visible = len(self._visible(self.department_cells))
        for index, cell in enumerate(self.department_cells):
            if index >= len(rows):
                cell.setVisible(False)
                continue
            name, count = rows[index]
            cell.setVisible(True)
            set_text(cell.name, name)
            set_text(cell.count, self.tr("%1 waiting").replace("%1", str(count)))
        if grown or was_visible != len(rows):
            self._regrid_departments()
            self._apply_scale()

    def _render_staff_note(self) -> None:
        notes = [kiosk_text(kiosk) for kiosk in self.model.kiosks_needing_attention()[:3]]
        if self.model.assignment_missing:
            notes.insert(0, assignment_text(self.model.assigned or (), self.model.hall_counters))
        set_text(self.staff_note, "  ".join(notes))
        self.staff_note.setVisible(bool(notes))

    def show_clock(self) -> None:
        now = self._clock()
        date_format = "yyyy年M月d日 dddd" if self.lang == "zh_CN" else "ddd d MMM yyyy"
        set_text(self.date_label, self._locale.toString(now.date(), date_format))
        set_text(self.time_label, now.toString("HH:mm"))

    def _start_flash(self) -> None:
        self._flash_ticks = FLASH_TICKS
        self.headline.set_flash(True)
        self._flash_timer.start()

    def _on_flash(self) -> None:
        self._flash_ticks -= 1
        if self._flash_ticks <= 0:
            self._flash_timer.stop()
            self.headline.set_flash(False)
            return
        self.headline.set_flash(self._flash_ticks % 2 == 0)

    # -- for tests and tools -------------------------------------------------------------------

    def counter_cell(self, number: int) -> CounterCell | None:
        """The cell showing counter `number`, if the board shows it."""
        for cell in self.counter_cells:
            if cell.number == number and not cell.isHidden():
                return cell
        return None

    def flashing(self) -> bool:
        return self._flash_timer.isActive()

    def connection_mark_visible(self) -> bool:
        return not self.connection_mark.isHidden()
