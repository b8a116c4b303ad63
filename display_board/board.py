"""The lobby display board: the Qt view of the BoardModel, bound to a HallConnection.

Built for a TV left on for months and read from ten metres: every widget is created once
(the recent-call rows, the counter cells and the department cells are reused, never made
per call), all sizes follow the screen (1366x768 up to 3840x2160, landscape or
portrait), and a lost connection only shows a small mark while the board keeps the last
state it knew.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QDateTime, QLocale, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from display_board.model import (
    BoardDataError,
    BoardModel,
    Call,
    CounterStatus,
    Department,
    KioskStatus,
    Part,
)
from shared.qt.widgets import PlainLabel

log = logging.getLogger(__name__)

FONT_FAMILIES = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
]
RECENT_ROWS = 8
FLASH_INTERVAL_MS = 500
FLASH_TICKS = 12  # six seconds of calm blinking for a new call or a recall
TICKER_INTERVAL_MS = 30
CLOCK_INTERVAL_MS = 1000
# The lobby layout is drawn for these screens and scaled to the real one.
LANDSCAPE_BASE = QSize(1920, 1080)
PORTRAIT_BASE = QSize(1080, 1920)
# How many counter cells fit (columns x rows) without pushing the latest call, the waiting
# counts or the notice off the screen; a hall with more shows open counters only, and if
# those are still too many, pages that turn.
COUNTER_COLUMNS = {False: 12, True: 6}  # portrait? -> at most this many counters a row
PORTRAIT_RECENT_MIN = 250  # the recent calls' least height on a tall screen (base pixels)
DEPARTMENT_GRID = {False: (10, 2), True: (5, 4)}  # 20 departments in both orientations
PAGE_TURN_MS = 8000
MIN_COUNTER_LABEL_PX = 32  # counter names stay readable across the hall
WAITING_MODES = ("all", "busiest")  # every department (busiest first when too many) / top N
# The narrowest the big number may be squeezed horizontally before its font shrinks.
MIN_SQUEEZE = 0.75

# Calm, high-contrast colours: light text on deep blue, warm amber for ticket numbers.
BACKGROUND = "#0b1f33"
PANEL = "#12304d"
PANEL_FLASH = "#2c6e99"
TEXT = "#f5f7fa"
MUTED = "#a9bdd1"
ACCENT = "#ffd45c"
IDLE = "#9bdba0"
PAUSED = "#f4b266"
CLOSED_TEXT = "#7d8fa3"
CLOSED_PANEL = "#0f2740"
STAFF_NOTE = "#f4b266"
STAFF_NOTE_PX = 32
CAPTION = "#e3ecf5"  # the headline's "请": near-white, readable across the hall
SPEAKING = "#ffd45c"  # the border of the call being said now

STYLE_SHEET = f"""
#displayBoard {{ background: {BACKGROUND}; }}
QLabel {{ color: {TEXT}; background: transparent; }}
QFrame#panel, QFrame#counterCell, QFrame#departmentCell, QFrame#recentRow {{
    background: {PANEL}; border-radius: 10px;
}}
QFrame#headline[flash="true"] {{ background: {PANEL_FLASH}; border-radius: 14px; }}
QFrame#headline[flash="false"] {{ background: {PANEL}; border-radius: 14px; }}
QLabel#muted, QLabel#date {{ color: {MUTED}; }}
QLabel#caption {{ color: {CAPTION}; }}
QLabel#ticket, QLabel#recentNumber[calling="true"] {{ color: {ACCENT}; }}
QLabel#recentNumber[calling="false"] {{ color: {TEXT}; }}
QFrame#counterCell[state="closed"] {{ background: {CLOSED_PANEL}; }}
QLabel#counterStatus[state="calling"] {{ color: {ACCENT}; }}
QLabel#counterStatus[state="serving"] {{ color: {TEXT}; }}
QLabel#counterStatus[state="idle"] {{ color: {IDLE}; }}
QLabel#counterStatus[state="paused"] {{ color: {PAUSED}; }}
QLabel#counterStatus[state="closed"] {{ color: {CLOSED_TEXT}; }}
QLabel#counterName[state="closed"] {{ color: {CLOSED_TEXT}; }}
QLabel#connectionMark {{ color: {MUTED}; }}
QLabel#staffNote {{ color: {STAFF_NOTE}; }}
QFrame#headline[voice="speaking"], QFrame#recentRow[voice="speaking"] {{
    border: 4px solid {SPEAKING};
}}
QFrame#headline[voice="waiting"], QFrame#recentRow[voice="waiting"] {{
    border: 4px dashed {MUTED};
}}
QLabel#voiceMark {{ color: {MUTED}; }}
QLabel#voiceMark[voice="speaking"] {{ color: {SPEAKING}; }}
"""


def board_font(pixel_size: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPixelSize(max(8, round(pixel_size)))
    font.setBold(bold)
    return font


def _set_style_state(widget: QWidget, name: str, value: Any) -> None:
    """Set a dynamic property the style sheet selects on, re-styling only when it changes."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class BoardLabel(PlainLabel):
    """A label that asks for its text's height but never forces the board past its screen.

    Text wider than the label (a long department name, a long translation) is drawn with
    a smaller font rather than clipped; the font set by the board is the largest it uses.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._base_font = QFont(self.font())

    def setFont(self, font: QFont) -> None:
        self._base_font = QFont(font)
        self._fit()

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        font = QFont(self._base_font)
        text = self.text()
        if text and self.width() > 0 and font.pixelSize() > 0:
            advance = QFontMetricsF(font).horizontalAdvance(text)
            room = self.width() - 2 * self.margin() - 2
            if advance > room:
                font.setPixelSize(max(8, int(font.pixelSize() * room / advance)))
        if font != super().font():
            super().setFont(font)

    def sizeHint(self) -> QSize:
        return QSize(0, QFontMetricsF(self._base_font).height().__ceil__())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, 0)


def _label(object_name: str = "", parent: QWidget | None = None) -> QLabel:
    label = BoardLabel(parent)
    if object_name:
        label.setObjectName(object_name)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


def _set_text(label: QLabel, text: str) -> None:
    if label.text() != text:
        label.setText(text)


class BigText(QWidget):
    """A line of text drawn as large as its box allows (the latest ticket number).

    Drawn by hand so the glyphs, not the font's tall CJK line box, fill the space: the
    capital height takes `fill` of the box, and a long number is first squeezed a little
    horizontally, then made smaller, so it always fits.
    """

    def __init__(self, parent: QWidget | None = None, fill: float = 0.78) -> None:
        super().__init__(parent)
        self._text = ""
        self._fill = fill
        self._color = QColor(ACCENT)
        self._reference = "A000"  # numbers are laid out at least this wide, for a steady look
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.update()

    def setColor(self, color: str) -> None:
        self._color = QColor(color)
        self.update()

    def fitted_font(self) -> tuple[QFont, float]:
        """The font and horizontal squeeze the current text is drawn with."""
        font = board_font(100, bold=True)
        metrics = QFontMetricsF(font)
        cap = metrics.capHeight() or metrics.ascent() * 0.7
        size = 100 * self.height() * self._fill / cap
        font.setPixelSize(max(8, round(size)))
        metrics = QFontMetricsF(font)
        sample = self._text if len(self._text) > len(self._reference) else self._reference
        width = max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(self._text))
        available = self.width() * 0.98
        squeeze = 1.0
        if width > available:
            squeeze = max(MIN_SQUEEZE, available / width)
            if width * squeeze > available:
                font.setPixelSize(max(8, int(font.pixelSize() * available / (width * squeeze))))
        return font, squeeze

    def cap_height(self) -> float:
        """How tall the number's capitals and digits are drawn, in pixels."""
        font, _ = self.fitted_font()
        return QFontMetricsF(font).capHeight()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._text:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        font, squeeze = self.fitted_font()
        painter.setFont(font)
        painter.setPen(self._color)
        metrics = QFontMetricsF(font)
        width = metrics.horizontalAdvance(self._text) * squeeze
        baseline = (self.height() + metrics.capHeight()) / 2
        painter.translate((self.width() - width) / 2, baseline)
        painter.scale(squeeze, 1.0)
        painter.drawText(0, 0, self._text)
        painter.end()


