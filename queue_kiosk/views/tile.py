"""The touch controls the start and matters pages share: tiles, and the page buttons.

A tile is a big button with a name line over an information line; `PageButtons` is the
row under a grid of tiles that holds more than one screen: previous, "page n of m", next.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from shared.qt.widgets import PlainLabel


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


class PageButtons:
    """Previous page, "page n of m" and next page, put in `row` (texts from the page, which
    translates them in its own context)."""

    def __init__(
        self,
        row: QHBoxLayout,
        texts: tuple[str, str],
        turn_back: Callable[[], None],
        turn_on: Callable[[], None],
    ) -> None:
        self.previous_button = QPushButton(texts[0])
        self.previous_button.setObjectName("nav")
        self.previous_button.clicked.connect(turn_back)
        row.addWidget(self.previous_button)
        self.page_label = PlainLabel()
        self.page_label.setObjectName("hint")
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.addWidget(self.page_label, 1)
        self.next_button = QPushButton(texts[1])
        self.next_button.setObjectName("nav")
        self.next_button.clicked.connect(turn_on)
        row.addWidget(self.next_button)

    def show_page(self, page: int, pages: int, text: str) -> None:
        """Page `page` (from 0) of `pages` is shown; `text` says so."""
        self.page_label.setText(text)
        self.previous_button.setEnabled(page > 0)
        self.next_button.setEnabled(page + 1 < pages)
