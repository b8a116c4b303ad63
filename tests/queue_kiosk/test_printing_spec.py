"""Printer SPEC parsing: every accepted form, and a clear error for each bad one."""

from __future__ import annotations

import pytest

from queue_kiosk.printing import PrinterSpec, parse_printer_spec

GOOD_SPECS = [
    ("usb:0416:5011", PrinterSpec("usb", vendor_id=0x0416, product_id=0x5011)),
    ("USB:0x04b8:0x0e15", PrinterSpec("usb", vendor_id=0x04B8, product_id=0x0E15)),
    ("serial:COM3", PrinterSpec("serial", target="COM3", baudrate=9600)),
    ("serial:/dev/ttyUSB0:115200", PrinterSpec("serial", target="/dev/ttyUSB0", baudrate=115200)),
    ("network:192.168.1.87", PrinterSpec("network", target="192.168.1.87", port=9100)),
    (
        "network:printer-2.hall.local:9101",
        PrinterSpec("network", target="printer-2.hall.local", port=9101),
    ),
    ("network:[fe80::1]:9100", PrinterSpec("network", target="fe80::1", port=9100)),
    ("network:[::1]", PrinterSpec("network", target="::1", port=9100)),
    ("file:/dev/usb/lp0", PrinterSpec("file", target="/dev/usb/lp0")),
    ("file:C:\\tickets\\out.bin", PrinterSpec("file", target="C:\\tickets\\out.bin")),
    ("cups:POS80", PrinterSpec("cups", target="POS80")),
    ("win32:POS-80 Printer", PrinterSpec("win32", target="POS-80 Printer")),
    ("preview", PrinterSpec("preview")),
    ("  none ", PrinterSpec("none")),
]


@pytest.mark.parametrize(("text", "expected"), GOOD_SPECS, ids=[text for text, _ in GOOD_SPECS])
def test_good_spec(text: str, expected: PrinterSpec) -> None:
    assert parse_printer_spec(text) == expected


@pytest.mark.parametrize(("text", "_expected"), GOOD_SPECS, ids=[text for text, _ in GOOD_SPECS])
def test_spec_text_parses_back_to_the_same_spec(text: str, _expected: PrinterSpec) -> None:
    spec = parse_printer_spec(text, 58)
    assert parse_printer_spec(str(spec), 58) == spec


def test_paper_width_is_part_of_the_spec() -> None:
    assert parse_printer_spec("preview", 58).paper_mm == 58
    assert parse_printer_spec("preview").paper_mm == 80


BAD_SPECS = [
    ("", "empty"),
    ("   ", "empty"),
    ("lpt:1", "unknown printer type 'lpt'"),
    ("bluetooth", "unknown printer type"),
    ("usb", "usb needs an argument"),
    ("usb:0416", "vendor id and a product id"),
    ("usb:0416:5011:1", "vendor id and a product id"),
    ("usb:04g6:5011", "vendor id '04g6' is not 1-4 hexadecimal digits"),
    ("usb:0416:50111", "product id '50111'"),
    ("usb:0000:5011", "vendor id must not be 0"),
    ("serial:", "serial needs a device"),
    ("serial::9600", "serial needs a device"),
    ("serial:COM3:fast", "baud rate 'fast' is not a whole number"),
    ("serial:COM3:", "baud rate '' is not a whole number"),
    ("serial:/dev/ttyS0:9601", "baud rate 9601 is not one of"),
    ("network:", "needs a host name"),
    ("network::9100", "needs a host name"),
    ("network:10.0.0.5:0", "port '0' is not a number from 1 to 65535"),
    ("network:10.0.0.5:70000", "port '70000'"),
    ("network:10.0.0.5:http", "port 'http'"),
    ("network:print er", "'print er' is not a valid host name"),
    ("network:300.1.1.1", "'300.1.1.1' is not a valid IPv4 address"),
    ("network:fe80::1", "IPv6 address in brackets"),
    ("network:[fe80::1", "no closing"),
    ("network:[zz::1]:9100", "'zz::1' is not an IPv6 address"),
    ("network:[::1]9100", "unexpected '9100'"),
    ("file:", "file needs a file path"),
    ("cups:", "cups needs a CUPS printer name"),
    ("cups:POS 80", "must not contain spaces"),
    ("win32:  ", "win32 needs a printer name"),
    ("preview:big", "preview takes no argument"),
    ("none:", "none takes no argument"),
    ("file:/tmp/a\x00b", "control character U+0000"),
]


@pytest.mark.parametrize(("text", "message"), BAD_SPECS, ids=[repr(text) for text, _ in BAD_SPECS])
def test_bad_spec_names_the_problem(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_printer_spec(text)
    assert message in str(caught.value)


@pytest.mark.parametrize("paper_mm", [76, 0, "80", True, None])
def test_bad_paper_width_is_named(paper_mm: object) -> None:
    with pytest.raises(ValueError, match="paper width must be one of"):
        parse_printer_spec("preview", paper_mm)  # type: ignore[arg-type]


def test_spec_must_be_text() -> None:
    with pytest.raises(ValueError, match="must be text"):
        parse_printer_spec(9100)  # type: ignore[arg-type]
