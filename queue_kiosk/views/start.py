"""The start page: the hall's departments as tiles, the search entry and the 绿色通道 button.

A hall of more departments than fit one screen pages through them; outside issuing hours
the page shows the hours, large, and nothing to touch.
"""

from __future__ import annotations

import math
import time
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from queue_kiosk.model import Category, KioskModel, PriorityMode
from queue_kiosk.views.style import clear_layout
from queue_kiosk.views.tile import PageButtons, Tile
from shared.qt.widgets import PlainLabel


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
        self.pages = PageButtons(
            pager,
            (self.tr("Previous page"), self.tr("Next page")),
            lambda: self.turn(-1),
            lambda: self.turn(1),
        )
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
            clear_layout(self.grid)
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
        self.pages.show_page(
            self.page,
            self.page_count,
            self.tr("Page {page} of {pages}").format(page=self.page + 1, pages=self.page_count),
        )
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
