"""The choices an action needs before it is sent: where a ticket is transferred to, which
ticket is called out of turn or put back in the queue, why the counter pauses.

Each dialog only collects the choice; the window opens it without blocking (the hall's
events keep arriving) and hands the choice to the model when the clerk accepts.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from counter_client.model import CounterModel
from counter_client.views.look import named
from shared.qt.widgets import PlainLabel


class TransferDialog(QDialog):
    """Choose where the current ticket goes: another service's queue or one counter."""

    def __init__(self, model: CounterModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Transfer ticket"))
        self.to_service = named(QRadioButton(self.tr("To a service")), "toService")
        self.to_counter = named(QRadioButton(self.tr("To a counter")), "toCounter")
        group = QButtonGroup(self)
        group.addButton(self.to_service)
        group.addButton(self.to_counter)
        self.to_service.setChecked(True)

        self.model = model
        # A county hall has 1,500 matters: type part of the name or its pinyin initials.
        self.service_search = named(QLineEdit(), "serviceSearch")
        self.service_search.setPlaceholderText(
            self.tr("Find a matter: part of its name or pinyin initials, e.g. shbzk")
        )
        self.service_search.setClearButtonEnabled(True)
        self.service_search.textChanged.connect(self._filter_services)
        self.service_box = named(QComboBox(), "serviceBox")
        self.service_box.setEditable(True)
        self.service_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._filter_services("")
        completer = self.service_box.completer()  # an editable combo box always has one
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        held = model.ticket
        if held:
            index = self.service_box.findData(held.get("service"))
            self.service_box.setCurrentIndex(max(0, index))

        self.counter_box = named(QComboBox(), "counterBox")
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

        buttons = ok_cancel(self)
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
        self.search_edit = named(QLineEdit(), "callSearch")
        self.search_edit.setPlaceholderText(
            self.tr("Filter: ticket number, part of the matter's name or its pinyin initials")
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._filter)
        self.tickets = named(QListWidget(), "callList")
        self._filter("")
        self.number_edit = named(QLineEdit(), "callNumber")
        self.number_edit.setPlaceholderText(self.tr("Ticket number, e.g. A007"))
        self.number_edit.setMaxLength(16)
        pick_into(self.tickets, self.number_edit, self)
        buttons = ok_cancel(self)
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
        self.tickets = named(QListWidget(), "noShowList")
        self.empty = PlainLabel(objectName="noShowEmpty")
        self.number_edit = named(QLineEdit(), "noShowNumber")
        self.number_edit.setPlaceholderText(self.tr("Ticket number, e.g. A007"))
        self.number_edit.setMaxLength(16)
        pick_into(self.tickets, self.number_edit, self)
        buttons = ok_cancel(self)
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
        self.box = named(QComboBox(), "textBox")
        self.box.setEditable(True)
        self.box.addItems(suggestions)
        self.box.setCurrentText("")
        self._upper = upper
        buttons = ok_cancel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(PlainLabel(label))
        layout.addWidget(self.box)
        layout.addWidget(buttons)

    def text(self) -> str:
        text = self.box.currentText().strip()
        return text.upper() if self._upper else text


def ok_cancel(dialog: QDialog) -> QDialogButtonBox:
    """The dialog's OK and Cancel buttons, wired to accept and reject it."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def pick_into(tickets: QListWidget, number_edit: QLineEdit, dialog: QDialog) -> None:
    """Choosing a ticket in the list puts its number in `number_edit`; a double click
    accepts the dialog with it."""

    def chosen(item: QListWidgetItem | None, _old: QListWidgetItem | None) -> None:
        if item is not None:
            number_edit.setText(item.data(Qt.ItemDataRole.UserRole))

    tickets.currentItemChanged.connect(chosen)
    tickets.itemDoubleClicked.connect(lambda _item: dialog.accept())
