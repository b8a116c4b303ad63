"""A counter whose client vanishes (power cut, pulled cable) closes after a grace time."""

from __future__ import annotations

import time


def counter(hall_server, number):
    with hall_server.client("admin", f"look-{time.monotonic_ns()}") as admin:
        return next(c for c in admin.call("snapshot")["counters"] if c["number"] == number)


def wait_for(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.05)


def test_a_vanished_counter_client_closes_its_counter_after_the_grace_time(hall_server):
    hall_server.hall.counter_grace_s = 0.3
    client = hall_server.counter(9, "t09", "1234")
    assert counter(hall_server, 9)["state"] == "open"
    client.sock.close()  # gone without a word
    wait_for(lambda: counter(hall_server, 9)["state"] == "closed")
    assert counter(hall_server, 9)["clerk"] is None


def test_a_counter_client_back_within_the_grace_time_keeps_its_counter(hall_server):
    hall_server.hall.counter_grace_s = 1.0
    hall_server.counter(10, "t10", "1234").sock.close()
    back = hall_server.counter(10, "t10", "1234")  # reconnects and logs in again at once
    time.sleep(1.5)  # past the grace time: nothing may close it now
    assert counter(hall_server, 10)["state"] == "open"
    back.close()
