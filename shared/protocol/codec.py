"""Sans-IO codec of the hall protocol: bytes in, messages out; message in, bytes out.

One frame is one JSON object in UTF-8 on one line ending in b"\\n", at most
MAX_FRAME bytes including the newline. The codec never holds more than that
per connection: an over-long frame is reported as fatal and the rest ignored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

MAX_FRAME = 65_536
PROTO = 1


@dataclass(frozen=True)
class BadFrame:
    """A frame that is not a JSON object; `fatal` when the connection must close."""

    reason: str
    fatal: bool = False


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def decode_frame(line: bytes) -> dict[str, Any] | BadFrame:
    """One frame's bytes (without the newline) to a message, or BadFrame saying why not."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return BadFrame(f"frame is not valid UTF-8 (byte {exc.start})")
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        return BadFrame("frame nests too deeply")
    except ValueError as exc:
        return BadFrame(f"frame is not valid JSON: {exc}")
    if not isinstance(value, dict):
        return BadFrame(f"frame must be a JSON object, got {type(value).__name__}")
    return value


def encode(message: dict[str, Any]) -> bytes:
    """A message to one frame's bytes, newline included."""
    text = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8") + b"\n"
    except UnicodeEncodeError:  # a lone surrogate: JSON's \u escapes keep the frame valid
        return json.dumps(message, separators=(",", ":")).encode("ascii") + b"\n"


class FrameDecoder:
    """Splits a byte stream into frames. Feed bytes, get messages and BadFrames back."""

    def __init__(self, max_frame: int = MAX_FRAME) -> None:
        self.max_frame = max_frame
        self._buffer = bytearray()
        self.closed = False

    def feed(self, data: bytes) -> list[dict[str, Any] | BadFrame]:
        if self.closed:
            return []
        out: list[dict[str, Any] | BadFrame] = []
        self._buffer += data
        start = 0
        while True:
            end = self._buffer.find(b"\n", start)
            if end < 0:
                break
            if end + 1 - start > self.max_frame:
                return self._overflow(
                    out, f"frame of {end + 1 - start} bytes is over the {self.max_frame}-byte limit"
                )
            out.append(decode_frame(bytes(self._buffer[start:end])))
            start = end + 1
        del self._buffer[:start]
        if len(self._buffer) >= self.max_frame:
            return self._overflow(
                out,
                f"{len(self._buffer)} bytes received with no end of frame (limit {self.max_frame})",
            )
        return out

    def _overflow(
        self, out: list[dict[str, Any] | BadFrame], reason: str
    ) -> list[dict[str, Any] | BadFrame]:
        self._buffer.clear()
        self.closed = True
        out.append(BadFrame(reason, fatal=True))
        return out

    @property
    def buffered(self) -> int:
        return len(self._buffer)


def reply_ok(request_id: Any, result: dict[str, Any]) -> dict[str, Any]:
    return {"id": request_id, "ok": True, "result": result}


def reply_error(
    request_id: Any,
    code: str,
    message: str,
    reason: str | None = None,
    retry_after_s: int | None = None,
) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if reason:
        error["reason"] = reason
    if retry_after_s is not None:
        error["retry_after_s"] = retry_after_s
    return {"id": request_id, "ok": False, "error": error}


def event(name: str, seq: int | None, data: dict[str, Any]) -> dict[str, Any]:
    return {"event": name, "seq": seq, "data": data}
