"""What the counter window tests share: issuing a ticket, logging in, pressing an action's key,
waiting for the window to settle, and reading the queue and the counter back."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from counter_client.views.window import CounterWindow
from shared.client.connection import BlockingHallClient, new_req


def issue(admin: BlockingHallClient, service: str = "pension_enrol") -> str:
    ticket = admin.call("issue", service=service, req=new_req())["ticket"]
    admin.call("printed", ticket=ticket["id"])
    return ticket["number"]


def login(qtbot, window: CounterWindow, clerk: str = "1001", pin: str = "1234") -> None:
    page = window.login_page
    page.clerk_edit.setText(clerk)
    page.pin_edit.setText(pin)
    qtbot.mouseClick(page.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.logged_in)
    qtbot.waitUntil(lambda: not window.model.queue_loading and not window.model.busy)


def press(qtbot, window: CounterWindow, action: str) -> None:
    """Press the action's shortcut key, as a clerk or a hall keypad does."""
    key = QKeySequence(window.model.shortcuts[action])[0]
    if QApplication.activeWindow() is not window:  # shortcuts go to the active window only
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, key.key(), key.keyboardModifiers())


def settle(qtbot, window: CounterWindow) -> None:
    qtbot.waitUntil(lambda: window.model.busy is None)


def queue_numbers(window: CounterWindow) -> list[str]:
    return [t["number"] for t in window.model.queue]


def shown_queue(window: CounterWindow) -> list[str]:
    items = window.main_page.waiting_list
    return [items.item(i).data(Qt.ItemDataRole.UserRole) for i in range(items.count())]


def counter_on_server(server, number: int) -> dict[str, Any]:
    with server.client("display", "window-check") as display:
        snapshot = display.call("snapshot")
    return next(c for c in snapshot["counters"] if c["number"] == number)


def window_name_of(number: int, hall_server) -> str:
    return counter_on_server(hall_server, number)["name"]


def accept(qtbot, window: CounterWindow) -> None:
    dialog = window.dialog
    assert dialog is not None
    dialog.accept()
    qtbot.waitUntil(lambda: window.dialog is None)
