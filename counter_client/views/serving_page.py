"""The serving page: the clerk's counter once logged in.

Top to bottom: the counter and clerk (with the hall's login alert), the ticket in hand
with its timer, the action buttons with their keys, the latest notice, the waiting list
and the "today" line of the clerk's figures. The page shows the model; a button press
goes out as `actionPressed(action)` for the window to act on (some actions ask first).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_client.model import ACTIONS, CALL_ACTIONS, CounterModel
from counter_client.views.look import named, restyle
from counter_client.views.queue_list import WaitingList
from counter_client.views.texts import CounterTexts
from shared.qt.widgets import PlainLabel


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class ServingPage(QWidget):
    """The ticket in hand, the actions, the waiting list and the day's figures."""

    actionPressed = Signal(str)

    def __init__(
        self, model: CounterModel, texts: CounterTexts, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.model, self.texts = model, texts
        self.counter_name = PlainLabel(objectName="counterName")
        self.clerk_name = PlainLabel(objectName="clerkName")
        self.counter_state = PlainLabel(objectName="counterState", wordWrap=True)
        self.logout_button = named(QPushButton(), "logoutButton")
        self.logout_button.clicked.connect(lambda _checked=False: self.model.logout())
        header = QGridLayout()
        header.addWidget(self.counter_name, 0, 0)
        header.addWidget(self.logout_button, 0, 1, Qt.AlignmentFlag.AlignRight)
        header.addWidget(self.clerk_name, 1, 0)
        header.addWidget(self.counter_state, 1, 1, Qt.AlignmentFlag.AlignRight)
        # The hall's login alert (someone keeps trying a clerk's PIN), across the window.
        self.login_alert = PlainLabel(objectName="loginAlert", wordWrap=True)
        self.login_alert.hide()
        header.addWidget(self.login_alert, 2, 0, 1, 2)

        card = named(QFrame(), "ticketCard")
        self.ticket_number = PlainLabel(objectName="ticketNumber")
        self.ticket_number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ticket_service = PlainLabel(objectName="ticketService", wordWrap=True)
        self.ticket_service.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ticket_state = PlainLabel(objectName="ticketState")
        self.ticket_timer = PlainLabel(objectName="ticketTimer")
        self.ticket_timer.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.ticket_detail = PlainLabel(objectName="ticketDetail", wordWrap=True)
        self.ticket_detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        card_layout = QVBoxLayout(card)
        card_layout.addWidget(self.ticket_number)
        card_layout.addWidget(self.ticket_service)
        card_layout.addWidget(self.ticket_detail)
        state_row = QHBoxLayout()
        state_row.addWidget(self.ticket_state)
        state_row.addStretch(1)
        state_row.addWidget(self.ticket_timer)
        card_layout.addLayout(state_row)

        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        grid.setSpacing(6)
        for index, action in enumerate(ACTIONS):
            button = named(QPushButton(), f"action_{action}")
            button.setProperty("action", action)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys belong to the shortcuts
            button.clicked.connect(lambda _checked=False, a=action: self.actionPressed.emit(a))
            grid.addWidget(button, index // 3, index % 3)
            self.buttons[action] = button

        self.notice = PlainLabel(objectName="notice", wordWrap=True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.waiting_title = PlainLabel(objectName="waitingTitle")
        font = QFont(self.waiting_title.font())
        font.setBold(True)
        self.waiting_title.setFont(font)
        self.waiting_list = WaitingList(self.model)
        self.figures = PlainLabel(objectName="figures", wordWrap=True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(header)
        layout.addWidget(card)
        layout.addLayout(grid)
        layout.addWidget(self.notice)
        layout.addWidget(self.waiting_title)
        layout.addWidget(self.waiting_list, 1)
        layout.addWidget(self.figures)

    # -- texts --------------------------------------------------------------------------------

    def refresh(self) -> None:
        model = self.model
        self.counter_name.setText(model.counter_name)
        clerk = model.clerk or {}
        self.clerk_name.setText(
            self.tr("Clerk: {name} ({id})").format(name=clerk.get("name", ""), id=clerk.get("id"))
        )
        self.logout_button.setText(self.tr("Log out"))
        self.logout_button.setEnabled(model.enabled("logout"))
        if model.paused:
            reason = model.pause_reason
            self.counter_state.setText(
                self.tr("Paused: {reason}").format(reason=reason) if reason else self.tr("Paused")
            )
        else:
            self.counter_state.setText(self.tr("Open"))
        alert = model.active_login_alert()
        if alert is not None:
            # Staff see that someone keeps trying a clerk's PIN, and from which PC.
            self.login_alert.setText(
                self.tr(
                    "Warning: repeated wrong PINs for clerk {clerk} from {source}; "
                    "that PC is locked out for this clerk until {until}."
                ).format(
                    clerk=alert.get("clerk"),
                    source=alert.get("source") or "?",
                    until=str(alert.get("until") or "")[11:16],
                )
            )
        self.login_alert.setVisible(alert is not None)
        restyle(self.counter_state, "paused", model.paused)

        ticket = model.ticket
        if ticket:
            self.ticket_number.setText(ticket["number"])
            service = model.service_name(ticket.get("service"))
            if ticket.get("priority"):
                service = self.tr("{service} (priority)").format(service=service)
            self.ticket_service.setText(service)
            self.ticket_state.setText(self.texts.state_label(ticket["state"]))
            restyle(self.ticket_state, "state", ticket["state"])
            restyle(self.ticket_number, "empty", False)
            waited = model.ticket_waited_s()
            detail = []
            if waited is not None and waited < 60:
                detail.append(self.tr("Waited under a minute"))
            elif waited is not None:
                detail.append(self.tr("Waited {minutes} min").format(minutes=waited // 60))
            calls = int(ticket.get("calls") or 0)
            if calls:
                detail.append(self.tr("called {n} times").format(n=calls))
            self.ticket_detail.setText(" · ".join(detail))
            self.ticket_detail.setVisible(bool(detail))
        else:
            self.ticket_number.setText(self.tr("No ticket"))
            self.ticket_service.setText(
                self.tr("Press {key} to call the next ticket.").format(
                    key=model.shortcuts["call_next"]
                )
            )
            self.ticket_state.setText("")
            self.ticket_detail.setText("")
            self.ticket_detail.setVisible(False)
            restyle(self.ticket_number, "empty", True)
        self.tick()

        self._render_buttons()

        notice = model.notice
        self.notice.setText(self.texts.notice_text(notice) if notice else "")
        self.notice.setVisible(notice is not None)
        level = notice.level if notice else ""
        if notice and notice.key.startswith("confirm_"):
            level = "confirm"
        restyle(self.notice, "level", level)

        self.waiting_title.setText(
            self.tr("Waiting for this counter: {n}").format(n=model.queue_total)
        )
        self.waiting_list.refresh()
        self.figures.setText(self.figures_text())
        self.figures.setToolTip(self.figures_tooltip())

    def figures_text(self) -> str:
        """The "today" line: the clerk's figures of the day, defined as in the monthly report."""
        f = self.model.figures
        logged_in, paused = self.model.time_logged_in_s()
        lines = [
            self.tr("Today: served {served} · no-shows {no_shows} · mean service {mean}").format(
                served=f.served, no_shows=f.no_shows, mean=format_duration(f.mean_service_s)
            ),
            self.tr(
                "Finished without start {without_start} · short services {short} ({share})"
                " · calls per served {calls} · recalls {recalls}"
            ).format(
                without_start=f.without_start,
                short=f.short,
                share="--" if f.short_share is None else f"{100 * f.short_share:.0f}%",
                calls="--" if f.calls_per_served is None else f"{f.calls_per_served:.2f}",
                recalls=f.recalls,
            ),
            self.tr(
                "Logged in {logged_in} (paused {paused}) · satisfaction {score} from {rated} ratings"
            ).format(
                logged_in=format_duration(logged_in),
                paused=format_duration(paused),
                score="--" if f.score is None else f"{f.score:.1f}",
                rated=f.rated,
            ),
        ]
        return "\n".join(lines)

    def figures_tooltip(self) -> str:
        short = self.model.figures.short_service_s
        return self.tr(
            "As in the monthly report. Short service: under {short} s. Finished without start:"
            " finished (or ended by the next call) without pressing start. Calls per served:"
            " calls (not recalls) ÷ served. Logged in: since login, pauses included."
        ).format(short="--" if short is None else short)

    def _render_buttons(self) -> None:
        """Enable the buttons; the call keys show the seconds left of the call gap."""
        model = self.model
        lock = model.call_lock_s()
        for action, button in self.buttons.items():
            label = self.texts.action_label(action)
            cooling = action in CALL_ACTIONS and lock > 0 and model.logged_in
            if cooling:
                label = self.tr("{action} ({seconds} s)").format(action=label, seconds=lock)
            button.setText(f"{label}\n{model.shortcuts[action]}")
            button.setEnabled(model.enabled(action))
            restyle(button, "cooling", cooling)

    def tick(self) -> None:
        """Every second: the ticket's timer, the call gap's countdown, the time logged in."""
        if self.login_alert.isVisible() and self.model.active_login_alert() is None:
            self.login_alert.hide()  # the lockout it warned of is over
        if self.model.logged_in:
            self._render_buttons()  # the call gap's countdown
            self.figures.setText(self.figures_text())  # the time logged in runs on
        if self.model.ticket is None:
            self.ticket_timer.setText("")
            return
        self.ticket_timer.setText(format_duration(self.model.ticket_elapsed_s()))
