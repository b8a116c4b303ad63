"""TicketPrinter: prints ticket bytes and reports printer status, never blocking for long.

Before and after each ticket (never in the middle of one) a printer that can answer is
asked DLE EOT 1 (online), 2 (why offline) and 4 (paper sensor). A printer that refuses
the ticket raises PrinterError before any byte is sent; one that stops answering after
the ticket raises PrinterError('timeout'), so the kiosk reports `print_failed` instead
of claiming a ticket that may never have come out.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from typing import TYPE_CHECKING

from . import commands
from .connection import Connection, SerialConnection, make_connection
from .errors import PrinterError
from .paper import paper_for
from .spec import PrinterSpec, parse_printer_spec
from .status import OFFLINE_BIT, PrinterStatus, interpret_replies, is_status_byte, make_status

if TYPE_CHECKING:
    from PIL import Image

logger = logging.getLogger(__name__)

MAX_TIMEOUT = 60.0
# The slowest a printer drains its buffer while printing raster lines, for time limits.
_SLOWEST_INTAKE_BYTES_PER_S = 2048

_REFUSALS = {
    "paper_out": "paper_out",
    "cover_open": "cover_open",
    "offline": "offline",
    "error": "offline",
    "bad_reply": "io_error",
    "no_reply": "timeout",
}


class TicketPrinter:
    """One configured printer. Thread-safe: status() and print_ticket() take turns."""

    def __init__(
        self, spec: PrinterSpec, connection: Connection, *, timeout: float, check_status: bool
    ) -> None:
        self.spec = spec
        self.timeout = timeout
        self.check_status = check_status and connection.can_query
        self.last_ticket: bytes | None = None
        self.last_status: PrinterStatus | None = None
        self._connection = connection
        self._lock = threading.RLock()

    @property
    def paper_mm(self) -> int:
        return self.spec.paper_mm

    @property
    def description(self) -> str:
        return self._connection.description

    @property
    def reports_status(self) -> bool:
        """Whether status() asks the printer (usb, serial, network, unless turned off)."""
        return self.check_status

    def __repr__(self) -> str:
        return f"<TicketPrinter {self.spec} {self.paper_mm} mm>"

    def __enter__(self) -> TicketPrinter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the device; the next ticket or status call opens it again."""
        with self._lock:
            self._drop()

    def _drop(self) -> None:
        try:
            self._connection.close()
        except PrinterError as error:
            logger.warning("Closing %s: %s", self.description, error.detail)

    def _finish(self) -> None:
        """Close after a ticket where the link does not stay open; for job links (CUPS,
        Windows, file) this is what submits the ticket, so its failure is the ticket's."""
        if not self._connection.keep_open:
            self._connection.close()

    def _ensure_open(self, timeout: float) -> None:
        if not self._connection.is_open:
            self._connection.open(timeout)

    def _transfer_allowance(self, size: int) -> float:
        """Extra seconds a ticket of `size` bytes may take to reach the printer."""
        if isinstance(self._connection, SerialConnection):
            return self._connection.transfer_time(size) * 1.5
        return size / _SLOWEST_INTAKE_BYTES_PER_S

    # -- status ------------------------------------------------------------------------

    def _ask(self, request: bytes, deadline: float) -> int | None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        return self._connection.query(request, remaining)

    def _query_status(self, deadline: float) -> PrinterStatus:
        online = self._ask(commands.STATUS_ONLINE, deadline)
        if online is None or not is_status_byte(online):
            return interpret_replies(online, None, None)
        cause = self._ask(commands.STATUS_OFFLINE_CAUSE, deadline) if online & OFFLINE_BIT else None
        paper = self._ask(commands.STATUS_PAPER, deadline)
        return interpret_replies(online, cause, paper)

    def status(self) -> PrinterStatus:
        """Ask the printer how it is, within about `timeout` seconds in all.

        Call it between tickets. Links that cannot answer (file, cups, win32) report
        online=None and paper "unknown"; so does a printer that stays silent.
        """
        with self._lock:
            kind = self.spec.kind
            if kind in ("preview", "none"):
                status = make_status(kind, online=True if kind == "preview" else None)
            elif not self._connection.can_query:
                status = make_status("not_queryable", detail=self.description)
            else:
                status = self._status_from_printer()
            self.last_status = status
            return status

    def _status_from_printer(self) -> PrinterStatus:
        deadline = time.monotonic() + self.timeout
        try:
            self._ensure_open(self.timeout)
            status = self._query_status(deadline)
        except PrinterError as error:
            self._drop()
            online = False if error.code == "not_found" else None
            return make_status("unreachable", online=online, detail=error.detail)
        if not self._connection.keep_open or status.condition in ("no_reply", "bad_reply"):
            self._drop()
        return status

    # -- printing ----------------------------------------------------------------------

    def _require_ready(self, status: PrinterStatus, stage: str) -> None:
        self.last_status = status
        code = _REFUSALS.get(status.condition)
        if code is None:
            return
        if status.condition == "no_reply" and status.online:
            return  # answered "online" but not the paper request: nothing says stop
        raise PrinterError(code, f"{self.description}: {status.detail}; {stage}")

    def print_ticket(self, data: bytes) -> None:
        """Send one ticket's bytes; PrinterError (code, resident message, detail) if it fails."""
        if not isinstance(data, bytes | bytearray):
            raise ValueError(f"a ticket is bytes from render_ticket, not {type(data).__name__}")
        if not data:
            raise ValueError("a ticket with no bytes cannot be printed")
        data = bytes(data)
        with self._lock:
            self.last_ticket = data
            allowance = self._transfer_allowance(len(data))
            try:
                self._ensure_open(self.timeout)
                if self.check_status:
                    before = self._query_status(time.monotonic() + self.timeout)
                    self._require_ready(before, "the ticket was not sent")
                self._connection.write(data, self.timeout)
                if self.check_status:
                    # The request queues behind the ticket's bytes still on their way.
                    after = self._query_status(time.monotonic() + self.timeout + allowance)
                    self._require_ready(after, "after the ticket was sent (it may be incomplete)")
                self._finish()
            except PrinterError as error:
                logger.warning("Ticket not printed on %s: %s", self.description, error.detail)
                self._drop()
                raise
            except OSError as error:
                self._drop()
                raise PrinterError(
                    "io_error", f"printing on {self.description} failed: {error}"
                ) from error

    def preview_image(self) -> Image.Image | None:
        """The last ticket as it comes out of the printer, or None before the first one."""
        if self.last_ticket is None:
            return None
        from .preview import on_paper, render_preview

        return on_paper(render_preview(self.last_ticket, self.paper_mm), self.paper_mm)


