"""The call gap at a real counter window against a real server: a double press on F1, fast
(20 ms, a bouncing key) or slow (400 ms, a worn keypad), calls one resident; the call keys
show the seconds left and come back by themselves."""

from __future__ import annotations

import re

import pytest

from tests.counter_client.test_counter_window import (  # the window tests' helpers
    admin,  # noqa: F401  (a fixture)
    issue,
    login,
    open_window,  # noqa: F401  (a fixture)
    press,
    settle,
)


def server_calls(hall_server) -> list[tuple[int, int]]:
    """(ticket id, recall) of every call the server has recorded, in order."""
    rows = hall_server.service.store.all("SELECT ticket_id, recall FROM calls ORDER BY id")
    return [(row["ticket_id"], row["recall"]) for row in rows]


@pytest.mark.parametrize("apart_ms", [20, 400])
def test_a_double_press_of_f1_calls_one_resident(qtbot, hall_server, admin, open_window, apart_ms):
    first, second = issue(admin), issue(admin)
    window = open_window(1)
    login(qtbot, window)
    press(qtbot, window, "call_next")
    qtbot.wait(apart_ms)  # the time between the two presses is what this test is about
    press(qtbot, window, "call_next")
    qtbot.waitUntil(lambda: window.ticket_number.text() == first)
    settle(qtbot, window)
    qtbot.wait(200)  # room for a second call to arrive, if one had been sent
    assert len(server_calls(hall_server)) == 1
    with hall_server.client("display", "gap-check") as display:
        snapshot = display.call("snapshot")
    held = snapshot["counters"][0]["ticket"]
    assert held["number"] == first and held["state"] == "called"  # not finished by accident
    assert sum(snapshot["waiting"].values()) == 1  # `second` still waits
    assert window.model.queue[0]["number"] == second
    # The call key shows that it is resting, and why.
    button = window.buttons["call_next"]
    assert not button.isEnabled()
    assert re.search(r"\(\d s\)", button.text()), button.text()
    assert button.property("cooling") is True


def test_recall_is_not_held_back_by_the_gap(qtbot, hall_server, admin, open_window):
    issue(admin)
    window = open_window(1)
    login(qtbot, window)
    press(qtbot, window, "call_next")
    qtbot.waitUntil(lambda: window.model.ticket is not None)
    settle(qtbot, window)
    assert window.buttons["recall"].isEnabled()
    press(qtbot, window, "recall")
    qtbot.waitUntil(lambda: window.model.ticket["calls"] == 2)
    assert [recall for _, recall in server_calls(hall_server)] == [0, 1]


@pytest.mark.call_gap(1)
def test_the_call_keys_come_back_after_the_gap(qtbot, hall_server, admin, open_window):
    first, second = issue(admin), issue(admin)
    window = open_window(1)
    login(qtbot, window)
    assert window.model.call_gap_s == 1
    press(qtbot, window, "call_next")
    qtbot.waitUntil(lambda: window.ticket_number.text() == first)
    assert not window.buttons["call_next"].isEnabled()
    qtbot.waitUntil(lambda: window.buttons["call_next"].isEnabled(), timeout=3000)
    assert window.buttons["call_next"].property("cooling") is False
    press(qtbot, window, "call_next")  # the gap has passed: this call finishes `first`
    qtbot.waitUntil(lambda: window.ticket_number.text() == second)
    assert len(server_calls(hall_server)) == 2
