"""Printing to a raw-TCP printer (a fake one on 127.0.0.1): bytes, status, failures."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from queue_kiosk.printing import (
    PrinterError,
    decode,
    open_printer,
    paper_blocks,
    render_ticket,
    sample_slip,
    test_print,
)
from queue_kiosk.printing.commands import STATUS_ONLINE, STATUS_PAPER
from queue_kiosk.printing.fake import FakeNetworkPrinter
from queue_kiosk.printing.ops import TextLine

STATUS_CHECK = STATUS_ONLINE + STATUS_PAPER
TICKET = render_ticket(sample_slip(), 80)


@pytest.fixture
def fake_printer(request: pytest.FixtureRequest) -> Iterator[FakeNetworkPrinter]:
    state = getattr(request, "param", {})
    with FakeNetworkPrinter(**state) as fake:
        yield fake


def test_ticket_reaches_the_printer_byte_for_byte(fake_printer: FakeNetworkPrinter) -> None:
    with open_printer(fake_printer.spec, timeout=2.0) as printer:
        printer.print_ticket(TICKET)
        assert printer.last_status is not None and printer.last_status.condition == "ready"
    # Status asked before and after, never in the middle of the ticket.
    assert fake_printer.received == STATUS_CHECK + TICKET + STATUS_CHECK
    assert fake_printer.connections == 1


def test_status_of_a_ready_printer(fake_printer: FakeNetworkPrinter) -> None:
    printer = open_printer(fake_printer.spec)
    assert printer.reports_status
    status = printer.status()
    assert (status.online, status.paper, status.ready) == (True, "ok", True)
    assert fake_printer.requests == [1, 4]


def test_each_ticket_uses_its_own_connection(fake_printer: FakeNetworkPrinter) -> None:
    printer = open_printer(fake_printer.spec)
    printer.print_ticket(TICKET)
    printer.print_ticket(TICKET)
    assert fake_printer.connections == 2
    assert fake_printer.received.count(TICKET) == 2


@pytest.mark.parametrize("fake_printer", [{"paper": "near_end"}], indirect=True)
def test_near_end_paper_still_prints_and_warns(fake_printer: FakeNetworkPrinter) -> None:
    printer = open_printer(fake_printer.spec)
    assert printer.status().paper == "near_end"
    printer.print_ticket(TICKET)
    assert TICKET in fake_printer.received
    assert printer.last_status is not None
    assert printer.last_status.condition == "paper_near_end"
    assert printer.last_status.message == "打印纸即将用完，请及时更换"


@pytest.mark.parametrize(
    ("fake_printer", "online", "paper", "code"),
    [
        ({"paper": "out"}, False, "out", "paper_out"),
        ({"online": False}, False, "ok", "offline"),
        ({"cover_open": True}, False, "ok", "cover_open"),
        ({"error": True}, False, "ok", "offline"),
    ],
    indirect=["fake_printer"],
)
def test_printer_that_cannot_print_refuses_the_ticket_before_sending(
    fake_printer: FakeNetworkPrinter, online: bool, paper: str, code: str
) -> None:
    printer = open_printer(fake_printer.spec)
    status = printer.status()
    assert (status.online, status.paper, status.ready) == (online, paper, False)
    with pytest.raises(PrinterError) as caught:
        printer.print_ticket(TICKET)
    assert caught.value.code == code
    assert "请联系工作人员" in caught.value.message
    assert "the ticket was not sent" in caught.value.detail
    assert TICKET not in fake_printer.received


class _RunsOutOfPaperMidTicket(FakeNetworkPrinter):
    def status_reply(self, n: int) -> bytes:
        if len(self.received) > len(TICKET):
            self.paper = "out"
        return super().status_reply(n)


def test_paper_running_out_during_the_ticket_is_reported() -> None:
    with _RunsOutOfPaperMidTicket() as fake:
        with pytest.raises(PrinterError) as caught:
            open_printer(fake.spec).print_ticket(TICKET)
    assert caught.value.code == "paper_out"
    assert "may be incomplete" in caught.value.detail


@pytest.mark.timeout(15)
@pytest.mark.parametrize("fake_printer", [{"mode": "mute"}, {"mode": "stalled"}], indirect=True)
def test_printer_that_never_answers_is_unknown_and_ticket_times_out(
    fake_printer: FakeNetworkPrinter,
) -> None:
    printer = open_printer(fake_printer.spec, timeout=0.5)
    status = printer.status()
    assert (status.online, status.paper, status.condition) == (None, "unknown", "no_reply")
    with pytest.raises(PrinterError) as caught:
        printer.print_ticket(TICKET)
    assert caught.value.code == "timeout"
    assert caught.value.message == "打印机没有响应，请联系工作人员。"
    assert (
        caught.value.user_message("en")
        == "The printer does not respond. Please ask the staff for help."
    )


@pytest.mark.timeout(15)
@pytest.mark.parametrize("fake_printer", [{"mode": "stalled"}], indirect=True)
def test_sending_to_a_printer_that_stopped_reading_times_out(
    fake_printer: FakeNetworkPrinter,
) -> None:
    printer = open_printer(fake_printer.spec, timeout=0.5, check_status=False)
    with pytest.raises(PrinterError) as caught:
        printer.print_ticket(b"\x00" * (16 << 20))  # more than any socket buffer holds
    assert caught.value.code == "timeout"
    assert "took no data" in caught.value.detail


@pytest.mark.parametrize("fake_printer", [{"mode": "mute"}], indirect=True)
def test_write_only_link_prints_without_status_checks(fake_printer: FakeNetworkPrinter) -> None:
    printer = open_printer(fake_printer.spec, timeout=0.5, check_status=False)
    printer.print_ticket(TICKET)
    printer.close()
    assert fake_printer.requests == []


@pytest.mark.parametrize("fake_printer", [{"replies": {1: b"\xff"}}], indirect=True)
def test_garbage_status_reply_is_named(fake_printer: FakeNetworkPrinter) -> None:
    printer = open_printer(fake_printer.spec)
    assert printer.status().condition == "bad_reply"
    with pytest.raises(PrinterError) as caught:
        printer.print_ticket(TICKET)
    assert caught.value.code == "io_error"
    assert "0xFF to DLE EOT 1" in caught.value.detail


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_printer_not_listening_is_offline_and_not_found() -> None:
    printer = open_printer(f"network:127.0.0.1:{_closed_port()}", timeout=1.0)
    status = printer.status()
    assert (status.online, status.condition) == (False, "unreachable")
    assert status.message == "无法连接打印机"
    with pytest.raises(PrinterError) as caught:
        printer.print_ticket(TICKET)
    assert caught.value.code == "not_found"


def test_printer_recovers_after_paper_is_replaced(fake_printer: FakeNetworkPrinter) -> None:
    printer = open_printer(fake_printer.spec)
    fake_printer.paper = "out"
    with pytest.raises(PrinterError):
        printer.print_ticket(TICKET)
    fake_printer.paper = "ok"
    printer.print_ticket(TICKET)
    assert fake_printer.received.count(TICKET) == 1


@pytest.mark.parametrize("paper_mm", [80, 58])
def test_test_print_sends_a_sample_ticket(fake_printer: FakeNetworkPrinter, paper_mm: int) -> None:
    test_print(fake_printer.spec, paper_mm)
    lines = [b.text for b in paper_blocks(decode(fake_printer.received)) if isinstance(b, TextLine)]
    assert "这是一张测试票，不用于排队。" in lines
    assert "A017" in lines
    widest = max(
        b.columns for b in paper_blocks(decode(fake_printer.received)) if isinstance(b, TextLine)
    )
    assert widest <= {80: 48, 58: 32}[paper_mm]


@pytest.mark.parametrize("fake_printer", [{"paper": "out"}], indirect=True)
def test_test_print_on_a_printer_without_paper_fails_clearly(
    fake_printer: FakeNetworkPrinter,
) -> None:
    with pytest.raises(PrinterError) as caught:
        test_print(fake_printer.spec)
    assert caught.value.code == "paper_out"
    assert str(caught.value).startswith("paper_out: network printer 127.0.0.1:")


@pytest.mark.parametrize("fake_printer", [{"mode": "mute"}], indirect=True)
def test_printer_wired_to_receive_only_prints_when_status_is_off(
    fake_printer: FakeNetworkPrinter,
) -> None:
    printer = open_printer(fake_printer.spec, timeout=1.0, check_status=False)
    assert not printer.reports_status  # the kiosk then never waits for an answer
    printer.print_ticket(TICKET)
    deadline = time.monotonic() + 5  # the fake records in its own thread
    while fake_printer.received != TICKET and time.monotonic() < deadline:
        time.sleep(0.01)
    assert fake_printer.received == TICKET
