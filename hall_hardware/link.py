"""An asyncio hall connection that keeps itself connected and in sync.

It is the asyncio shell of `shared.protocol.session.ClientSession`, as the windows'
`shared.qt.client.HallConnection` is the Qt one: the session decides the handshake, the
clerk's login again after a reconnect, the resync with `snapshot` after a reconnect or a gap
in event `seq`, and which requests in flight are sent again with the same `req`; this module
owns the socket, the reconnect loop and the heartbeat. Its `request`/`login`/`logout` are the
`Transport` the counter view-model drives, and it reports to a listener with the view-model's
hooks (`on_state`, `on_hello`, `on_ready`, `on_event`, `on_login_failed`,
`on_handshake_failed`).
"""

from __future__ import annotations

import asyncio
import logging

from shared.protocol.session import (
    CONNECTING,
    HEARTBEAT_S,
    OFFLINE,
    ONLINE,
    ClientSession,
    SessionListener,
)
from shared.protocol.shell import SessionShell

__all__ = ["CONNECTING", "OFFLINE", "ONLINE", "HallLink", "LinkListener"]

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5.0
HANDSHAKE_LIMIT_S = CONNECT_TIMEOUT_S * 2  # connected but not in sync for this long: retry

LinkListener = SessionListener


class _Protocol(asyncio.Protocol):
    def __init__(self, link: HallLink) -> None:
        self.link = link

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # The welcome may arrive before create_connection returns: adopt the connection now.
        assert isinstance(transport, asyncio.Transport)
        self.link.adopt(self, transport)

    def data_received(self, data: bytes) -> None:
        if self is self.link.protocol:
            self.link.session.receive(data)

    def connection_lost(self, exc: Exception | None) -> None:
        if self is self.link.protocol:
            self.link.lost.set()


class HallLink(SessionShell):
    """One connection to the hall server for one role (a keypad's counter, or the screens)."""

    def __init__(
        self,
        host: str,
        port: int,
        role: str,
        client: str,
        listener: LinkListener,
        *,
        key: str | None = None,
        counter: int | None = None,
        reconnect_min_s: float = 0.5,
        reconnect_max_s: float = 10.0,
    ) -> None:
        self.host, self.port, self.client_name = host, port, client
        self.session = ClientSession(
            role,
            client,
            listener,
            self,
            key=key,
            counter=counter,
            reconnect_min_s=reconnect_min_s,
            reconnect_max_s=reconnect_max_s,
        )
        self.transport: asyncio.Transport | None = None
        self.protocol: _Protocol | None = None
        self.lost = asyncio.Event()  # set when the current connection is gone
        self._running = False
        self._task: asyncio.Task[None] | None = None

    # -- public -------------------------------------------------------------------------------

    def start(self) -> None:
        self._running = True
        self._task = asyncio.get_running_loop().create_task(self._run(), name=self.client_name)

    async def stop(self) -> None:
        self._running = False
        if self.transport is not None:
            self.transport.abort()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self.session.close()

    def drop(self) -> None:
        """Cut the connection now (it comes back by itself): the tests' pulled cable."""
        if self.transport is not None:
            self.transport.abort()

    # -- the session's wire -------------------------------------------------------------------

    def write(self, data: bytes) -> None:
        if self.transport is not None:
            self.transport.write(data)

    def abort(self) -> None:
        self.lost.set()

    def adopt(self, protocol: _Protocol, transport: asyncio.Transport) -> None:
        self.transport, self.protocol = transport, protocol
        self.session.connected()

    # -- connection ---------------------------------------------------------------------------

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while self._running:
            self.session.connecting()
            self.lost.clear()
            try:
                await asyncio.wait_for(
                    loop.create_connection(lambda: _Protocol(self), self.host, self.port),
                    CONNECT_TIMEOUT_S,
                )
            except (TimeoutError, OSError) as exc:
                if self.session.backoff.failed():
                    log.warning(
                        "%s: cannot reach the hall server at %s:%s (%s); retrying",
                        self.client_name,
                        self.host,
                        self.port,
                        exc.__class__.__name__ if not str(exc) else exc,
                    )
                await self._wait_to_retry()
                continue
            try:
                await self._watch()
            finally:
                if self.transport is not None:
                    self.transport.abort()
                self.transport = self.protocol = None
            if self.session.online and self._running:
                log.info("%s: connection to the hall server lost; reconnecting", self.client_name)
            await self._wait_to_retry()

    async def _wait_to_retry(self) -> None:
        delay = self.session.connection_lost()
        if self._running and delay is not None:
            await asyncio.sleep(delay)

    async def _watch(self) -> None:
        """Heartbeat while connected; returns when the connection is gone."""
        while not self.lost.is_set():
            try:
                await asyncio.wait_for(self.lost.wait(), HEARTBEAT_S)
            except TimeoutError:
                pass
            if self.lost.is_set():
                return
            reason = self.session.keepalive(HANDSHAKE_LIMIT_S)
            if reason:
                log.info("%s: %s; reconnecting", self.client_name, reason)
                return
