"""Plain hall clients for tools, tests and benchmarks: an asyncio one and a blocking one.

Both are sockets around the sans-IO protocol code: the codec, the `hello` of
`shared.protocol.client_hello`, the reply reading of `shared.protocol.replies` and the page
joining of `shared.protocol.pages`. The long-lived clients that reconnect and resync by
themselves are shells over `shared.protocol.session` (`shared.qt.client`,
`hall_hardware.link`).
"""

from __future__ import annotations

import asyncio
import itertools
import socket
import time
from collections import deque
from typing import Any

from shared.domain.errors import HallError
from shared.protocol.client_hello import build_hello
from shared.protocol.codec import BadFrame, FrameDecoder, encode
from shared.protocol.pages import PageCollector, fetch_pages
from shared.protocol.replies import Reply, new_req, result_of
from shared.protocol.session import HEARTBEAT_S

# Names the apps and tools import from here (some of them live in shared.protocol).
__all__ = [
    "BlockingHallClient",
    "HallClient",
    "PageCollector",
    "Reply",
    "SizedFrameDecoder",
    "fetch_pages",
    "new_req",
    "parse_server",
    "server_address",
]

DEFAULT_PORT = 7310
WELCOME_TIMEOUT_S = 10.0  # how long a connection waits for the server's welcome by default
# HEARTBEAT_S: the asyncio client pings when it has sent nothing this long, as the server
# closes connections that stay silent (docs/protocol.md, "Limits").


class SizedFrameDecoder(FrameDecoder):
    """A decoder that notes the size of every frame it reads, newline included (tests and
    `make bench` measure replies with it); it reads frames of any size so they can be shown."""

    def __init__(self) -> None:
        super().__init__(max_frame=1 << 28)
        self.sizes: list[int] = []
        self._partial = 0

    def feed(self, data: bytes) -> list[dict[str, Any] | BadFrame]:
        parts = data.split(b"\n")
        for part in parts[:-1]:
            self.sizes.append(self._partial + len(part) + 1)
            self._partial = 0
        self._partial += len(parts[-1])
        return super().feed(data)


def parse_server(text: str, default_port: int = DEFAULT_PORT) -> tuple[str, int]:
    """'HOST[:PORT]' -> (host, port); ValueError naming the problem."""
    text = text.strip()
    if not text:
        raise ValueError("server address is empty (expected HOST:PORT)")
    if "/" in text or "@" in text:  # a URL such as http://HOST:PORT/ (the hall speaks plain TCP)
        raise ValueError(
            f"server address {text!r} is not HOST:PORT: give the host and port alone, "
            "without http:// or a path, e.g. 192.168.1.10:7310"
        )
    host, sep, port_text = text.rpartition(":")
    if not sep or "]" in port_text:
        return text.strip("[]"), default_port
    try:
        port = int(port_text)
    except ValueError:
        raise ValueError(
            f"server port {port_text!r} is not a number (expected HOST:PORT)"
        ) from None
    if not 0 < port < 65536:
        raise ValueError(f"server port {port} is out of range 1-65535")
    return (host.strip("[]") or "127.0.0.1"), port


def server_address(text: str | None, host: str, port: int) -> tuple[str, int]:
    """Where a window connects: --server when given, else the hall file's server address.

    A wildcard listening address in the hall file (0.0.0.0) means the server is on this machine.
    """
    if text:
        return parse_server(text, port)
    return (host if host not in ("0.0.0.0", "::", "") else "127.0.0.1"), port


