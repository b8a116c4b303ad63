"""Printing to a serial printer: a fake printer on the far side of a pseudo-terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from queue_kiosk.printing import PrinterError, open_printer, render_ticket, sample_slip
from queue_kiosk.printing.commands import STATUS_ONLINE, STATUS_PAPER
from queue_kiosk.printing.fake import FakeSerialPrinter

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

TICKET = render_ticket(sample_slip(), 58)


@pytest.fixture
def fake_printer(request: pytest.FixtureRequest) -> Iterator[FakeSerialPrinter]:
    with FakeSerialPrinter(**getattr(request, "param", {})) as fake:
        yield fake


def test_serial_ticket_arrives_whole_with_status_around_it(fake_printer: FakeSerialPrinter) -> None:
    with open_printer(fake_printer.spec_for(115200), paper_mm=58) as printer:
        assert printer.status().ready
        fake_printer.clear()
        printer.print_ticket(TICKET)
    check = STATUS_ONLINE + STATUS_PAPER
    assert fake_printer.received == check + TICKET + check


def test_serial_port_stays_open_between_tickets(fake_printer: FakeSerialPrinter) -> None:
    with open_printer(fake_printer.spec, paper_mm=58) as printer:
        printer.print_ticket(TICKET)
        printer.print_ticket(TICKET)
        fake_printer.paper = "near_end"
        assert printer.status().paper == "near_end"
    assert fake_printer.received.count(TICKET) == 2


@pytest.mark.parametrize("fake_printer", [{"paper": "out"}], indirect=True)
def test_serial_paper_out(fake_printer: FakeSerialPrinter) -> None:
    with open_printer(fake_printer.spec, paper_mm=58) as printer:
        status = printer.status()
        assert (status.online, status.paper) == (False, "out")
        with pytest.raises(PrinterError) as caught:
            printer.print_ticket(TICKET)
    assert caught.value.code == "paper_out"
    assert TICKET not in fake_printer.received


@pytest.mark.timeout(15)
@pytest.mark.parametrize("fake_printer", [{"mode": "mute"}], indirect=True)
def test_silent_serial_printer_is_unknown_not_paper_ok(fake_printer: FakeSerialPrinter) -> None:
    with open_printer(fake_printer.spec, timeout=0.5, paper_mm=58) as printer:
        status = printer.status()
        assert (status.online, status.paper, status.condition) == (None, "unknown", "no_reply")
        with pytest.raises(PrinterError) as caught:
            printer.print_ticket(TICKET)
    assert caught.value.code == "timeout"


def test_missing_serial_device() -> None:
    printer = open_printer("serial:/dev/no-such-printer-tty", timeout=0.5)
    status = printer.status()
    assert (status.online, status.condition) == (False, "unreachable")
    assert "/dev/no-such-printer-tty" in status.detail
    with pytest.raises(PrinterError) as caught:
        printer.print_ticket(TICKET)
    assert caught.value.code == "not_found"
    assert caught.value.message == "找不到打印机，请联系工作人员。"
