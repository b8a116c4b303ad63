"""The bridge: serial buses on one side, the hall server on the other.

Bytes from a bus go through each keypad framing's decoder on that bus; a key press is
acknowledged, checked against the last press of that keypad (a keypad that missed the
acknowledgement sends the same press again: it is acknowledged, not acted on), and given
to the keypad's session. Bus problems are logged once a minute per device and kind.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from hall_hardware.bus import ProblemLog, SerialBus
from hall_hardware.config import HardwareConfig
from hall_hardware.drivers import (
    BusProblem,
    Decoder,
    KeyPress,
    keypad_driver,
    screen_driver,
)
from hall_hardware.keypad import KeypadSession
from hall_hardware.link import HallLink
from hall_hardware.screens import Screen, ScreenHub
from shared.config.hall import HallConfig

log = logging.getLogger(__name__)

REPEAT_WINDOW_S = 30.0  # the same press number again within this time is a resend


class Bridge:
    def __init__(
        self,
        hall: HallConfig,
        hardware: HardwareConfig,
        host: str,
        port: int,
        key: str | None = None,
        problems: ProblemLog | None = None,
    ) -> None:
        self.hall, self.hardware = hall, hardware
        self.host, self.port, self.key = host, port, key
        self.problems = problems or ProblemLog()
        self.buses: dict[str, SerialBus] = {}
        self.keypads: dict[tuple[str, int], KeypadSession] = {}
        self.hub: ScreenHub | None = None
        self.display_link: HallLink | None = None
        self._decoders: dict[str, list[Decoder]] = {}
        self._last_press: dict[tuple[str, int], tuple[int, float]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self.keys_acted = 0
        self.keys_repeated = 0

    def _writer(self, bus: str) -> Callable[[bytes], None]:
        return lambda data: self.buses[bus].write(data)

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        hw = self.hardware
        for bus in hw.buses:
            drivers = sorted({k.driver for k in hw.keypads if k.bus == bus.name})
            self._decoders[bus.name] = [keypad_driver(name).decoder() for name in drivers]
            self.buses[bus.name] = SerialBus(
                bus,
                on_data=self._data_handler(bus.name),
                on_open=self._open_handler(bus.name),
                problems=self.problems,
            )
        for keypad in hw.keypads:
            session = KeypadSession(
                keypad,
                keypad_driver(keypad.driver),
                self._writer(keypad.bus),
                self.host,
                self.port,
                self.key,
            )
            self.keypads[(keypad.bus, keypad.address)] = session
        screens = [Screen(s, screen_driver(s.driver), self._writer(s.bus)) for s in hw.screens]
        self.hub = ScreenHub(screens, self.hall.announcement_zh, hw.strip_calls)
        if screens:
            self.display_link = HallLink(
                self.host, self.port, "display", "hardware-screens", self.hub, key=self.key
            )
            self.display_link.start()
        for session in self.keypads.values():
            session.start()
        for serial_bus in self.buses.values():
            serial_bus.start()
        self._refresh_task = self._loop.create_task(self._refresh())

    async def stop(self) -> None:
        self._refresh_task.cancel()
        await asyncio.gather(self._refresh_task, return_exceptions=True)
        for session in self.keypads.values():
            await session.stop()
        if self.display_link is not None:
            await self.display_link.stop()
        await asyncio.get_running_loop().run_in_executor(None, self._stop_buses)

    def _stop_buses(self) -> None:
        for bus in self.buses.values():
            bus.signal_stop()
        for bus in self.buses.values():
            bus.stop()

    async def run(self, stop: asyncio.Event) -> None:
        await self.start()
        try:
            await stop.wait()
        finally:
            await self.stop()

    def _data_handler(self, bus: str) -> Callable[[bytes], None]:
        return lambda data: self._from_thread(self._on_bytes, bus, data)

    def _open_handler(self, bus: str) -> Callable[[], None]:
        return lambda: self._from_thread(self._on_bus_open, bus)

    def _from_thread(self, fn: Callable[..., None], *args: object) -> None:
        assert self._loop is not None
        try:
            self._loop.call_soon_threadsafe(fn, *args)
        except RuntimeError:
            pass  # the loop is closing

    async def _refresh(self) -> None:
        while True:
            await asyncio.sleep(self.hardware.refresh_s)
            self.redraw()

    def redraw(self, bus: str | None = None) -> None:
        """Write every screen and keypad display (of one bus) again, changed or not."""
        if self.hub is not None:
            self.hub.draw(force=True, only=None if bus is None else (lambda s: s.config.bus == bus))
        for (name, _address), session in self.keypads.items():
            if bus is None or name == bus:
                session.render(force=True)

    def _on_bus_open(self, bus: str) -> None:
        self.redraw(bus)

    def _on_bytes(self, bus: str, data: bytes) -> None:
        now = time.monotonic()
        for decoder in self._decoders[bus]:
            for item in decoder.feed(data, now):
                if isinstance(item, BusProblem):
                    where = f"bus {bus}" + (
                        f" address {item.address}" if item.address is not None else ""
                    )
                    self.problems.warn(where, item.reason)
                elif isinstance(item, KeyPress):
                    self._on_press(bus, item, now)

    def _on_press(self, bus: str, press: KeyPress, now: float) -> None:
        session = self.keypads.get((bus, press.address))
        if session is None:
            self.problems.warn(
                f"bus {bus} address {press.address}",
                "key press from an address no [[hardware.keypads]] names; ignored",
            )
            return
        self.buses[bus].write(session.driver.encode_ack(press.address, press.press))
        last = self._last_press.get((bus, press.address))
        if last is not None and last[0] == press.press and now - last[1] < REPEAT_WINDOW_S:
            self.keys_repeated += 1
            log.debug(
                "%s: press %d sent again; not acted on twice", session.config.label, press.press
            )
            return
        self._last_press[(bus, press.address)] = (press.press, now)
        self.keys_acted += 1
        session.on_key(press.key)
