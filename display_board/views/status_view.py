"""The board's small lines for staff and residents: the notice ticker and the status texts.

The connection mark, the staff note (a kiosk's printer, a board hung for counters the hall
has not got) and the notice say things a resident should not be alarmed by: small, calm,
and the board keeps showing the calls. The texts are translated in the DisplayBoard
context, as the board's own.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from display_board.model.items import KioskStatus
from display_board.views.style import PANEL, TEXT, board_font

TICKER_INTERVAL_MS = 30


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

    @property
    def offset(self) -> float:
        """How far the text has scrolled, in pixels."""
        return self._offset

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


def number_ranges(numbers: Iterable[int]) -> str:
    """1, 2, 3, 7, 9, 10 -> "1-3, 7, 9-10"."""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def connection_text(kind: str, detail: str) -> str:
    """The connection mark for BoardSync.status(): refused, reconnecting or connecting."""
    if kind == "refused":
        text = QCoreApplication.translate(
            "DisplayBoard", "The hall server refused this board (%1)"
        ).replace("%1", detail)
    elif kind == "reconnecting":
        text = QCoreApplication.translate("DisplayBoard", "Reconnecting…")
    elif detail:
        text = QCoreApplication.translate(
            "DisplayBoard", "Connecting to the hall server at %1…"
        ).replace("%1", detail)
    else:
        text = QCoreApplication.translate("DisplayBoard", "Connecting…")
    return "● " + text


def assignment_text(assigned: Iterable[int], hall_counters: Iterable[int]) -> str:
    """For staff: none of the counters given with --counters exists in this hall."""
    return (
        QCoreApplication.translate(
            "DisplayBoard",
            "None of this board's counters (%1) exists in this hall (counters %2): check --counters",
        )
        .replace("%1", number_ranges(assigned))
        .replace("%2", number_ranges(hall_counters) or "-")
    )


def kiosk_text(kiosk: KioskStatus) -> str:
    """For staff: a kiosk whose printer needs them, by its friendly name."""
    problems = {
        "near_end": QCoreApplication.translate("DisplayBoard", "paper running low"),
        "paper_out": QCoreApplication.translate("DisplayBoard", "out of paper"),
        "offline": QCoreApplication.translate("DisplayBoard", "printer offline"),
        "error": QCoreApplication.translate("DisplayBoard", "printer error"),
    }
    return (
        QCoreApplication.translate("DisplayBoard", "Kiosk %1: %2")
        .replace("%1", kiosk.name or kiosk.client)
        .replace("%2", problems.get(kiosk.printer, kiosk.printer))
    )
