"""A board left on for weeks: thousands of calls must not add widgets or keep old calls."""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QWidget

from bench.board import HALL, HallTraffic, catalog, snapshot
from display_board.model.items import Call
from display_board.views.board import DisplayBoard

CALLS = 3000


def widget_count(board: QWidget) -> int:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return len(board.findChildren(QWidget))


def live_calls() -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if type(obj) is Call)


def test_thousands_of_calls_keep_widgets_and_memory_flat(qtbot, qapp):
    board = DisplayBoard(hall_name=HALL, notice="一窗受理 · 一号通办")
    qtbot.addWidget(board)
    board.resize(1920, 1080)
    board.show()
    board.apply_snapshot(snapshot())
    board.apply_catalog(catalog())
    traffic = HallTraffic(board.handle_event, qapp.processEvents)

    traffic.calls(1, 200)  # every row, cell and style in use once
    widgets_before = widget_count(board)
    calls_before = live_calls()

    traffic.calls(200, 200 + CALLS)

    widgets_after = widget_count(board)
    calls_after = live_calls()
    print(f"widgets before {widgets_before}, after {CALLS} more calls {widgets_after}")
    assert widgets_after == widgets_before
    assert calls_after <= calls_before
    assert len(board.model.recent) == board.model.recent_limit
    last = 200 + CALLS - 1
    assert board.model.latest.ticket_id == last
    assert board.headline.number.text() == board.model.latest.number
    assert board.model.seq == traffic.seq
