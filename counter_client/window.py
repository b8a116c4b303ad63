"""The clerk's window at one counter: a Qt view bound to the CounterModel."""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counter_client.model import ACTIONS, CALL_ACTIONS, ONLINE, CounterModel, Notice
from shared.qt.widgets import PlainLabel

QUEUE_CLOCK_MS = 30_000  # how often the waiting minutes in the list are brought up to date
log = logging.getLogger(__name__)

NOTICE_CLEAR_S = 10  # an information notice goes after this long (or at the next action)
CONFIRM_S = 10  # how long a second F1 confirms finishing a ticket that was never started

STYLE = """
QWidget#banner { background: #c62828; }
QLabel#bannerText { color: white; font-weight: bold; padding: 4px; }
QLabel#counterName { font-size: 18px; font-weight: bold; }
QLabel#clerkName { color: #455a64; }
QFrame#ticketCard { background: #f5f9ff; border: 1px solid #b0c4de; border-radius: 6px; }
QLabel#ticketNumber { font-size: 64px; font-weight: bold; color: #0d47a1; }
QLabel#ticketNumber[empty="true"] { color: #9e9e9e; font-size: 40px; }
QLabel#ticketState { font-size: 15px; font-weight: bold; }
QLabel#ticketState[state="called"] { color: #e65100; }
QLabel#ticketState[state="serving"] { color: #2e7d32; }
QLabel#ticketTimer { font-size: 22px; font-family: monospace; }
QLabel#counterState[paused="true"] { color: #c62828; font-weight: bold; }
QLabel#loginAlert { background: #fff3e0; color: #bf360c; font-weight: bold; padding: 3px 6px; }
QLabel#notice[level="error"] { color: #c62828; }
QLabel#notice[level="info"] { color: #1b5e20; }
QLabel#figures { color: #37474f; }
QPushButton[action] { min-height: 46px; font-size: 14px; }
QPushButton[action="call_next"] { font-weight: bold; }
QPushButton[cooling="true"] { color: #78909c; background: #eceff1; }
QLabel#loginTitle { font-size: 20px; font-weight: bold; }
QLabel#loginCounter { font-size: 16px; color: #455a64; }
QLabel#loginHall { color: #607d8b; }
QLabel#ticketService { font-size: 16px; }
QLabel#ticketDetail { font-size: 15px; color: #37474f; }
QWidget#staffBanner { background: #fff3cd; }
QLabel#staffBannerText { color: #7a4f01; font-weight: bold; padding: 4px; font-size: 14px; }
QListWidget#waitingList { font-size: 15px; }
QLabel#notice { font-size: 14px; }
QLabel#notice[level="confirm"] { color: #e65100; font-weight: bold; }
QLabel#transferWarning, QLabel#callWarning { color: #c62828; }
"""


def _format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def _restyle(widget: QWidget, name: str, value: Any) -> None:
    """Set a dynamic property that the style sheet selects on, and apply it now."""
    if widget.property(name) != value:
        widget.setProperty(name, value)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


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
        self.clerk_edit = QLineEdit(objectName="clerkEdit")
        self.clerk_edit.setMaxLength(32)
        self.pin_edit = QLineEdit(objectName="pinEdit")
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setMaxLength(8)
        self.login_button = QPushButton(objectName="loginButton")
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
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Counter login"))
        self.clerk_label.setText(self.tr("Clerk ID"))
        self.pin_label.setText(self.tr("PIN"))
        self.login_button.setText(self.tr("Log in"))

    def _submit(self) -> None:
        self.submitted.emit(self.clerk_edit.text(), self.pin_edit.text())


