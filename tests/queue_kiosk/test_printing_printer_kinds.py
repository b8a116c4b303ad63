"""The other printer kinds: file, preview, none, and links this machine cannot use."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from queue_kiosk.printing import (
    PrinterError,
    open_printer,
    parse_printer_spec,
    render_ticket,
    sample_slip,
)
from queue_kiosk.printing.connection import escpos_class

TICKET = render_ticket(sample_slip(), 80)


def test_file_printer_writes_the_ticket_and_closes_after_it(tmp_path: Path) -> None:
    target = tmp_path / "lp0"
    printer = open_printer(f"file:{target}")
    printer.print_ticket(TICKET)
    assert target.read_bytes() == TICKET  # closed, so everything is flushed
    status = printer.status()
    assert (status.online, status.paper, status.condition) == (None, "unknown", "not_queryable")
    assert not printer.reports_status


def test_file_printer_in_a_missing_directory_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(PrinterError) as caught:
        open_printer(f"file:{tmp_path / 'missing' / 'lp0'}").print_ticket(TICKET)
    assert caught.value.code == "not_found"
    assert "missing" in caught.value.detail


def test_preview_printer_keeps_the_ticket_for_the_screen() -> None:
    printer = open_printer("preview", paper_mm=58)
    assert printer.preview_image() is None
    printer.print_ticket(TICKET)
    assert printer.last_ticket == TICKET
    image = printer.preview_image()
    assert image is not None and image.width == 464  # the 58 mm roll, its edges included
    status = printer.status()
    assert (status.online, status.condition) == (True, "preview")


def test_none_printer_prints_nothing_and_says_so() -> None:
    printer = open_printer("none")
    printer.print_ticket(TICKET)
    status = printer.status()
    assert (status.online, status.condition, status.message) == (None, "none", "未设置打印机")


@pytest.mark.parametrize(
    ("spec", "escpos_name", "needs"),
    [
        ("usb:0416:5011", "Usb", "package (pip install 'queue-hall[usb]')"),
        ("cups:POS80", "CupsPrinter", "package (pip install 'queue-hall[cups]')"),
        ("win32:POS-80", "Win32Raw", "pywin32"),
    ],
)
def test_link_without_its_optional_package_is_unavailable(
    spec: str, escpos_name: str, needs: str
) -> None:
    try:
        escpos_class(escpos_name)
    except PrinterError:
        pass
    else:
        pytest.skip(f"{escpos_name} is usable on this machine")
    with pytest.raises(PrinterError) as caught:
        open_printer(spec)
    assert caught.value.code == "unavailable"
    assert needs in caught.value.detail


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"timeout": 0}, "more than 0"),
        ({"timeout": 61}, "at most 60"),
        ({"timeout": True}, "number of seconds"),
        ({"timeout": "2"}, "number of seconds"),
        ({"paper_mm": 76}, "paper width"),
    ],
)
def test_bad_open_printer_arguments(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        open_printer("preview", **kwargs)


def test_open_printer_rejects_a_bad_spec_and_a_wrong_type() -> None:
    with pytest.raises(ValueError, match="unknown printer type 'lpt'"):
        open_printer("lpt:1")
    with pytest.raises(ValueError, match="text or a PrinterSpec"):
        open_printer(42)  # type: ignore[arg-type]


def test_paper_width_override_on_a_parsed_spec() -> None:
    assert open_printer(parse_printer_spec("preview"), paper_mm=58).paper_mm == 58


@pytest.mark.parametrize(("data", "message"), [(b"", "no bytes"), ("text", "bytes")])
def test_bad_ticket_data(data: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        open_printer("none").print_ticket(data)  # type: ignore[arg-type]


@pytest.mark.parametrize(("extra", "package"), [("usb", "pyusb"), ("cups", "pycups")])
def test_the_printer_packages_named_in_the_error_are_extras_of_the_project(
    extra: str, package: str
) -> None:
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    extras = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    assert any(requirement.startswith(package) for requirement in extras[extra])
