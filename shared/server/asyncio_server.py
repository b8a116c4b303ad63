"""The hall server: accepts connections, answers the handshake, batches requests, fans out events.

Requests from all connections are queued and applied in batches: one transaction
per batch, each request in its own savepoint. Replies and events go out only after
the batch has committed ("group commit"), so a reply a client received is never
lost, and requests that arrive together cost one disk flush between them. The batch
runs on the event loop itself: while it flushes, new requests wait in the sockets and
form the next batch, and no thread hand-off adds to every reply. Each connection then
gets its replies and all the batch's events in one write. WAL checkpoints run in a
thread of their own so that no reply waits for one. What one connection may cost, and
its flow control, is `shared.server.connection`; what a hello must hold, and who may
send what, is `shared.protocol.server_hello`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

from shared.domain.clock import iso
from shared.domain.errors import ErrorCode, ErrorReason, HallError
from shared.protocol import auth
from shared.protocol.codec import BadFrame, encode, event, reply_error, reply_ok
from shared.protocol.ops import COUNTER, Request, request_id, validate_request
from shared.protocol.server_hello import Refused, check_hello, hello_result, may_send, welcome
from shared.server.connection import READ_CHUNK, Connection, Limits, Pending, keepalive
from shared.server.core import Caller, Numbered, Outcome, PinCheck
from shared.server.service import HallService
from shared.server.stats import BatchPhases, GcPauses, Timings

log = logging.getLogger(__name__)

MAX_BAD_FRAMES = 3
# A counter whose client is gone this long (power cut, cable pulled, window killed) closes,
# so the board stops showing it open with nobody there.
COUNTER_GRACE_S = 120.0
MAX_BATCH = 64
TICK_S = 1.0  # how often pending time-outs and the day boundary are checked
# A connection that leaves a keyed hall before its hello is logged once per address this often,
# for this many addresses at most: a port check every few seconds is not a flood of warnings.
LEFT_LOG_PERIOD_S = 600
LEFT_LOG_ADDRESSES = 1024


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
        self._stopping = False
        self._left_logged: dict[str, float] = {}  # address -> when its leaving was last logged

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
        self._stopping = True
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
            self.count_limit(ErrorReason.TOO_MANY_CONNECTIONS)
            writer.write(
                encode(
                    reply_error(
                        None,
                        ErrorCode.UNAVAILABLE,
                        f"{refusal}; try again later",
                        reason=ErrorReason.TOO_MANY_CONNECTIONS,
                    )
                )
            )
            writer.close()
            return
        keepalive(writer.get_extra_info("socket"))
        self.connections.add(conn)
        self._per_address[conn.address] = self._per_address.get(conn.address, 0) + 1
        log.info("connection from %s", conn.peer)
        conn.send(
            event("welcome", None, welcome(self.service.hall, conn.nonce, self.key is not None))
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
            if self._left_before_hello(conn):
                self._note_left_before_hello(conn)
            log.info("%s disconnected", conn.name)
            if conn.caller is not None and conn.caller.role == COUNTER and conn.caller.clerk:
                self._counter_left(conn.caller)

    def _left_before_hello(self, conn: Connection) -> bool:
        """Whether `conn`'s peer left a keyed hall having sent nothing, before the hello timeout
        and before the server closed it: a client without the key does (so does a port check)."""
        return (
            self.key is not None
            and not self._stopping
            and conn.peer_left
            and conn.caller is None
            and conn.heard == conn.opened
            and time.monotonic() - conn.opened < self.limits.hello_timeout_s
        )

    def _note_left_before_hello(self, conn: Connection) -> None:
        """Count it; log it at most once per address per LEFT_LOG_PERIOD_S."""
        self.count_limit("left_before_hello")
        now = time.monotonic()
        last = self._left_logged.get(conn.address)
        if last is not None and now - last < LEFT_LOG_PERIOD_S:
            return
        if len(self._left_logged) >= LEFT_LOG_ADDRESSES:  # keep only the recent ones
            recent = {a: t for a, t in self._left_logged.items() if now - t < LEFT_LOG_PERIOD_S}
            self._left_logged = recent if len(recent) < LEFT_LOG_ADDRESSES else {}
        self._left_logged[conn.address] = now
        log.warning(
            "%s left before its hello: a client without the hall key does this (so does a port"
            " check); not logged again for this address for %d minutes",
            conn.peer,
            LEFT_LOG_PERIOD_S // 60,
        )

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
        refused = may_send(conn.caller.role, conn.caller.clerk, op) if conn.caller else None
        if refused is not None:
            conn.send(reply_error(request_id(frame), refused.code, refused.message, refused.reason))
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
                    reason=ErrorReason.TOO_FAST,
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
        verdict = check_hello(
            request.params,
            key=self.key,
            nonce=conn.nonce,
            counter_exists=self.service.counter_exists,
            already=conn.caller is not None,
        )
        if isinstance(verdict, Refused):
            conn.send(reply_error(request.id, verdict.code, verdict.message))
            if verdict.code == ErrorCode.NOT_AUTHENTICATED:
                log.warning("%s failed the hall-key check", conn.peer)
            if verdict.close:
                conn.close()
            return
        conn.caller = Caller(verdict.role, verdict.client, verdict.counter, source=conn.address)
        if verdict.counter is not None:
            timer = self._gone.pop(verdict.counter, None)
            if timer is not None:
                timer.cancel()  # the counter's client is back within the grace time
        log.info("%s is %s", conn.peer, conn.name)
        now = iso(self.service.clock.now())
        conn.send(reply_ok(request.id, hello_result(self.service.seq, now)))

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
