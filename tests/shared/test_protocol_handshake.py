"""Protocol v1 against a real server: welcome, hello, roles, counter login and the PIN lockout."""

from __future__ import annotations

import json
import re
import socket
import threading
import uuid
from datetime import datetime

import pytest

from shared.client.connection import BlockingHallClient
from shared.domain.errors import HallError
from shared.protocol.codec import FrameDecoder

A_SERVICE = "pension_enrol"
HEX32 = re.compile(r"^[0-9a-f]{32}$")
OFFSET_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$")


def req() -> str:
    return uuid.uuid4().hex


def bare(server) -> BlockingHallClient:
    """A connection that has only read the welcome."""
    return BlockingHallClient(server.host, server.port, "admin", "bare", hello=False)


def hello_params(role: str = "admin", client: str = "tester", **extra: object) -> dict:
    return {"proto": 1, "role": role, "client": client, **extra}


def assert_closed(client: BlockingHallClient) -> None:
    with pytest.raises(ConnectionError):
        while True:
            client.next_frame()


# Valid parameters for every op, so that only the role (or login) decides the reply.
VALID_PARAMS: dict[str, dict] = {
    "issue": {"service": A_SERVICE, "req": "r-issue"},
    "printed": {"ticket": 1},
    "print_failed": {"ticket": 1, "reason": "paper jam"},
    "kiosk_status": {"printer": "ok"},
    "login": {"clerk": "1001", "pin": "1234"},
    "logout": {},
    "call_next": {"req": "r-next"},
    "call": {"ticket": "A001", "req": "r-call"},
    "recall": {},
    "start": {},
    "finish": {},
    "no_show": {},
    "transfer": {"service": A_SERVICE, "req": "r-transfer"},
    "reactivate": {"ticket": "A001"},
    "pause": {"reason": "break"},
    "resume": {},
    "queue": {},
    "rate": {"ticket": 1, "level": "satisfied"},
    "clerk_stats": {},
    "no_shows": {},
    "ping": {},
    "catalog": {},
    "snapshot": {},
}
COMMON_OPS = {"ping", "catalog", "snapshot"}
ROLE_OPS = {
    "kiosk": COMMON_OPS | {"issue", "printed", "print_failed", "kiosk_status"},
    "display": COMMON_OPS,
    "admin": COMMON_OPS | {"issue", "printed", "print_failed", "reactivate", "rate"},
    "counter": COMMON_OPS
    | {
        "login",
        "logout",
        "call_next",
        "call",
        "recall",
        "start",
        "finish",
        "no_show",
        "transfer",
        "reactivate",
        "pause",
        "resume",
        "queue",
        "rate",
        "clerk_stats",
        "no_shows",
    },
}
FORBIDDEN_CASES = [
    (role, op) for role in ROLE_OPS for op in sorted(VALID_PARAMS) if op not in ROLE_OPS[role]
]
# `rate` too: ratings feed the clerks' assessment, so a counter without a clerk may not rate.
CLERK_OPS = sorted(ROLE_OPS["counter"] - COMMON_OPS - {"login"})


# -- welcome and hello ---------------------------------------------------------------------------


def test_welcome_is_the_first_frame_with_seq_null_and_its_fields(hall_server):
    client = bare(hall_server)
    assert set(client.welcome) >= {"proto", "hall", "nonce", "auth"}
    assert client.welcome["proto"] == 1
    assert client.welcome["hall"] == hall_server.config.hall_name
    assert HEX32.match(client.welcome["nonce"])
    assert client.welcome["auth"] is False


def test_welcome_frame_on_the_wire(hall_server):
    with socket.create_connection((hall_server.host, hall_server.port), timeout=10) as sock:
        decoder, frames = FrameDecoder(), []
        while not frames:
            frames = decoder.feed(sock.recv(4096))
    welcome = frames[0]
    assert welcome["event"] == "welcome"
    assert welcome["seq"] is None
    assert welcome["data"]["proto"] == 1


def test_each_connection_gets_its_own_nonce(hall_server):
    nonces = {bare(hall_server).welcome["nonce"] for _ in range(5)}
    assert len(nonces) == 5


def test_hello_result_has_proto_seq_and_server_time_with_offset(hall_server):
    client = bare(hall_server)
    result = client.call("hello", **hello_params())
    assert result["proto"] == 1
    assert isinstance(result["seq"], int) and not isinstance(result["seq"], bool)
    assert OFFSET_TIME.match(result["server_time"]), result["server_time"]
    assert datetime.fromisoformat(result["server_time"]).utcoffset() is not None


