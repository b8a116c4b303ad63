"""The board of a county hall: many counters, 20 departments, boards given some counters."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from display_board.views.board import DisplayBoard
from display_board.views.style import MIN_COUNTER_LABEL_PX
from shared.config.hall import parse_counter_range
from shared.qt.i18n import install_translations

SCREENS = [(1920, 1080), (1080, 1920)]
DEPARTMENTS = [(f"dept{n:02d}", f"部门{n:02d}综合服务") for n in range(1, 21)]


def ticket(ticket_id: int, number: str, counter: int) -> dict:
    return {"id": ticket_id, "number": number, "service": "svc", "category": "dept01",
            "priority": False, "state": "called", "issued_at": "2026-11-26T09:00:00+08:00",
            "called_at": "2026-11-26T09:30:00+08:00", "counter": counter, "calls": 1}  # fmt: skip


def hall(counters: int, open_every: int = 1) -> dict:
    """`counters` counters, every `open_every`-th open and holding a ticket, 20 departments."""
    rows = []
    for number in range(1, counters + 1):
        is_open = number % open_every == 0
        rows.append({"number": number, "name": f"{number}号窗口",
                     "state": "open" if is_open else "closed", "clerk": None,
                     "ticket": ticket(number, f"A{100 + number}", number) if is_open else None,
                     "services": [f"s{(number - 1) % 20 + 1:02d}"]})  # fmt: skip
    calls = [{"ticket": ticket(n, f"A{100 + n}", n), "counter": n,
              "at": f"2026-11-26T09:{n % 60:02d}:00+08:00", "recall": False}
             for n in range(counters, max(0, counters - 10), -1) if n % open_every == 0]  # fmt: skip
    return {"seq": 1, "hall": "青山县政务服务中心", "day": "2026-11-26", "counters": rows,
            "recent_calls": calls, "waiting": {code: 10 + i for i, (code, _) in enumerate(DEPARTMENTS)},
            "issuing": True, "kiosks": []}  # fmt: skip


CATALOG = {
    "categories": [{"code": c, "prefix": "A", "name": zh, "name_en": ""} for c, zh in DEPARTMENTS],
    "services": [{"code": f"s{n:02d}", "category": f"dept{n:02d}"} for n in range(1, 21)],
}


@pytest.fixture
def zh(qapp):
    yield install_translations(qapp, "zh_CN")
    install_translations(qapp, "en")


def make_board(qtbot, snapshot: dict, size: tuple[int, int], **options) -> DisplayBoard:
    board = DisplayBoard(notice="请留意叫号，过号请重新取号", **options)
    qtbot.addWidget(board)
    board.apply_snapshot(snapshot)
    board.apply_catalog(CATALOG)
    board.resize(*size)
    board.show()
    qtbot.waitExposed(board)
    board.layout().activate()
    return board


def assert_inside(board: DisplayBoard, widget: QWidget, what: str) -> None:
    rect = widget.rect()
    top_left = widget.mapTo(board, rect.topLeft())
    bottom_right = widget.mapTo(board, rect.bottomRight())
    assert board.rect().contains(top_left) and board.rect().contains(bottom_right), (
        f"{what} at {top_left.toTuple()}-{bottom_right.toTuple()} is off the "
        f"{board.width()}x{board.height()} screen"
    )


@pytest.mark.parametrize("size", SCREENS)
@pytest.mark.parametrize("counters", [24, 60, 99])
def test_every_board_widget_lies_inside_the_screen(qtbot, zh, counters, size):
    board = make_board(qtbot, hall(counters, open_every=1), size)
    assert (board.width(), board.height()) == size
    for widget in (board.header, board.headline, board.recent_panel, board.ticker):
        assert widget.isVisible()
        assert_inside(board, widget, type(widget).__name__)
    shown_cells = [cell for cell in board.counter_cells if cell.isVisible()]
    assert shown_cells and len(shown_cells) <= board.counter_capacity()
    for cell in shown_cells:
        assert_inside(board, cell, f"counter {cell.number}")
        assert cell.name.font().pixelSize() >= MIN_COUNTER_LABEL_PX
        assert cell.name.fontMetrics().horizontalAdvance(cell.name.text()) <= cell.name.width()
    departments = [cell for cell in board.department_cells if cell.isVisible()]
    assert len(departments) == 20  # 20 departments, legible in both orientations
    for cell in departments:
        assert_inside(board, cell, f"department {cell.name.text()}")
        assert cell.count.font().pixelSize() >= 24
    # Every counter is shown: at once, or on the pages that turn.
    seen: set[int] = set()
    _, pages = board.shown_counters()
    for _ in range(pages):
        seen.update(cell.number for cell in board.counter_cells if cell.isVisible())
        board.turn_counter_page()
        board.layout().activate()
        for cell in board.counter_cells:
            if cell.isVisible():
                assert_inside(board, cell, f"counter {cell.number} on a turned page")
    assert seen == set(range(1, counters + 1))
    assert (pages > 1) == (counters > board.counter_capacity())


def test_a_big_hall_with_few_open_counters_shows_only_those_without_pages(qtbot, zh):
    board = make_board(qtbot, hall(60, open_every=3), (1920, 1080))
    shown, pages = board.shown_counters()
    assert pages == 1 and [c.number for c in shown] == list(range(3, 61, 3))


def test_busiest_departments_and_the_rest_summed_when_the_hall_asks(qtbot, zh):
    board = make_board(qtbot, hall(24), (1920, 1080), waiting_mode="busiest", busiest=5)
    cells = [cell for cell in board.department_cells if cell.isVisible()]
    assert [c.name.text() for c in cells[:5]] == [name for _, name in DEPARTMENTS[15:]]
    assert cells[5].count.text().startswith(str(sum(10 + i for i in range(15))))


def test_a_board_assigned_counters_25_to_60_shows_and_speaks_only_theirs(qtbot, zh):
    spoken = []
    board = DisplayBoard(notice="")
    qtbot.addWidget(board)
    board.model.assigned = parse_counter_range("25-60")
    board.callShown.connect(lambda number, counter, recall: spoken.append(counter))
    board.apply_snapshot(hall(99))
    board.apply_catalog(CATALOG)
    board.resize(1920, 1080)
    board.show()
    assert sorted(board.model.counters) == list(range(25, 61))
    assert all(call.counter in range(25, 61) for call in board.model.recent)
    # Counters 25-60 serve s05..s20 and s01..s0x: the departments they serve, no others.
    served = {f"dept{(n - 1) % 20 + 1:02d}" for n in range(25, 61)}
    assert {d.code for d, _ in board.model.waiting_by_department()} == served
    for seq, counter in ((2, 3), (3, 30)):
        board.handle_event(
            "ticket_called",
            seq,
            {"ticket": ticket(500 + seq, f"B{seq}", counter), "counter": counter, "recall": False},
        )
    assert spoken == [30]
    assert board.headline.number.text() == "B3"


@pytest.mark.parametrize(
    ("text", "numbers"), [("25-60", set(range(25, 61))), ("1-3, 7", {1, 2, 3, 7}), ("5", {5})]
)
def test_counter_ranges(text, numbers):
    assert parse_counter_range(text) == numbers


@pytest.mark.parametrize("text", ["", "a-b", "60-25", "0-3", "1-1000"])
def test_bad_counter_ranges_are_named(text):
    with pytest.raises(ValueError):
        parse_counter_range(text)


def test_the_hall_file_names_boards_and_their_counters(tmp_path):
    from display_board.app import parse_options

    hall = tmp_path / "hall.toml"
    hall.write_text(
        '[board]\nwaiting = "busiest"\nbusiest = 6\n\n'
        '[[boards]]\nname = "二楼"\ncounters = "25-60"\n',
        encoding="utf-8",
    )
    options = parse_options(["--config", str(hall), "--board", "二楼"], env={})
    assert options.counters == frozenset(range(25, 61))
    assert (options.config.board_waiting, options.config.board_busiest) == ("busiest", 6)
    assert parse_options(["--counters", "1-3"], env={}).counters == {1, 2, 3}


@pytest.mark.parametrize(
    ("argv", "problem"),
    [(["--counters", "60-25"], "--counters"), (["--board", "三楼"], "--board")],
)
def test_bad_board_assignments_are_named(capsys, argv, problem):
    from display_board.app import parse_options

    with pytest.raises(SystemExit):
        parse_options(argv, env={})
    assert problem in capsys.readouterr().err
