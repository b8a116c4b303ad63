"""The kiosk's view-model, without Qt: what the screens show and what a touch does.

`KioskModel` (kiosk.py) is the whole model; the other modules hold one concern each (see
state.py). The names below are the ones the window, the app and the tests use.
"""

from queue_kiosk.model.catalog import MAX_NAMED_COUNTERS, Category, Matter, matches_search
from queue_kiosk.model.kiosk import KioskModel
from queue_kiosk.model.ports import InlineRunner, JobResult, PrinterPort, Runner
from queue_kiosk.model.printer import printer_state_of, printer_state_of_error, status_message
from queue_kiosk.model.state import (
    CATALOG_REFRESH_S,
    CONFIRMATION_MIN_S,
    CONFIRMATION_S,
    IDLE_S,
    ISSUE_TIMEOUT_S,
    NOTICE_S,
    PIN_ATTEMPTS,
    PIN_LOCKOUT_S,
    PRINTER_CHECK_TIMEOUT_S,
    PRINTER_FAULT_POLL_S,
    PRINTER_POLL_S,
    PRIORITY_LONG_PRESS_S,
    PriorityMode,
    Screen,
)
from queue_kiosk.model.ticket import Confirmation, Notice, Phase, Problem, ticket_url

__all__ = [
    "CATALOG_REFRESH_S",
    "CONFIRMATION_MIN_S",
    "CONFIRMATION_S",
    "IDLE_S",
    "ISSUE_TIMEOUT_S",
    "MAX_NAMED_COUNTERS",
    "NOTICE_S",
    "PIN_ATTEMPTS",
    "PIN_LOCKOUT_S",
    "PRINTER_CHECK_TIMEOUT_S",
    "PRINTER_FAULT_POLL_S",
    "PRINTER_POLL_S",
    "PRIORITY_LONG_PRESS_S",
    "Category",
    "Confirmation",
    "InlineRunner",
    "JobResult",
    "KioskModel",
    "Matter",
    "Notice",
    "Phase",
    "PrinterPort",
    "PriorityMode",
    "Problem",
    "Runner",
    "Screen",
    "matches_search",
    "printer_state_of",
    "printer_state_of_error",
    "status_message",
    "ticket_url",
]
