"""The counter window's status line shows the hall's login alert (someone guessing a PIN)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from counter_client.app import build_window
from shared.errors import HallError


def test_the_status_line_names_the_clerk_whose_pin_is_being_guessed(qtbot, hall_server):
    window = build_window(hall_server.host, hall_server.port, 1, reconnect_min_s=0.05)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.connection == "online")
    page = window.login_page
    page.clerk_edit.setText("1001")
    page.pin_edit.setText("1234")
    qtbot.mouseClick(page.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.logged_in)
    assert "1002" not in window.counter_state.text()

    guesser = hall_server.client("counter", "guesser", counter=2)
    for _ in range(5):
        with pytest.raises(HallError):
            guesser.call("login", clerk="1002", pin="0000")
    qtbot.waitUntil(lambda: "1002" in window.counter_state.text())
    assert "127.0.0.1" in window.counter_state.text()
    guesser.close()
    window.close()
