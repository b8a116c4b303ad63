"""The waiting list on the serving page: who waits for this counter, and for how long.

The minutes run on between events (a quiet queue sends none), so the list redraws on its
own clock, and only when a row's text changed: a rebuilt list would lose the clerk's
selection and scroll position every half minute. A double click calls that ticket.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from counter_client.model import CounterModel

QUEUE_CLOCK_MS = 30_000  # how often the waiting minutes in the list are brought up to date


class WaitingList(QListWidget):
    """The tickets waiting for this counter, with their waiting minutes."""

    def __init__(self, model: CounterModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waitingList")
        self.counter_model = model  # not `model`: that is the list's own item model
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.itemDoubleClicked.connect(self._call_item)
        self.queue_clock = QTimer(self, interval=QUEUE_CLOCK_MS)
        self.queue_clock.timeout.connect(self._refresh_waiting_minutes)
        self.queue_clock.start()

    def refresh(self) -> None:
        model = self.counter_model
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
            (self.item(i).text(), self.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.count())
        ]
        if current == rows:
            return
        self.clear()
        for text, number in rows:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, number)
            self.addItem(item)

    def _refresh_waiting_minutes(self) -> None:
        if self.counter_model.logged_in:
            self.refresh()  # rebuilds the list only when a row's text changed

    def _call_item(self, item: QListWidgetItem) -> None:
        if self.counter_model.enabled("call"):
            self.counter_model.call(item.data(Qt.ItemDataRole.UserRole))
