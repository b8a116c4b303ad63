"""The server's limits against hostile and careless clients (docs/protocol.md "Limits").

Each abuse runs against a real server while a well-behaved client, connecting afresh from
another loopback address, measures how long it waits for its answer.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

from bench.abuse import RawClient, rss_mb, start
from bench.crashloop import free_port, start_server
from shared.protocol.codec import FrameDecoder, encode
from shared.server.connection import Limits, file_limit

linux_only = pytest.mark.skipif(
    sys.platform != "linux",
    reason="needs the 127.0.0.2 loopback address, RLIMIT_NOFILE and /proc (Linux)",
)


class Stopwatch(threading.Thread):
    """A good client: connects from 127.0.0.2, says hello and pings, again and again."""

    def __init__(self, port: int) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.worst = 0.0
        self.rounds = 0
        self.errors: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            started = time.perf_counter()
            try:
                client = RawClient(self.port, timeout=10)
                try:
                    client.call("ping")
                finally:
                    client.close()
            except (OSError, ConnectionError) as exc:
                self.errors.append(repr(exc))
            self.worst = max(self.worst, time.perf_counter() - started)
            self.rounds += 1
            time.sleep(0.02)

    def finish(self) -> None:
        self.stop.set()
        self.join(15)


def read_until_closed(sock: socket.socket, limit_s: float = 10) -> bytes:
    sock.settimeout(limit_s)
    got = b""
    try:
        while data := sock.recv(65536):
            got += data
    except ConnectionResetError:
        pass
    return got


@pytest.fixture
def served(tmp_path: Path):
    port = free_port()
    proc = start_server(tmp_path / "hall.db", port)
    yield proc, port, tmp_path / "server-stderr.log"
    proc.terminate()
    proc.wait(10)


# -- 1. a flood before hello ------------------------------------------------------------------


@linux_only
@pytest.mark.timeout(120)
def test_good_client_answered_within_1s_during_prehello_flood(served):
    proc, port, log_path = served
    payload = b'{"id":1,"op":"a"}\n' * (180 * 1024 // 18)
    good = Stopwatch(port)
    good.start()

    def flood() -> None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
                sock.sendall(payload)  # never reads, then closes
        except OSError:
            pass  # cut off by the server, as it should be

    threads = [threading.Thread(target=flood) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    time.sleep(1.0)  # and after it
    good.finish()
    assert good.rounds >= 5 and not good.errors, good.errors[:3]
    assert good.worst < 1.0, (
        f"a good client waited {good.worst:.2f} s during a pre-hello flood (limit 1 s)"
    )
    # A stranger gets a few answers, then the server closes its connection.
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        try:
            sock.sendall(payload)
        except OSError:
            pass
        answers = read_until_closed(sock).count(b'"not_authenticated"')
    assert 1 <= answers <= Limits().prehello_replies, f"{answers} answers before hello"
    # Writes to closed connections stop, and repeated lines are collapsed: the log stays short.
    lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    assert len(lines) < 400, f"the server logged {len(lines)} lines for one flood"
    assert not any("socket.send() raised exception" in line for line in lines)
    assert proc.poll() is None


# -- 2. idle sockets --------------------------------------------------------------------------


@linux_only
@pytest.mark.timeout(120)
def test_good_client_from_another_address_answered_within_1s_while_idle_sockets_fill_the_cap(
    tmp_path,
):
    port = free_port()
    proc = start(tmp_path, port, file_limit=256)  # the per-address cap is then 32
    held: list[socket.socket] = []
    try:
        welcomed = refused = 0
        for _ in range(300):  # more than the server's file limit
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            held.append(sock)
            first = sock.recv(4096)
            if b'"welcome"' in first:
                welcomed += 1
            elif b"too_many_connections" in first:
                refused += 1
        assert welcomed == 32 and refused == 300 - 32, (welcomed, refused)
        started = time.perf_counter()
        good = RawClient(port, source="127.0.0.2", timeout=10)
        good.call("ping")
        waited = time.perf_counter() - started
        good.close()
        assert waited < 1.0, (
            f"a good client from 127.0.0.2 waited {waited:.2f} s while idle sockets from "
            "127.0.0.1 filled their cap (limit 1 s)"
        )
        assert proc.poll() is None
    finally:
        for sock in held:
            sock.close()
        proc.terminate()
        proc.wait(10)
    lines = (tmp_path / "server-stderr.log").read_text(encoding="utf-8").splitlines()
    refusals = [line for line in lines if "refused a connection" in line]
    assert 1 <= len(refusals) <= 12, f"{len(refusals)} refusal lines (rate-limited to a few)"
    assert "limit" in refusals[0]


def test_connection_caps_are_below_the_open_file_limit():
    limits = Limits.for_this_process()
    assert limits.max_connections < file_limit()
    assert limits.max_per_address < limits.max_connections


@linux_only
def test_total_and_per_address_caps_refuse_the_excess_with_a_reason(hall_server):
    hall_server.hall.limits = Limits(max_connections=6, max_per_address=3)
    mine = [socket.create_connection(("127.0.0.1", hall_server.port), timeout=5) for _ in range(4)]
    firsts = [sock.recv(4096) for sock in mine]
    assert [b'"welcome"' in f for f in firsts] == [True, True, True, False]
    assert b'"reason":"too_many_connections"' in firsts[3] and b"127.0.0.1" in firsts[3]
    others = [
        socket.create_connection(
            ("127.0.0.1", hall_server.port), timeout=5, source_address=("127.0.0.2", 0)
        )
        for _ in range(4)
    ]
    firsts = [sock.recv(4096) for sock in others]
    # 3 from 127.0.0.1 and 3 from 127.0.0.2 fill the total of 6
    assert [b'"welcome"' in f for f in firsts] == [True, True, True, False]
    assert b"limit 6" in firsts[3]
    for sock in mine + others:
        sock.close()
    deadline = time.monotonic() + 10
    while len(hall_server.hall.connections) and time.monotonic() < deadline:
        time.sleep(0.05)  # until the server has seen them go
    admin = hall_server.client("admin", "it")
    assert admin.call("server_stats")["limited"] == {"too_many_connections": 2}
    admin.close()


def test_a_connection_that_never_says_hello_is_closed_after_the_hello_deadline(hall_server):
    hall_server.hall.limits = Limits(hello_timeout_s=0.5)
    with socket.create_connection(("127.0.0.1", hall_server.port), timeout=10) as sock:
        started = time.monotonic()
        got = read_until_closed(sock, limit_s=5)
        waited = time.monotonic() - started
    assert b'"welcome"' in got
    assert 0.4 < waited < 3, f"closed after {waited:.2f} s (hello deadline 0.5 s)"
    # One that says hello in time stays.
    client = hall_server.client("display", "in-time")
    time.sleep(1.0)
    assert client.call("ping")["server_time"]
    client.close()


# -- 7. pipelining without reading -----------------------------------------------------------


@linux_only
@pytest.mark.timeout(120)
def test_good_client_answered_within_1s_while_another_pipelines_pings_without_reading(served):
    proc, port, _log = served
    rss_before = rss_mb(proc.pid)
    good = Stopwatch(port)
    good.start()
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.recv(4096)
        sock.sendall(
            encode({"id": 0, "op": "hello", "proto": 1, "role": "display", "client": "flood"})
        )
        chunk = b'{"id":1,"op":"ping"}\n' * 3000
        sock.settimeout(0.5)
        deadline = time.monotonic() + 4
        while sent < 20_000_000 and time.monotonic() < deadline:
            try:
                sock.sendall(chunk)
            except (TimeoutError, OSError):
                break  # the server stopped reading this socket: its backlog is full
            sent += len(chunk)
        grown = rss_mb(proc.pid) - rss_before
    good.finish()
    assert good.rounds >= 5 and not good.errors, good.errors[:3]
    assert good.worst < 1.0, (
        f"a good client waited {good.worst:.2f} s while another pipelined pings without "
        "reading (limit 1 s)"
    )
    assert sent < 20_000_000, "the server kept reading a client that reads nothing"
    assert grown < 15, f"the server grew by {grown:.1f} MB (limit 15 MB)"


# -- 8. logins --------------------------------------------------------------------------------


@linux_only
@pytest.mark.timeout(120)
def test_good_client_answered_within_1s_during_64_pipelined_logins(served):
    _proc, port, _log = served  # the real PIN cost: the subprocess keeps PBKDF2's iterations
    good = Stopwatch(port)
    good.start()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.recv(4096)
        hello = {"id": 0, "op": "hello", "proto": 1, "role": "counter", "client": "c1"}
        sock.sendall(encode({**hello, "counter": 1}))
        sock.sendall(
            b"".join(
                encode({"id": n, "op": "login", "clerk": "1001", "pin": "1234"})
                for n in range(1, 65)
            )
        )
        decoder, replies = FrameDecoder(), {}
        deadline = time.monotonic() + 30
        while len(replies) < 65 and time.monotonic() < deadline:
            for frame in decoder.feed(sock.recv(65536)):
                if isinstance(frame, dict) and "id" in frame:
                    replies[frame["id"]] = frame
    good.finish()
    assert good.rounds >= 3 and not good.errors, good.errors[:3]
    assert good.worst < 1.0, (
        f"a good client waited {good.worst:.2f} s during 64 pipelined logins (limit 1 s)"
    )
    logins = [replies[n] for n in range(1, 65)]
    ok = [r for r in logins if r["ok"]]
    too_fast = [r for r in logins if not r["ok"] and r["error"].get("reason") == "too_fast"]
    assert 1 <= len(ok) <= 16 and len(ok) + len(too_fast) == 64, json.dumps(logins[:3])
    assert "per second" in too_fast[0]["error"]["message"]


# -- 15. frozen PCs ---------------------------------------------------------------------------


def test_accepted_sockets_have_tcp_keepalive(hall_server):
    client = hall_server.client("counter", "counter-1", counter=1)
    (conn,) = [c for c in list(hall_server.hall.connections) if c.caller is not None]
    sock = conn.writer.get_extra_info("socket")
    assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
    if hasattr(socket, "TCP_KEEPIDLE"):
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE) <= 120
    client.close()


def test_a_connection_that_sends_nothing_is_closed_after_the_idle_limit(hall_server):
    hall_server.hall.limits = Limits(idle_s=0.6)
    silent = hall_server.client("counter", "frozen", counter=1)
    pinging = hall_server.client("display", "alive")
    started = time.monotonic()
    while time.monotonic() - started < 2.0:  # a client that pings, as the windows do, stays
        assert pinging.call("ping")["server_time"]
        time.sleep(0.2)
    assert read_until_closed(silent.sock, limit_s=3) == b"", "the silent connection stayed open"
    assert pinging.call("ping")["server_time"]
    silent.close()
    pinging.close()


def test_the_idle_limit_is_well_above_the_windows_ping_interval():
    from shared.qt.client import HEARTBEAT_MS

    assert Limits().idle_s >= 10 * HEARTBEAT_MS / 1000


def test_the_asyncio_client_pings_when_idle_so_the_idle_limit_spares_it(hall_server, monkeypatch):
    import asyncio

    import shared.client.connection
    from shared.client.connection import HallClient

    monkeypatch.setattr(shared.client.connection, "HEARTBEAT_S", 0.2)
    hall_server.hall.limits = Limits(idle_s=0.8)

    async def idle_then_ask() -> dict:
        client = await HallClient.connect("127.0.0.1", hall_server.port, "display", "quiet-tool")
        await asyncio.sleep(2.0)  # sends nothing itself for well over the idle limit
        try:
            return await client.call("ping")
        finally:
            await client.close()

    assert asyncio.run(idle_then_ask())["server_time"]


def test_repeated_log_lines_are_collapsed_with_a_count():
    import logging

    from shared.config.logs import RepeatFilter

    kept: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            kept.append(record.getMessage())

    logger = logging.getLogger("test.repeats")
    logger.propagate = False
    handler = Keep()
    handler.addFilter(RepeatFilter(burst=5, period_s=0.3))
    logger.addHandler(handler)
    try:
        for n in range(1000):
            logger.warning("refused a connection from %s", f"10.0.0.{n % 200}")
        logger.warning("another kind of line")
        time.sleep(0.35)
        logger.warning("refused a connection from %s", "10.0.0.7")
    finally:
        logger.removeHandler(handler)
    assert len(kept) == 7, kept
    assert kept[-1] == "refused a connection from 10.0.0.7 [995 similar lines left out]"


def test_a_client_that_reads_is_not_cut_off_by_one_big_batch_write(hall_server, monkeypatch):
    """A batch's replies and events go to each client in one write; in a big hall that write
    can pass the slow-reader limit by itself. Only what a client leaves unread counts."""
    import shared.server.connection

    monkeypatch.setattr(shared.server.connection, "OUTPUT_LIMIT", 16 * 1024)
    with socket.create_connection(("127.0.0.1", hall_server.port), timeout=10) as sock:
        decoder = FrameDecoder(max_frame=1 << 20)
        sock.sendall(encode({"id": 1, "op": "hello", "proto": 1, "role": "display", "client": "b"}))
        # Twenty snapshots in one packet: one batch, one write of 20 replies (well over 16 KiB).
        sock.sendall(b"".join(encode({"id": n, "op": "snapshot"}) for n in range(2, 22)))
        answered: set[int] = set()
        deadline = time.monotonic() + 10
        while len(answered) < 20 and time.monotonic() < deadline:
            data = sock.recv(1 << 16)
            assert data, f"the server closed the connection after {len(answered)} replies"
            for frame in decoder.feed(data):
                if isinstance(frame, dict) and frame.get("id") in range(2, 22):
                    assert frame["ok"], frame
                    answered.add(frame["id"])
    assert len(answered) == 20
