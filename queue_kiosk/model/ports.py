"""What the kiosk model needs from outside besides the hall: a printer and a job runner.

A printer query or a print takes seconds, so the model never calls the printer itself: it
hands the job to a `Runner`, which gives back a `JobResult` (the value, or the exception)
when the job is done. The Qt app runs jobs on a worker thread; `InlineRunner` runs them at
once, for the command line and the tests of the flow. The hall is `shared.client.port.HallPort`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class JobResult:
    value: Any = None
    error: BaseException | None = None


class Runner(Protocol):
    """Runs a slow job (a printer query) off the screen's thread and hands back its outcome."""

    def run(self, job: Callable[[], Any], done: Callable[[JobResult], None]) -> None: ...


class PrinterPort(Protocol):
    def status(self) -> Any: ...

    def print_ticket(self, data: bytes) -> Any: ...


class InlineRunner:
    """Runs jobs at once on the caller's thread (command line, tests of the flow)."""

    def run(self, job: Callable[[], Any], done: Callable[[JobResult], None]) -> None:
        try:
            value = job()
        except Exception as exc:  # handed to the flow, which decides what the resident sees
            done(JobResult(error=exc))
            return
        done(JobResult(value=value))
