"""One client's TCP connection: its limits, its reading, and its flow control.

What a connection may cost the server is bounded (`Limits`, docs/protocol.md "Limits"):
how many connections at all and per address, how long before hello and while idle, how
many of its requests may wait, how fast it may try PINs. Its output is bounded too: a
client that stops reading is not read from while its replies pile up, and is
disconnected once OUTPUT_LIMIT bytes wait for it (it resyncs with `snapshot` when it
returns) rather than slowing anyone else. TCP keepalive notices a PC that lost power.
What a frame means is the server's business (`HallServer.handle_frame`).
"""

from __future__ import annotations

import asyncio
import logging
import socket
import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from shared.domain.errors import ErrorCode
from shared.protocol import auth
from shared.protocol.codec import FrameDecoder, encode, reply_error
from shared.protocol.ops import Request, request_id
from shared.server.core import Caller

if TYPE_CHECKING:
    from shared.server.asyncio_server import HallServer

log = logging.getLogger(__name__)

OUTPUT_LIMIT = 1 << 20  # bytes queued for one client before it counts as too slow
READ_CHUNK = 1 << 16
# How long a closing connection may take to flush, or a finished one to be answered.
CLOSE_GRACE_S = 5.0
# While a connection has this many bytes of replies and events unsent, its requests are not read.
WRITE_HIGH = 256 * 1024
WRITE_LOW = 64 * 1024
# File descriptors kept free for the database, the logs, the threads, and the sockets accepted
# in one go (asyncio accepts up to 100 before any is refused).
FD_RESERVE = 128
FD_DEFAULT = 512  # the file limit assumed where it cannot be read (Windows)
MAX_CONNECTIONS_CEILING = 4096
MAX_PER_ADDRESS_CEILING = 256


def file_limit() -> int:
    """The process's soft limit of open files (RLIMIT_NOFILE), read now."""
    try:
        import resource
    except ImportError:  # Windows
        return FD_DEFAULT
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return FD_DEFAULT * 128 if soft == resource.RLIM_INFINITY else int(soft)


