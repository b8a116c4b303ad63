"""The board's layout on the screens a hall uses: nothing clipped, the latest number huge."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QLabel

from display_board.views.board import DisplayBoard
from shared.qt.i18n import install_translations

SCREENS = [(1920, 1080), (1366, 768), (3840, 2160), (1080, 1920)]
DEPARTMENTS = [
    ("social_insurance", "A", "社会保险", "Social Insurance"),
    ("medical_insurance", "B", "医疗保障", "Medical Insurance"),
    ("civil_affairs", "C", "民政", "Civil Affairs"),
    ("tax", "D", "税务", "Taxation"),
    ("real_estate", "E", "不动产登记", "Real Estate"),
    ("planning", "F", "规划建设", "Planning"),
    ("market", "G", "市场监管", "Market Regulation"),
    ("household", "H", "户籍", "Household"),
    ("agriculture", "J", "农业农村", "Agriculture"),
]


def ticket(ticket_id: int, number: str, counter: int, state: str = "called") -> dict:
    return {"id": ticket_id, "number": number, "service": "svc", "category": "tax",
            "priority": False, "state": state, "issued_at": "2026-11-26T09:00:00+08:00",
            "called_at": "2026-11-26T09:30:00+08:00", "counter": counter, "calls": 1}  # fmt: skip


def busy_hall() -> dict:
    """24 counters in every state, ten recent calls with wide numbers, long waits."""
    counters = []
    for number in range(1, 25):
        state = "paused" if number in (7, 8) else "closed" if number > 21 else "open"
        held = (
            ticket(number, f"E{1000 + number}", number) if state == "open" and number < 19 else None
        )
        counters.append({"number": number, "name": f"{number}号窗口", "state": state,
                         "clerk": None, "ticket": held, "services": "all"})  # fmt: skip
    calls = [
        {
            "ticket": ticket(n, f"E{1000 + n}", n),
            "counter": n,
            "at": f"2026-11-26T09:{n:02d}:00+08:00",
            "recall": n == 18,
        }  # fmt: skip
        for n in range(18, 8, -1)
    ]
    return {"seq": 1, "hall": "白沙镇政务服务中心", "day": "2026-11-26", "counters": counters,
            "recent_calls": calls, "waiting": {code: 888 for code, *_ in DEPARTMENTS},
            "issuing": True,
            "kiosks": [{"client": "kiosk-2", "printer": "paper_out", "message": "", "at": ""}]}  # fmt: skip


@pytest.fixture(params=["zh_CN", "en"])
def lang(request, qapp):
    yield install_translations(qapp, request.param)
    install_translations(qapp, "en")


@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_busy_board_fits_every_screen_without_clipping(qtbot, lang, width, height):
    board = DisplayBoard(hall_name="白沙镇政务服务中心", notice="请留意叫号", lang=lang)
    qtbot.addWidget(board)
    board.apply_snapshot(busy_hall())
    board.apply_catalog(
        {
            "categories": [
                {"code": c, "prefix": p, "name": zh, "name_en": en} for c, p, zh, en in DEPARTMENTS
            ]
        }
    )
    board.resize(width, height)
    board.show()
    qtbot.waitExposed(board)
    board.layout().activate()
    assert (board.width(), board.height()) == (width, height)  # the content never grows the board

    # The latest number: its digits at least a sixth of the screen's height, and all of it seen.
    number = board.headline.number
    assert number.text() == "E1018"
    assert number.cap_height() >= height / 6, f"number {number.size()} on {width}x{height}"
    font, squeeze = number.fitted_font()
    assert QFontMetricsF(font).horizontalAdvance(number.text()) * squeeze <= number.width()

    # Every piece of text on the board fits its box.
    labels = [
        label for label in board.findChildren(QLabel) if label.isVisibleTo(board) and label.text()
    ]
    assert len(labels) > 60
    for label in labels:
        advance = label.fontMetrics().horizontalAdvance(label.text())
        assert advance <= label.width(), f"{label.text()!r} is clipped at {width}x{height}"
        assert label.font().pixelSize() <= label.height(), f"{label.text()!r} is cut off vertically"
        top_left = label.mapTo(board, label.rect().topLeft())
        bottom_right = label.mapTo(board, label.rect().bottomRight())
        assert board.rect().contains(top_left) and board.rect().contains(bottom_right), (
            f"{label.text()!r} runs off the {width}x{height} screen"
        )

    # From ten metres: the recent calls and the counters are not small print.
    short_side = min(width, height)
    assert board.recent_rows[0].number.font().pixelSize() >= short_side / 25
    assert board.counter_cell(1).status.font().pixelSize() >= short_side / 30
    assert board.headline.destination.font().pixelSize() >= short_side / 20
    assert min(cell.count.font().pixelSize() for cell in board.department_cells) >= short_side / 40


def test_notice_scrolls_only_when_it_is_wider_than_the_screen(qtbot):
    board = DisplayBoard(hall_name="白沙镇政务服务中心", notice="请留意叫号")
    qtbot.addWidget(board)
    board.resize(1920, 1080)
    board.show()
    qtbot.waitExposed(board)
    assert not board.ticker.scrolling()

    board.ticker.setText("  ".join(["一窗受理 · 一号通办，请留意叫号，过号请重新取号"] * 6))
    assert board.ticker.scrolling()
    first = board.ticker.offset
    qtbot.waitUntil(lambda: board.ticker.offset != first, timeout=2000)
