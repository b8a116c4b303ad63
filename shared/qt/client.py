"""The Qt hall client: one QTcpSocket, the handshake, reconnects, resync and safe retries.

Windows bind to its signals. It reconnects by itself with backoff, logs a counter's
clerk in again, fetches a `snapshot` (emitted as `ready`) whenever it (re)connects
or sees a gap in event `seq`, and re-sends an idempotent request that was in flight
when the connection dropped with the same `req`, so it is applied exactly once.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QAbstractSocket, QTcpSocket

from shared.client.connection import (
    HEARTBEAT_S,
    REPLAY_MAX_AGE_S,
    SILENCE_LIMIT_S,
    PageCollector,
    PagingError,
    Reply,
    fetch_pages,
    new_req,
)
from shared.client.options import follow_server_time
from shared.protocol import auth
from shared.protocol.codec import PROTO, BadFrame, FrameDecoder, encode
from shared.protocol.ops import OPS

log = logging.getLogger(__name__)

CONNECTING, ONLINE, OFFLINE = "connecting", "online", "offline"
HEARTBEAT_MS = int(HEARTBEAT_S * 1000)
CONNECT_TIMEOUT_MS = 5_000


Callback = Callable[[Reply], None]


@dataclass
class _Request:
    op: str
    params: dict[str, Any]
    callback: Callback | None
    day: str | None = None  # the business day it was made on
    made: float = field(default_factory=time.monotonic)

    @property
    def retryable(self) -> bool:
        spec = OPS.get(self.op)
        return bool(spec and spec.idempotent)


class HallConnection(QObject):
    """A connection to the hall server that keeps itself connected and in sync."""

    stateChanged = Signal(str)
    ready = Signal(dict)
    event = Signal(str, int, dict)
    loginFailed = Signal(str, str)
    handshakeFailed = Signal(str, str)

    def __init__(
        self,
        host: str,
        port: int,
        role: str,
        client: str,
        key: str | None = None,
        counter: int | None = None,
        parent: QObject | None = None,
        reconnect_min_s: float = 0.5,
        reconnect_max_s: float = 10.0,
    ) -> None:
        super().__init__(parent)
        self.host, self.port, self.role, self.client_name = host, port, role, client
        self.key, self.counter = key, counter
        self.state = OFFLINE
        self.snapshot: dict[str, Any] | None = None
        self.hello: dict[str, Any] | None = None
        self.welcome: dict[str, Any] | None = None
        self.seq = 0
        self._reconnect_min, self._reconnect_max = reconnect_min_s, reconnect_max_s
        self._backoff = reconnect_min_s
        self._running = False
        self._synced = False
        self._pages = PageCollector("snapshot")  # the pages of the snapshot being read
        self._login: tuple[str, str] | None = None
        self._login_day: str | None = None
        self._ids = itertools.count(1)
        self._inflight: dict[int, _Request] = {}
        self._replay: list[_Request] = []
        self._internal: dict[int, Callable[[dict[str, Any]], None]] = {}
        self._held_events: list[dict[str, Any]] = []
        self._last_frame = 0.0
        self._decoder = FrameDecoder()

        self._sock = QTcpSocket(self)
        self._sock.connected.connect(self._on_connected)
        self._sock.readyRead.connect(self._on_ready_read)
        self._sock.disconnected.connect(self._on_disconnected)
        self._sock.errorOccurred.connect(self._on_error)
        self._retry = QTimer(self, singleShot=True)
        self._retry.timeout.connect(self._connect)
        self._connect_timer = QTimer(self, singleShot=True)
        self._connect_timer.timeout.connect(self._on_connect_timeout)
        self._heartbeat = QTimer(self)
        self._heartbeat.setInterval(HEARTBEAT_MS)
        self._heartbeat.timeout.connect(self._on_heartbeat)

    # -- public -------------------------------------------------------------------------------

    def start(self) -> None:
        self._running = True
        self._connect()

    def stop(self, flush_ms: int = 0) -> None:
        """Disconnect for good; with `flush_ms`, first let what was sent reach the server."""
        self._running = False
        self._retry.stop()
        self._heartbeat.stop()
        if flush_ms and self._sock.state() == QAbstractSocket.SocketState.ConnectedState:
            self._sock.flush()
            self._sock.disconnectFromHost()  # a clean close: the server still answers what it got
            if self._sock.state() != QAbstractSocket.SocketState.UnconnectedState:
                self._sock.waitForDisconnected(flush_ms)
        self._sock.abort()
        self._fail_inflight(drop_retryable=True)
        self._set_state(OFFLINE)

    @property
    def online(self) -> bool:
        return self.state == ONLINE

    def request(
        self, op: str, params: dict[str, Any] | None = None, callback: Callback | None = None
    ) -> int:
        """Send a request; `callback(Reply)` is called exactly once."""
        req = _Request(op, dict(params or {}), callback, (self.snapshot or {}).get("day"))
        if req.retryable and "req" not in req.params:
            req.params["req"] = new_req()
        if not self.online:
            self._answer(req, Reply(False, {}, "disconnected", "not connected to the hall server"))
            return 0
        return self._send_request(req)

    def fetch(self, op: str, callback: Callback, params: dict[str, Any] | None = None) -> None:
        """Every page of a paged op (`catalog`, `snapshot`): `callback` gets one joined Reply."""
        fetch_pages(self.request, op, callback, params)

    def login(self, clerk: str, pin: str, callback: Callback | None = None) -> None:
        """Log the counter's clerk in now and again after every reconnect."""

        def done(reply: Reply) -> None:
            self._login = (clerk, pin) if reply.ok else None
            self._login_day = (self.snapshot or {}).get("day")
            if callback:
                callback(reply)

        self.request("login", {"clerk": clerk, "pin": pin}, done)

    def forget_login(self) -> None:
        """Do not log the clerk in again on the next reconnect (the server closed the counter)."""
        self._login = None

    def logout(self, callback: Callback | None = None) -> None:
        def done(reply: Reply) -> None:
            if reply.ok:
                self._login = None
            if callback:
                callback(reply)

        self.request("logout", {}, done)

    # -- connection ---------------------------------------------------------------------------

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.stateChanged.emit(state)

    def _connect(self) -> None:
        if not self._running:
            return
        self._decoder = FrameDecoder()
        self._synced = False
        self._held_events.clear()
        self._internal.clear()
        self._set_state(CONNECTING)
        self._sock.abort()
        self._sock.connectToHost(self.host, self.port)
        self._connect_timer.start(CONNECT_TIMEOUT_MS)

    def _on_connect_timeout(self) -> None:
        if self._sock.state() != QAbstractSocket.SocketState.ConnectedState or not self._synced:
            log.info("hall server %s:%d did not answer in time", self.host, self.port)
            self._sock.abort()
            self._lost()

    def _on_connected(self) -> None:
        self._last_frame = time.monotonic()

    def _on_error(self, _error: QAbstractSocket.SocketError) -> None:
        if self._sock.state() != QAbstractSocket.SocketState.ConnectedState:
            self._lost()

    def _on_disconnected(self) -> None:
        self._lost()

    def _lost(self) -> None:
        """The connection is gone (or never came): fail or keep requests, and try again later."""
        self._connect_timer.stop()
        self._heartbeat.stop()
        was_online = self.state == ONLINE
        self._fail_inflight(drop_retryable=False)
        if self._sock.state() != QAbstractSocket.SocketState.UnconnectedState:
            self._sock.abort()
        if not self._running:
            self._set_state(OFFLINE)
            return
        self._set_state(OFFLINE)
        if self._retry.isActive():
            return
        delay = self._reconnect_min if was_online else self._backoff
        self._backoff = min(self._reconnect_max, max(self._reconnect_min, delay * 2))
        self._retry.start(int(delay * 1000))

    def _fail_inflight(self, drop_retryable: bool) -> None:
        inflight, self._inflight = list(self._inflight.values()), {}
        for req in inflight:
            if req.retryable and not drop_retryable:
                self._replay.append(req)  # sent again with the same req once back online
            else:
                self._answer(
                    req,
                    Reply(False, {}, "disconnected", "the connection to the hall server was lost"),
                )
        if drop_retryable:
            replay, self._replay = self._replay, []
            for req in replay:
                self._answer(
                    req,
                    Reply(
                        False, {}, "disconnected", "the connection to the hall server was closed"
                    ),
                )

    def _on_heartbeat(self) -> None:
        if time.monotonic() - self._last_frame > SILENCE_LIMIT_S:
            log.info("hall server silent for %.0f s; reconnecting", SILENCE_LIMIT_S)
            self._sock.abort()
            self._lost()
            return
        self._send_internal("ping", {}, lambda _frame: None)

    # -- frames -------------------------------------------------------------------------------

    def _write(self, message: dict[str, Any]) -> None:
        self._sock.write(encode(message))

    def _send_request(self, req: _Request) -> int:
        rid = next(self._ids)
        self._inflight[rid] = req
        self._write({"id": rid, "op": req.op, **req.params})
        return rid

    def _send_internal(
        self, op: str, params: dict[str, Any], handler: Callable[[dict[str, Any]], None]
    ) -> None:
        rid = next(self._ids)
        self._internal[rid] = handler
        self._write({"id": rid, "op": op, **params})

    def _answer(self, req: _Request, reply: Reply) -> None:
        if req.callback is not None:
            try:
                req.callback(reply)
            except Exception:
                log.exception("reply handler for %s failed", req.op)

    def _on_ready_read(self) -> None:
        data = bytes(self._sock.readAll().data())
        self._last_frame = time.monotonic()
        for frame in self._decoder.feed(data):
            if isinstance(frame, BadFrame):
                log.warning("hall server sent a bad frame: %s", frame.reason)
                if frame.fatal:
                    self._sock.abort()
                    self._lost()
                    return
                continue
            if "event" in frame:
                self._on_event(frame)
            else:
                self._on_reply(frame)

    def _on_reply(self, frame: dict[str, Any]) -> None:
        rid = frame.get("id")
        if rid in self._internal:
            self._internal.pop(rid)(frame)
        elif rid in self._inflight:
            req = self._inflight.pop(rid)
            self._answer(req, Reply.from_frame(frame))

    def _on_event(self, frame: dict[str, Any]) -> None:
        name = frame.get("event")
        if name == "welcome":
            self._on_welcome(frame.get("data") or {})
            return
        if not self._synced:
            self._held_events.append(frame)
            return
        self._apply_event(frame)

    def _apply_event(self, frame: dict[str, Any]) -> None:
        seq = frame.get("seq")
        if not isinstance(seq, int) or seq <= self.seq:
            return  # already covered by the snapshot
        if seq != self.seq + 1:
            log.info("event seq jumped from %d to %d; resyncing", self.seq, seq)
            self._resync()
            self._held_events.append(frame)
            return
        self.seq = seq
        name = str(frame.get("event"))
        data = frame.get("data") if isinstance(frame.get("data"), dict) else {}
        if name == "day_reset":
            if self._login:
                self._forget_login()
            self._resync()
            return
        self.event.emit(name, seq, data)

    # -- handshake and sync -------------------------------------------------------------------

    def _on_welcome(self, data: dict[str, Any]) -> None:
        self.welcome = data
        hello: dict[str, Any] = {"proto": PROTO, "role": self.role, "client": self.client_name}
        if self.counter is not None:
            hello["counter"] = self.counter
        if data.get("auth"):
            if not self.key:
                self.handshakeFailed.emit(
                    "not_authenticated", "this hall needs its hall key (QUEUE_HALL_KEY)"
                )
                self._sock.abort()
                self._lost()
                return
            hello["auth"] = auth.hello_auth(self.key, str(data.get("nonce", "")))
        self._send_internal("hello", hello, self._on_hello)

    def _on_hello(self, frame: dict[str, Any]) -> None:
        reply = Reply.from_frame(frame)
        if not reply.ok:
            log.error("hall server refused hello: %s %s", reply.code, reply.message)
            self.handshakeFailed.emit(reply.code, reply.message)
            self._sock.abort()
            self._lost()
            return
        self.hello = reply.result
        follow_server_time(self.hello.get("server_time"))  # the hall's time on the clocks
        self._synced = False
        self._pages = PageCollector("snapshot")
        self._send_internal("snapshot", {}, self._on_first_snapshot)

    def _on_first_snapshot(self, frame: dict[str, Any]) -> None:
        """After hello: log the clerk in again, unless a new business day has begun meanwhile."""
        day = (Reply.from_frame(frame).result or {}).get("day")
        if self._login and day and day != self._login_day:
            self._forget_login()
        if self._login:
            clerk, pin = self._login
            self._send_internal("login", {"clerk": clerk, "pin": pin}, self._on_relogin)
        else:
            self._on_snapshot(frame)

    def _forget_login(self) -> None:
        """The server closed every counter for the new day: the clerk logs in again."""
        self._login = None
        self.loginFailed.emit("day_reset", "a new business day has begun: log in again")

    def _on_relogin(self, frame: dict[str, Any]) -> None:
        reply = Reply.from_frame(frame)
        if not reply.ok:
            self._login = None
            self.loginFailed.emit(reply.code, reply.message)
        self._resync()

    def _resync(self) -> None:
        self._synced = False
        self._pages = PageCollector("snapshot")
        self._send_internal("snapshot", {}, self._on_snapshot)

    def _on_snapshot(self, frame: dict[str, Any]) -> None:
        reply = Reply.from_frame(frame)
        try:
            if not reply.ok and reply.reason == "page_expired":
                self._send_internal("snapshot", self._pages.restart(), self._on_snapshot)
                return
        except PagingError:
            pass
        if not reply.ok:
            log.error("snapshot refused: %s %s", reply.code, reply.message)
            self._sock.abort()
            self._lost()
            return
        more = self._pages.feed(reply.result)
        if more is not None:  # a big hall: the rest of the snapshot comes in further pages
            self._send_internal("snapshot", more, self._on_snapshot)
            return
        reply = Reply(True, self._pages.whole or {})
        self._connect_timer.stop()
        self.snapshot = reply.result
        self.seq = int(reply.result.get("seq") or 0)
        self._synced = True
        self._backoff = self._reconnect_min
        self._set_state(ONLINE)
        if not self._heartbeat.isActive():
            self._heartbeat.start()
        self.ready.emit(reply.result)
        replay, self._replay = self._replay, []
        day = reply.result.get("day")
        for req in replay:
            if req.day != day or time.monotonic() - req.made > REPLAY_MAX_AGE_S:
                # Sent again now it would act on a different day, or far too late to be meant.
                self._answer(
                    req,
                    Reply(False, {}, "disconnected", "not sent again: too old or from another day"),
                )
            else:
                self._send_request(req)
        held, self._held_events = self._held_events, []
        for event_frame in sorted(held, key=lambda f: f.get("seq") or 0):
            if self._synced:
                self._apply_event(event_frame)
            else:
                self._held_events.append(event_frame)
