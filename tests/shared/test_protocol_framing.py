"""Protocol v1 framing against a real server: bad frames, the size limit, request envelopes."""

from __future__ import annotations

import json

import pytest

from shared.client.connection import BlockingHallClient

MAX_FRAME = 65_536

MALFORMED_FRAMES = {
    "not-json": b"hello there\n",
    "json-array": b'[{"id": 1, "op": "ping"}]\n',
    "json-number": b"42\n",
    "json-string": b'"ping"\n',
    "json-null": b"null\n",
    "invalid-utf8": b'{"id": 1, "op": "\xff\xfe"}\n',
    "nan": b'{"id": 1, "op": "ping", "x": NaN}\n',
    "infinity": b'{"id": 1, "op": "ping", "x": -Infinity}\n',
    "empty-line": b"\n",
    "truncated-object": b'{"id": 1, "op": \n',
    "deep-nesting": b'{"id": 1, "x": ' + b"[" * 30_000 + b"]" * 30_000 + b"}\n",
}


def assert_closed(client: BlockingHallClient) -> None:
    with pytest.raises(ConnectionError):
        while True:
            client.next_frame()


def reply_to_raw(client: BlockingHallClient, data: bytes) -> dict:
    client.send_raw(data)
    frame = client.next_frame()
    while "event" in frame:
        frame = client.next_frame()
    return frame


def padded_ping(total: int) -> bytes:
    """A ping request of exactly `total` bytes including its newline."""
    head = b'{"id": 7, "op": "ping", "pad": "'
    tail = b'"}\n'
    return head + b"x" * (total - len(head) - len(tail)) + tail


@pytest.mark.parametrize("data", MALFORMED_FRAMES.values(), ids=MALFORMED_FRAMES.keys())
def test_malformed_frame_gets_bad_frame_with_id_null(hall_server, data):
    client = hall_server.client("admin", "framer")
    reply = reply_to_raw(client, data)
    assert reply["id"] is None
    assert reply["ok"] is False
    assert reply["error"]["code"] == "bad_frame"
    assert reply["error"]["message"]
    assert client.call("ping")["server_time"]  # one bad frame does not close the connection


@pytest.mark.parametrize("data", MALFORMED_FRAMES.values(), ids=MALFORMED_FRAMES.keys())
def test_malformed_frame_before_hello_gets_bad_frame(hall_server, data):
    client = BlockingHallClient(hall_server.host, hall_server.port, "admin", "x", hello=False)
    reply = reply_to_raw(client, data)
    assert reply["id"] is None
    assert reply["error"]["code"] == "bad_frame"


def test_three_bad_frames_in_all_close_the_connection_and_others_keep_working(hall_server):
    bystander = hall_server.client("display", "board")
    client = hall_server.client("admin", "framer")
    for _ in range(2):
        assert reply_to_raw(client, b"nonsense\n")["error"]["code"] == "bad_frame"
        assert client.call("ping")["server_time"]  # good frames in between do not reset the count
    assert reply_to_raw(client, b"[]\n")["error"]["code"] == "bad_frame"
    assert_closed(client)
    assert bystander.call("ping")["server_time"]
    assert bystander.call("snapshot")["hall"] == hall_server.config.hall_name


def test_three_bad_frames_in_one_packet_close_the_connection(hall_server):
    client = hall_server.client("admin", "framer")
    client.send_raw(b"a\nb\nc\n" + json.dumps({"id": 9, "op": "ping"}).encode() + b"\n")
    codes = []
    with pytest.raises(ConnectionError):
        while True:
            frame = client.next_frame()
            codes.append(frame.get("error", {}).get("code") if "id" in frame else "event")
    assert codes == ["bad_frame"] * 3  # the ping after the third bad frame is not answered


def test_frame_of_exactly_the_limit_is_accepted(hall_server):
    client = hall_server.client("admin", "big")
    data = padded_ping(MAX_FRAME)
    assert len(data) == MAX_FRAME
    reply = reply_to_raw(client, data)
    assert reply == {"id": 7, "ok": True, "result": reply["result"]}
    assert client.call("ping")["server_time"]


def test_frame_of_exactly_the_limit_is_judged_as_json(hall_server):
    client = hall_server.client("admin", "big")
    data = b"x" * (MAX_FRAME - 1) + b"\n"
    reply = reply_to_raw(client, data)
    assert reply["id"] is None and reply["error"]["code"] == "bad_frame"
    assert "JSON" in reply["error"]["message"]
    assert client.call("ping")["server_time"]  # not closed: it was not oversized


@pytest.mark.parametrize(
    "data",
    [
        padded_ping(MAX_FRAME + 1),
        padded_ping(MAX_FRAME * 3),
        b"y" * MAX_FRAME,  # no newline yet
    ],
    ids=["limit-plus-one", "three-times-the-limit", "limit-without-newline"],
)
def test_oversized_frame_gets_bad_frame_and_closes(hall_server, data):
    bystander = hall_server.client("display", "board")
    client = hall_server.client("admin", "huge")
    try:
        client.send_raw(data)
    except OSError:
        pass  # the server may close before it has read everything
    reply = client.next_frame()
    assert reply["id"] is None
    assert reply["error"]["code"] == "bad_frame"
    assert_closed(client)
    assert bystander.call("ping")["server_time"]


