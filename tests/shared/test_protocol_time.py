"""Protocol v1 against a real server on a moved clock: numbering, pending time-out, day reset."""

from __future__ import annotations

import json
import sqlite3
import uuid

import pytest

from shared.protocol.codec import encode

A1, A2, B1 = "pension_enrol", "pension_claim", "med_enrol"
DAY = 24 * 3600


def req() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def kiosk(clocked_server):
    return clocked_server.client("kiosk", "kiosk-1")


def issue(kiosk, service: str = A1, printed: bool = True, r: str | None = None) -> dict:
    ticket = kiosk.call("issue", service=service, req=r or req())["ticket"]
    if printed:
        ticket = kiosk.call("printed", ticket=ticket["id"])["ticket"]
    return ticket


def states_in_database(server, ids: list[int]) -> dict[int, str]:
    """Ticket states as committed to the hall's SQLite file (read by a second connection)."""
    conn = sqlite3.connect(f"file:{server.db}?mode=ro", uri=True)
    try:
        marks = ",".join("?" * len(ids))
        rows = conn.execute(f"SELECT id, state FROM tickets WHERE id IN ({marks})", ids)
        return dict(rows.fetchall())
    finally:
        conn.close()


# -- numbering --------------------------------------------------------------------------------


def test_numbers_count_per_category_prefix_from_001(clocked_server, kiosk):
    got = [issue(kiosk, s)["number"] for s in (A1, B1, A2, A1, B1)]
    assert got == ["A001", "B001", "A002", "A003", "B002"]


def test_cancelled_and_pending_numbers_are_not_given_again(clocked_server, kiosk):
    failed = kiosk.call("issue", service=A1, req=req())["ticket"]
    kiosk.call("print_failed", ticket=failed["id"], reason="jam")
    issue(kiosk, printed=False)
    assert issue(kiosk)["number"] == "A003"


def test_numbers_are_never_given_twice_across_a_restart(clocked_server, kiosk):
    before = [issue(kiosk)["number"] for _ in range(2)] + [issue(kiosk, printed=False)["number"]]
    clocked_server.restart()
    kiosk = clocked_server.client("kiosk", "kiosk-1")
    after = [issue(kiosk)["number"] for _ in range(2)]
    assert before + after == ["A001", "A002", "A003", "A004", "A005"]


def test_a999_is_followed_by_a1000(clocked_server, kiosk):
    # Pipelined, so the thousand requests go through in a few batches.
    kiosk.send_raw(
        b"".join(
            encode({"id": n, "op": "issue", "service": A1, "req": f"bulk-{n}"})
            for n in range(1, 1001)
        )
    )
    got = {}
    while len(got) < 1000:
        frame = kiosk.next_frame()
        if "event" not in frame:
            got[frame["id"]] = frame["result"]["ticket"]["number"]
    assert got[9] == "A009" and got[999] == "A999" and got[1000] == "A1000"
    assert len(set(got.values())) == 1000


# -- pending time-out -------------------------------------------------------------------------


def test_pending_ticket_becomes_waiting_after_60_seconds_on_its_own(
    clocked_server, kiosk, hall_clock
):
    pending = issue(kiosk, printed=False)
    kiosk.sock.settimeout(4)  # the server ticks every second
    hall_clock.advance(61)
    released = kiosk.wait_event("ticket_issued")["data"]["ticket"]
    assert released["id"] == pending["id"] and released["state"] == "waiting"


def test_pending_ticket_becomes_waiting_after_60_seconds(clocked_server, kiosk, hall_clock):
    pending = issue(kiosk, printed=False)
    hall_clock.advance(30)
    confirmed = issue(kiosk)
    # A pending ticket sends no event: the first ticket_issued is the confirmed one.
    assert kiosk.wait_event("ticket_issued")["data"]["ticket"]["id"] == confirmed["id"]
    hall_clock.advance(31)
    kiosk.call("catalog")  # an op also applies the time-out at once, without waiting for the tick
    released = kiosk.wait_event("ticket_issued")["data"]["ticket"]
    assert released["id"] == pending["id"] and released["state"] == "waiting"
    assert kiosk.wait_event("waiting_changed")["data"]["waiting"]["social_insurance"] == 2
    # The kiosk's late confirmation is harmless; a late failure report is a conflict.
    assert kiosk.call("printed", ticket=pending["id"])["ticket"]["state"] == "waiting"
    reply = kiosk.send("print_failed", ticket=pending["id"], reason="late")
    assert reply["error"]["code"] == "conflict"


