"""The kiosk's Qt window: draws the KioskModel full screen and turns touches into its actions."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QDateTime, QObject, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont, QFontMetrics, QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from queue_kiosk.model import (
    Category,
    JobResult,
    KioskModel,
    Matter,
    PriorityMode,
    Problem,
    Screen,
)
from shared.qt.widgets import PlainLabel

KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
KEY_ROW_MOST = max(
    len(KEYBOARD_ROWS[-1]) + 2, *(len(row) for row in KEYBOARD_ROWS)
)  # + Delete, Clear
PIN_BOXES = 4  # empty boxes shown on the PIN screen (staff PINs have 4 to 8 digits)
BASE_SHORT_SIDE = 1080  # the layout is drawn for a 1080-pixel short side and scaled from it

STYLE = """
QWidget#kiosk {{ background: #eef3f9; }}
QWidget#header {{ background: #0b4f9c; }}
QLabel#hallName {{ color: white; font-size: {h1}px; font-weight: bold; }}
QLabel#clock {{ color: white; font-size: {h3}px; }}
QLabel#banner {{ color: white; font-size: {h3}px; font-weight: bold; padding: {pad}px; }}
QLabel#banner[level="error"] {{ background: #c62828; }}
QLabel#banner[level="warn"] {{ background: #ef6c00; }}
QLabel#banner[level="priority"] {{ background: #2e7d32; }}
QLabel#title {{ color: #0b2e59; font-size: {h2}px; font-weight: bold; }}
QLabel#hint {{ color: #44556b; font-size: {body}px; }}
QPushButton {{ font-size: {body}px; border-radius: {radius}px; }}
QPushButton#tile {{ background: white; border: {border}px solid #0b4f9c; }}
QPushButton#tile:pressed {{ background: #d6e6fa; }}
QPushButton#tile:disabled {{ background: #e3e6ea; border-color: #a7b0bb; }}
QLabel#tileName {{ color: #0b2e59; font-size: {tile}px; font-weight: bold; }}
QWidget#startPage QLabel#tileName {{ font-size: {h1}px; }}
QWidget#startPage QLabel#tileInfo {{ font-size: {h3}px; }}
QLabel#tileName[closed="true"] {{ color: #7b8794; }}
QLabel#tileInfo {{ color: #44556b; font-size: {small}px; }}
QLabel#tileInfo[closed="true"] {{ color: #b23b3b; font-weight: bold; }}
QPushButton#nav {{ background: #0b4f9c; color: white; font-weight: bold;
    min-height: {touch}px; min-width: {navwidth}px; padding: 0 {pad}px; }}
QPushButton#nav:disabled {{ background: #a7b0bb; }}
QPushButton#priority {{ background: #2e7d32; color: white; font-weight: bold;
    min-height: {touch}px; padding: 0 {pad}px; }}
QPushButton#key {{ background: white; border: 1px solid #8aa0b8; font-size: {h3}px;
    min-height: {key}px; min-width: {key}px; }}
QPushButton#key:pressed {{ background: #d6e6fa; }}
QWidget#pinPage QPushButton#key {{ min-height: {pinkey}px; font-size: {h2}px; }}
QLineEdit#search {{ font-size: {h3}px; min-height: {key}px; padding: 0 {pad}px;
    border: {border}px solid #0b4f9c; border-radius: {radius}px; background: white; }}
QLabel#bigNumber {{ color: #0b4f9c; font-size: {huge}px; font-weight: bold; }}
QLabel#confirmLine {{ color: #0b2e59; font-size: {h2}px; }}
QLabel#takeTicket {{ color: #c62828; font-size: {h1}px; font-weight: bold; }}
QLabel#priorityTag {{ color: white; background: #2e7d32; font-size: {h3}px;
    font-weight: bold; padding: {pad}px; border-radius: {radius}px; }}
