"""Links to a physical printer, one per SPEC kind, over python-escpos' printer classes.

Each link writes bytes and, where the wire can carry a reply (usb, serial, network),
asks one DLE EOT status byte; every blocking call takes a timeout and failures become
PrinterError. python-escpos is imported only when a link is made, since its USB, CUPS
and Windows classes need optional packages.
"""

from __future__ import annotations

import socket
from typing import Any

from .errors import PrinterError
from .spec import PrinterSpec

_DEPENDENCIES = {
    "Usb": "the pyusb package (pip install 'queue-hall[usb]') and the libusb library",
    "Serial": "the pyserial package",
    "CupsPrinter": "the pycups package (pip install 'queue-hall[cups]') and a CUPS server",
    "Win32Raw": "Windows and the pywin32 package",
}
JOB_NAME = "Queue ticket"


def escpos_class(name: str) -> Any:
    """A python-escpos printer class, or PrinterError('unavailable') naming what is missing."""
    try:
        from escpos import printer as escpos_printer
    except ImportError as error:
        raise PrinterError("unavailable", f"python-escpos cannot be imported: {error}") from error
    printer_class = getattr(escpos_printer, name)
    if not printer_class.is_usable():
        needs = _DEPENDENCIES.get(name, "optional packages")
        raise PrinterError("unavailable", f"{name} printers need {needs}, not found here")
    return printer_class


def _escpos_open_error(error: Exception, what: str, timeout: float) -> PrinterError:
    """python-escpos wraps the OS error in DeviceNotFoundError; look at the cause."""
    cause = error.__context__ or error
    if isinstance(cause, TimeoutError):
        return PrinterError("timeout", f"{what} did not answer within {timeout:.1f} s")
    return PrinterError("not_found", f"cannot open {what}: {cause}")


class Connection:
    """Base link: `can_query` says whether status replies can come back, `keep_open`
    whether the link stays open between tickets (else it is closed after each one, which
    is what submits the job for CUPS and Windows printers)."""

    can_query = False
    keep_open = False

    def __init__(self, spec: PrinterSpec) -> None:
        self.spec = spec
        self.is_open = False

    @property
    def description(self) -> str:
        return f"{self.spec.kind} printer {self.spec.target}".strip()

    def open(self, timeout: float) -> None:
        self.is_open = True

    def write(self, data: bytes, timeout: float) -> None:
        """Send data; PrinterError('timeout') when the printer stalls for `timeout` s."""
        raise NotImplementedError

    def query(self, request: bytes, timeout: float) -> int | None:
        """Send a real-time request and return the reply byte, or None after `timeout`."""
        raise PrinterError("io_error", f"{self.description} cannot send status replies")

    def close(self) -> None:
        self.is_open = False


class _EscposConnection(Connection):
    escpos_name = ""

    def __init__(self, spec: PrinterSpec) -> None:
        super().__init__(spec)
        self.printer_class = escpos_class(self.escpos_name)
        self.printer: Any = None

    def close(self) -> None:
        printer, self.printer = self.printer, None
        self.is_open = False
        if printer is not None:
            try:
                printer.close()
            except Exception as error:  # a link already broken still counts as closed
                raise PrinterError(
                    "io_error", f"closing {self.description} failed: {error}"
                ) from error