class HallClient:
    """An asyncio client: `await HallClient.connect(...)`, then `await client.call(op, **params)`.

    Events are kept in `events` (an asyncio.Queue of event frames).
    """

    def __init__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, keep_events: bool = True
    ) -> None:
        self.reader, self.writer = reader, writer
        self.keep_events = keep_events
        self.decoder = FrameDecoder()
        self.events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.welcome: dict[str, Any] = {}
        self.hello_result: dict[str, Any] = {}
        self._ids = itertools.count(1)
        self._waiting: dict[Any, asyncio.Future[dict[str, Any]]] = {}
        self._reader_task: asyncio.Task[None] | None = None
        self._heartbeat_task: asyncio.Task[None] | None = None
        self._last_sent = time.monotonic()
        self._welcome_seen: asyncio.Future[dict[str, Any]] = (
            asyncio.get_running_loop().create_future()
        )

    @classmethod
    async def connect(
        cls,
        host: str,
        port: int,
        role: str,
        client: str,
        key: str | None = None,
        counter: int | None = None,
        keep_events: bool = True,
        timeout: float | None = None,
    ) -> HallClient:
        """Connect, read the welcome and say hello; HallError if the hall refuses the hello.

        `timeout` bounds all three (a TimeoutError says which did not come in time); without
        it the connect takes what the system allows and the welcome WELCOME_TIMEOUT_S.
        """
        started = time.monotonic()
        bound = WELCOME_TIMEOUT_S if timeout is None else timeout

        def left() -> float | None:
            return None if timeout is None else max(0.0, timeout - (time.monotonic() - started))

        try:
            opening = asyncio.open_connection(host, port, limit=1 << 17)
            reader, writer = await asyncio.wait_for(opening, left())
        except TimeoutError:
            if timeout is None:
                raise  # the system's own connect time-out, which says what it is
            raise TimeoutError(f"no connection within {bound:.2g} s: is the server up?") from None
        self = cls(reader, writer, keep_events)
        self._reader_task = asyncio.get_running_loop().create_task(self._read())
        try:
            try:
                wait = WELCOME_TIMEOUT_S if timeout is None else left()
                self.welcome = await asyncio.wait_for(self._welcome_seen, wait)
            except TimeoutError:
                raise TimeoutError(
                    f"no welcome within {bound:.2g} s: is this a hall server's port?"
                ) from None
            hello = build_hello(self.welcome, role, client, key, counter)
            try:
                self.hello_result = await asyncio.wait_for(self.call("hello", **hello), left())
            except TimeoutError:
                if timeout is None:
                    raise
                raise TimeoutError(f"no answer to the hello within {bound:.2g} s") from None
        except BaseException:
            await self.close()  # no socket or reader task is left behind by a refused hello
            raise
        self._heartbeat_task = asyncio.get_running_loop().create_task(self._heartbeat())
        return self

    async def _heartbeat(self) -> None:
        """A ping whenever nothing was sent for HEARTBEAT_S, so an idle client stays connected."""
        try:
            while True:
                await asyncio.sleep(HEARTBEAT_S - (time.monotonic() - self._last_sent))
                if time.monotonic() - self._last_sent >= HEARTBEAT_S:
                    await self.send("ping")
        except (ConnectionError, OSError):
            pass

    async def _read(self) -> None:
        try:
            while True:
                data = await self.reader.read(1 << 16)
                if not data:
                    break
                for frame in self.decoder.feed(data):
                    if isinstance(frame, BadFrame):
                        continue
                    if "event" in frame:
                        if frame["event"] == "welcome" and not self._welcome_seen.done():
                            self._welcome_seen.set_result(frame.get("data") or {})
                        elif self.keep_events:
                            self.events.put_nowait(frame)
                    else:
                        future = self._waiting.pop(frame.get("id"), None)
                        if future and not future.done():
                            future.set_result(frame)
        except (ConnectionError, OSError):
            pass
        finally:
            for future in self._waiting.values():
                if not future.done():
                    future.set_exception(ConnectionError("connection to the hall server closed"))
            self._waiting.clear()
            if not self._welcome_seen.done():
                self._welcome_seen.set_exception(
                    ConnectionError("the server closed before its welcome")
                )

    @property
    def closed(self) -> bool:
        """Whether the connection is gone (nothing more will be read)."""
        return self._reader_task is not None and self._reader_task.done()

    async def wait_closed(self) -> None:
        """Return once the server has closed the connection (or it was lost)."""
        if self._reader_task is not None:
            await asyncio.shield(self._reader_task)

    async def next_event(self) -> dict[str, Any] | None:
        """The next event frame; None once the connection is gone."""
        reader = self._reader_task
        while reader is not None and not reader.done():
            getter = asyncio.ensure_future(self.events.get())
            done, _ = await asyncio.wait({getter, reader}, return_when=asyncio.FIRST_COMPLETED)
            if getter in done:
                return getter.result()
            getter.cancel()
        return None

    async def send(self, op: str, **params: Any) -> dict[str, Any]:
        """Send a request and return the whole reply frame (ok or error)."""
        if self.closed:
            # Nobody would ever read the reply: the connection is gone.
            raise ConnectionError("connection to the hall server closed")
        rid = next(self._ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[rid] = future
        self._last_sent = time.monotonic()
        self.writer.write(encode({"id": rid, "op": op, **params}))
        await self.writer.drain()
        return await future

    async def call(self, op: str, **params: Any) -> dict[str, Any]:
        """Send a request and return its result; HallError for an error reply."""
        return result_of(await self.send(op, **params))

    async def call_all(self, op: str, **params: Any) -> dict[str, Any]:
        """Every page of a paged op (`catalog`, `snapshot`) joined into one result."""
        collector = PageCollector(op)
        more: dict[str, Any] | None = {}
        while more is not None:
            more = collector.feed_frame(await self.send(op, **params, **more))
        return collector.whole or {}

    async def close(self) -> None:
        if self._heartbeat_task is not None:
            self._heartbeat_task.cancel()
        self.writer.close()
        try:
            await self.writer.wait_closed()
        except (ConnectionError, OSError):
            pass
        if self._reader_task:
            await asyncio.gather(self._reader_task, return_exceptions=True)
        if self._heartbeat_task is not None:
            await asyncio.gather(self._heartbeat_task, return_exceptions=True)


class BlockingHallClient:
    """A blocking client on a plain socket: for the command line, tests and scripts."""

    def __init__(
        self,
        host: str,
        port: int,
        role: str,
        client: str,
        key: str | None = None,
        counter: int | None = None,
        timeout: float = 10.0,
        hello: bool = True,
        source: str | None = None,
    ) -> None:
        # `source`: the local address to connect from (tests use other loopback addresses).
        self.sock = socket.create_connection(
            (host, port), timeout=timeout, source_address=(source, 0) if source else None
        )
        self.decoder = FrameDecoder()
        self.events: deque[dict[str, Any]] = deque()
        self._replies: dict[Any, dict[str, Any]] = {}
        self._ids = itertools.count(1)
        self._frames: deque[dict[str, Any]] = deque()
        welcome = self._next_frame()
        if welcome.get("event") != "welcome":
            raise HallError("internal", f"expected a welcome, got {welcome!r}")
        self.welcome = welcome["data"]
        self.hello_result: dict[str, Any] = {}
        if hello:
            params = build_hello(self.welcome, role, client, key, counter)
            self.hello_result = self.call("hello", **params)

    def _next_frame(self) -> dict[str, Any]:
        while True:
            frames = self._frames
            if frames:
                return frames.popleft()
            data = self.sock.recv(1 << 16)
            if not data:
                raise ConnectionError("connection to the hall server closed")
            for frame in self.decoder.feed(data):
                if isinstance(frame, BadFrame):
                    raise HallError("bad_frame", f"server sent a bad frame: {frame.reason}")
                frames.append(frame)

    def send_raw(self, data: bytes) -> None:
        self.sock.sendall(data)

    def post(self, op: str, **params: Any) -> int:
        """Send a request without waiting; `reply(id)` fetches its reply later."""
        rid = next(self._ids)
        self.sock.sendall(encode({"id": rid, "op": op, **params}))
        return rid

    def send(self, op: str, **params: Any) -> dict[str, Any]:
        """Send a request; return the whole reply frame. Events met meanwhile go to `events`."""
        return self.reply(self.post(op, **params))

    def reply(self, rid: Any) -> dict[str, Any]:
        while rid not in self._replies:
            frame = self._next_frame()
            if "event" in frame:
                self.events.append(frame)
            else:
                self._replies[frame.get("id")] = frame
        return self._replies.pop(rid)

    def call(self, op: str, **params: Any) -> dict[str, Any]:
        return result_of(self.send(op, **params))

    def call_all(self, op: str, **params: Any) -> dict[str, Any]:
        """Every page of a paged op (`catalog`, `snapshot`) joined into one result."""
        collector = PageCollector(op)
        more: dict[str, Any] | None = {}
        while more is not None:
            more = collector.feed_frame(self.send(op, **params, **more))
        return collector.whole or {}

    def next_frame(self) -> dict[str, Any]:
        """The next frame of any kind (events first from what was already read)."""
        if self.events:
            return self.events.popleft()
        return self._next_frame()

    def wait_event(self, name: str | None = None) -> dict[str, Any]:
        """The next event (of `name`, skipping others) — blocks up to the socket timeout."""
        while True:
            if self.events:
                frame = self.events.popleft()
            else:
                frame = self._next_frame()
                if "event" not in frame:
                    self._replies[frame.get("id")] = frame
                    continue
            if name is None or frame["event"] == name:
                return frame

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self) -> BlockingHallClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
