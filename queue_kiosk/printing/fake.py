"""Stand-ins for physical printers, for tests and demos: a raw-TCP printer on 127.0.0.1
and a serial printer on a pseudo-terminal pair. Both record every byte they receive and
answer DLE EOT status requests from a settable paper / online / cover state.

Modes: "normal" answers; "mute" reads but never answers (a printer without a return
line); "stalled" accepts the connection but never reads (a wedged printer).
"""

from __future__ import annotations

import os
import selectors
import socket
import threading
from typing import Literal

from .commands import DLE, EOT
from .status import COVER_OPEN_BIT, ERROR_BIT, NEAR_END_BITS, OFFLINE_BIT, PAPER_OUT_BITS

FakeMode = Literal["normal", "mute", "stalled"]
FakePaper = Literal["ok", "near_end", "out"]
_FIXED_BITS = 0x12
_PAPER_STOP_BIT = 0x20
_POLL_S = 0.05
_STALLED_RECEIVE_BUFFER = 4096


class _FakePrinter:
    """Printer state and the DLE EOT answers a real printer would give for it."""

    def __init__(
        self,
        *,
        paper: FakePaper = "ok",
        online: bool = True,
        cover_open: bool = False,
        error: bool = False,
        mode: FakeMode = "normal",
        replies: dict[int, bytes] | None = None,
    ) -> None:
        if paper not in ("ok", "near_end", "out"):
            raise ValueError(f"fake paper state must be ok, near_end or out, not {paper!r}")
        if mode not in ("normal", "mute", "stalled"):
            raise ValueError(f"fake printer mode must be normal, mute or stalled, not {mode!r}")
        self.paper = paper
        self.online = online
        self.cover_open = cover_open
        self.error = error
        self.mode = mode
        self.replies = dict(replies or {})
        self.requests: list[int] = []
        self._received = bytearray()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def received(self) -> bytes:
        """Every byte received so far, status requests included, in order."""
        with self._lock:
            return bytes(self._received)

    def clear(self) -> None:
        with self._lock:
            self._received.clear()
            self.requests.clear()

    def status_reply(self, n: int) -> bytes:
        """The byte(s) this printer sends for DLE EOT n (b"" when it would not answer)."""
        if n in self.replies:
            return self.replies[n]
        offline = not self.online or self.cover_open or self.paper == "out" or self.error
        if n == 1:
            return bytes((_FIXED_BITS | (OFFLINE_BIT if offline else 0),))
        if n == 2:
            value = _FIXED_BITS
            value |= COVER_OPEN_BIT if self.cover_open else 0
            value |= _PAPER_STOP_BIT if self.paper == "out" else 0
            value |= ERROR_BIT if self.error else 0
            return bytes((value,))
        if n == 3:
            return bytes((_FIXED_BITS,))
        if n == 4:
            value = _FIXED_BITS
            # An empty roll has also passed the near-end sensor.
            value |= NEAR_END_BITS if self.paper in ("near_end", "out") else 0
            value |= PAPER_OUT_BITS if self.paper == "out" else 0
            return bytes((value,))
        return b""

    def _take(self, chunk: bytes, scanner: _RequestScanner) -> bytes:
        """Record received bytes and return what the printer answers to them."""
        with self._lock:
            self._received.extend(chunk)
        answers = bytearray()
        for n in scanner.requests_in(chunk):
            with self._lock:
                self.requests.append(n)
            if self.mode == "normal":
                answers.extend(self.status_reply(n))
        return bytes(answers)

    def _start_thread(self, target: object, name: str) -> None:
        self._thread = threading.Thread(target=target, name=name, daemon=True)  # type: ignore[arg-type]
        self._thread.start()

    def _join(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None


class _RequestScanner:
    """Finds DLE EOT n in a byte stream that may be split anywhere between reads."""

    def __init__(self) -> None:
        self._tail = b""

    def requests_in(self, chunk: bytes) -> list[int]:
        data = self._tail + chunk
        found = []
        position = 0
        while True:
            start = data.find(bytes((DLE, EOT)), position)
            if start < 0 or start + 2 >= len(data):
                break
            found.append(data[start + 2])
            position = start + 3
        rest = data[position:]
        if rest.endswith(bytes((DLE, EOT))):
            self._tail = bytes((DLE, EOT))
        elif rest.endswith(bytes((DLE,))):
            self._tail = bytes((DLE,))
        else:
            self._tail = b""
        return found


class FakeNetworkPrinter(_FakePrinter):
    """A raw-TCP (JetDirect) printer on 127.0.0.1 and an ephemeral port, in a thread."""

    host = "127.0.0.1"

    def __init__(self, **state: object) -> None:
        super().__init__(**state)  # type: ignore[arg-type]
        self.port = 0
        self.connections = 0
        self._listener: socket.socket | None = None

    @property
    def spec(self) -> str:
        return f"network:{self.host}:{self.port}"

    def start(self) -> FakeNetworkPrinter:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if self.mode == "stalled":
            # A small window makes a sender block soon, as on a wedged printer.
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, _STALLED_RECEIVE_BUFFER)
        listener.bind((self.host, 0))
        listener.listen(8)
        listener.setblocking(False)
        self._listener = listener
        self.port = listener.getsockname()[1]
        self._start_thread(self._serve, f"fake-network-printer-{self.port}")
        return self

    def stop(self) -> None:
        self._join()

    def __enter__(self) -> FakeNetworkPrinter:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _serve(self) -> None:
        assert self._listener is not None
        selector = selectors.DefaultSelector()
        selector.register(self._listener, selectors.EVENT_READ)
        held: list[socket.socket] = []
        try:
            while not self._stopping.is_set():
                for key, _events in selector.select(timeout=_POLL_S):
                    if key.fileobj is self._listener:
                        self._accept(selector, held)
                    else:
                        self._read(selector, key.fileobj, key.data)  # type: ignore[arg-type]
        finally:
            for key in list(selector.get_map().values()):
                key.fileobj.close()  # type: ignore[union-attr]
            for client in held:
                client.close()
            selector.close()

    def _accept(self, selector: selectors.BaseSelector, held: list[socket.socket]) -> None:
        try:
            client, _address = self._listener.accept()  # type: ignore[union-attr]
        except BlockingIOError:
            return
        self.connections += 1
        if self.mode == "stalled":
            held.append(client)
            return
        client.setblocking(True)
        client.settimeout(1.0)
        selector.register(client, selectors.EVENT_READ, _RequestScanner())

    def _read(
        self, selector: selectors.BaseSelector, client: socket.socket, scanner: _RequestScanner
    ) -> None:
        try:
            chunk = client.recv(65536)
        except OSError:
            chunk = b""
        if not chunk:
            selector.unregister(client)
            client.close()
            return
        answer = self._take(chunk, scanner)
        if answer:
            try:
                client.sendall(answer)
            except OSError:
                pass  # the kiosk went away; a real printer would not care either


