"""Device drivers: one module per framing, all behind the same small interface.

A keypad driver turns the bytes a keypad receiver sends into `KeyPress`es (and `BusProblem`s
for what it could not read), and turns a line of text for the keypad's display into bytes.
A screen driver turns what a screen should show into bytes. Every driver is sans-IO: bytes
in, events out; text in, bytes out. Each driver also decodes its own output (`ScreenFrame`,
`DisplayFrame`), which is what the simulated devices and the tests use.

    driver = keypad_driver("ff68")
    decoder = driver.decoder()
    for item in decoder.feed(data):        # KeyPress or BusProblem
        ...
    bus.write(driver.encode_display(3, "A017 等候2人"))
    bus.write(screen_driver("led_text").encode(31, "暂停服务"))

The byte layouts are documented, with examples, in docs/hardware.md.
"""

from __future__ import annotations

from hall_hardware.drivers.base import (
    BusProblem,
    Decoder,
    DisplayFrame,
    Key,
    KeypadDriver,
    KeyPress,
    ScreenDriver,
    ScreenFrame,
)
from hall_hardware.drivers.ff68_keypad import FF68Keypad
from hall_hardware.drivers.led_numeric import LedNumeric
from hall_hardware.drivers.led_strip import LedStrip
from hall_hardware.drivers.led_text import LedText

KEYPAD_DRIVERS: dict[str, type[KeypadDriver]] = {FF68Keypad.name: FF68Keypad}
SCREEN_DRIVERS: dict[str, type[ScreenDriver]] = {
    LedNumeric.name: LedNumeric,
    LedText.name: LedText,
    LedStrip.name: LedStrip,
}


def keypad_driver(name: str) -> KeypadDriver:
    return KEYPAD_DRIVERS[name]()


def screen_driver(name: str) -> ScreenDriver:
    return SCREEN_DRIVERS[name]()


__all__ = [
    "KEYPAD_DRIVERS",
    "SCREEN_DRIVERS",
    "BusProblem",
    "Decoder",
    "DisplayFrame",
    "Key",
    "KeyPress",
    "KeypadDriver",
    "ScreenDriver",
    "ScreenFrame",
    "keypad_driver",
    "screen_driver",
]
