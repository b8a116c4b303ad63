"""Names and messages from the hall's clients are shown as typed, never read as markup."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from counter_client.app import build_window
from display_board.app import build_board
from queue_kiosk.app import Kiosk
from queue_kiosk.printing import open_printer
from shared.config.hall import CounterConfig

MARKUP = "<font size=7 color=red>大字</font>"


@pytest.fixture
def hall_config(hall_config):
    counters = (CounterConfig(1, MARKUP + "1号"), *hall_config.counters[1:4])
    return replace(hall_config, hall_name=MARKUP + "中心", counters=counters)


def assert_all_labels_plain(widget: QWidget) -> None:
    labels = widget.findChildren(QLabel)
    assert labels
    rich = [
        label.objectName() or label.text()
        for label in labels
        if label.textFormat() != Qt.TextFormat.PlainText
    ]
    assert rich == [], f"labels that may read markup: {rich}"


def test_board_shows_kiosk_and_counter_names_as_plain_text(qtbot, hall_server):
    board = build_board(
        hall_server.host, hall_server.port, config=hall_server.config, reconnect_min_s=0.05
    )
    qtbot.addWidget(board)
    board.resize(1280, 720)
    board.show()
    kiosk = hall_server.client("kiosk", MARKUP)
    try:
        kiosk.call("kiosk_status", printer="paper_out", message=MARKUP)
        qtbot.waitUntil(lambda: board.staff_note.isVisibleTo(board), timeout=5000)
        assert MARKUP in board.staff_note.text()
        assert board.counter_cell(1).name.text() == MARKUP + "1号"
        assert MARKUP in board.hall_label.text()
        assert_all_labels_plain(board)
    finally:
        kiosk.close()
        board.connection.stop()


def test_counter_window_shows_hall_and_counter_names_as_plain_text(qtbot, hall_server):
    window = build_window(hall_server.host, hall_server.port, 1, reconnect_min_s=0.05)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.connection == "online", timeout=5000)
    qtbot.waitUntil(lambda: MARKUP in window.model.hall, timeout=5000)
    window.model.login("1001", "1234")
    qtbot.waitUntil(lambda: window.model.logged_in, timeout=5000)
    counter = hall_server.counter(2, "1002", "2345")
    counter.call("pause", reason=MARKUP)
    counter.close()
    assert_all_labels_plain(window)
    window.close()


def test_kiosk_shows_the_hall_name_as_plain_text(qtbot, qapp, hall_server):
    kiosk = Kiosk(
        hall_server.host,
        hall_server.port,
        printer=open_printer("none"),
        config=hall_server.config,
        client_name="kiosk-plain",
        reconnect_max_s=0.2,
    )
    kiosk.window.show()
    kiosk.start()
    try:
        qtbot.waitUntil(lambda: kiosk.model.online and bool(kiosk.model.categories), timeout=5000)
        assert any(MARKUP in label.text() for label in kiosk.window.findChildren(QLabel))
        assert_all_labels_plain(kiosk.window)
    finally:
        kiosk.close()
