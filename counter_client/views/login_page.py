"""The counter's login page: clerk ID and PIN, and why a login was refused.

The page is the window's first page and the one it returns to when the clerk is logged
out (by the server, a new business day, the same clerk logging in elsewhere).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from counter_client.model import CounterModel, Notice
from counter_client.views.look import named, restyle
from counter_client.views.texts import CounterTexts
from shared.qt.widgets import PlainLabel


class LoginPage(QWidget):
    """Clerk ID and PIN; Enter logs in."""

    submitted = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = PlainLabel(objectName="loginTitle", alignment=Qt.AlignmentFlag.AlignCenter)
        self.counter_label = PlainLabel(
            objectName="loginCounter", alignment=Qt.AlignmentFlag.AlignCenter
        )
        self.hall_label = PlainLabel(objectName="loginHall", alignment=Qt.AlignmentFlag.AlignCenter)
        self.clerk_edit = named(QLineEdit(), "clerkEdit")
        self.clerk_edit.setMaxLength(32)
        self.pin_edit = named(QLineEdit(), "pinEdit")
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setMaxLength(8)
        self.login_button = named(QPushButton(), "loginButton")
        self.login_button.setDefault(True)
        self.message = PlainLabel(objectName="notice", wordWrap=True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        self.clerk_label, self.pin_label = PlainLabel(), PlainLabel()
        form.addRow(self.clerk_label, self.clerk_edit)
        form.addRow(self.pin_label, self.pin_edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.counter_label)
        layout.addWidget(self.hall_label)
        layout.addSpacing(16)
        layout.addLayout(form)
        layout.addWidget(self.login_button)
        layout.addWidget(self.message)
        layout.addStretch(2)

        self.clerk_edit.returnPressed.connect(self.pin_edit.setFocus)
        self.pin_edit.returnPressed.connect(self._submit)
        self.login_button.clicked.connect(self._submit)
        self._shown_notice: Notice | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Counter login"))
        self.clerk_label.setText(self.tr("Clerk ID"))
        self.pin_label.setText(self.tr("PIN"))
        self.login_button.setText(self.tr("Log in"))

    def _submit(self) -> None:
        self.submitted.emit(self.clerk_edit.text(), self.pin_edit.text())

    def refresh(self, model: CounterModel, texts: CounterTexts) -> None:
        self.counter_label.setText(
            model.counter_name or self.tr("Counter {n}").format(n=model.number)
        )
        busy = model.logging_in
        self.login_button.setEnabled(not busy)
        self.clerk_edit.setEnabled(not busy)
        self.pin_edit.setEnabled(not busy)
        notice = model.notice
        self.hall_label.setText(model.hall)
        self.message.setText(texts.notice_text(notice) if notice else "")
        restyle(self.message, "level", notice.level if notice else "")
        if notice is not self._shown_notice:
            # A new refusal: clear the PIN once, not on every later render while retyping.
            self._shown_notice = notice
            if notice and notice.key == "login_failed":
                self.pin_edit.clear()
                self.pin_edit.setFocus()
