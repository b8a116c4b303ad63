"""The priority lane (绿色通道): staff unlock one priority ticket for a resident.

In PIN mode the 绿色通道 button opens a PIN pad; the hall's staff PIN arms the next ticket
as a priority ticket, and PIN_ATTEMPTS wrong PINs within PIN_LOCKOUT_S lock the pad. In
long-press mode holding the button PRIORITY_LONG_PRESS_S arms it. An armed kiosk left
alone on the start screen disarms itself (see KioskModel.tick).
"""

from __future__ import annotations

import hmac

from queue_kiosk.model.browse import CatalogBrowsing
from queue_kiosk.model.state import (
    PIN_ATTEMPTS,
    PIN_LOCKOUT_S,
    PRIORITY_LONG_PRESS_S,
    PriorityMode,
    Screen,
)


class PriorityLane(CatalogBrowsing):
    """The 绿色通道 button, the staff PIN pad, and the armed priority ticket."""

    def open_priority(self) -> None:
        """The 绿色通道 button in PIN mode: the staff PIN pad."""
        self._touch()
        if (
            self.screen is not Screen.START
            or self.busy
            or self.priority_mode is not PriorityMode.PIN
        ):
            return
        self.pin_entry = ""
        self.pin_error = False
        self._go(Screen.PIN)
        self._changed()

    @property
    def pin_locked(self) -> bool:
        now = self.clock()
        recent = [t for t in self._pin_failures if now - t < PIN_LOCKOUT_S]
        return len(recent) >= PIN_ATTEMPTS

    def pin_digit(self, digit: str) -> None:
        self._touch()
        if self.screen is not Screen.PIN or not digit.isdigit() or len(self.pin_entry) >= 8:
            return
        self.pin_entry += digit
        self.pin_error = False
        self._changed()

    def pin_clear(self) -> None:
        self._touch()
        self.pin_entry = ""
        self._changed()

    def pin_submit(self) -> None:
        self._touch()
        if self.screen is not Screen.PIN:
            return
        entered, self.pin_entry = self.pin_entry, ""
        if self.pin_locked or not self._priority_pin:
            self.pin_error = True
        elif hmac.compare_digest(entered.encode(), self._priority_pin.encode()):
            self._pin_failures.clear()
            self.priority_armed = True
            self.pin_error = False
            self._go(Screen.START)
        else:
            self._pin_failures.append(self.clock())
            self.pin_error = True
        self._changed()

    def priority_pressed(self, held_s: float) -> None:
        """The 绿色通道 button was released after `held_s` seconds (long-press mode)."""
        self._touch()
        if self.screen is not Screen.START or self.busy:
            return
        if self.priority_mode is PriorityMode.PIN:
            self.open_priority()
        elif self.priority_mode is PriorityMode.LONG_PRESS and held_s >= PRIORITY_LONG_PRESS_S:
            self.priority_armed = True
            self._changed()

    def cancel_priority(self) -> None:
        self._touch()
        if self.priority_armed:
            self.priority_armed = False
            self._changed()
