"""Two counter windows and a kiosk on one server: each ticket reaches a counter that serves it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from counter_client.app import build_window
from shared.client.connection import new_req
from shared.config.hall import CounterConfig

PENSION = ("pension_enrol", "pension_claim")
CARDS = ("ss_card_apply", "ss_card_replace")


@pytest.fixture
def hall_config(hall_config):
    """The test hall (tests/conftest.py) with one pension counter and one card counter."""
    return replace(
        hall_config,
        counters=(
            CounterConfig(1, "1号窗口", PENSION),
            CounterConfig(2, "2号窗口", CARDS),
        ),
    )


def open_logged_in(qtbot, server, number, clerk, pin):
    window = build_window(server.host, server.port, number, reconnect_min_s=0.05)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.model.connection == "online")
    window.login_page.clerk_edit.setText(clerk)
    window.login_page.pin_edit.setText(pin)
    qtbot.mouseClick(window.login_page.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.logged_in)
    return window


def call_next(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    key = QKeySequence(window.model.shortcuts["call_next"])[0]
    qtbot.keyClick(window, key.key(), key.keyboardModifiers())
    qtbot.waitUntil(lambda: window.model.busy is None)


@pytest.mark.call_gap(0)  # calls within seconds; the gap has its own tests
def test_tickets_flow_to_the_counters_that_serve_them(qtbot, hall_server):
    pension_counter = open_logged_in(qtbot, hall_server, 1, "1001", "1234")
    card_counter = open_logged_in(qtbot, hall_server, 2, "1002", "2345")
    issued: dict[str, str] = {}
    with hall_server.client("kiosk", "flow-kiosk") as kiosk:
        for service in ("ss_card_apply", "pension_enrol", "ss_card_replace", "pension_claim"):
            reply = kiosk.call("issue", service=service, req=new_req())
            kiosk.call("printed", ticket=reply["ticket"]["id"])
            issued[service] = reply["ticket"]["number"]

    def shown(window):
        return [t["number"] for t in window.model.queue]

    # The waiting lists update live from the kiosk's events, each with its own services only.
    qtbot.waitUntil(
        lambda: shown(pension_counter) == [issued["pension_enrol"], issued["pension_claim"]]
    )
    qtbot.waitUntil(
        lambda: shown(card_counter) == [issued["ss_card_apply"], issued["ss_card_replace"]]
    )
    assert pension_counter.main_page.waiting_list.count() == 2

    call_next(qtbot, pension_counter)
    assert pension_counter.main_page.ticket_number.text() == issued["pension_enrol"]
    call_next(qtbot, card_counter)
    assert card_counter.main_page.ticket_number.text() == issued["ss_card_apply"]
    call_next(qtbot, pension_counter)  # never started: the window asks first
    assert pension_counter.main_page.ticket_number.text() == issued["pension_enrol"]
    assert pension_counter.model.notice.key == "confirm_finish_unstarted"
    call_next(qtbot, pension_counter)  # finishes the first and takes the next pension ticket
    assert pension_counter.main_page.ticket_number.text() == issued["pension_claim"]
    assert pension_counter.model.notice.key == "finished_and_called"
    qtbot.waitUntil(lambda: pension_counter.model.figures.served == 1, timeout=5000)
    call_next(qtbot, card_counter)
    call_next(qtbot, card_counter)
    assert card_counter.main_page.ticket_number.text() == issued["ss_card_replace"]

    call_next(qtbot, pension_counter)
    call_next(qtbot, pension_counter)
    assert pension_counter.model.ticket is None
    assert pension_counter.model.notice.key == "finished_nobody_waiting"
    assert card_counter.model.ticket["number"] == issued["ss_card_replace"]
    for window in (pension_counter, card_counter):
        window.close()
