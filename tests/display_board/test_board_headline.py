"""The board's headline never lies, against a real hall server: it clears when its ticket is
finished, transferred or marked no-show, when its counter pauses or closes, and a board
started later never replays an old call. Counter tiles show their department on a second
line at a readable size."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from display_board.app import build_board
from shared.config.hall import CounterConfig

pytestmark = pytest.mark.call_gap(0)  # calls within seconds; the gap has its own tests


@pytest.fixture
def hall_config(hall_config):
    counters = tuple(
        CounterConfig(n, f"{n}号窗口（不动产）" if n == 20 else f"{n}号窗口") for n in range(9, 25)
    )
    return replace(hall_config, counters=counters, kiosk_names=(("kiosk-net", "东门取号机"),))


def issue(server, count: int) -> list[dict]:
    with server.client("admin", "headline-admin") as admin:
        tickets = []
        for _ in range(count):
            ticket = admin.call("issue", service="pension_enrol", req=uuid.uuid4().hex)["ticket"]
            tickets.append(admin.call("printed", ticket=ticket["id"])["ticket"])
        return tickets


def make_board(qtbot, server):
    board = build_board(server.host, server.port, config=server.config, reconnect_min_s=0.05)
    qtbot.addWidget(board)
    board.resize(1920, 1080)
    board.show()
    qtbot.waitUntil(lambda: board.connection.online and board.model.seq is not None, timeout=10000)
    return board


@pytest.fixture
def board(qtbot, hall_server):
    board = make_board(qtbot, hall_server)
    yield board
    board.connection.stop()


@pytest.fixture
def counter(hall_server):
    client = hall_server.counter(21, "t21", "1234")
    yield client
    client.close()


def call_next(client) -> dict:
    return client.call("call_next", req=uuid.uuid4().hex)["ticket"]


def shows(board, number: str) -> bool:
    return board.headline.number.text() == number


def cleared(board) -> bool:
    return board.headline.number.text() == "" and board.model.headline is None


def test_headline_clears_when_its_ticket_is_finished(qtbot, hall_server, board, counter):
    (ticket,) = issue(hall_server, 1)
    call_next(counter)
    qtbot.waitUntil(lambda: shows(board, ticket["number"]), timeout=5000)
    counter.call("start")
    qtbot.wait(200)
    assert shows(board, ticket["number"])  # being served there: still true
    counter.call("finish")
    qtbot.waitUntil(lambda: cleared(board), timeout=5000)
    # The call stays in the recent list, not as the headline.
    assert board.recent_rows[0].number.text() == ticket["number"]
    assert not board.flashing()


def test_headline_clears_when_its_ticket_is_transferred_or_a_no_show(
    qtbot, hall_server, board, counter
):
    first, second = issue(hall_server, 2)
    call_next(counter)
    qtbot.waitUntil(lambda: shows(board, first["number"]), timeout=5000)
    counter.call("transfer", service="ss_card_apply", req=uuid.uuid4().hex)
    qtbot.waitUntil(lambda: cleared(board), timeout=5000)
    counter.call("call", ticket=second["number"], req=uuid.uuid4().hex)
    qtbot.waitUntil(lambda: shows(board, second["number"]), timeout=5000)
    counter.call("no_show")
    qtbot.waitUntil(lambda: cleared(board), timeout=5000)


def test_headline_clears_when_its_counter_pauses_or_closes(qtbot, hall_server, board, counter):
    first, _second = issue(hall_server, 2)
    call_next(counter)
    qtbot.waitUntil(lambda: shows(board, first["number"]), timeout=5000)
    counter.call("finish")
    counter.call("pause", reason="午休")
    qtbot.waitUntil(lambda: cleared(board), timeout=5000)
    assert board.counter_cell(21).status.text() == board.tr("Paused")


def test_headline_clears_when_its_counter_is_paused_while_the_ticket_is_called(qtbot, board):
    # However the hall got there (an administrator's change, an event seen late), a paused
    # or closed counter never keeps the headline.
    seq = board.model.seq
    called = {"id": 99, "number": "H007", "state": "called", "calls": 1}
    tile = {"number": 21, "name": "21号窗口", "state": "open", "ticket": None}
    board.handle_event("counter_changed", seq + 1, {"counter": tile})
    board.handle_event("ticket_called", seq + 2, {"ticket": called, "counter": 21})
    assert shows(board, "H007")
    for state, step in (("paused", 3), ("closed", 4)):
        tile = {"number": 21, "name": "21号窗口", "state": state, "ticket": called}
        board.handle_event("counter_changed", seq + step, {"counter": tile})
        assert cleared(board), state
        assert board.recent_rows[0].number.text() == "H007"


def test_a_board_started_later_does_not_replay_an_old_call(qtbot, hall_server, counter):
    done, called = issue(hall_server, 2)
    call_next(counter)
    counter.call("recall")
    counter.call("finish")  # `done` is finished after a recall
    board = make_board(qtbot, hall_server)
    try:
        assert cleared(board)  # no "再次呼叫" of a finished ticket at start-up
        assert not board.flashing()
        call_next(counter)
        counter.call("recall")
        qtbot.waitUntil(lambda: shows(board, called["number"]), timeout=5000)
        assert board.headline.caption.text() == board.tr("Calling again")
    finally:
        board.connection.stop()
    later = make_board(qtbot, hall_server)
    try:
        # Still called: shown (the resident is still expected), but not as a recall.
        assert shows(later, called["number"])
        assert later.headline.caption.text() == later.tr("Now calling")
        assert not later.flashing()
    finally:
        later.connection.stop()


def test_recent_calls_name_the_counter_by_its_number_part(qtbot, hall_server, board):
    with (
        hall_server.counter(20, "t20", "1234") as twenty,
        hall_server.counter(21, "t21", "1234") as c21,
    ):
        issue(hall_server, 2)
        call_next(twenty)
        call_next(c21)  # the call at 20 moves down into the recent list
        qtbot.waitUntil(lambda: board.recent_rows[0].counter.text() == "20号窗口", timeout=5000)


def test_kiosk_trouble_uses_its_friendly_name_legibly(qtbot, hall_server, board):
    with hall_server.client("kiosk", "kiosk-net") as kiosk:
        kiosk.call("kiosk_status", printer="paper_out")
        qtbot.waitUntil(lambda: board.staff_note.isVisibleTo(board), timeout=5000)
        assert (
            "东门取号机" in board.staff_note.text() and "kiosk-net" not in board.staff_note.text()
        )
        assert board.staff_note.font().pixelSize() >= 24


def test_counter_tiles_show_the_number_part_at_a_readable_size(qtbot, hall_server, board):
    cell = board.counter_cell(20)
    assert cell.name.text() == "20号窗口"  # not "20号窗口（不动产）" squeezed to fit
    assert cell.name.fontInfo().pixelSize() >= 32