def open_printer(
    spec: PrinterSpec | str,
    *,
    timeout: float = 2.0,
    check_status: bool = True,
    paper_mm: int | None = None,
) -> TicketPrinter:
    """A TicketPrinter for a SPEC string or a parsed PrinterSpec.

    Nothing is connected yet (a printer switched off at start-up is not an error here);
    a link that cannot work on this machine (no pyusb, no pycups, not Windows) raises
    PrinterError('unavailable') now. `timeout` bounds each wait on the printer;
    `check_status=False` is for write-only links whose printer can never answer.
    `paper_mm` overrides the spec's paper width.
    """
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise ValueError(f"printer timeout must be a number of seconds, not {timeout!r}")
    if not 0 < timeout <= MAX_TIMEOUT:
        raise ValueError(f"printer timeout must be more than 0 and at most {MAX_TIMEOUT} s")
    if isinstance(spec, str):
        spec = parse_printer_spec(spec, 80 if paper_mm is None else paper_mm)
    elif isinstance(spec, PrinterSpec):
        if paper_mm is not None:
            spec = dataclasses.replace(spec, paper_mm=paper_for(paper_mm).mm)
    else:
        raise ValueError(f"printer spec must be text or a PrinterSpec, not {type(spec).__name__}")
    return TicketPrinter(
        spec, make_connection(spec), timeout=float(timeout), check_status=check_status
    )
