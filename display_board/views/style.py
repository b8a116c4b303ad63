"""How the board looks: fonts, colours, the style sheet, and labels that fit their text.

Everything is sized in pixels of a 1920x1080 (or 1080x1920) screen and scaled to the real
one by the layout; the labels here never push the board past its screen, a long text is
drawn smaller instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtGui import QFont, QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from shared.qt.widgets import PlainLabel

FONT_FAMILIES = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
]
MIN_COUNTER_LABEL_PX = 32  # counter names stay readable across the hall
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


def set_style_state(widget: QWidget, name: str, value: Any) -> None:
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

    def setFont(self, font: QFont | str | Sequence[str]) -> None:
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


def make_label(object_name: str = "", parent: QWidget | None = None) -> QLabel:
    label = BoardLabel(parent)
    if object_name:
        label.setObjectName(object_name)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


def set_text(label: QLabel, text: str) -> None:
    if label.text() != text:
        label.setText(text)
