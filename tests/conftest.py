"""Test fixtures: a real hall server on an ephemeral loopback port, with a real SQLite file."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

# Offscreen only when there is no display, so the same tests also run under xvfb-run.
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QUEUE_HALL_LANG", "zh_CN")
os.environ.pop("QUEUE_HALL_KEY", None)

import shared.protocol.auth  # noqa: E402
from shared.client.connection import BlockingHallClient  # noqa: E402

# Test clerks' PINs need no brute-force resistance: cheap hashes keep server starts fast.
shared.protocol.auth.PBKDF2_ITERATIONS = 2_000
from shared.config.hall import ClerkConfig, HallConfig, default_config  # noqa: E402
from shared.domain.clock import FakeClock  # noqa: E402
from shared.server.asyncio_server import HallServer  # noqa: E402
from shared.server.service import HallService  # noqa: E402
from shared.server.store import HallStore  # noqa: E402

HALL_TZ = ZoneInfo("Asia/Shanghai")
TEST_CLERKS = (
    ClerkConfig("1001", "张敏", "1234"),
    ClerkConfig("1002", "李强", "2345"),
    ClerkConfig("1003", "王芳", "3456"),
    # one clerk per counter, for tests that open many counters (a clerk works at one)
    *(ClerkConfig(f"t{n:02d}", f"柜员{n:02d}", "1234") for n in range(1, 25)),
)
TEST_PRIORITY_PIN = "2580"


def test_config(**changes: object) -> HallConfig:
    base = replace(
        default_config(),
        key=None,
        timezone="Asia/Shanghai",
        open_time=None,
        close_time=None,
        clerks=TEST_CLERKS,
        priority_pin=TEST_PRIORITY_PIN,
        # Tests issue many tickets at once from one client; the limit has tests of its own.
        issue_burst=1_000_000,
        issues_per_minute=1_000_000,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


class ServerThread:
    """A HallServer on 127.0.0.1:<ephemeral> in a thread of its own; restartable on the same file."""

    def __init__(self, db: Path, config: HallConfig, clock: FakeClock | None) -> None:
        self.db, self.config, self.clock = db, config, clock
        self.port = 0
        self.host = "127.0.0.1"
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self.service: HallService | None = None
        self.hall: HallServer | None = None  # the running server, for tests that tune it

    def start(self) -> ServerThread:
        ready = threading.Event()
        errors: list[BaseException] = []

        def run() -> None:
            async def main() -> None:
                try:
                    store = HallStore(self.db)
                    self.service = HallService(store, self.config, self.clock)
                    server = HallServer(self.service, self.config.key)
                    self.hall = server
                    _, self.port = await server.start(self.host, self.port)
                except BaseException as exc:  # reported to the test thread
                    errors.append(exc)
                    ready.set()
                    return
                self._loop = asyncio.get_running_loop()
                self._stop = asyncio.Event()
                ready.set()
                await self._stop.wait()
                await server.close()
                store.close()

            asyncio.run(main())

        self._thread = threading.Thread(target=run, name="hall-server", daemon=True)
        self._thread.start()
        ready.wait(30)
        if errors:
            raise errors[0]
        return self

    def stop(self) -> None:
        if self._loop and self._stop and self._thread and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(30)

    def restart(self) -> None:
        self.stop()
        self.start()

    def client(
        self, role: str = "admin", name: str | None = None, **kwargs: object
    ) -> BlockingHallClient:
        return BlockingHallClient(
            self.host, self.port, role, name or f"test-{role}", key=self.config.key, **kwargs
        )  # type: ignore[arg-type]

    def counter(
        self, number: int, clerk: str = "1001", pin: str = "1234", name: str | None = None
    ) -> BlockingHallClient:
        c = self.client("counter", name or f"counter-{number}", counter=number)
        c.call("login", clerk=clerk, pin=pin)
        return c


@pytest.fixture
def hall_clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 26, 9, 0, 0, tzinfo=HALL_TZ))


@pytest.fixture
def hall_config(request: pytest.FixtureRequest) -> HallConfig:
    """The test hall; `@pytest.mark.call_gap(0)` sets its call gap (default: the hall default),
    for tests about other rules that call several times within seconds."""
    marker = request.node.get_closest_marker("call_gap")
    return test_config(call_gap_s=marker.args[0]) if marker else test_config()


@pytest.fixture
def hall_server(tmp_path: Path, hall_config: HallConfig) -> Iterator[ServerThread]:
    """A real server on the real clock (for Qt and end-to-end style tests)."""
    server = ServerThread(tmp_path / "hall.db", hall_config, None).start()
    yield server
    server.stop()


@pytest.fixture
def clocked_server(
    tmp_path: Path, hall_config: HallConfig, hall_clock: FakeClock
) -> Iterator[ServerThread]:
    """A real server whose clock the test moves."""
    server = ServerThread(tmp_path / "hall.db", hall_config, hall_clock).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def start_server() -> Any:
    """Start a ServerThread on a given database and settings (the test stops it)."""

    def start(db: Path, config: HallConfig, clock: FakeClock | None = None) -> ServerThread:
        return ServerThread(db, config, clock).start()

    return start
