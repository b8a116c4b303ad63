"""The hall server: asyncio TCP connections, the handshake, roles, batching and event fan-out.

Requests from all connections are queued and applied in batches: one transaction
per batch, each request in its own savepoint. Replies and events go out only after
the batch has committed ("group commit"), so a reply a client received is never
lost, and requests that arrive together cost one disk flush between them. The batch
runs on the event loop itself: while it flushes, new requests wait in the sockets and
form the next batch, and no thread hand-off adds to every reply. Each connection then
gets its replies and all the batch's events in one write. WAL checkpoints run in a
thread of their own so that no reply waits for one. Each connection has a bounded output buffer; a client
that stops reading is disconnected (it resyncs with `snapshot` when it returns)
rather than slowing anyone else.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import sys
import time
from collections import deque
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, cast

from shared.domain.clock import iso
from shared.domain.errors import ErrorCode, HallError
from shared.domain.limits import MAX_CLIENT_NAME
from shared.protocol import auth
from shared.protocol.codec import (
    PROTO,
    BadFrame,
    FrameDecoder,
    encode,
    event,
    reply_error,
    reply_ok,
)
from shared.protocol.ops import (
    COUNTER,
    OPS,
    ROLES,
    Request,
    control_character,
    is_text,
    request_id,
    validate_request,
)
from shared.server.service import Caller, HallService, Numbered, Outcome, PinCheck
from shared.server.stats import BatchPhases, GcPauses, Timings

log = logging.getLogger(__name__)

MAX_BAD_FRAMES = 3
OUTPUT_LIMIT = 1 << 20  # bytes queued for one client before it counts as too slow
READ_CHUNK = 1 << 16
# How long a closing connection may take to flush, or a finished one to be answered.
CLOSE_GRACE_S = 5.0
# A counter whose client is gone this long (power cut, cable pulled, window killed) closes,
# so the board stops showing it open with nobody there.
COUNTER_GRACE_S = 120.0
MAX_BATCH = 64
TICK_S = 1.0  # how often pending time-outs and the day boundary are checked
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


def _keepalive(sock: socket.socket | None) -> None:
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
        except (ConnectionError, OSError, TimeoutError):
            pass
        finally:
            self.close()


class HallServer:
    """Serves the hall protocol for one HallService."""

    def __init__(
        self, service: HallService, key: str | None = None, limits: Limits | None = None
    ) -> None:
        self.service = service
        self.key = key or None
        self.limits = limits or Limits.for_this_process()
        self.connections: set[Connection] = set()
        self._per_address: dict[str, int] = {}
        self.limited: dict[str, int] = {}  # connections refused or closed by a limit, by reason
        # PIN hashes are checked here, off the event loop (PBKDF2 costs tens of milliseconds).
        self._pins = ThreadPoolExecutor(max_workers=2, thread_name_prefix="pin-check")
        self._inbox: deque[Pending] = deque()
        self._wake = asyncio.Event()
        self._stop_checkpoints: Callable[[], None] | None = None
        self.counter_grace_s = COUNTER_GRACE_S
        self._gone: dict[int, asyncio.TimerHandle] = {}
        self.timings = Timings()
        self.phases = BatchPhases()
        self.gc_pauses = GcPauses()
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.address: tuple[str, int] | None = None

    # -- life ---------------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 7310) -> tuple[str, int]:
        self._server = await asyncio.start_server(self._accept, host, port, limit=READ_CHUNK)
        sock = self._server.sockets[0].getsockname()
        self.address = (sock[0], sock[1])
        self._stop_checkpoints = self.service.store.checkpoint_in_background()
        self.gc_pauses.install()
        self._spawn(self._batch_loop())
        self._spawn(self._tick_loop())
        self._spawn(self._sweep_loop())
        log.info(
            "hall %r serving on %s:%d (%s; at most %d connections, %d per address)",
            self.service.hall,
            *self.address,
            "hall key required" if self.key else "no hall key",
            self.limits.max_connections,
            self.limits.max_per_address,
        )
        return self.address

    async def close(self) -> None:
        if self._server:
            self._server.close()
        for conn in list(self.connections):
            conn.close()
        for _ in range(100):  # let each connection flush what it has and close (up to 1 s)
            if not self.connections:
                break
            await asyncio.sleep(0.01)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server:
            await self._server.wait_closed()
        if self._stop_checkpoints:
            self._stop_checkpoints()
        self._pins.shutdown(wait=False, cancel_futures=True)
        self.gc_pauses.uninstall()

    def _spawn(self, coro: Any) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = Connection(self, reader, writer)
        refusal = self._refusal(conn.address)
        if refusal is not None:
            log.warning("refused a connection from %s: %s", conn.peer, refusal)
            self.count_limit("too_many_connections")
            writer.write(
                encode(
                    reply_error(
                        None,
                        ErrorCode.UNAVAILABLE,
                        f"{refusal}; try again later",
                        reason="too_many_connections",
                    )
                )
            )
            writer.close()
            return
        _keepalive(writer.get_extra_info("socket"))
        self.connections.add(conn)
        self._per_address[conn.address] = self._per_address.get(conn.address, 0) + 1
        log.info("connection from %s", conn.peer)
        conn.send(
            event(
                "welcome",
                None,
                {
                    "proto": PROTO,
                    "hall": self.service.hall,
                    "nonce": conn.nonce,
                    "auth": self.key is not None,
                },
            )
        )
        conn.prehello_replies = 0  # the welcome is not an answer
        try:
            await conn.read_loop()
        finally:
            conn.close()
            self.connections.discard(conn)
            left = self._per_address.get(conn.address, 1) - 1
            if left > 0:
                self._per_address[conn.address] = left
            else:
                self._per_address.pop(conn.address, None)
            log.info("%s disconnected", conn.name)
            if conn.caller is not None and conn.caller.role == COUNTER and conn.caller.clerk:
                self._counter_left(conn.caller)

    def count_limit(self, reason: str) -> None:
        self.limited[reason] = self.limited.get(reason, 0) + 1

    def _refusal(self, address: str) -> str | None:
        """Why a new connection from `address` is refused, or None to take it."""
        if len(self.connections) >= self.limits.max_connections:
            return f"the server has {len(self.connections)} connections (limit {self.limits.max_connections})"
        mine = self._per_address.get(address, 0)
        if mine >= self.limits.max_per_address:
            return f"{mine} connections from {address} (limit {self.limits.max_per_address})"
        return None

    async def _sweep_loop(self) -> None:
        """Close connections that did not say hello in time, or have sent nothing for too long."""
        while True:
            limits = self.limits
            await asyncio.sleep(min(TICK_S, limits.hello_timeout_s / 4, limits.idle_s / 4))
            now = time.monotonic()
            for conn in list(self.connections):
                if conn.closing:
                    continue
                if conn.caller is None and now - conn.opened > limits.hello_timeout_s:
                    log.warning(
                        "closing %s: no hello within %g s", conn.peer, limits.hello_timeout_s
                    )
                    self.count_limit("no_hello")
                    conn.abort()
                elif now - conn.heard > limits.idle_s:
                    log.warning("closing %s: nothing received for %g s", conn.name, limits.idle_s)
                    self.count_limit("idle")
                    conn.abort()

    # -- frames -------------------------------------------------------------------------------

    def handle_frame(
        self, conn: Connection, frame: dict[str, Any] | BadFrame
    ) -> Awaitable[None] | None:
        """Answer or queue one frame; a login returns what to await before the next frame."""
        if isinstance(frame, BadFrame):
            conn.bad_frames += 1
            conn.send(reply_error(None, ErrorCode.BAD_FRAME, frame.reason))
            log.warning("bad frame from %s: %s", conn.name, frame.reason)
            if frame.fatal or conn.bad_frames >= MAX_BAD_FRAMES:
                log.warning("closing %s after %d bad frame(s)", conn.name, conn.bad_frames)
                conn.close()
            return None
        op = frame.get("op")
        # Who may ask comes before what was asked: not_authenticated, then forbidden, then params.
        if conn.caller is None and op != "hello" and request_id(frame) is not None:
            conn.send(
                reply_error(request_id(frame), ErrorCode.NOT_AUTHENTICATED, "say hello first")
            )
            return None
        spec = OPS.get(op) if isinstance(op, str) else None
        if conn.caller is not None and spec is not None and conn.caller.role not in spec.roles:
            conn.send(
                reply_error(
                    request_id(frame),
                    ErrorCode.FORBIDDEN,
                    f"a {conn.caller.role} may not use '{op}'",
                )
            )
            return None
        if (
            conn.caller is not None
            and spec is not None
            and spec.needs_clerk
            and conn.caller.role == COUNTER
            and not conn.caller.clerk
        ):
            conn.send(
                reply_error(
                    request_id(frame), ErrorCode.FORBIDDEN, f"log in at the counter before '{op}'"
                )
            )
            return None
        try:
            request = validate_request(frame)
        except HallError as exc:
            conn.send(reply_error(request_id(frame), exc.code, exc.message))
            return None
        if request.op == "hello":
            self._hello(conn, request)
            return None
        if request.op == "server_stats":
            conn.send(reply_ok(request.id, self.stats(reset=bool(request.params.get("reset")))))
            return None
        if request.op == "login":
            return self._login(conn, request)
        self._queue(conn, request)
        return None

    def _queue(self, conn: Connection, request: Request) -> None:
        conn.outstanding += 1
        conn.answered.clear()
        self._inbox.append(Pending(conn, request))
        self._wake.set()

    async def _login(self, conn: Connection, request: Request) -> None:
        """Check the PIN in a thread, then queue the login with the verdict.

        The connection reads nothing meanwhile, so its requests keep their order; the
        batch then applies the login (lockout, counter state) in order with everyone else's.
        """
        limits = self.limits
        now = time.monotonic()
        # A bucket of login_burst attempts, refilled at logins_per_s.
        conn.login_tokens = min(
            float(limits.login_burst),
            conn.login_tokens + (now - conn.login_checked) * limits.logins_per_s,
        )
        conn.login_checked = now
        if conn.login_tokens < 1:
            conn.send(
                reply_error(
                    request.id,
                    ErrorCode.NOT_AUTHENTICATED,
                    f"too many login attempts on this connection: at most {limits.login_burst} "
                    f"at once, then {limits.logins_per_s} per second",
                    reason="too_fast",
                )
            )
            self.count_limit("login_too_fast")
            return
        conn.login_tokens -= 1
        stored = self.service.pin_hash(request.params["clerk"].strip())
        pin = request.params["pin"]
        like = self.service.reference_hash() if stored is None else None
        ok = await asyncio.get_running_loop().run_in_executor(
            self._pins, auth.check_pin_or_dummy, pin, stored, like
        )
        if conn.closing:
            return
        params = {**request.params, "pin_check": PinCheck(stored, ok)}
        self._queue(conn, Request(request.id, request.op, params))

    def _hello(self, conn: Connection, request: Request) -> None:
        p = request.params
        if conn.caller is not None:
            conn.send(
                reply_error(
                    request.id,
                    ErrorCode.BAD_REQUEST,
                    "hello was already accepted on this connection",
                )
            )
            return
        if type(p.get("proto")) is not int or p.get("proto") != PROTO:
            conn.send(
                reply_error(
                    request.id,
                    ErrorCode.PROTO_MISMATCH,
                    f"this server speaks protocol {PROTO}, not {p.get('proto')!r}",
                )
            )
            conn.close()
            return
        if self.key is not None and not auth.check_hello_auth(self.key, conn.nonce, p.get("auth")):
            conn.send(
                reply_error(request.id, ErrorCode.NOT_AUTHENTICATED, "wrong or missing hall key")
            )
            log.warning("%s failed the hall-key check", conn.peer)
            conn.close()
            return
        role, client, counter = p.get("role"), p.get("client"), p.get("counter")
        problem = None
        if role not in ROLES:
            problem = f"'role' must be one of {', '.join(ROLES)}"
        elif (
            not isinstance(client, str)
            or not client.strip()
            or len(client) > MAX_CLIENT_NAME
            or not is_text(client)
        ):
            problem = f"'client' must be a non-empty name of at most {MAX_CLIENT_NAME} characters"
        elif control_character("client", client):
            problem = control_character("client", client)
        elif role == COUNTER:
            if isinstance(counter, bool) or not isinstance(counter, int) or not 0 < counter < 2**53:
                problem = "a counter must send its 'counter' number"
            elif not self.service.counter_exists(counter):
                problem = f"counter {counter} does not exist in this hall"
        if problem:
            conn.send(reply_error(request.id, ErrorCode.BAD_REQUEST, problem))
            return
        assert isinstance(role, str) and isinstance(client, str)
        conn.caller = Caller(
            role=role,
            client=client.strip(),
            counter=counter if role == COUNTER else None,
            source=conn.address,
        )
        if role == COUNTER and isinstance(counter, int):
            timer = self._gone.pop(counter, None)
            if timer is not None:
                timer.cancel()  # the counter's client is back within the grace time
        log.info("%s is %s", conn.peer, conn.name)
        conn.send(
            reply_ok(
                request.id,
                {
                    "proto": PROTO,
                    "seq": self.service.seq,
                    "server_time": iso(self.service.clock.now()),
                },
            )
        )

    def stats(self, reset: bool = False) -> dict[str, Any]:
        """What the hall's IT person wants to know about the running server."""
        roles: dict[str, int] = {}
        for conn in self.connections:
            role = conn.caller.role if conn.caller else "unidentified"
            roles[role] = roles.get(role, 0) + 1
        store = self.service.store
        size = sum(p.stat().st_size for p in store.files() if p.exists())
        result = {
            "hall": self.service.hall,
            "uptime_s": round(time.monotonic() - self.timings.started),
            "connections": roles,
            "requests": self.timings.requests,
            "seq": self.service.seq,
            "waiting": sum(self.service.waiting_counts().values()),
            "db_path": store.path,
            "db_bytes": size,
            "latency": self.timings.summary(),
            "limited": dict(sorted(self.limited.items())),
            "phases": self.phases.summary(),
            "gc": self.gc_pauses.summary(),
        }
        if reset:
            self.timings.reset()
            self.phases.reset()
            self.gc_pauses.reset()
        return result

    def _counter_left(self, caller: Caller) -> None:
        """A counter's client went away: if none comes back in time, the counter closes."""
        number = caller.counter
        if number is None or self._counter_connected(number):
            return

        def close_it() -> None:
            self._gone.pop(number, None)
            if not self._counter_connected(number):
                acting = Caller(role="server", client="server", counter=number, clerk=caller.clerk)
                self._inbox.append(Pending(None, Request(0, "counter_gone", {}), caller=acting))
                self._wake.set()

        old = self._gone.pop(number, None)
        if old is not None:
            old.cancel()
        self._gone[number] = asyncio.get_running_loop().call_later(self.counter_grace_s, close_it)

    def _counter_connected(self, number: int) -> bool:
        return any(c.caller is not None and c.caller.counter == number for c in self.connections)

    # -- batches ------------------------------------------------------------------------------

    async def _batch_loop(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            # At least one batch per wake-up: the tick's empty batch runs the time-driven work.
            while True:
                batch = [self._inbox.popleft() for _ in range(min(len(self._inbox), MAX_BATCH))]
                # Only connections past hello queue requests, so every caller is set.
                items = [
                    (cast(Caller, p.caller or (p.conn.caller if p.conn else None)), p.request)
                    for p in batch
                ]
                began, began_cpu = time.perf_counter(), time.thread_time()
                try:
                    loose, outcomes = self.service.run_batch(items)
                except Exception:
                    log.exception("batch of %d requests failed", len(batch))
                    error = HallError(ErrorCode.INTERNAL, "internal server error")
                    loose, outcomes = [], [Outcome(error=error) for _ in batch]
                applied, applied_cpu = time.perf_counter(), time.thread_time()
                try:
                    self._deliver(batch, loose, outcomes)
                except Exception:  # the loop must outlive any one batch
                    log.exception("sending the replies of a batch failed")
                if batch:
                    self.phases.add(
                        len(batch),
                        began - min(p.arrived for p in batch),
                        applied - began,
                        applied_cpu - began_cpu,
                        time.perf_counter() - applied,
                    )
                # Let the loop send the replies and read what arrived during the commit:
                # requests that came together form the next batch, with one flush for all.
                await asyncio.sleep(0)
                if not self._inbox:
                    break
                self._wake.clear()

    def _deliver(
        self, batch: list[Pending], loose: list[Numbered], outcomes: list[Outcome]
    ) -> None:
        """Send a committed batch: each connection gets its replies and everyone's events, in
        order, in one write (one system call per connection per batch, however big the batch)."""
        listeners = [conn for conn in self.connections if conn.caller is not None]
        out: dict[Connection, list[bytes]] = {conn: [] for conn in listeners}

        def broadcast(events: list[Numbered]) -> None:
            if events:
                frames = b"".join(frame for _, _, frame in events)
                for conn in listeners:
                    out[conn].append(frames)

        broadcast(loose)
        for pending, outcome in zip(batch, outcomes, strict=True):
            conn, request = pending.conn, pending.request
            if conn is None:  # the server's own request: its events are all it sends
                broadcast(outcome.events)
                continue
            self.timings.add(request.op, time.perf_counter() - pending.arrived)
            conn.outstanding -= 1
            if outcome.clerk is not None and conn.caller is not None:
                conn.caller.clerk = outcome.clerk or None
            if outcome.error is not None:
                error = outcome.error
                reply = reply_error(
                    request.id, error.code, error.message, error.reason, error.retry_after_s
                )
            else:
                reply = reply_ok(request.id, outcome.result or {})
            out.setdefault(conn, []).append(encode(reply))
            broadcast(outcome.events)
        for conn, parts in out.items():
            if parts:
                conn.send(b"".join(parts))
            if conn.outstanding == 0:
                conn.answered.set()
            if conn.outstanding < self.limits.max_queued:
                conn.room.set()
        if any(name == "day_reset" for _, name, _ in loose):
            # The reset closed every counter: their clerks log in again (the clients do it by themselves).
            for conn in listeners:
                if conn.caller is not None and conn.caller.role == COUNTER:
                    conn.caller.clerk = None

    async def _tick_loop(self) -> None:
        """An empty batch now and then: pending time-outs and the day reset happen in it."""
        while True:
            due = time.perf_counter() + TICK_S
            await asyncio.sleep(TICK_S)
            self.phases.loop_lag(time.perf_counter() - due)
            self._wake.set()


async def serve(
    service: HallService,
    host: str,
    port: int,
    key: str | None,
    ready: asyncio.Future[tuple[str, int]] | None = None,
) -> None:
    """Run a HallServer until cancelled."""
    server = HallServer(service, key)
    address = await server.start(host, port)
    if ready is not None and not ready.done():
        ready.set_result(address)
    try:
        await asyncio.Event().wait()
    finally:
        await server.close()
