"""What a client makes of a reply frame: a `Reply` for callbacks, or a result or HallError.

Every client reads error replies the same way (code, message, reason, retry_after_s), so
the reading lives here once, below every socket and toolkit. `new_req` makes the `req`
that lets the server apply an idempotent op once however often it is sent.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from typing import Any

from shared.domain.errors import HallError


@dataclass
class Reply:
    """One reply as the windows see it: ok and a result, or an error code and message."""

    ok: bool
    result: dict[str, Any] = field(default_factory=dict)
    code: str = ""
    message: str = ""
    reason: str = ""  # the error's machine-readable detail, when the server gives one
    retry_after_s: int | None = None  # seconds until the op may succeed, when the server says

    @classmethod
    def from_frame(cls, frame: dict[str, Any]) -> Reply:
        if frame.get("ok"):
            result = frame.get("result")
            return cls(True, result if isinstance(result, dict) else {})
        error = frame.get("error") or {}
        return cls(
            False,
            {},
            str(error.get("code", "internal")),
            str(error.get("message", "")),
            str(error.get("reason") or ""),
            retry_after(error),
        )


def disconnected(message: str) -> Reply:
    """The reply a request gets when it was never answered by the server."""
    return Reply(False, {}, "disconnected", message)


def result_of(frame: dict[str, Any]) -> dict[str, Any]:
    """The result of an ok reply frame; HallError carrying the error of any other."""
    if frame.get("ok"):
        result = frame.get("result")
        return result if isinstance(result, dict) else {}
    error = frame.get("error") or {}
    raise HallError(
        error.get("code", "internal"),
        error.get("message", "unknown error"),
        str(error.get("reason") or "") or None,
        retry_after(error),
    )


def error_reason(frame: dict[str, Any]) -> str:
    """The `reason` of an error reply frame ("" for an ok one or none given)."""
    if frame.get("ok"):
        return ""
    error = frame.get("error")
    return str(error.get("reason") or "") if isinstance(error, dict) else ""


def retry_after(error: dict[str, Any]) -> int | None:
    value = error.get("retry_after_s")
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return None
    return math.ceil(value)


def new_req() -> str:
    return uuid.uuid4().hex
