"""The counter window (pytest-qt) against a real hall server: login, every action from its
shortcut, double presses, and a server restart in the middle of a ticket."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter_client.app import build_window
from counter_client.views.dialogs import CallDialog, NoShowDialog, TextDialog, TransferDialog
from shared.qt.i18n import install_translations
from tests.counter_client.window_support import (
    accept,
    counter_on_server,
    issue,
    login,
    press,
    settle,
    shown_queue,
    window_name_of,
)


@pytest.fixture
def chinese(qapp):
    install_translations(qapp, "zh_CN")
    yield
    install_translations(qapp, "en")


def test_wrong_pin_is_refused_with_a_clear_message(qtbot, open_window, chinese):
    window = open_window(1)
    assert window.pages.currentWidget() is window.login_page
    window.login_page.clerk_edit.setText("1001")
    window.login_page.pin_edit.setText("0000")
    qtbot.mouseClick(window.login_page.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.login_page.message.text() != "")
    assert "密码错误" in window.login_page.message.text()
    assert window.login_page.pin_edit.text() == ""
    assert not window.model.logged_in
    login(qtbot, window)
    assert window.pages.currentWidget() is window.main_page
    assert "张敏" in window.main_page.clerk_name.text()
    assert window.main_page.buttons["call_next"].text() == "叫号\nF1"


def test_call_next_start_finish_from_the_keyboard(qtbot, hall_server, admin, open_window):
    first, second = issue(admin), issue(admin, "ss_card_apply")
    window = open_window(1)
    login(qtbot, window)
    qtbot.waitUntil(lambda: shown_queue(window) == [first, second])
    assert not window.main_page.buttons["finish"].isEnabled()

    press(qtbot, window, "call_next")
    qtbot.waitUntil(lambda: window.main_page.ticket_number.text() == first)
    assert window.main_page.ticket_state.text() == "Called"
    assert re.fullmatch(r"\d\d:\d\d", window.main_page.ticket_timer.text())
    assert window.main_page.ticket_service.text() == window.model.service_name("pension_enrol")
    qtbot.waitUntil(lambda: shown_queue(window) == [second])
    assert "1" in window.main_page.waiting_title.text()
    assert counter_on_server(hall_server, 1)["ticket"]["number"] == first

    press(qtbot, window, "start")
    qtbot.waitUntil(lambda: window.main_page.ticket_state.text() == "Serving")
    assert not window.main_page.buttons["start"].isEnabled()
    assert not window.main_page.buttons["no_show"].isEnabled()

    press(qtbot, window, "finish")
    qtbot.waitUntil(lambda: window.model.ticket is None)
    # The day's figures come from the server (clerk_stats) a moment after the finish.
    qtbot.waitUntil(lambda: window.model.figures.served == 1, timeout=5000)
    assert "served 1" in window.main_page.figures.text()
    assert counter_on_server(hall_server, 1)["ticket"] is None


def test_recall_announces_the_same_ticket_again(qtbot, admin, open_window):
    number = issue(admin)
    window = open_window(1)
    login(qtbot, window)
    press(qtbot, window, "call_next")
    qtbot.waitUntil(lambda: window.main_page.ticket_number.text() == number)
    settle(qtbot, window)
    press(qtbot, window, "recall")
    qtbot.waitUntil(lambda: window.model.ticket["calls"] == 2)
    assert window.main_page.ticket_number.text() == number


def test_no_show_then_reactivate_by_number(qtbot, admin, open_window):
    first, second = issue(admin), issue(admin)
    window = open_window(1)
    login(qtbot, window)
    press(qtbot, window, "call_next")
    qtbot.waitUntil(lambda: window.main_page.ticket_number.text() == first)
    settle(qtbot, window)
    press(qtbot, window, "no_show")
    qtbot.waitUntil(lambda: window.model.ticket is None)
    qtbot.waitUntil(lambda: window.model.figures.no_shows == 1, timeout=5000)
    qtbot.waitUntil(lambda: shown_queue(window) == [second])

    press(qtbot, window, "reactivate")
    dialog = window.dialog
    assert isinstance(dialog, NoShowDialog)
    # Today's no-shows are listed (the `no_shows` op): pick one instead of typing it.
    qtbot.waitUntil(lambda: dialog.tickets.count() == 1)
    assert dialog.tickets.item(0).data(Qt.ItemDataRole.UserRole) == first
    dialog.tickets.setCurrentRow(0)
    assert dialog.number() == first
    accept(qtbot, window)
    qtbot.waitUntil(lambda: shown_queue(window) == [second, first])
    assert first in window.main_page.notice.text()


def test_reactivate_by_a_typed_number_of_lower_case(qtbot, admin, open_window):
    first = issue(admin)
    window = open_window(1)
    login(qtbot, window)
    press(qtbot, window, "call_next")
    qtbot.waitUntil(lambda: window.main_page.ticket_number.text() == first)
    settle(qtbot, window)
    press(qtbot, window, "no_show")
    qtbot.waitUntil(lambda: window.model.ticket is None)
    settle(qtbot, window)
    press(qtbot, window, "reactivate")
    window.dialog.number_edit.setText(first.lower())
    accept(qtbot, window)
    qtbot.waitUntil(lambda: first in shown_queue(window))


def test_transfer_to_another_service_keeps_the_place(qtbot, hall_server, admin, open_window):
    first, second = issue(admin), issue(admin)
    window = open_window(1)
    login(qtbot, window)
    press(qtbot, window, "call_next")
    qtbot.waitUntil(lambda: window.main_page.ticket_number.text() == first)
    settle(qtbot, window)
    press(qtbot, window, "transfer")
    dialog = window.dialog
    assert isinstance(dialog, TransferDialog)
    assert dialog.service_box.count() == len(window.model.services)
    dialog.service_box.setCurrentIndex(dialog.service_box.findData("ss_card_apply"))
    accept(qtbot, window)
    qtbot.waitUntil(lambda: window.model.ticket is None)
    qtbot.waitUntil(lambda: shown_queue(window) == [first, second])
    moved = next(t for t in window.model.queue if t["number"] == first)
    assert moved["service"] == "ss_card_apply"


def test_transfer_to_another_counter_is_called_there_first(qtbot, hall_server, admin, open_window):
    first, second, third = issue(admin), issue(admin), issue(admin)
    one = open_window(1)
    login(qtbot, one)
    two = open_window(2)
    login(qtbot, two, "1002", "2345")
    press(qtbot, one, "call_next")
    qtbot.waitUntil(lambda: one.main_page.ticket_number.text() == first)
    settle(qtbot, one)
    press(qtbot, one, "transfer")
    dialog = one.dialog
    assert isinstance(dialog, TransferDialog)
    dialog.to_counter.setChecked(True)
    assert "李强" in dialog.counter_box.itemText(dialog.counter_box.findData(2))
    dialog.counter_box.setCurrentIndex(dialog.counter_box.findData(2))
    accept(qtbot, one)
    qtbot.waitUntil(lambda: one.model.ticket is None)
    assert window_name_of(2, hall_server) in one.main_page.notice.text()  # says where it went
    # Reserved for counter 2: counter 1 no longer sees it, counter 2 has it first.
    qtbot.waitUntil(lambda: shown_queue(one) == [second, third])
    qtbot.waitUntil(lambda: shown_queue(two) == [first, second, third])

    press(qtbot, two, "call_next")
    qtbot.waitUntil(lambda: two.main_page.ticket_number.text() == first)
    assert counter_on_server(hall_server, 2)["ticket"]["number"] == first


def test_special_call_takes_the_chosen_ticket(qtbot, admin, open_window):
    numbers = [issue(admin) for _ in range(3)]
    window = open_window(1)
    login(qtbot, window)
    qtbot.waitUntil(lambda: shown_queue(window) == numbers)
    press(qtbot, window, "call")
    dialog = window.dialog
    assert isinstance(dialog, CallDialog)
    assert dialog.tickets.count() == 3
    dialog.tickets.setCurrentRow(2)
    assert dialog.number() == numbers[2]
    accept(qtbot, window)
    qtbot.waitUntil(lambda: window.main_page.ticket_number.text() == numbers[2])
    qtbot.waitUntil(lambda: shown_queue(window) == numbers[:2])


def test_pause_with_a_reason_then_resume(qtbot, hall_server, open_window):
    window = open_window(1)
    login(qtbot, window)
    press(qtbot, window, "pause_resume")
    assert isinstance(window.dialog, TextDialog)
    window.dialog.box.setCurrentText("午休")
    accept(qtbot, window)
    qtbot.waitUntil(lambda: window.model.paused)
    assert "午休" in window.main_page.counter_state.text()
    assert not window.main_page.buttons["call_next"].isEnabled()
    assert window.main_page.buttons["pause_resume"].text().startswith("Resume")
    assert counter_on_server(hall_server, 1)["pause_reason"] == "午休"

    press(qtbot, window, "pause_resume")  # resuming asks nothing
    qtbot.waitUntil(lambda: not window.model.paused)
    assert window.dialog is None
    assert window.main_page.buttons["call_next"].isEnabled()


def test_a_double_press_calls_one_ticket(qtbot, hall_server, admin, open_window):
    first, second = issue(admin), issue(admin)
    window = open_window(1)
    login(qtbot, window)
    press(qtbot, window, "call_next")
    press(qtbot, window, "call_next")  # before the first reply can arrive
    qtbot.mouseClick(window.main_page.buttons["call_next"], Qt.MouseButton.LeftButton)
    assert not window.main_page.buttons["call_next"].isEnabled()
    qtbot.waitUntil(lambda: window.main_page.ticket_number.text() == first)
    qtbot.waitUntil(lambda: shown_queue(window) == [second])
    with hall_server.client("display", "double-check") as display:
        waiting = display.call("snapshot")["waiting"]
    assert sum(waiting.values()) == 1


def test_server_restart_mid_ticket_recovers_the_same_ticket(qtbot, hall_server, admin, open_window):
    first, second = issue(admin), issue(admin)
    admin.close()
    window = open_window(1)
    login(qtbot, window)
    press(qtbot, window, "call_next")
    qtbot.waitUntil(lambda: window.main_page.ticket_number.text() == first)
    settle(qtbot, window)

    hall_server.stop()
    qtbot.waitUntil(lambda: not window.banner.isHidden())
    assert "reconnecting" in window.banner_text.text()
    assert not any(button.isEnabled() for button in window.main_page.buttons.values())

    hall_server.start()
    qtbot.waitUntil(lambda: window.model.connection == "online", timeout=10_000)
    qtbot.waitUntil(lambda: window.banner.isHidden())
    assert window.model.logged_in  # the login was replayed
    assert window.main_page.ticket_number.text() == first
    assert window.model.ticket["state"] == "called"
    qtbot.waitUntil(lambda: shown_queue(window) == [second])
    press(qtbot, window, "start")  # and work goes on
    qtbot.waitUntil(lambda: window.main_page.ticket_state.text() == "Serving")


def test_logout_closes_the_window(qtbot, hall_server, open_window):
    window = open_window(1)
    login(qtbot, window)
    qtbot.mouseClick(window.main_page.logout_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert counter_on_server(hall_server, 1)["state"] == "closed"


def test_a_counter_the_hall_does_not_have_is_named_in_the_banner(qtbot, hall_server):
    window = build_window(hall_server.host, hall_server.port, 99, reconnect_min_s=0.05)
    qtbot.addWidget(window)
    qtbot.waitUntil(
        lambda: "99" in window.banner_text.text() and "exist" in window.banner_text.text()
    )
    assert window.pages.currentWidget() is window.login_page
    window.close()
    QApplication.processEvents()


def test_clerk_and_pin_options_log_in_at_start(qtbot, hall_server, admin, open_window):
    number = issue(admin)
    window = open_window(4, clerk="1003", pin="3456")
    qtbot.waitUntil(lambda: window.model.logged_in)
    assert "王芳" in window.main_page.clerk_name.text()
    qtbot.waitUntil(lambda: shown_queue(window) == [number])


def test_a_refused_pin_is_cleared_once_so_the_clerk_can_retype(qtbot, hall_server, open_window):
    window = open_window(1)
    page = window.login_page
    page.clerk_edit.setText("1001")
    page.pin_edit.setText("0000")
    qtbot.mouseClick(page.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.message.text() != "")
    page.pin_edit.setText("12")
    window.model.on_event("waiting_changed", 1, {"waiting": {}})  # any later re-render
    assert page.pin_edit.text() == "12"


def test_a_call_in_flight_when_the_server_goes_down_is_applied_once(
    qtbot, hall_server, admin, open_window
):
    first, second = issue(admin), issue(admin)
    admin.close()
    window = open_window(1)
    login(qtbot, window)
    press(qtbot, window, "call_next")
    hall_server.stop()  # before the Qt loop has run again: the reply cannot have been read
    qtbot.waitUntil(lambda: window.model.connection != "online")
    assert window.model.busy == "call_next"  # kept for a retry with the same req
    hall_server.start()
    qtbot.waitUntil(lambda: window.model.busy is None, timeout=10_000)
    assert window.main_page.ticket_number.text() == first
    qtbot.waitUntil(lambda: shown_queue(window) == [second])
    assert counter_on_server(hall_server, 1)["ticket"]["number"] == first


def test_transfer_finds_a_matter_by_typing_pinyin_initials_or_characters(qtbot, admin, open_window):
    first = issue(admin)
    window = open_window(1)
    login(qtbot, window)
    press(qtbot, window, "call_next")
    qtbot.waitUntil(lambda: window.main_page.ticket_number.text() == first)
    settle(qtbot, window)
    press(qtbot, window, "transfer")
    dialog = window.dialog
    assert isinstance(dialog, TransferDialog)
    target = window.model.services["ss_card_apply"]
    qtbot.keyClicks(dialog.service_search, target["pinyin"].upper())
    assert 0 < dialog.service_box.count() < len(window.model.services)
    assert dialog.service_box.currentData() == "ss_card_apply"
    dialog.service_search.clear()
    dialog.service_search.setText(target["name"])  # typed with an input method
    assert [dialog.service_box.itemData(i) for i in range(dialog.service_box.count())] == [
        "ss_card_apply"
    ]
    accept(qtbot, window)
    qtbot.waitUntil(lambda: window.model.ticket is None)
    qtbot.waitUntil(lambda: any(t["number"] == first for t in window.model.queue))
    moved = next(t for t in window.model.queue if t["number"] == first)
    assert moved["service"] == "ss_card_apply"


def test_special_call_filters_the_waiting_tickets_by_matter(qtbot, admin, open_window):
    numbers = [issue(admin) for _ in range(2)]
    other = issue(admin, "ss_card_apply")
    window = open_window(1)
    login(qtbot, window)
    qtbot.waitUntil(lambda: shown_queue(window) == [*numbers, other])
    press(qtbot, window, "call")
    dialog = window.dialog
    assert isinstance(dialog, CallDialog)
    qtbot.keyClicks(dialog.search_edit, window.model.services["ss_card_apply"]["pinyin"])
    assert dialog.tickets.count() == 1
    dialog.tickets.setCurrentRow(0)
    assert dialog.number() == other
    dialog.search_edit.clear()
    qtbot.keyClicks(dialog.search_edit, numbers[1])
    assert dialog.tickets.count() == 1