class NetworkConnection(_EscposConnection):
    """Raw TCP (port 9100): one connection per ticket, so a printer restart is harmless."""

    escpos_name = "Network"
    can_query = True

    @property
    def description(self) -> str:
        return f"network printer {self.spec.target}:{self.spec.port}"

    def open(self, timeout: float) -> None:
        printer = self.printer_class(self.spec.target, self.spec.port, timeout=timeout)
        try:
            printer.open()
        except Exception as error:
            raise _escpos_open_error(error, self.description, timeout) from error
        self.printer = printer
        self.is_open = True

    @property
    def _socket(self) -> socket.socket:
        return self.printer.device

    def write(self, data: bytes, timeout: float) -> None:
        """Send everything; fail when the printer takes no data for `timeout` seconds.

        A printer busy printing keeps taking data slowly; a wedged one stops. So the limit
        is on a stall, not on the whole transfer (socket.sendall's timeout is the whole).
        """
        sock = self._socket
        sock.settimeout(timeout)
        view = memoryview(data)
        try:
            while view:
                sent = sock.send(view)
                view = view[sent:]
        except TimeoutError as error:
            raise PrinterError(
                "timeout",
                f"{self.description} took no data for {timeout:.1f} s "
                f"({len(data) - len(view)} of {len(data)} bytes sent)",
            ) from error
        except OSError as error:
            raise PrinterError(
                "io_error", f"sending to {self.description} failed: {error}"
            ) from error

    def _drain(self) -> None:
        """Drop stale bytes (a late reply, automatic status) so the next byte answers us."""
        sock = self._socket
        sock.setblocking(False)
        try:
            while True:
                if not sock.recv(64):
                    raise PrinterError("io_error", f"{self.description} closed the connection")
        except BlockingIOError:
            pass
        finally:
            sock.setblocking(True)

    def query(self, request: bytes, timeout: float) -> int | None:
        try:
            self._drain()
            sock = self._socket
            sock.settimeout(timeout)
            sock.sendall(request)
            reply = sock.recv(1)
        except TimeoutError:
            return None
        except OSError as error:
            raise PrinterError(
                "io_error", f"status request to {self.description} failed: {error}"
            ) from error
        if not reply:
            raise PrinterError("io_error", f"{self.description} closed the connection")
        return reply[0]


class SerialConnection(_EscposConnection):
    """RS-232 (or USB-serial): the port stays open; replies need the printer's TX wire."""

    escpos_name = "Serial"
    can_query = True
    keep_open = True

    @property
    def description(self) -> str:
        return f"serial printer {self.spec.target} at {self.spec.baudrate} baud"

    def open(self, timeout: float) -> None:
        printer = self.printer_class(
            devfile=self.spec.target, baudrate=self.spec.baudrate, timeout=timeout
        )
        try:
            printer.open()
        except Exception as error:
            raise _escpos_open_error(error, self.description, timeout) from error
        printer.device.write_timeout = timeout
        self.printer = printer
        self.is_open = True

    def transfer_time(self, size: int) -> float:
        """Seconds the wire needs for `size` bytes (10 bits each: start, 8 data, stop)."""
        return size * 10 / (self.spec.baudrate or 9600)

    def write(self, data: bytes, timeout: float) -> None:
        """Send everything within `timeout` plus the time the baud rate needs for it."""
        import serial

        port = self.printer.device
        timeout += self.transfer_time(len(data)) * 1.5
        port.write_timeout = timeout
        try:
            port.write(data)
        except serial.SerialTimeoutException as error:
            raise PrinterError(
                "timeout", f"{self.description} took no more data for {timeout:.1f} s"
            ) from error
        except (serial.SerialException, OSError) as error:
            raise PrinterError(
                "io_error", f"writing to {self.description} failed: {error}"
            ) from error

    def query(self, request: bytes, timeout: float) -> int | None:
        import serial

        port = self.printer.device
        try:
            port.reset_input_buffer()
            port.write_timeout = timeout
            port.write(request)
            # read(1), not python-escpos' read(16): a 1-byte reply returns at once instead
            # of after the whole timeout.
            port.timeout = timeout
            reply = port.read(1)
        except serial.SerialTimeoutException:
            return None
        except (serial.SerialException, OSError) as error:
            raise PrinterError(
                "io_error", f"status request to {self.description} failed: {error}"
            ) from error
        return reply[0] if reply else None