def test_hello_seq_is_the_current_seq(hall_server):
    kiosk = hall_server.client("kiosk", "k1")
    ticket = kiosk.call("issue", service=A_SERVICE, req=req())["ticket"]
    kiosk.call("printed", ticket=ticket["id"])
    seq = kiosk.call("snapshot")["seq"]
    assert seq > 0
    assert bare(hall_server).call("hello", **hello_params())["seq"] == seq


def test_hello_without_key_may_omit_auth(hall_server):
    assert bare(hall_server).call("hello", **hello_params(role="display"))["proto"] == 1


@pytest.mark.parametrize("proto", [2, 0, "1", None, 1.5])
def test_wrong_proto_gets_proto_mismatch_and_the_connection_closes(hall_server, proto):
    client = bare(hall_server)
    reply = client.send("hello", **hello_params(proto=proto))
    assert reply["ok"] is False
    assert reply["error"]["code"] == "proto_mismatch"
    assert reply["error"]["message"]
    assert_closed(client)


def test_no_event_before_hello(hall_server):
    watcher = bare(hall_server)
    kiosk = hall_server.client("kiosk", "k1")
    ticket = kiosk.call("issue", service=A_SERVICE, req=req())["ticket"]
    kiosk.call("printed", ticket=ticket["id"])
    # The watcher's first frame after its hello must be its hello reply, then later events only.
    result = watcher.call("hello", **hello_params(client="watcher"))
    assert not watcher.events
    kiosk.call("ping")
    ticket2 = kiosk.call("issue", service=A_SERVICE, req=req())["ticket"]
    kiosk.call("printed", ticket=ticket2["id"])
    first = watcher.wait_event()
    assert first["seq"] == result["seq"] + 1
    assert first["data"]["ticket"]["id"] == ticket2["id"]


def test_second_hello_on_one_connection_is_refused(hall_server):
    client = hall_server.client("admin", "twice")
    with pytest.raises(HallError) as err:
        client.call("hello", **hello_params())
    assert err.value.code == "bad_request"
    assert client.call("ping")["server_time"]


@pytest.mark.parametrize(
    "params",
    [
        hello_params(role="janitor"),
        hello_params(client=""),
        hello_params(role="counter"),  # no counter number
        hello_params(role="counter", counter=999),
    ],
    ids=["unknown-role", "empty-client", "counter-without-number", "unknown-counter"],
)
def test_bad_hello_params_get_bad_request(hall_server, params):
    client = bare(hall_server)
    with pytest.raises(HallError) as err:
        client.call("hello", **params)
    assert err.value.code == "bad_request"


# -- before hello ---------------------------------------------------------------------------------


@pytest.mark.parametrize("op", sorted(VALID_PARAMS))
def test_any_op_before_hello_gets_not_authenticated(hall_server, op):
    client = bare(hall_server)
    reply = client.send(op, **VALID_PARAMS[op])
    assert reply["ok"] is False
    assert reply["error"]["code"] == "not_authenticated"
    # The connection stays usable: hello still works afterwards.
    assert client.call("hello", **hello_params())["proto"] == 1


@pytest.mark.parametrize("op", ["issue", "call_next", "login"])
def test_op_with_missing_params_before_hello_gets_not_authenticated(hall_server, op):
    reply = bare(hall_server).send(op)
    assert reply["error"]["code"] == "not_authenticated"


# -- roles ----------------------------------------------------------------------------------------


def _client_for(server, role: str) -> BlockingHallClient:
    if role == "counter":
        return server.counter(1)
    return server.client(role, f"{role}-roles")


@pytest.mark.parametrize(("role", "op"), FORBIDDEN_CASES)
def test_op_of_another_role_is_forbidden(hall_server, role, op):
    client = _client_for(hall_server, role)
    reply = client.send(op, **VALID_PARAMS[op])
    assert reply["ok"] is False
    assert reply["error"]["code"] == "forbidden", reply


def test_op_of_another_role_with_missing_params_is_forbidden(hall_server):
    reply = hall_server.client("display", "board").send("issue")
    assert reply["error"]["code"] == "forbidden"


@pytest.mark.parametrize("role", sorted(ROLE_OPS))
@pytest.mark.parametrize("op", sorted(COMMON_OPS))
def test_common_ops_work_for_every_role(hall_server, role, op):
    result = _client_for(hall_server, role).call(op)
    assert isinstance(result, dict) and result