@dataclass
class Limits:
    """What one connection, and one address, may cost the server (docs/protocol.md "Limits")."""

    hello_timeout_s: float = 10.0  # a connection that has not said hello by then is closed
    idle_s: float = 120.0  # a connection that sends nothing this long is closed (clients ping)
    max_connections: int = 896  # what for_this_process() gives under `ulimit -n 1024`
    max_per_address: int = 224
    prehello_replies: int = 5  # replies a connection gets before hello; then it is closed
    max_queued: int = 32  # requests of one connection waiting for or inside a batch
    frames_per_turn: int = 32  # frames of one connection handled before the others' turn
    login_burst: int = 8  # login attempts a connection may make at once ...
    logins_per_s: int = 2  # ... and then per second

    @classmethod
    def for_this_process(cls, **changes: Any) -> Limits:
        """Connection caps below the open-file limit read now, so accept() never runs out."""
        total = max(8, min(MAX_CONNECTIONS_CEILING, file_limit() - FD_RESERVE))
        per_address = max(4, min(MAX_PER_ADDRESS_CEILING, total // 4))
        return cls(**{"max_connections": total, "max_per_address": per_address, **changes})


KEEPALIVE_IDLE_S = 60  # TCP keepalive: first probe after this much silence ...
KEEPALIVE_INTERVAL_S = 10  # ... then one probe this often ...
KEEPALIVE_PROBES = 5  # ... and the connection is dropped after this many unanswered


def keepalive(sock: socket.socket | None) -> None:
    """TCP keepalive on an accepted socket: a PC that lost power or cable is noticed."""
    if sock is None:
        return
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        if sys.platform == "win32":
            sock.ioctl(  # type: ignore[attr-defined]
                socket.SIO_KEEPALIVE_VALS,  # type: ignore[attr-defined]
                (1, KEEPALIVE_IDLE_S * 1000, KEEPALIVE_INTERVAL_S * 1000),
            )
            return
        for name, value in (
            ("TCP_KEEPIDLE", KEEPALIVE_IDLE_S),
            ("TCP_KEEPALIVE", KEEPALIVE_IDLE_S),  # macOS
            ("TCP_KEEPINTVL", KEEPALIVE_INTERVAL_S),
            ("TCP_KEEPCNT", KEEPALIVE_PROBES),
        ):
            option = getattr(socket, name, None)
            if option is not None:
                sock.setsockopt(socket.IPPROTO_TCP, option, value)
    except (OSError, ValueError, AttributeError):  # AttributeError: no ioctl on this socket
        log.debug("TCP keepalive could not be set", exc_info=True)


@dataclass
class Pending:
    conn: Connection | None  # None: the server's own request (no reply goes out)
    request: Request
    arrived: float = field(default_factory=time.perf_counter)
    caller: Caller | None = None  # who the server's own request acts for


class Connection:
    """One client's TCP connection and its protocol state."""

    def __init__(
        self, server: HallServer, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.server = server
        self.reader = reader
        self.writer = writer
        peer = writer.get_extra_info("peername")
        self.address = str(peer[0]) if isinstance(peer, tuple) else str(peer)
        self.peer = f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else str(peer)
        self.decoder = FrameDecoder()
        self.nonce = auth.new_nonce()
        self.caller: Caller | None = None  # set by a successful hello
        self.bad_frames = 0
        self.prehello_replies = 0  # replies sent before hello succeeded
        self.closing = False
        self.peer_left = False  # the peer closed or reset it before the server closed it
        self.outstanding = 0  # requests queued or in the running batch
        self.answered = asyncio.Event()  # set whenever nothing is outstanding
        self.answered.set()
        self.room = asyncio.Event()  # set while fewer than max_queued requests are outstanding
        self.room.set()
        self.opened = self.heard = time.monotonic()
        self.login_tokens = float(server.limits.login_burst)  # login attempts it may make now
        self.login_checked = self.opened
        writer.transport.set_write_buffer_limits(high=WRITE_HIGH, low=WRITE_LOW)

    @property
    def name(self) -> str:
        return f"{self.caller.role}:{self.caller.client}" if self.caller else self.peer

    def send(self, message: dict[str, Any] | bytes) -> None:
        """Write a frame now; a client with more than OUTPUT_LIMIT already unread is disconnected.

        The transport sends at once when the socket takes it and buffers the rest, so a
        reply leaves without waiting for another turn of the loop.
        """
        if self.closing or self.writer.transport.is_closing():
            self.closing = True  # the peer is gone: writing more would only be logged
            return
        data = message if isinstance(message, bytes) else encode(message)
        # What the client has left unread decides, not the size of this write: a batch's
        # replies and events go out in one write, which in a big hall can itself pass 1 MiB
        # for a client that reads everything at once.
        if self.writer.transport.get_write_buffer_size() > OUTPUT_LIMIT:
            log.warning("%s does not read its events fast enough; disconnecting it", self.name)
            self.server.count_limit("slow_reader")
            self.abort()  # it reads nothing: waiting to flush would wait forever
            return
        if self.caller is None:
            self.prehello_replies += 1
        try:
            self.writer.write(data)
        except (ConnectionError, OSError, RuntimeError):
            self.abort()

    def close(self) -> None:
        """Close after what was written has been sent; a peer that reads nothing is cut off."""
        if not self.closing:
            self.closing = True
            self.writer.close()
            asyncio.get_running_loop().call_later(CLOSE_GRACE_S, self.writer.transport.abort)
        self.room.set()  # a read loop waiting for room wakes up and ends

    def abort(self) -> None:
        self.closing = True
        self.writer.transport.abort()
        self.room.set()

    async def read_loop(self) -> None:
        limits = self.server.limits
        try:
            while not self.closing:
                # Read no more from a client whose replies pile up unread (it stops sending
                # too once its socket buffers are full): its backlog drains first.
                if self.writer.transport.get_write_buffer_size() > WRITE_HIGH:
                    await self.writer.drain()
                    continue
                # Before hello, small reads: a stranger's flood is cut off after a few answers.
                data = await self.reader.read(READ_CHUNK if self.caller else 4096)
                if not data:
                    self.peer_left = not self.closing
                    # The client has finished sending (or gone): its requests still get replies.
                    await asyncio.wait_for(self.answered.wait(), CLOSE_GRACE_S)
                    break
                self.heard = time.monotonic()
                frames = self.decoder.feed(data)
                for n, frame in enumerate(frames):
                    if n and n % limits.frames_per_turn == 0:
                        await asyncio.sleep(0)  # the other connections' turn
                    if self.closing:
                        break
                    if self.outstanding >= limits.max_queued:
                        self.room.clear()
                        await self.room.wait()  # until the batch loop has answered some
                        if self.closing:
                            break
                    try:
                        pending = self.server.handle_frame(self, frame)
                        if pending is not None:
                            await pending
                    except Exception:  # a bug must cost one reply, not the connection
                        log.exception("frame from %s failed", self.name)
                        rid = request_id(frame) if isinstance(frame, dict) else None
                        self.send(reply_error(rid, ErrorCode.INTERNAL, "internal server error"))
                    if self.caller is None and self.prehello_replies >= limits.prehello_replies:
                        log.warning(
                            "closing %s: %d answers and still no hello",
                            self.peer,
                            limits.prehello_replies,
                        )
                        self.server.count_limit("no_hello")
                        self.close()
        except ConnectionResetError:
            self.peer_left = not self.closing
        except (ConnectionError, OSError, TimeoutError):
            pass
        finally:
            self.close()