class TransferDialog(QDialog):
    """Choose where the current ticket goes: another service's queue or one counter."""

    def __init__(self, model: CounterModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Transfer ticket"))
        self.to_service = QRadioButton(self.tr("To a service"), objectName="toService")
        self.to_counter = QRadioButton(self.tr("To a counter"), objectName="toCounter")
        group = QButtonGroup(self)
        group.addButton(self.to_service)
        group.addButton(self.to_counter)
        self.to_service.setChecked(True)

        self.model = model
        # A county hall has 1,500 matters: type part of the name or its pinyin initials.
        self.service_search = QLineEdit(objectName="serviceSearch")
        self.service_search.setPlaceholderText(
            self.tr("Find a matter: part of its name or pinyin initials, e.g. shbzk")
        )
        self.service_search.setClearButtonEnabled(True)
        self.service_search.textChanged.connect(self._filter_services)
        self.service_box = QComboBox(objectName="serviceBox")
        self.service_box.setEditable(True)
        self.service_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._filter_services("")
        completer = self.service_box.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        held = model.ticket
        if held:
            index = self.service_box.findData(held.get("service"))
            self.service_box.setCurrentIndex(max(0, index))

        self.counter_box = QComboBox(objectName="counterBox")
        for counter in model.transfer_counters():
            label = str(counter.get("name") or counter["number"])
            if counter.get("state") == "closed":
                state = self.tr("(closed)")
            elif counter.get("state") == "paused":
                state = self.tr("(paused)")
            else:
                state = (counter.get("clerk") or {}).get("name") or ""
            self.counter_box.addItem(f"{label}  {state}".strip(), counter["number"])
        self.warning = PlainLabel(objectName="transferWarning", wordWrap=True)
        self.counter_box.currentIndexChanged.connect(lambda _index: self._sync())

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.to_service)
        layout.addWidget(self.service_search)
        layout.addWidget(self.service_box)
        layout.addWidget(self.to_counter)
        layout.addWidget(self.counter_box)
        layout.addWidget(self.warning)
        layout.addWidget(buttons)
        self.to_service.toggled.connect(self._sync)
        self._sync()

    def _filter_services(self, text: str) -> None:
        """Show the matters matching `text` (every matter when it is empty), best first."""
        chosen = self.service_box.currentData()
        self.service_box.clear()
        for service in self.model.transfer_services(text):
            self.service_box.addItem(self.model.service_name(service["code"]), service["code"])
        index = self.service_box.findData(chosen)
        self.service_box.setCurrentIndex(index if index >= 0 and not text else 0)

    def _sync(self) -> None:
        self.service_search.setEnabled(self.to_service.isChecked())
        self.service_box.setEnabled(self.to_service.isChecked())
        self.counter_box.setEnabled(self.to_counter.isChecked())
        number = self.counter_box.currentData()
        closed = self.to_counter.isChecked() and self.model.counter_is_closed(number)
        self.warning.setText(
            self.tr(
                "{counter} is not open: the ticket will only be called once a clerk logs in there."
            ).format(counter=self.model.counter_label(number))
            if closed
            else ""
        )
        self.warning.setVisible(closed)

    def choice(self) -> dict[str, Any]:
        if self.to_service.isChecked():
            return {"service": self.service_box.currentData()}
        return {"counter": self.counter_box.currentData()}


class CallDialog(QDialog):
    """Call a chosen ticket out of turn: pick it from the waiting list or type its number."""

    def __init__(self, model: CounterModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Call a chosen ticket"))
        self.model = model
        self.search_edit = QLineEdit(objectName="callSearch")
        self.search_edit.setPlaceholderText(
            self.tr("Filter: ticket number, part of the matter's name or its pinyin initials")
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._filter)
        self.tickets = QListWidget(objectName="callList")
        self._filter("")
        self.number_edit = QLineEdit(objectName="callNumber")
        self.number_edit.setPlaceholderText(self.tr("Ticket number, e.g. A007"))
        self.number_edit.setMaxLength(16)
        self.tickets.currentItemChanged.connect(
            lambda item, _old: (
                item and self.number_edit.setText(item.data(Qt.ItemDataRole.UserRole))
            )
        )
        self.tickets.itemDoubleClicked.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        held = model.ticket
        if held:
            note = PlainLabel(objectName="callWarning", wordWrap=True)
            note.setText(
                self.tr("{number} in hand will be finished first.").format(number=held["number"])
            )
            layout.addWidget(note)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.tickets)
        layout.addWidget(self.number_edit)
        layout.addWidget(buttons)

    def _filter(self, text: str) -> None:
        """The waiting tickets whose number starts with `text` or whose matter matches it."""
        model = self.model
        matching = {s["code"] for s in model.transfer_services(text)} if text.strip() else None
        self.tickets.clear()
        for ticket in model.queue:
            number = str(ticket["number"])
            if (
                matching is not None
                and ticket["service"] not in matching
                and not number.upper().startswith(text.strip().upper())
            ):
                continue
            item = QListWidgetItem(f"{number}  {model.service_name(ticket['service'])}")
            item.setData(Qt.ItemDataRole.UserRole, number)
            self.tickets.addItem(item)

    def number(self) -> str:
        return self.number_edit.text()