class NoticeTicker(QWidget):
    """The notice line: scrolls slowly from right to left when it is wider than the screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._offset = 0.0
        self._step = 2.0
        self._timer = QTimer(self)
        self._timer.setInterval(TICKER_INTERVAL_MS)
        self._timer.timeout.connect(self._advance)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        self._text = " ".join(text.split())
        self._offset = 0.0
        self._restart()

    def setScale(self, scale: float) -> None:
        self.setFont(board_font(34 * scale))
        self._step = max(1.0, 2.0 * scale)
        self.setFixedHeight(round(60 * scale))
        self._restart()

    def scrolling(self) -> bool:
        return self._timer.isActive()

    def _text_width(self) -> float:
        return QFontMetricsF(self.font()).horizontalAdvance(self._text)

    def _restart(self) -> None:
        needs_scroll = bool(self._text) and self._text_width() > self.width() * 0.95
        if needs_scroll and not self._timer.isActive():
            self._timer.start()
        elif not needs_scroll:
            self._timer.stop()
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._restart()

    def _advance(self) -> None:
        gap = self.width() * 0.3
        self._offset = (self._offset + self._step) % (self._text_width() + gap)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(PANEL))
        if not self._text:
            return
        painter.setPen(QColor(TEXT))
        painter.setFont(self.font())
        metrics = QFontMetricsF(self.font())
        baseline = (self.height() + metrics.ascent() - metrics.descent()) / 2
        if not self._timer.isActive():
            x = (self.width() - self._text_width()) / 2
            painter.drawText(round(x), round(baseline), self._text)
            return
        gap = self.width() * 0.3
        x = self.width() - self._offset
        # A second copy follows the first, so the line never runs empty.
        while x < self.width():
            painter.drawText(round(x), round(baseline), self._text)
            x += self._text_width() + gap
        painter.end()


class HeadlinePanel(QFrame):
    """The latest call, very large: caption, ticket number, and where to go."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("headline")
        self.setProperty("flash", False)
        self.setProperty("voice", "")
        self.caption = _label("caption", self)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number = BigText(self)
        self.destination = _label("", self)
        self.destination.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.number, 1)
        layout.addWidget(self.destination)

    def setScale(self, scale: float, number_height: int) -> None:
        margin = round(16 * scale)
        self.layout().setContentsMargins(margin, margin, margin, margin)
        self.layout().setSpacing(0)
        self.caption.setFont(board_font(40 * scale))
        self.caption.setFixedHeight(round(62 * scale))
        self.number.setMinimumHeight(number_height)
        self.destination.setFont(board_font(72 * scale, bold=True))
        self.destination.setFixedHeight(round(108 * scale))

    def set_flash(self, on: bool) -> None:
        _set_style_state(self, "flash", on)


