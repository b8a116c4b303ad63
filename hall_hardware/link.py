"""An asyncio hall connection that keeps itself connected and in sync.

It follows the same rules as the windows' Qt client (`shared.qt.client.HallConnection`):
reconnect with backoff, log the counter's clerk in again, resync with `snapshot` after a
reconnect or a gap in event `seq`, and send an idempotent request (`OPS[op].idempotent`)
that was in flight when the connection dropped again with the same `req` once back online,
so it is applied exactly once. Its `request`/`login`/`logout` are the `Transport` the
counter view-model drives, and it reports to a listener with the view-model's hooks
(`on_state`, `on_hello`, `on_ready`, `on_event`, `on_login_failed`, `on_handshake_failed`).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from shared.client.connection import (
    HEARTBEAT_S,
    REPLAY_MAX_AGE_S,
    SILENCE_LIMIT_S,
    PageCollector,
    PagingError,
    Reply,
    new_req,
)
from shared.protocol import auth
from shared.protocol.codec import PROTO, BadFrame, FrameDecoder, encode
from shared.protocol.ops import OPS

log = logging.getLogger(__name__)

CONNECTING, ONLINE, OFFLINE = "connecting", "online", "offline"
CONNECT_TIMEOUT_S = 5.0

Callback = Callable[[Reply], None]


class LinkListener(Protocol):
    def on_state(self, state: str) -> None: ...
    def on_hello(self, hello: dict[str, Any]) -> None: ...
    def on_ready(self, snapshot: dict[str, Any]) -> None: ...
    def on_event(self, name: str, seq: int, data: dict[str, Any]) -> None: ...
    def on_login_failed(self, code: str, message: str) -> None: ...
    def on_handshake_failed(self, code: str, message: str) -> None: ...


@dataclass
class _Request:
    op: str
    params: dict[str, Any]
    callback: Callback | None
    day: str | None = None
    made: float = field(default_factory=time.monotonic)

    @property
    def retryable(self) -> bool:
        spec = OPS.get(self.op)
        return bool(spec and spec.idempotent)


class _Protocol(asyncio.Protocol):
    def __init__(self, link: HallLink) -> None:
        self.link = link

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # The welcome may arrive before create_connection returns: adopt the connection now.
        self.link._transport = transport  # type: ignore[assignment]
        self.link._proto = self
        self.link._decoder = FrameDecoder()
        self.link._last_frame = time.monotonic()

    def data_received(self, data: bytes) -> None:
        self.link._on_data(self, data)

    def connection_lost(self, exc: Exception | None) -> None:
        self.link._on_closed(self)


class HallLink:
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
        self.host, self.port, self.role, self.client_name = host, port, role, client
        self.listener = listener
        self.key, self.counter = key, counter
        self.state = OFFLINE
        self.snapshot: dict[str, Any] | None = None
        self.seq = 0
        self._min, self._max = reconnect_min_s, reconnect_max_s
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
        self._held: list[dict[str, Any]] = []
        self._decoder = FrameDecoder()
        self._transport: asyncio.Transport | None = None
        self._proto: _Protocol | None = None
        self._last_frame = 0.0
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._lost_event = asyncio.Event()
        self._failures = 0

    # -- public -------------------------------------------------------------------------------

    def start(self) -> None:
        self._running = True
        self._task = asyncio.get_running_loop().create_task(self._run(), name=self.client_name)

    async def stop(self) -> None:
        self._running = False
        if self._transport is not None:
            self._transport.abort()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self._fail_inflight(drop_retryable=True)
        self._set_state(OFFLINE)

    def drop(self) -> None:
        """Cut the connection now (it comes back by itself): the tests' pulled cable."""
        if self._transport is not None:
            self._transport.abort()

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

    def login(self, clerk: str, pin: str, callback: Callback | None = None) -> None:
        """Log the counter's clerk in now and again after every reconnect."""

        def done(reply: Reply) -> None:
            if reply.ok:
                self._login = (clerk, pin)
                self._login_day = (self.snapshot or {}).get("day")
            if callback is not None:
                callback(reply)

        self.request("login", {"clerk": clerk, "pin": pin}, done)

    def logout(self, callback: Callback | None = None) -> None:
        def done(reply: Reply) -> None:
            if reply.ok:
                self._login = None
            if callback is not None:
                callback(reply)

        self.request("logout", {}, done)

    # -- connection ---------------------------------------------------------------------------

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while self._running:
            self._set_state(CONNECTING)
            self._lost_event.clear()
            try:
                await asyncio.wait_for(
                    loop.create_connection(lambda: _Protocol(self), self.host, self.port),
                    CONNECT_TIMEOUT_S,
                )
            except (TimeoutError, OSError) as exc:
                if self._count_failure():
                    log.warning(
                        "%s: cannot reach the hall server at %s:%s (%s); retrying",
                        self.client_name,
                        self.host,
                        self.port,
                        exc.__class__.__name__ if not str(exc) else exc,
                    )
                self._set_state(OFFLINE)
                await self._sleep_backoff()
                continue
            try:
                await self._watch()
            finally:
                if self._transport is not None:
                    self._transport.abort()
                self._transport = self._proto = None
            was_online = self.state == ONLINE
            self._fail_inflight(drop_retryable=False)
            self._set_state(OFFLINE)
            if not self._running:
                break
            if was_online:
                log.info("%s: connection to the hall server lost; reconnecting", self.client_name)
                self._backoff = self._min
            await self._sleep_backoff()

    def _count_failure(self) -> bool:
        """Count a failed attempt; True when it should be logged (1st, 10th, every 100th)."""
        self._failures += 1
        return self._failures in (1, 10) or self._failures % 100 == 0

    async def _sleep_backoff(self) -> None:
        delay = self._backoff
        self._backoff = min(self._max, max(self._min, delay * 2))
        await asyncio.sleep(delay)

    async def _watch(self) -> None:
        """Heartbeat while connected; returns when the connection is gone."""
        while not self._lost_event.is_set():
            try:
                await asyncio.wait_for(self._lost_event.wait(), HEARTBEAT_S)
            except TimeoutError:
                pass
            if self._lost_event.is_set():
                return
            silent = time.monotonic() - self._last_frame
            if self.state != ONLINE and silent > CONNECT_TIMEOUT_S * 2:
                log.info("%s: handshake stalled; reconnecting", self.client_name)
                return
            if self.state == ONLINE:
                if silent > SILENCE_LIMIT_S:
                    log.info(
                        "%s: hall server silent for %.0f s; reconnecting", self.client_name, silent
                    )
                    return
                self._send_internal("ping", {}, lambda _frame: None)

    def _on_closed(self, proto: _Protocol) -> None:
        if proto is self._proto:
            self._lost_event.set()

    def _abort(self) -> None:
        self._lost_event.set()

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self._call("on_state", state)

    def _call(self, hook: str, *args: Any) -> None:
        try:
            getattr(self.listener, hook)(*args)
        except Exception:
            log.exception("%s: %s handler failed", self.client_name, hook)

    def _fail_inflight(self, drop_retryable: bool) -> None:
        inflight, self._inflight = list(self._inflight.values()), {}
        self._internal.clear()
        self._synced = False
        self._held = []
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

    # -- frames -------------------------------------------------------------------------------

    def _write(self, message: dict[str, Any]) -> None:
        if self._transport is not None:
            self._transport.write(encode(message))

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
                log.exception("%s: reply handler for %s failed", self.client_name, req.op)

    def _on_data(self, proto: _Protocol, data: bytes) -> None:
        if proto is not self._proto:
            return
        self._last_frame = time.monotonic()
        for frame in self._decoder.feed(data):
            if isinstance(frame, BadFrame):
                log.warning("%s: hall server sent a bad frame: %s", self.client_name, frame.reason)
                if frame.fatal:
                    self._abort()
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
            self._answer(self._inflight.pop(rid), Reply.from_frame(frame))

    def _on_event(self, frame: dict[str, Any]) -> None:
        if frame.get("event") == "welcome":
            self._on_welcome(frame.get("data") or {})
            return
        if not self._synced:
            self._held.append(frame)
            return
        self._apply_event(frame)

    def _apply_event(self, frame: dict[str, Any]) -> None:
        seq = frame.get("seq")
        if not isinstance(seq, int) or seq <= self.seq:
            return  # already covered by the snapshot
        if seq != self.seq + 1:
            log.info(
                "%s: event seq jumped from %d to %d; resyncing", self.client_name, self.seq, seq
            )
            self._resync()
            self._held.append(frame)
            return
        self.seq = seq
        name = str(frame.get("event"))
        data = frame.get("data") if isinstance(frame.get("data"), dict) else {}
        if name == "day_reset":
            if self._login:
                self._forget_login()
            self._resync()
            return
        self._call("on_event", name, seq, data)

    # -- handshake and sync -------------------------------------------------------------------

    def _on_welcome(self, data: dict[str, Any]) -> None:
        hello: dict[str, Any] = {"proto": PROTO, "role": self.role, "client": self.client_name}
        if self.counter is not None:
            hello["counter"] = self.counter
        if data.get("auth"):
            if not self.key:
                self._call(
                    "on_handshake_failed",
                    "not_authenticated",
                    "this hall needs its hall key (QUEUE_HALL_KEY)",
                )
                self._abort()
                return
            hello["auth"] = auth.hello_auth(self.key, str(data.get("nonce", "")))
        self._send_internal("hello", hello, self._on_hello)

    def _on_hello(self, frame: dict[str, Any]) -> None:
        reply = Reply.from_frame(frame)
        if not reply.ok:
            if self._count_failure():
                log.error(
                    "%s: hall server refused hello: %s %s; retrying",
                    self.client_name,
                    reply.code,
                    reply.message,
                )
            self._call("on_handshake_failed", reply.code, reply.message)
            self._abort()
            return
        self._failures = 0
        self._call("on_hello", reply.result)
        self._synced = False
        self._pages = PageCollector("snapshot")
        self._send_internal("snapshot", {}, self._on_first_snapshot)

    def _on_first_snapshot(self, frame: dict[str, Any]) -> None:
        day = (Reply.from_frame(frame).result or {}).get("day")
        if self._login and day and day != self._login_day:
            self._forget_login()
        if self._login:
            clerk, pin = self._login
            self._send_internal("login", {"clerk": clerk, "pin": pin}, self._on_relogin)
        else:
            self._on_snapshot(frame)

    def _forget_login(self) -> None:
        self._login = None
        self._call("on_login_failed", "day_reset", "a new business day has begun: log in again")

    def _on_relogin(self, frame: dict[str, Any]) -> None:
        reply = Reply.from_frame(frame)
        if not reply.ok:
            self._login = None
            self._call("on_login_failed", reply.code, reply.message)
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
            log.error("%s: snapshot refused: %s %s", self.client_name, reply.code, reply.message)
            self._abort()
            return
        more = self._pages.feed(reply.result)
        if more is not None:  # a big hall: the rest of the snapshot comes in further pages
            self._send_internal("snapshot", more, self._on_snapshot)
            return
        reply = Reply(True, self._pages.whole or {})
        self.snapshot = reply.result
        self.seq = int(reply.result.get("seq") or 0)
        self._synced = True
        self._backoff = self._min
        self._set_state(ONLINE)
        self._call("on_ready", reply.result)
        replay, self._replay = self._replay, []
        day = reply.result.get("day")
        for req in replay:
            if req.day != day or time.monotonic() - req.made > REPLAY_MAX_AGE_S:
                self._answer(
                    req,
                    Reply(False, {}, "disconnected", "not sent again: too old or from another day"),
                )
            else:
                self._send_request(req)
        held, self._held = self._held, []
        for event_frame in sorted(held, key=lambda f: f.get("seq") or 0):
            if self._synced:
                self._apply_event(event_frame)
            else:
                self._held.append(event_frame)