class NoShowDialog(QDialog):
    """Put a no-show back in the queue: pick one of today's no-shows or type its number."""

    def __init__(self, model: CounterModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.setWindowTitle(self.tr("Reactivate a no-show"))
        self.title = PlainLabel(self.tr("Today's no-shows, the latest first:"))
        self.tickets = QListWidget(objectName="noShowList")
        self.empty = PlainLabel(objectName="noShowEmpty")
        self.number_edit = QLineEdit(objectName="noShowNumber")
        self.number_edit.setPlaceholderText(self.tr("Ticket number, e.g. A007"))
        self.number_edit.setMaxLength(16)
        self.tickets.currentItemChanged.connect(
            lambda item, _old: (
                item and self.number_edit.setText(item.data(Qt.ItemDataRole.UserRole))
            )
        )
        self.tickets.itemDoubleClicked.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.tickets)
        layout.addWidget(self.empty)
        layout.addWidget(self.number_edit)
        layout.addWidget(buttons)
        self._shown: list[tuple[str, str]] = []
        self.fill()

    def fill(self) -> None:
        rows = []
        for ticket in self.model.no_shows:
            called = (ticket.get("called_at") or "")[11:16]
            text = self.tr("{number}  called {time}  {service}").format(
                number=ticket["number"],
                time=called,
                service=self.model.service_name(ticket.get("service")),
            )
            rows.append((text, str(ticket["number"])))
        if rows == self._shown:
            return
        self._shown = rows
        self.tickets.clear()
        for text, number in rows:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, number)
            self.tickets.addItem(item)
        self.empty.setText("" if rows else self.tr("No no-shows today."))
        self.empty.setVisible(not rows)

    def number(self) -> str:
        return self.number_edit.text()


