"""The kiosk's printer as staff hear of it: its state, and the kiosk_status reports about it.

Counters and the board show what this kiosk tells the server with `kiosk_status` (a
printer state from shared.domain.vocabulary and a message in the kiosk's language). The
model reads the printer between tickets and before each one, turns what the printer said
(or the error a print raised) into that state, and reports it only when it changed.
"""

from __future__ import annotations

import logging
from typing import Any

from queue_kiosk.model.ports import JobResult
from queue_kiosk.model.state import KioskState
from shared.domain.vocabulary import PRINTER_NEEDS_STAFF

log = logging.getLogger(__name__)

# What counters and the board are told about this kiosk's printer (kiosk_status message).
STATUS_MESSAGES = {
    "zh_CN": {
        "ok": "",
        "near_end": "取号机打印纸即将用完，请及时更换",
        "paper_out": "取号机打印机缺纸，已暂停出号",
        "offline": "取号机打印机离线，已暂停出号",
        "error": "取号机打印机故障：{detail}",
        "unknown": "",
    },
    "en": {
        "ok": "",
        "near_end": "Kiosk printer paper is running low; replace the roll soon",
        "paper_out": "Kiosk printer is out of paper; no tickets are issued",
        "offline": "Kiosk printer is offline; no tickets are issued",
        "error": "Kiosk printer error: {detail}",
        "unknown": "",
    },
}

# PrinterStatus.condition (queue_kiosk.printing) -> the kiosk_status printer state.
CONDITION_STATES = {
    "ready": "ok",
    "paper_near_end": "near_end",
    "paper_out": "paper_out",
    "offline": "offline",
    "unreachable": "offline",
    "no_reply": "offline",
    "cover_open": "error",
    "error": "error",
    "bad_reply": "error",
}
# PrinterError.code -> the kiosk_status printer state after a failed ticket.
ERROR_STATES = {
    "paper_out": "paper_out",
    "offline": "offline",
    "not_found": "offline",
    "timeout": "offline",
}


def status_message(printer_state: str, detail: str = "", lang: str = "zh_CN") -> str:
    """The kiosk_status message for a printer state, in the kiosk's language."""
    texts = STATUS_MESSAGES.get(lang, STATUS_MESSAGES["zh_CN"])
    return texts.get(printer_state, "").format(detail=detail)[:200]


def printer_state_of(status: Any) -> tuple[str, str]:
    """(kiosk_status state, staff detail) from a PrinterStatus; "unknown" for a printer that
    cannot tell (file, cups, win32, preview)."""
    condition = getattr(status, "condition", None)
    if condition == "no_reply" and getattr(status, "online", None):
        return "ok", ""  # it answered "online"; only the paper sensor stayed silent
    state = CONDITION_STATES.get(str(condition), "unknown")
    return state, str(getattr(status, "detail", "") or "")


def printer_state_of_error(error: BaseException) -> str:
    return ERROR_STATES.get(str(getattr(error, "code", "")), "error")


class PrinterReport(KioskState):
    """Reads the printer and keeps the server told of its state."""

    def _take_status(self, result: JobResult) -> tuple[str, str]:
        """Take the outcome of a status query as the printer's state; returns (state, detail)."""
        self._printer_polling = False
        message = None
        if result.error is not None:
            state, detail = "error", str(result.error)
        else:
            state, detail = printer_state_of(result.value)
            staff_message = getattr(result.value, "staff_message", None)
            if callable(staff_message) and state in PRINTER_NEEDS_STAFF:
                message = str(staff_message(self.lang))
        self._set_printer_state(state, detail, message)
        return state, detail

    def _set_printer_state(self, state: str, detail: str, message: str | None = None) -> None:
        changed = (state, detail) != (self.printer_state, self.printer_detail)
        self.printer_state, self.printer_detail = state, detail
        if message is None:
            message = status_message(state, detail, self.lang)
        self._printer_message = message
        self._report(state, message)
        if changed:
            self._changed()

    def _report(self, state: str, message: str) -> None:
        """Tell counters and the board about the printer (only when it changed)."""
        if (state, message) == self._reported or not self.online:
            return
        self._reported = (state, message)

        def done(reply: Any) -> None:
            if not reply.ok:
                self._reported = None  # try again next time
                log.warning("kiosk_status refused: %s %s", reply.code, reply.message)

        self.hall.request("kiosk_status", {"printer": state, "message": message}, done)

    def poll_printer(self) -> None:
        """Read the printer between tickets (never during one)."""
        if not self.reads_status or self.busy or self._printer_polling:
            return
        self._printer_polling = True
        self._printer_polled_at = self.clock()
        self.runner.run(self.printer.status, self._polled)

    def _polled(self, result: JobResult) -> None:
        self._take_status(result)
