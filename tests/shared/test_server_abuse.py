"""Abuse of a live server: garbage, floods, stalls and a full disk. It stays up and serves the rest."""

from __future__ import annotations

import json
import random
import socket
import sys
import time

import pytest

from bench.crashloop import free_port, start_server
from shared.client.connection import BlockingHallClient
from shared.domain.errors import HallError
from shared.protocol.codec import MAX_FRAME

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="reads the server's memory from /proc"
)


def rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def random_frames(rng: random.Random, count: int) -> list[bytes]:
    """Random bytes, truncated JSON, wrong types, unknown ops, bad params: one line each."""
    shapes = [
        lambda: bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 200))).replace(b"\n", b" "),
        lambda: b'{"id": 1, "op": "issue", "service": ' + str(rng.random()).encode(),
        lambda: b"[" * rng.randint(1, 5000),
        lambda: json.dumps(
            {"id": rng.randint(0, 10**9), "op": rng.choice(["fly", "", "HELLO"])}
        ).encode(),
        lambda: b'{"id": "x", "op": "issue", "service": null, "req": 5, "priority": "yes"}',
        lambda: b'{"id": {"a": 1}, "op": "ping"}',
        lambda: b'"just a string"',
        lambda: json.dumps(
            {"id": 7, "op": "call", "ticket": "A" * rng.randint(0, 300), "req": "r"}
        ).encode(),
    ]
    return [rng.choice(shapes)() + b"\n" for _ in range(count)]


@pytest.fixture
def live(tmp_path):
    port = free_port()
    proc = start_server(tmp_path / "hall.db", port)
    yield proc, port
    proc.terminate()
    proc.wait(10)


def issue_one(port: int, name: str) -> str:
    with BlockingHallClient("127.0.0.1", port, "kiosk", name) as kiosk:
        service = kiosk.call("catalog")["services"][0]["code"]
        return kiosk.call("issue", service=service, req=f"{name}-{time.monotonic_ns()}")["ticket"][
            "number"
        ]


@pytest.mark.timeout(180)
def test_thousands_of_bad_frames_200_connections_and_stalls_leave_the_server_serving(live):
    proc, port = live
    assert issue_one(port, "before") == "A001"
    rss_before = rss_kb(proc.pid)
    rng = random.Random(2026)

    # 1. Thousands of malformed frames, on connections that say hello first and on ones that do not.
    answered = 0
    for batch in range(500):
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.recv(4096)
            if batch % 2:
                sock.sendall(
                    b'{"id": 0, "op": "hello", "proto": 1, "role": "display", "client": "fuzz"}\n'
                )
            try:
                sock.sendall(b"".join(random_frames(rng, 20)))
                sock.shutdown(socket.SHUT_WR)
            except (BrokenPipeError, ConnectionResetError):
                pass  # closed after its third bad frame, as the protocol says
            replies = b""
            try:
                while chunk := sock.recv(65536):
                    replies += chunk
            except ConnectionResetError:
                pass
            answered += replies.count(b'"ok":false')
    assert answered > 2000, f"only {answered} bad frames were answered"

    # 2. 200 connections opened at once, some left half-way through a frame, some never reading.
    crowd = []
    for i in range(200):
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        if i % 3 == 0:
            sock.sendall(
                b'{"id": 1, "op": "hello", "proto": 1, "role": "display", "client": "deaf-%d"}\n'
                % i
            )
        elif i % 3 == 1:
            sock.sendall(b'{"id": 1, "op": "hel')  # half a frame, then silence
        crowd.append(sock)
    # 3. One oversized frame.
    with socket.create_connection(("127.0.0.1", port), timeout=10) as big:
        big.recv(4096)
        try:
            big.sendall(b"x" * (MAX_FRAME + 10))
        except (BrokenPipeError, ConnectionResetError):
            pass
        big.settimeout(10)
        assert b"bad_frame" in big.recv(4096)

    # The well-behaved keep being served while all that hangs around, and events flow to the deaf.
    for i in range(20):
        issue_one(port, f"during-{i}")
    assert issue_one(port, "after").startswith("A")
    for sock in crowd:
        sock.close()
    assert proc.poll() is None, "the server died"
    grown_mb = (rss_kb(proc.pid) - rss_before) / 1024
    assert grown_mb < 30, f"server memory grew by {grown_mb:.1f} MB"


def test_a_full_disk_refuses_changes_clearly_and_recovers(hall_server):
    kiosk = hall_server.client("kiosk", "disk-kiosk")
    service = kiosk.call("catalog")["services"][0]["code"]
    assert kiosk.call("issue", service=service, req="d1")["ticket"]["number"] == "A001"
    store = hall_server.service.store
    pages = store.scalar("PRAGMA page_count")
    store.conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite now sees a full disk
    try:
        for n in range(50):  # until the pages in hand are used up
            try:
                kiosk.call("issue", service=service, req=f"fill-{n}")
            except HallError as exc:
                refused = exc
                break
        else:
            pytest.fail("the database never filled up")
        assert refused.code == "unavailable" and "cannot save" in refused.message
        assert kiosk.call("ping")["server_time"]  # still answering
    finally:
        store.conn.execute("PRAGMA max_page_count = 1073741823")
    after = kiosk.call("issue", service=service, req="d-after")["ticket"]["number"]
    numbers = [r[0] for r in store.all("SELECT number FROM tickets ORDER BY id")]
    assert after == numbers[-1] and len(numbers) == len(
        set(numbers)
    )  # nothing half-written, no number twice
    kiosk.close()
