"""Where the board's parts go on the screen, and how large they are drawn.

`BoardFrame` builds the board's widgets once (header, latest call, recent calls, counter
and department tiles, notice) and lays them out for the window: landscape or portrait,
everything scaled from a 1920x1080 (1080x1920) design, the counters in as many rows as fit
under the calls (more counters than fit: the open ones, in pages that turn). It shows no
hall data itself: DisplayBoard (board.py) fills the widgets from the model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer
from PySide6.QtGui import QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLayout,
    QVBoxLayout,
    QWidget,
)

from display_board.model import BoardModel
from display_board.model.items import CounterStatus, Department
from display_board.views.calls_view import HeadlinePanel, RecentRow
from display_board.views.status_view import NoticeTicker
from display_board.views.style import (
    MIN_COUNTER_LABEL_PX,
    STAFF_NOTE_PX,
    STYLE_SHEET,
    board_font,
    make_label,
)
from display_board.views.tiles import CounterCell, DepartmentCell
from shared.qt.widgets import PlainLabel

RECENT_ROWS = 8
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
WAITING_MODES = ("all", "busiest")  # every department (busiest first when too many) / top N


class BoardFrame(QWidget):
    """The board's widgets, laid out and scaled for its window; see the module docstring."""

    model: BoardModel  # the board's model, set by DisplayBoard

    def __init__(
        self,
        parent: QWidget | None = None,
        waiting_mode: str = "all",
        busiest: int = 8,
        lang: str = "zh_CN",
    ) -> None:
        super().__init__(parent)
        if waiting_mode not in WAITING_MODES:
            raise ValueError(f"waiting_mode must be one of {WAITING_MODES}, not {waiting_mode!r}")
        self.waiting_mode = waiting_mode
        self.busiest = max(1, busiest)
        self.lang = lang
        self.counter_page = 0
        self._counter_rows = 3  # how many rows of counters fit; set by _apply_scale
        self.setObjectName("displayBoard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE_SHEET)
        self._portrait: bool | None = None
        self._scale = 1.0
        self._filled = False  # whether the board draws its model yet (DisplayBoard says)
        self._build()
        self._page_timer = QTimer(self)
        self._page_timer.setInterval(PAGE_TURN_MS)
        self._page_timer.timeout.connect(self.turn_counter_page)

    def _render_counters(self) -> None:
        """Fill the counter tiles (DisplayBoard does, from its model)."""

    def _render_waiting(self) -> None:
        """Fill the department tiles (DisplayBoard does, from its model)."""

    # -- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.header = QFrame(self)
        self.hall_label = make_label("", self.header)
        self.connection_mark = make_label("connectionMark", self.header)
        self.connection_mark.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.staff_note = make_label("staffNote", self.header)
        self.staff_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.date_label = make_label("date", self.header)
        self.date_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.time_label = make_label("", self.header)
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._header_grid = QGridLayout(self.header)
        self._header_grid.setContentsMargins(0, 0, 0, 0)
        self._header_grid.setVerticalSpacing(0)

        self.headline = HeadlinePanel(self)

        self.recent_panel = QFrame(self)
        self.recent_panel.setObjectName("panel")
        self.recent_title = make_label("muted", self.recent_panel)
        self.recent_rows = [RecentRow(self.recent_panel) for _ in range(RECENT_ROWS)]
        self._recent_grid = QGridLayout()
        self._recent_box = recent_layout = QVBoxLayout(self.recent_panel)
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

    def _ensure_cells(
        self, cells: list[Any], count: int, factory: Callable[[QWidget], Any], parent: QWidget
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
        if self._filled:  # the capacities depend on the orientation
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
            stretches: tuple[int, ...] = (5, 4, 2)
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
        others = QCoreApplication.translate("DisplayBoard", "Other departments (%1)").replace(
            "%1", str(len(rows) - keep)
        )
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
        self._recent_box.setContentsMargins(
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
        for counter_cell in self.counter_cells:
            counter_cell.setScale(scale)
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

    def _department_name(self, department: Department) -> str:
        if self.lang != "zh_CN" and department.name_en:
            return department.name_en
        return department.name
