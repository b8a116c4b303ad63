"""Fixtures of the counter tests: an admin connection and counter windows on the test server."""

from __future__ import annotations

from typing import Any

import pytest

from counter_client.app import build_window
from counter_client.views.window import CounterWindow


@pytest.fixture
def admin(hall_server):
    client = hall_server.client("admin", "window-admin")
    yield client
    client.close()


@pytest.fixture
def open_window(qtbot, hall_server):
    windows: list[CounterWindow] = []

    def open_(counter: int = 1, **options: Any) -> CounterWindow:
        window = build_window(
            hall_server.host, hall_server.port, counter, reconnect_min_s=0.05, **options
        )
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        windows.append(window)
        qtbot.waitUntil(lambda: window.model.connection == "online")
        return window

    yield open_
    for window in windows:
        window.close()
