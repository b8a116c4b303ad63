"""The driver interface: what every keypad and screen framing provides, and what it yields."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

# A frame's pieces must arrive within this gap of each other; bytes left over from a frame
# that stopped half-way are dropped when the next bytes come later than this. At 9,600 baud
# a byte takes about 1 ms, so a real frame never pauses this long.
FRAME_GAP_S = 0.2


class Key(StrEnum):
    """The keys of a call keypad (呼叫器). Digits are '0'..'9'."""

    CALL = "call"  # 叫号
    RECALL = "recall"  # 重呼
    NO_SHOW = "no_show"  # 过号
    START = "start"  # 开始
    FINISH = "finish"  # 办结
    PAUSE = "pause"  # 暂停
    RESUME = "resume"  # 恢复
    RATE = "rate"  # 评价
    ENTER = "enter"  # 确认 (ends the clerk id and the PIN at login)
    CLEAR = "clear"  # 清除
    LOGOUT = "logout"  # 退出
    D0 = "0"
    D1 = "1"
    D2 = "2"
    D3 = "3"
    D4 = "4"
    D5 = "5"
    D6 = "6"
    D7 = "7"
    D8 = "8"
    D9 = "9"

    @property
    def digit(self) -> str | None:
        return self.value if self.value.isdigit() else None


@dataclass(frozen=True)
class KeyPress:
    """A key pressed on the keypad at `address`; `press` numbers presses (0-255, wrapping):
    a keypad that got no acknowledgement sends the same press again with the same number."""

    address: int
    key: Key
    press: int


@dataclass(frozen=True)
class BusProblem:
    """Bytes on the bus that could not be read; `reason` says why (for the log)."""

    reason: str
    address: int | None = None


@dataclass(frozen=True)
class DisplayFrame:
    """Text sent to a keypad's display (decoded by the simulated keypad)."""

    address: int
    text: str


@dataclass(frozen=True)
class AckFrame:
    """The bridge's acknowledgement of a key press."""

    address: int
    press: int


@dataclass(frozen=True)
class ScreenFrame:
    """What a screen at `address` was told to show ("" is blank)."""

    address: int
    text: str
    scroll: bool = False


class Decoder(ABC):
    """A stateful byte-stream decoder: feed it whatever arrived, get whole items back."""

    @abstractmethod
    def feed(self, data: bytes, now: float | None = None) -> list[object]: ...


class ByteBuffer:
    """A device's bytes waiting to make a whole frame, with the bus's silence rule: a frame
    left unfinished for FRAME_GAP_S is dropped and named (the device was cut off mid-frame)."""

    def __init__(self, unit: str = "frame") -> None:
        self.buf = bytearray()
        self._last = 0.0
        self._unit = unit

    def take(self, data: bytes, now: float | None, out: list[Any]) -> bytearray:
        """Add what arrived; a stale partial frame goes first, as a BusProblem in `out`."""
        now = time.monotonic() if now is None else now
        if self.buf and now - self._last > FRAME_GAP_S:
            out.append(BusProblem(f"partial {self._unit} of {len(self.buf)} bytes dropped"))
            self.buf.clear()
        self._last = now
        self.buf += data
        return self.buf


class KeypadDriver(ABC):
    name: str = ""
    description: str = ""

    @abstractmethod
    def decoder(self) -> Decoder:
        """Decodes what keypads send: `KeyPress` and `BusProblem` items."""

    @abstractmethod
    def encode_ack(self, address: int, press: int) -> bytes: ...

    @abstractmethod
    def encode_display(self, address: int, text: str) -> bytes: ...

    @abstractmethod
    def encode_key(self, address: int, key: Key, press: int) -> bytes:
        """What a keypad sends for a key press (the simulated keypad uses it)."""

    @abstractmethod
    def device_decoder(self) -> Decoder:
        """Decodes what the bridge sends to keypads: `DisplayFrame`, `AckFrame`, `BusProblem`."""


class ScreenDriver(ABC):
    name: str = ""
    description: str = ""
    # Whether other framings may share the bus (a framing without a start byte may not).
    shares_bus: bool = True

    @abstractmethod
    def encode(self, address: int, text: str) -> bytes:
        """The bytes that make the screen at `address` show `text` ("" blanks it)."""

    @abstractmethod
    def decoder(self) -> Decoder:
        """Decodes what a screen receives: `ScreenFrame` and `BusProblem` items."""

    def shown(self, text: str) -> str:
        """What the screen can actually show of `text` (the numeric screen keeps digits)."""
        return text


def gb2312(text: str, limit: int) -> bytes:
    """`text` as GB2312 bytes, at most `limit` bytes, never cutting a character in half.

    Characters GB2312 lacks become '?'.
    """
    out = bytearray()
    for char in text:
        try:
            encoded = char.encode("gb2312")
        except UnicodeEncodeError:
            encoded = b"?"
        if len(out) + len(encoded) > limit:
            break
        out += encoded
    return bytes(out)


def sum8(data: bytes | bytearray) -> int:
    return sum(data) & 0xFF
