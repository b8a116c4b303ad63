"""The clerk's figures of the business day, as the window's "today" line shows them.

The server counts them (`clerk_stats`, with the monthly report's definitions for one day);
the client only reads the reply, tolerantly: an older server that lacks a field must
leave that figure blank, not stop the window. The counter asks again whenever one of its
tickets closes, and counts the time logged in on from the last reply between asks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared.domain.figures import per_served


@dataclass
class DayFigures:
    """The logged-in clerk's figures for the business day, as the server counts them
    (`clerk_stats`: the monthly report's definitions, for today)."""

    served: int = 0
    no_shows: int = 0
    mean_service_s: float | None = None
    without_start: int = 0
    short: int = 0
    short_service_s: int | None = None
    calls: int = 0
    recalls: int = 0
    logged_in_s: int = 0
    paused_s: int = 0
    rated: int = 0
    score: float | None = None

    @property
    def short_share(self) -> float | None:
        return per_served(self.short, self.served)

    @property
    def calls_per_served(self) -> float | None:
        return per_served(self.calls, self.served)

    @classmethod
    def from_stats(cls, stats: Mapping[str, Any]) -> DayFigures:
        """Tolerant: a field missing or of the wrong type (an older server) reads as none."""

        def whole(key: str) -> int:
            value = stats.get(key)
            return int(value) if isinstance(value, int | float) and value >= 0 else 0

        def real(key: str) -> float | None:
            value = stats.get(key)
            return float(value) if isinstance(value, int | float) else None

        short_s = stats.get("short_service_s")
        return cls(
            served=whole("served"),
            no_shows=whole("no_shows"),
            mean_service_s=real("mean_service_s"),
            without_start=whole("without_start"),
            short=whole("short"),
            short_service_s=int(short_s) if isinstance(short_s, int) else None,
            calls=whole("calls"),
            recalls=whole("recalls"),
            logged_in_s=whole("logged_in_s"),
            paused_s=_paused_total(stats.get("paused_s")),
            rated=whole("rated"),
            score=real("score"),
        )


def _paused_total(paused: object) -> int:
    """`paused_s` is seconds by pause reason; the line shows their sum."""
    if not isinstance(paused, dict):
        return 0
    return sum(int(v) for v in paused.values() if isinstance(v, int | float) and v > 0)
