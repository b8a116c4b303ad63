"""Protocol v1 events against a real server: seq rules, fan-out to every client, concurrency."""

from __future__ import annotations

import threading
import uuid

import pytest

from shared.client.connection import BlockingHallClient
from tests.conftest import TEST_PRIORITY_PIN

A1, B1 = "pension_enrol", "med_enrol"
EVENT_NAMES = {
    "ticket_issued",
    "ticket_called",
    "ticket_changed",
    "counter_changed",
    "waiting_changed",
    "day_reset",
    "kiosk_changed",
}


def req() -> str:
    return uuid.uuid4().hex


def issue(kiosk, service: str = A1, priority: bool = False) -> dict:
    ticket = kiosk.call(
        "issue", service=service, priority=priority, priority_pin=TEST_PRIORITY_PIN, req=req()
    )["ticket"]
    return kiosk.call("printed", ticket=ticket["id"])["ticket"]


def events_through(client: BlockingHallClient, seq: int) -> list[dict]:
    """Every event the client has received up to and including `seq`, in arrival order."""
    events = list(client.events)
    client.events.clear()
    while not events or events[-1]["seq"] < seq:
        events.append(client.wait_event())
    return events


def test_event_envelope(hall_server):
    kiosk = hall_server.client("kiosk", "k1")
    ticket = issue(kiosk)
    event = kiosk.wait_event("ticket_issued")
    assert set(event) == {"event", "seq", "data"}
    assert isinstance(event["seq"], int)
    assert event["data"] == {"ticket": ticket}
    waiting = kiosk.wait_event("waiting_changed")
    assert waiting["seq"] == event["seq"] + 1
    assert set(waiting["data"]) == {"waiting"}
    assert waiting["data"]["waiting"]["social_insurance"] == 1


def test_ticket_called_and_counter_changed_data(hall_server):
    kiosk = hall_server.client("kiosk", "k1")
    ticket = issue(kiosk)
    counter = hall_server.counter(3)
    called = counter.call("call_next", req=req())["ticket"]
    event = counter.wait_event("ticket_called")
    assert event["data"] == {"ticket": called, "counter": 3, "recall": False}
    assert called["id"] == ticket["id"] and called["counter"] == 3 and called["calls"] == 1
    changed = counter.wait_event("counter_changed")["data"]["counter"]
    assert changed["number"] == 3 and changed["ticket"]["id"] == ticket["id"]
    assert changed["state"] == "open" and changed["clerk"] == {"id": "1001", "name": "张敏"}
    assert changed["services"] == "all" and changed["name"] == "3号窗口"


def test_first_event_after_hello_is_hello_seq_plus_one(hall_server):
    kiosk = hall_server.client("kiosk", "k1")
    issue(kiosk)
    watcher = hall_server.client("display", "board")
    issue(kiosk)
    assert watcher.wait_event()["seq"] == watcher.hello_result["seq"] + 1


def test_first_event_after_hello_is_hello_seq_plus_one_while_the_hall_is_busy(hall_server):
    stop = threading.Event()
    errors: list[BaseException] = []

    def keep_issuing() -> None:
        try:
            kiosk = hall_server.client("kiosk", "busy-kiosk")
            while not stop.is_set():
                issue(kiosk, B1)
        except BaseException as exc:  # reported below
            errors.append(exc)

    worker = threading.Thread(target=keep_issuing)
    worker.start()
    try:
        for n in range(15):
            watcher = hall_server.client("display", f"board-{n}")
            first = watcher.wait_event()
            assert first["seq"] == watcher.hello_result["seq"] + 1, (n, first)
            watcher.close()
    finally:
        stop.set()
        worker.join(30)
    assert not errors