class TextDialog(QDialog):
    """One line of input with suggestions (a pause reason, a ticket number)."""

    def __init__(
        self,
        title: str,
        label: str,
        suggestions: list[str],
        parent: QWidget | None = None,
        upper: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.box = QComboBox(objectName="textBox")
        self.box.setEditable(True)
        self.box.addItems(suggestions)
        self.box.setCurrentText("")
        self._upper = upper
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(PlainLabel(label))
        layout.addWidget(self.box)
        layout.addWidget(buttons)

    def text(self) -> str:
        text = self.box.currentText().strip()
        return text.upper() if self._upper else text


class CounterWindow(QWidget):
    """The counter's window: a login page, then the current ticket, actions and waiting list."""

    def __init__(self, model: CounterModel, on_top: bool = False) -> None:
        super().__init__()
        self.model = model
        self.dialog: QDialog | None = None  # the open choice dialog, if any
        self._shown_login_notice: Notice | None = None
        self.connection: Any = None  # the HallConnection feeding the model; stopped on close
        self.rating_panel: Any = None  # the resident's RatingPanel (--rating-window), if any
        self.setStyleSheet(STYLE)
        if on_top:
            self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)

        self.banner = QWidget(objectName="banner")
        self.banner_text = PlainLabel(objectName="bannerText", wordWrap=True)
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(6, 2, 6, 2)
        banner_layout.addWidget(self.banner_text)
        # Staff only: a kiosk whose printer needs attention (paper out, offline ...).
        self.staff_banner = QWidget(objectName="staffBanner")
        self.staff_banner_text = PlainLabel(objectName="staffBannerText", wordWrap=True)
        staff_layout = QHBoxLayout(self.staff_banner)
        staff_layout.setContentsMargins(6, 2, 6, 2)
        staff_layout.addWidget(self.staff_banner_text)
        self.staff_banner.hide()
        self.notice_clear_s: float = NOTICE_CLEAR_S
        self._notice_since: tuple[Notice | None, float] = (None, 0.0)
        self._confirm: tuple[int, float] | None = None  # (ticket id, when) of the first F1

        self.login_page = LoginPage()
        self.login_page.submitted.connect(self.model.login)
        self.main_page = self._build_main_page()
        self.pages = QStackedWidget()
        self.pages.addWidget(self.login_page)
        self.pages.addWidget(self.main_page)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.staff_banner)
        layout.addWidget(self.pages)

        self.shortcuts: dict[str, QShortcut] = {}
        for action in ACTIONS:
            shortcut = QShortcut(QKeySequence(model.shortcuts[action]), self)
            shortcut.activated.connect(lambda a=action: self.act(a))
            self.shortcuts[action] = shortcut

        self.ticker = QTimer(self, interval=1000)
        self.ticker.timeout.connect(self._tick)
        self.ticker.start()
        # The waiting minutes run on between events (a quiet queue has none).
        self.queue_clock = QTimer(self, interval=QUEUE_CLOCK_MS)
        self.queue_clock.timeout.connect(self._refresh_waiting_minutes)
        self.queue_clock.start()
        self.resize(420, 760)
        self.model.subscribe(self.render)
        self.render()

    # -- building -----------------------------------------------------------------------------

    def _build_main_page(self) -> QWidget:
        page = QWidget()
        self.counter_name = PlainLabel(objectName="counterName")
        self.clerk_name = PlainLabel(objectName="clerkName")
        self.counter_state = PlainLabel(objectName="counterState", wordWrap=True)
        self.logout_button = QPushButton(objectName="logoutButton")
        self.logout_button.clicked.connect(self.model.logout)
        header = QGridLayout()
        header.addWidget(self.counter_name, 0, 0)
        header.addWidget(self.logout_button, 0, 1, Qt.AlignmentFlag.AlignRight)
        header.addWidget(self.clerk_name, 1, 0)
        header.addWidget(self.counter_state, 1, 1, Qt.AlignmentFlag.AlignRight)
        # The hall's login alert (someone keeps trying a clerk's PIN), across the window.
        self.login_alert = PlainLabel(objectName="loginAlert", wordWrap=True)
        self.login_alert.hide()
        header.addWidget(self.login_alert, 2, 0, 1, 2)

        card = QFrame(objectName="ticketCard")
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
            button = QPushButton(objectName=f"action_{action}")
            button.setProperty("action", action)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys belong to the shortcuts
            button.clicked.connect(lambda _checked=False, a=action: self.act(a))
            grid.addWidget(button, index // 3, index % 3)
            self.buttons[action] = button

        self.notice = PlainLabel(objectName="notice", wordWrap=True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.waiting_title = PlainLabel(objectName="waitingTitle")
        font = QFont(self.waiting_title.font())
        font.setBold(True)
        self.waiting_title.setFont(font)
        self.waiting_list = QListWidget(objectName="waitingList")
        self.waiting_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.waiting_list.itemDoubleClicked.connect(self._call_item)
        self.figures = PlainLabel(objectName="figures", wordWrap=True)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(header)
        layout.addWidget(card)
        layout.addLayout(grid)
        layout.addWidget(self.notice)
        layout.addWidget(self.waiting_title)
        layout.addWidget(self.waiting_list, 1)
        layout.addWidget(self.figures)
        return page

    # -- texts --------------------------------------------------------------------------------

    def action_label(self, action: str) -> str:
        labels = {
            "call_next": self.tr("Call next"),
            "recall": self.tr("Recall"),
            "start": self.tr("Start"),
            "finish": self.tr("Finish"),
            "no_show": self.tr("No-show"),
            "transfer": self.tr("Transfer"),
            "call": self.tr("Special call"),
            "pause_resume": self.tr("Resume") if self.model.paused else self.tr("Pause"),
            "reactivate": self.tr("Reactivate"),
        }
        return labels[action]

    def state_label(self, state: str) -> str:
        return {
            "called": self.tr("Called"),
            "serving": self.tr("Serving"),
        }.get(state, state)

    def notice_text(self, notice: Notice) -> str:
        """The clerk's message for a notice, in the interface language (never the server's
        English text: that goes to the log)."""
        args = dict(notice.args)
        code = str(args.get("code", ""))
        if notice.key == "op_failed":
            text = self.refusal_text(
                str(args.get("op", "")), code, str(args.get("reason", "")), args
            )
        elif notice.key == "login_failed":
            text = self.login_refusal_text(code, str(args.get("reason", "")), notice.detail)
        else:
            key = self.model.shortcuts
            texts = self.notice_texts(code, notice.detail)
            args.setdefault("again", key["call_next"])
            args.setdefault("no_show", key["no_show"])
            text = texts.get(notice.key, "")
            if not text:
                log.warning("no text for notice %s", notice.key)
                text = self.tr("Done.") if notice.level == "info" else self.tr("Not done.")
            text = text.format(**args)
        if notice.detail:
            log.info("server said: %s (%s)", notice.detail, notice.key)
        return text

    def notice_texts(self, code: str = "", detail: str = "") -> dict[str, str]:
        """The text of every notice key but the refusals (see refusal_texts)."""
        return {
            "login_incomplete": self.tr("Enter your clerk ID and PIN."),
            "login_lost": self.tr("A new business day has begun: please log in again.")
            if code == "day_reset"
            else self.tr(
                "You have been logged out: the hall server closed this counter (a staff member "
                "works at one counter at a time; this staff ID may be logged in at another "
                "counter). Log in again to reopen it."
            )
            if code == "counter_closed"
            else self.tr("You have been logged out: the server refused your login."),
            "handshake_failed": self.handshake_text(code, detail),
            "disconnected": self.tr("Not done: the connection to the hall server was lost."),
            "nobody_waiting": self.tr("Nobody is waiting for this counter."),
            "finished_nobody_waiting": self.tr(
                "{done} finished. Nobody else is waiting for this counter."
            ),
            "finished_and_called": self.tr("{done} finished; now calling {number}."),
            "finished": self.tr("{number} finished."),
            "no_show_done": self.tr("{number} marked as a no-show."),
            "reactivated": self.tr("{number} is back in the queue."),
            "transferred_to_counter": self.tr("{number} has been transferred to {to}."),
            "transferred_to_service": self.tr(
                "{number} has been transferred to the queue of {to}."
            ),
            "number_missing": self.tr("Enter a ticket number."),
            "confirm_finish_unstarted": self.tr(
                "{number} has not been started. Press {again} again to finish it and call "
                "the next, or {no_show} to mark it a no-show."
            ),
        }

    def login_refusal_text(self, code: str, reason: str, detail: str) -> str:
        if reason == "locked_out":
            until = re.search(r"until (\d{1,2}:\d{2})", detail or "")
            if until:
                return self.tr(
                    "Too many wrong PINs: this clerk is locked out until {time} (the "
                    "administrator can reset the PIN)."
                ).format(time=until.group(1))
            return self.tr(
                "Too many wrong PINs: this clerk is locked out for 10 minutes (the administrator "
                "can reset the PIN)."
            )
        if reason == "disabled":
            return self.tr("This clerk ID is disabled.")
        if code == "not_authenticated":
            return self.tr("Login refused: unknown clerk ID or wrong PIN.")
        if code == "disconnected":
            return self.tr("Login failed: no connection to the hall server.")
        if code == "conflict":
            return self.tr("This clerk is logged in at another counter: log out there first.")
        return self.refusal_text("login", code, reason, {})

    def handshake_text(self, code: str, detail: str) -> str:
        if code == "not_authenticated":
            return self.tr(
                "The hall server refused this counter: the hall key is wrong or missing (set "
                "QUEUE_HALL_KEY or --key)."
            )
        if code == "proto_mismatch":
            return self.tr("The hall server speaks another protocol version: update this program.")
        if "does not exist" in (detail or ""):
            return self.tr("Counter {n} does not exist in this hall.").format(n=self.model.number)
        return self.tr("The hall server refused this counter.")

    def refusal_text(self, op: str, code: str, reason: str, args: dict[str, Any]) -> str:
        """A refusal's text: by op and error code, else by error code alone."""
        texts = self.refusal_texts()
        text = texts.get(("reason", reason)) or texts.get((op, code)) or texts.get(("", code))
        if text is None:
            log.warning("no text for refusal %s of %s", code, op)
            text = self.tr("The hall server refused this action.")
        return text.format(ticket=str(args.get("ticket") or ""))

    def refusal_texts(self) -> dict[tuple[str, str], str]:
        """One table: every refusal a clerk can meet, by (op, error code); op "" for any op;
        ("reason", r) for a refusal that names its reason."""
        return {
            ("reason", "call_too_soon"): self.tr(
                "Too soon after the last call: wait a few seconds."
            ),
            ("call", "not_found"): self.tr("There is no ticket {ticket} today."),
            ("call", "conflict"): self.tr(
                "{ticket} cannot be called here: it is not waiting, or it is kept for another "
                "counter."
            ),
            ("call", "bad_request"): self.tr(
                "{ticket} is not a ticket number: a letter and digits, e.g. A007."
            ),
            ("call_next", "conflict"): self.tr("The counter is paused: resume it before calling."),
            ("recall", "conflict"): self.tr(
                "Only a called ticket can be called again: this one was already started or closed."
            ),
            ("start", "conflict"): self.tr("This ticket was already started or closed."),
            ("finish", "conflict"): self.tr("This ticket was already closed."),
            ("no_show", "conflict"): self.tr(
                "Only a called ticket that was not started can be marked a no-show."
            ),
            ("transfer", "not_found"): self.tr("That service or counter no longer exists."),
            ("transfer", "conflict"): self.tr(
                "Not transferred: the ticket is no longer at this counter, or the target is this "
                "counter."
            ),
            ("reactivate", "not_found"): self.tr("There is no ticket {ticket} today."),
            ("reactivate", "conflict"): self.tr("{ticket} is not one of today's no-shows."),
            ("reactivate", "bad_request"): self.tr(
                "{ticket} is not a ticket number: a letter and digits, e.g. A007."
            ),
            ("pause", "conflict"): self.tr("Finish or transfer the ticket in hand before pausing."),
            ("resume", "conflict"): self.tr("The counter is not paused."),
            ("", "forbidden"): self.tr(
                "Refused: another clerk has logged in at this counter, or you were logged out. "
                "Log in again."
            ),
            ("", "not_authenticated"): self.tr(
                "Refused: the hall server does not know this counter any more. Restart the program."
            ),
            ("", "unavailable"): self.tr(
                "Not done: the hall server cannot save right now (disk full or read-only). Try "
                "again shortly."
            ),
            ("", "internal"): self.tr("Not done: the hall server had an error. Try again."),
            ("", "not_found"): self.tr("Not done: the hall server does not know this ticket."),
            ("", "conflict"): self.tr(
                "Not done: the ticket or counter has changed meanwhile (another counter or the "
                "administrator). The window shows the current state."
            ),
            ("", "bad_request"): self.tr(
                "Not done: the hall server did not understand the request. Update this program."
            ),
            ("", "unknown_op"): self.tr(
                "Not done: the hall server is older than this program and lacks this action."
            ),
            ("", "disconnected"): self.tr("Not done: the connection to the hall server was lost."),
        }

    # -- rendering ----------------------------------------------------------------------------

    def render(self) -> None:
        model = self.model
        if model.logged_out:
            self.close()
            return
        hall = model.hall or self.tr("Hall")
        self.setWindowTitle(
            self.tr("{counter} · {hall}").format(
                counter=model.counter_name or self.tr("Counter {n}").format(n=model.number),
                hall=hall,
            )
        )
        if model.connection == ONLINE and model.counter_exists:
            self.banner.hide()
        else:
            if not model.counter_exists:
                text = self.tr("Counter {n} does not exist in this hall.").format(n=model.number)
            elif model.notice is not None and model.notice.key == "handshake_failed":
                text = self.notice_text(model.notice)
            elif not model.ever_online and self.connection is not None:
                text = self.tr(
                    "Cannot reach the hall server at {server}: check the address, the network "
                    "and the server's firewall (port {port}). Trying again…"
                ).format(
                    server=f"{self.connection.host}:{self.connection.port}",
                    port=self.connection.port,
                )
            elif model.connection == "connecting":
                text = self.tr("Connecting to the hall server…")
            else:
                text = self.tr("Connection to the hall server lost: reconnecting…")
            self.banner_text.setText(text)
            self.banner.show()

        self._render_staff_banner()
        self.pages.setCurrentWidget(self.main_page if model.logged_in else self.login_page)
        if isinstance(self.dialog, NoShowDialog):
            self.dialog.fill()
        if not model.logged_in:
            self._render_login()
            return
        self._render_main()

    def _render_staff_banner(self) -> None:
        troubled = self.model.kiosks_needing_attention() if self.model.logged_in else []
        problems = {
            "near_end": self.tr("paper running low"),
            "paper_out": self.tr("out of paper: replace the roll"),
            "offline": self.tr("printer offline: check its cable and power"),
            "error": self.tr("printer fault: check the printer"),
        }
        lines = [
            self.tr("Kiosk {name}: {problem}").format(
                name=kiosk.get("name") or kiosk.get("client"),
                problem=problems.get(str(kiosk.get("printer")), self.tr("printer fault")),
            )
            for kiosk in troubled
        ]
        self.staff_banner_text.setText("\n".join(lines))
        self.staff_banner.setVisible(bool(lines))

    def _render_login(self) -> None:
        model = self.model
        page = self.login_page
        page.counter_label.setText(
            model.counter_name or self.tr("Counter {n}").format(n=model.number)
        )
        busy = model.logging_in
        page.login_button.setEnabled(not busy)
        page.clerk_edit.setEnabled(not busy)
        page.pin_edit.setEnabled(not busy)
        notice = model.notice
        page.hall_label.setText(model.hall)
        page.message.setText(self.notice_text(notice) if notice else "")
        _restyle(page.message, "level", notice.level if notice else "")
        if notice is not self._shown_login_notice:
            # A new refusal: clear the PIN once, not on every later render while retyping.
            self._shown_login_notice = notice
            if notice and notice.key == "login_failed":
                page.pin_edit.clear()
                page.pin_edit.setFocus()

    def _render_main(self) -> None:
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
        _restyle(self.counter_state, "paused", model.paused)

        ticket = model.ticket
        if ticket:
            self.ticket_number.setText(ticket["number"])
            service = model.service_name(ticket.get("service"))
            if ticket.get("priority"):
                service = self.tr("{service} (priority)").format(service=service)
            self.ticket_service.setText(service)
            self.ticket_state.setText(self.state_label(ticket["state"]))
            _restyle(self.ticket_state, "state", ticket["state"])
            _restyle(self.ticket_number, "empty", False)
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
            _restyle(self.ticket_number, "empty", True)
        self._tick()

        self._render_buttons()

        notice = model.notice
        self.notice.setText(self.notice_text(notice) if notice else "")
        self.notice.setVisible(notice is not None)
        level = notice.level if notice else ""
        if notice and notice.key.startswith("confirm_"):
            level = "confirm"
        _restyle(self.notice, "level", level)

        self.waiting_title.setText(
            self.tr("Waiting for this counter: {n}").format(n=model.queue_total)
        )
        self._render_queue()
        self.figures.setText(self.figures_text())
        self.figures.setToolTip(self.figures_tooltip())

    def figures_text(self) -> str:
        """The "today" line: the clerk's figures of the day, defined as in the monthly report."""
        f = self.model.figures
        logged_in, paused = self.model.time_logged_in_s()
        lines = [
            self.tr("Today: served {served} · no-shows {no_shows} · mean service {mean}").format(
                served=f.served, no_shows=f.no_shows, mean=_format_duration(f.mean_service_s)
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
                logged_in=_format_duration(logged_in),
                paused=_format_duration(paused),
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
            label = self.action_label(action)
            cooling = action in CALL_ACTIONS and lock > 0 and model.logged_in
            if cooling:
                label = self.tr("{action} ({seconds} s)").format(action=label, seconds=lock)
            button.setText(f"{label}\n{model.shortcuts[action]}")
            button.setEnabled(model.enabled(action))
            _restyle(button, "cooling", cooling)

    def _render_queue(self) -> None:
        model = self.model
        rows = []
        for ticket in model.queue:
            waited = model.ticket_waited_s(ticket)
            if waited is None:
                minutes = ""
            elif waited < 60:
                minutes = self.tr("<1 min")
            else:
                minutes = self.tr("{n} min").format(n=waited // 60)
            text = (
                f"{ticket['number']:<6} {minutes:>7}  {model.service_name(ticket.get('service'))}"
            )
            if ticket.get("priority"):
                text += "  " + self.tr("(priority)")
            rows.append((text, ticket["number"]))
        current = [
            (
                self.waiting_list.item(i).text(),
                self.waiting_list.item(i).data(Qt.ItemDataRole.UserRole),
            )
            for i in range(self.waiting_list.count())
        ]
        if current == rows:
            return
        self.waiting_list.clear()
        for text, number in rows:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, number)
            self.waiting_list.addItem(item)

    def _refresh_waiting_minutes(self) -> None:
        if self.model.logged_in:
            self._render_queue()  # rebuilds the list only when a row's text changed

    def _tick(self) -> None:
        if self.login_alert.isVisible() and self.model.active_login_alert() is None:
            self.login_alert.hide()  # the lockout it warned of is over
        self._expire_notice()
        if self.model.logged_in:
            self._render_buttons()  # the call gap's countdown
            self.figures.setText(self.figures_text())  # the time logged in runs on
        if self.model.ticket is None:
            self.ticket_timer.setText("")
            return
        self.ticket_timer.setText(_format_duration(self.model.ticket_elapsed_s()))

    def _expire_notice(self) -> None:
        """A notice on the main page goes after `notice_clear_s` (the next action clears it too)."""
        notice = self.model.notice
        now = time.monotonic()
        if notice is not self._notice_since[0]:
            self._notice_since = (notice, now)
            return
        if (
            notice is not None
            and self.model.logged_in
            and now - self._notice_since[1] >= (self.notice_clear_s)
        ):
            self.model.clear_notice(notice)

    # -- actions ------------------------------------------------------------------------------

    def act(self, action: str) -> None:
        """A button or its shortcut: act at once, or ask for the choice the action needs."""
        model = self.model
        if not model.logged_in or not model.enabled(action) or self.dialog is not None:
            return
        if action == "call_next" and not self._confirmed_finish():
            return
        self._confirm = None
        if model.trigger(action):
            return
        if action == "transfer":
            self._ask(TransferDialog(model, self), lambda d: model.transfer(**d.choice()))
        elif action == "call":
            self._ask(CallDialog(model, self), lambda d: model.call(d.number()))
        elif action == "pause_resume":
            reasons = [self.tr("Lunch break"), self.tr("Meeting"), self.tr("Away for a moment")]
            dialog = TextDialog(self.tr("Pause the counter"), self.tr("Reason"), reasons, self)
            self._ask(dialog, lambda d: model.pause(d.text()))
        elif action == "reactivate":
            model.refresh_no_shows()
            self._ask(NoShowDialog(model, self), lambda d: model.reactivate(d.number()))

    def _confirmed_finish(self) -> bool:
        """F1 finishes the held ticket; one that was called but never started is asked first:
        the second press within CONFIRM_S goes ahead."""
        ticket = self.model.ticket
        if not ticket or ticket.get("state") != "called":
            return True
        now = time.monotonic()
        if (
            self._confirm
            and self._confirm[0] == ticket["id"]
            and now - self._confirm[1] < CONFIRM_S
        ):
            return True
        self._confirm = (ticket["id"], now)
        self.model.warn("confirm_finish_unstarted", number=ticket["number"])
        return False

    def _ask(self, dialog: QDialog, then: Any) -> None:
        """Open a choice dialog without blocking; `then(dialog)` runs when it is accepted."""
        self.dialog = dialog

        def finished(result: int) -> None:
            self.dialog = None
            if result == QDialog.DialogCode.Accepted:
                then(dialog)
            dialog.deleteLater()
            # The F-keys are shortcuts of this window: give it the keyboard back at once.
            self.raise_()
            self.activateWindow()
            self.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

        dialog.finished.connect(finished)
        dialog.open()

    def _call_item(self, item: QListWidgetItem) -> None:
        if self.model.enabled("call"):
            self.model.call(item.data(Qt.ItemDataRole.UserRole))

    def closeEvent(self, event: QCloseEvent) -> None:
        # A clerk who closes the window with no ticket in hand has left: the counter closes,
        # so the board stops showing it open. With a ticket in hand it stays open, so a window
        # closed by accident can be opened again and carry on with the same ticket.
        self.ticker.stop()
        if self.rating_panel is not None:
            self.rating_panel.close()
        if self.connection is not None:
            leaving = self.model.logged_in and self.model.ticket is None and self.connection.online
            if leaving:
                self.connection.logout()
            self.connection.stop(flush_ms=1000 if leaving else 0)
        super().closeEvent(event)
