"""The resident's rating window (评价器): after a ticket is finished, four big buttons to rate it.

It opens on a second screen turned to the resident (or a small touch panel) when the
counter client runs with `--rating-window`, shows the ticket number and the clerk,
sends `rate` through the counter's own hall connection, thanks the resident, and
closes by itself: shortly after a rating, or after `timeout_s` without one.
`RatingSession` is the plain-Python state; `RatingWindow` is its Qt view.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QGridLayout, QPushButton, QVBoxLayout, QWidget

from counter_client.model import CounterModel
from counter_client.model.notices import ReplyLike
from counter_client.views.look import named
from shared.client.port import HallPort
from shared.protocol.ops import RATING_LEVELS
from shared.qt.widgets import PlainLabel

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 30.0  # the resident walks away: the window must not wait for ever
THANKS_S = 3.0  # how long the thank-you (or the refusal) stays before the window closes

# Why a rating window closed, as `RatingWindow.finished` reports it.
RATED, REFUSED, TIMED_OUT, REPLACED = "rated", "refused", "timeout", "replaced"

# States of a session.
ASKING, SENDING, THANKED, ALREADY_RATED, FAILED = (
    "asking", "sending", "thanked", "already_rated", "failed",
)  # fmt: skip


@dataclass
class RatingSession:
    """One ticket's rating: what the window shows and the one `rate` request it may send."""

    ticket_id: int
    number: str
    clerk_name: str
    transport: HallPort
    state: str = ASKING
    level: str | None = None
    detail: str = ""  # the server's message when it refused
    on_change: Callable[[], None] | None = None

    @property
    def can_choose(self) -> bool:
        return self.state in (ASKING, FAILED)

    def choose(self, level: str) -> bool:
        """Send the resident's choice; a second touch while it is on its way does nothing."""
        if level not in RATING_LEVELS:
            raise ValueError(f"unknown rating level {level!r}")
        if not self.can_choose:
            return False
        self.state, self.level, self.detail = SENDING, level, ""
        self._changed()
        self.transport.request("rate", {"ticket": self.ticket_id, "level": level}, self._on_reply)
        return True

    def _on_reply(self, reply: ReplyLike) -> None:
        if reply.ok:
            self.state = THANKED
        elif reply.code == "conflict":
            # Rated already (from another panel, or twice): the server keeps the first rating.
            self.state, self.detail = ALREADY_RATED, reply.message
        else:
            self.state, self.detail = FAILED, reply.message
            log.warning("rating of %s not sent: %s %s", self.number, reply.code, reply.message)
        self._changed()

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()


STYLE = """
QWidget#ratingWindow { background: #ffffff; }
QLabel#ratingTitle { font-size: 34px; font-weight: bold; color: #0d47a1; }
QLabel#ratingTicket { font-size: 56px; font-weight: bold; color: #263238; }
QLabel#ratingClerk { font-size: 24px; color: #455a64; }
QLabel#ratingMessage { font-size: 30px; font-weight: bold; }
QLabel#ratingMessage[tone="good"] { color: #2e7d32; }
QLabel#ratingMessage[tone="bad"] { color: #c62828; }
QLabel#ratingCountdown { font-size: 18px; color: #78909c; }
QPushButton[level] { min-height: 120px; min-width: 200px; font-size: 32px; font-weight: bold;
  color: white; border-radius: 14px; border: none; }
QPushButton[level]:disabled { background: #cfd8dc; color: #eceff1; }
QPushButton[level="very_satisfied"] { background: #2e7d32; }
QPushButton[level="satisfied"] { background: #43a047; }
QPushButton[level="basic"] { background: #f9a825; }
QPushButton[level="unsatisfied"] { background: #c62828; }
QPushButton[chosen="true"]:disabled { color: white; border: 6px solid #0d47a1; }
QPushButton[level="very_satisfied"][chosen="true"]:disabled { background: #2e7d32; }
QPushButton[level="satisfied"][chosen="true"]:disabled { background: #43a047; }
QPushButton[level="basic"][chosen="true"]:disabled { background: #f9a825; }
QPushButton[level="unsatisfied"][chosen="true"]:disabled { background: #c62828; }
"""