QLabel#noticeText {{ color: #c62828; font-size: {h1}px; font-weight: bold; }}
QLabel#pinDots {{ color: #0b2e59; font-size: {h1}px; letter-spacing: {pad}px; }}
QLabel#pinError {{ color: #c62828; font-size: {h3}px; font-weight: bold; }}
QLabel#preview {{ background: white; border: 1px solid #a7b0bb; }}
QLabel#closedTitle {{ color: #0b2e59; font-size: {h1}px; font-weight: bold; }}
QLabel#closedHours {{ color: #0b4f9c; font-size: {hours}px; font-weight: bold; }}
"""


class ThreadRunner(QObject):
    """Runs printer jobs on one worker thread (the printer is one device: never two jobs at
    once) and calls `done` back on the GUI thread."""

    _finished = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-printer")
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def run(self, job: Callable[[], Any], done: Callable[[JobResult], None]) -> None:
        def work() -> None:
            try:
                result = JobResult(value=job())
            except Exception as exc:  # handed to the flow on the GUI thread
                result = JobResult(error=exc)
            self._finished.emit(done, result)

        self._pool.submit(work)

    @Slot(object, object)
    def _deliver(self, done: Callable[[JobResult], None], result: JobResult) -> None:
        done(result)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _clear(layout: QGridLayout | QVBoxLayout | QHBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()  # gone at once; the deletion itself waits for the event loop
            widget.deleteLater()


def _restyle(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class Tile(QPushButton):
    """A big touch button with a name line and an information line."""

    def __init__(self, name: str, info: str, closed: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tile")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.name_label = PlainLabel(name)
        self.name_label.setObjectName("tileName")
        self.name_label.setWordWrap(True)
        self.name_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.info_label = PlainLabel(info)
        self.info_label.setObjectName("tileInfo")
        self.info_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for label in (self.name_label, self.info_label):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            label.setProperty("closed", "true" if closed else "false")
            layout.addWidget(label)
        layout.addStretch(1)
        self.setEnabled(not closed)

    def sizeHint(self) -> QSize:
        return QSize(200, 100)

    def minimumSizeHint(self) -> QSize:
        # A button's minimum is its size hint; a tile may shrink below it (its name's font
        # shrinks with it, see fit_name) so that a hall of many departments fits the window.
        return QSize(64, 64)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_name()

    def fit_name(self) -> None:
        """Shrink the name's font until it fits the tile (a long official name in a hall of
        many departments would otherwise be cut off)."""
        label = self.name_label
        label.setStyleSheet("")
        label.ensurePolished()
        base = label.font().pixelSize()
        if base <= 0:
            return
        width = max(1, self.width() - 24)
        height = max(1, self.height() - self.info_label.sizeHint().height() - 16)
        font = QFont(label.font())
        size = base
        while size > 12:
            font.setPixelSize(size)
            box = QFontMetrics(font).boundingRect(
                0, 0, width, 100_000, Qt.TextFlag.TextWordWrap, label.text()
            )
            if box.width() <= width and box.height() <= height:
                break
            size -= 2
        if size != base:
            label.setStyleSheet(f"font-size: {size}px;")


class StartPage(QWidget):
    """Departments with their waiting counts, the search entry and the 绿色通道 button."""

    def __init__(self, model: KioskModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.setObjectName("startPage")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = PlainLabel(self.tr("Please choose a department"))
        self.title.setObjectName("title")
        top.addWidget(self.title, 1)
        self.search_button = QPushButton(self.tr("Search matters by pinyin initials"))
        self.search_button.setObjectName("nav")
        self.search_button.clicked.connect(model.open_search)
        top.addWidget(self.search_button)
        layout.addLayout(top)
        self.grid = QGridLayout()
        self.grid_holder = QWidget()
        self.grid_holder.setLayout(self.grid)
        layout.addWidget(self.grid_holder, 1)
        self.closed_box = QWidget()
        closed_layout = QVBoxLayout(self.closed_box)
        closed_layout.addStretch(1)
        self.closed_title = PlainLabel(self.tr("Tickets are not issued at this time"))
        self.closed_title.setObjectName("closedTitle")
        self.closed_hours = PlainLabel()
        self.closed_hours.setObjectName("closedHours")
        for label in (self.closed_title, self.closed_hours):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            closed_layout.addWidget(label)
        closed_layout.addStretch(1)
        self.closed_box.hide()
        layout.addWidget(self.closed_box, 1)
        # A hall of more departments than fit one screen pages through them.
        self.pager = QWidget()
        pager = QHBoxLayout(self.pager)
        pager.setContentsMargins(0, 0, 0, 0)
        self.previous_button = QPushButton(self.tr("Previous page"))
        self.previous_button.setObjectName("nav")
        self.previous_button.clicked.connect(lambda: self.turn(-1))
        pager.addWidget(self.previous_button)
        self.page_label = PlainLabel()
        self.page_label.setObjectName("hint")
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pager.addWidget(self.page_label, 1)
        self.next_button = QPushButton(self.tr("Next page"))
        self.next_button.setObjectName("nav")
        self.next_button.clicked.connect(lambda: self.turn(1))
        pager.addWidget(self.next_button)
        layout.addWidget(self.pager)
        bottom = QHBoxLayout()
        self.hint = PlainLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        bottom.addWidget(self.hint, 1)
        self.priority_button = QPushButton(self.tr("Priority lane (staff)"))
        self.priority_button.setObjectName("priority")
        self.priority_button.pressed.connect(self._pressed)
        self.priority_button.released.connect(self._released)
        self.priority_button.setVisible(model.priority_mode is not PriorityMode.OFF)
        bottom.addWidget(self.priority_button)
        self.cancel_priority_button = QPushButton(self.tr("Cancel priority"))
        self.cancel_priority_button.setObjectName("nav")
        self.cancel_priority_button.clicked.connect(model.cancel_priority)
        bottom.addWidget(self.cancel_priority_button)
        layout.addLayout(bottom)
        self.tiles: dict[str, Tile] = {}
        self._pressed_at = 0.0
        self._shown: tuple[Any, ...] | None = None
        self.portrait = False
        self.page = 0

    def grid_shape(self) -> tuple[int, int]:
        """(columns, rows) of department tiles for the hall's departments and the orientation.

        Up to 25 departments share one landscape screen (5 x 5) and 27 a portrait one
        (3 x 9); a hall of more pages through them."""
        count = max(1, len(self.model.categories))
        if self.portrait:
            columns = 2 if count <= 12 else 3
            rows = min(9, math.ceil(count / columns))
        else:
            columns = 3 if count <= 9 else 4 if count <= 16 else 5
            rows = min(5, math.ceil(count / columns))
        return columns, rows

    @property
    def page_count(self) -> int:
        columns, rows = self.grid_shape()
        return max(1, math.ceil(len(self.model.categories) / (columns * rows)))

    def turn(self, step: int) -> None:
        self.page = max(0, min(self.page_count - 1, self.page + step))
        self.refresh()

    def _pressed(self) -> None:
        self._pressed_at = time.monotonic()

    def _released(self) -> None:
        self.model.priority_pressed(time.monotonic() - self._pressed_at)

    def tile_info(self, category: Category) -> tuple[str, bool]:
        if not self.model.issuing:
            return self.tr("Not issuing now"), True
        if self.model.printer_blocked:
            return self.tr("Please ask the staff"), True
        if not self.model.category_open(category.code):
            return self.tr("Full for today"), True
        return self.tr("Waiting: {count}").format(count=category.waiting), False

    def refresh(self) -> None:
        model = self.model
        columns, rows = self.grid_shape()
        per_page = columns * rows
        self.page = min(self.page, self.page_count - 1)
        shown = model.categories[self.page * per_page : (self.page + 1) * per_page]
        state = (
            columns,
            rows,
            model.issuing,
            model.printer_blocked,
            tuple((c, model.category_open(c.code)) for c in shown),
        )
        if state != self._shown:
            self._shown = state
            _clear(self.grid)
            self.tiles = {}
            for index, category in enumerate(shown):
                info, closed = self.tile_info(category)
                tile = Tile(category.name, info, closed)
                tile.clicked.connect(
                    lambda _=False, code=category.code: model.select_category(code)
                )
                self.grid.addWidget(tile, index // columns, index % columns)
                self.tiles[category.code] = tile
            for index in range(len(shown), per_page if self.page_count > 1 else 0):
                spacer = QWidget()  # the last page's tiles keep the size of the others
                spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
                self.grid.addWidget(spacer, index // columns, index % columns)
        self.pager.setVisible(self.page_count > 1 and model.issuing)
        self.page_label.setText(
            self.tr("Page {page} of {pages}").format(page=self.page + 1, pages=self.page_count)
        )
        self.previous_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page + 1 < self.page_count)
        self.cancel_priority_button.setVisible(model.priority_armed)
        # Outside issuing hours: the hours, large and centred, and nothing to touch.
        closed = not model.issuing
        self.closed_box.setVisible(closed)
        self.grid_holder.setVisible(not closed)
        self.search_button.setVisible(not closed)
        self.title.setVisible(not closed)
        self.hint.setVisible(not closed)
        self.search_button.setEnabled(not model.printer_blocked)
        if closed:
            opens, closes = model.hours
            if opens and closes:
                hours = self.tr("Tickets are issued from {open} to {close}").format(
                    open=opens, close=closes
                )
            elif opens:
                hours = self.tr("Tickets are issued from {open}").format(open=opens)
            elif closes:
                hours = self.tr("Tickets are issued until {close}").format(close=closes)
            else:
                hours = self.tr("No tickets are issued today")
            self.closed_hours.setText(hours)
        if model.priority_armed:
            self.hint.setText(self.tr("Priority lane: the next ticket is a priority ticket."))
        elif model.priority_mode is PriorityMode.LONG_PRESS:
            self.hint.setText(self.tr("Staff: hold the priority button for two seconds."))
        else:
            self.hint.setText(self.tr("Touch a department, then the matter you need."))


class MattersPage(QWidget):
    """The matters of one department (or all), paged, with a pinyin-initials search."""

    def __init__(self, model: KioskModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.back_button = QPushButton(self.tr("Back"))
        self.back_button.setObjectName("nav")
        self.back_button.clicked.connect(model.back)
        top.addWidget(self.back_button)
        self.title = PlainLabel()
        self.title.setObjectName("title")
        top.addWidget(self.title, 1)
        layout.addLayout(top)

        search_row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(self.tr("Search: type pinyin initials, e.g. shbzk"))
        self.search.textChanged.connect(model.set_search)
        search_row.addWidget(self.search, 1)
        layout.addLayout(search_row)
        self.keyboard = QWidget()
        keys = QVBoxLayout(self.keyboard)
        keys.setContentsMargins(0, 0, 0, 0)
        self.key_rows: list[QHBoxLayout] = []
        for row_index, row in enumerate(KEYBOARD_ROWS):
            line = QHBoxLayout()
            self.key_rows.append(line)
            line.addStretch(1)
            for letter in row:
                key = QPushButton(letter.upper())
                key.setObjectName("key")
                key.clicked.connect(lambda _=False, ch=letter: self._type(ch))
                line.addWidget(key)
            if row_index == len(KEYBOARD_ROWS) - 1:
                delete = QPushButton(self.tr("Delete"))
                delete.setObjectName("key")
                delete.clicked.connect(lambda: self.search.setText(self.search.text()[:-1]))
                line.addWidget(delete)
                clear = QPushButton(self.tr("Clear"))
                clear.setObjectName("key")
                clear.clicked.connect(self.search.clear)
                line.addWidget(clear)
            line.addStretch(1)
            keys.addLayout(line)
        layout.addWidget(self.keyboard)

        self.grid = QGridLayout()
        self.empty = PlainLabel(self.tr("No matter matches your search."))
        self.empty.setObjectName("title")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The list area: the matters' grid, or in its place the "no match" message.
        self.list_area = QStackedWidget()
        grid_holder = QWidget()
        grid_holder.setLayout(self.grid)
        self.list_area.addWidget(grid_holder)
        self.list_area.addWidget(self.empty)
        layout.addWidget(self.list_area, 1)

        pager = QHBoxLayout()
        self.previous_button = QPushButton(self.tr("Previous page"))
        self.previous_button.setObjectName("nav")
        self.previous_button.clicked.connect(model.previous_page)
        pager.addWidget(self.previous_button)
        self.page_label = PlainLabel()
        self.page_label.setObjectName("hint")
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pager.addWidget(self.page_label, 1)
        self.next_button = QPushButton(self.tr("Next page"))
        self.next_button.setObjectName("nav")
        self.next_button.clicked.connect(model.next_page)
        pager.addWidget(self.next_button)
        layout.addLayout(pager)
        self.tiles: dict[str, Tile] = {}
        self._shown: tuple[Any, ...] | None = None
        self.columns = 3
        self.rows = 4

    def key_size(self, scale: float, width: int) -> int:
        """The pinyin keys' side: 96 px at full scale, less where ten keys would not fit
        across `width` (a narrow window must not be widened by its keyboard)."""
        gap = max(1, round(8 * scale))
        for line in self.key_rows:
            line.setSpacing(gap)
        margins = self.layout().contentsMargins()
        room = width - margins.left() - margins.right() - (KEY_ROW_MOST - 1) * gap
        border = 2  # the keys' 1 px border, each side, outside their min-width
        return max(1, min(round(96 * scale), room // KEY_ROW_MOST - border))

    def _type(self, letter: str) -> None:
        self.search.setText(self.search.text() + letter)

    def matter_info(self, matter: Matter) -> tuple[str, bool]:
        if not self.model.issuing:
            return self.tr("Not issuing now"), True
        if matter.full:
            return self.tr("Full for today"), True
        if not matter.open:
            return self.tr("Not issuing now"), True
        return self.tr("Waiting: {count}").format(count=matter.waiting), False

    def refresh(self) -> None:
        model = self.model
        if model.category is None:
            self.title.setText(self.tr("All matters"))
        else:
            self.title.setText(model.category.name)
        if self.search.text() != model.search_text:
            self.search.blockSignals(True)
            self.search.setText(model.search_text)
            self.search.blockSignals(False)
        model.set_page_size(self.columns * self.rows)
        shown = model.page_matters()
        state = (self.columns, model.issuing, tuple(shown))
        if state != self._shown:
            self._shown = state
            _clear(self.grid)
            self.tiles = {}
            for index, matter in enumerate(shown):
                info, closed = self.matter_info(matter)
                tile = Tile(matter.name, info, closed)
                tile.clicked.connect(lambda _=False, code=matter.code: model.select_matter(code))
                self.grid.addWidget(tile, index // self.columns, index % self.columns)
                self.tiles[matter.code] = tile
            for index in range(len(shown), self.columns * self.rows):
                spacer = QWidget()
                spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
                self.grid.addWidget(spacer, index // self.columns, index % self.columns)
        self.list_area.setCurrentWidget(self.grid.parentWidget() if shown else self.empty)
        # The pinyin keyboard helps only where there is something to search: all matters, or
        # a department with more matters than one page shows.
        searching = model.category is None or bool(model.search_text)
        in_department = [
            m for m in model.matters if model.category and m.category == model.category.code
        ]
        helps = searching or len(in_department) > self.columns * self.rows
        self.keyboard.setVisible(helps)
        self.search.setVisible(helps)
        self.page_label.setText(
            self.tr("Page {page} of {pages}").format(page=model.page + 1, pages=model.page_count)
        )
        self.previous_button.setEnabled(model.page > 0)
        self.next_button.setEnabled(model.page + 1 < model.page_count)


class PinPage(QWidget):
    """The staff PIN pad that unlocks a priority ticket."""

    def __init__(self, model: KioskModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.setObjectName("pinPage")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        back = QPushButton(self.tr("Back"))
        back.setObjectName("nav")
        back.clicked.connect(model.back)
        top.addWidget(back)
        title = PlainLabel(self.tr("Priority lane: staff PIN"))
        title.setObjectName("title")
        top.addWidget(title, 1)
        layout.addLayout(top)
        layout.addStretch(1)
        self.dots = PlainLabel()
        self.dots.setObjectName("pinDots")
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.dots)
        self.error = PlainLabel()
        self.error.setObjectName("pinError")
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.error)
        pad = QGridLayout()
        self.keys: dict[str, QPushButton] = {}
        labels = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "ok"]
        for index, name in enumerate(labels):
            text = {"clear": self.tr("Clear"), "ok": self.tr("OK")}.get(name, name)
            key = QPushButton(text)
            key.setObjectName("key")
            if name == "clear":
                key.clicked.connect(model.pin_clear)
            elif name == "ok":
                key.clicked.connect(model.pin_submit)
            else:
                key.clicked.connect(lambda _=False, digit=name: model.pin_digit(digit))
            pad.addWidget(key, index // 3, index % 3)
            self.keys[name] = key
        holder = QHBoxLayout()
        holder.addStretch(1)
        holder.addLayout(pad, 2)
        holder.addStretch(1)
        layout.addLayout(holder)
        layout.addStretch(1)

    def refresh(self) -> None:
        entered = len(self.model.pin_entry)
        boxes = max(PIN_BOXES, entered)
        self.dots.setText("●" * entered + "○" * (boxes - entered))
        # The error line keeps its height when empty, so the keypad never moves.
        self.error.setMinimumHeight(self.error.fontMetrics().height())
        if self.model.pin_locked:
            self.error.setText(self.tr("Too many wrong PINs; try again in a minute."))
        elif self.model.pin_error:
            self.error.setText(self.tr("Wrong PIN."))
        else:
            self.error.setText("\u3000")  # a full-width space: the line keeps its height


class WorkingPage(QWidget):
    """Shown while the printer is checked and the ticket is issued and printed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.label = PlainLabel(self.tr("Printing your ticket, please wait…"))
        self.label.setObjectName("title")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.label)


