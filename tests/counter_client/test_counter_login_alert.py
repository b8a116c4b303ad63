"""The counter window's status line shows the hall's login alert (someone guessing a PIN)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from counter_client.app import build_window
from shared.domain.errors import HallError


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
    assert window.main_page.login_alert.isHidden()

    guesser = hall_server.client("counter", "guesser", counter=2)
    for _ in range(5):
        with pytest.raises(HallError):
            guesser.call("login", clerk="1002", pin="0000")
    qtbot.waitUntil(lambda: window.main_page.login_alert.isVisible())
    assert (
        "1002" in window.main_page.login_alert.text()
        and "127.0.0.1" in window.main_page.login_alert.text()
    )
    guesser.close()
    window.close()


def test_the_alert_lasts_while_the_lockout_does_and_unreadable_ones_are_skipped():
    from datetime import datetime

    from counter_client.model import CounterModel

    now = [datetime.fromisoformat("2026-11-26T10:00:00+08:00").timestamp()]
    model = CounterModel(1, None, clock=lambda: now[0])  # type: ignore[arg-type]
    alert = {
        "clerk": "1002",
        "source": "192.168.1.66",
        "at": "2026-11-26T10:00:00+08:00",
        "until": "2026-11-26T10:10:00+08:00",
    }
    model.on_event("login_alert", 1, {"alert": alert})
    assert model.active_login_alert() == alert
    now[0] += 601
    assert model.active_login_alert() is None
    model.on_event("login_alert", 2, {"alert": {"clerk": 1002}})  # not readable: kept out
    assert model.login_alert == alert