@pytest.mark.parametrize("role", ["kiosk", "admin"])
def test_issue_printed_print_failed_work_for_kiosk_and_admin(hall_server, role):
    client = hall_server.client(role, f"{role}-1")
    first = client.call("issue", service=A_SERVICE, req=req())
    assert first["ticket"]["state"] == "pending"
    assert client.call("printed", ticket=first["ticket"]["id"])["ticket"]["state"] == "waiting"
    second = client.call("issue", service=A_SERVICE, req=req())
    failed = client.call("print_failed", ticket=second["ticket"]["id"], reason="paper out")
    assert failed["ticket"]["state"] == "cancelled"


def test_kiosk_status_works_for_a_kiosk(hall_server):
    kiosk = hall_server.client("kiosk", "kiosk-7")
    result = kiosk.call("kiosk_status", printer="paper_out", message="no paper")
    assert result["kiosk"]["client"] == "kiosk-7"
    assert result["kiosk"]["printer"] == "paper_out"
    assert kiosk.wait_event("kiosk_changed")["data"]["kiosk"]["printer"] == "paper_out"
    assert kiosk.call("snapshot")["kiosks"][0]["printer"] == "paper_out"


def test_reactivate_works_for_admin(hall_server):
    kiosk = hall_server.client("kiosk", "k1")
    ticket = kiosk.call("issue", service=A_SERVICE, req=req())["ticket"]
    kiosk.call("printed", ticket=ticket["id"])
    counter = hall_server.counter(1)
    counter.call("call_next", req=req())
    counter.call("no_show")
    admin = hall_server.client("admin", "admin-1")
    assert admin.call("reactivate", ticket=ticket["number"])["ticket"]["state"] == "waiting"


@pytest.mark.call_gap(0)  # calls within seconds; the gap has its own tests
def test_every_counter_op_works_for_a_logged_in_counter(hall_server):
    kiosk = hall_server.client("kiosk", "k1")
    numbers = []
    for _ in range(3):
        ticket = kiosk.call("issue", service=A_SERVICE, req=req())["ticket"]
        kiosk.call("printed", ticket=ticket["id"])
        numbers.append(ticket["number"])
    counter = hall_server.client("counter", "c1", counter=1)
    login = counter.call("login", clerk="1001", pin="1234")
    assert login["clerk"] == {"id": "1001", "name": "张敏"}
    assert login["counter"]["state"] == "open"
    assert [t["number"] for t in counter.call("queue")["tickets"]] == numbers
    assert counter.call("call_next", req=req())["ticket"]["number"] == numbers[0]
    assert counter.call("recall")["ticket"]["calls"] == 2
    assert counter.call("start")["ticket"]["state"] == "serving"
    assert counter.call("finish")["ticket"]["state"] == "done"
    assert counter.call("call", ticket=numbers[2], req=req())["ticket"]["state"] == "called"
    assert counter.call("no_show")["ticket"]["state"] == "no_show"
    assert counter.call("reactivate", ticket=numbers[2])["ticket"]["state"] == "waiting"
    assert counter.call("call_next", req=req())["ticket"]["number"] == numbers[1]
    moved = counter.call("transfer", service="med_enrol", req=req())["ticket"]
    assert moved["state"] == "waiting" and moved["service"] == "med_enrol"
    paused = counter.call("pause", reason="lunch")["counter"]
    assert paused["state"] == "paused" and paused["pause_reason"] == "lunch"
    assert counter.call("resume")["counter"]["state"] == "open"
    logout = counter.call("logout")["counter"]
    assert logout["state"] == "closed" and logout["clerk"] is None


# -- counter login ----------------------------------------------------------------------------


@pytest.mark.parametrize("op", CLERK_OPS)
def test_counter_op_before_login_is_forbidden(hall_server, op):
    counter = hall_server.client("counter", "c1", counter=1)
    reply = counter.send(op, **VALID_PARAMS[op])
    assert reply["ok"] is False
    assert reply["error"]["code"] == "forbidden", reply
    assert reply["error"]["message"] == f"log in at the counter before '{op}'"
    assert reply["error"]["reason"] == "clerk_not_logged_in"


@pytest.mark.parametrize(("clerk", "pin"), [("1001", "9999"), ("9999", "1234"), ("1001", "2345")])
def test_wrong_clerk_or_pin_gets_not_authenticated_and_the_connection_stays(
    hall_server, clerk, pin
):
    counter = hall_server.client("counter", "c1", counter=1)
    with pytest.raises(HallError) as err:
        counter.call("login", clerk=clerk, pin=pin)
    assert err.value.code == "not_authenticated"
    assert counter.call("ping")["server_time"]
    assert counter.call("login", clerk="1001", pin="1234")["clerk"]["id"] == "1001"


