"""The hall service on a real SQLite file with a clock the test moves (no sockets)."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from shared.config.hall import CounterConfig, default_config
from shared.domain.clock import FakeClock
from shared.protocol.ops import validate_request
from shared.server.service import Caller, HallService
from shared.server.store import HallStore

TZ = ZoneInfo("Asia/Shanghai")
CLERKS = default_config().clerks


PRIORITY_PIN = "2580"


def config(**changes):
    base = replace(
        default_config(),
        key=None,
        timezone="Asia/Shanghai",
        open_time=None,
        close_time=None,
        priority_pin=PRIORITY_PIN,
        issue_burst=1_000_000,
        issues_per_minute=1_000_000,
    )
    return replace(base, **changes)


@pytest.fixture
def clock():
    return FakeClock(datetime(2026, 11, 26, 9, 0, tzinfo=TZ))


@pytest.fixture
def service(tmp_path: Path, clock):
    svc = HallService(HallStore(tmp_path / "hall.db"), config(), clock)
    yield svc
    svc.store.close()


def readable(events):
    """(seq, name, frame bytes) -> (seq, name, data), checking each frame says what it carries."""
    out = []
    for seq, name, frame in events:
        decoded = json.loads(frame)
        assert (decoded["seq"], decoded["event"]) == (seq, name)
        out.append((seq, name, decoded["data"]))
    return out


class Hall:
    """Runs single requests through the service the way the server does."""

    def __init__(self, service: HallService) -> None:
        self.service = service
        self.n = 0
        self.loose: list = []

    def run(self, caller: Caller, op: str, **params):
        self.n += 1
        request = validate_request({"id": self.n, "op": op, **params})
        loose, (outcome,) = self.service.run_batch([(caller, request)])
        self.loose += readable(loose)
        outcome.events = readable(outcome.events)
        if outcome.clerk is not None:
            caller.clerk = outcome.clerk or None
        return outcome

    def ok(self, caller: Caller, op: str, **params):
        outcome = self.run(caller, op, **params)
        assert outcome.error is None, outcome.error
        return outcome.result

    def err(self, caller: Caller, op: str, **params):
        outcome = self.run(caller, op, **params)
        assert outcome.error is not None, outcome.result
        return outcome.error

    def issue(self, service="pension_enrol", printed=True, priority=False, kiosk=None):
        kiosk = kiosk or Caller("kiosk", "k1")
        result = self.ok(
            kiosk,
            "issue",
            service=service,
            req=uuid.uuid4().hex,
            priority=priority,
            priority_pin=PRIORITY_PIN,
        )
        if printed:
            self.ok(kiosk, "printed", ticket=result["ticket"]["id"])
        return result

    def counter(self, number: int, clerk_index: int = 0) -> Caller:
        caller = Caller("counter", f"c{number}", counter=number)
        clerk = CLERKS[clerk_index]
        self.ok(caller, "login", clerk=clerk.id, pin=clerk.pin)
        return caller


@pytest.fixture
def hall(service):
    return Hall(service)


def test_numbers_run_per_prefix_and_restart_each_day(hall, clock):
    a1 = hall.issue("pension_enrol")["ticket"]["number"]
    a2 = hall.issue("pension_enrol")["ticket"]["number"]
    other = next(
        s for s in hall.service.config.catalog.services if s.category != "social_insurance"
    )
    b1 = hall.issue(other.code)["ticket"]["number"]
    assert (a1, a2) == ("A001", "A002")
    assert b1.endswith("001") and b1[0] != "A"
    clock.advance(hours=24)
    assert hall.issue("pension_enrol")["ticket"]["number"] == "A001"


def test_numbers_are_never_reused_after_reopening_the_database(tmp_path, clock):
    store = HallStore(tmp_path / "h.db")
    hall = Hall(HallService(store, config(), clock))
    hall.issue()
    store.close()
    hall = Hall(HallService(HallStore(tmp_path / "h.db"), config(), clock))
    assert hall.issue()["ticket"]["number"] == "A002"


def test_pending_ticket_becomes_waiting_after_the_timeout(hall, clock):
    ticket = hall.issue(printed=False)["ticket"]
    assert ticket["state"] == "pending"
    clock.advance(59)
    hall.ok(Caller("display", "d"), "snapshot")
    assert not [e for e in hall.loose if e[1] == "ticket_issued"]
    clock.advance(2)
    snap = hall.ok(Caller("display", "d"), "snapshot")
    issued = [e for e in hall.loose if e[1] == "ticket_issued"]
    assert issued and issued[0][2]["ticket"]["id"] == ticket["id"]
    assert issued[0][2]["ticket"]["state"] == "waiting"
    assert snap["waiting"]["social_insurance"] == 1


def test_day_reset_expires_open_tickets_and_sends_one_event(hall, clock):
    c = hall.counter(1)
    hall.issue()
    hall.issue()
    hall.issue(printed=False)
    hall.ok(c, "call_next", req="x")
    clock.set(datetime(2026, 11, 27, 8, 0, tzinfo=TZ))
    snap = hall.ok(Caller("display", "d"), "snapshot")
    resets = [e for e in hall.loose if e[1] == "day_reset"]
    assert [e[2] for e in resets] == [{"day": "2026-11-27"}]
    states = [r[0] for r in hall.service.store.all("SELECT state FROM tickets ORDER BY id")]
    assert states == ["expired", "expired", "expired"]
    assert all(k["state"] == "closed" and k["ticket"] is None for k in snap["counters"])
    assert sum(snap["waiting"].values()) == 0
    hall.ok(Caller("display", "d"), "snapshot")
    assert len([e for e in hall.loose if e[1] == "day_reset"]) == 1


def test_day_reset_follows_the_configured_reset_time(tmp_path, clock):
    hall = Hall(HallService(HallStore(tmp_path / "h.db"), config(day_reset=time(3, 0)), clock))
    hall.issue()
    clock.set(datetime(2026, 11, 27, 2, 30, tzinfo=TZ))
    assert hall.issue()["ticket"]["number"] == "A002"  # still the same business day
    clock.set(datetime(2026, 11, 27, 3, 0, tzinfo=TZ))
    assert hall.issue()["ticket"]["number"] == "A001"


def test_outside_business_hours_nothing_is_issued(tmp_path, clock):
    svc = HallService(
        HallStore(tmp_path / "h.db"), config(open_time=time(8, 30), close_time=time(17, 30)), clock
    )
    hall = Hall(svc)
    clock.set(datetime(2026, 11, 26, 8, 0, tzinfo=TZ))
    error = hall.err(Caller("kiosk", "k"), "issue", service="pension_enrol", req="a")
    assert error.code == "issuing_closed" and "08:30" in error.message
    assert hall.ok(Caller("kiosk", "k"), "catalog")["issuing"] is False
    clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=TZ))
    assert hall.issue()["ticket"]["number"] == "A001"
    clock.set(datetime(2026, 11, 26, 17, 30, tzinfo=TZ))
    assert (
        hall.err(Caller("kiosk", "k"), "issue", service="pension_enrol", req="b").code
        == "issuing_closed"
    )


def test_daily_limit_closes_the_service(tmp_path, clock):
    cfg = config()
    services = tuple(
        replace(s, daily_limit=2) if s.code == "pension_enrol" else s for s in cfg.catalog.services
    )
    cfg = replace(cfg, catalog=replace(cfg.catalog, services=services))
    hall = Hall(HallService(HallStore(tmp_path / "h.db"), cfg, clock))
    hall.issue()
    hall.issue()
    error = hall.err(Caller("kiosk", "k"), "issue", service="pension_enrol", req="z")
    assert error.code == "issuing_closed" and "2" in error.message
    item = next(
        s
        for s in hall.ok(Caller("kiosk", "k"), "catalog")["services"]
        if s["code"] == "pension_enrol"
    )
    assert item["open"] is False and item["full"] is True


def test_repeated_req_returns_the_first_result_and_changes_nothing(hall):
    kiosk = Caller("kiosk", "k1")
    first = hall.ok(kiosk, "issue", service="pension_enrol", req="same")
    again = hall.ok(kiosk, "issue", service="pension_enrol", req="same")
    assert again == first
    assert hall.service.store.scalar("SELECT count(*) FROM tickets") == 1
    other_client = hall.ok(Caller("kiosk", "k2"), "issue", service="pension_enrol", req="same")
    assert other_client["ticket"]["id"] != first["ticket"]["id"]


def test_five_wrong_pins_lock_the_clerk_out_for_ten_minutes(hall, clock):
    c = Caller("counter", "c1", counter=1)
    clerk = CLERKS[0]
    for _ in range(5):
        assert hall.err(c, "login", clerk=clerk.id, pin="0000").code == "not_authenticated"
    error = hall.err(c, "login", clerk=clerk.id, pin=clerk.pin)
    assert "locked" in error.message
    clock.advance(minutes=10, seconds=1)
    assert hall.ok(c, "login", clerk=clerk.id, pin=clerk.pin)["clerk"]["id"] == clerk.id


def test_estimate_uses_mean_service_time_and_open_counters(hall, clock):
    c1, c2 = hall.counter(1), hall.counter(2, 1)
    for _ in range(2):
        hall.issue()
        hall.ok(c1, "call_next", req=f"n{hall.n}")
        clock.advance(120)
        hall.ok(c1, "finish")
    for _ in range(4):
        hall.issue()
    result = hall.issue()
    assert result["ahead"] == 4
    assert result["est_wait_s"] == 4 * 120 // 2
    assert c2.counter == 2


def test_call_next_finishes_the_held_ticket_in_the_same_change(hall, clock):
    c = hall.counter(1)
    hall.issue()
    hall.issue()
    first = hall.ok(c, "call_next", req="a")["ticket"]
    clock.advance(5)  # the call gap has passed
    outcome = hall.run(c, "call_next", req="b")
    names = [e[1] for e in outcome.events]
    assert names[0] == "ticket_changed" and outcome.events[0][2]["ticket"]["state"] == "done"
    assert outcome.events[0][2]["ticket"]["id"] == first["id"]
    assert "ticket_called" in names
    seqs = [e[0] for e in outcome.events]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))


def test_ticket_log_records_every_step_with_counter_and_clerk(hall):
    c = hall.counter(4)
    ticket = hall.issue()["ticket"]
    hall.ok(c, "call_next", req="a")
    hall.ok(c, "start")
    hall.ok(c, "finish")
    rows = hall.service.store.all(
        "SELECT action, state, counter, clerk_id FROM ticket_log WHERE ticket_id = ? ORDER BY id",
        (ticket["id"],),
    )
    assert [(r[0], r[1]) for r in rows] == [
        ("issue", "pending"),
        ("printed", "waiting"),
        ("call", "called"),
        ("start", "serving"),
        ("finish", "done"),
    ]
    assert rows[-1][2] == 4 and rows[-1][3] == CLERKS[0].id


def test_counters_with_service_sets_only_get_their_services(tmp_path, clock):
    counters = (CounterConfig(1, "1号窗口", ("pension_enrol",)), CounterConfig(2, "2号窗口", None))
    hall = Hall(HallService(HallStore(tmp_path / "h.db"), config(counters=counters), clock))
    other = next(s.code for s in hall.service.config.catalog.services if s.code != "pension_enrol")
    hall.issue(other)
    hall.issue("pension_enrol")
    c1 = hall.counter(1)
    assert hall.ok(c1, "call_next", req="1")["ticket"]["service"] == "pension_enrol"
    clock.advance(5)  # the call gap
    assert hall.ok(c1, "call_next", req="2")["ticket"] is None


def test_read_only_database_refuses_changes_with_a_clear_error(tmp_path, clock):
    hall = Hall(HallService(HallStore(tmp_path / "h.db"), config(), clock))
    hall.issue()
    hall.service.store.conn.execute("PRAGMA query_only = ON")
    outcome = hall.run(Caller("kiosk", "k"), "issue", service="pension_enrol", req="ro")
    assert outcome.error is not None and outcome.error.code == "unavailable"
    assert "cannot save" in outcome.error.message
    hall.service.store.conn.execute("PRAGMA query_only = OFF")
    assert hall.issue()["ticket"]["number"] == "A002"  # nothing was half-written; it recovers


def test_a_finished_ticket_is_rated_once_by_its_counter(hall):
    c1, c2 = hall.counter(1), hall.counter(2, 1)
    ticket = hall.issue()["ticket"]
    hall.ok(c1, "call_next", req="a")
    assert (
        hall.err(c1, "rate", ticket=ticket["id"], level="satisfied").code == "conflict"
    )  # not finished yet
    hall.ok(c1, "finish")
    assert hall.err(c2, "rate", ticket=ticket["id"], level="satisfied").code == "forbidden"
    outcome = hall.run(c1, "rate", ticket=ticket["id"], level="very_satisfied")
    assert outcome.result["rating"]["level"] == "very_satisfied"
    assert [e[1] for e in outcome.events] == ["ticket_rated"]
    again = hall.err(c1, "rate", ticket=ticket["id"], level="unsatisfied")
    assert again.code == "conflict" and "already" in again.message
    assert hall.service.store.scalar(
        "SELECT level FROM ratings WHERE ticket_id = ?", (ticket["id"],)
    ) == ("very_satisfied")


def test_clerk_stats_count_today_for_the_logged_in_clerk(hall, clock):
    c = hall.counter(3)
    for seconds in (100, 300):
        hall.issue()
        hall.ok(c, "call_next", req=uuid.uuid4().hex)
        clock.advance(seconds)
        hall.ok(c, "finish")
    hall.issue()
    hall.ok(c, "call_next", req=uuid.uuid4().hex)
    hall.ok(c, "no_show")
    first = hall.service.store.scalar("SELECT min(id) FROM tickets")
    hall.ok(c, "rate", ticket=first, level="satisfied")
    stats = hall.ok(c, "clerk_stats")
    assert (stats["served"], stats["no_shows"], stats["mean_service_s"]) == (2, 1, 200)
    assert stats["ratings"] == {"satisfied": 1}
    other = hall.counter(4, 1)
    assert hall.ok(other, "clerk_stats")["served"] == 0


def test_issuing_closed_errors_say_why_in_a_reason(tmp_path, clock):
    cfg = config(open_time=time(8, 30))
    services = tuple(
        replace(s, daily_limit=1) if s.code == "pension_enrol" else s for s in cfg.catalog.services
    )
    hall = Hall(
        HallService(
            HallStore(tmp_path / "h.db"),
            replace(cfg, catalog=replace(cfg.catalog, services=services)),
            clock,
        )
    )
    hall.issue()
    full = hall.err(Caller("kiosk", "k"), "issue", service="pension_enrol", req="f")
    assert (full.code, full.reason) == ("issuing_closed", "daily_limit")
    assert full.to_wire()["reason"] == "daily_limit"
    clock.set(datetime(2026, 11, 26, 7, 0, tzinfo=TZ))
    early = hall.err(Caller("kiosk", "k"), "issue", service="pension_enrol", req="g")
    assert (early.code, early.reason) == ("issuing_closed", "hours")


def test_a_clerk_logging_in_at_another_counter_closes_the_one_left_idle(hall):
    first = hall.counter(3)
    outcome = hall.run(
        Caller("counter", "c7", counter=7), "login", clerk=CLERKS[0].id, pin=CLERKS[0].pin
    )
    assert outcome.error is None
    closed = [e[2]["counter"] for e in outcome.events if e[2]["counter"]["number"] == 3]
    assert closed and closed[0]["state"] == "closed" and closed[0]["clerk"] is None
    assert (
        hall.err(first, "call_next", req="x").code == "forbidden"
    )  # the old window must log in again


def test_a_counter_whose_client_is_gone_closes_unless_a_ticket_is_in_hand(hall):
    c4, c5 = hall.counter(4), hall.counter(5, 1)
    hall.issue()
    hall.ok(c5, "call_next", req="held")
    gone4 = Caller("server", "server", counter=4, clerk=c4.clerk)
    outcome = hall.run(gone4, "counter_gone")
    assert outcome.events and outcome.events[0][2]["counter"]["state"] == "closed"
    gone5 = Caller("server", "server", counter=5, clerk=c5.clerk)
    assert hall.run(gone5, "counter_gone").events == []  # a ticket in hand keeps it open
    assert hall.err(c4, "counter_gone").code == "forbidden"  # no client may send it
