"""Hostile and careless clients against a real `queue-hall serve`: how long a good client waits.

Each scenario starts a fresh server subprocess (its file limit lowered to 1024, as on a usual
Linux machine), runs one abuse, and meanwhile pings from a well-behaved display client on
another thread. It prints, per scenario, the good client's worst reply time (or that it got
no answer at all) and the server's peak resident memory.

    python -m bench.abuse [--only NAME]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bench.calibrate import rss_mb
from bench.crashloop import free_port
from shared.protocol.codec import FrameDecoder, encode

FILE_LIMIT = 1024
GOOD_TIMEOUT_S = 30.0


def start(folder: Path, port: int, file_limit: int = FILE_LIMIT) -> subprocess.Popen[bytes]:
    """`queue-hall serve` with its open-file limit set to `file_limit`; returns once it answers."""
    env = {**os.environ, "QUEUE_HALL_HOME": str(folder)}
    env.pop("QUEUE_HALL_KEY", None)

    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_NOFILE, (file_limit, file_limit))

    log = open(folder / "server-stderr.log", "ab")  # noqa: SIM115 - the child owns it
    proc = subprocess.Popen(
        [sys.executable, "-m", "shared.cli.main", "serve", "--db", str(folder / "hall.db")]
        + ["--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        preexec_fn=limit,
    )
    log.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.recv(1)
                return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("server did not start")


class GoodClient(threading.Thread):
    """Connects from 127.0.0.2 and pings, every 50 ms, and keeps the worst time."""

    def __init__(self, port: int, proc: subprocess.Popen[bytes]) -> None:
        super().__init__(daemon=True)
        self.port, self.proc = port, proc
        self.worst = 0.0
        self.failures = 0
        self.peak_rss = rss_mb(proc.pid)
        self.stop = threading.Event()

    def run(self) -> None:
        """A new connection (welcome, hello, ping) every time: accepting counts too."""
        while not self.stop.is_set():
            started = time.perf_counter()
            try:
                client = RawClient(self.port)
                try:
                    client.call("ping")
                finally:
                    client.close()
            except (OSError, ConnectionError):
                self.failures += 1
            self.worst = max(self.worst, time.perf_counter() - started)
            try:
                self.peak_rss = max(self.peak_rss, rss_mb(self.proc.pid))
            except (OSError, StopIteration):
                pass
            time.sleep(0.05)


class RawClient:
    """A display client on a plain socket from a chosen loopback address."""

    def __init__(self, port: int, source: str = "127.0.0.2", timeout: float = GOOD_TIMEOUT_S):
        self.sock = socket.create_connection(
            ("127.0.0.1", port), timeout=timeout, source_address=(source, 0)
        )
        self.decoder = FrameDecoder()
        self.frames: list[dict] = []
        self.ids = 0
        if self.next().get("event") != "welcome":
            raise ConnectionError("no welcome")
        self.call("hello", proto=1, role="display", client=f"good-{source}")

    def next(self) -> dict:
        while not self.frames:
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("closed")
            self.frames += [f for f in self.decoder.feed(data) if isinstance(f, dict)]
        return self.frames.pop(0)

    def call(self, op: str, **params: object) -> dict:
        self.ids += 1
        self.sock.sendall(encode({"id": self.ids, "op": op, **params}))
        while True:
            frame = self.next()
            if frame.get("id") == self.ids:
                if not frame.get("ok"):
                    raise ConnectionError(str(frame))
                return frame

    def close(self) -> None:
        self.sock.close()


def prehello_flood(port: int) -> None:
    """50 connections each send 180 KiB of requests before any hello, never read, close."""
    payload = b'{"id":1,"op":"a"}\n' * (180 * 1024 // 18)

    def one() -> None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
                sock.sendall(payload)
        except OSError:
            pass

    threads = [threading.Thread(target=one) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    time.sleep(2)  # and after it


def idle_sockets(port: int) -> None:
    """More connections than the file limit allows (1,024), none saying hello."""
    held = []
    for _ in range(1100):
        try:
            held.append(socket.create_connection(("127.0.0.1", port), timeout=2))
        except OSError:
            break
    time.sleep(8)  # shorter than the 10 s hello deadline
    for sock in held:
        sock.close()


def pipelined_pings(port: int) -> None:
    """An authenticated display pipelines 20 MB of ping without reading."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.recv(4096)
        sock.sendall(encode({"id": 0, "op": "hello", "proto": 1, "role": "display", "client": "x"}))
        frame = b'{"id":1,"op":"ping"}\n'
        chunk = frame * (65536 // len(frame))
        sent, deadline = 0, time.monotonic() + 15
        sock.settimeout(1)
        while sent < 20_000_000 and time.monotonic() < deadline:
            try:
                sock.sendall(chunk)
            except (TimeoutError, OSError):
                break
            sent += len(chunk)


def login_burst(port: int) -> None:
    """64 logins with the right PIN, pipelined from one counter."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.recv(4096)
        hello = {"id": 0, "op": "hello", "proto": 1, "role": "counter", "client": "c", "counter": 1}
        sock.sendall(encode(hello))
        logins = b"".join(
            encode({"id": n, "op": "login", "clerk": "1001", "pin": "1234"}) for n in range(1, 65)
        )
        sock.sendall(logins)
        got = b""
        deadline = time.monotonic() + 20
        while got.count(b'"id":') < 65 and time.monotonic() < deadline:
            try:
                data = sock.recv(65536)
            except TimeoutError:
                break
            if not data:
                break
            got += data


SCENARIOS: dict[str, Callable[[int], None]] = {
    "prehello_flood": prehello_flood,
    "idle_sockets": idle_sockets,
    "pipelined_pings": pipelined_pings,
    "login_burst": login_burst,
}


def run(only: str | None = None, echo: bool = True) -> dict[str, dict[str, float]]:
    """Each scenario against a fresh server: the good client's worst time, memory, log lines."""
    figures: dict[str, dict[str, float]] = {}
    for name, abuse in SCENARIOS.items():
        if only and name != only:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            port = free_port()
            proc = start(Path(tmp), port)
            try:
                rss_before = rss_mb(proc.pid)
                good = GoodClient(port, proc)
                good.start()
                abuse(port)
                time.sleep(0.5)
                good.stop.set()
                good.join(GOOD_TIMEOUT_S + 5)
                log_lines = len((Path(tmp) / "server-stderr.log").read_bytes().splitlines())
                figures[name] = {
                    "good_worst_reply_s": round(good.worst, 3),
                    "good_failures": good.failures,
                    "rss_before_mb": round(rss_before, 1),
                    "rss_peak_mb": round(good.peak_rss, 1),
                    "log_lines": log_lines,
                }
            finally:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        if echo:
            print(f"{name:16} {figures[name]}", flush=True)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=sorted(SCENARIOS))
    args = parser.parse_args()
    print(json.dumps(run(args.only)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
