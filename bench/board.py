"""A lobby board fed a long day of calls: RSS and widget count before and after.

`python -m bench.board --calls 10000` (offscreen) prints one JSON object. The same
traffic drives the board's long-run test.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
from collections.abc import Callable
from typing import Any

from bench.calibrate import rss_mb

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
HALL = "白沙镇政务服务中心"


def ticket(ticket_id: int, number: str, state: str, counter: int) -> dict[str, Any]:
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


def counter(number: int, state: str = "open", held: dict[str, Any] | None = None) -> dict[str, Any]:
    clerk = {"id": "1001", "name": "张敏"} if state != "closed" else None
    return {
        "number": number,
        "name": f"{number}号窗口",
        "state": state,
        "clerk": clerk,
        "ticket": held,
        "services": "all",
    }


def snapshot() -> dict[str, Any]:
    return {
        "seq": 0,
        "hall": HALL,
        "day": "2026-11-26",
        "counters": [counter(n) for n in range(1, 25)],
        "recent_calls": [],
        "waiting": {c["code"]: 0 for c in CATEGORIES},
        "issuing": True,
        "kiosks": [],
    }


def catalog() -> dict[str, Any]:
    return {"hall": HALL, "categories": CATEGORIES, "services": []}


class HallTraffic:
    """The events a busy hall sends a board: calls, recalls, starts, pauses, printer notes."""

    def __init__(
        self, handle: Callable[[str, int, dict[str, Any]], None], process: Callable[[], None]
    ) -> None:
        self.handle, self.process, self.seq = handle, process, 0

    def push(self, name: str, data: dict[str, Any]) -> None:
        self.seq += 1
        self.handle(name, self.seq, data)

    def calls(self, first: int, last: int) -> None:
        for index in range(first, last):
            at_counter = 1 + index % 24
            prefix = CATEGORIES[index % len(CATEGORIES)]["prefix"]
            called = ticket(index, f"{prefix}{index:03d}", "called", at_counter)
            self.push("ticket_called", {"ticket": called, "counter": at_counter, "recall": False})
            self.push("counter_changed", {"counter": counter(at_counter, "open", called)})
            self.push("waiting_changed", {"waiting": {c["code"]: index % 40 for c in CATEGORIES}})
            if index % 7 == 0:
                self.push(
                    "ticket_called", {"ticket": called, "counter": at_counter, "recall": True}
                )
            if index % 5 == 0:
                self.push(
                    "ticket_changed",
                    {"ticket": ticket(index, called["number"], "serving", at_counter)},
                )
            if index % 97 == 0:
                self.push("counter_changed", {"counter": counter(at_counter, "paused")})
            if index % 500 == 0:
                printer = "paper_out" if index % 1000 else "ok"
                self.push(
                    "kiosk_changed",
                    {"kiosk": {"client": "kiosk-1", "printer": printer, "message": "", "at": ""}},
                )
            if index % 100 == 0:
                self.process()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=10_000)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication, QWidget

    from display_board.views.board import DisplayBoard
    from display_board.voice.announcer import Announcer
    from display_board.voice.base import SilentEngine

    app = QApplication([])
    announcer = Announcer(SilentEngine("zh_CN"))
    board = DisplayBoard(hall_name=HALL, notice="一窗受理 · 一号通办", announcer=announcer)
    board.resize(1920, 1080)
    board.show()
    board.apply_snapshot(snapshot())
    board.apply_catalog(catalog())

    def widgets() -> int:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        return len(board.findChildren(QWidget))

    traffic = HallTraffic(board.handle_event, app.processEvents)
    traffic.calls(1, 500)  # every row, cell and style in use once
    app.processEvents()
    gc.collect()
    before = {"widgets": widgets(), "rss": rss_mb(os.getpid())}
    traffic.calls(500, 500 + args.calls)
    app.processEvents()
    gc.collect()
    after = {"widgets": widgets(), "rss": rss_mb(os.getpid())}
    print(
        json.dumps(
            {
                "calls": args.calls,
                "widgets_before": before["widgets"],
                "widgets_after": after["widgets"],
                "rss_before_mb": round(before["rss"], 1),
                "rss_after_mb": round(after["rss"], 1),
            }
        )
    )


if __name__ == "__main__":
    main()
