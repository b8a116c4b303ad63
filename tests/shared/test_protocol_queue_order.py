"""Protocol v1 ops against a real server: transfer, reactivate, people ahead and the call order."""

from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import TEST_PRIORITY_PIN
from tests.conftest import test_config as hall_settings
from tests.shared.protocol_support import A1, A2, B1, code_of, numbers, req

# -- transfer -----------------------------------------------------------------------------------


@pytest.mark.call_gap(0)  # calls within seconds; the gap has its own tests
def test_transfer_to_a_service_keeps_its_issue_time_place(clocked_server, issue):
    moved = issue(A1)
    later_b = [issue(B1), issue(B1)]
    counter = clocked_server.counter(1)
    assert counter.call("call_next", req=req())["ticket"]["id"] == moved["id"]
    counter.call("start")
    result = counter.call("transfer", service=B1, req=req())["ticket"]
    assert result["state"] == "waiting"
    assert result["service"] == B1 and result["category"] == "medical_insurance"
    assert result["number"] == moved["number"] and result["issued_at"] == moved["issued_at"]
    assert result["counter"] is None
    assert numbers(counter.call("queue")["tickets"]) == numbers([moved, *later_b])
    assert counter.call("call_next", req=req())["ticket"]["id"] == moved["id"]


def test_transfer_does_not_finish_the_ticket(clocked_server, issue):
    issue()
    counter = clocked_server.counter(1)
    counter.call("call_next", req=req())
    counter.call("transfer", service=B1, req=req())
    event = counter.wait_event("ticket_changed")
    assert event["data"]["ticket"]["state"] == "waiting"
    assert counter.call("snapshot")["counters"][0]["ticket"] is None


def test_transfer_to_a_counter_reserves_the_ticket_for_that_counter(clocked_server, issue):
    moved, second, third = issue(), issue(), issue()
    one = clocked_server.counter(1)
    two = clocked_server.counter(2, "1002", "2345")
    three = clocked_server.counter(3, "1003", "3456")
    one.call("call_next", req=req())
    assert one.call("transfer", counter=2, req=req())["ticket"]["state"] == "waiting"
    assert numbers(two.call("queue")["tickets"]) == numbers([moved, second, third])
    assert numbers(three.call("queue")["tickets"]) == numbers([second, third])
    assert numbers(one.call("queue")["tickets"]) == numbers([second, third])
    assert code_of(three, "call", ticket=moved["number"], req=req()) == "conflict"
    assert three.call("call_next", req=req())["ticket"]["id"] == second["id"]
    assert two.call("call_next", req=req())["ticket"]["id"] == moved["id"]


@pytest.mark.call_gap(0)  # calls within seconds; the gap has its own tests
def test_transfer_to_a_counter_goes_before_later_tickets_there(clocked_server, issue):
    first = issue()
    one = clocked_server.counter(1)
    one.call("call_next", req=req())
    later = [issue(B1), issue(A2)]
    one.call("transfer", counter=2, req=req())
    two = clocked_server.counter(2, "1002", "2345")
    taken = [two.call("call_next", req=req())["ticket"]["number"] for _ in range(3)]
    assert taken == numbers([first, *later])


def test_transfer_to_its_own_or_an_unknown_counter_is_refused(clocked_server, issue):
    issue()
    counter = clocked_server.counter(1)
    counter.call("call_next", req=req())
    assert code_of(counter, "transfer", counter=1, req=req()) == "conflict"
    assert code_of(counter, "transfer", counter=99, req=req()) == "not_found"
    assert code_of(counter, "transfer", service="no_such", req=req()) == "not_found"
    assert counter.call("finish")["ticket"]["state"] == "done"  # still held after the refusals


# -- reactivate ---------------------------------------------------------------------------------


@pytest.mark.call_gap(0)  # calls within seconds; the gap has its own tests
def test_reactivate_puts_a_no_show_at_the_end_of_its_queue(clocked_server, issue, hall_clock):
    missed, second, third = issue(), issue(), issue()
    counter = clocked_server.counter(1)
    counter.call("call_next", req=req())
    counter.call("no_show")
    hall_clock.advance(5)
    back = counter.call("reactivate", ticket=missed["number"])["ticket"]
    assert back["state"] == "waiting" and back["id"] == missed["id"]
    fourth = issue()
    expected = numbers([second, third, missed, fourth])
    assert numbers(counter.call("queue")["tickets"]) == expected
    taken = [counter.call("call_next", req=req())["ticket"]["number"] for _ in expected]
    assert taken == expected


