"""The calls on the board: the latest call, very large, and the rows of recent calls.

The latest number is drawn by hand (`BigText`) so its glyphs, not a CJK font's tall line
box, fill the space. A recent row also shows what the voice is doing with its call.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from display_board.model.items import Call
from display_board.views.style import (
    ACCENT,
    MIN_SQUEEZE,
    board_font,
    make_label,
    set_style_state,
    set_text,
)


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


class HeadlinePanel(QFrame):
    """The latest call, very large: caption, ticket number, and where to go."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("headline")
        self.setProperty("flash", False)
        self.setProperty("voice", "")
        self.caption = make_label("caption", self)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number = BigText(self)
        self.destination = make_label("", self)
        self.destination.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._box = layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.number, 1)
        layout.addWidget(self.destination)

    def setScale(self, scale: float, number_height: int) -> None:
        margin = round(16 * scale)
        self._box.setContentsMargins(margin, margin, margin, margin)
        self._box.setSpacing(0)
        self.caption.setFont(board_font(40 * scale))
        self.caption.setFixedHeight(round(62 * scale))
        self.number.setMinimumHeight(number_height)
        self.destination.setFont(board_font(72 * scale, bold=True))
        self.destination.setFixedHeight(round(108 * scale))

    def set_flash(self, on: bool) -> None:
        set_style_state(self, "flash", on)


class RecentRow(QFrame):
    """One row of the recent calls: ticket number and counter."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recentRow")
        self.setProperty("voice", "")
        self.number = make_label("recentNumber", self)
        self.number.setProperty("calling", False)
        self.counter = make_label("", self)
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # What the voice is doing with this call: being said now, or still to be said.
        self.voice_mark = make_label("voiceMark", self)
        self.voice_mark.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.voice_mark.setVisible(False)
        self._box = layout = QHBoxLayout(self)
        layout.addWidget(self.number, 4)
        layout.addWidget(self.voice_mark, 3)
        layout.addWidget(self.counter, 5)

    def setScale(self, scale: float) -> None:
        margin = round(18 * scale)
        self._box.setContentsMargins(margin, 0, margin, 0)
        self.number.setFont(board_font(46 * scale, bold=True))
        self.counter.setFont(board_font(40 * scale))
        self.voice_mark.setFont(board_font(28 * scale))

    def show_voice(self, state: str, text: str) -> None:
        """Mark the row "speaking" (being said now), "waiting" (still to be said) or ""."""
        set_style_state(self, "voice", state)
        set_style_state(self.voice_mark, "voice", state)
        set_text(self.voice_mark, text)
        self.voice_mark.setVisible(bool(state))

    def show_call(self, call: Call | None, counter_name: str) -> None:
        set_text(self.number, call.number if call else "")
        set_text(self.counter, counter_name if call else "")
        set_style_state(self.number, "calling", bool(call and call.state == "called"))
