"""The Qt hall client: one QTcpSocket and its timers around the sans-IO `ClientSession`.

Windows bind to its signals. It reconnects by itself with backoff; what the frames mean —
the handshake, logging a counter's clerk in again, a `snapshot` (emitted as `ready`)
whenever it (re)connects or sees a gap in event `seq`, and re-sending an idempotent request
that was in flight when the connection dropped with the same `req`, so it is applied exactly
once — is decided by `shared.protocol.session.ClientSession`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QAbstractSocket, QTcpSocket

from shared.client.hall_time import follow_server_time
from shared.protocol.pages import fetch_pages
from shared.protocol.replies import Reply
from shared.protocol.session import CONNECTING, HEARTBEAT_S, OFFLINE, ONLINE, ClientSession
from shared.protocol.shell import SessionShell

__all__ = ["CONNECTING", "OFFLINE", "ONLINE", "HallConnection", "Reply"]

log = logging.getLogger(__name__)

HEARTBEAT_MS = int(HEARTBEAT_S * 1000)
CONNECT_TIMEOUT_MS = 5_000

Callback = Callable[[Reply], None]
Connected = QAbstractSocket.SocketState.ConnectedState
Unconnected = QAbstractSocket.SocketState.UnconnectedState


class _Shell:
    """The session's wire (the socket) and listener (the connection's signals)."""

    def __init__(self, conn: HallConnection) -> None:
        self.conn = conn

    def write(self, data: bytes) -> None:
        self.conn._sock.write(data)

    def abort(self) -> None:
        self.conn.drop()

    def on_state(self, state: str) -> None:
        if state == ONLINE:
            self.conn._connect_timer.stop()
            if not self.conn._heartbeat.isActive():
                self.conn._heartbeat.start()
        self.conn.stateChanged.emit(state)

    def on_hello(self, hello: dict[str, Any]) -> None:
        follow_server_time(hello.get("server_time"))  # the hall's time on the clocks

    def on_ready(self, snapshot: dict[str, Any]) -> None:
        self.conn.ready.emit(snapshot)

    def on_event(self, name: str, seq: int, data: dict[str, Any]) -> None:
        self.conn.event.emit(name, seq, data)

    def on_login_failed(self, code: str, message: str) -> None:
        self.conn.loginFailed.emit(code, message)

    def on_handshake_failed(self, code: str, message: str) -> None:
        self.conn.handshakeFailed.emit(code, message)


class HallConnection(QObject, SessionShell):
    """A connection to the hall server that keeps itself connected and in sync."""

    stateChanged = Signal(str)
    ready = Signal(dict)
    event = Signal(str, int, dict)  # type: ignore[assignment]  # the windows' name for it
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
        shell = _Shell(self)
        self.session = ClientSession(
            role,
            client,
            shell,
            shell,
            key=key,
            counter=counter,
            reconnect_min_s=reconnect_min_s,
            reconnect_max_s=reconnect_max_s,
        )
        self._running = False
        self._sock = QTcpSocket(self)
        self._sock.connected.connect(self.session.connected)
        self._sock.readyRead.connect(self._on_ready_read)
        self._sock.disconnected.connect(self._lost)
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
        if flush_ms and self._sock.state() == Connected:
            self._sock.flush()
            self._sock.disconnectFromHost()  # a clean close: the server still answers what it got
            if self._sock.state() != Unconnected:
                self._sock.waitForDisconnected(flush_ms)
        self._sock.abort()
        self.session.close()

    def drop(self) -> None:
        """Cut the connection now; it comes back by itself."""
        self._sock.abort()
        self._lost()

    def fetch(self, op: str, callback: Callback, params: dict[str, Any] | None = None) -> None:
        """Every page of a paged op (`catalog`, `snapshot`): `callback` gets one joined Reply."""
        fetch_pages(self.request, op, callback, params)

    # -- the socket ---------------------------------------------------------------------------

    def _connect(self) -> None:
        if not self._running:
            return
        self.session.connecting()
        self._sock.abort()
        self._sock.connectToHost(self.host, self.port)
        self._connect_timer.start(CONNECT_TIMEOUT_MS)

    def _on_connect_timeout(self) -> None:
        if self._sock.state() != Connected or not self.session.synced:
            log.info("hall server %s:%d did not answer in time", self.host, self.port)
            self.drop()

    def _on_error(self, _error: QAbstractSocket.SocketError) -> None:
        if self._sock.state() != Connected:
            self._lost()

    def _lost(self) -> None:
        """The connection is gone (or never came): try again later."""
        self._connect_timer.stop()
        self._heartbeat.stop()
        delay = self.session.connection_lost()
        if self._sock.state() != Unconnected:
            self._sock.abort()
        if self._running and delay is not None and not self._retry.isActive():
            self._retry.start(int(delay * 1000))

    def _on_heartbeat(self) -> None:
        reason = self.session.keepalive()
        if reason:
            log.info("%s; reconnecting", reason)
            self.drop()

    def _on_ready_read(self) -> None:
        self.session.receive(bytes(self._sock.readAll().data()))