class RecentRow(QFrame):
    """One row of the recent calls: ticket number and counter."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recentRow")
        self.setProperty("voice", "")
        self.number = _label("recentNumber", self)
        self.number.setProperty("calling", False)
        self.counter = _label("", self)
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # What the voice is doing with this call: being said now, or still to be said.
        self.voice_mark = _label("voiceMark", self)
        self.voice_mark.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.voice_mark.setVisible(False)
        layout = QHBoxLayout(self)
        layout.addWidget(self.number, 4)
        layout.addWidget(self.voice_mark, 3)
        layout.addWidget(self.counter, 5)

    def setScale(self, scale: float) -> None:
        margin = round(18 * scale)
        self.layout().setContentsMargins(margin, 0, margin, 0)
        self.number.setFont(board_font(46 * scale, bold=True))
        self.counter.setFont(board_font(40 * scale))
        self.voice_mark.setFont(board_font(28 * scale))

    def show_voice(self, state: str, text: str) -> None:
        """Mark the row "speaking" (being said now), "waiting" (still to be said) or ""."""
        _set_style_state(self, "voice", state)
        _set_style_state(self.voice_mark, "voice", state)
        _set_text(self.voice_mark, text)
        self.voice_mark.setVisible(bool(state))

    def show_call(self, call: Call | None, counter_name: str) -> None:
        _set_text(self.number, call.number if call else "")
        _set_text(self.counter, counter_name if call else "")
        _set_style_state(self.number, "calling", bool(call and call.state == "called"))


class CounterCell(QFrame):
    """One counter: its name, and what it is doing (a ticket, idle, paused, not open)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("counterCell")
        self.setProperty("state", "closed")
        self.name = _label("counterName", self)
        self.name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status = _label("counterStatus", self)
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setSpacing(0)
        layout.addWidget(self.name)
        layout.addWidget(self.status, 1)
        self.number = 0

    def setScale(self, scale: float) -> None:
        margin = round(4 * scale)
        self.layout().setContentsMargins(margin, margin, margin, margin)
        self.name.setFont(board_font(max(MIN_COUNTER_LABEL_PX, 26 * scale)))
        self.status.setFont(board_font(40 * scale, bold=True))

    def show_counter(self, counter: CounterStatus | None, texts: dict[str, str]) -> None:
        if counter is None:
            self.setVisible(False)
            return
        self.setVisible(True)
        self.number = counter.number
        if counter.state == "paused":
            visual, status = "paused", texts["paused"]
        elif counter.state == "closed":
            visual, status = "closed", texts["closed"]
        elif counter.ticket:
            visual = "calling" if counter.calling else "serving"
            status = counter.ticket
        else:
            visual, status = "idle", texts["idle"]
        # The number part only ("20号窗口" of "20号窗口（不动产）"): a tile has room for one
        # line of at least 32 px, and the number is what the calls name.
        _set_text(self.name, _counter_parts(counter.name)[0])
        _set_text(self.status, status)
        _set_style_state(self, "state", "closed" if visual == "closed" else "open")
        _set_style_state(self.name, "state", "closed" if visual == "closed" else "open")
        _set_style_state(self.status, "state", visual)


