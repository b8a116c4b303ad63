"""The long LED strip screen (综合屏) that scrolls the latest calls, STX/ETX framed.

    02 | ADDR | MODE | LEN_HI LEN_LO | TEXT… | XOR | 03
    MODE 53 ('S') = scroll TEXT from right to left, 54 ('T') = show TEXT still
    TEXT = GB2312, at most 1,000 bytes (LEN = its length, big-endian)
    XOR  = ADDR ^ MODE ^ LEN_HI ^ LEN_LO ^ TEXT…
GB2312 and ASCII text never contain the bytes 02 or 03, so they mark the frame.
"""

from __future__ import annotations

from functools import reduce

from hall_hardware.drivers.base import (
    BusProblem,
    ByteBuffer,
    Decoder,
    ScreenDriver,
    ScreenFrame,
    gb2312,
)

STX, ETX = 0x02, 0x03
MODE_SCROLL, MODE_STILL = 0x53, 0x54
TEXT_MAX_BYTES = 1000


def xor8(data: bytes) -> int:
    return reduce(lambda a, b: a ^ b, data, 0)


class _Decoder(Decoder):
    def __init__(self) -> None:
        self._pending = ByteBuffer("frame")

    def feed(self, data: bytes, now: float | None = None) -> list[object]:
        out: list[object] = []
        buf = self._pending.take(data, now, out)
        while buf:
            start = buf.find(bytes([STX]))
            if start < 0:
                buf.clear()
                break
            del buf[:start]
            if len(buf) < 5:
                break
            length = buf[3] * 256 + buf[4]
            total = 5 + length + 2
            if length > TEXT_MAX_BYTES:
                out.append(BusProblem(f"length {length} is over {TEXT_MAX_BYTES}", buf[1]))
                del buf[:1]
                continue
            if len(buf) < total:
                break
            body = bytes(buf[1 : 5 + length])
            if buf[total - 1] != ETX or xor8(body) != buf[total - 2]:
                out.append(BusProblem("bad checksum or end byte", body[0]))
                del buf[:1]
                continue
            del buf[:total]
            text = body[4:].decode("gb2312", errors="replace")
            out.append(ScreenFrame(body[0], text, scroll=body[1] == MODE_SCROLL))
        return out


class LedStrip(ScreenDriver):
    name = "led_strip"
    description = "long LED strip, GB2312 text: 02 ADDR MODE LEN_HI LEN_LO TEXT… XOR 03"

    def shown(self, text: str) -> str:
        return gb2312(text, TEXT_MAX_BYTES).decode("gb2312")

    def encode(self, address: int, text: str, scroll: bool = True) -> bytes:
        data = gb2312(text, TEXT_MAX_BYTES)
        body = bytes(
            [
                address & 0xFF,
                MODE_SCROLL if scroll else MODE_STILL,
                len(data) >> 8,
                len(data) & 0xFF,
            ]
        )
        body += data
        return bytes([STX]) + body + bytes([xor8(body), ETX])

    def decoder(self) -> Decoder:
        return _Decoder()
