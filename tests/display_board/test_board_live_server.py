"""The display board against a real hall server: calls, bursts, recalls, pauses, outages, gaps."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from display_board.app import build_board
from display_board.voice.announcer import Announcer
from display_board.voice.tts import TtsEngine


def issue(server, count: int, service: str = "pension_enrol") -> list[dict]:
    admin = server.client("admin", "test-admin")
    try:
        tickets = []
        for _ in range(count):
            ticket = admin.call("issue", service=service, req=uuid.uuid4().hex)["ticket"]
            tickets.append(admin.call("printed", ticket=ticket["id"])["ticket"])
        return tickets
    finally:
        admin.close()


def open_counter(server, number: int):
    return server.counter(number, f"t{number:02d}", "1234")  # a clerk works at one counter


def call_next(counter_client) -> dict:
    return counter_client.call("call_next", req=uuid.uuid4().hex)["ticket"]


@pytest.fixture
def announcer(qapp):
    # The mock speech engine: it "speaks" in a moment, with no sound card (never speechd).
    return Announcer(TtsEngine("mock", "zh_CN"), repeats=1, recall_repeats=1, gap_ms=0)


@pytest.fixture
def spoken(announcer) -> list[str]:
    """What was said for each call, in order (calls said together count one by one)."""
    texts: list[str] = []

    def on_spoken(_text: str) -> None:
        texts.extend(said(announcer, call.number, call.counter) for call in announcer.speaking())

    announcer.spoken.connect(on_spoken)
    return texts


def make_board(qtbot, server, announcer):
    board = build_board(
        server.host, server.port, config=server.config, announcer=announcer, reconnect_min_s=0.05
    )
    qtbot.addWidget(board)
    board.resize(1920, 1080)
    board.show()
    qtbot.waitUntil(lambda: board.connection.online and board.model.seq is not None, timeout=10000)
    return board


@pytest.fixture
def board(qtbot, hall_server, announcer):
    board = make_board(qtbot, hall_server, announcer)
    yield board
    board.connection.stop()


@pytest.fixture
def counters(hall_server):
    opened = {number: open_counter(hall_server, number) for number in range(1, 6)}
    yield opened
    for client in opened.values():
        client.close()


def said(announcer, number: str, counter: int) -> str:
    return announcer.engine.text_for([(number, counter)])


def test_call_appears_as_the_latest_with_its_counter(
    qtbot, hall_server, board, counters, announcer, spoken
):
    (ticket,) = issue(hall_server, 1)
    called = call_next(counters[3])
    assert called["number"] == ticket["number"]

    qtbot.waitUntil(lambda: board.model.latest is not None, timeout=5000)
    assert (board.model.latest.number, board.model.latest.counter) == (ticket["number"], 3)
    assert board.headline.number.text() == ticket["number"]
    assert "3号窗口" in board.headline.destination.text()
    assert board.counter_cell(3).status.text() == ticket["number"]
    assert board.flashing()
    qtbot.waitUntil(lambda: spoken == [said(announcer, ticket["number"], 3)], timeout=5000)


def test_burst_of_five_calls_all_shown_and_spoken_in_order(
    qtbot, hall_server, board, counters, announcer, spoken
):
    tickets = issue(hall_server, 5)
    made = [(call_next(counters[number])["number"], number) for number in range(1, 6)]
    assert sorted(number for number, _ in made) == sorted(t["number"] for t in tickets)

    qtbot.waitUntil(lambda: len(board.model.recent) == 5, timeout=5000)
    newest_first = [(call.number, call.counter) for call in board.model.recent]
    assert newest_first == list(reversed(made))
    assert board.headline.number.text() == made[-1][0]
    shown_rows = [row.number.text() for row in board.recent_rows[:4]]
    assert shown_rows == [number for number, _ in reversed(made[:-1])]
    qtbot.waitUntil(lambda: len(spoken) == 5, timeout=10000)
    assert spoken == [said(announcer, number, counter) for number, counter in made]


def test_recall_highlights_and_speaks_the_call_again(
    qtbot, hall_server, board, counters, announcer, spoken
):
    first, second = issue(hall_server, 2)
    call_next(counters[1])
    call_next(counters[2])
    qtbot.waitUntil(lambda: board.model.latest and board.model.latest.number == second["number"])
    qtbot.waitUntil(lambda: len(spoken) == 2, timeout=5000)

    counters[1].call("recall")
    qtbot.waitUntil(lambda: board.model.latest.number == first["number"], timeout=5000)
    assert board.model.latest.recall
    assert board.headline.number.text() == first["number"]
    assert board.headline.caption.text() == board.tr("Calling again")
    assert board.flashing()
    assert [row.number.text() for row in board.recent_rows[:2]] == [second["number"], ""]
    qtbot.waitUntil(lambda: len(spoken) == 3, timeout=5000)
    assert spoken[-1] == said(announcer, first["number"], 1)


def test_paused_and_closed_counters_show_their_state(qtbot, hall_server, board, counters):
    counters[4].call("pause", reason="break")
    qtbot.waitUntil(lambda: board.counter_cell(4).status.text() == board.tr("Paused"), timeout=5000)
    assert board.counter_cell(4).status.property("state") == "paused"
    assert board.counter_cell(1).status.text() == board.tr("Available")
    assert board.counter_cell(24).status.text() == board.tr("Closed")
    assert len([cell for cell in board.counter_cells if not cell.isHidden()]) == 24

    counters[4].call("resume")
    qtbot.waitUntil(lambda: board.counter_cell(4).status.text() == board.tr("Available"))


def test_waiting_counts_per_department_use_catalog_names(qtbot, hall_server, board):
    issue(hall_server, 3, service="pension_enrol")
    qtbot.waitUntil(
        lambda: bool(board.model.departments) and board.model.waiting.get("social_insurance") == 3,
        timeout=5000,
    )
    cell = next(c for c in board.department_cells if c.name.text() == "社会保险")
    assert cell.count.text() == board.tr("%1 waiting").replace("%1", "3")


def test_server_outage_keeps_the_board_and_it_recovers_by_itself(
    qtbot, hall_server, board, counters
):
    (ticket,) = issue(hall_server, 1)
    call_next(counters[2])
    qtbot.waitUntil(lambda: board.model.latest is not None, timeout=5000)

    hall_server.stop()
    qtbot.waitUntil(board.connection_mark_visible, timeout=10000)
    assert board.connection_mark.text().endswith(board.tr("Reconnecting…"))
    assert board.headline.number.text() == ticket["number"]  # the last state stays up
    assert board.counter_cell(2).status.text() == ticket["number"]

    hall_server.start()
    qtbot.waitUntil(lambda: board.connection.online, timeout=20000)
    qtbot.waitUntil(lambda: not board.connection_mark_visible(), timeout=5000)
    (after,) = issue(hall_server, 1)
    counter = open_counter(hall_server, 7)
    try:
        call_next(counter)
    finally:
        counter.close()
    qtbot.waitUntil(lambda: board.model.latest.number == after["number"], timeout=5000)
    assert board.model.latest.counter == 7


def test_calls_made_while_disconnected_are_shown_and_announced_after_resync(
    qtbot, hall_server, board, counters, announcer, spoken
):
    board.connection.stop()
    qtbot.waitUntil(board.connection_mark_visible)
    first, second = issue(hall_server, 2)
    call_next(counters[1])
    call_next(counters[2])

    with qtbot.waitSignal(board.connection.ready, timeout=10000):
        board.connection.start()
    assert [c.number for c in board.model.recent] == [second["number"], first["number"]]
    qtbot.waitUntil(lambda: len(spoken) == 2, timeout=5000)
    assert spoken == [said(announcer, first["number"], 1), said(announcer, second["number"], 2)]


def test_recall_made_while_disconnected_is_spoken_once_after_resync(
    qtbot, hall_server, board, counters, announcer, spoken
):
    (ticket,) = issue(hall_server, 1)
    call_next(counters[1])
    qtbot.waitUntil(lambda: len(spoken) == 1, timeout=5000)
    board.connection.stop()
    counters[1].call("recall")

    with qtbot.waitSignal(board.connection.ready, timeout=10000):
        board.connection.start()
    assert board.model.latest.number == ticket["number"] and board.model.latest.recall
    qtbot.waitUntil(lambda: len(spoken) == 2, timeout=5000)
    assert spoken[1] == said(announcer, ticket["number"], 1)

    # Reconnecting with nothing new announces nothing.
    board.connection.stop()
    with qtbot.waitSignal(board.connection.ready, timeout=10000):
        board.connection.start()
    qtbot.waitUntil(lambda: not announcer.is_busy(), timeout=5000)
    assert len(spoken) == 2


def test_seq_gap_makes_the_board_resync_with_a_snapshot(qtbot, hall_server, board, counters):
    (ticket,) = issue(hall_server, 1)
    call_next(counters[1])
    qtbot.waitUntil(lambda: board.model.latest is not None, timeout=5000)
    known = board.model.seq
    invented = {
        "ticket": {"id": 9999, "number": "Z999", "state": "called"},
        "counter": 9,
        "recall": False,
    }
    with qtbot.waitSignal(board.resynced, timeout=5000):
        board.handle_event("ticket_called", known + 3, invented)
    admin = hall_server.client("admin", "check")
    try:
        server_seq = admin.call("snapshot")["seq"]
    finally:
        admin.close()
    assert board.model.seq == server_seq
    assert board.model.latest.number == ticket["number"]
    assert "Z999" not in [call.number for call in board.model.recent]


def test_kiosk_printer_trouble_shows_a_small_staff_note(qtbot, hall_server, board):
    assert not board.staff_note.isVisibleTo(board)
    kiosk = hall_server.client("kiosk", "kiosk-1")
    try:
        kiosk.call("kiosk_status", printer="paper_out", message="")
        qtbot.waitUntil(lambda: board.staff_note.isVisibleTo(board), timeout=5000)
        assert "kiosk-1" in board.staff_note.text()
        assert board.tr("out of paper") in board.staff_note.text()
        kiosk.call("kiosk_status", printer="ok", message="")
        qtbot.waitUntil(lambda: not board.staff_note.isVisibleTo(board), timeout=5000)
    finally:
        kiosk.close()


def test_new_business_day_clears_the_board(qtbot, clocked_server, hall_clock, announcer):
    board = make_board(qtbot, clocked_server, announcer)
    try:
        (ticket,) = issue(clocked_server, 1)
        counter = open_counter(clocked_server, 1)
        try:
            call_next(counter)
            qtbot.waitUntil(lambda: board.model.latest is not None, timeout=5000)
            assert board.headline.number.text() == ticket["number"]

        finally:
            counter.close()
        hall_clock.advance(timedelta(days=1).total_seconds())
        admin = clocked_server.client("admin", "next-morning")
        try:
            admin.call("catalog")  # the first op of the new day resets it
        finally:
            admin.close()
        qtbot.waitUntil(lambda: board.model.latest is None, timeout=10000)
        assert board.headline.number.text() == ""
        assert all(row.number.text() == "" for row in board.recent_rows)
        assert board.counter_cell(1).status.text() == board.tr("Closed")
        assert board.model.day == "2026-11-27"
    finally:
        board.connection.stop()


def test_a_kiosk_reporting_unknown_does_not_blind_the_board(
    qtbot, hall_server, board, counters, announcer
):
    kiosk = hall_server.client("kiosk", "kiosk-unknown")
    try:
        kiosk.call("kiosk_status", printer="unknown", message="")
        qtbot.waitUntil(lambda: "kiosk-unknown" in board.model.kiosks, timeout=5000)
        (ticket,) = issue(hall_server, 1)
        issue(hall_server, 2, service="pension_enrol")
        call_next(counters[2])
        # A fresh snapshot with the "unknown" kiosk in it is read too (a reconnect, a resync).
        board.request_resync()
        qtbot.waitUntil(
            lambda: (
                board.model.latest is not None
                and board.model.latest.number == ticket["number"]
                and board.model.waiting.get("social_insurance") == 2
            ),
            timeout=5000,
        )
        assert board.headline.number.text() == ticket["number"]
        assert board.counter_cell(2).status.text() == ticket["number"]
        assert board.counter_cell(1).status.text() == board.tr("Available")
        cell = next(c for c in board.department_cells if c.name.text() == "社会保险")
        assert cell.count.text() == board.tr("%1 waiting").replace("%1", "2")
        assert not board.staff_note.isVisibleTo(board)  # "unknown" is not a printer fault
    finally:
        kiosk.close()
