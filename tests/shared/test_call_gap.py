"""The call gap: a counter cannot call twice within [calls] min_gap_s, seen from a raw socket.

Also what the gap protects: a held ticket is finished by call_next only after the gap, and
the ticket log says whether the clerk pressed start; the counter log keeps logins and pauses.
"""

from __future__ import annotations

import socket
import uuid
from pathlib import Path

import pytest

from shared.config.hall import ConfigError, load_config
from shared.protocol.codec import FrameDecoder, encode

A1 = "pension_enrol"


class RawCounter:
    """A counter spoken to with a plain socket and hand-written JSON lines."""

    def __init__(self, server, number: int = 1, clerk: str = "1001", pin: str = "1234") -> None:
        self.sock = socket.create_connection((server.host, server.port), timeout=10)
        self.decoder = FrameDecoder()
        self.frames: list[dict] = []
        self.next_id = 0
        self.request("hello", proto=1, role="counter", client=f"raw-{number}", counter=number)
        assert self.request("login", clerk=clerk, pin=pin)["ok"]

    def send(self, *requests: dict) -> list[int]:
        """Send requests in one packet; returns their ids."""
        ids, data = [], b""
        for params in requests:
            self.next_id += 1
            ids.append(self.next_id)
            data += encode({"id": self.next_id, **params})
        self.sock.sendall(data)
        return ids

    def reply(self, request_id: int) -> dict:
        while True:
            for frame in self.frames:
                if frame.get("id") == request_id and "event" not in frame:
                    self.frames.remove(frame)
                    return frame
            self.frames += self.decoder.feed(self.sock.recv(65536))

    def request(self, op: str, **params: object) -> dict:
        return self.reply(self.send({"op": op, **params})[0])

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def tickets(clocked_server, hall_clock):
    kiosk = clocked_server.client("kiosk", "kiosk-1")

    def issue(count: int) -> list[dict]:
        made = []
        for _ in range(count):
            hall_clock.advance(1)
            ticket = kiosk.call("issue", service=A1, req=uuid.uuid4().hex)["ticket"]
            made.append(kiosk.call("printed", ticket=ticket["id"])["ticket"])
        return made

    yield issue
    kiosk.close()


def req() -> str:
    return uuid.uuid4().hex


def test_a_second_call_inside_the_gap_is_refused_with_the_seconds_left(
    clocked_server, tickets, hall_clock
):
    first, second = tickets(2)
    counter = RawCounter(clocked_server)
    # A double press: two call_next in one packet, as a bouncing key sends them.
    one, two = counter.send({"op": "call_next", "req": req()}, {"op": "call_next", "req": req()})
    assert counter.reply(one)["result"]["ticket"]["id"] == first["id"]
    refused = counter.reply(two)
    assert refused["ok"] is False
    assert refused["error"]["code"] == "conflict"
    assert refused["error"]["reason"] == "call_too_soon"
    assert refused["error"]["retry_after_s"] == 5
    assert "5 s" in refused["error"]["message"]
    # The first resident's ticket is still held, called, not finished.
    snapshot = counter.request("snapshot")["result"]
    assert snapshot["counters"][0]["ticket"]["id"] == first["id"]
    assert snapshot["counters"][0]["ticket"]["state"] == "called"

    hall_clock.advance(3)  # 3 s later: 2 s remain, and `call` is held back as well
    late = counter.request("call", ticket=second["number"], req=req())
    assert late["error"]["reason"] == "call_too_soon" and late["error"]["retry_after_s"] == 2
    counter.close()


def test_after_the_gap_call_next_finishes_the_held_ticket_and_logs_that_start_was_not_pressed(
    clocked_server, tickets, hall_clock
):
    first, second, third = tickets(3)
    counter = RawCounter(clocked_server)
    assert counter.request("call_next", req=req())["result"]["ticket"]["id"] == first["id"]
    hall_clock.advance(5)
    assert counter.request("call_next", req=req())["result"]["ticket"]["id"] == second["id"]
    counter.request("start")
    hall_clock.advance(30)
    assert counter.request("finish")["result"]["ticket"]["state"] == "done"
    hall_clock.advance(30)
    assert counter.request("call", ticket=third["id"], req=req())["ok"]
    store = clocked_server.service.store
    rows = store.all(
        "SELECT ticket_id, started, detail FROM ticket_log WHERE action = 'finish' ORDER BY id"
    )
    assert [tuple(r) for r in rows] == [(first["id"], 0, "by call_next"), (second["id"], 1, None)]
    counter.close()


def test_a_clock_set_back_never_holds_a_call_longer_than_the_gap(
    clocked_server, tickets, hall_clock
):
    tickets(2)
    counter = RawCounter(clocked_server)
    assert counter.request("call_next", req=req())["ok"]
    hall_clock.advance(-3600)  # the PC's clock is put back an hour
    refused = counter.request("call_next", req=req())
    assert refused["error"]["reason"] == "call_too_soon"
    assert refused["error"]["retry_after_s"] == 5, refused
    counter.close()


