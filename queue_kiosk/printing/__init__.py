"""Ticket printing for the kiosk: layout, ESC/POS printers, status, and the on-screen preview.

Typical use by the kiosk::

    printer = open_printer(parse_printer_spec(args.printer, args.paper))
    data = render_ticket(slip, printer.paper_mm)
    try:
        printer.print_ticket(data)      # then confirm `printed` to the hall server
    except PrinterError as error:       # then `print_failed`; show error.user_message(lang)
        ...
    status = printer.status()           # between tickets, from a worker thread
"""

from __future__ import annotations

from .decode import decode
from .errors import ERROR_CODES, PrinterError
from .layout import printable_as_text, render_ticket
from .ops import paper_blocks
from .paper import PAPERS, Paper, paper_for
from .preview import render_preview, render_preview_png
from .printer import TicketPrinter, open_printer
from .slip import TicketSlip, sample_slip
from .spec import PrinterSpec, parse_printer_spec
from .status import PrinterStatus

__all__ = [
    "ERROR_CODES",
    "PAPERS",
    "Paper",
    "PrinterError",
    "PrinterSpec",
    "PrinterStatus",
    "TicketPrinter",
    "TicketSlip",
    "decode",
    "open_printer",
    "paper_blocks",
    "paper_for",
    "printable_as_text",
    "render_preview",
    "render_preview_png",
    "render_ticket",
    "sample_slip",
    "parse_printer_spec",
    "test_print",
]


def test_print(
    spec: PrinterSpec | str,
    paper_mm: int | None = None,
    *,
    lang: str = "zh_CN",
    timeout: float = 2.0,
) -> None:
    """Print a sample ticket (`--test-print`); PrinterError with a clear message on failure.

    `paper_mm` defaults to the spec's own width (80 mm for a SPEC string).
    """
    with open_printer(spec, timeout=timeout, paper_mm=paper_mm) as printer:
        printer.print_ticket(render_ticket(sample_slip(lang), printer.paper_mm))


# pytest collects module-level functions named test_*; this one is not a test.
test_print.__test__ = False  # type: ignore[attr-defined]