class FakeSerialPrinter(_FakePrinter):
    """A serial printer on a pty pair: give `device` (or `spec`) to the kiosk side. POSIX only."""

    def __init__(self, **state: object) -> None:
        super().__init__(**state)  # type: ignore[arg-type]
        self.device = ""
        self._printer_side = -1
        self._kiosk_side = -1

    def spec_for(self, baudrate: int = 9600) -> str:
        return f"serial:{self.device}:{baudrate}"

    @property
    def spec(self) -> str:
        return self.spec_for()

    def start(self) -> FakeSerialPrinter:
        import tty

        self._printer_side, self._kiosk_side = os.openpty()
        # Raw mode: no echo (our own requests would come back as replies), no CR/LF rewriting.
        tty.setraw(self._kiosk_side)
        tty.setraw(self._printer_side)
        self.device = os.ttyname(self._kiosk_side)
        self._start_thread(self._serve, f"fake-serial-printer-{self.device}")
        return self

    def stop(self) -> None:
        self._join()
        for fd in (self._printer_side, self._kiosk_side):
            if fd >= 0:
                os.close(fd)
        self._printer_side = self._kiosk_side = -1

    def __enter__(self) -> FakeSerialPrinter:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _serve(self) -> None:
        scanner = _RequestScanner()
        selector = selectors.DefaultSelector()
        selector.register(self._printer_side, selectors.EVENT_READ)
        try:
            while not self._stopping.is_set():
                if self.mode == "stalled":
                    self._stopping.wait(_POLL_S)
                    continue
                if not selector.select(timeout=_POLL_S):
                    continue
                try:
                    chunk = os.read(self._printer_side, 65536)
                except OSError:
                    self._stopping.wait(_POLL_S)  # no kiosk side open right now
                    continue
                answer = self._take(chunk, scanner)
                if answer:
                    os.write(self._printer_side, answer)
        finally:
            selector.close()
