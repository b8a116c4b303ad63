"""Simulated keypads and LED screens on pty pairs (POSIX): for tests, the demo and the bench.

A `SimBus` is one serial line: the bridge opens `path` (a symlink to the pty's device
side, like /dev/serial/by-id/… on a real machine), and the devices attached to it read
what the bridge writes and write what real devices would. `unplug()` makes the port
vanish as a pulled USB-serial adapter does; `plug()` brings it back at the same path.

    bus = SimBus(tmp_path / "ttyHALL").start()
    keypad = FakeKeypad(bus, address=1)
    screen = FakeScreen(bus, address=101, driver="led_text")
    keypad.press(Key.CALL)
    screen.wait_for("A001")
"""

from __future__ import annotations

import asyncio
import os
import selectors
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from hall_hardware.drivers import (
    BusProblem,
    DisplayFrame,
    Key,
    ScreenFrame,
    keypad_driver,
    screen_driver,
)
from hall_hardware.drivers.base import AckFrame, Decoder

if TYPE_CHECKING:
    from hall_hardware.bridge import Bridge

ACK_WAIT_S = 0.3
RESENDS = 3


class SimBus:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.devices: list[_Device] = []
        self._master = -1
        self._slave = -1
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._write_lock = threading.Lock()
        self.received = 0  # bytes the bridge wrote

    def start(self) -> SimBus:
        self.plug()
        return self

    def plug(self) -> None:
        import tty

        self._master, self._slave = os.openpty()
        tty.setraw(self._master)
        tty.setraw(self._slave)
        self.path.unlink(missing_ok=True)
        self.path.symlink_to(os.ttyname(self._slave))
        self._stopping = threading.Event()
        self._thread = threading.Thread(
            target=self._serve, name=f"sim-{self.path.name}", daemon=True
        )
        self._thread.start()

    def unplug(self) -> None:
        """The adapter is pulled: the device vanishes and the bridge's open port fails."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(5)
        self.path.unlink(missing_ok=True)
        for fd in (self._master, self._slave):
            if fd >= 0:
                os.close(fd)
        self._master = self._slave = -1

    def stop(self) -> None:
        self.unplug()

    def __enter__(self) -> SimBus:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def send(self, data: bytes) -> None:
        """Bytes onto the line, as a device (or noise) would put them."""
        with self._write_lock:
            if self._master >= 0:
                os.write(self._master, data)

    def _serve(self) -> None:
        selector = selectors.DefaultSelector()
        master = self._master
        selector.register(master, selectors.EVENT_READ)
        try:
            while not self._stopping.is_set():
                if not selector.select(timeout=0.05):
                    continue
                try:
                    data = os.read(master, 65536)
                except OSError:
                    self._stopping.wait(0.05)  # nobody has the port open right now
                    continue
                self.received += len(data)
                now = time.monotonic()
                for device in list(self.devices):
                    device.feed(data, now)
        finally:
            selector.close()


class _Device:
    def __init__(self, bus: SimBus, address: int, decoder: Decoder) -> None:
        self.bus, self.address = bus, address
        self._decoder = decoder
        self._cond = threading.Condition()
        self.problems: list[str] = []
        bus.devices.append(self)

    def feed(self, data: bytes, now: float) -> None:
        items = self._decoder.feed(data, now)
        with self._cond:
            for item in items:
                if isinstance(item, BusProblem):
                    self.problems.append(item.reason)
                elif getattr(item, "address", None) == self.address:
                    self._take(item, now)
            self._cond.notify_all()

    def _take(self, item: object, now: float) -> None:
        raise NotImplementedError

    def _wait(self, check: Callable[[], bool], timeout: float) -> bool:
        with self._cond:
            return self._cond.wait_for(check, timeout)


class FakeKeypad(_Device):
    """A call keypad: presses keys as framed key frames, records what its display receives."""

    def __init__(self, bus: SimBus, address: int, driver: str = "ff68") -> None:
        self.driver = keypad_driver(driver)
        super().__init__(bus, address, self.driver.device_decoder())
        self.displays: list[str] = []  # every line the display was sent, in order
        self.display_times: list[float] = []
        self.acks: list[int] = []
        self._press = 0
        self.sent = 0  # key frames sent, resends included

    @property
    def display(self) -> str:
        with self._cond:
            return self.displays[-1] if self.displays else ""

    def _take(self, item: object, now: float) -> None:
        if isinstance(item, DisplayFrame):
            self.displays.append(item.text)
            self.display_times.append(now)
        elif isinstance(item, AckFrame):
            self.acks.append(item.press)

    def press(self, key: Key | str, wait_ack: bool = True) -> bool:
        """Press a key; resend the same press (same number) until acknowledged, up to 3 times.

        Returns whether the bridge acknowledged it.
        """
        key = Key(key)
        self._press = (self._press + 1) % 256
        press = self._press
        frame = self.driver.encode_key(self.address, key, press)
        for _attempt in range(1 + RESENDS):
            self.bus.send(frame)
            self.sent += 1
            if not wait_ack:
                return False
            if self._wait(lambda: press in self.acks, ACK_WAIT_S):
                return True
        return False

    def type(self, keys: str) -> None:
        """Digits, or key names separated by spaces: "1001 enter 1234 enter"."""
        for word in keys.split():
            if word.isdigit():
                for digit in word:
                    self.press(digit)
            else:
                self.press(Key(word))

    def mark(self) -> int:
        """A place in the display's history, for `wait_for(..., since=mark)`."""
        with self._cond:
            return len(self.displays)

    def wait_for(
        self, text: str | Callable[[str], bool], timeout: float = 5.0, since: int | None = None
    ) -> str:
        """Wait until the display shows `text` (or a line for which `text(line)` is true);
        with `since`, until any line sent after that mark matched."""
        check = text if callable(text) else (lambda line: line == text)

        def seen() -> bool:
            if since is not None:
                return any(check(line) for line in self.displays[since:])
            return bool(self.displays) and check(self.displays[-1])

        if not self._wait(seen, timeout):
            raise AssertionError(
                f"keypad {self.address} display never showed {text!r}; it showed {self.displays[-8:]!r}"
            )
        return self.display