def _counter_parts(name: str) -> tuple[str, str]:
    """'20号窗口（不动产）' -> ('20号窗口', '不动产'): the number part and the department part."""
    for opening, closing in (("（", "）"), ("(", ")")):
        head, sep, tail = name.partition(opening)
        if sep and head.strip():
            return head.strip(), tail.rstrip(closing).strip()
    return name, ""


class DepartmentCell(QFrame):
    """One department's waiting count."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("departmentCell")
        self.name = _label("", self)
        self.name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count = _label("ticket", self)
        self.count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setSpacing(0)
        layout.addWidget(self.name)
        layout.addWidget(self.count)

    def setScale(self, scale: float) -> None:
        margin = round(4 * scale)
        self.layout().setContentsMargins(margin, margin, margin, margin)
        self.name.setFont(board_font(26 * scale))
        self.count.setFont(board_font(36 * scale, bold=True))


class DisplayBoard(QWidget):
    """The lobby board; feed it with `bind(connection)` or directly with `apply_snapshot` /
    `handle_event` (tests, replays).

    `announcer` (display_board.voice.engines.Announcer, optional) is asked to speak every
    new call and recall, in the order the server made them. `lang` ("zh_CN" or "en") picks
    the department names and the date format; the interface text follows the installed
    translation.
    """

    callShown = Signal(str, int, bool)  # number, counter, recall: a new call on the board
    resynced = Signal()  # the board was rebuilt from a snapshot

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
    ) -> None:
        super().__init__(parent)
        if waiting_mode not in WAITING_MODES:
            raise ValueError(f"waiting_mode must be one of {WAITING_MODES}, not {waiting_mode!r}")
        self.waiting_mode = waiting_mode
        self.busiest = max(1, busiest)
        self.counter_page = 0
        self._counter_rows = 3  # how many rows of counters fit; set by _apply_scale
        self.setObjectName("displayBoard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE_SHEET)
        self.model = model or BoardModel()
        self.announcer = announcer
        self._default_hall_name = hall_name
        self._clock = clock
        self.lang = lang
        self._locale = QLocale("zh_CN" if lang == "zh_CN" else "en_US")
        self._connection: Any | None = None
        self._connection_state = "connecting"
        self._refused = ""  # why the server refused this board, until it is let in
        self._resyncing = False
        self._held_events: list[tuple[str, int, dict[str, Any]]] = []
        self._flash_ticks = 0
        self._portrait: bool | None = None
        self._scale = 1.0
        self._row_calls: list[Call | None] = []  # the call each recent row shows

        self._build()
        self.ticker.setText(notice)

        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(FLASH_INTERVAL_MS)
        self._flash_timer.timeout.connect(self._on_flash)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(CLOCK_INTERVAL_MS)
        self._clock_timer.timeout.connect(self._show_clock)
        self._clock_timer.start()
        self._page_timer = QTimer(self)
        self._page_timer.setInterval(PAGE_TURN_MS)
        self._page_timer.timeout.connect(self.turn_counter_page)

        if announcer is not None and hasattr(announcer, "changed"):
            announcer.changed.connect(self._render_voice)

        self._show_clock()
        self._show_connection()
        self._render_all()
        self._arrange(portrait=False)
        self._apply_scale()

    # -- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.header = QFrame(self)
        self.hall_label = _label("", self.header)
        self.connection_mark = _label("connectionMark", self.header)
        self.connection_mark.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.staff_note = _label("staffNote", self.header)
        self.staff_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.date_label = _label("date", self.header)
        self.date_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.time_label = _label("", self.header)
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._header_grid = QGridLayout(self.header)
        self._header_grid.setContentsMargins(0, 0, 0, 0)
        self._header_grid.setVerticalSpacing(0)

        self.headline = HeadlinePanel(self)

        self.recent_panel = QFrame(self)
        self.recent_panel.setObjectName("panel")
        self.recent_title = _label("muted", self.recent_panel)
        self.recent_rows = [RecentRow(self.recent_panel) for _ in range(RECENT_ROWS)]
        self._recent_grid = QGridLayout()
        recent_layout = QVBoxLayout(self.recent_panel)
        title_row = QHBoxLayout()
        title_row.addWidget(self.recent_title, 1)
        recent_layout.addLayout(title_row)
        recent_layout.addLayout(self._recent_grid, 1)

        self._middle = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._middle.addWidget(self.headline, 3)
        self._middle.addWidget(self.recent_panel, 2)

        self.counter_panel = QWidget(self)
        # "窗口 1/3" when the counters turn pages, beside the recent calls' title.
        self.counter_page_mark = PlainLabel(self.recent_panel)
        self.counter_page_mark.setObjectName("muted")
        self.counter_page_mark.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        title_row.addWidget(self.counter_page_mark)
        self._counter_grid = QGridLayout(self.counter_panel)
        self._counter_grid.setContentsMargins(0, 0, 0, 0)
        self.counter_cells: list[CounterCell] = []

        self.waiting_panel = QFrame(self)
        self._waiting_grid = QGridLayout(self.waiting_panel)
        self._waiting_grid.setContentsMargins(0, 0, 0, 0)
        self.department_cells: list[DepartmentCell] = []

        self.ticker = NoticeTicker(self)

        self._root = QVBoxLayout(self)
        # The board is sized from its window (see _apply_scale), never the other way round:
        # the layout's minimum follows the scale, and a window grown to it would keep growing.
        self._root.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self._root.addWidget(self.header)
        self._root.addLayout(self._middle, 1)
        self._root.addWidget(self.counter_panel)
        self._root.addWidget(self.waiting_panel)
        self._root.addWidget(self.ticker)
        self._retranslate()

    def _retranslate(self) -> None:
        self.recent_title.setText(self.tr("Recent calls"))
        self._counter_texts = {
            "idle": self.tr("Available"),
            "paused": self.tr("Paused"),
            "closed": self.tr("Closed"),
        }

    def _ensure_cells(
        self, cells: list[Any], count: int, factory: Callable[[QWidget], QWidget], parent: QWidget
    ) -> bool:
        """Grow a pool of cells to `count` (cells are hidden, never destroyed); True if grown."""
        if len(cells) >= count:
            return False
        while len(cells) < count:
            cell = factory(parent)
            cell.setScale(self._scale)
            cells.append(cell)
        return True

    # -- layout and scale ----------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        portrait = self.height() > self.width()
        if portrait != self._portrait:
            self._arrange(portrait)
        self._apply_scale()

    def _arrange(self, portrait: bool) -> None:
        self._portrait = portrait
        self._middle.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )
        # The recent calls read in two columns on either screen: four rows of big type fit
        # beside (or under) the latest call where eight would be small print.
        self._regrid(self._recent_grid, self.recent_rows, 2)
        self._arrange_header(portrait)
        if hasattr(self, "_page_timer"):  # the capacities depend on the orientation
            self._render_counters()
            self._render_waiting()
        self._regrid_counters()
        self._regrid_departments()

    def _arrange_header(self, portrait: bool) -> None:
        grid = self._header_grid
        parts = (
            self.hall_label,
            self.connection_mark,
            self.staff_note,
            self.date_label,
            self.time_label,
        )
        for widget in parts:
            grid.removeWidget(widget)
        for column in range(4):
            grid.setColumnStretch(column, 0)
        if portrait:
            # A tall screen is narrow: the hall name gets a line of its own.
            grid.addWidget(self.hall_label, 0, 0, 1, 3)
            grid.addWidget(self.connection_mark, 1, 0)
            grid.addWidget(self.staff_note, 2, 0)
            grid.addWidget(self.date_label, 1, 1, 2, 1)
            grid.addWidget(self.time_label, 1, 2, 2, 1)
            stretches = (5, 4, 2)
        else:
            grid.addWidget(self.hall_label, 0, 0, 2, 1)
            grid.addWidget(self.connection_mark, 0, 1)
            grid.addWidget(self.staff_note, 1, 1)
            grid.addWidget(self.date_label, 0, 2, 2, 1)
            grid.addWidget(self.time_label, 0, 3, 2, 1)
            stretches = (10, 6, 5, 2)
        for column, stretch in enumerate(stretches):
            grid.setColumnStretch(column, stretch)

    def _counter_columns(self) -> int:
        visible = sum(1 for cell in self.counter_cells if not cell.isHidden()) or 1
        most = COUNTER_COLUMNS[bool(self._portrait)]
        rows = -(-visible // most)
        return -(-visible // rows)  # rows as even as they can be

    def _department_columns(self) -> int:
        visible = sum(1 for cell in self.department_cells if not cell.isHidden()) or 1
        return min(DEPARTMENT_GRID[bool(self._portrait)][0], visible)

    def counter_capacity(self) -> int:
        return COUNTER_COLUMNS[bool(self._portrait)] * self._counter_rows

    def _counter_cell_height(self, scale: float) -> int:
        """A counter cell tall enough for its name (>= 32 px) over its status."""
        margin = round(4 * scale)
        name = QFontMetricsF(board_font(max(MIN_COUNTER_LABEL_PX, 26 * scale))).height()
        status = QFontMetricsF(board_font(40 * scale, bold=True)).height()
        return int(name + status) + 2 * margin + 2

    def _fit_counter_rows(self, scale: float, cell_height: int) -> int:
        """How many rows of counters fit under the latest call and above the waiting counts."""
        margins = self._root.contentsMargins()
        gap = self._root.spacing()
        middle = self.headline.minimumSizeHint().height()
        if self._portrait:
            middle += self._middle.spacing() + round(PORTRAIT_RECENT_MIN * scale)
        used = (
            margins.top()
            + margins.bottom()
            + self.header.minimumHeight()
            + middle
            + self.waiting_panel.minimumHeight()
            + self.ticker.minimumHeight()
            + 4 * gap
        )
        room = self.height() - used
        spacing = round(8 * scale)
        return max(1, (room + spacing) // (cell_height + spacing))

    def department_capacity(self) -> int:
        columns, rows = DEPARTMENT_GRID[bool(self._portrait)]
        return columns * rows

    def shown_counters(self) -> tuple[list[CounterStatus], int]:
        """The counters on the screen now and how many pages they take.

        Every counter when they fit; else the open ones; else the open ones page by page."""
        counters = [self.model.counters[number] for number in sorted(self.model.counters)]
        capacity = self.counter_capacity()
        if len(counters) > capacity:
            counters = [counter for counter in counters if counter.state != "closed"]
        pages = max(1, -(-len(counters) // capacity))
        page = self.counter_page % pages
        return counters[page * capacity : (page + 1) * capacity], pages

    def turn_counter_page(self) -> None:
        self.counter_page += 1
        self._render_counters()

    def shown_departments(self) -> list[tuple[str, int]]:
        """(name, waiting) per department cell: every department when they fit (or the hall
        asks for all), else the busiest and one cell summing the rest."""
        rows = [
            (self._department_name(d), count) for d, count in self.model.waiting_by_department()
        ]
        keep = self.department_capacity() - 1
        if self.waiting_mode == "busiest":
            keep = min(keep, self.busiest)
        if len(rows) <= keep + (self.waiting_mode == "all"):
            return rows
        order = sorted(range(len(rows)), key=lambda index: -rows[index][1])
        chosen = sorted(order[:keep])
        rest = sum(rows[index][1] for index in order[keep:])
        others = self.tr("Other departments (%1)").replace("%1", str(len(rows) - keep))
        return [rows[index] for index in chosen] + [(others, rest)]

    def _regrid_counters(self) -> None:
        cells = [cell for cell in self.counter_cells if not cell.isHidden()]
        self._regrid(self._counter_grid, cells, self._counter_columns())

    def _regrid_departments(self) -> None:
        cells = [cell for cell in self.department_cells if not cell.isHidden()]
        self._regrid(self._waiting_grid, cells, self._department_columns())

    @staticmethod
    def _regrid(grid: QGridLayout, widgets: Sequence[QWidget], columns: int) -> None:
        for widget in widgets:
            grid.removeWidget(widget)
        for column in range(grid.columnCount()):
            grid.setColumnStretch(column, 0)
        for row in range(grid.rowCount()):
            grid.setRowStretch(row, 0)
        columns = max(1, columns)
        for index, widget in enumerate(widgets):
            grid.addWidget(widget, index // columns, index % columns)
        for column in range(columns):
            grid.setColumnStretch(column, 1)
        for row in range((len(widgets) + columns - 1) // columns):
            grid.setRowStretch(row, 1)

    def _apply_scale(self) -> None:
        base = PORTRAIT_BASE if self._portrait else LANDSCAPE_BASE
        width, height = max(1, self.width()), max(1, self.height())
        scale = min(width / base.width(), height / base.height())
        self._scale = scale
        gap = round(14 * scale)
        margin = round(20 * scale)
        self._root.setContentsMargins(margin, round(12 * scale), margin, margin)
        self._root.setSpacing(gap)
        self._middle.setSpacing(gap)

        self.header.setFixedHeight(round((150 if self._portrait else 84) * scale))
        self.hall_label.setFont(board_font(50 * scale, bold=True))
        self.connection_mark.setFont(board_font(22 * scale))
        self.staff_note.setFont(board_font(STAFF_NOTE_PX * scale))
        self.date_label.setFont(board_font(30 * scale))
        self.time_label.setFont(board_font(58 * scale, bold=True))

        # The latest number's capitals are at least a sixth of the screen's height.
        self.headline.setScale(scale, round(height / 6 / 0.78) + 2)

        self.recent_title.setFont(board_font(34 * scale))
        self.recent_title.setFixedHeight(round(50 * scale))
        self.recent_panel.layout().setContentsMargins(
            round(14 * scale), round(8 * scale), round(14 * scale), round(14 * scale)
        )
        self._recent_grid.setSpacing(round(8 * scale))
        for row in self.recent_rows:
            row.setScale(scale)

        department_rows = max(
            1, -(-len(self._visible(self.department_cells)) // self._department_columns())
        )
        self._waiting_grid.setSpacing(round(8 * scale))
        department_height = round((78 if department_rows > 1 else 92) * scale)
        self.waiting_panel.setFixedHeight(
            department_rows * department_height + (department_rows - 1) * round(8 * scale)
        )
        for cell in self.department_cells:
            cell.setScale(scale)

        self.ticker.setScale(scale)

        self._counter_grid.setSpacing(round(8 * scale))
        for cell in self.counter_cells:
            cell.setScale(scale)
        self.counter_page_mark.setFont(board_font(28 * scale))
        self.counter_page_mark.setFixedHeight(round(50 * scale))
        self._counter_cell_px = self._counter_cell_height(scale)
        rows = self._fit_counter_rows(scale, self._counter_cell_px)
        if rows != self._counter_rows:
            self._counter_rows = rows
            self._render_counters()
        self._size_counter_panel()

    def _fit_height(self) -> None:
        """Never ask for more height than the window has: the latest number gives way.

        The fixed strips (header, counters, waiting counts, ticker) are sized from the scale;
        on a short window (a demo tile) their sum with the number's minimum can pass the
        window's height, and a window's layout would then grow the window.
        """
        self._root.invalidate()
        excess = self._root.minimumSize().height() - self.height()
        if excess > 0:
            number = self.headline.number
            number.setMinimumHeight(max(0, number.minimumHeight() - excess))

    def _size_counter_panel(self) -> None:
        rows = max(1, -(-len(self._visible(self.counter_cells)) // self._counter_columns()))
        spacing = self._counter_grid.spacing()
        height = getattr(self, "_counter_cell_px", 96)
        self.counter_panel.setFixedHeight(rows * height + (rows - 1) * spacing)
        self._fit_height()

    @staticmethod
    def _visible(cells: Sequence[QWidget]) -> list[QWidget]:
        return [cell for cell in cells if not cell.isHidden()]

    # -- the connection ------------------------------------------------------------------------

    def bind(self, connection: Any) -> None:
        """Follow a shared.qt.client.HallConnection: its state, snapshots and events."""
        self._connection = connection
        connection.stateChanged.connect(self.set_connection_state)
        connection.handshakeFailed.connect(self._on_refused)
        connection.ready.connect(self._on_ready)
        connection.event.connect(self.handle_event)
        self.set_connection_state(connection.state)

    def set_connection_state(self, state: str) -> None:
        self._connection_state = state
        if state == "online":
            self._refused = ""
        self._show_connection()

    def _on_refused(self, code: str, message: str) -> None:
        """The server refused this board (most often a wrong hall key): say so to staff."""
        self._refused = message
        self._show_connection()

    def _on_ready(self, snapshot: dict[str, Any]) -> None:
        self.apply_snapshot(snapshot)
        if self._connection is not None:
            self._connection.fetch("catalog", self._on_catalog)

    def _on_catalog(self, reply: Any) -> None:
        if not reply.ok:
            log.warning("catalog not available: %s %s", reply.code, reply.message)
            return
        self.apply_catalog(reply.result)

    def apply_catalog(self, catalog: dict[str, Any]) -> None:
        """Name the departments from a `catalog` result (codes are shown until it comes)."""
        try:
            changed = self.model.apply_catalog(catalog)
        except BoardDataError as error:
            log.warning("catalog unreadable: %s", error)
            return
        if changed:
            self._render_waiting()
            self._apply_scale()  # the room left for counters may have changed

    def request_resync(self) -> None:
        """Ask the server for a snapshot (events are held until it comes)."""
        if self._resyncing:
            return
        if self._connection is None or not self._connection.online:
            return  # the connection resyncs by itself when it is back
        self._resyncing = True
        self._connection.fetch("snapshot", self._on_resync_reply)

    def _on_resync_reply(self, reply: Any) -> None:
        self._resyncing = False
        held, self._held_events = self._held_events, []
        if not reply.ok:
            log.warning("snapshot refused: %s %s", reply.code, reply.message)
            return
        self.apply_snapshot(reply.result)
        for name, seq, data in held:
            self.handle_event(name, seq, data)

    # -- applying ------------------------------------------------------------------------------

    def apply_snapshot(self, snapshot: dict[str, Any]) -> None:
        """Rebuild the board from a `snapshot`; calls missed while offline are announced."""
        try:
            missed = self.model.apply_snapshot(snapshot)
        except BoardDataError as error:
            log.warning("snapshot unreadable, keeping the last state: %s", error)
            return
        log.info("board shows the hall as of event %s", self.model.seq)
        self._render_all()
        self._apply_scale()  # the room left for counters may have changed
        for call in missed:
            self._announce(call)
        if missed:
            self._start_flash()
        self.resynced.emit()

    def handle_event(self, name: str, seq: int, data: dict[str, Any]) -> None:
        """Apply one pushed event; a gap in `seq` or unreadable data resyncs the board."""
        if self._resyncing:
            self._held_events.append((name, seq, data))
            return
        try:
            update = self.model.apply_event(name, seq, data)
        except BoardDataError as error:
            log.warning("event %s (seq %s) unreadable, resyncing: %s", name, seq, error)
            self.request_resync()
            return
        if update.resync:
            if name == "day_reset":
                self._render_all()  # a clean screen for the new day, until the snapshot comes
            else:
                log.info("event seq %s does not follow %s; resyncing", seq, self.model.seq)
            self.request_resync()
            return
        if Part.CALLS in update.parts:
            self._render_calls()
        if Part.COUNTERS in update.parts:
            self._render_counters()
        if Part.WAITING in update.parts:
            self._render_waiting()
        if Part.KIOSKS in update.parts:
            self._render_staff_note()
        for call in update.new_calls:
            self._announce(call)
        if update.new_calls:
            self._start_flash()

    def _announce(self, call: Call) -> None:
        self.callShown.emit(call.number, call.counter, call.recall)
        if self.announcer is None:
            return
        try:
            self.announcer.announce(call.number, call.counter, recall=call.recall)
        except ValueError as error:
            log.warning("call %s to counter %s not announced: %s", call.number, call.counter, error)

    # -- rendering -----------------------------------------------------------------------------

    def _render_all(self) -> None:
        self._render_hall()
        self._render_calls()
        self._render_counters()
        self._render_waiting()
        self._render_staff_note()

    def _render_hall(self) -> None:
        _set_text(self.hall_label, self.model.hall or self._default_hall_name)

    def _render_calls(self) -> None:
        latest = self.model.headline
        headline = self.headline
        if latest is None:
            _set_text(headline.caption, self.tr("Welcome"))
            headline.number.setText("")
            _set_text(headline.destination, self.tr("Please wait for your number"))
        else:
            _set_text(
                headline.caption,
                self.tr("Calling again")
                if latest.recall and self.model.latest_is_live
                else self.tr("Now calling"),
            )
            headline.number.setText(latest.number)
            _set_text(
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
            name = _counter_parts(self.model.counter_name(call.counter))[0] if call else ""
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
        _set_style_state(self.headline, "voice", state(latest))
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
            _set_text(cell.name, name)
            _set_text(cell.count, self.tr("%1 waiting").replace("%1", str(count)))
        if grown or was_visible != len(rows):
            self._regrid_departments()
            self._apply_scale()

    def _department_name(self, department: Department) -> str:
        if self.lang != "zh_CN" and department.name_en:
            return department.name_en
        return department.name

    def _render_staff_note(self) -> None:
        notes = [self._kiosk_text(kiosk) for kiosk in self.model.kiosks_needing_attention()[:3]]
        if self.model.assignment_missing:
            notes.insert(0, self._assignment_text())
        _set_text(self.staff_note, "  ".join(notes))
        self.staff_note.setVisible(bool(notes))

    def _assignment_text(self) -> str:
        """For staff: none of the counters given with --counters exists in this hall."""
        return (
            self.tr(
                "None of this board's counters (%1) exists in this hall (counters %2): check --counters"
            )
            .replace("%1", _number_ranges(self.model.assigned or ()))
            .replace("%2", _number_ranges(self.model.hall_counters) or "-")
        )

    def _kiosk_text(self, kiosk: KioskStatus) -> str:
        problems = {
            "near_end": self.tr("paper running low"),
            "paper_out": self.tr("out of paper"),
            "offline": self.tr("printer offline"),
            "error": self.tr("printer error"),
        }
        return (
            self.tr("Kiosk %1: %2")
            .replace("%1", kiosk.name or kiosk.client)
            .replace("%2", problems.get(kiosk.printer, kiosk.printer))
        )

    def _show_connection(self) -> None:
        if self._connection_state == "online":
            self.connection_mark.setVisible(False)
            return
        self.connection_mark.setVisible(True)
        # Residents should not be alarmed: a small, calm note for staff, the board stays as it was.
        if self._refused:
            text = self.tr("The hall server refused this board (%1)").replace("%1", self._refused)
        elif self.model.seq is not None:
            text = self.tr("Reconnecting…")
        elif self._connection is not None:
            address = f"{self._connection.host}:{self._connection.port}"
            text = self.tr("Connecting to the hall server at %1…").replace("%1", address)
        else:
            text = self.tr("Connecting…")
        _set_text(self.connection_mark, "● " + text)

    def _show_clock(self) -> None:
        now = self._clock()
        date_format = "yyyy年M月d日 dddd" if self.lang == "zh_CN" else "ddd d MMM yyyy"
        _set_text(self.date_label, self._locale.toString(now.date(), date_format))
        _set_text(self.time_label, now.toString("HH:mm"))

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


def _number_ranges(numbers: Iterable[int]) -> str:
    """1, 2, 3, 7, 9, 10 -> "1-3, 7, 9-10"."""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)
