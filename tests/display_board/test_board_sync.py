"""The board's sync without Qt: a fake hall port, a recording screen and announcer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from display_board.model import BoardModel, BoardSync
from display_board.model.items import Call
from display_board.model.updates import Part
from shared.client.connection import Reply
from tests.display_board.test_board_model import call, called_event, snapshot


class FakePort:
    """A HallPort that keeps the requests; the test answers them."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any], Any]] = []
        self.resyncs = 0

    def request(self, op: str, params: dict[str, Any] | None = None, callback: Any = None) -> int:
        self.sent.append((op, dict(params or {}), callback))
        return len(self.sent)

    def login(self, clerk: str, pin: str, callback: Any = None) -> None:
        raise AssertionError("a board never logs in")

    def logout(self, callback: Any = None) -> None:
        raise AssertionError("a board never logs in")

    def resync(self) -> None:
        self.resyncs += 1

    def answer(self, op: str, result: dict[str, Any]) -> None:
        index = next(i for i, (name, _, _) in enumerate(self.sent) if name == op)
        _, _, callback = self.sent.pop(index)
        callback(Reply(True, result))


class Screen:
    def __init__(self) -> None:
        self.parts: list[set[Part]] = []
        self.new_calls: list[str] = []
        self.resyncs = 0
        self.connection_changes = 0

    def show_parts(self, parts: Iterable[Part], relayout: bool = False) -> None:
        self.parts.append(set(parts))

    def show_new_calls(self, calls: list[Call]) -> None:
        self.new_calls += [c.number for c in calls]

    def show_resynced(self) -> None:
        self.resyncs += 1

    def show_connection(self) -> None:
        self.connection_changes += 1


class Voice:
    def __init__(self) -> None:
        self.said: list[tuple[str, int, bool]] = []

    def announce(self, number: str, counter: int, recall: bool = False) -> None:
        self.said.append((number, counter, recall))


def online_sync() -> tuple[BoardSync, FakePort, Screen, Voice]:
    port, screen, voice = FakePort(), Screen(), Voice()
    sync = BoardSync(BoardModel(), port, announcer=voice, address="10.0.0.5:7310")
    sync.show_on(screen)
    sync.set_connection_state("online")
    sync.on_ready(snapshot(seq=10))
    port.answer("catalog", {"categories": [{"code": "tax", "prefix": "B", "name": "税务"}]})
    return sync, port, screen, voice


def test_ready_applies_the_snapshot_then_names_the_departments():
    sync, port, screen, _ = online_sync()
    assert sync.model.seq == 10 and screen.resyncs == 1
    assert [d.name for d in sync.model.departments] == ["税务"]
    assert port.sent == []


def test_a_gap_asks_the_connection_to_resync_and_its_snapshot_announces_the_missed_calls():
    sync, port, screen, voice = online_sync()
    sync.handle_event("ticket_called", 13, called_event(1, "A001", 1, 0))
    assert port.resyncs == 1 and port.sent == []  # the connection reads the snapshot
    # The connection brings the snapshot through on_ready, then the events held meanwhile.
    sync.on_ready(snapshot(seq=14, calls=[call(2, "A002", 2, 1), call(1, "A001", 1, 0)]))
    port.answer("catalog", {"categories": []})
    sync.handle_event("ticket_called", 15, called_event(3, "A003", 3, 2))
    assert sync.model.seq == 15 and sync.model.latest is not None
    assert sync.model.latest.number == "A003"
    assert screen.new_calls == ["A001", "A002", "A003"]  # two missed while resyncing, one new
    assert [number for number, _, _ in voice.said] == ["A001", "A002", "A003"]


def test_an_event_whose_frame_is_unreadable_asks_the_connection_to_resync():
    sync, port, _, _ = online_sync()
    sync.handle_event("ticket_called", 11, ["not", "an", "object"])  # type: ignore[arg-type]
    assert port.resyncs == 1


def test_an_offline_board_leaves_the_resync_to_the_connection():
    sync, port, _, _ = online_sync()
    sync.set_connection_state("connecting")
    sync.handle_event("ticket_called", 13, called_event(1, "A001", 1, 0))
    assert port.sent == [] and port.resyncs == 0
    assert sync.status() == ("reconnecting", "")


def test_status_names_the_server_until_the_first_snapshot_and_a_refusal_until_let_in():
    sync = BoardSync(BoardModel(), FakePort(), address="10.0.0.5:7310")
    assert sync.status() == ("connecting", "10.0.0.5:7310")
    sync.refuse("not_authenticated", "wrong hall key")
    assert sync.status() == ("refused", "wrong hall key")
    sync.set_connection_state("online")
    assert sync.status() == ("online", "")
