"""The matters page: one department's matters (or all of them), paged, with a pinyin search.

Residents who do not find their matter type its pinyin initials on the on-screen keyboard
(a kiosk has no other); the keyboard shows only where a search can help.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
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

from queue_kiosk.model import KioskModel, Matter
from queue_kiosk.views.style import clear_layout
from queue_kiosk.views.tile import PageButtons, Tile
from shared.qt.widgets import PlainLabel

KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
KEY_ROW_MOST = max(
    len(KEYBOARD_ROWS[-1]) + 2, *(len(row) for row in KEYBOARD_ROWS)
)  # + Delete, Clear


class MattersPage(QWidget):
    """The matters of one department (or all), paged, with a pinyin-initials search."""

    def __init__(self, model: KioskModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        layout = self.column = QVBoxLayout(self)
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
        self.grid_holder = QWidget()
        self.grid_holder.setLayout(self.grid)
        self.list_area.addWidget(self.grid_holder)
        self.list_area.addWidget(self.empty)
        layout.addWidget(self.list_area, 1)

        pager = QHBoxLayout()
        self.pages = PageButtons(
            pager,
            (self.tr("Previous page"), self.tr("Next page")),
            model.previous_page,
            model.next_page,
        )
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
        margins = self.column.contentsMargins()
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
            clear_layout(self.grid)
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
        self.list_area.setCurrentWidget(self.grid_holder if shown else self.empty)
        # The pinyin keyboard helps only where there is something to search: all matters, or
        # a department with more matters than one page shows.
        searching = model.category is None or bool(model.search_text)
        in_department = [
            m for m in model.matters if model.category and m.category == model.category.code
        ]
        helps = searching or len(in_department) > self.columns * self.rows
        self.keyboard.setVisible(helps)
        self.search.setVisible(helps)
        self.pages.show_page(
            model.page,
            model.page_count,
            self.tr("Page {page} of {pages}").format(page=model.page + 1, pages=model.page_count),
        )
