"""The framed call-keypad family `FF 68 LEN LEN 68 ADDR CMD DATA… SUM 16`.

    FF 68 | L L | 68 | ADDR CMD DATA… | SUM | 16
    L   = number of bytes from ADDR to the end of DATA (2 + len(DATA)), sent twice
    SUM = (ADDR + CMD + DATA…) mod 256

Keypad -> bridge:  CMD 01 KEY      DATA = key code, press number (0-255, wrapping)
Bridge -> keypad:  CMD 81 ACK      DATA = the press number acknowledged
                   CMD 82 DISPLAY  DATA = the display line in GB2312 (at most 32 bytes)
"""

from __future__ import annotations

from hall_hardware.drivers.base import (
    AckFrame,
    BusProblem,
    ByteBuffer,
    Decoder,
    DisplayFrame,
    Key,
    KeypadDriver,
    KeyPress,
    gb2312,
    sum8,
)

START = b"\xff\x68"
END = 0x16
CMD_KEY, CMD_ACK, CMD_DISPLAY = 0x01, 0x81, 0x82
DISPLAY_MAX_BYTES = 32

KEY_CODES: dict[Key, int] = {
    **{Key(str(d)): 0x30 + d for d in range(10)},
    Key.CALL: 0x41,
    Key.RECALL: 0x42,
    Key.NO_SHOW: 0x43,
    Key.START: 0x44,
    Key.FINISH: 0x45,
    Key.PAUSE: 0x46,
    Key.RESUME: 0x47,
    Key.RATE: 0x48,
    Key.ENTER: 0x49,
    Key.CLEAR: 0x4A,
    Key.LOGOUT: 0x4B,
}
KEYS_BY_CODE = {code: key for key, code in KEY_CODES.items()}


def frame(address: int, command: int, data: bytes = b"") -> bytes:
    body = bytes([address & 0xFF, command & 0xFF]) + data
    if len(body) > 0xFF:
        raise ValueError(f"frame data is {len(data)} bytes; at most 253 fit")
    return START + bytes([len(body), len(body), 0x68]) + body + bytes([sum8(body), END])


class FrameDecoder:
    """Splits the stream into checked frames: (address, command, data) or BusProblem."""

    def __init__(self) -> None:
        self._pending = ByteBuffer("frame")

    def frames(
        self, data: bytes, now: float | None = None
    ) -> list[tuple[int, int, bytes] | BusProblem]:
        out: list[tuple[int, int, bytes] | BusProblem] = []
        buf = self._pending.take(data, now, out)
        while buf:
            start = buf.find(START)
            if start < 0:
                # keep a trailing FF: it may be the first half of the next start
                keep = 1 if buf[-1] == 0xFF else 0
                if len(buf) - keep:
                    out.append(BusProblem(f"{len(buf) - keep} stray bytes"))
                del buf[: len(buf) - keep]
                break
            if start:
                out.append(BusProblem(f"{start} stray bytes"))
                del buf[:start]
            if len(buf) < 5:
                break
            length, again, second = buf[2], buf[3], buf[4]
            if length != again or second != 0x68 or length < 2:
                out.append(
                    BusProblem(
                        f"bad header {bytes(buf[:5]).hex(' ')} (length bytes differ, second 68"
                        " missing or length under 2)"
                    )
                )
                del buf[:1]
                continue
            total = 5 + length + 2
            if len(buf) < total:
                break
            body = bytes(buf[5 : 5 + length])
            checksum, end = buf[5 + length], buf[6 + length]
            if end != END:
                out.append(BusProblem(f"frame does not end with 16 (got {end:02x})", body[0]))
                del buf[:1]
                continue
            if checksum != sum8(body):
                out.append(
                    BusProblem(f"bad checksum {checksum:02x} (expected {sum8(body):02x})", body[0])
                )
                del buf[:1]
                continue
            del buf[:total]
            out.append((body[0], body[1], body[2:]))
        return out


class _KeyDecoder(Decoder):
    def __init__(self) -> None:
        self._frames = FrameDecoder()

    def feed(self, data: bytes, now: float | None = None) -> list[object]:
        out: list[object] = []
        for item in self._frames.frames(data, now):
            if isinstance(item, BusProblem):
                out.append(item)
                continue
            address, command, payload = item
            if command in (CMD_ACK, CMD_DISPLAY):
                continue  # the bridge's own frames, heard back on a two-wire bus
            if command != CMD_KEY or len(payload) != 2:
                out.append(
                    BusProblem(f"unknown command {command:02x} with {len(payload)} bytes", address)
                )
                continue
            key = KEYS_BY_CODE.get(payload[0])
            if key is None:
                out.append(BusProblem(f"unknown key code {payload[0]:02x}", address))
                continue
            out.append(KeyPress(address, key, payload[1]))
        return out


class _DeviceDecoder(Decoder):
    def __init__(self) -> None:
        self._frames = FrameDecoder()

    def feed(self, data: bytes, now: float | None = None) -> list[object]:
        out: list[object] = []
        for item in self._frames.frames(data, now):
            if isinstance(item, BusProblem):
                out.append(item)
                continue
            address, command, payload = item
            if command == CMD_ACK and len(payload) == 1:
                out.append(AckFrame(address, payload[0]))
            elif command == CMD_DISPLAY:
                out.append(DisplayFrame(address, payload.decode("gb2312", errors="replace")))
        return out


class FF68Keypad(KeypadDriver):
    name = "ff68"
    description = "framed keypad FF 68 LEN LEN 68 ADDR CMD DATA… SUM 16"

    def decoder(self) -> Decoder:
        return _KeyDecoder()

    def device_decoder(self) -> Decoder:
        return _DeviceDecoder()

    def encode_ack(self, address: int, press: int) -> bytes:
        return frame(address, CMD_ACK, bytes([press & 0xFF]))

    def encode_display(self, address: int, text: str) -> bytes:
        return frame(address, CMD_DISPLAY, gb2312(text, DISPLAY_MAX_BYTES))

    def encode_key(self, address: int, key: Key, press: int) -> bytes:
        return frame(address, CMD_KEY, bytes([KEY_CODES[key], press & 0xFF]))
