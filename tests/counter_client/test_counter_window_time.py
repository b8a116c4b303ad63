"""The counter window over time and with long messages: the bottom line stays whole, the
waiting minutes run on, and the Chinese texts name staff with one word."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt

from counter_client.app import build_window
from counter_client.model import Notice
from shared.client.connection import new_req
from shared.qt.i18n import install_translations


@pytest.fixture
def chinese(qapp):
    install_translations(qapp, "zh_CN")
    yield
    install_translations(qapp, "en")


@pytest.fixture
def window(qtbot, hall_server, chinese):
    window = build_window(hall_server.host, hall_server.port, 1, reconnect_min_s=0.05)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.model.connection == "online")
    page = window.login_page
    page.clerk_edit.setText("1001")
    page.pin_edit.setText("1234")
    qtbot.mouseClick(page.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.logged_in and not window.model.busy)
    yield window
    window.close()


def issue(hall_server: Any, count: int) -> None:
    with hall_server.client("kiosk", "time-kiosk") as kiosk:
        for _ in range(count):
            ticket = kiosk.call("issue", service="pension_enrol", req=new_req())["ticket"]
            kiosk.call("printed", ticket=ticket["id"])


def test_the_bottom_line_stays_whole_under_a_long_message(qtbot, window, hall_server):
    issue(hall_server, 12)
    qtbot.waitUntil(lambda: window.main_page.waiting_list.count() == 12)
    window.model.show_notice(
        Notice("error", "disconnected", {}, "服务器说明：" + "很长的说明文字" * 12)
    )
    qtbot.waitUntil(
        lambda: window.main_page.notice.isVisible() and window.main_page.figures.text() != ""
    )
    qtbot.wait(50)  # the layout settles
    figures = window.main_page.figures
    needed = figures.heightForWidth(figures.width())
    assert figures.height() >= needed, (figures.height(), needed, figures.text())
    bottom = figures.mapTo(window, figures.rect().bottomLeft()).y()
    assert bottom <= window.height(), (bottom, window.height())


def test_waiting_minutes_run_on_without_an_event(qtbot, window, hall_server):
    issue(hall_server, 1)
    qtbot.waitUntil(lambda: window.main_page.waiting_list.count() == 1)
    before = window.main_page.waiting_list.item(0).text()
    # Five minutes pass on the hall's clock, no event: the server's time is read again.
    later = datetime.fromtimestamp(window.model.server_now() + 5 * 60).astimezone()
    window.model.on_hello({"server_time": later.isoformat()})
    window.main_page.waiting_list.queue_clock.setInterval(50)  # instead of waiting half a minute
    qtbot.waitUntil(lambda: "5 分钟" in window.main_page.waiting_list.item(0).text(), timeout=3000)
    assert window.main_page.waiting_list.item(0).text() != before


def test_the_lockout_names_staff_as_the_rest_of_the_window_does(window):
    detail = "too many wrong PINs: clerk 1001 is locked out until 20:16"
    text = window.texts.login_refusal_text("not_authenticated", "locked_out", detail)
    assert "20:16" in text
    assert "工作人员" in text and "柜员" not in text
