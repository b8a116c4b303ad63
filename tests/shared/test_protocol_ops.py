"""Protocol v1 ops against a real server: retries, printed and print_failed, the ticket state rules."""

from __future__ import annotations

import pytest

from tests.shared.protocol_support import A1, B1, code_of, events_until_reply, numbers, req

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