class UsbConnection(_EscposConnection):
    """USB printer class device through libusb (pyusb); the device stays claimed."""

    escpos_name = "Usb"
    can_query = True
    keep_open = True

    @property
    def description(self) -> str:
        return f"USB printer {self.spec.vendor_id:04x}:{self.spec.product_id:04x}"

    def open(self, timeout: float) -> None:
        printer = self.printer_class(
            self.spec.vendor_id, self.spec.product_id, timeout=max(1, int(timeout * 1000))
        )
        try:
            printer.open()
        except Exception as error:
            raise _escpos_open_error(error, self.description, timeout) from error
        self.printer = printer
        self.is_open = True

    def write(self, data: bytes, timeout: float) -> None:
        import usb.core

        try:
            self.printer.device.write(self.printer.out_ep, data, max(1, int(timeout * 1000)))
        except usb.core.USBTimeoutError as error:
            raise PrinterError(
                "timeout", f"{self.description} took no more data for {timeout:.1f} s"
            ) from error
        except usb.core.USBError as error:
            raise PrinterError(
                "io_error", f"writing to {self.description} failed: {error}"
            ) from error

    def query(self, request: bytes, timeout: float) -> int | None:
        import usb.core

        milliseconds = max(1, int(timeout * 1000))
        device = self.printer.device
        try:
            device.write(self.printer.out_ep, request, milliseconds)
            reply = device.read(self.printer.in_ep, 16, milliseconds)
        except usb.core.USBTimeoutError:
            return None
        except usb.core.USBError as error:
            raise PrinterError(
                "io_error", f"status request to {self.description} failed: {error}"
            ) from error
        return reply[0] if len(reply) else None


class _JobConnection(_EscposConnection):
    """A link whose data goes out as one job when closed (file, CUPS, Windows spooler)."""

    def open(self, timeout: float) -> None:
        printer = self._make()
        try:
            if self.escpos_name == "File":
                printer.open()
            else:
                printer.open(job_name=JOB_NAME)
        except Exception as error:
            raise _escpos_open_error(error, self.description, timeout) from error
        self.printer = printer
        self.is_open = True

    def _make(self) -> Any:
        return self.printer_class(printer_name=self.spec.target)

    def write(self, data: bytes, timeout: float) -> None:
        try:
            # python-escpos 3.1 has no public call that sends bytes as they are; _raw is it.
            self.printer._raw(data)
        except Exception as error:
            raise PrinterError(
                "io_error", f"writing to {self.description} failed: {error}"
            ) from error


class FileConnection(_JobConnection):
    escpos_name = "File"

    @property
    def description(self) -> str:
        return f"printer file {self.spec.target}"

    def _make(self) -> Any:
        return self.printer_class(devfile=self.spec.target, auto_flush=False)


class CupsConnection(_JobConnection):
    escpos_name = "CupsPrinter"

    @property
    def description(self) -> str:
        return f"CUPS printer {self.spec.target}"


class Win32Connection(_JobConnection):
    escpos_name = "Win32Raw"

    @property
    def description(self) -> str:
        return f"Windows printer {self.spec.target}"


class PreviewConnection(Connection):
    """Prints nothing; keeps every byte of the last ticket for the on-screen preview."""

    def __init__(self, spec: PrinterSpec) -> None:
        super().__init__(spec)
        self.received = b""

    @property
    def description(self) -> str:
        return "preview printer"

    def write(self, data: bytes, timeout: float) -> None:
        self.received = data


class NullConnection(Connection):
    """`none`: tickets are issued but not printed."""

    @property
    def description(self) -> str:
        return "no printer"

    def write(self, data: bytes, timeout: float) -> None:
        pass


CONNECTIONS: dict[str, type[Connection]] = {
    "network": NetworkConnection,
    "serial": SerialConnection,
    "usb": UsbConnection,
    "file": FileConnection,
    "cups": CupsConnection,
    "win32": Win32Connection,
    "preview": PreviewConnection,
    "none": NullConnection,
}


def make_connection(spec: PrinterSpec) -> Connection:
    """The link for a spec (not yet open); PrinterError('unavailable') if it cannot work here."""
    return CONNECTIONS[spec.kind](spec)