def test_five_wrong_pins_lock_the_clerk_out_for_ten_minutes(clocked_server, hall_clock):
    counter = clocked_server.client("counter", "c1", counter=1)
    for _ in range(5):
        with pytest.raises(HallError) as err:
            counter.call("login", clerk="1001", pin="0000")
        assert err.value.code == "not_authenticated"
    with pytest.raises(HallError) as err:
        counter.call("login", clerk="1001", pin="1234")
    assert err.value.code == "not_authenticated"
    # Another clerk is not affected; the connection stays open.
    other = clocked_server.client("counter", "c2", counter=2)
    assert other.call("login", clerk="1002", pin="2345")["clerk"]["id"] == "1002"
    hall_clock.advance(9 * 60)
    with pytest.raises(HallError) as err:
        counter.call("login", clerk="1001", pin="1234")
    assert err.value.code == "not_authenticated"
    hall_clock.advance(61)
    assert counter.call("login", clerk="1001", pin="1234")["clerk"]["id"] == "1001"


def test_wrong_pins_spread_over_more_than_ten_minutes_do_not_lock(clocked_server, hall_clock):
    counter = clocked_server.client("counter", "c1", counter=1)
    for _ in range(4):
        with pytest.raises(HallError):
            counter.call("login", clerk="1001", pin="0000")
    hall_clock.advance(601)
    with pytest.raises(HallError):
        counter.call("login", clerk="1001", pin="0000")
    assert counter.call("login", clerk="1001", pin="1234")["clerk"]["id"] == "1001"


def test_another_clerk_logging_in_at_the_counter_takes_it_over(hall_server):
    first = hall_server.counter(1, "1001", "1234", name="c1-a")
    hall_server.counter(1, "1002", "2345", name="c1-b")
    with pytest.raises(HallError) as err:
        first.call("queue")
    assert err.value.code == "forbidden"


def test_lockout_lasts_ten_minutes_from_the_fifth_wrong_pin(clocked_server, hall_clock):
    counter = clocked_server.client("counter", "c1", counter=1)
    for _ in range(4):
        with pytest.raises(HallError):
            counter.call("login", clerk="1001", pin="0000")
    hall_clock.advance(9 * 60 + 59)
    with pytest.raises(HallError):  # the fifth within 10 minutes: locked out from now
        counter.call("login", clerk="1001", pin="0000")
    hall_clock.advance(2)
    with pytest.raises(HallError) as err:
        counter.call("login", clerk="1001", pin="1234")
    assert err.value.code == "not_authenticated"


@pytest.mark.parametrize("op", ["call_next", "call", "transfer"])
def test_counter_op_with_missing_params_before_login_is_forbidden(hall_server, op):
    counter = hall_server.client("counter", "c1", counter=1)
    reply = counter.send(op)
    assert reply["error"]["code"] == "forbidden", reply


def test_request_sent_right_behind_hello_is_served_on_a_busy_server(hall_server):
    stop = threading.Event()

    def keep_busy() -> None:
        kiosk = hall_server.client("kiosk", "busy-kiosk")
        while not stop.is_set():
            ticket = kiosk.call("issue", service="med_enrol", req=req())["ticket"]
            kiosk.call("printed", ticket=ticket["id"])

    worker = threading.Thread(target=keep_busy)
    worker.start()
    codes = []
    try:
        for n in range(20):
            with socket.create_connection((hall_server.host, hall_server.port), timeout=10) as s:
                lines = s.makefile("rb")
                lines.readline()  # welcome
                hello = {"id": 1, "op": "hello", **hello_params("display", f"pipelined-{n}")}
                s.sendall(json.dumps(hello).encode() + b'\n{"id": 2, "op": "snapshot"}\n')
                replies = {}
                while len(replies) < 2:
                    frame = json.loads(lines.readline())
                    if "id" in frame:
                        replies[frame["id"]] = frame
                assert replies[1]["ok"] is True
                codes.append(replies[2].get("error", {}).get("code", "ok"))
    finally:
        stop.set()
        worker.join(30)
    assert codes == ["ok"] * 20


def test_proto_true_is_not_protocol_1(hall_server):
    reply = bare(hall_server).send("hello", **hello_params(proto=True))
    assert reply["ok"] is False and reply["error"]["code"] == "proto_mismatch"