def test_reactivate_goes_to_the_end_even_within_the_same_instant(clocked_server, kiosk):
    tickets = []
    for _ in range(3):  # the clock does not move: every issue time is the same instant
        ticket = kiosk.call("issue", service=A1, req=req())["ticket"]
        tickets.append(kiosk.call("printed", ticket=ticket["id"])["ticket"])
    counter = clocked_server.counter(1)
    counter.call("call_next", req=req())
    counter.call("no_show")
    counter.call("reactivate", ticket=tickets[0]["id"])
    assert numbers(counter.call("queue")["tickets"]) == numbers([*tickets[1:], tickets[0]])


def test_reactivate_of_a_ticket_that_is_not_a_no_show_is_a_conflict(clocked_server, issue):
    ticket = issue()
    counter = clocked_server.counter(1)
    assert code_of(counter, "reactivate", ticket=ticket["number"]) == "conflict"
    counter.call("call_next", req=req())
    counter.call("finish")
    assert code_of(counter, "reactivate", ticket=ticket["number"]) == "conflict"
    assert code_of(counter, "reactivate", ticket="A999") == "not_found"


# -- ahead -------------------------------------------------------------------------------------


def test_ahead_counts_what_call_next_takes_first_at_counters_that_serve_everything(
    clocked_server, kiosk, issue
):
    """In a one-window hall every counter calls from one queue: everyone waiting is ahead,
    whatever their matter (priority first, then the anti-starvation rule)."""
    assert kiosk.call("issue", service=A1, req=req())["ahead"] == 0  # left pending
    issue(A1)
    issue(A1)
    issue(A2)  # same category, other service
    issue(B1)  # another department
    issue(A1, printed=False)  # pending: not waiting yet
    assert kiosk.call("issue", service=A1, req=req())["ahead"] == 4
    assert kiosk.call("issue", service=B1, req=req())["ahead"] == 4
    priority = {"priority": True, "priority_pin": TEST_PRIORITY_PIN}
    assert kiosk.call("issue", service=A1, req=req(), **priority)["ahead"] == 0
    issue(A1, priority=True)
    assert kiosk.call("issue", service=A1, req=req(), **priority)["ahead"] == 1
    # A normal ticket waits for the 4 normal ones and the priority one before it.
    assert kiosk.call("issue", service=A1, req=req())["ahead"] == 5


def test_ahead_at_dedicated_counters_counts_only_what_they_take(tmp_path):
    """A matter served at one dedicated counter: only that counter's queue is ahead."""
    from shared.config.hall import CounterConfig
    from tests.conftest import ServerThread

    counters = (CounterConfig(1, "1号窗口", (A1,)), CounterConfig(2, "2号窗口", (A2, B1)))
    server = ServerThread(tmp_path / "h.db", hall_settings(counters=counters), None).start()
    try:
        with server.client("kiosk", "k1") as kiosk:
            for service in (A1, A2, B1, B1):
                ticket = kiosk.call("issue", service=service, req=req())["ticket"]
                kiosk.call("printed", ticket=ticket["id"])
            assert kiosk.call("issue", service=A1, req=req())["ahead"] == 1
            assert kiosk.call("issue", service=B1, req=req())["ahead"] == 3
    finally:
        server.stop()


def test_ahead_does_not_count_called_tickets(clocked_server, kiosk, issue):
    issue(A1)
    issue(A1)
    clocked_server.counter(1).call("call_next", req=req())
    assert kiosk.call("issue", service=A1, req=req())["ahead"] == 1


# -- call order ---------------------------------------------------------------------------------


@pytest.mark.call_gap(0)  # calls within seconds; the gap has its own tests
def test_priority_tickets_go_first_each_by_issue_time(clocked_server, issue):
    n1, p1, n2, p2 = issue(), issue(priority=True), issue(B1), issue(A2, priority=True)
    counter = clocked_server.counter(1)
    expected = numbers([p1, p2, n1, n2])
    assert numbers(counter.call("queue")["tickets"]) == expected
    assert [counter.call("call_next", req=req())["ticket"]["number"] for _ in expected] == expected


