"""Clerk logins against guessing: lockout per (clerk, address), unknown ids indistinguishable,
and a hall-wide alert for staff."""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from shared.config.hall import ClerkConfig, default_config
from shared.domain.clock import FakeClock
from shared.domain.errors import HallError
from shared.protocol import auth
from shared.protocol.ops import validate_request
from shared.server.service import Caller, HallService
from shared.server.store import HallStore

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def service(tmp_path: Path):
    config = replace(
        default_config(),
        key=None,
        timezone="Asia/Shanghai",
        open_time=None,
        close_time=None,
        clerks=(ClerkConfig("1001", "张敏", "1234"), ClerkConfig("1002", "李强", "2345")),
    )
    clock = FakeClock(datetime(2026, 11, 26, 9, 0, tzinfo=TZ))
    svc = HallService(HallStore(tmp_path / "hall.db"), config, clock)
    yield svc
    svc.store.close()


def login(service: HallService, caller: Caller, clerk: str, pin: str):
    request = validate_request({"id": 1, "op": "login", "clerk": clerk, "pin": pin})
    _loose, (outcome,) = service.run_batch([(caller, request)])
    return outcome


def test_wrong_pins_from_one_address_do_not_lock_the_clerk_out_elsewhere(service):
    outsider = Caller("counter", "c9", counter=2, source="192.168.1.66")
    for _ in range(5):
        outcome = login(service, outsider, "1001", "0000")
        assert outcome.error is not None and outcome.error.code == "not_authenticated"
    assert outcome.error.reason == "locked_out"
    locked = login(service, outsider, "1001", "1234")
    assert locked.error is not None and locked.error.reason == "locked_out"
    assert "this address" in locked.error.message
    # The clerk at their own counter is not locked out by the outsider's guesses.
    own = login(service, Caller("counter", "c1", counter=1, source="192.168.1.11"), "1001", "1234")
    assert own.error is None and own.result["clerk"]["id"] == "1001"


def test_an_unknown_clerk_id_gets_the_same_message_in_the_same_time(service):
    # A real PIN cost, so the time of one check stands well above the noise.
    with service.store.transaction() as conn:
        conn.execute(
            "UPDATE clerks SET pin_hash = ? WHERE id = '1001'",
            (auth.hash_pin("1234", iterations=60_000),),
        )
    caller = Caller("counter", "c1", counter=1, source="10.0.0.5")

    def timed(clerk: str) -> tuple[float, str]:
        started = time.perf_counter()
        outcome = login(service, caller, clerk, "0000")
        assert outcome.error is not None
        return time.perf_counter() - started, outcome.error.message

    known, unknown = [], []
    for _ in range(4):  # fewer than the 5 that lock out
        t, known_message = timed("1001")
        known.append(t)
        t, unknown_message = timed("9999")
        unknown.append(t)
    assert known_message == unknown_message == "unknown clerk or wrong PIN"
    ratio = min(unknown) / min(known)  # the least disturbed of each, on a busy machine
    assert 0.6 < ratio < 1.6, f"unknown id {ratio:.2f}× the time of a real one (known {known})"


def test_repeated_wrong_pins_raise_a_hall_wide_alert(hall_server):
    board = hall_server.client("display", "board")
    guesser = hall_server.client("counter", "guesser", counter=2)
    for _ in range(5):
        with pytest.raises(HallError):
            guesser.call("login", clerk="1002", pin="0000")
    alert = board.wait_event("login_alert")["data"]["alert"]
    assert alert["clerk"] == "1002" and alert["source"] == "127.0.0.1"
    assert alert["at"] < alert["until"]
    assert board.call("snapshot")["login_alert"] == alert
    board.close()
    guesser.close()


@pytest.mark.skipif(sys.platform != "linux", reason="needs the 127.0.0.2 loopback address")
def test_the_clerk_logs_in_from_another_address_while_locked_out_at_the_guessers(hall_server):
    guesser = hall_server.client("counter", "guesser", counter=2)
    for _ in range(5):
        with pytest.raises(HallError):
            guesser.call("login", clerk="1001", pin="0000")
    with pytest.raises(HallError, match="locked out"):
        guesser.call("login", clerk="1001", pin="1234")
    board = hall_server.client("display", "board")
    assert board.call("snapshot")["login_alert"]["clerk"] == "1001"
    # The clerk's own PC is another address: the guesses there do not lock it out.
    own = hall_server.client("counter", "counter-1", counter=1, source="127.0.0.2")
    assert own.call("login", clerk="1001", pin="1234")["clerk"]["id"] == "1001"
    assert board.call("snapshot")["login_alert"] is None  # the clerk is back: alert over
    for client in (own, board, guesser):
        client.close()


def test_a_new_pin_lifts_the_lockout(service):
    caller = Caller("counter", "c1", counter=1, source="10.0.0.9")
    for _ in range(5):
        login(service, caller, "1001", "0000")
    assert login(service, caller, "1001", "1234").error.reason == "locked_out"
    with service.store.transaction() as conn:  # what `queue-hall clerk reset-pin` does
        conn.execute("UPDATE clerks SET pin_hash = ? WHERE id = '1001'", (auth.hash_pin("7777"),))
    assert login(service, caller, "1001", "7777").error is None
