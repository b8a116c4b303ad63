"""The board shows what the voice is doing: the call being said, and calls still to be said."""

from __future__ import annotations

from bench.board import HALL, catalog, counter, snapshot, ticket
from display_board.views.board import DisplayBoard
from display_board.voice.announcer import Announcer
from display_board.voice.clips import ClipEngine


def call(board: DisplayBoard, seq: int, ticket_id: int, number: str, at_counter: int) -> None:
    called = ticket(ticket_id, number, "called", at_counter)
    board.handle_event(
        "ticket_called", seq, {"ticket": called, "counter": at_counter, "recall": False}
    )
    board.handle_event("counter_changed", seq + 1, {"counter": counter(at_counter, "open", called)})


def test_the_call_being_said_and_the_calls_waiting_are_marked(qtbot, tmp_path):
    # The shipped voice pack: each announcement lasts seconds, so the marks can be seen.
    announcer = Announcer(ClipEngine(), repeats=1)
    board = DisplayBoard(announcer=announcer, hall_name=HALL)
    qtbot.addWidget(board)
    board.resize(1920, 1080)
    board.show()
    board.apply_snapshot(snapshot())
    board.apply_catalog(catalog())
    seq = snapshot()["seq"]
    for index, (number, at_counter) in enumerate((("A101", 2), ("B102", 3), ("C103", 4))):
        call(board, seq + 1 + 2 * index, 101 + index, number, at_counter)

    # A101 is being said; B102 and C103 wait (they will be said together next).
    assert [c.number for c in announcer.speaking()] == ["A101"]
    assert board.voice_marks() == {"A101": "speaking", "B102": "waiting", "C103": "waiting"}
    assert board.headline.property("voice") == "waiting"  # the headline shows C103
    rows = {row.number.text(): row for row in board.recent_rows}
    assert rows["A101"].voice_mark.text() == "Speaking"
    assert rows["B102"].voice_mark.text() == "Queued"
    assert not rows["A101"].voice_mark.isHidden()
    board.grab().save(str(tmp_path / "voice_marks.png"))

    # When B102 and C103 are said, they are the ones marked; A101 is done.
    qtbot.waitUntil(
        lambda: [c.number for c in announcer.speaking()] == ["B102", "C103"], timeout=15000
    )
    assert board.voice_marks() == {"B102": "speaking", "C103": "speaking"}
    assert board.headline.property("voice") == "speaking"

    announcer.clear()
    assert board.voice_marks() == {}
    assert rows["A101"].voice_mark.isHidden()
