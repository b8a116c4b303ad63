"""Widgets every app shares: a label that never reads its text as markup.

QLabel guesses "rich text" from anything that looks like HTML, so a kiosk named
`<font size=7 color=red>` would draw large red text on the lobby TV. Every label
in the three apps is a PlainLabel: its text is shown exactly as it is.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


class PlainLabel(QLabel):
    """A QLabel whose text is always plain text (Qt.TextFormat.PlainText)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setTextFormat(Qt.TextFormat.PlainText)
