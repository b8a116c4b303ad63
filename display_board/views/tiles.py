"""The tiles under the calls: one per counter (what it is doing) and one per department
(how many wait). The layout makes a pool of them once and hides the spare ones.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from display_board.model.items import CounterStatus
from display_board.views.style import (
    MIN_COUNTER_LABEL_PX,
    board_font,
    make_label,
    set_style_state,
    set_text,
)


class CounterCell(QFrame):
    """One counter: its name, and what it is doing (a ticket, idle, paused, not open)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("counterCell")
        self.setProperty("state", "closed")
        self.name = make_label("counterName", self)
        self.name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status = make_label("counterStatus", self)
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._box = layout = QVBoxLayout(self)
        layout.setSpacing(0)
        layout.addWidget(self.name)
        layout.addWidget(self.status, 1)
        self.number = 0

    def setScale(self, scale: float) -> None:
        margin = round(4 * scale)
        self._box.setContentsMargins(margin, margin, margin, margin)
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
        set_text(self.name, counter_parts(counter.name)[0])
        set_text(self.status, status)
        set_style_state(self, "state", "closed" if visual == "closed" else "open")
        set_style_state(self.name, "state", "closed" if visual == "closed" else "open")
        set_style_state(self.status, "state", visual)


def counter_parts(name: str) -> tuple[str, str]:
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
        self.name = make_label("", self)
        self.name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count = make_label("ticket", self)
        self.count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._box = layout = QVBoxLayout(self)
        layout.setSpacing(0)
        layout.addWidget(self.name)
        layout.addWidget(self.count)

    def setScale(self, scale: float) -> None:
        margin = round(4 * scale)
        self._box.setContentsMargins(margin, margin, margin, margin)
        self.name.setFont(board_font(26 * scale))
        self.count.setFont(board_font(36 * scale, bold=True))