@pytest.mark.call_gap(0)  # calls within seconds; the gap has its own tests
def test_after_three_priority_calls_in_a_row_the_oldest_normal_goes_next(clocked_server, issue):
    n1 = issue()
    p = [issue(priority=True) for _ in range(5)]
    n2 = issue()
    counter = clocked_server.counter(1)
    expected = numbers([p[0], p[1], p[2], n1, p[3], p[4], n2])
    assert numbers(counter.call("queue")["tickets"]) == expected
    assert [counter.call("call_next", req=req())["ticket"]["number"] for _ in expected] == expected


@pytest.mark.call_gap(0)  # calls within seconds; the gap has its own tests
def test_out_of_turn_calls_do_not_count_toward_the_priority_streak(clocked_server, issue):
    n1 = issue()
    p = [issue(priority=True) for _ in range(5)]
    counter = clocked_server.counter(1)
    taken = [counter.call("call_next", req=req())["ticket"]["number"] for _ in range(2)]
    taken.append(counter.call("call", ticket=p[2]["number"], req=req())["ticket"]["number"])
    expected_rest = numbers([p[3], n1, p[4]])
    assert numbers(counter.call("queue")["tickets"]) == expected_rest
    taken += [counter.call("call_next", req=req())["ticket"]["number"] for _ in range(3)]
    assert taken == numbers([p[0], p[1], p[2], *[p[3], n1, p[4]]])


@pytest.mark.call_gap(0)  # calls within seconds; the gap has its own tests
def test_the_priority_streak_is_per_counter(clocked_server, issue):
    n1 = issue()
    p = [issue(priority=True) for _ in range(4)]
    one = clocked_server.counter(1)
    two = clocked_server.counter(2, "1002", "2345")
    assert one.call("call_next", req=req())["ticket"]["id"] == p[0]["id"]
    assert one.call("call_next", req=req())["ticket"]["id"] == p[1]["id"]
    assert two.call("call_next", req=req())["ticket"]["id"] == p[2]["id"]
    # Counter 1 has taken two priority tickets in a row, so the next priority one is still due.
    assert one.call("call_next", req=req())["ticket"]["id"] == p[3]["id"]
    assert one.call("call_next", req=req())["ticket"]["id"] == n1["id"]


@pytest.mark.call_gap(0)  # calls within seconds; the gap has its own tests
def test_queue_shows_exactly_the_call_next_order(clocked_server, issue):
    services = [A1, B1, A2, A1, B1, A1, A2, B1, A1, A1, B1, A2]
    priorities = [False, True, True, False, True, True, False, True, False, True, False, True]
    for service, priority in zip(services, priorities, strict=True):
        issue(service, priority=priority)
    counter = clocked_server.counter(1)
    counter.call("call", ticket="A003", req=req())  # out of turn, to start from a mixed state
    counter.call("finish")
    queue = counter.call("queue")
    assert queue["total"] == len(queue["tickets"]) == len(services) - 1
    expected = numbers(queue["tickets"])
    taken = []
    while (ticket := counter.call("call_next", req=req())["ticket"]) is not None:
        taken.append(ticket["number"])
        counter.call("finish")
        assert numbers(counter.call("queue")["tickets"]) == expected[len(taken) :]
    assert taken == expected


def test_queue_limit_caps_the_list_but_total_counts_all(clocked_server, issue):
    for _ in range(5):
        issue()
    result = clocked_server.counter(1).call("queue", limit=2)
    assert len(result["tickets"]) == 2 and result["total"] == 5


def test_a_change_is_in_the_database_file_when_its_reply_arrives(clocked_server, kiosk):
    ticket = kiosk.call("issue", service=A1, req=req())["ticket"]
    conn = sqlite3.connect(f"file:{clocked_server.db}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT number, state FROM tickets WHERE id = ?", (ticket["id"],))
        assert row.fetchone() == ("A001", "pending")
    finally:
        conn.close()
