"""The staff PIN pad that unlocks a priority (绿色通道) ticket."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from queue_kiosk.model import KioskModel
from shared.qt.widgets import PlainLabel

PIN_BOXES = 4  # empty boxes shown on the PIN screen (staff PINs have 4 to 8 digits)


class PinPage(QWidget):
    """The staff PIN pad that unlocks a priority ticket."""

    def __init__(self, model: KioskModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.setObjectName("pinPage")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        back = QPushButton(self.tr("Back"))
        back.setObjectName("nav")
        back.clicked.connect(model.back)
        top.addWidget(back)
        title = PlainLabel(self.tr("Priority lane: staff PIN"))
        title.setObjectName("title")
        top.addWidget(title, 1)
        layout.addLayout(top)
        layout.addStretch(1)
        self.dots = PlainLabel()
        self.dots.setObjectName("pinDots")
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.dots)
        self.error = PlainLabel()
        self.error.setObjectName("pinError")
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.error)
        pad = QGridLayout()
        self.keys: dict[str, QPushButton] = {}
        labels = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "ok"]
        for index, name in enumerate(labels):
            text = {"clear": self.tr("Clear"), "ok": self.tr("OK")}.get(name, name)
            key = QPushButton(text)
            key.setObjectName("key")
            if name == "clear":
                key.clicked.connect(model.pin_clear)
            elif name == "ok":
                key.clicked.connect(model.pin_submit)
            else:
                key.clicked.connect(lambda _=False, digit=name: model.pin_digit(digit))
            pad.addWidget(key, index // 3, index % 3)
            self.keys[name] = key
        holder = QHBoxLayout()
        holder.addStretch(1)
        holder.addLayout(pad, 2)
        holder.addStretch(1)
        layout.addLayout(holder)
        layout.addStretch(1)

    def refresh(self) -> None:
        entered = len(self.model.pin_entry)
        boxes = max(PIN_BOXES, entered)
        self.dots.setText("●" * entered + "○" * (boxes - entered))
        # The error line keeps its height when empty, so the keypad never moves.
        self.error.setMinimumHeight(self.error.fontMetrics().height())
        if self.model.pin_locked:
            self.error.setText(self.tr("Too many wrong PINs; try again in a minute."))
        elif self.model.pin_error:
            self.error.setText(self.tr("Wrong PIN."))
        else:
            self.error.setText("\u3000")  # a full-width space: the line keeps its height
