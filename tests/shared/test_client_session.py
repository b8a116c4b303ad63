"""The sans-IO client session: frames in, the frames it sends and what it tells the app out."""

from __future__ import annotations

import json
from typing import Any

import pytest

from shared.domain.errors import HallError
from shared.protocol import auth
from shared.protocol.client_hello import MISSING_KEY, build_hello
from shared.protocol.codec import PROTO, encode
from shared.protocol.replies import Reply, error_reason, result_of
from shared.protocol.retry import REPLAY_MAX_AGE_S, Backoff, PendingRequest, may_replay
from shared.protocol.session import (
    CONNECTING,
    OFFLINE,
    ONLINE,
    SILENCE_LIMIT_S,
    ClientSession,
)


class Fake:
    """The shell: records what the session writes and tells, and keeps its clock."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.told: list[tuple[Any, ...]] = []
        self.aborted = 0
        self.now = 1000.0

    def write(self, data: bytes) -> None:
        assert data.endswith(b"\n")
        self.sent.append(json.loads(data))

    def abort(self) -> None:
        self.aborted += 1

    def __getattr__(self, hook: str) -> Any:
        if not hook.startswith("on_"):
            raise AttributeError(hook)
        return lambda *args: self.told.append((hook, *args))

    def hooks(self, name: str) -> list[tuple[Any, ...]]:
        return [t[1:] for t in self.told if t[0] == name]

    def last(self, op: str) -> dict[str, Any]:
        return [m for m in self.sent if m.get("op") == op][-1]

    def ops(self) -> list[str]:
        return [m["op"] for m in self.sent]


def make(**kwargs: Any) -> tuple[ClientSession, Fake]:
    fake = Fake()
    kwargs.setdefault("reconnect_min_s", 0.5)
    session = ClientSession(
        kwargs.pop("role", "counter"),
        kwargs.pop("client", "counter-3"),
        fake,
        fake,
        clock=lambda: fake.now,
        **kwargs,
    )
    return session, fake


def feed(session: ClientSession, *frames: dict[str, Any]) -> None:
    session.receive(b"".join(encode(f) for f in frames))


def answer(session: ClientSession, message: dict[str, Any], result: dict[str, Any]) -> None:
    feed(session, {"id": message["id"], "ok": True, "result": result})


def refuse(session: ClientSession, message: dict[str, Any], code: str, reason: str = "") -> None:
    error = {"code": code, "message": f"{code} here", "reason": reason}
    feed(session, {"id": message["id"], "ok": False, "error": error})


def event(name: str, seq: int, **data: Any) -> dict[str, Any]:
    return {"event": name, "seq": seq, "data": data}


def welcome(**data: Any) -> dict[str, Any]:
    return {"event": "welcome", "seq": None, "data": {"nonce": "ab12", **data}}


def online(session: ClientSession, fake: Fake, seq: int = 10, day: str = "2026-03-02") -> None:
    """Connect and go through welcome, hello and the snapshot."""
    session.connecting()
    session.connected()
    feed(session, welcome())
    answer(session, fake.last("hello"), {"server_time": "x"})
    answer(session, fake.last("snapshot"), {"seq": seq, "day": day, "next": None})
    assert session.state == ONLINE


# -- the handshake ---------------------------------------------------------------------------


def test_the_welcome_is_answered_with_a_hello_naming_role_client_and_counter() -> None:
    session, fake = make(counter=3)
    session.connecting()
    feed(session, welcome())
    assert fake.sent == [
        {
            "id": 1,
            "op": "hello",
            "proto": PROTO,
            "role": "counter",
            "client": "counter-3",
            "counter": 3,
        }
    ]
    assert session.welcome == {"nonce": "ab12"}


def test_a_keyed_hall_gets_the_hmac_of_its_nonce() -> None:
    session, fake = make(key="secret")
    session.connecting()
    feed(session, welcome(auth=True, nonce="n0nce"))
    assert fake.last("hello")["auth"] == auth.hello_auth("secret", "n0nce")


def test_a_keyed_hall_without_a_key_fails_the_handshake_and_drops() -> None:
    session, fake = make()
    session.connecting()
    feed(session, welcome(auth=True))
    assert fake.sent == []
    assert fake.hooks("on_handshake_failed") == [("not_authenticated", MISSING_KEY)]
    assert fake.aborted == 1
    with pytest.raises(HallError):
        build_hello({"auth": True, "nonce": "x"}, "display", "board")


def test_a_refused_hello_is_told_and_the_connection_dropped() -> None:
    session, fake = make()
    session.connecting()
    feed(session, welcome())
    refuse(session, fake.last("hello"), "proto_mismatch")
    assert fake.hooks("on_handshake_failed") == [("proto_mismatch", "proto_mismatch here")]
    assert fake.aborted == 1 and session.state == CONNECTING
    feed(session, event("ticket_issued", 1))  # nothing more is read from a dropped connection
    assert session.held == []


def test_after_hello_the_snapshot_makes_it_online() -> None:
    session, fake = make()
    session.connecting()
    feed(session, welcome())
    answer(session, fake.last("hello"), {"server_time": "2026-03-02T09:00:00"})
    assert fake.hooks("on_hello") == [({"server_time": "2026-03-02T09:00:00"},)]
    assert fake.ops() == ["hello", "snapshot"] and session.state == CONNECTING
    answer(session, fake.last("snapshot"), {"seq": 7, "day": "d1", "next": None})
    assert session.online and session.seq == 7
    assert fake.hooks("on_state") == [(CONNECTING,), (ONLINE,)]
    assert fake.hooks("on_ready") == [({"seq": 7, "day": "d1", "next": None},)]


def test_a_paged_snapshot_is_read_to_its_last_page() -> None:
    session, fake = make()
    session.connecting()
    feed(session, welcome())
    answer(session, fake.last("hello"), {})
    answer(session, fake.last("snapshot"), {"seq": 4, "counters": [1], "next": "p2"})
    assert fake.last("snapshot")["page"] == "p2" and not session.online
    answer(session, fake.last("snapshot"), {"seq": 4, "counters": [2], "next": None})
    assert session.online and session.snapshot is not None
    assert session.snapshot["counters"] == [1, 2]


def test_an_expired_snapshot_page_starts_the_reading_over() -> None:
    session, fake = make()
    session.connecting()
    feed(session, welcome())
    answer(session, fake.last("hello"), {})
    answer(session, fake.last("snapshot"), {"seq": 4, "counters": [1], "next": "p2"})
    refuse(session, fake.last("snapshot"), "conflict", "page_expired")
    assert "page" not in fake.last("snapshot") and fake.aborted == 0
    answer(session, fake.last("snapshot"), {"seq": 5, "counters": [1, 2], "next": None})
    assert session.online and session.seq == 5


def test_a_refused_snapshot_drops_the_connection() -> None:
    session, fake = make()
    session.connecting()
    feed(session, welcome())
    answer(session, fake.last("hello"), {})
    refuse(session, fake.last("snapshot"), "internal")
    assert fake.aborted == 1 and not session.online


def test_a_fatal_bad_frame_drops_the_connection() -> None:
    session, fake = make()
    session.connecting()
    session.receive(b"x" * 70_000)
    assert fake.aborted == 1


# -- events and resync -----------------------------------------------------------------------


def test_events_in_seq_order_reach_the_app() -> None:
    session, fake = make()
    online(session, fake, seq=10)
    feed(session, event("ticket_issued", 11, n=1), event("ticket_called", 12))
    feed(session, event("ticket_issued", 12))  # a repeat is already known
    assert fake.hooks("on_event") == [("ticket_issued", 11, {"n": 1}), ("ticket_called", 12, {})]
    assert session.seq == 12


def test_a_gap_in_seq_asks_for_a_snapshot_and_applies_the_held_events_after_it() -> None:
    session, fake = make()
    online(session, fake, seq=10)
    sent = len(fake.sent)
    feed(session, event("ticket_issued", 13))
    assert fake.ops()[sent:] == ["snapshot"] and not session.synced
    feed(session, event("ticket_called", 14))  # held until the snapshot is in
    assert fake.hooks("on_event") == []
    answer(session, fake.last("snapshot"), {"seq": 13, "next": None})
    assert fake.hooks("on_event") == [("ticket_called", 14, {})]  # 13 is in the snapshot
    assert session.seq == 14


def test_an_app_asked_resync_reads_a_snapshot_once_and_holds_the_events_until_it() -> None:
    session, fake = make()
    online(session, fake, seq=10)
    readies = len(fake.hooks("on_ready"))
    sent = len(fake.sent)
    session.resync()
    session.resync()  # a second ask while the first snapshot is on its way changes nothing
    assert fake.ops()[sent:] == ["snapshot"] and not session.synced
    feed(session, event("ticket_called", 11), event("ticket_called", 12))
    assert fake.hooks("on_event") == []
    answer(session, fake.last("snapshot"), {"seq": 11, "next": None})
    assert len(fake.hooks("on_ready")) == readies + 1
    assert fake.hooks("on_event") == [("ticket_called", 12, {})]


def test_resync_while_offline_is_left_to_the_reconnect() -> None:
    session, fake = make()
    session.resync()
    assert fake.sent == []


def test_events_before_the_first_snapshot_are_held() -> None:
    session, fake = make()
    session.connecting()
    feed(session, welcome())
    answer(session, fake.last("hello"), {})
    feed(session, event("ticket_issued", 5), event("ticket_issued", 6))
    answer(session, fake.last("snapshot"), {"seq": 5, "next": None})
    assert fake.hooks("on_event") == [("ticket_issued", 6, {})]


def test_day_reset_resyncs_and_the_clerk_logs_in_again() -> None:
    session, fake = make()
    online(session, fake, seq=10)
    session.login("1001", "1234")
    answer(session, fake.last("login"), {"clerk": "1001"})
    assert session.login_as == ("1001", "1234")
    feed(session, event("day_reset", 11))
    assert fake.ops()[-1] == "snapshot" and session.login_as is None
    assert fake.hooks("on_login_failed")[0][0] == "day_reset"
    assert fake.hooks("on_event") == []


# -- reconnects ------------------------------------------------------------------------------


def test_the_clerk_is_logged_in_again_after_a_reconnect_on_the_same_day() -> None:
    session, fake = make()
    online(session, fake, day="d1")
    session.login("1001", "1234")
    answer(session, fake.last("login"), {})
    assert session.connection_lost() is not None
    session.connecting()
    feed(session, welcome())
    answer(session, fake.last("hello"), {})
    answer(session, fake.last("snapshot"), {"seq": 20, "day": "d1", "next": None})
    relogin = fake.last("login")
    assert relogin["clerk"] == "1001" and relogin["pin"] == "1234" and not session.online
    answer(session, relogin, {})
    assert fake.ops()[-1] == "snapshot"
    answer(session, fake.last("snapshot"), {"seq": 20, "day": "d1", "next": None})
    assert session.online


def test_a_new_day_after_a_reconnect_forgets_the_clerk() -> None:
    session, fake = make()
    online(session, fake, day="d1")
    session.login("1001", "1234")
    answer(session, fake.last("login"), {})
    session.connection_lost()
    session.connecting()
    feed(session, welcome())
    answer(session, fake.last("hello"), {})
    logins = fake.ops().count("login")
    answer(session, fake.last("snapshot"), {"seq": 20, "day": "d2", "next": None})
    assert fake.ops().count("login") == logins and session.online
    assert fake.hooks("on_login_failed")[0][0] == "day_reset"


def test_an_idempotent_request_in_flight_is_sent_again_with_the_same_req() -> None:
    session, fake = make()
    online(session, fake, day="d1")
    replies: list[Reply] = []
    session.request("call_next", {}, replies.append)
    session.request("recall", {}, replies.append)  # not idempotent: failed at once
    req = fake.last("call_next")["req"]
    assert req
    session.connection_lost()
    assert [r.code for r in replies] == ["disconnected"]
    assert [p.op for p in session.replay] == ["call_next"]
    online(session, fake, day="d1")
    again = fake.last("call_next")
    assert again["req"] == req and session.replay == []
    answer(session, again, {"ticket": {"id": 1}})
    assert replies[-1].ok and replies[-1].result == {"ticket": {"id": 1}}


@pytest.mark.parametrize(
    ("wait_s", "day"), [(REPLAY_MAX_AGE_S + 1, "d1"), (1.0, "d2")], ids=["too old", "new day"]
)
def test_a_lost_request_is_not_sent_again_when_too_old_or_of_another_day(wait_s, day) -> None:
    session, fake = make()
    online(session, fake, day="d1")
    replies: list[Reply] = []
    session.request("issue", {"service": "x"}, replies.append)
    session.connection_lost()
    fake.now += wait_s
    sent = fake.ops().count("issue")
    online(session, fake, day=day)
    assert fake.ops().count("issue") == sent
    assert replies[0].code == "disconnected" and "not sent again" in replies[0].message


def test_closing_answers_the_requests_waiting_for_replay() -> None:
    session, fake = make()
    online(session, fake)
    replies: list[Reply] = []
    session.request("call_next", {}, replies.append)
    session.connection_lost()
    session.close()
    assert [r.code for r in replies] == ["disconnected"] and session.state == OFFLINE


def test_a_request_while_offline_fails_at_once() -> None:
    session, _fake = make()
    replies: list[Reply] = []
    assert session.request("snapshot", {}, replies.append) == 0
    assert replies[0].code == "disconnected"


def test_reconnect_waits_double_and_start_short_again_after_being_online() -> None:
    session, fake = make(reconnect_min_s=0.5, reconnect_max_s=3.0)
    waits = []
    for _ in range(5):
        session.connecting()
        waits.append(session.connection_lost())
    assert waits == [0.5, 1.0, 2.0, 3.0, 3.0]
    assert session.connection_lost() is None  # the same loss, reported twice
    online(session, fake)
    assert session.connection_lost() == 0.5


def test_keepalive_pings_while_online_and_gives_up_on_a_silent_server() -> None:
    session, fake = make()
    session.connecting()
    session.connected()
    fake.now += 11
    assert session.keepalive(handshake_limit_s=10) == "handshake stalled"
    assert session.keepalive() is None
    online(session, fake)
    assert session.keepalive() is None and fake.ops()[-1] == "ping"
    fake.now += SILENCE_LIMIT_S + 1
    assert "silent" in (session.keepalive() or "")


def test_a_reply_handler_that_raises_does_not_stop_the_session(caplog) -> None:
    session, fake = make()
    online(session, fake)

    def broken(reply: Reply) -> None:
        raise RuntimeError("boom")

    session.request("ping", {}, broken)
    answer(session, fake.last("ping"), {})
    feed(session, event("ticket_issued", 11))
    assert fake.hooks("on_event") == [("ticket_issued", 11, {})]


# -- the pieces ------------------------------------------------------------------------------


def test_reply_frames_read_the_same_everywhere() -> None:
    frame = {
        "id": 1,
        "ok": False,
        "error": {"code": "conflict", "message": "m", "retry_after_s": 1.2},
    }
    reply = Reply.from_frame(frame)
    assert (reply.code, reply.retry_after_s) == ("conflict", 2)
    with pytest.raises(HallError) as error:
        result_of(frame)
    assert error.value.retry_after_s == 2
    assert result_of({"ok": True, "result": {"a": 1}}) == {"a": 1}
    assert error_reason({"ok": False, "error": {"reason": "page_expired"}}) == "page_expired"
    assert error_reason({"ok": True}) == ""


def test_may_replay_and_backoff() -> None:
    request = PendingRequest("issue", {}, None, "d1", 100.0)
    assert request.retryable and not PendingRequest("recall", {}, None, "d1", 0).retryable
    assert may_replay(request, "d1", 100.0 + REPLAY_MAX_AGE_S)
    assert not may_replay(request, "d1", 101.0 + REPLAY_MAX_AGE_S)
    assert not may_replay(request, "d2", 100.0)
    backoff = Backoff(1, 4)
    assert [backoff.failed() for _ in range(10)].count(True) == 2  # the 1st and the 10th
