"""The counter window and the call gap: a double press of F1, fast (a bouncing key) or slow (a
worn keypad), calls one resident; recall is never held back; the call keys come back."""

from __future__ import annotations

import re

import pytest

from tests.counter_client.window_support import issue, login, press, settle

# -- the call gap: a double press of F1, fast (a bouncing key) or slow (a worn keypad) -----------


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
    qtbot.waitUntil(lambda: window.main_page.ticket_number.text() == first)
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
    button = window.main_page.buttons["call_next"]
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
    assert window.main_page.buttons["recall"].isEnabled()
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
    qtbot.waitUntil(lambda: window.main_page.ticket_number.text() == first)
    assert not window.main_page.buttons["call_next"].isEnabled()
    qtbot.waitUntil(lambda: window.main_page.buttons["call_next"].isEnabled(), timeout=3000)
    assert window.main_page.buttons["call_next"].property("cooling") is False
    press(qtbot, window, "call_next")  # `first` was never started: the window asks first
    assert window.model.notice.key == "confirm_finish_unstarted"
    press(qtbot, window, "call_next")  # the gap has passed: this call finishes `first`
    qtbot.waitUntil(lambda: window.main_page.ticket_number.text() == second)
    assert len(server_calls(hall_server)) == 2
    # The "today" line counts it as the report does: served without start, short, 2 calls.
    qtbot.waitUntil(lambda: window.model.figures.served == 1, timeout=5000)
    text = window.main_page.figures.text()
    assert "Finished without start 1" in text and "short services 1 (100%)" in text, text
    assert "calls per served 2.00" in text and "recalls 0" in text, text
