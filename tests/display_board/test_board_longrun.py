"""A board left on for weeks: thousands of calls must not add widgets or keep old calls."""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QWidget

from display_board.board import DisplayBoard
from display_board.model import Call

CALLS = 3000
CATEGORIES = [
    {"code": code, "prefix": prefix, "name": name}
    for code, prefix, name in (
        ("social_insurance", "A", "社会保险"),
        ("medical_insurance", "B", "医疗保障"),
        ("civil_affairs", "C", "民政"),
        ("tax", "D", "税务"),
        ("real_estate", "E", "不动产登记"),
    )
]


def ticket(ticket_id: int, number: str, state: str, counter: int) -> dict:
    return {
        "id": ticket_id,
        "number": number,
        "service": "svc",
        "category": "social_insurance",
        "priority": False,
        "state": state,
        "issued_at": "2026-11-26T09:00:00+08:00",
        "called_at": "2026-11-26T09:10:00+08:00",
        "counter": counter,
        "calls": 1,
    }


def counter(number: int, state: str = "open", held: dict | None = None) -> dict:
    clerk = {"id": "1001", "name": "张敏"} if state != "closed" else None
    return {"number": number, "name": f"{number}号窗口", "state": state, "clerk": clerk,
            "ticket": held, "services": "all"}  # fmt: skip


def widget_count(board: QWidget) -> int:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return len(board.findChildren(QWidget))


def live_calls() -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if type(obj) is Call)


def test_thousands_of_calls_keep_widgets_and_memory_flat(qtbot, qapp):
    board = DisplayBoard(hall_name="白沙镇政务服务中心", notice="一窗受理 · 一号通办")
    qtbot.addWidget(board)
    board.resize(1920, 1080)
    board.show()
    board.apply_snapshot(
        {
            "seq": 0,
            "hall": "白沙镇政务服务中心",
            "day": "2026-11-26",
            "counters": [counter(n) for n in range(1, 25)],
            "recent_calls": [],
            "waiting": {c["code"]: 0 for c in CATEGORIES},
            "issuing": True,
            "kiosks": [],
        }
    )
    board.apply_catalog({"hall": "白沙镇政务服务中心", "categories": CATEGORIES, "services": []})
    seq = 0

    def push(name: str, data: dict) -> None:
        nonlocal seq
        seq += 1
        board.handle_event(name, seq, data)

    def hall_activity(first: int, last: int) -> None:
        for index in range(first, last):
            at_counter = 1 + index % 24
            prefix = CATEGORIES[index % len(CATEGORIES)]["prefix"]
            called = ticket(index, f"{prefix}{index:03d}", "called", at_counter)
            push("ticket_called", {"ticket": called, "counter": at_counter, "recall": False})
            push("counter_changed", {"counter": counter(at_counter, "open", called)})
            push("waiting_changed", {"waiting": {c["code"]: index % 40 for c in CATEGORIES}})
            if index % 7 == 0:
                push("ticket_called", {"ticket": called, "counter": at_counter, "recall": True})
            if index % 5 == 0:
                push(
                    "ticket_changed",
                    {"ticket": ticket(index, called["number"], "serving", at_counter)},
                )
            if index % 97 == 0:
                push("counter_changed", {"counter": counter(at_counter, "paused")})
            if index % 500 == 0:
                kiosk = {"client": "kiosk-1", "printer": "paper_out" if index % 1000 else "ok",
                         "message": "", "at": ""}  # fmt: skip
                push("kiosk_changed", {"kiosk": kiosk})
            if index % 100 == 0:
                qapp.processEvents()

    hall_activity(1, 200)  # every row, cell and style in use once
    widgets_before = widget_count(board)
    calls_before = live_calls()

    hall_activity(200, 200 + CALLS)

    widgets_after = widget_count(board)
    calls_after = live_calls()
    print(f"widgets before {widgets_before}, after {CALLS} more calls {widgets_after}")
    assert widgets_after == widgets_before
    assert calls_after <= calls_before
    assert len(board.model.recent) == board.model.recent_limit
    last = 200 + CALLS - 1
    assert board.model.latest.ticket_id == last
    assert board.headline.number.text() == board.model.latest.number
    assert board.model.seq == seq
