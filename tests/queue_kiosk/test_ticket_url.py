"""The ticket's QR code carries the ticket page's address when the hall has web pages."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
import qrcode

from queue_kiosk.model import ticket_url
from queue_kiosk.printing import TicketSlip, decode, render_ticket
from queue_kiosk.printing.fake import FakeNetworkPrinter
from queue_kiosk.printing.ops import QrCode
from tests.queue_kiosk.kiosk_support import (
    Clock,
    first_open_matter,
    make_model,
    open_matter_screen,
)

URL = "http://192.168.10.2:8080/t/bqk3j7xw2mvd4p"
SLIP = TicketSlip(
    hall="白沙镇政务服务中心",
    number="A017",
    service_name="城乡居民基本养老保险参保登记",
    category_name="社会保险",
    ahead=5,
    est_wait_s=720,
    issued_at=datetime(2026, 11, 26, 9, 15),
    ticket_id=4321,
    notice="过号请重新取号",
)


def qr_version(code: QrCode) -> int:
    """The QR version (size) a printer makes of the code's data, at the code's error level."""
    level = getattr(qrcode.constants, f"ERROR_CORRECT_{code.error_correction}")
    symbol = qrcode.QRCode(error_correction=level)
    symbol.add_data(code.payload)
    symbol.make(fit=True)
    return int(symbol.version)


def qr_codes(data: bytes) -> list[QrCode]:
    return [op for op in decode(data) if isinstance(op, QrCode)]


@pytest.mark.parametrize("paper_mm", [58, 80])
def test_the_qr_holds_the_page_url_and_the_ticket_stays_under_1_kib(paper_mm: int) -> None:
    data = render_ticket(replace(SLIP, qr_url=URL), paper_mm)
    [code] = qr_codes(data)
    assert code.text == URL
    assert "扫码查看排队进度" in "".join(getattr(op, "text", "") for op in decode(data))
    assert len(data) <= 1024, f"{len(data)} bytes on {paper_mm} mm"
    assert qr_version(code) <= 4  # at most 33 x 33 modules: small and quick to scan


def test_without_a_url_the_ticket_prints_as_before() -> None:
    assert SLIP.qr_payload == "QH1|4321|A017|2026-11-26"
    assert render_ticket(SLIP, 80) == render_ticket(replace(SLIP, qr_url=""), 80)


@pytest.mark.parametrize(
    "bad",
    [
        "ftp://x/t/abc",
        "http://a b/t/x",
        "http://x/\x1b@",
        "javascript:alert(1)",
        "http://" + "x" * 300,
    ],
)
def test_a_url_that_cannot_be_printed_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="qr_url"):
        replace(SLIP, qr_url=bad)
    assert ticket_url(bad) == ""  # the kiosk leaves such a url out and prints the plain code


def test_the_kiosk_prints_the_url_the_server_gives(hall_server) -> None:
    hall_server.service.config = replace(
        hall_server.service.config, web_public_url="http://192.168.10.2:8080"
    )
    with FakeNetworkPrinter() as fake_printer:
        model, _ = make_model(hall_server, fake_printer.spec, Clock())
        matter = first_open_matter(model)
        open_matter_screen(model, matter)
        model.select_matter(matter.code)
        [code] = qr_codes(fake_printer.received)
    assert code.text.startswith("http://192.168.10.2:8080/t/")
    with hall_server.client("display") as display:
        token = code.text.rsplit("/", 1)[1]
        (view,) = display.call("ticket_view", tokens=[token])["views"]
    assert view["status"] == "ok"
    assert view["ticket"]["number"] == model.confirmation.number