def test_pending_ticket_is_not_released_before_60_seconds(clocked_server, kiosk, hall_clock):
    pending = issue(kiosk, printed=False)
    hall_clock.advance(59)
    kiosk.call("catalog")
    assert kiosk.call("printed", ticket=pending["id"])["ticket"]["state"] == "waiting"
    assert kiosk.wait_event("ticket_issued")["data"]["ticket"]["id"] == pending["id"]


def test_released_ticket_keeps_its_issue_time_place(clocked_server, kiosk, hall_clock):
    pending = issue(kiosk, printed=False)
    hall_clock.advance(10)
    later = issue(kiosk)
    hall_clock.advance(51)
    counter = clocked_server.counter(1)
    queue = counter.call("queue")["tickets"]
    assert [t["id"] for t in queue] == [pending["id"], later["id"]]
    assert queue[0]["state"] == "waiting"


# -- day reset --------------------------------------------------------------------------------


@pytest.mark.call_gap(0)  # calls within seconds; the gap has its own tests
def test_day_reset_expires_open_tickets_and_restarts_numbering(clocked_server, kiosk, hall_clock):
    waiting = issue(kiosk)
    pending = issue(kiosk, printed=False)
    called, serving = issue(kiosk, B1), issue(kiosk, B1)
    done = issue(kiosk)
    counter1 = clocked_server.counter(1)
    counter1.call("call", ticket=done["number"], req=req())
    counter1.call("finish")
    counter1.call("call", ticket=called["number"], req=req())
    counter2 = clocked_server.counter(2, "1002", "2345")
    counter2.call("call", ticket=serving["number"], req=req())
    counter2.call("start")
    watcher = clocked_server.client("display", "board")
    seq_before = watcher.hello_result["seq"]

    hall_clock.advance(DAY)
    first = kiosk.call("issue", service=A1, req=req())["ticket"]
    assert first["number"] == "A001"
    assert first["issued_at"].startswith("2026-11-27T")
    watcher.call("snapshot")  # every event before this reply has arrived
    events = list(watcher.events)
    resets = [e for e in events if e["event"] == "day_reset"]
    assert len(resets) == 1
    assert resets[0]["data"] == {"day": "2026-11-27"}
    assert resets[0]["seq"] == seq_before + 1
    old_ids = {waiting["id"], pending["id"], called["id"], serving["id"]}
    for e in events:  # no per-ticket events for yesterday's tickets
        assert e["data"].get("ticket", {}).get("id") not in old_ids

    states = states_in_database(clocked_server, [*old_ids, done["id"]])
    assert states == {**dict.fromkeys(old_ids, "expired"), done["id"]: "done"}
    snapshot = watcher.call("snapshot")
    assert snapshot["day"] == "2026-11-27"
    assert all(n == 0 for n in snapshot["waiting"].values())
    assert all(c["ticket"] is None for c in snapshot["counters"])
    assert snapshot["recent_calls"] == []
    assert issue(kiosk, B1)["number"] == "B001"
    watcher.call("snapshot")
    assert sum(e["event"] == "day_reset" for e in watcher.events) == 1


def test_day_reset_is_sent_once_to_every_client(clocked_server, kiosk, hall_clock):
    issue(kiosk)
    clients = [clocked_server.client("display", f"board-{n}") for n in range(3)]
    hall_clock.advance(DAY)
    kiosk.call("catalog")
    resets = [client.wait_event("day_reset") for client in clients]
    assert {r["seq"] for r in resets} == {clients[0].hello_result["seq"] + 1}
    assert all(r["data"] == {"day": "2026-11-27"} for r in resets)
    kiosk.call("catalog")
    for client in clients:
        client.call("snapshot")
        assert not [e for e in client.events if e["event"] == "day_reset"]


