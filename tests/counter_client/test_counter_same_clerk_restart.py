"""One clerk logged in at two counters, then the server restarts: both windows reconnect and
log in again, the server keeps the clerk open at one counter only, and the other window must
end on the login page with the reason (not stuck "logged in" with every button disabled)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from counter_client.app import build_window
from shared.client.connection import new_req
from shared.config.hall import CounterConfig

PENSION = ("pension_enrol", "pension_claim")


@pytest.fixture
def hall_config(hall_config):
    return replace(
        hall_config,
        counters=(CounterConfig(1, "1号窗口", PENSION), CounterConfig(2, "2号窗口", PENSION)),
    )


def open_logged_in(qtbot, server, number):
    window = build_window(server.host, server.port, number, reconnect_min_s=0.05)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.connection == "online")
    window.login_page.clerk_edit.setText("1001")
    window.login_page.pin_edit.setText("1234")
    qtbot.mouseClick(window.login_page.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.logged_in and window.model.counter_state == "open")
    return window


def usable(window) -> bool:
    """Logged in at an open counter with its logout live, or on the login page with a reason."""
    model = window.model
    if model.connection != "online" or model.busy:
        return False
    if model.logged_in:
        return model.counter_state != "closed" and bool(model.allowed_ops())
    return (
        window.pages.currentWidget() is window.login_page
        and model.notice is not None
        and bool(window.texts.notice_text(model.notice))
    )


def server_counters(server) -> dict[int, dict]:
    with server.client() as admin:
        return {c["number"]: c for c in admin.call("snapshot")["counters"]}


def test_logging_in_at_a_second_counter_sends_the_first_to_the_login_page(qtbot, hall_server):
    first = open_logged_in(qtbot, hall_server, 1)
    open_logged_in(qtbot, hall_server, 2)
    assert server_counters(hall_server)[1]["state"] == "closed"
    qtbot.waitUntil(lambda: usable(first) and not first.model.logged_in)
    assert first.model.notice.args.get("code") == "counter_closed"
    assert "another counter" in first.texts.notice_text(first.model.notice)


@pytest.mark.call_gap(0)
def test_one_clerk_at_two_counters_ends_truthful_after_a_server_restart(qtbot, hall_server):
    first = open_logged_in(qtbot, hall_server, 1)
    with hall_server.client("kiosk", "k") as kiosk:
        ticket = kiosk.call("issue", service="pension_enrol", req=new_req())["ticket"]
        kiosk.call("printed", ticket=ticket["id"])
    qtbot.waitUntil(lambda: first.model.enabled("call_next"))
    first.model.trigger("call_next")
    qtbot.waitUntil(lambda: first.model.ticket is not None and first.model.busy is None)
    # A ticket in hand keeps counter 1 open: the clerk is now logged in at both counters.
    second = open_logged_in(qtbot, hall_server, 2)
    assert {n: c["state"] for n, c in server_counters(hall_server).items()} == {
        1: "open",
        2: "open",
    }

    # Restart; counter 2 logs in again first, then counter 1 (whose login closes counter 2).
    first.model.transport.stop()
    with qtbot.waitSignal(second.model.transport.ready, timeout=10000):
        hall_server.restart()
    first.model.transport.start()
    qtbot.waitUntil(lambda: first.model.connection == "online", timeout=10000)
    qtbot.waitUntil(lambda: usable(first) and usable(second), timeout=10000)
    counters = server_counters(hall_server)
    for number, window in ((1, first), (2, second)):
        assert window.model.logged_in == (counters[number]["state"] != "closed"), counters[number]
    assert counters[2]["state"] == "closed" and not second.model.logged_in
    assert first.model.ticket is not None and first.model.ticket["id"] == ticket["id"]