@pytest.mark.call_gap(0)  # calls within seconds; the gap has its own tests
def test_every_event_reaches_every_client_in_seq_order(hall_server):
    clients = [
        hall_server.client("display", "board"),
        hall_server.client("admin", "admin"),
        hall_server.client("kiosk", "watch-kiosk"),
        hall_server.counter(5, "1003", "3456"),
    ]
    kiosk = hall_server.client("kiosk", "k1")
    one = hall_server.counter(1)
    two = hall_server.counter(2, "1002", "2345")
    for n in range(12):
        issue(kiosk, A1 if n % 3 else B1, priority=n % 4 == 0)
    for _ in range(4):
        one.call("call_next", req=req())
        two.call("call_next", req=req())
        one.call("start")
        two.call("recall")
    one.call("transfer", service=B1, req=req())
    missed = two.call("no_show")["ticket"]
    two.call("reactivate", ticket=missed["number"])
    one.call("pause", reason="break")
    kiosk.call("kiosk_status", printer="near_end")
    last = kiosk.call("snapshot")["seq"]
    streams = []
    for client in clients:
        start = client.hello_result["seq"]
        events = events_through(client, last)
        assert [e["seq"] for e in events] == list(range(start + 1, last + 1))
        assert {e["event"] for e in events} <= EVENT_NAMES
        streams.append([(e["seq"], e["event"], e["data"]) for e in events])
    shortest = min(len(s) for s in streams)
    tails = [s[-shortest:] for s in streams]
    assert all(t == tails[0] for t in tails)
    assert {e[1] for e in tails[0]} >= {
        "ticket_called",
        "ticket_changed",
        "counter_changed",
        "waiting_changed",
        "kiosk_changed",
    }


def test_events_keep_their_seq_across_a_restart(hall_server):
    kiosk = hall_server.client("kiosk", "k1")
    issue(kiosk)
    last = kiosk.call("snapshot")["seq"]
    assert last >= 2
    hall_server.restart()
    watcher = hall_server.client("display", "board")
    assert watcher.hello_result["seq"] == last
    assert watcher.call("snapshot")["seq"] == last
    issue(hall_server.client("kiosk", "k1"))
    assert watcher.wait_event()["seq"] == last + 1


def test_seq_never_goes_back_across_several_restarts(hall_server):
    seen = []
    for _ in range(3):
        kiosk = hall_server.client("kiosk", "k1")
        issue(kiosk)
        seen.append(kiosk.wait_event("waiting_changed")["seq"])
        hall_server.restart()
    assert seen == sorted(seen) and len(set(seen)) == 3


@pytest.mark.call_gap(0)  # calls within seconds; the gap has its own tests
def test_24_counters_calling_at_once_never_get_the_same_ticket(hall_server):
    kiosk = hall_server.client("kiosk", "k1")
    tickets = [issue(kiosk, A1 if n % 2 else B1, priority=n % 5 == 0) for n in range(96)]
    counters = [hall_server.counter(n, f"t{n:02d}", "1234") for n in range(1, 25)]
    taken: dict[int, list[int]] = {n: [] for n in range(1, 25)}
    errors: list[BaseException] = []
    start = threading.Barrier(len(counters))

    def work(number: int, client: BlockingHallClient) -> None:
        try:
            start.wait(30)
            while (ticket := client.call("call_next", req=req())["ticket"]) is not None:
                assert ticket["counter"] == number and ticket["state"] == "called"
                taken[number].append(ticket["id"])
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=work, args=(n, c)) for n, c in zip(taken, counters, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    all_taken = [t for ids in taken.values() for t in ids]
    assert len(all_taken) == len(set(all_taken)) == len(tickets)
    assert set(all_taken) == {t["id"] for t in tickets}
    # Every call was announced once, and the board agrees on who holds what.
    snapshot = kiosk.call("snapshot")
    held = [c["ticket"]["id"] for c in snapshot["counters"] if c["ticket"]]
    assert len(held) == len(set(held))
    events = events_through(kiosk, snapshot["seq"])
    seqs = [e["seq"] for e in events]
    assert seqs == list(range(seqs[0], snapshot["seq"] + 1))  # no gap, no reordering
    calls = [e for e in events if e["event"] == "ticket_called"]
    assert sorted(e["data"]["ticket"]["id"] for e in calls) == sorted(all_taken)


def test_a_stalled_client_does_not_block_others(hall_server):
    stalled = hall_server.client("kiosk", "stalled")
    stalled.send_raw(b'{"id": "late-issue", "op": "issue", "serv')  # half a frame, never finished
    quiet = BlockingHallClient(hall_server.host, hall_server.port, "x", "x", hello=False)
    kiosk = hall_server.client("kiosk", "k1")
    assert issue(kiosk)["state"] == "waiting"
    assert quiet.welcome["proto"] == 1
    stalled.send_raw(b'ice": "pension_enrol", "req": "late"}\n')
    reply = stalled.send("ping")
    assert reply["ok"] is True
    assert stalled.reply("late-issue")["result"]["ticket"]["number"] == "A002"
