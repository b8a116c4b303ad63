"""When a client tries again: reconnect backoff, and which lost requests are sent again.

A client that loses the server waits before each new attempt, twice as long each time up
to a ceiling, and from the shortest wait again once it was online. An idempotent request
(`OPS[op].idempotent`: it carries a `req`) that was in flight when the connection dropped
is sent again with the same `req`, so the server applies it once, unless it has become too
old or the business day has changed meanwhile: then it would act on something nobody meant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shared.protocol.ops import OPS
from shared.protocol.replies import Reply

REPLAY_MAX_AGE_S = 120.0  # an unanswered call or issue older than this is not sent again

Callback = Callable[[Reply], None]


@dataclass
class PendingRequest:
    """A request of the application's, from when it was made until it is answered."""

    op: str
    params: dict[str, Any]
    callback: Callback | None
    day: str | None  # the business day it was made on
    made: float  # when it was made (the session's clock)

    @property
    def retryable(self) -> bool:
        spec = OPS.get(self.op)
        return bool(spec and spec.idempotent)


def may_replay(request: PendingRequest, day: object, now: float) -> bool:
    """Whether a request lost with a connection is sent again now, on business day `day`."""
    return request.day == day and now - request.made <= REPLAY_MAX_AGE_S


class Backoff:
    """The waits between connection attempts, and which failures are worth a log line."""

    def __init__(self, min_s: float = 0.5, max_s: float = 10.0) -> None:
        self.min_s, self.max_s = min_s, max_s
        self.delay = min_s
        self.failures = 0

    def next(self) -> float:
        """The wait before the next attempt; the one after it is twice as long (capped)."""
        delay = self.delay
        self.delay = min(self.max_s, max(self.min_s, delay * 2))
        return delay

    def reset(self) -> None:
        """The connection worked: the next wait is the shortest again."""
        self.delay = self.min_s

    def failed(self) -> bool:
        """Count a failed attempt; True when it should be logged (1st, 10th, every 100th)."""
        self.failures += 1
        return self.failures in (1, 10) or self.failures % 100 == 0

    def succeeded(self) -> None:
        self.failures = 0
