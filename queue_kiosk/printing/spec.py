"""Printer SPEC strings (`--printer`): parsed into a PrinterSpec, or a ValueError saying why not.

usb:VID:PID          hexadecimal vendor and product id, e.g. usb:0416:5011
serial:DEVICE[:BAUD] COM3, /dev/ttyUSB0; baud 9600 unless given
network:HOST[:PORT]  raw TCP (JetDirect), port 9100 unless given; [::1]:9100 for IPv6
file:PATH            a device file such as /dev/usb/lp0
cups:NAME            a CUPS queue (raw)
win32:NAME           a Windows printer (RAW data type)
preview              keep the ticket for the on-screen preview
none                 print nothing
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass

from .paper import paper_for

KINDS = ("usb", "serial", "network", "file", "cups", "win32", "preview", "none")
SPEC_FORMS = (
    "usb:VID:PID, serial:DEVICE[:BAUD], network:HOST[:PORT], file:PATH, cups:NAME, "
    "win32:NAME, preview, none"
)
DEFAULT_BAUDRATE = 9600
DEFAULT_NETWORK_PORT = 9100
BAUDRATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400)

_HEX_ID = re.compile(r"(0[xX])?[0-9A-Fa-f]{1,4}")
_HOST_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST_NAME = re.compile(rf"{_HOST_LABEL}(\.{_HOST_LABEL})*")


@dataclass(frozen=True)
class PrinterSpec:
    """Where tickets go and on what paper width."""

    kind: str
    target: str = ""  # serial device, network host, file path or printer name
    port: int | None = None
    baudrate: int | None = None
    vendor_id: int | None = None
    product_id: int | None = None
    paper_mm: int = 80

    def __str__(self) -> str:
        if self.kind == "usb":
            return f"usb:{self.vendor_id:04x}:{self.product_id:04x}"
        if self.kind == "serial":
            return f"serial:{self.target}:{self.baudrate}"
        if self.kind == "network":
            host = f"[{self.target}]" if ":" in self.target else self.target
            return f"network:{host}:{self.port}"
        if self.kind in ("file", "cups", "win32"):
            return f"{self.kind}:{self.target}"
        return self.kind


def _bad(spec: str, problem: str) -> ValueError:
    return ValueError(f"printer spec {spec!r}: {problem} (expected one of: {SPEC_FORMS})")


def _usb(spec: str, rest: str, paper_mm: int) -> PrinterSpec:
    ids = rest.split(":")
    if len(ids) != 2:
        raise _bad(spec, "usb needs a vendor id and a product id, like usb:0416:5011")
    values = []
    for name, text in zip(("vendor", "product"), ids, strict=True):
        if not _HEX_ID.fullmatch(text):
            raise _bad(spec, f"usb {name} id {text!r} is not 1-4 hexadecimal digits")
        value = int(text, 16)
        if value == 0:
            raise _bad(spec, f"usb {name} id must not be 0")
        values.append(value)
    return PrinterSpec("usb", vendor_id=values[0], product_id=values[1], paper_mm=paper_mm)


def _serial(spec: str, rest: str, paper_mm: int) -> PrinterSpec:
    device, baudrate = rest, DEFAULT_BAUDRATE
    if ":" in rest:
        device, baud_text = rest.rsplit(":", 1)
        if not baud_text.isdigit():
            raise _bad(
                spec,
                f"serial baud rate {baud_text!r} is not a whole number "
                "(a device path with ':' in it is not supported; use its /dev/serial/by-id link)",
            )
        baudrate = int(baud_text)
        if baudrate not in BAUDRATES:
            raise _bad(spec, f"serial baud rate {baudrate} is not one of {BAUDRATES}")
    if not device:
        raise _bad(spec, "serial needs a device, like serial:COM3 or serial:/dev/ttyUSB0")
    return PrinterSpec("serial", target=device, baudrate=baudrate, paper_mm=paper_mm)


def _network(spec: str, rest: str, paper_mm: int) -> PrinterSpec:
    port_text = None
    if rest.startswith("["):
        host, bracket, after = rest[1:].partition("]")
        if not bracket:
            raise _bad(spec, "IPv6 address has no closing ']'")
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise _bad(spec, f"{host!r} is not an IPv6 address") from None
        if after:
            if not after.startswith(":"):
                raise _bad(spec, f"unexpected {after!r} after the IPv6 address")
            port_text = after[1:]
    else:
        if rest.count(":") > 1:
            raise _bad(spec, "write an IPv6 address in brackets, like network:[fe80::1]:9100")
        host, colon, port_text = rest.partition(":")
        if not colon:
            port_text = None
        if not host:
            raise _bad(spec, "network needs a host name or IP address, like network:10.0.0.50")
        if not _HOST_NAME.fullmatch(host) or len(host) > 253:
            raise _bad(spec, f"{host!r} is not a valid host name or IPv4 address")
        if re.fullmatch(r"[0-9.]+", host):
            try:
                ipaddress.IPv4Address(host)
            except ValueError:
                raise _bad(spec, f"{host!r} is not a valid IPv4 address") from None
    port = DEFAULT_NETWORK_PORT
    if port_text is not None:
        if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
            raise _bad(spec, f"network port {port_text!r} is not a number from 1 to 65535")
        port = int(port_text)
    return PrinterSpec("network", target=host, port=port, paper_mm=paper_mm)


_NAMED_EXAMPLES = {
    "file": ("a file path", "file:/dev/usb/lp0"),
    "cups": ("a CUPS printer name", "cups:POS80"),
    "win32": ("a printer name", "win32:POS-80C"),
}


def _named(kind: str, spec: str, rest: str, paper_mm: int) -> PrinterSpec:
    if not rest.strip():
        what, example = _NAMED_EXAMPLES[kind]
        raise _bad(spec, f"{kind} needs {what}, like {example}")
    if kind == "cups" and re.search(r"[\s/#\\]", rest):
        raise _bad(spec, f"CUPS printer name {rest!r} must not contain spaces, '/', '\\' or '#'")
    return PrinterSpec(kind, target=rest, paper_mm=paper_mm)


def parse_printer_spec(spec: str, paper_mm: int = 80) -> PrinterSpec:
    """Parse a --printer SPEC; `paper_mm` (80 or 58) is the roll width of that printer."""
    paper = paper_for(paper_mm).mm
    if not isinstance(spec, str):
        raise ValueError(f"printer spec must be text, not {type(spec).__name__}")
    text = spec.strip()
    if not text:
        raise ValueError(f"printer spec is empty (expected one of: {SPEC_FORMS})")
    for position, char in enumerate(text):
        if unicodedata.category(char) == "Cc":
            raise _bad(spec, f"control character U+{ord(char):04X} at position {position}")
    kind, colon, rest = text.partition(":")
    kind = kind.lower()
    if kind not in KINDS:
        raise _bad(spec, f"unknown printer type {kind!r}")
    if kind in ("preview", "none"):
        if colon:
            raise _bad(spec, f"{kind} takes no argument")
        return PrinterSpec(kind, paper_mm=paper)
    if not colon:
        raise _bad(spec, f"{kind} needs an argument after '{kind}:'")
    if kind == "usb":
        return _usb(spec, rest, paper)
    if kind == "serial":
        return _serial(spec, rest, paper)
    if kind == "network":
        return _network(spec, rest, paper)
    return _named(kind, spec, rest, paper)
