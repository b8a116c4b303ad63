"""Closing the clerk's window: with no ticket in hand the counter closes; with one it stays open."""

from __future__ import annotations

import time

from counter_client.app import build_window
from shared.client.connection import new_req


def open_logged_in(qtbot, hall_server, counter):
    window = build_window(
        hall_server.host, hall_server.port, counter, clerk="1001", pin="1234", reconnect_min_s=0.05
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.logged_in, timeout=10000)
    return window


def counter_state(hall_server, number):
    with hall_server.client("admin", f"look-{time.monotonic_ns()}") as admin:
        return next(c for c in admin.call("snapshot")["counters"] if c["number"] == number)


def test_closing_an_idle_window_closes_the_counter(qtbot, hall_server):
    window = open_logged_in(qtbot, hall_server, 5)
    assert counter_state(hall_server, 5)["state"] == "open"
    window.close()
    qtbot.waitUntil(lambda: counter_state(hall_server, 5)["state"] == "closed", timeout=5000)


def test_closing_the_window_with_a_ticket_in_hand_keeps_the_counter_open(qtbot, hall_server):
    with hall_server.client("kiosk", "k-close") as kiosk:
        ticket = kiosk.call("issue", service="pension_enrol", req=new_req())["ticket"]
        kiosk.call("printed", ticket=ticket["id"])
    window = open_logged_in(qtbot, hall_server, 6)
    window.model.trigger("call_next")
    qtbot.waitUntil(lambda: window.model.ticket is not None, timeout=5000)
    window.close()
    state = counter_state(hall_server, 6)
    assert state["state"] == "open" and state["ticket"]["id"] == ticket["id"]


def test_a_locked_out_clerk_is_told_so_not_that_the_pin_is_wrong(qtbot, hall_server):
    window = build_window(hall_server.host, hall_server.port, 8, reconnect_min_s=0.05)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.model.connection == "online", timeout=5000)
    for _ in range(5):
        window.model.login("1002", "0000")
        qtbot.waitUntil(lambda: not window.model.logging_in, timeout=5000)
    window.model.login("1002", "2345")  # the right PIN, during the lock-out
    qtbot.waitUntil(lambda: not window.model.logging_in, timeout=5000)
    assert window.model.notice.args["reason"] == "locked_out"
    assert "locked out" in window.texts.notice_text(
        window.model.notice
    ) or "锁定" in window.texts.notice_text(window.model.notice)
    window.close()


def test_a_server_that_never_answered_is_named_with_its_address(qtbot):
    from bench.crashloop import free_port

    port = free_port()  # nothing listens there
    window = build_window("127.0.0.1", port, 2, reconnect_min_s=0.05)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: f"127.0.0.1:{port}" in window.banner_text.text(), timeout=5000)
    assert not window.banner.isHidden()
    window.close()
