"""Protocol v1 against a real server that has a hall key: the HMAC check in `hello`."""

from __future__ import annotations

import hashlib
import hmac
import logging
import socket
import time
from dataclasses import replace

import pytest

from shared.client.connection import BlockingHallClient
from shared.domain.errors import HallError
from shared.protocol.auth import hello_auth

KEY = "secret"


@pytest.fixture
def hall_config(hall_config):
    return replace(hall_config, key=KEY)


def bare(server) -> BlockingHallClient:
    return BlockingHallClient(server.host, server.port, "kiosk", "bare", hello=False)


def hello(client: BlockingHallClient, **extra: object) -> dict:
    return client.send("hello", proto=1, role="kiosk", client="kiosk-1", **extra)


def assert_closed(client: BlockingHallClient) -> None:
    with pytest.raises(ConnectionError):
        while True:
            client.next_frame()


def test_welcome_says_auth_true(hall_server):
    assert bare(hall_server).welcome["auth"] is True


def test_hello_auth_is_hmac_sha256_of_the_nonce_text():
    nonce = "00112233445566778899aabbccddeeff"
    expected = hmac.new(b"secret", nonce.encode("ascii"), hashlib.sha256).hexdigest()
    assert hello_auth("secret", nonce) == expected
    assert len(expected) == 64


def test_right_hmac_is_accepted(hall_server):
    client = bare(hall_server)
    reply = hello(client, auth=hello_auth(KEY, client.welcome["nonce"]))
    assert reply["ok"] is True
    assert reply["result"]["proto"] == 1
    assert client.call("catalog")["hall"] == hall_server.config.hall_name


def test_key_is_utf8(hall_server):
    """A key with non-ASCII characters is used as its UTF-8 bytes."""
    nonce = "0" * 32
    expected = hmac.new("钥匙".encode(), nonce.encode(), hashlib.sha256).hexdigest()
    assert hello_auth("钥匙", nonce) == expected


@pytest.mark.parametrize(
    "auth",
    [
        "0" * 64,
        None,
        "",
        "not hex",
        12345,
    ],
    ids=["zeros", "missing", "empty", "text", "number"],
)
def test_wrong_hmac_gets_not_authenticated_and_closes(hall_server, auth):
    client = bare(hall_server)
    reply = hello(client) if auth is None else hello(client, auth=auth)
    assert reply["ok"] is False
    assert reply["id"] is not None
    assert reply["error"]["code"] == "not_authenticated"
    assert_closed(client)


def test_hmac_of_another_connections_nonce_is_refused(hall_server):
    first, second = bare(hall_server), bare(hall_server)
    reply = hello(second, auth=hello_auth(KEY, first.welcome["nonce"]))
    assert reply["error"]["code"] == "not_authenticated"
    assert_closed(second)


def test_hmac_with_the_wrong_key_is_refused(hall_server):
    client = bare(hall_server)
    reply = hello(client, auth=hello_auth("Secret", client.welcome["nonce"]))
    assert reply["error"]["code"] == "not_authenticated"
    assert_closed(client)


def test_a_refused_hello_does_not_disturb_other_clients(hall_server):
    good = hall_server.client("display", "board")
    bad = bare(hall_server)
    hello(bad, auth="f" * 64)
    assert_closed(bad)
    assert good.call("ping")["server_time"]


def test_ops_before_hello_get_not_authenticated_with_a_key(hall_server):
    client = bare(hall_server)
    with pytest.raises(HallError) as err:
        client.call("catalog")
    assert err.value.code == "not_authenticated"


def left_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if "left before its hello" in r.getMessage() and r.levelno == logging.WARNING
    ]


def wait_for_left(server, count: int) -> None:
    """Until the server has counted `count` connections that left before their hello."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if server.hall.limited.get("left_before_hello", 0) >= count:
            return
        time.sleep(0.02)
    raise AssertionError(f"counted {server.hall.limited}, expected {count} left_before_hello")


def test_a_client_without_the_key_is_logged_as_likely_lacking_it(hall_server, caplog):
    caplog.set_level(logging.INFO, logger="shared.server")
    with pytest.raises(HallError, match="needs its hall key"):
        BlockingHallClient(hall_server.host, hall_server.port, "kiosk", "no-key")
    wait_for_left(hall_server, 1)
    lines = left_lines(caplog)
    assert len(lines) == 1 and "a client without the hall key does this" in lines[0], lines
    assert "so does a port check" in lines[0]


def test_a_port_check_is_logged_once_per_address(hall_server, caplog):
    """A monitoring probe that connects and closes every few seconds costs one line, not one
    per probe; each probe is still counted in the server's stats."""
    caplog.set_level(logging.INFO, logger="shared.server")
    for _ in range(2):
        socket.create_connection((hall_server.host, hall_server.port), timeout=5).close()
        time.sleep(0.1)
    wait_for_left(hall_server, 2)
    time.sleep(0.1)
    assert len(left_lines(caplog)) == 1, left_lines(caplog)
    assert hall_server.client("admin").call("server_stats")["limited"]["left_before_hello"] == 2


def test_a_server_stopping_before_a_hello_logs_no_leaving(hall_server, caplog):
    """The server closing a connection (here: shutting down) is not the client leaving."""
    caplog.set_level(logging.INFO, logger="shared.server")
    client = bare(hall_server)
    hall_server.stop()
    assert_closed(client)
    assert not left_lines(caplog)
    assert not [r for r in caplog.records if "hall-key" in r.getMessage()]


def test_a_client_with_the_key_is_not_logged_as_failing_it(hall_server, caplog):
    caplog.set_level(logging.INFO, logger="shared.server")
    client = hall_server.client("display", "board")
    client.call("ping")
    client.close()
    time.sleep(0.3)
    assert not [r for r in caplog.records if "hall-key check" in r.getMessage()]
