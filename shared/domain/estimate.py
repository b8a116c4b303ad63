"""Wait estimate printed on the ticket: people ahead × recent mean service time ÷ open counters."""

from __future__ import annotations

from collections.abc import Sequence

DEFAULT_SERVICE_S = 300  # until the day has finished tickets to learn from
RECENT = 30  # how many of the latest finished tickets make the mean


def mean_service_s(
    recent_durations_s: Sequence[float], default: float = DEFAULT_SERVICE_S
) -> float:
    """The mean of the latest RECENT service durations (called to finished), or `default`."""
    durations = [d for d in recent_durations_s[-RECENT:] if d > 0]
    return sum(durations) / len(durations) if durations else default


def estimate_wait_s(
    ahead: int, mean_s: float, open_counters: int, serving_counters: int = 1
) -> int:
    """Seconds to wait. With no counter open for the service yet, assume those configured for it."""
    counters = open_counters if open_counters > 0 else max(1, serving_counters)
    return int(round(ahead * mean_s / counters))
