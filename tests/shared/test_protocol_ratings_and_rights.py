"""Protocol v1 ops against a real server: ratings and the clerk's figures, who may confirm, cancel
and rate, the priority proof and each kiosk's issuing rate."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from shared.domain.errors import HallError
from shared.protocol.codec import encode
from tests.conftest import TEST_PRIORITY_PIN
from tests.conftest import test_config as hall_settings
from tests.shared.protocol_support import A1, code_of, req

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
