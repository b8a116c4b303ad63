"""The client side of a long-lived hall connection, without sockets: what to send and when.

A window, a keypad or a board keeps one connection for hours, through server restarts and
pulled cables. `ClientSession` holds everything such a client must remember across its
connections and decides what each frame means:

- answer the server's `welcome` with `hello`, then read a whole (paged) `snapshot`;
- log the counter's clerk in again after a reconnect, unless a new business day began;
- follow event `seq`: a gap, or `day_reset`, means a new snapshot (a resync), and events
  that arrive meanwhile are held and applied after it;
- fail the requests in flight when the connection drops, but keep the idempotent ones and
  send them again with the same `req` once back online (`shared.protocol.retry`);
- ping while online and say when a silent server must be given up on.

The shell that owns the socket (`shared.qt.client`, `hall_hardware.link`) feeds it bytes and
connection changes, writes what it is given through `Wire.write` and drops the connection
on `Wire.abort`; what the application hears goes to a `SessionListener`.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable
from typing import Any, Protocol

from shared.domain.errors import ErrorReason, HallError, PagingError
from shared.protocol.client_hello import build_hello
from shared.protocol.codec import BadFrame, FrameDecoder, encode
from shared.protocol.pages import PageCollector
from shared.protocol.replies import Reply, disconnected, new_req
from shared.protocol.retry import Backoff, Callback, PendingRequest, may_replay

log = logging.getLogger(__name__)

CONNECTING, ONLINE, OFFLINE = "connecting", "online", "offline"
HEARTBEAT_S = 5.0  # a ping this often while online
SILENCE_LIMIT_S = 15.0  # no frame for this long while online: the link is dead (pulled cable)

Handler = Callable[[dict[str, Any]], None]


class SessionListener(Protocol):
    """What the application hears from its connection."""

    def on_state(self, state: str) -> None: ...
    def on_hello(self, hello: dict[str, Any]) -> None: ...
    def on_ready(self, snapshot: dict[str, Any]) -> None: ...
    def on_event(self, name: str, seq: int, data: dict[str, Any]) -> None: ...
    def on_login_failed(self, code: str, message: str) -> None: ...
    def on_handshake_failed(self, code: str, message: str) -> None: ...


class Wire(Protocol):
    """The socket side, as the shell gives it to the session."""

    def write(self, data: bytes) -> None: ...

    def abort(self) -> None:
        """Drop the connection; the shell then reports it with `connection_lost`."""
        ...


def _ignore(_frame: dict[str, Any]) -> None:
    pass


class ClientSession:
    """One client's protocol state across all its connections to the hall server."""

    def __init__(
        self,
        role: str,
        client: str,
        listener: SessionListener,
        wire: Wire,
        *,
        key: str | None = None,
        counter: int | None = None,
        reconnect_min_s: float = 0.5,
        reconnect_max_s: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.role, self.client, self.key, self.counter = role, client, key, counter
        self.listener, self.wire, self.clock = listener, wire, clock
        self.state = OFFLINE
        self.welcome: dict[str, Any] | None = None
        self.hello: dict[str, Any] | None = None
        self.snapshot: dict[str, Any] | None = None
        self.seq = 0
        self.synced = False  # a snapshot of this connection is in and events apply to it
        self.backoff = Backoff(reconnect_min_s, reconnect_max_s)
        self.pages = PageCollector("snapshot")  # the pages of the snapshot being read
        self.login_as: tuple[str, str] | None = None  # the clerk logged in again on reconnect
        self.login_day: str | None = None
        self.inflight: dict[int, PendingRequest] = {}
        self.replay: list[PendingRequest] = []  # lost with a connection, sent again when online
        self.held: list[dict[str, Any]] = []  # events that wait for the snapshot
        self.last_frame = 0.0
        self._ids = itertools.count(1)
        self._internal: dict[int, Handler] = {}  # the session's own requests
        self._decoder = FrameDecoder()
        self._dropped = False

    @property
    def online(self) -> bool:
        return self.state == ONLINE

    # -- the connection's life, as the shell reports it ------------------------------------

    def connecting(self) -> None:
        """A new connection is being made: what belonged to the last one is forgotten."""
        self._decoder = FrameDecoder()
        self._dropped = False
        self._forget_connection()
        self._set_state(CONNECTING)

    def connected(self) -> None:
        self.last_frame = self.clock()

    def receive(self, data: bytes) -> None:
        """Bytes from the server: every whole frame in them is acted on."""
        if self._dropped:
            return
        self.last_frame = self.clock()
        for frame in self._decoder.feed(data):
            if self._dropped:
                return
            if isinstance(frame, BadFrame):
                log.warning("%s: hall server sent a bad frame: %s", self.client, frame.reason)
                if frame.fatal:
                    self._drop()
                continue
            if "event" in frame:
                self._on_event(frame)
            else:
                self._on_reply(frame)

    def connection_lost(self) -> float | None:
        """The connection is gone, or never came: requests in flight are answered, or kept
        for replay when idempotent. Returns the seconds to wait before the next attempt, or
        None when this loss was reported already."""
        if self.state == OFFLINE:
            return None
        was_online = self.online
        self._fail_inflight(keep_retryable=True)
        self._forget_connection()
        self._set_state(OFFLINE)
        if was_online:
            self.backoff.reset()
        return self.backoff.next()

    def close(self) -> None:
        """The client stops for good: every request still waiting is answered."""
        self._fail_inflight(keep_retryable=False)
        self._forget_connection()
        self._set_state(OFFLINE)

    def keepalive(self, handshake_limit_s: float | None = None) -> str | None:
        """Called every HEARTBEAT_S while connected: pings when online; returns why the
        connection must be dropped (a silent server, a handshake stalled past the limit)."""
        silent = self.clock() - self.last_frame
        if not self.online:
            if handshake_limit_s is not None and silent > handshake_limit_s:
                return "handshake stalled"
            return None
        if silent > SILENCE_LIMIT_S:
            return f"hall server silent for {silent:.0f} s"
        self._send_internal("ping", {}, _ignore)
        return None

    def _forget_connection(self) -> None:
        self._internal.clear()
        self.synced = False
        self.held = []

    def _drop(self) -> None:
        self._dropped = True
        self.wire.abort()

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self._tell("on_state", state)

    def _tell(self, hook: str, *args: Any) -> None:
        try:
            getattr(self.listener, hook)(*args)
        except Exception:
            log.exception("%s: %s handler failed", self.client, hook)

    # -- the application's requests -------------------------------------------------------

    def request(
        self, op: str, params: dict[str, Any] | None = None, callback: Callback | None = None
    ) -> int:
        """Send a request; `callback(Reply)` is called exactly once. Returns its id (0 when
        it was answered at once because the client is offline)."""
        day = (self.snapshot or {}).get("day")
        req = PendingRequest(op, dict(params or {}), callback, day, self.clock())
        if req.retryable and "req" not in req.params:
            req.params["req"] = new_req()
        if not self.online:
            self._answer(req, disconnected("not connected to the hall server"))
            return 0
        return self._send_request(req)

    def login(self, clerk: str, pin: str, callback: Callback | None = None) -> None:
        """Log the counter's clerk in now and again after every reconnect."""

        def done(reply: Reply) -> None:
            if reply.ok:
                self.login_as = (clerk, pin)
                self.login_day = (self.snapshot or {}).get("day")
            if callback is not None:
                callback(reply)

        self.request("login", {"clerk": clerk, "pin": pin}, done)

    def forget_login(self) -> None:
        """Do not log the clerk in again on the next reconnect (the server closed the counter)."""
        self.login_as = None

    def logout(self, callback: Callback | None = None) -> None:
        def done(reply: Reply) -> None:
            if reply.ok:
                self.login_as = None
            if callback is not None:
                callback(reply)

        self.request("logout", {}, done)

    def _fail_inflight(self, keep_retryable: bool) -> None:
        inflight, self.inflight = list(self.inflight.values()), {}
        for req in inflight:
            if req.retryable and keep_retryable:
                self.replay.append(req)  # sent again with the same req once back online
            else:
                self._answer(req, disconnected("the connection to the hall server was lost"))
        if not keep_retryable:
            replay, self.replay = self.replay, []
            for req in replay:
                self._answer(req, disconnected("the connection to the hall server was closed"))

    def _send_replays(self, day: object) -> None:
        replay, self.replay = self.replay, []
        now = self.clock()
        for req in replay:
            if may_replay(req, day, now):
                self._send_request(req)
            else:
                self._answer(req, disconnected("not sent again: too old or from another day"))

    def _answer(self, req: PendingRequest, reply: Reply) -> None:
        if req.callback is not None:
            try:
                req.callback(reply)
            except Exception:
                log.exception("%s: reply handler for %s failed", self.client, req.op)

    # -- frames ---------------------------------------------------------------------------

    def _send(self, message: dict[str, Any]) -> None:
        self.wire.write(encode(message))

    def _send_request(self, req: PendingRequest) -> int:
        rid = next(self._ids)
        self.inflight[rid] = req
        self._send({"id": rid, "op": req.op, **req.params})
        return rid

    def _send_internal(self, op: str, params: dict[str, Any], handler: Handler) -> None:
        rid = next(self._ids)
        self._internal[rid] = handler
        self._send({"id": rid, "op": op, **params})

    def _on_reply(self, frame: dict[str, Any]) -> None:
        rid = frame.get("id")
        if not isinstance(rid, int):
            return
        if rid in self._internal:
            self._internal.pop(rid)(frame)
        elif rid in self.inflight:
            self._answer(self.inflight.pop(rid), Reply.from_frame(frame))

    def _on_event(self, frame: dict[str, Any]) -> None:
        if frame.get("event") == "welcome":
            data = frame.get("data")
            self._on_welcome(data if isinstance(data, dict) else {})
        elif not self.synced:
            self.held.append(frame)
        else:
            self._apply_event(frame)

    def _apply_event(self, frame: dict[str, Any]) -> None:
        seq = frame.get("seq")
        if not isinstance(seq, int) or seq <= self.seq:
            return  # already covered by the snapshot
        if seq != self.seq + 1:
            log.info("%s: event seq jumped from %d to %d; resyncing", self.client, self.seq, seq)
            self._resync()
            self.held.append(frame)
            return
        self.seq = seq
        name = str(frame.get("event"))
        data = frame.get("data")
        if name == "day_reset":
            if self.login_as:
                self._forget_login()
            self._resync()
            return
        self._tell("on_event", name, seq, data if isinstance(data, dict) else {})

    # -- handshake and sync ---------------------------------------------------------------

    def _on_welcome(self, data: dict[str, Any]) -> None:
        self.welcome = data
        try:
            hello = build_hello(data, self.role, self.client, self.key, self.counter)
        except HallError as exc:
            self._tell("on_handshake_failed", exc.code.value, exc.message)
            self._drop()
            return
        self._send_internal("hello", hello, self._on_hello)

    def _on_hello(self, frame: dict[str, Any]) -> None:
        reply = Reply.from_frame(frame)
        if not reply.ok:
            if self.backoff.failed():
                log.error(
                    "%s: hall server refused hello: %s %s; retrying",
                    self.client,
                    reply.code,
                    reply.message,
                )
            self._tell("on_handshake_failed", reply.code, reply.message)
            self._drop()
            return
        self.backoff.succeeded()
        self.hello = reply.result
        self._tell("on_hello", reply.result)
        self.synced = False
        self.pages = PageCollector("snapshot")
        self._send_internal("snapshot", {}, self._on_first_snapshot)

    def _on_first_snapshot(self, frame: dict[str, Any]) -> None:
        """After hello: log the clerk in again, unless a new business day has begun meanwhile."""
        day = Reply.from_frame(frame).result.get("day")
        if self.login_as and day and day != self.login_day:
            self._forget_login()
        if self.login_as:
            clerk, pin = self.login_as
            self._send_internal("login", {"clerk": clerk, "pin": pin}, self._on_relogin)
        else:
            self._on_snapshot(frame)

    def _forget_login(self) -> None:
        """The server closed every counter for the new day: the clerk logs in again."""
        self.login_as = None
        self._tell("on_login_failed", "day_reset", "a new business day has begun: log in again")

    def _on_relogin(self, frame: dict[str, Any]) -> None:
        reply = Reply.from_frame(frame)
        if not reply.ok:
            self.login_as = None
            self._tell("on_login_failed", reply.code, reply.message)
        self._resync()

    def resync(self) -> None:
        """Read a fresh snapshot now, for an application that could not use an event or its
        last snapshot. Events are held until it comes; `on_ready` brings it. Nothing to do
        while offline or while a snapshot is already on its way (it will bring the same)."""
        if self.online and self.synced:
            self._resync()

    def _resync(self) -> None:
        self.synced = False
        self.pages = PageCollector("snapshot")
        self._send_internal("snapshot", {}, self._on_snapshot)

    def _on_snapshot(self, frame: dict[str, Any]) -> None:
        reply = Reply.from_frame(frame)
        more: dict[str, Any] | None = None
        try:
            if reply.ok:
                more = self.pages.feed(reply.result)
            elif reply.reason == ErrorReason.PAGE_EXPIRED:
                more = self.pages.restart()  # the server dropped the pages: read them again
        except PagingError as exc:
            reply = Reply(False, {}, "conflict", str(exc))
        if not reply.ok and more is None:
            log.error("%s: snapshot refused: %s %s", self.client, reply.code, reply.message)
            self._drop()
            return
        if more is not None:  # a big hall: the rest of the snapshot comes in further pages
            self._send_internal("snapshot", more, self._on_snapshot)
            return
        self._on_synced(self.pages.whole or {})

    def _on_synced(self, snapshot: dict[str, Any]) -> None:
        self.snapshot = snapshot
        self.seq = int(snapshot.get("seq") or 0)
        self.synced = True
        self.backoff.reset()
        self._set_state(ONLINE)
        self._tell("on_ready", snapshot)
        self._send_replays(snapshot.get("day"))
        held, self.held = self.held, []
        for event_frame in sorted(held, key=lambda f: f.get("seq") or 0):
            if self.synced:
                self._apply_event(event_frame)
            else:
                self.held.append(event_frame)
