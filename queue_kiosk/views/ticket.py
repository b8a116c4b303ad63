"""What a touch on a matter ends with: the wait while it prints, the ticket, or why not.

The confirmation shows the number huge, with the matter, the people ahead and the wait,
and the printed ticket's image beside it when the printer is the preview one; the notice
words the model's Problem for residents.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from queue_kiosk.model import KioskModel, Problem
from shared.qt.widgets import PlainLabel


class WorkingPage(QWidget):
    """Shown while the printer is checked and the ticket is issued and printed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.label = PlainLabel(self.tr("Printing your ticket, please wait…"))
        self.label.setObjectName("title")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.label)


class ConfirmationPage(QWidget):
    """The number, huge, with the matter, the people ahead and the wait; the ticket beside."""

    def __init__(self, model: KioskModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.outer = QHBoxLayout(self)
        text = QVBoxLayout()
        text.addStretch(1)
        self.your_number = PlainLabel(self.tr("Your number"))
        self.your_number.setObjectName("confirmLine")
        self.priority_tag = PlainLabel(self.tr("Priority lane"))
        self.priority_tag.setObjectName("priorityTag")
        self.number = PlainLabel()
        self.number.setObjectName("bigNumber")
        self.matter = PlainLabel()
        self.matter.setObjectName("confirmLine")
        self.matter.setWordWrap(True)
        self.ahead = PlainLabel()
        self.ahead.setObjectName("confirmLine")
        self.wait = PlainLabel()
        self.wait.setObjectName("confirmLine")
        self.counters = PlainLabel()
        self.counters.setObjectName("confirmLine")
        self.counters.setWordWrap(True)
        self.valid = PlainLabel(self.tr("Valid today only"))
        self.valid.setObjectName("hint")
        self.take = PlainLabel(self.tr("Please take your ticket"))
        self.take.setObjectName("takeTicket")
        for label in (
            self.your_number,
            self.priority_tag,
            self.number,
            self.matter,
            self.ahead,
            self.wait,
            self.counters,
            self.take,
            self.valid,
        ):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            if label is self.priority_tag:
                text.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            else:
                text.addWidget(label)  # full width, so a long matter wraps instead of clipping
        text.addStretch(1)
        self.done_button = QPushButton(self.tr("Done"))
        self.done_button.setObjectName("nav")
        self.done_button.clicked.connect(model.dismiss)
        text.addWidget(self.done_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.countdown = PlainLabel()
        self.countdown.setObjectName("hint")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.addWidget(self.countdown)
        self.outer.addLayout(text, 3)
        self.preview = PlainLabel()
        self.preview.setObjectName("preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The ticket image is scaled into whatever room is left: it never sets a minimum
        # size, so the window never grows past its screen.
        self.preview.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.preview.setMinimumSize(1, 1)
        self.outer.addWidget(self.preview, 2)
        self._pixmap: QPixmap | None = None
        self._pixmap_for: object = None  # the confirmation the pixmap shows

    @property
    def ticket_image(self) -> QPixmap | None:
        """The shown ticket's image at full size; None when it has none."""
        return self._pixmap

    def show_countdown(self) -> None:
        left = self.model.seconds_left()
        if left is None:
            self.countdown.setText("")
        else:
            self.countdown.setText(self.tr("Back to the start in {seconds} s").format(seconds=left))

    def set_portrait(self, portrait: bool) -> None:
        self.outer.setDirection(
            QHBoxLayout.Direction.TopToBottom if portrait else QHBoxLayout.Direction.LeftToRight
        )

    def refresh(self) -> None:
        shown = self.model.confirmation
        if shown is None:
            return
        self.number.setText(shown.number)
        self.priority_tag.setVisible(shown.priority)
        self.matter.setText(shown.service_name)
        if shown.ahead == 0:
            self.ahead.setText(self.tr("No one ahead of you"))
        else:
            self.ahead.setText(self.tr("People ahead of you: {count}").format(count=shown.ahead))
        self.counters.setText(
            self.tr("Please watch for calls at counters {counters}").format(
                counters="、".join(str(n) for n in shown.counters)
            )
            if shown.counters
            else ""
        )
        self.counters.setVisible(bool(shown.counters))
        if shown.ahead == 0:
            self.wait.setText(self.tr("You will be called shortly"))
        else:
            self.wait.setText(
                self.tr("Estimated wait: about {minutes} min").format(minutes=shown.est_wait_min)
            )
        if shown is not self._pixmap_for:
            # A new ticket: read its image afresh (the preview file keeps one path, so a
            # cache keyed by the path would show the ticket before).
            self._pixmap_for = shown
            image = QImage(shown.preview_path) if shown.preview_path else QImage()
            self._pixmap = None if image.isNull() else QPixmap.fromImage(image)
        self.preview.setVisible(self._pixmap is not None)
        self._fit_preview()
        self.show_countdown()

    def _fit_preview(self) -> None:
        if self._pixmap is None:
            return
        box = self.preview.size() - QSize(16, 16)
        if box.width() > 10 and box.height() > 10:
            self.preview.setPixmap(
                self._pixmap.scaled(
                    box,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_preview()


class NoticePage(QWidget):
    """Why no ticket was given, in words a resident understands."""

    def __init__(self, model: KioskModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.text = PlainLabel()
        self.text.setObjectName("noticeText")
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.text)
        self.sub = PlainLabel()
        self.sub.setObjectName("confirmLine")
        self.sub.setWordWrap(True)
        self.sub.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.sub)
        layout.addStretch(1)
        button = QPushButton(self.tr("Back to start"))
        button.setObjectName("nav")
        button.clicked.connect(model.dismiss)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)

    def message(self, problem: Problem) -> str:
        return {
            Problem.PAPER_OUT: self.tr("The printer is out of paper. Please ask the staff."),
            Problem.PRINTER_OFFLINE: self.tr("The printer is offline. Please ask the staff."),
            Problem.PRINTER_ERROR: self.tr("The printer has a fault. Please ask the staff."),
            Problem.PRINT_FAILED: self.tr("The ticket could not be printed. Please ask the staff."),
            Problem.SERVER_OFFLINE: self.tr("The queue server cannot be reached."),
            Problem.SERVER_TIMEOUT: self.tr("The queue server did not answer in time."),
            Problem.HALL_CLOSED: self.tr("Tickets are not issued at this time."),
            Problem.SERVICE_CLOSED: self.tr("This matter is not issuing tickets now."),
            Problem.SERVICE_FULL: self.tr("Today's tickets for this matter have all been taken."),
            Problem.ISSUE_REFUSED: self.tr("No ticket could be issued. Please ask the staff."),
            Problem.TOO_FAST: self.tr("Please wait a few seconds, then touch again."),
        }[problem]

    def refresh(self) -> None:
        notice = self.model.notice
        if notice is None:
            return
        self.text.setText(self.message(notice.problem))
        self.sub.setText(self.tr("No ticket was issued."))
