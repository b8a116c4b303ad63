"""What the running server measures about itself, for `server_stats` and `make bench`.

Three views of where a request's time goes inside the server:
- `Timings`: per op, from the request's frame to its reply (commit included);
- `BatchPhases`: per batch, how long its oldest request queued before the batch began,
  how long the service took (apply + commit) in wall time and in this thread's CPU time
  (the difference is the disk's flush, or time the machine gave the process no CPU), how
  long the replies took to write, and the batch's size; plus how late the event loop woke for its one-second tick (a late tick
  means the loop was busy or the process was not on a CPU);
- `GcPauses`: every garbage collection's duration, by generation (a full collection of a
  large heap stops the loop too).
Together they tell a slow request's own work from time spent waiting behind others, on the
collector, or on a machine that gave the process no CPU.
"""

from __future__ import annotations

import gc
import time
from collections import deque
from collections.abc import Iterable
from typing import Any

KEEP = 5_000  # samples kept per measure: the last few minutes of a busy hall


def percentiles(values: Iterable[float], unit: str = "ms") -> dict[str, float]:
    """n, p50, p99 and max of `values`: seconds shown in milliseconds (`unit="ms"`), or counts
    as they are (`unit=""`)."""
    scale, suffix = (1000.0, "_ms") if unit == "ms" else (1.0, "")
    ordered = sorted(values)
    if not ordered:
        return {"n": 0}

    def at(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * scale, 3)

    return {
        "n": len(ordered),
        f"p50{suffix}": at(50),
        f"p99{suffix}": at(99),
        f"max{suffix}": at(100),
    }


class Timings:
    """How long requests took inside the server, from their frame to their reply, per op."""

    def __init__(self, keep: int = KEEP) -> None:
        self.started = time.monotonic()
        self.requests = 0
        self._samples: deque[tuple[str, float]] = deque(maxlen=keep)

    def add(self, op: str, seconds: float) -> None:
        self.requests += 1
        self._samples.append((op, seconds))

    def summary(self) -> dict[str, dict[str, float]]:
        by_op: dict[str, list[float]] = {}
        for op, seconds in self._samples:
            by_op.setdefault(op, []).append(seconds)
        return {op: percentiles(values) for op, values in sorted(by_op.items())}

    def reset(self) -> None:
        self._samples.clear()


class BatchPhases:
    """Per-batch phase durations and the event loop's lateness."""

    def __init__(self, keep: int = KEEP) -> None:
        self._queued: deque[float] = deque(maxlen=keep)
        self._service: deque[float] = deque(maxlen=keep)
        self._service_cpu: deque[float] = deque(maxlen=keep)
        self._deliver: deque[float] = deque(maxlen=keep)
        self._size: deque[int] = deque(maxlen=keep)
        self._lag: deque[float] = deque(maxlen=keep)

    def add(
        self, size: int, queued_s: float, service_s: float, service_cpu_s: float, deliver_s: float
    ) -> None:
        self._size.append(size)
        self._queued.append(queued_s)
        self._service.append(service_s)
        self._service_cpu.append(service_cpu_s)
        self._deliver.append(deliver_s)

    def loop_lag(self, seconds: float) -> None:
        self._lag.append(max(0.0, seconds))

    def summary(self) -> dict[str, Any]:
        return {
            "batch_size": percentiles(self._size, unit=""),
            "queued": percentiles(self._queued),
            "service": percentiles(self._service),
            "service_cpu": percentiles(self._service_cpu),
            "deliver": percentiles(self._deliver),
            "loop_lag": percentiles(self._lag),
        }

    def reset(self) -> None:
        for samples in (self._queued, self._service, self._service_cpu, self._deliver, self._lag):
            samples.clear()
        self._size.clear()


class GcPauses:
    """Durations of the garbage collector's runs, through `gc.callbacks`."""

    def __init__(self, keep: int = KEEP) -> None:
        self._started: float | None = None
        self._pauses: deque[tuple[int, float]] = deque(maxlen=keep)

    def install(self) -> None:
        if self._callback not in gc.callbacks:
            gc.callbacks.append(self._callback)

    def uninstall(self) -> None:
        if self._callback in gc.callbacks:
            gc.callbacks.remove(self._callback)

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        elif self._started is not None:
            self._pauses.append(
                (int(info.get("generation", 0)), time.perf_counter() - self._started)
            )
            self._started = None

    def summary(self) -> dict[str, Any]:
        by_gen: dict[str, list[float]] = {}
        for generation, seconds in self._pauses:
            by_gen.setdefault(f"gen{generation}", []).append(seconds)
        return {gen: percentiles(values) for gen, values in sorted(by_gen.items())}

    def reset(self) -> None:
        self._pauses.clear()
