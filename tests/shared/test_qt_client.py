"""The Qt hall client against a real server: connect, events, reconnect, resync, safe retry."""

from __future__ import annotations

import pytest

from shared.qt.client import ONLINE, HallConnection, Reply


@pytest.fixture
def conn(qtbot, hall_server):
    c = HallConnection(
        hall_server.host,
        hall_server.port,
        "display",
        "board-test",
        reconnect_min_s=0.05,
        reconnect_max_s=0.2,
    )
    with qtbot.waitSignal(c.ready, timeout=5000) as ready:
        c.start()
    assert ready.args[0]["hall"] == hall_server.config.hall_name
    yield c
    c.stop()


def _issue(hall_server, kiosk=None):
    kiosk = kiosk or hall_server.client("kiosk", "kiosk-1")
    service = kiosk.call("catalog")["services"][0]["code"]
    ticket = kiosk.call("issue", service=service, req=f"r-{id(kiosk)}-{len(kiosk.events)}")[
        "ticket"
    ]
    kiosk.call("printed", ticket=ticket["id"])
    return ticket


def test_connects_and_receives_events_in_seq_order(qtbot, conn, hall_server):
    seen = []
    conn.event.connect(lambda name, seq, data: seen.append((name, seq)))
    ticket = _issue(hall_server)
    qtbot.waitUntil(lambda: any(n == "ticket_issued" for n, _ in seen), timeout=5000)
    seqs = [s for _, s in seen]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    assert conn.seq == seqs[-1]
    assert ticket["number"].endswith("001")


def test_reconnects_after_server_restart_and_resyncs(qtbot, conn, hall_server):
    states = []
    conn.stateChanged.connect(states.append)
    hall_server.stop()
    qtbot.waitUntil(lambda: conn.state != ONLINE, timeout=5000)
    hall_server.start()
    _issue(hall_server)
    with qtbot.waitSignal(conn.ready, timeout=10000) as ready:
        pass
    assert conn.state == ONLINE
    assert sum(ready.args[0]["waiting"].values()) == 1
    assert "offline" in states or "connecting" in states


def test_a_gap_in_seq_triggers_a_snapshot(qtbot, conn, hall_server):
    conn.seq -= 5  # pretend events were missed
    with qtbot.waitSignal(conn.ready, timeout=5000):
        _issue(hall_server)
    assert conn.seq == hall_server.service.seq


def test_request_while_offline_fails_with_disconnected(qtbot, hall_server):
    c = HallConnection(hall_server.host, 1, "display", "nowhere", reconnect_min_s=5)
    replies: list[Reply] = []
    c.request("snapshot", {}, replies.append)
    assert replies and replies[0].code == "disconnected"


def test_counter_login_is_replayed_after_reconnect(qtbot, hall_server):
    c = HallConnection(
        hall_server.host,
        hall_server.port,
        "counter",
        "counter-5",
        counter=5,
        reconnect_min_s=0.05,
        reconnect_max_s=0.2,
    )
    with qtbot.waitSignal(c.ready, timeout=5000):
        c.start()
    replies: list[Reply] = []
    c.login("1001", "1234", replies.append)
    qtbot.waitUntil(lambda: bool(replies), timeout=5000)
    assert replies[0].ok, replies[0].message
    _issue(hall_server)
    hall_server.restart()
    with qtbot.waitSignal(c.ready, timeout=10000):
        pass
    called: list[Reply] = []
    c.request("call_next", {}, called.append)
    qtbot.waitUntil(lambda: bool(called), timeout=5000)
    assert called[0].ok, called[0].message
    assert called[0].result["ticket"]["counter"] == 5
    c.stop()


def test_in_flight_call_is_retried_with_the_same_req(qtbot, hall_server):
    """The reply is lost with the connection; the retry returns the same ticket, called once."""
    c = HallConnection(
        hall_server.host,
        hall_server.port,
        "counter",
        "counter-7",
        counter=7,
        reconnect_min_s=0.05,
        reconnect_max_s=0.2,
    )
    with qtbot.waitSignal(c.ready, timeout=5000):
        c.start()
    done: list[Reply] = []
    c.login("1002", "2345", done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    _issue(hall_server)
    _issue(hall_server, hall_server.client("kiosk", "kiosk-2"))
    replies: list[Reply] = []
    c.request("call_next", {"req": "fixed-req-1"}, replies.append)
    c.drop()  # the connection drops before the reply is read
    qtbot.waitUntil(lambda: bool(replies), timeout=10000)
    assert replies[0].ok, replies[0].message
    first = replies[0].result["ticket"]
    admin = hall_server.client("admin", "check")
    snap = admin.call("snapshot")
    counter7 = next(k for k in snap["counters"] if k["number"] == 7)
    assert counter7["ticket"]["id"] == first["id"]
    assert sum(snap["waiting"].values()) == 1  # exactly one ticket was called
    c.stop()
