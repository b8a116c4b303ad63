"""Protocol v1 ops against a real server: retries, ticket state rules, transfer, reactivate, order."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from shared.domain.errors import HallError
from shared.protocol.codec import encode
from tests.conftest import TEST_PRIORITY_PIN
from tests.conftest import test_config as hall_settings

A1, A2, B1 = "pension_enrol", "pension_claim", "med_enrol"  # A1, A2: category A; B1: category B


def req() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def kiosk(clocked_server):
    return clocked_server.client("kiosk", "kiosk-1")


@pytest.fixture
def issue(kiosk, hall_clock):
    """Issue (and by default confirm) a ticket one second after the previous one."""

    def issue_ticket(service: str = A1, priority: bool = False, printed: bool = True) -> dict:
        hall_clock.advance(1)
        ticket = kiosk.call(
            "issue", service=service, priority=priority, priority_pin=TEST_PRIORITY_PIN, req=req()
        )["ticket"]
        if printed:
            ticket = kiosk.call("printed", ticket=ticket["id"])["ticket"]
        return ticket

    return issue_ticket


def numbers(tickets: list[dict]) -> list[str]:
    return [t["number"] for t in tickets]


def code_of(client, op: str, **params: object) -> str:
    with pytest.raises(HallError) as err:
        client.call(op, **params)
    return err.value.code


def events_until_reply(client, op: str, **params: object) -> tuple[dict, list[dict]]:
    """Send a request; return its reply and the events that arrived before it."""
    seen = len(client.events)
    reply = client.send(op, **params)
    return reply, list(client.events)[seen:]


# -- idempotent retries -----------------------------------------------------------------------


def test_issue_repeated_with_the_same_req_makes_one_ticket(clocked_server, kiosk):
    r = req()
    first = kiosk.call("issue", service=A1, req=r)
    again = kiosk.call("issue", service=A1, req=r)
    assert again == first
    assert kiosk.call("issue", service=A1, req=req())["ticket"]["number"] == "A002"


def test_issue_retried_on_a_new_connection_by_the_same_client_is_replayed(clocked_server, kiosk):
    r = req()
    first = kiosk.call("issue", service=A1, req=r)
    kiosk.close()
    retry = clocked_server.client("kiosk", "kiosk-1").call("issue", service=A1, req=r)
    assert retry == first


def test_issue_retried_after_a_server_restart_is_replayed(clocked_server, kiosk):
    r = req()
    first = kiosk.call("issue", service=A1, req=r)
    clocked_server.restart()
    retry = clocked_server.client("kiosk", "kiosk-1").call("issue", service=A1, req=r)
    assert retry == first


def test_same_req_from_another_client_is_a_new_request(clocked_server, kiosk):
    r = req()
    first = kiosk.call("issue", service=A1, req=r)["ticket"]
    other = clocked_server.client("kiosk", "kiosk-2").call("issue", service=A1, req=r)["ticket"]
    assert other["id"] != first["id"]


def test_replayed_request_sends_no_events(clocked_server, kiosk, issue):
    ticket = issue()
    counter = clocked_server.counter(1)
    r = req()
    counter.call("call_next", req=r)
    counter.wait_event("waiting_changed")
    counter.events.clear()
    reply, events = events_until_reply(counter, "call_next", req=r)
    assert reply["ok"] is True and reply["result"]["ticket"]["id"] == ticket["id"]
    assert events == []
    kiosk.call("ping")
    later = issue()
    assert counter.wait_event()["data"]["ticket"]["id"] == later["id"]


def test_call_next_repeated_with_the_same_req_calls_once(clocked_server, issue):
    first, second = issue(), issue()
    counter = clocked_server.counter(1)
    r = req()
    called = counter.call("call_next", req=r)
    again = counter.call("call_next", req=r)
    assert again == called
    assert called["ticket"]["number"] == first["number"]
    snapshot = counter.call("snapshot")
    assert len(snapshot["recent_calls"]) == 1
    assert snapshot["counters"][0]["ticket"]["id"] == first["id"]
    assert snapshot["counters"][0]["ticket"]["state"] == "called"  # not finished by the retry
    assert numbers(counter.call("queue")["tickets"]) == [second["number"]]


def test_a_failed_request_may_be_retried_with_the_same_req(clocked_server, issue):
    ticket = issue()
    counter = clocked_server.counter(1)
    counter.call("pause")
    r = req()
    assert code_of(counter, "call_next", req=r) == "conflict"
    counter.call("resume")
    assert counter.call("call_next", req=r)["ticket"]["id"] == ticket["id"]


def test_transfer_repeated_with_the_same_req_is_replayed(clocked_server, issue):
    issue()
    counter = clocked_server.counter(1)
    counter.call("call_next", req=req())
    r = req()
    moved = counter.call("transfer", service=B1, req=r)
    assert counter.call("transfer", service=B1, req=r) == moved


# -- printed / print_failed -----------------------------------------------------------------------


def test_issue_gives_a_pending_ticket_with_all_fields(clocked_server, kiosk):
    result = kiosk.call("issue", service=A1, req=req())
    assert set(result) >= {"ticket", "ahead", "est_wait_s"}
    assert isinstance(result["est_wait_s"], int)
    ticket = result["ticket"]
    assert set(ticket) >= {
        "id",
        "number",
        "service",
        "category",
        "priority",
        "state",
        "issued_at",
        "called_at",
        "counter",
        "calls",
    }
    assert ticket["state"] == "pending"
    assert ticket["number"] == "A001"
    assert ticket["service"] == A1 and ticket["category"] == "social_insurance"
    assert ticket["priority"] is False
    assert ticket["issued_at"] == "2026-11-26T09:00:00+08:00"
    assert ticket["called_at"] is None and ticket["counter"] is None and ticket["calls"] == 0


def test_printed_makes_the_ticket_waiting_and_announces_it(clocked_server, kiosk):
    ticket = kiosk.call("issue", service=A1, req=req())["ticket"]
    assert kiosk.call("printed", ticket=ticket["id"])["ticket"]["state"] == "waiting"
    issued = kiosk.wait_event("ticket_issued")
    assert issued["data"]["ticket"]["id"] == ticket["id"]
    assert kiosk.wait_event("waiting_changed")["data"]["waiting"]["social_insurance"] == 1


def test_printed_twice_is_ok_and_sends_no_second_event(clocked_server, kiosk, issue):
    ticket = issue()
    kiosk.wait_event("waiting_changed")
    reply, events = events_until_reply(kiosk, "printed", ticket=ticket["id"])
    assert reply["ok"] is True and reply["result"]["ticket"]["state"] == "waiting"
    assert events == []


def test_print_failed_cancels_a_pending_ticket(clocked_server, kiosk):
    ticket = kiosk.call("issue", service=A1, req=req())["ticket"]
    failed = kiosk.call("print_failed", ticket=ticket["id"], reason="paper jam")["ticket"]
    assert failed["state"] == "cancelled"
    assert kiosk.wait_event("ticket_changed")["data"]["ticket"]["state"] == "cancelled"


def test_print_failed_on_a_ticket_no_longer_pending_is_a_conflict(clocked_server, kiosk, issue):
    waiting = issue()
    assert code_of(kiosk, "print_failed", ticket=waiting["id"], reason="x") == "conflict"
    cancelled = kiosk.call("issue", service=A1, req=req())["ticket"]
    kiosk.call("print_failed", ticket=cancelled["id"], reason="x")
    assert code_of(kiosk, "print_failed", ticket=cancelled["id"], reason="x") == "conflict"


# -- state rules ------------------------------------------------------------------------------


@pytest.mark.parametrize("op", ["recall", "start", "finish", "no_show"])
def test_ticket_ops_without_a_held_ticket_are_conflicts(clocked_server, op):
    assert code_of(clocked_server.counter(1), op) == "conflict"


def test_transfer_without_a_held_ticket_is_a_conflict(clocked_server):
    assert code_of(clocked_server.counter(1), "transfer", service=B1, req=req()) == "conflict"


@pytest.mark.parametrize("op", ["recall", "start", "no_show"])
def test_ops_only_allowed_from_called_are_conflicts_when_serving(clocked_server, issue, op):
    issue()
    counter = clocked_server.counter(1)
    counter.call("call_next", req=req())
    counter.call("start")
    assert code_of(counter, op) == "conflict"
    assert counter.call("finish")["ticket"]["state"] == "done"


def test_recall_announces_the_ticket_again(clocked_server, issue):
    ticket = issue()
    counter = clocked_server.counter(1)
    counter.call("call_next", req=req())
    recalled = counter.call("recall")["ticket"]
    assert recalled["state"] == "called" and recalled["calls"] == 2
    event = counter.wait_event("ticket_called")
    while not event["data"]["recall"]:
        event = counter.wait_event("ticket_called")
    assert event["data"]["ticket"]["id"] == ticket["id"] and event["data"]["counter"] == 1


@pytest.mark.parametrize("from_state", ["called", "serving"])
def test_finish_from_called_or_serving(clocked_server, issue, from_state):
    issue()
    counter = clocked_server.counter(1)
    counter.call("call_next", req=req())
    if from_state == "serving":
        counter.call("start")
    assert counter.call("finish")["ticket"]["state"] == "done"
    assert counter.call("snapshot")["counters"][0]["ticket"] is None


def test_no_show_from_called(clocked_server, issue):
    issue()
    counter = clocked_server.counter(1)
    counter.call("call_next", req=req())
    assert counter.call("no_show")["ticket"]["state"] == "no_show"
    assert counter.call("snapshot")["counters"][0]["ticket"] is None


@pytest.mark.parametrize("op", ["pause", "logout"])
@pytest.mark.parametrize("held", ["called", "serving"])
def test_pause_and_logout_while_holding_are_conflicts(clocked_server, issue, op, held):
    issue()
    counter = clocked_server.counter(1)
    counter.call("call_next", req=req())
    if held == "serving":
        counter.call("start")
    assert code_of(counter, op) == "conflict"
    counter.call("finish")
    counter.call(op)


@pytest.mark.parametrize("held", ["called", "serving"])
def test_call_next_while_holding_finishes_the_held_ticket_in_the_same_step(
    clocked_server, issue, held, hall_clock
):
    first, second = issue(), issue()
    counter = clocked_server.counter(1)
    counter.call("call_next", req=req())
    if held == "serving":
        counter.call("start")
    hall_clock.advance(5)  # the call gap has passed
    counter.call("snapshot")  # its reply comes after every event of the ops before it
    counter.events.clear()
    reply, _ = events_until_reply(counter, "call_next", req=req())
    assert reply["result"]["ticket"]["id"] == second["id"]
    events = list(counter.events)
    while not any(e["event"] == "waiting_changed" for e in events):
        events.append(counter.wait_event())
    names = [(e["event"], e["data"].get("ticket", {}).get("number")) for e in events]
    assert names[:2] == [("ticket_changed", first["number"]), ("ticket_called", second["number"])]
    assert events[0]["data"]["ticket"]["state"] == "done"
    seqs = [e["seq"] for e in events]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))


def test_call_next_while_holding_with_nothing_waiting_finishes_and_returns_null(
    clocked_server, issue, hall_clock
):
    ticket = issue()
    counter = clocked_server.counter(1)
    counter.call("call_next", req=req())
    hall_clock.advance(5)  # the call gap has passed
    assert counter.call("call_next", req=req()) == {"ticket": None}
    snapshot = counter.call("snapshot")
    assert snapshot["counters"][0]["ticket"] is None
    assert snapshot["recent_calls"][0]["ticket"]["id"] == ticket["id"]
    assert code_of(counter, "finish") == "conflict"


def test_call_out_of_turn_while_holding_finishes_the_held_ticket(clocked_server, issue, hall_clock):
    first, _, third = issue(), issue(), issue()
    counter = clocked_server.counter(1)
    counter.call("call_next", req=req())
    hall_clock.advance(5)  # the call gap has passed
    called = counter.call("call", ticket=third["number"], req=req())["ticket"]
    assert called["id"] == third["id"] and called["state"] == "called"
    done = counter.wait_event("ticket_changed")["data"]["ticket"]
    assert done["id"] == first["id"] and done["state"] == "done"


@pytest.mark.call_gap(0)  # calls within seconds; the gap has its own tests
def test_call_accepts_an_id_or_a_number(clocked_server, issue):
    first, second = issue(), issue()
    counter = clocked_server.counter(1)
    assert counter.call("call", ticket=second["id"], req=req())["ticket"]["id"] == second["id"]
    lower = first["number"].lower()
    assert counter.call("call", ticket=lower, req=req())["ticket"]["id"] == first["id"]


def test_call_of_a_ticket_that_is_not_waiting_is_a_conflict(clocked_server, kiosk, issue):
    ticket = issue()
    pending = kiosk.call("issue", service=A1, req=req())["ticket"]
    counter = clocked_server.counter(1)
    counter.call("call_next", req=req())
    other = clocked_server.counter(2, "1002", "2345")
    assert code_of(other, "call", ticket=ticket["number"], req=req()) == "conflict"
    assert code_of(other, "call", ticket=pending["number"], req=req()) == "conflict"


def test_a_ticket_is_held_by_one_counter_only(clocked_server, issue):
    issue()
    first = clocked_server.counter(1)
    second = clocked_server.counter(2, "1002", "2345")
    assert first.call("call_next", req=req())["ticket"] is not None
    assert second.call("call_next", req=req()) == {"ticket": None}


def test_call_next_on_a_paused_counter_is_a_conflict(clocked_server, issue):
    issue()
    counter = clocked_server.counter(1)
    counter.call("pause", reason="break")
    assert code_of(counter, "call_next", req=req()) == "conflict"
    assert code_of(counter, "pause") == "conflict"


def test_call_next_with_nothing_waiting_returns_null(clocked_server):
    assert clocked_server.counter(1).call("call_next", req=req()) == {"ticket": None}


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


# -- rate and clerk_stats (added to v1) ---------------------------------------------------------


def test_rate_records_one_rating_of_a_finished_ticket(clocked_server, issue):
    ticket = issue()
    counter = clocked_server.counter(1)
    counter.call("call_next", req=req())
    assert code_of(counter, "rate", ticket=ticket["id"], level="satisfied") == "conflict"
    counter.call("finish")
    rating = counter.call("rate", ticket=ticket["id"], level="very_satisfied")["rating"]
    assert rating["ticket"] == ticket["id"] and rating["number"] == ticket["number"]
    assert rating["level"] == "very_satisfied" and rating["counter"] == 1
    assert rating["clerk"] == "1001"
    assert counter.wait_event("ticket_rated")["data"] == {"rating": rating}
    assert code_of(counter, "rate", ticket=ticket["id"], level="satisfied") == "conflict"


def test_rate_checks_level_ticket_and_counter(clocked_server, issue):
    ticket = issue()
    one = clocked_server.counter(1)
    one.call("call_next", req=req())
    one.call("finish")
    assert code_of(one, "rate", ticket=ticket["id"], level="great") == "bad_request"
    assert code_of(one, "rate", ticket=4242, level="basic") == "not_found"
    other = clocked_server.counter(2, "1002", "2345")
    assert code_of(other, "rate", ticket=ticket["id"], level="basic") == "forbidden"
    admin = clocked_server.client("admin", "admin-1")
    assert admin.call("rate", ticket=ticket["id"], level="basic")["rating"]["level"] == "basic"


def test_clerk_stats_counts_todays_work_of_the_logged_in_clerk(clocked_server, issue, hall_clock):
    served, missed = issue(), issue()
    counter = clocked_server.counter(1)
    empty = counter.call("clerk_stats")
    assert empty["served"] == 0 and empty["no_shows"] == 0 and empty["mean_service_s"] is None
    counter.call("call_next", req=req())
    hall_clock.advance(120)
    counter.call("finish")
    counter.call("rate", ticket=served["id"], level="satisfied")
    counter.call("call", ticket=missed["number"], req=req())
    counter.call("no_show")
    stats = counter.call("clerk_stats")
    assert stats["clerk"] == "1001" and stats["day"] == "2026-11-26"
    assert stats["served"] == 1 and stats["no_shows"] == 1
    assert stats["mean_service_s"] == 120
    assert stats["ratings"].get("satisfied") == 1


def test_no_shows_lists_todays_no_shows_latest_first(clocked_server, issue, hall_clock):
    first, second, _served = issue(), issue(), issue()
    counter = clocked_server.counter(1)
    assert counter.call("no_shows") == {"tickets": [], "total": 0}
    for _ in (first, second):
        counter.call("call_next", req=req())
        hall_clock.advance(30)
        counter.call("no_show")
    counter.call("call_next", req=req())
    counter.call("finish")
    listed = counter.call("no_shows")
    assert [t["number"] for t in listed["tickets"]] == [second["number"], first["number"]]
    assert listed["total"] == 2
    assert [t["number"] for t in counter.call("no_shows", limit=1)["tickets"]] == [second["number"]]
    counter.call("reactivate", ticket=second["number"])
    assert [t["number"] for t in counter.call("no_shows")["tickets"]] == [first["number"]]


def test_identical_requests_in_one_packet_make_one_ticket(clocked_server, kiosk):
    frame = {"op": "issue", "service": A1, "req": "same-packet"}
    kiosk.send_raw(encode({"id": "x1", **frame}) + encode({"id": "x2", **frame}))
    first, second = kiosk.reply("x1"), kiosk.reply("x2")
    assert first["ok"] is True and second["result"] == first["result"]
    assert kiosk.call("issue", service=A1, req=req())["ticket"]["number"] == "A002"


# -- who may confirm, cancel and rate ---------------------------------------------------------------


def error_of(client, op: str, **params: object) -> HallError:
    with pytest.raises(HallError) as err:
        client.call(op, **params)
    return err.value


def test_only_the_issuing_kiosk_may_confirm_or_cancel_its_ticket(clocked_server, kiosk):
    ticket = kiosk.call("issue", service=A1, req=req())["ticket"]
    other = clocked_server.client("kiosk", "kiosk-2")
    for op in ("print_failed", "printed"):
        refused = error_of(other, op, ticket=ticket["id"])
        assert (refused.code, refused.reason) == ("forbidden", "other_kiosk")
        assert ticket["number"] in refused.message
    # The issuer is not hindered by the refused attempts.
    assert kiosk.call("printed", ticket=ticket["id"])["ticket"]["state"] == "waiting"
    # The same kiosk on a new connection (a restart) still confirms its own tickets.
    again = clocked_server.client("kiosk", "kiosk-1")
    assert again.call("printed", ticket=ticket["id"])["ticket"]["state"] == "waiting"


def test_rate_needs_a_logged_in_clerk_of_that_counter(clocked_server, issue, hall_clock):
    ticket = issue()
    counter = clocked_server.counter(1)
    counter.call("call_next", req=req())
    counter.call("finish")
    counter.call("logout")
    hall_clock.advance(121)  # past the two minutes a rating panel has after a logout
    refused = error_of(counter, "rate", ticket=ticket["id"], level="unsatisfied")
    assert refused.code == "forbidden"
    # A connection at that counter that never logged in is refused too.
    bare = clocked_server.client("counter", "counter-1b", counter=1)
    assert code_of(bare, "rate", ticket=ticket["id"], level="unsatisfied") == "forbidden"
    # The clerk who finished it, logged in again, may record the resident's rating.
    counter.call("login", clerk="1001", pin="1234")
    assert counter.call("rate", ticket=ticket["id"], level="satisfied")["rating"]["clerk"] == "1001"


def test_a_rating_sent_just_after_the_clerk_logged_out_still_counts(
    clocked_server, issue, hall_clock
):
    """The resident presses a rating key while the clerk logs out: the rating is kept, for
    the clerk who finished the ticket, for two minutes after the finish."""
    ticket = issue()
    counter = clocked_server.counter(1)
    counter.call("call_next", req=req())
    counter.call("finish")
    counter.call("logout")
    hall_clock.advance(30)
    rating = counter.call("rate", ticket=ticket["id"], level="very_satisfied")["rating"]
    assert rating["clerk"] == "1001"


def test_rate_by_the_clerk_now_at_the_counter_is_accepted(clocked_server, issue):
    ticket = issue()
    first = clocked_server.counter(1)
    first.call("call_next", req=req())
    first.call("finish")
    first.call("logout")
    successor = clocked_server.counter(1, "1002", "2345", name="counter-1-next")
    rating = successor.call("rate", ticket=ticket["id"], level="basic")["rating"]
    assert rating["clerk"] == "1001"  # the rating stays with the clerk who served


# -- priority proof and the issuing rate ------------------------------------------------------------


def test_priority_ticket_needs_the_staff_pin_checked_by_the_server(clocked_server, kiosk):
    for proof in ({}, {"priority_pin": "0000"}, {"priority_pin": TEST_PRIORITY_PIN + "0"}):
        refused = error_of(kiosk, "issue", service=A1, priority=True, req=req(), **proof)
        assert (refused.code, refused.reason) == ("forbidden", "priority_proof")
    granted = kiosk.call(
        "issue", service=A1, priority=True, priority_pin=TEST_PRIORITY_PIN, req=req()
    )["ticket"]
    assert granted["priority"] is True and granted["number"] == "A001"  # refusals took no number
    # Ordinary tickets need no proof, as before.
    assert kiosk.call("issue", service=A1, req=req())["ticket"]["priority"] is False


@pytest.mark.parametrize("hall_config", [hall_settings(priority_pin=None)])
def test_a_hall_without_a_priority_pin_issues_no_priority_tickets(clocked_server, kiosk):
    refused = error_of(kiosk, "issue", service=A1, priority=True, priority_pin="2580", req=req())
    assert (refused.code, refused.reason) == ("forbidden", "priority_proof")


@pytest.mark.parametrize("hall_config", [hall_settings(issue_burst=10, issues_per_minute=20)])
def test_one_kiosk_takes_at_most_its_burst_then_its_rate(clocked_server, kiosk, hall_clock):
    for _ in range(10):
        kiosk.call("issue", service=A1, req=req())
    refused = error_of(kiosk, "issue", service=A1, req=req())
    assert (refused.code, refused.reason) == ("issuing_closed", "rate_limit")
    assert "try again in 3 s" in refused.message and refused.retry_after_s == 3
    # Another kiosk is not slowed down by the first one.
    other = clocked_server.client("kiosk", "kiosk-2")
    assert other.call("issue", service=A1, req=req())["ticket"]["state"] == "pending"
    hall_clock.advance(3)  # 20 a minute: one more ticket every 3 s
    kiosk.call("issue", service=A1, req=req())
    assert error_of(kiosk, "issue", service=A1, req=req()).reason == "rate_limit"
    # A retry of a ticket already issued is a replay, not a new ticket: it costs nothing.
    hall_clock.advance(3)
    again = req()
    first = kiosk.call("issue", service=A1, req=again)
    assert kiosk.call("issue", service=A1, req=again) == first


def _service_with(tmp_path, **settings):
    from shared.domain.clock import FakeClock
    from shared.server.service import HallService
    from shared.server.store import HallStore

    clock = FakeClock(datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    return HallService(HallStore(tmp_path / "h.db"), hall_settings(**settings), clock), clock


def _issue(service, caller, **params):
    from shared.protocol.ops import Request

    _, (outcome,) = service.run_batch([(caller, Request(1, "issue", {"service": A1, **params}))])
    return outcome


def test_a_device_on_the_network_gets_no_fresh_bucket_by_changing_its_name(tmp_path):
    """Names are the device's own word: one address off the server PC is held to four
    kiosks' worth however many names it takes."""
    from shared.server.service import Caller

    service, _ = _service_with(tmp_path, issue_burst=10, issues_per_minute=20)
    issued = refused = 0
    for n in range(100):
        caller = Caller(role="kiosk", client=f"kiosk-{n}", source="192.168.1.50")
        outcome = _issue(service, caller, req=req())
        if outcome.error is None:
            issued += 1
        else:
            assert outcome.error.reason == "rate_limit"
            refused += 1
    assert issued == 40 and refused == 60
    # Another machine's kiosk is not slowed down by it.
    other = Caller(role="kiosk", client="kiosk-east", source="192.168.1.51")
    assert _issue(service, other, req=req()).error is None
    service.store.close()


def test_an_address_guessing_the_staff_pin_gets_no_priority_ticket_for_ten_minutes(tmp_path):
    from shared.server.service import Caller

    service, clock = _service_with(tmp_path)
    for n in range(5):
        guesser = Caller(role="kiosk", client=f"guess-{n}", source="192.168.1.60")
        wrong = _issue(service, guesser, priority=True, priority_pin=f"{n:04d}", req=req())
        assert wrong.error is not None and wrong.error.reason == "priority_proof"
    right = {"priority": True, "priority_pin": TEST_PRIORITY_PIN}
    guesser = Caller(role="kiosk", client="guess-new-name", source="192.168.1.60")
    locked = _issue(service, guesser, req=req(), **right)
    assert locked.error is not None and "too many wrong staff PINs" in locked.error.message
    honest = Caller(role="kiosk", client="kiosk-1", source="192.168.1.61")
    assert _issue(service, honest, req=req(), **right).error is None
    service.store.close()
