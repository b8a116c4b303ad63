"""The LED screens: what each one shows, from one display connection's view of the hall.

A window screen shows its counter's called or serving number, "暂停服务" while paused,
and nothing while the counter is open with no ticket or closed. The strip scrolls the
hall's latest calls in the hall's own announcement words. Every screen is written when
what it shows changes, and all of them again every `refresh_s` (a screen that lost power
comes back blank) and whenever their bus comes back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hall_hardware import texts
from hall_hardware.config import ScreenConfig
from hall_hardware.drivers import ScreenDriver
from hall_hardware.drivers.led_strip import LedStrip
from shared.domain.lifecycle import HELD_STATES


def window_text(counter: dict[str, Any] | None) -> str:
    if not counter:
        return ""
    state = counter.get("state")
    if state == "paused":
        return texts.PAUSED_SCREEN
    if state != "open":
        return ""
    ticket = counter.get("ticket") or {}
    if ticket.get("state") in HELD_STATES:
        return str(ticket.get("number") or "")
    return ""


class Screen:
    def __init__(
        self, config: ScreenConfig, driver: ScreenDriver, write: Callable[[bytes], None]
    ) -> None:
        self.config, self.driver, self._write = config, driver, write
        self.shown: str | None = None  # None: nothing written since the bridge started

    def show(self, text: str, force: bool = False) -> None:
        if force or text != self.shown:
            self.shown = text
            self._write(self.driver.encode(self.config.address, text))


class ScreenHub:
    """Listener of the display connection (the `HallLink` hooks) that drives every screen."""

    def __init__(
        self,
        screens: list[Screen],
        announcement: str,
        strip_calls: int,
    ) -> None:
        self.screens = screens
        self.announcement = announcement
        self.strip_calls = strip_calls
        self.counters: dict[int, dict[str, Any]] = {}
        self.calls: list[tuple[str, int]] = []  # (number, counter), newest first
        self.ready = False

    # -- the link's hooks -------------------------------------------------------------------------

    def on_state(self, state: str) -> None:
        pass  # screens keep what they show while the bridge reconnects

    def on_hello(self, hello: dict[str, Any]) -> None:
        pass

    def on_login_failed(self, code: str, message: str) -> None:
        pass

    def on_handshake_failed(self, code: str, message: str) -> None:
        pass  # the link logs it

    def on_ready(self, snapshot: dict[str, Any]) -> None:
        self.counters = {
            int(c["number"]): c
            for c in snapshot.get("counters") or []
            if isinstance(c, dict) and isinstance(c.get("number"), int)
        }
        self.calls = []
        for call in snapshot.get("recent_calls") or []:
            entry = _call_entry(call)
            if entry:
                self.calls.append(entry)
        self.ready = True
        self.draw(force=True)

    def on_event(self, name: str, seq: int, data: dict[str, Any]) -> None:
        if name == "counter_changed":
            counter = data.get("counter")
            if isinstance(counter, dict) and isinstance(counter.get("number"), int):
                self.counters[counter["number"]] = counter
                self.draw(counter=counter["number"])
        elif name == "ticket_called":
            entry = _call_entry(data)
            if entry:
                self.calls.insert(0, entry)
                del self.calls[10:]
                counter = self.counters.get(entry[1])
                if counter is not None:  # show the number now; counter_changed follows
                    ticket = data.get("ticket") or {}
                    self.counters[entry[1]] = {**counter, "ticket": ticket}
                self.draw(counter=entry[1], strip=True)

    # -- drawing -----------------------------------------------------------------------------------

    def strip_text(self) -> str:
        calls = self.calls[: self.strip_calls]
        if not calls:
            return ""
        return "　".join(
            self.announcement.format(number=number, counter=counter) for number, counter in calls
        )

    def draw(
        self,
        *,
        force: bool = False,
        counter: int | None = None,
        strip: bool = False,
        only: Callable[[Screen], bool] | None = None,
    ) -> None:
        """Write the screens that show something new (`force`: all of them, changed or not)."""
        if not self.ready:
            return
        everything = counter is None and not strip
        for screen in self.screens:
            if only is not None and not only(screen):
                continue
            is_strip = screen.config.driver == LedStrip.name
            if is_strip:
                if everything or strip:
                    screen.show(self.strip_text(), force)
            elif everything or screen.config.counter == counter:
                number = screen.config.counter
                screen.show(window_text(self.counters.get(number) if number else None), force)


def _call_entry(call: Any) -> tuple[str, int] | None:
    if not isinstance(call, dict):
        return None
    ticket = call.get("ticket")
    counter = call.get("counter")
    if not isinstance(ticket, dict) or not isinstance(counter, int):
        return None
    number = ticket.get("number")
    return (str(number), counter) if number else None
