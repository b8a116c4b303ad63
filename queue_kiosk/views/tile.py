"""The big touch button of the start and matters pages: a name line over an information line."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QPushButton, QSizePolicy, QVBoxLayout, QWidget

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