class FakeScreen(_Device):
    """An LED screen: decodes what it receives, keeps what it would show now."""

    def __init__(self, bus: SimBus, address: int, driver: str) -> None:
        self.driver = screen_driver(driver)
        super().__init__(bus, address, self.driver.decoder())
        self.frames: list[ScreenFrame] = []
        self.frame_times: list[float] = []

    @property
    def text(self) -> str | None:
        with self._cond:
            return self.frames[-1].text if self.frames else None

    def frames_snapshot(self) -> list[tuple[ScreenFrame, float]]:
        """Every frame the screen has received with the time it arrived, oldest first."""
        with self._cond:
            return list(zip(self.frames, self.frame_times, strict=True))

    def power_cycle(self) -> None:
        """The screen lost power: it shows nothing until it is written again."""
        with self._cond:
            self.frames.clear()
            self.frame_times.clear()

    def _take(self, item: object, now: float) -> None:
        if isinstance(item, ScreenFrame):
            self.frames.append(item)
            self.frame_times.append(now)

    def wait_for(self, text: str | Callable[[str], bool], timeout: float = 5.0) -> str:
        check = text if callable(text) else (lambda shown: shown == text)
        if not self._wait(lambda: bool(self.frames) and check(self.frames[-1].text), timeout):
            raise AssertionError(
                f"screen {self.address} never showed {text!r}; it showed "
                f"{[f.text for f in self.frames[-8:]]!r}"
            )
        return self.frames[-1].text


class BridgeThread:
    """The bridge on an event loop of its own in a thread (tests)."""

    def __init__(self, bridge_factory: Callable[[], Bridge]) -> None:
        self._factory = bridge_factory
        self.bridge: Bridge | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None

    def start(self) -> BridgeThread:
        ready = threading.Event()
        errors: list[BaseException] = []

        def run() -> None:
            async def main() -> None:
                try:
                    bridge = self.bridge = self._factory()
                    self._loop = asyncio.get_running_loop()
                    stop = self._stop = asyncio.Event()
                    await bridge.start()
                except BaseException as exc:
                    errors.append(exc)
                    ready.set()
                    return
                ready.set()
                await stop.wait()
                await bridge.stop()

            asyncio.run(main())

        self._thread = threading.Thread(target=run, name="hardware-bridge", daemon=True)
        self._thread.start()
        ready.wait(30)
        if errors:
            raise errors[0]
        return self

    def stop(self) -> None:
        if self._loop and self._stop and self._thread and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(30)
