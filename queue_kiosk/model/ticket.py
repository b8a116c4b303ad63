"""What one touch on a matter leads to: a ticket in hand (Confirmation) or a reason (Notice).

The view words each `Problem` for residents; the model only names it. `Flow` is the touch
on its way, from the printer check to the printed ticket, and `ticket_url` keeps a ticket
page address off the slip when the printer could not print it.
"""

from __future__ import annotations

import enum
import logging
import math
from dataclasses import dataclass
from typing import Any

from queue_kiosk.model.catalog import Matter

log = logging.getLogger(__name__)


class Phase(enum.Enum):
    IDLE = "idle"
    CHECKING_PRINTER = "checking_printer"
    ISSUING = "issuing"
    PRINTING = "printing"


class Problem(enum.Enum):
    """Why a touch gave no ticket (the view words each one)."""

    PAPER_OUT = "paper_out"
    PRINTER_OFFLINE = "printer_offline"
    PRINTER_ERROR = "printer_error"
    PRINT_FAILED = "print_failed"
    SERVER_OFFLINE = "server_offline"
    SERVER_TIMEOUT = "server_timeout"
    HALL_CLOSED = "hall_closed"
    SERVICE_CLOSED = "service_closed"
    SERVICE_FULL = "service_full"
    ISSUE_REFUSED = "issue_refused"
    TOO_FAST = "too_fast"  # this kiosk asked for tickets faster than the server allows


@dataclass(frozen=True)
class Confirmation:
    number: str
    service_name: str
    category_name: str
    ahead: int
    est_wait_s: int
    priority: bool
    preview_path: str | None = None
    counters: tuple[int, ...] = ()  # the only counters that serve the matter, if not all

    @property
    def est_wait_min(self) -> int:
        return math.ceil(self.est_wait_s / 60)


@dataclass(frozen=True)
class Notice:
    problem: Problem
    detail: str = ""


@dataclass
class Flow:
    """One touch on a matter, from the printer check to the confirmation."""

    token: int
    matter: Matter
    priority: bool
    phase: Phase
    started: float
    ticket: dict[str, Any] | None = None
    ahead: int = 0
    est_wait_s: int = 0
    qr_url: str = ""


def ticket_url(value: Any) -> str:
    """The ticket page's address from the issue reply; one that cannot be printed is left out."""
    from queue_kiosk.printing.slip import is_ticket_url

    if value is None:
        return ""
    if not is_ticket_url(value):
        log.warning("the server sent a ticket url that cannot be printed, left out: %r", value)
        return ""
    return str(value)
