"""LED window screens that take 4-byte numeric packets `ID, high, low, sum`.

    ID | HI | LO | SUM        value = HI * 256 + LO, shown as three digits (0-999)
    SUM = (ID + HI + LO) mod 256;  value FFFF blanks the screen

The screen shows digits only: "A017" is shown as 017, "A1017" as its last three digits
(017), anything without digits ("暂停服务") blanks it. The packets have no start byte, so
these screens need a bus of their own.
"""

from __future__ import annotations

import re

from hall_hardware.drivers.base import (
    BusProblem,
    ByteBuffer,
    Decoder,
    ScreenDriver,
    ScreenFrame,
    sum8,
)

BLANK = 0xFFFF
_DIGITS = re.compile(r"(\d+)$")


def packet(address: int, value: int) -> bytes:
    body = bytes([address & 0xFF, (value >> 8) & 0xFF, value & 0xFF])
    return body + bytes([sum8(body)])


class _Decoder(Decoder):
    def __init__(self) -> None:
        self._pending = ByteBuffer("packet")

    def feed(self, data: bytes, now: float | None = None) -> list[object]:
        out: list[object] = []
        buf = self._pending.take(data, now, out)
        skipped = 0
        while len(buf) >= 4:
            if sum8(buf[:3]) != buf[3]:
                del buf[:1]
                skipped += 1
                continue
            if skipped:
                out.append(BusProblem(f"{skipped} bytes without a valid packet"))
                skipped = 0
            value = buf[1] * 256 + buf[2]
            if value == BLANK:
                out.append(ScreenFrame(buf[0], ""))
            elif value <= 999:
                out.append(ScreenFrame(buf[0], f"{value:03d}"))
            else:
                out.append(BusProblem(f"value {value} is out of range", buf[0]))
            del buf[:4]
        if skipped:
            out.append(BusProblem(f"{skipped} bytes without a valid packet"))
        return out


class LedNumeric(ScreenDriver):
    name = "led_numeric"
    description = "numeric LED window screen, 4-byte packets ID HI LO SUM"
    shares_bus = False

    def shown(self, text: str) -> str:
        match = _DIGITS.search(text.strip())
        return f"{int(match.group(1)[-3:]):03d}" if match else ""

    def encode(self, address: int, text: str) -> bytes:
        shown = self.shown(text)
        return packet(address, int(shown) if shown else BLANK)

    def decoder(self) -> Decoder:
        return _Decoder()
