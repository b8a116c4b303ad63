"""Error codes of the hall protocol and the exception that carries one."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    BAD_FRAME = "bad_frame"
    BAD_REQUEST = "bad_request"
    UNKNOWN_OP = "unknown_op"
    NOT_AUTHENTICATED = "not_authenticated"
    PROTO_MISMATCH = "proto_mismatch"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    ISSUING_CLOSED = "issuing_closed"
    INTERNAL = "internal"
    # Added to v1: the database refused a change (disk full, read-only file).
    UNAVAILABLE = "unavailable"


class HallError(Exception):
    """An error reply: a protocol code and a human-readable message."""

    def __init__(
        self,
        code: ErrorCode | str,
        message: str,
        reason: str | None = None,
        retry_after_s: int | None = None,
    ) -> None:
        self.code = ErrorCode(code)
        self.message = message
        self.reason = reason  # added to v1: a machine-readable detail, e.g. "daily_limit"
        self.retry_after_s = retry_after_s  # added to v1: seconds until the op may succeed
        super().__init__(f"{self.code.value}: {message}")

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"code": self.code.value, "message": self.message}
        if self.reason:
            wire["reason"] = self.reason
        if self.retry_after_s is not None:
            wire["retry_after_s"] = self.retry_after_s
        return wire
