"""The clerk's window at one counter: a Qt view bound to the CounterModel."""

from __future__ import annotations

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
    QLabel,
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
        self.title = QLabel(objectName="loginTitle", alignment=Qt.AlignmentFlag.AlignCenter)
        self.counter_label = QLabel(
            objectName="loginCounter", alignment=Qt.AlignmentFlag.AlignCenter
        )
        self.hall_label = QLabel(objectName="loginHall", alignment=Qt.AlignmentFlag.AlignCenter)
        self.clerk_edit = QLineEdit(objectName="clerkEdit")
        self.clerk_edit.setMaxLength(32)
        self.pin_edit = QLineEdit(objectName="pinEdit")
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setMaxLength(8)
        self.login_button = QPushButton(objectName="loginButton")
        self.login_button.setDefault(True)
        self.message = QLabel(objectName="notice", wordWrap=True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        self.clerk_label, self.pin_label = QLabel(), QLabel()
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
            clerk = (counter.get("clerk") or {}).get("name") or self.tr("(closed)")
            label = str(counter.get("name") or counter["number"])
            self.counter_box.addItem(f"{label}  {clerk}", counter["number"])

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
        layout.addWidget(QLabel(label))
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
        self.banner_text = QLabel(objectName="bannerText", wordWrap=True)
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(6, 2, 6, 2)
        banner_layout.addWidget(self.banner_text)

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
        layout.addWidget(self.pages)

        self.shortcuts: dict[str, QShortcut] = {}
        for action in ACTIONS:
            shortcut = QShortcut(QKeySequence(model.shortcuts[action]), self)
            shortcut.activated.connect(lambda a=action: self.act(a))
            self.shortcuts[action] = shortcut

        self.ticker = QTimer(self, interval=1000)
        self.ticker.timeout.connect(self._tick)
        self.ticker.start()
        self.resize(420, 760)
        self.model.subscribe(self.render)
        self.render()

    # -- building -----------------------------------------------------------------------------

    def _build_main_page(self) -> QWidget:
        page = QWidget()
        self.counter_name = QLabel(objectName="counterName")
        self.clerk_name = QLabel(objectName="clerkName")
        self.counter_state = QLabel(objectName="counterState", wordWrap=True)
        self.logout_button = QPushButton(objectName="logoutButton")
        self.logout_button.clicked.connect(self.model.logout)
        header = QGridLayout()
        header.addWidget(self.counter_name, 0, 0)
        header.addWidget(self.logout_button, 0, 1, Qt.AlignmentFlag.AlignRight)
        header.addWidget(self.clerk_name, 1, 0)
        header.addWidget(self.counter_state, 1, 1, Qt.AlignmentFlag.AlignRight)

        card = QFrame(objectName="ticketCard")
        self.ticket_number = QLabel(objectName="ticketNumber")
        self.ticket_number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ticket_service = QLabel(objectName="ticketService", wordWrap=True)
        self.ticket_service.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ticket_state = QLabel(objectName="ticketState")
        self.ticket_timer = QLabel(objectName="ticketTimer")
        self.ticket_timer.setAlignment(Qt.AlignmentFlag.AlignRight)
        card_layout = QVBoxLayout(card)
        card_layout.addWidget(self.ticket_number)
        card_layout.addWidget(self.ticket_service)
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

        self.notice = QLabel(objectName="notice", wordWrap=True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.waiting_title = QLabel(objectName="waitingTitle")
        font = QFont(self.waiting_title.font())
        font.setBold(True)
        self.waiting_title.setFont(font)
        self.waiting_list = QListWidget(objectName="waitingList")
        self.waiting_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.waiting_list.itemDoubleClicked.connect(self._call_item)
        self.figures = QLabel(objectName="figures", wordWrap=True)

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
        code = str(notice.args.get("code", ""))
        texts = {
            "login_incomplete": self.tr("Enter your clerk ID and PIN."),
            "login_failed": self.tr(
                "Too many wrong PINs: this clerk is locked out for 10 minutes (the administrator "
                "can reset the PIN)."
            )
            if notice.args.get("reason") == "locked_out"
            else self.tr("This clerk ID is disabled.")
            if notice.args.get("reason") == "disabled"
            else self.tr("Login refused: unknown clerk ID or wrong PIN.")
            if code == "not_authenticated"
            else self.tr("Login failed: no connection to the hall server.")
            if code == "disconnected"
            else self.tr("Login failed."),
            "login_lost": self.tr("A new business day has begun: please log in again.")
            if code == "day_reset"
            else self.tr("You have been logged out: the server refused your login."),
            "handshake_failed": self.tr("The hall server refused this counter."),
            "disconnected": self.tr("Not done: the connection to the hall server was lost."),
            "op_failed": self.tr("Too soon after the last call: wait a few seconds.")
            if notice.args.get("reason") == "call_too_soon"
            else self.tr("The server refused this action."),
            "nobody_waiting": self.tr("Nobody is waiting for this counter."),
            "reactivated": self.tr("{number} is back in the queue."),
            "transferred": self.tr("{number} has been transferred."),
            "number_missing": self.tr("Enter a ticket number."),
        }
        text = texts.get(notice.key, notice.key).format(**notice.args)
        if notice.detail and notice.detail.lower() not in ("unknown clerk or wrong pin",):
            text += f"\n({notice.detail})"
        return text

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

        self.pages.setCurrentWidget(self.main_page if model.logged_in else self.login_page)
        if not model.logged_in:
            self._render_login()
            return
        self._render_main()

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
        else:
            self.ticket_number.setText(self.tr("No ticket"))
            self.ticket_service.setText(
                self.tr("Press {key} to call the next ticket.").format(
                    key=model.shortcuts["call_next"]
                )
            )
            self.ticket_state.setText("")
            _restyle(self.ticket_number, "empty", True)
        self._tick()

        self._render_buttons()

        notice = model.notice
        self.notice.setText(self.notice_text(notice) if notice else "")
        self.notice.setVisible(notice is not None)
        _restyle(self.notice, "level", notice.level if notice else "")

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
            issued = (ticket.get("issued_at") or "")[11:16]
            text = f"{ticket['number']:<6} {issued}  {model.service_name(ticket.get('service'))}"
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

    def _tick(self) -> None:
        if self.model.logged_in:
            self._render_buttons()  # the call gap's countdown
            self.figures.setText(self.figures_text())  # the time logged in runs on
        if self.model.ticket is None:
            self.ticket_timer.setText("")
            return
        self.ticket_timer.setText(_format_duration(self.model.ticket_elapsed_s()))

    # -- actions ------------------------------------------------------------------------------

    def act(self, action: str) -> None:
        """A button or its shortcut: act at once, or ask for the choice the action needs."""
        model = self.model
        if not model.logged_in or not model.enabled(action) or self.dialog is not None:
            return
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
            dialog = TextDialog(
                self.tr("Reactivate a no-show"),
                self.tr("Ticket number, e.g. A007"),
                [],
                self,
                upper=True,
            )
            self._ask(dialog, lambda d: model.reactivate(d.text()))

    def _ask(self, dialog: QDialog, then: Any) -> None:
        """Open a choice dialog without blocking; `then(dialog)` runs when it is accepted."""
        self.dialog = dialog

        def finished(result: int) -> None:
            self.dialog = None
            if result == QDialog.DialogCode.Accepted:
                then(dialog)
            dialog.deleteLater()

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
