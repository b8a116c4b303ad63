"""One serial bus (an RS-485 line behind a USB-serial adapter, or a COM port), kept open.

A reader thread opens the port, reads whatever arrives and hands it to `on_data`; when
the port fails (the adapter was unplugged) it closes it and opens it again with backoff
(0.5 s doubling to 10 s), calling `on_open` each time the port is back so every device
on it is redrawn. A writer thread sends what `write` queued; while the port is closed
writes are dropped (the redraw after reopening repeats what matters).
"""

from __future__ import annotations

import logging
import queue
import re
import threading
import time
from collections.abc import Callable

import serial

from hall_hardware.config import BusConfig

log = logging.getLogger(__name__)

READ_TIMEOUT_S = 1.0  # a read returns as soon as bytes come; stop and faults cancel it
REOPEN_MIN_S, REOPEN_MAX_S = 0.5, 10.0
WRITE_QUEUE_MAX = 4096


class ProblemLog:
    """Logs each kind of problem of each device once a minute, with how many were held back."""

    def __init__(self, every_s: float = 60.0, logger: logging.Logger = log) -> None:
        self.every_s = every_s
        self.logger = logger
        self._last: dict[tuple[str, str], tuple[float, int]] = {}
        self._lock = threading.Lock()

    def warn(self, device: str, reason: str) -> bool:
        """Log `device: reason` unless the same kind was logged within `every_s`; True if logged."""
        kind = re.sub(r"\b[0-9a-fA-F]{2}\b|\d+", "N", reason)  # "bad checksum 3a" is one kind
        now = time.monotonic()
        with self._lock:
            last, held = self._last.get((device, kind), (-1e18, 0))
            if now - last < self.every_s:
                self._last[(device, kind)] = (last, held + 1)
                return False
            self._last[(device, kind)] = (now, 0)
        more = f" ({held} more like it since the last report)" if held else ""
        self.logger.warning("%s: %s%s", device, reason, more)
        return True


class SerialBus:
    def __init__(
        self,
        config: BusConfig,
        on_data: Callable[[bytes], None],
        on_open: Callable[[], None],
        problems: ProblemLog,
    ) -> None:
        self.config = config
        self._on_data, self._on_open = on_data, on_open
        self.problems = problems
        self.label = f"bus {config.name} ({config.port})"
        self._port: serial.Serial | None = None
        self._broken = threading.Event()
        self._stopping = threading.Event()
        self._queue: queue.Queue[bytes] = queue.Queue(WRITE_QUEUE_MAX)
        self._threads: list[threading.Thread] = []
        self.opened = 0  # how many times the port was (re)opened
        self.written = 0  # bytes written

    @property
    def is_open(self) -> bool:
        return self._port is not None

    def start(self) -> None:
        for target, name in ((self._read_loop, "reader"), (self._write_loop, "writer")):
            thread = threading.Thread(target=target, name=f"{self.config.name}-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self.signal_stop()
        for thread in self._threads:
            thread.join(5)
        self._close()

    def signal_stop(self) -> None:
        """Tell the threads to end (`stop` waits for them)."""
        self._stopping.set()
        self._cancel_read()
        try:
            self._queue.put_nowait(b"")  # wakes the writer at once
        except queue.Full:
            pass

    def _cancel_read(self) -> None:
        port = self._port
        if port is not None:
            try:
                port.cancel_read()
            except (serial.SerialException, OSError, AttributeError):
                pass

    def write(self, data: bytes) -> None:
        """Queue bytes for the bus (any thread). Dropped while the port is closed."""
        if self._port is None:
            return
        try:
            self._queue.put_nowait(data)
        except queue.Full:
            self.problems.warn(self.label, "write queue full; bytes dropped")

    # -- threads ---------------------------------------------------------------------------------

    def _open(self) -> serial.Serial:
        return serial.Serial(
            self.config.port,
            self.config.baud,
            bytesize=serial.EIGHTBITS,
            parity=serial.PARITY_NONE,
            stopbits=serial.STOPBITS_ONE,
            timeout=READ_TIMEOUT_S,
            write_timeout=2,
            exclusive=True,  # a second bridge on the same port is refused, not interleaved
        )

    def _close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except (serial.SerialException, OSError):
                pass

    def _read_loop(self) -> None:
        backoff = REOPEN_MIN_S
        while not self._stopping.is_set():
            if self._port is None:
                try:
                    port = self._open()
                except (serial.SerialException, OSError, ValueError) as exc:
                    self.problems.warn(self.label, f"cannot open the port: {_reason(exc)}")
                    self._stopping.wait(backoff)
                    backoff = min(REOPEN_MAX_S, backoff * 2)
                    continue
                backoff = REOPEN_MIN_S
                self._broken.clear()
                while not self._queue.empty():  # what was queued for the old port is stale
                    try:
                        self._queue.get_nowait()
                    except queue.Empty:
                        break
                self._port = port
                self.opened += 1
                log.info("%s open at %d baud", self.label, self.config.baud)
                try:
                    self._on_open()
                except Exception:
                    log.exception("%s: redraw after opening failed", self.label)
            port = self._port
            try:
                data = port.read(max(1, port.in_waiting))
            except (serial.SerialException, OSError, TypeError) as exc:
                self.problems.warn(self.label, f"port lost: {_reason(exc)}; reopening")
                self._close()
                self._stopping.wait(REOPEN_MIN_S)
                continue
            if self._broken.is_set():
                self._close()
                continue
            if data:
                try:
                    self._on_data(data)
                except Exception:
                    log.exception("%s: handling %d bytes failed", self.label, len(data))

    def _write_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                data = self._queue.get()
            except queue.Empty:
                continue
            port = self._port
            if port is None or not data:
                continue
            try:
                port.write(data)
                self.written += len(data)
            except (serial.SerialException, OSError, TypeError) as exc:
                self.problems.warn(self.label, f"write failed: {_reason(exc)}; reopening")
                self._broken.set()
                self._cancel_read()


def _reason(exc: BaseException) -> str:
    return str(exc) or exc.__class__.__name__