class RatingWindow(QWidget):
    """The resident-facing panel for one finished ticket."""

    finished = Signal(str)  # RATED, REFUSED, TIMED_OUT or REPLACED

    def __init__(
        self,
        session: RatingSession,
        parent: QWidget | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        thanks_s: float = THANKS_S,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("ratingWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self.session = session
        self.outcome: str | None = None
        self._remaining_s = timeout_s
        self._thanks_ms = int(thanks_s * 1000)

        self.title = PlainLabel(objectName="ratingTitle", alignment=Qt.AlignmentFlag.AlignCenter)
        self.ticket_label = PlainLabel(
            objectName="ratingTicket", alignment=Qt.AlignmentFlag.AlignCenter
        )
        self.clerk_label = PlainLabel(
            objectName="ratingClerk", alignment=Qt.AlignmentFlag.AlignCenter
        )
        self.message = PlainLabel(
            objectName="ratingMessage", alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True
        )
        self.countdown = PlainLabel(
            objectName="ratingCountdown", alignment=Qt.AlignmentFlag.AlignCenter
        )
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        grid.setSpacing(24)
        for index, level in enumerate(RATING_LEVELS):
            button = named(QPushButton(), f"rate_{level}")
            button.setProperty("level", level)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, lv=level: self.session.choose(lv))
            grid.addWidget(button, index // 2, index % 2)
            self.buttons[level] = button

        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 24)
        layout.setSpacing(16)
        layout.addWidget(self.title)
        layout.addWidget(self.ticket_label)
        layout.addWidget(self.clerk_label)
        layout.addStretch(1)
        layout.addLayout(grid)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.countdown)

        # The countdown ticks each second; the close itself is one timer of the whole time-out,
        # so a tick that runs late never makes the window stay longer.
        self.ticker = QTimer(self, interval=1000)
        self.ticker.timeout.connect(self._tick)
        self.expiry = QTimer(self, singleShot=True)
        self.expiry.timeout.connect(lambda: self._close_with(TIMED_OUT))
        self.closer = QTimer(self, singleShot=True)
        self.closer.timeout.connect(self._close_after_answer)
        self.expiry.start(max(0, int(timeout_s * 1000)))
        self.ticker.start()

        session.on_change = self.refresh
        self.resize(900, 640)
        self.refresh()

    def level_text(self, level: str) -> str:
        return {
            "very_satisfied": self.tr("Very satisfied"),
            "satisfied": self.tr("Satisfied"),
            "basic": self.tr("Basically satisfied"),
            "unsatisfied": self.tr("Unsatisfied"),
        }[level]

    def refresh(self) -> None:
        session = self.session
        self.setWindowTitle(self.tr("Service rating"))
        self.title.setText(self.tr("Please rate our service"))
        self.ticket_label.setText(self.tr("Ticket {number}").format(number=session.number))
        self.clerk_label.setText(self.tr("Served by {name}").format(name=session.clerk_name))
        for level, button in self.buttons.items():
            button.setText(self.level_text(level))
            button.setEnabled(session.can_choose)
            # The resident's choice stays in colour while it is sent and thanked for.
            chosen = session.state in (SENDING, THANKED) and level == session.level
            if button.property("chosen") != chosen:
                button.setProperty("chosen", chosen)
                button.style().unpolish(button)
                button.style().polish(button)
        texts = {
            ASKING: ("", ""),
            SENDING: (self.tr("Sending…"), ""),
            THANKED: (self.tr("Thank you for your rating!"), "good"),
            ALREADY_RATED: (self.tr("This ticket has already been rated. Thank you!"), "bad"),
            FAILED: (self.tr("The rating could not be sent. Please touch again."), "bad"),
        }
        text, tone = texts[session.state]
        self.message.setText(text)
        if self.message.property("tone") != tone:
            self.message.setProperty("tone", tone)
            self.message.style().unpolish(self.message)
            self.message.style().polish(self.message)
        self._render_countdown()
        if session.state in (THANKED, ALREADY_RATED) and not self.closer.isActive():
            self.expiry.stop()
            self.ticker.stop()
            self.countdown.setText("")
            self.closer.start(self._thanks_ms)

    def _render_countdown(self) -> None:
        if self.expiry.isActive():
            seconds = max(0, round(self.expiry.remainingTime() / 1000))
            self.countdown.setText(self.tr("This window closes in {n} s").format(n=seconds))

    def _tick(self) -> None:
        self._render_countdown()

    def _close_after_answer(self) -> None:
        self._close_with(RATED if self.session.state == THANKED else REFUSED)

    def _close_with(self, outcome: str) -> None:
        if self.outcome is not None:
            return
        self.outcome = outcome
        self.ticker.stop()
        self.expiry.stop()
        self.closer.stop()
        self.close()
        self.finished.emit(outcome)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.outcome is None:  # closed by hand (window manager, a second finish)
            self.outcome = REPLACED
            self.ticker.stop()
            self.expiry.stop()
            self.closer.stop()
            self.finished.emit(REPLACED)
        super().closeEvent(event)


class RatingPanel:
    """Opens a RatingWindow each time the counter finishes a ticket (the `--rating-window` mode)."""

    def __init__(
        self,
        model: CounterModel,
        parent: QWidget,
        place: Callable[[QWidget], object] = QWidget.show,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        thanks_s: float = THANKS_S,
    ) -> None:
        """`place(window)` shows each rating window (the app puts it on the resident's screen)."""
        self.model, self.parent, self.place = model, parent, place
        self.timeout_s, self.thanks_s = timeout_s, thanks_s
        self.window: RatingWindow | None = None
        model.on_finished = self.open

    def open(self, ticket: dict[str, Any]) -> RatingWindow:
        if self.window is not None:
            self.window.close()  # a new finished ticket replaces a rating not given
        clerk = (self.model.clerk or {}).get("name") or ""
        session = RatingSession(
            int(ticket["id"]), str(ticket["number"]), str(clerk), self.model.transport
        )
        window = RatingWindow(session, self.parent, self.timeout_s, self.thanks_s)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        window.finished.connect(lambda _outcome, w=window: self._closed(w))
        self.window = window
        self.place(window)
        return window

    def close(self) -> None:
        """Close an open rating window (the counter window is closing)."""
        if self.window is not None:
            self.window.close()

    def _closed(self, window: RatingWindow) -> None:
        if self.window is window:
            self.window = None
