"""LED window screens that take GB2312 text behind a header.

55 AA | ADDR | CMD | LEN | TEXT… | SUM
CMD 10 = show TEXT (GB2312, LEN bytes, at most 64; LEN 0 blanks the screen)
SUM = (ADDR + CMD + LEN + TEXT…) mod 256
"""

from __future__ import annotations

from hall_hardware.drivers.base import (
    BusProblem,
    ByteBuffer,
    Decoder,
    ScreenDriver,
    ScreenFrame,
    gb2312,
    sum8,
)

HEADER = b"\x55\xaa"
CMD_SHOW = 0x10
TEXT_MAX_BYTES = 64


class _Decoder(Decoder):
    def __init__(self) -> None:
        self._pending = ByteBuffer("frame")

    def feed(self, data: bytes, now: float | None = None) -> list[object]:
        out: list[object] = []
        buf = self._pending.take(data, now, out)
        while buf:
            start = buf.find(HEADER)
            if start < 0:
                keep = 1 if buf[-1] == 0x55 else 0
                del buf[: len(buf) - keep]  # other devices' frames on a shared bus
                break
            del buf[:start]
            if len(buf) < 5:
                break
            length = buf[4]
            total = 5 + length + 1
            if len(buf) < total:
                break
            body = bytes(buf[2 : 5 + length])
            if sum8(body) != buf[5 + length]:
                out.append(BusProblem("bad checksum", body[0]))
                del buf[:1]
                continue
            del buf[:total]
            if body[1] != CMD_SHOW or length > TEXT_MAX_BYTES:
                out.append(BusProblem(f"unknown command {body[1]:02x}", body[0]))
                continue
            out.append(ScreenFrame(body[0], body[3:].decode("gb2312", errors="replace")))
        return out


class LedText(ScreenDriver):
    name = "led_text"
    description = "LED window screen, GB2312 text: 55 AA ADDR 10 LEN TEXT… SUM"

    def shown(self, text: str) -> str:
        return gb2312(text, TEXT_MAX_BYTES).decode("gb2312")

    def encode(self, address: int, text: str) -> bytes:
        data = gb2312(text, TEXT_MAX_BYTES)
        body = bytes([address & 0xFF, CMD_SHOW, len(data)]) + data
        return HEADER + body + bytes([sum8(body)])

    def decoder(self) -> Decoder:
        return _Decoder()