def test_recall_is_not_a_call_and_is_never_held_back(clocked_server, tickets, hall_clock):
    tickets(2)
    counter = RawCounter(clocked_server)
    counter.request("call_next", req=req())
    recalled = counter.request("recall")
    assert recalled["ok"] and recalled["result"]["ticket"]["calls"] == 2
    hall_clock.advance(4)
    assert counter.request("recall")["ok"]  # a recall does not restart the gap either ...
    hall_clock.advance(1)
    assert counter.request("call_next", req=req())["ok"]  # ... 5 s after the call: allowed
    counter.close()


def test_a_retry_with_the_same_req_inside_the_gap_gets_the_first_answer(clocked_server, tickets):
    (first,) = tickets(1)
    counter = RawCounter(clocked_server)
    same = req()
    assert counter.request("call_next", req=same)["result"]["ticket"]["id"] == first["id"]
    again = counter.request("call_next", req=same)
    assert again["ok"] and again["result"]["ticket"]["id"] == first["id"]
    counter.close()


def test_the_gap_is_per_counter(clocked_server, tickets):
    first, second = tickets(2)
    one, two = RawCounter(clocked_server, 1), RawCounter(clocked_server, 2, "1002", "2345")
    assert one.request("call_next", req=req())["result"]["ticket"]["id"] == first["id"]
    assert two.request("call_next", req=req())["result"]["ticket"]["id"] == second["id"]
    one.close()
    two.close()


@pytest.mark.call_gap(0)
def test_a_hall_may_turn_the_gap_off(clocked_server, tickets):
    tickets(2)
    counter = RawCounter(clocked_server)
    one, two = counter.send({"op": "call_next", "req": req()}, {"op": "call_next", "req": req()})
    assert counter.reply(one)["ok"] and counter.reply(two)["ok"]
    counter.close()


@pytest.mark.call_gap(30)
def test_the_gap_follows_the_hall_setting_and_login_tells_the_client(
    clocked_server, tickets, hall_clock
):
    tickets(2)
    counter = RawCounter(clocked_server)
    login = counter.request("login", clerk="1001", pin="1234")
    assert login["result"]["call_gap_s"] == 30
    counter.request("call_next", req=req())
    hall_clock.advance(29.5)
    assert counter.request("call_next", req=req())["error"]["retry_after_s"] == 1
    hall_clock.advance(0.5)
    assert counter.request("call_next", req=req())["ok"]
    counter.close()


def test_the_real_clock_refuses_a_double_press_20_ms_apart(hall_server):
    kiosk = hall_server.client("kiosk", "kiosk-1")
    for _ in range(2):
        ticket = kiosk.call("issue", service=A1, req=req())["ticket"]
        kiosk.call("printed", ticket=ticket["id"])
    counter = RawCounter(hall_server)
    assert counter.request("call_next", req=req())["ok"]
    refused = counter.request("call_next", req=req())
    assert refused["error"]["reason"] == "call_too_soon"
    assert 1 <= refused["error"]["retry_after_s"] <= 5
    counter.close()
    kiosk.close()


def test_the_counter_log_keeps_logins_pauses_and_logouts(clocked_server, hall_clock):
    counter = RawCounter(clocked_server)
    hall_clock.advance(60)
    counter.request("pause", reason="午休")
    hall_clock.advance(60)
    counter.request("resume")
    counter.request("logout")
    rows = clocked_server.service.store.all(
        "SELECT at, clerk_id, state, pause_reason FROM counter_log WHERE counter = 1 ORDER BY id"
    )
    assert [tuple(r) for r in rows] == [
        ("2026-11-26T09:00:00+08:00", "1001", "open", None),
        ("2026-11-26T09:01:00+08:00", "1001", "paused", "午休"),
        ("2026-11-26T09:02:00+08:00", "1001", "open", None),
        ("2026-11-26T09:02:00+08:00", None, "closed", None),
    ]
    counter.close()


def test_the_day_reset_closes_open_counters_at_the_end_of_their_day(clocked_server, hall_clock):
    counter = RawCounter(clocked_server)
    hall_clock.advance(hours=30)  # 15:00 the next day
    counter.request("ping")
    row = clocked_server.service.store.one(
        "SELECT day, at, clerk_id, state FROM counter_log WHERE counter = 1 ORDER BY id DESC"
    )
    assert tuple(row) == ("2026-11-26", "2026-11-27T00:00:00+08:00", None, "closed")
    counter.close()


def test_the_gap_and_the_short_service_threshold_come_from_the_hall_file(tmp_path: Path):
    path = tmp_path / "hall.toml"
    path.write_text("[calls]\nmin_gap_s = 8\n\n[report]\nshort_service_s = 90\n", encoding="utf-8")
    config = load_config(path, env={})
    assert (config.call_gap_s, config.short_service_s) == (8, 90)
    assert load_config(None, env={}).call_gap_s == 5
    assert load_config(None, env={}).short_service_s == 60
    for text, named in (
        ("[calls]\nmin_gap_s = -1\n", "min_gap_s"),
        ("[calls]\nmin_gap_s = 601\n", "min_gap_s"),
        ('[calls]\nmin_gap_s = "5"\n', "min_gap_s"),
        ("[calls]\ngap = 5\n", "gap"),
        ("[report]\nshort_service_s = 0\n", "short_service_s"),
    ):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError) as info:
            load_config(path, env={})
        assert named in str(info.value) and info.value.line is not None, str(info.value)