def test_oversized_frame_sent_slowly_closes(hall_server):
    client = hall_server.client("admin", "trickle")
    chunk = b"z" * 4096
    for _ in range(MAX_FRAME // len(chunk)):
        client.send_raw(chunk)
    reply = client.next_frame()
    assert reply["error"]["code"] == "bad_frame"
    assert_closed(client)


def test_frames_split_across_packets_are_joined(hall_server):
    client = hall_server.client("admin", "splitter")
    data = json.dumps({"id": "split", "op": "ping"}).encode() + b"\n"
    client.send_raw(data[:5])
    client.send_raw(data[5:])
    assert reply_to_raw(client, b"")["id"] == "split"


def test_two_frames_in_one_packet_get_two_replies_in_order(hall_server):
    client = hall_server.client("admin", "pair")
    client.send_raw(b'{"id": "a", "op": "ping"}\n{"id": "b", "op": "catalog"}\n')
    assert reply_to_raw(client, b"")["id"] == "a"
    assert reply_to_raw(client, b"")["id"] == "b"


@pytest.mark.parametrize("rid", [1, "abc-1", 0, "", 2**40])
def test_reply_carries_the_request_id(hall_server, rid):
    client = hall_server.client("admin", "ids")
    reply = reply_to_raw(client, json.dumps({"id": rid, "op": "ping"}).encode() + b"\n")
    assert reply["id"] == rid and reply["ok"] is True


@pytest.mark.parametrize(
    "frame",
    [
        {"op": "ping"},
        {"id": None, "op": "ping"},
        {"id": [1], "op": "ping"},
        {"id": True, "op": "ping"},
    ],
    ids=["no-id", "null-id", "list-id", "bool-id"],
)
def test_request_without_a_usable_id_gets_bad_request(hall_server, frame):
    client = hall_server.client("admin", "ids")
    reply = reply_to_raw(client, json.dumps(frame).encode() + b"\n")
    assert reply["id"] is None
    assert reply["error"]["code"] == "bad_request"


def test_request_without_op_gets_bad_request(hall_server):
    client = hall_server.client("admin", "ops")
    reply = reply_to_raw(client, b'{"id": 3}\n')
    assert reply["id"] == 3 and reply["error"]["code"] == "bad_request"


@pytest.mark.parametrize("op", ["fly", "HELLO", "Ping", ""])
def test_unknown_op_gets_unknown_op(hall_server, op):
    client = hall_server.client("admin", "ops")
    reply = client.send(op)
    assert reply["ok"] is False
    assert reply["error"]["code"] == "unknown_op"
    assert client.call("ping")["server_time"]


@pytest.mark.parametrize(
    ("role", "op", "params"),
    [
        ("kiosk", "issue", {"service": "pension_enrol"}),
        ("counter", "call_next", {}),
        ("counter", "call", {"ticket": "A001"}),
        ("counter", "transfer", {"service": "med_enrol"}),
    ],
)
def test_missing_req_gets_bad_request(hall_server, role, op, params):
    client = hall_server.counter(1) if role == "counter" else hall_server.client(role, "k")
    reply = client.send(op, **params)
    assert reply["error"]["code"] == "bad_request"
    assert "req" in reply["error"]["message"]


@pytest.mark.parametrize(
    ("op", "params", "word"),
    [
        ("issue", {"req": "r1"}, "service"),
        ("issue", {"service": 5, "req": "r1"}, "service"),
        ("issue", {"service": "pension_enrol", "req": "r1", "priority": "yes"}, "priority"),
        ("printed", {"ticket": "A001"}, "ticket"),
        ("print_failed", {}, "ticket"),
        ("kiosk_status", {"printer": "on fire"}, "printer"),
    ],
)
def test_wrong_params_get_bad_request_naming_the_param(hall_server, op, params, word):
    client = hall_server.client("kiosk", "k")
    reply = client.send(op, **params)
    assert reply["error"]["code"] == "bad_request"
    assert word in reply["error"]["message"]


def test_transfer_needs_exactly_one_target(hall_server):
    counter = hall_server.counter(1)
    for params in ({}, {"service": "med_enrol", "counter": 2}):
        reply = counter.send("transfer", req="r", **params)
        assert reply["error"]["code"] == "bad_request"


def test_unknown_service_and_ticket_get_not_found(hall_server):
    kiosk = hall_server.client("kiosk", "k")
    assert kiosk.send("issue", service="no_such", req="r")["error"]["code"] == "not_found"
    assert kiosk.send("printed", ticket=4242)["error"]["code"] == "not_found"
    counter = hall_server.counter(1)
    assert counter.send("call", ticket="Z999", req="r")["error"]["code"] == "not_found"


def test_request_id_with_a_lone_surrogate_gets_an_error_reply(hall_server):
    client = hall_server.client("admin", "surrogate")
    reply = reply_to_raw(client, b'{"id": "\\ud800", "op": "ping"}\n')
    assert reply["ok"] is False
    assert reply["error"]["code"] in ("bad_frame", "bad_request")


def test_param_with_a_lone_surrogate_gets_bad_request(hall_server):
    client = hall_server.client("kiosk", "surrogate")
    reply = reply_to_raw(client, b'{"id": 5, "op": "issue", "service": "\\ud800", "req": "r1"}\n')
    assert reply["error"]["code"] == "bad_request"


def test_server_keeps_serving_after_a_lone_surrogate(hall_server):
    client = hall_server.client("kiosk", "surrogate")
    client.send_raw(b'{"id": 5, "op": "issue", "service": "\\ud800", "req": "r1"}\n')
    other = hall_server.client("kiosk", "other")
    assert other.call("issue", service="pension_enrol", req="r2")["ticket"]["number"] == "A001"