class ConfirmationPage(QWidget):
    """The number, huge, with the matter, the people ahead and the wait; the ticket beside."""

    def __init__(self, model: KioskModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.outer = QHBoxLayout(self)
        text = QVBoxLayout()
        text.addStretch(1)
        self.your_number = PlainLabel(self.tr("Your number"))
        self.your_number.setObjectName("confirmLine")
        self.priority_tag = PlainLabel(self.tr("Priority lane"))
        self.priority_tag.setObjectName("priorityTag")
        self.number = PlainLabel()
        self.number.setObjectName("bigNumber")
        self.matter = PlainLabel()
        self.matter.setObjectName("confirmLine")
        self.matter.setWordWrap(True)
        self.ahead = PlainLabel()
        self.ahead.setObjectName("confirmLine")
        self.wait = PlainLabel()
        self.wait.setObjectName("confirmLine")
        self.counters = PlainLabel()
        self.counters.setObjectName("confirmLine")
        self.counters.setWordWrap(True)
        self.valid = PlainLabel(self.tr("Valid today only"))
        self.valid.setObjectName("hint")
        self.take = PlainLabel(self.tr("Please take your ticket"))
        self.take.setObjectName("takeTicket")
        for label in (
            self.your_number,
            self.priority_tag,
            self.number,
            self.matter,
            self.ahead,
            self.wait,
            self.counters,
            self.take,
            self.valid,
        ):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            if label is self.priority_tag:
                text.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            else:
                text.addWidget(label)  # full width, so a long matter wraps instead of clipping
        text.addStretch(1)
        self.done_button = QPushButton(self.tr("Done"))
        self.done_button.setObjectName("nav")
        self.done_button.clicked.connect(model.dismiss)
        text.addWidget(self.done_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.countdown = PlainLabel()
        self.countdown.setObjectName("hint")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.addWidget(self.countdown)
        self.outer.addLayout(text, 3)
        self.preview = PlainLabel()
        self.preview.setObjectName("preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The ticket image is scaled into whatever room is left: it never sets a minimum
        # size, so the window never grows past its screen.
        self.preview.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.preview.setMinimumSize(1, 1)
        self.outer.addWidget(self.preview, 2)
        self._pixmap: QPixmap | None = None
        self._pixmap_for: object = None  # the confirmation the pixmap shows

    def show_countdown(self) -> None:
        left = self.model.seconds_left()
        if left is None:
            self.countdown.setText("")
        else:
            self.countdown.setText(self.tr("Back to the start in {seconds} s").format(seconds=left))

    def set_portrait(self, portrait: bool) -> None:
        self.outer.setDirection(
            QHBoxLayout.Direction.TopToBottom if portrait else QHBoxLayout.Direction.LeftToRight
        )

    def refresh(self) -> None:
        shown = self.model.confirmation
        if shown is None:
            return
        self.number.setText(shown.number)
        self.priority_tag.setVisible(shown.priority)
        self.matter.setText(shown.service_name)
        if shown.ahead == 0:
            self.ahead.setText(self.tr("No one ahead of you"))
        else:
            self.ahead.setText(self.tr("People ahead of you: {count}").format(count=shown.ahead))
        self.counters.setText(
            self.tr("Please watch for calls at counters {counters}").format(
                counters="、".join(str(n) for n in shown.counters)
            )
            if shown.counters
            else ""
        )
        self.counters.setVisible(bool(shown.counters))
        if shown.ahead == 0:
            self.wait.setText(self.tr("You will be called shortly"))
        else:
            self.wait.setText(
                self.tr("Estimated wait: about {minutes} min").format(minutes=shown.est_wait_min)
            )
        if shown is not self._pixmap_for:
            # A new ticket: read its image afresh (the preview file keeps one path, so a
            # cache keyed by the path would show the ticket before).
            self._pixmap_for = shown
            image = QImage(shown.preview_path) if shown.preview_path else QImage()
            self._pixmap = None if image.isNull() else QPixmap.fromImage(image)
        self.preview.setVisible(self._pixmap is not None)
        self._fit_preview()
        self.show_countdown()

    def _fit_preview(self) -> None:
        if self._pixmap is None:
            return
        box = self.preview.size() - QSize(16, 16)
        if box.width() > 10 and box.height() > 10:
            self.preview.setPixmap(
                self._pixmap.scaled(
                    box,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_preview()


class NoticePage(QWidget):
    """Why no ticket was given, in words a resident understands."""

    def __init__(self, model: KioskModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.text = PlainLabel()
        self.text.setObjectName("noticeText")
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.text)
        self.sub = PlainLabel()
        self.sub.setObjectName("confirmLine")
        self.sub.setWordWrap(True)
        self.sub.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.sub)
        layout.addStretch(1)
        button = QPushButton(self.tr("Back to start"))
        button.setObjectName("nav")
        button.clicked.connect(model.dismiss)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)

    def message(self, problem: Problem) -> str:
        return {
            Problem.PAPER_OUT: self.tr("The printer is out of paper. Please ask the staff."),
            Problem.PRINTER_OFFLINE: self.tr("The printer is offline. Please ask the staff."),
            Problem.PRINTER_ERROR: self.tr("The printer has a fault. Please ask the staff."),
            Problem.PRINT_FAILED: self.tr("The ticket could not be printed. Please ask the staff."),
            Problem.SERVER_OFFLINE: self.tr("The queue server cannot be reached."),
            Problem.SERVER_TIMEOUT: self.tr("The queue server did not answer in time."),
            Problem.HALL_CLOSED: self.tr("Tickets are not issued at this time."),
            Problem.SERVICE_CLOSED: self.tr("This matter is not issuing tickets now."),
            Problem.SERVICE_FULL: self.tr("Today's tickets for this matter have all been taken."),
            Problem.ISSUE_REFUSED: self.tr("No ticket could be issued. Please ask the staff."),
            Problem.TOO_FAST: self.tr("Please wait a few seconds, then touch again."),
        }[problem]

    def refresh(self) -> None:
        notice = self.model.notice
        if notice is None:
            return
        self.text.setText(self.message(notice.problem))
        self.sub.setText(self.tr("No ticket was issued."))


class KioskWindow(QWidget):
    """The whole kiosk screen: header, status banner and one page per model screen."""

    def __init__(self, model: KioskModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.setObjectName("kiosk")
        self.setWindowTitle(self.tr("Take a ticket"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)

        header = QWidget()
        header.setObjectName("header")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        header_layout = QHBoxLayout(header)
        self.hall_label = PlainLabel()
        self.hall_label.setObjectName("hallName")
        header_layout.addWidget(self.hall_label, 1)
        self.clock_label = PlainLabel()
        self.clock_label.setObjectName("clock")
        header_layout.addWidget(self.clock_label)
        layout.addWidget(header)

        self.banner = PlainLabel()
        self.banner.setObjectName("banner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setWordWrap(True)
        self.banner.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        layout.addWidget(self.banner)

        self.stack = QStackedWidget()
        self.start_page = StartPage(model)
        self.matters_page = MattersPage(model)
        self.pin_page = PinPage(model)
        self.working_page = WorkingPage()
        self.confirmation_page = ConfirmationPage(model)
        self.notice_page = NoticePage(model)
        self.pages: dict[Screen, QWidget] = {
            Screen.START: self.start_page,
            Screen.MATTERS: self.matters_page,
            Screen.PIN: self.pin_page,
            Screen.WORKING: self.working_page,
            Screen.CONFIRMATION: self.confirmation_page,
            Screen.NOTICE: self.notice_page,
        }
        for page in self.pages.values():
            self.stack.addWidget(page)
        layout.addWidget(self.stack, 1)

        self._scale = 0.0
        self.model.subscribe(self.refresh)
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self._tick)
        self.ticker.start()
        self._apply_scale()
        self._update_clock()
        self.refresh()

    # -- drawing ------------------------------------------------------------------------------

    def banner_state(self) -> tuple[str, str]:
        """(level, text) of the status banner; ("", "") hides it."""
        model = self.model
        if not model.online and model.refused:
            return "error", self.tr(
                "The queue server refused this kiosk (%1): no tickets are issued. Please tell the staff."
            ).replace("%1", model.refused)
        if not model.online:
            return "error", self.tr(
                "Cannot reach the queue server: no tickets are issued. Reconnecting…"
            )
        if model.printer_state == "paper_out":
            return "error", self.tr("The printer is out of paper. Please ask the staff.")
        if model.printer_state == "offline":
            return "error", self.tr("The printer is offline. Please ask the staff.")
        if model.printer_state == "error":
            return "error", self.tr("The printer has a fault. Please ask the staff.")
        if not model.issuing and model.screen is not Screen.START:  # the start page says it
            return "warn", self.tr("Tickets are not issued at this time.")
        if model.priority_armed:
            return "priority", self.tr("Priority lane: the next ticket is a priority ticket.")
        return "", ""

    def refresh(self) -> None:
        model = self.model
        self.hall_label.setText(model.hall_name)
        level, text = self.banner_state()
        self.banner.setVisible(bool(text))
        self.banner.setText(text)
        if self.banner.property("level") != level:
            self.banner.setProperty("level", level)
            _restyle(self.banner)
        page = self.pages[model.screen]
        if model.screen is Screen.START and self.stack.currentWidget() in (
            self.confirmation_page,
            self.notice_page,
        ):
            self.start_page.page = 0  # the next resident starts on the first departments
        if model.screen is Screen.START:
            self.start_page.refresh()
        elif model.screen is Screen.MATTERS:
            self.matters_page.refresh()
        elif model.screen is Screen.PIN:
            self.pin_page.refresh()
        elif model.screen is Screen.CONFIRMATION:
            self.confirmation_page.refresh()
        elif model.screen is Screen.NOTICE:
            self.notice_page.refresh()
        self.stack.setCurrentWidget(page)

    def _tick(self) -> None:
        self._update_clock()
        self.model.tick()
        self.confirmation_page.show_countdown()

    def _update_clock(self) -> None:
        now = QDateTime.currentDateTime()
        self.clock_label.setText(self.locale().toString(now, self.tr("yyyy-MM-dd dddd HH:mm")))

    # -- scaling ------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_scale()

    def _apply_scale(self) -> None:
        width, height = max(1, self.width()), max(1, self.height())
        scale = min(width, height) / BASE_SHORT_SIDE
        portrait = height > width
        if abs(scale - self._scale) > 0.01 or portrait != getattr(self, "_portrait", None):
            self._scale, self._portrait = scale, portrait
            sizes = {
                "h1": 52,
                "h2": 40,
                "h3": 30,
                "body": 28,
                "tile": 34,
                "small": 26,
                "huge": 220,
                "pad": 12,
                "radius": 14,
                "border": 3,
                "touch": 90,
                "key": 96,  # pinyin keys: 96 px (about 25 mm on a 43-inch kiosk), see key_size
                "navwidth": 200,
                "pinkey": 120,
                "hours": 96,
            }
            scaled = {k: max(1, round(v * scale)) for k, v in sizes.items()}
            scaled["key"] = self.matters_page.key_size(scale, width)
            self.setStyleSheet(STYLE.format(**scaled))
            self.start_page.portrait = portrait
            self.matters_page.rows = 6 if portrait else 3
            self.matters_page.columns = 2 if portrait else 4
            self.confirmation_page.set_portrait(portrait)
            self.refresh()