def test_day_reset_happens_at_the_reset_time_without_any_op(clocked_server, kiosk, hall_clock):
    issue(kiosk)
    kiosk.sock.settimeout(4)
    hall_clock.advance(DAY)
    assert kiosk.wait_event("day_reset")["data"]["day"] == "2026-11-27"


def test_ping_as_the_first_op_of_a_new_day_triggers_the_reset(clocked_server, kiosk, hall_clock):
    issue(kiosk)
    kiosk.call("snapshot")
    kiosk.events.clear()
    hall_clock.advance(DAY)
    assert kiosk.call("ping")["server_time"].startswith("2026-11-27T")
    assert [e["event"] for e in kiosk.events] == ["day_reset"]


def test_requests_repeat_per_day_only(clocked_server, kiosk, hall_clock):
    r = req()
    today = kiosk.call("issue", service=A1, req=r)["ticket"]
    hall_clock.advance(DAY)
    tomorrow = kiosk.call("issue", service=A1, req=r)["ticket"]
    assert tomorrow["id"] != today["id"] and tomorrow["number"] == "A001"


def test_yesterdays_ticket_cannot_be_called_or_reactivated(clocked_server, kiosk, hall_clock):
    ticket = issue(kiosk)
    counter = clocked_server.counter(1)
    counter.call("call_next", req=req())
    counter.call("no_show")
    hall_clock.advance(DAY)
    kiosk.call("catalog")
    kiosk.wait_event("day_reset")
    counter = clocked_server.counter(1, name="counter-1-again")
    reply = counter.send("reactivate", ticket=ticket["id"])
    assert reply["error"]["code"] == "conflict"
    assert counter.call("call_next", req=req()) == {"ticket": None}


def test_times_carry_the_hall_offset(clocked_server, kiosk):
    ticket = issue(kiosk)
    counter = clocked_server.counter(1)
    called = counter.call("call_next", req=req())["ticket"]
    assert ticket["issued_at"] == "2026-11-26T09:00:00+08:00"
    assert called["called_at"] == "2026-11-26T09:00:00+08:00"
    assert kiosk.call("ping")["server_time"] == "2026-11-26T09:00:00+08:00"
    call = counter.call("snapshot")["recent_calls"][0]
    assert call["at"] == "2026-11-26T09:00:00+08:00" and call["counter"] == 1
    assert call["recall"] is False
    assert json.loads(json.dumps(call))["ticket"]["id"] == ticket["id"]


def test_day_reset_after_a_restart_across_midnight(clocked_server, kiosk, hall_clock):
    old = issue(kiosk)
    clocked_server.stop()
    hall_clock.advance(DAY)
    clocked_server.start()
    watcher = clocked_server.client("display", "board")
    kiosk = clocked_server.client("kiosk", "kiosk-1")
    assert issue(kiosk)["number"] == "A001"
    reset = watcher.wait_event()
    assert reset["event"] == "day_reset" and reset["seq"] == watcher.hello_result["seq"] + 1
    assert states_in_database(clocked_server, [old["id"]]) == {old["id"]: "expired"}
    counter = clocked_server.counter(1)
    assert [t["number"] for t in counter.call("queue")["tickets"]] == ["A001"]


def test_counters_are_closed_by_the_day_reset_and_clerks_log_in_again(
    clocked_server, kiosk, hall_clock
):
    counter = clocked_server.counter(1)
    hall_clock.advance(DAY)
    kiosk.call("catalog")
    assert counter.wait_event("day_reset")["data"]["day"] == "2026-11-27"
    assert counter.call("snapshot")["counters"][0]["state"] == "closed"
    assert counter.send("call_next", req=req())["error"]["code"] == "forbidden"
    assert counter.call("login", clerk="1001", pin="1234")["counter"]["state"] == "open"
    assert counter.call("call_next", req=req()) == {"ticket": None}
