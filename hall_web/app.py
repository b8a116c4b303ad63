"""`queue-hall web`: the residents' ticket pages and the hall page, served to the guest Wi-Fi.

A process of its own that joins the hall as a read-only display client (it never opens the
database and holds no clerk rights) and serves HTTP with server-sent events:

    /               the hall page: latest calls, waiting per department (live)
    /t/<token>      one ticket's page, opened from the QR code on the ticket (live)
    /t/<token>/events, /events   the pages' server-sent event streams
    /static/...     the pages' one script and one style sheet (nothing from the internet)

The limits (hall_web.command, README) guard the hall from the public side.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import socket
import sys
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from hall_web import pages
from hall_web.command import (
    LIMIT_BURST,
    LIMIT_MISSES,
    LIMIT_RATE,
    LIMIT_STREAMS,
    LIMIT_STREAMS_PER_ADDRESS,
)
from hall_web.link import HallLink, Slot
from shared.domain.errors import QueueHallError
from shared.protocol.ticket_token import normalize

log = logging.getLogger("queue_hall.web")

HEARTBEAT_S = 15.0  # a comment line on quiet streams, so dead connections are noticed
TRACKED_ADDRESSES = 10_000  # the rate limiter forgets the least recently seen beyond this

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; media-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Server": "queue-hall",
}
STATIC_TYPES = {"app.js": "text/javascript", "style.css": "text/css"}


class ListenError(QueueHallError):
    pass


class Buckets:
    """Token buckets per address: `rate` tokens a second up to `burst`; least recent forgotten."""

    def __init__(self, rate: float, burst: float, size: int = TRACKED_ADDRESSES) -> None:
        self.rate, self.burst, self.size = rate, burst, size
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, address: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        tokens, at = self._buckets.pop(address, (self.burst, now))
        tokens = min(self.burst, tokens + (now - at) * self.rate)
        allowed = tokens >= 1
        self._buckets[address] = (tokens - 1 if allowed else tokens, now)
        if len(self._buckets) > self.size:
            self._buckets.popitem(last=False)
        return allowed


class WebApp:
    def __init__(
        self,
        link: HallLink,
        *,
        rate: float = LIMIT_RATE,
        burst: int = LIMIT_BURST,
        misses_per_minute: int = LIMIT_MISSES,
        max_streams: int = LIMIT_STREAMS,
        max_streams_per_address: int = LIMIT_STREAMS_PER_ADDRESS,
    ) -> None:
        self.link = link
        self.requests = Buckets(rate, burst)
        self.misses = Buckets(misses_per_minute / 60, misses_per_minute)
        self.max_streams = max_streams
        self.max_streams_per_address = max_streams_per_address
        self.streams = 0
        self.streams_by_address: dict[str, int] = {}
        self.static = {
            name: (Path(__file__).parent / "static" / name).read_bytes() for name in STATIC_TYPES
        }
        self.stopping = asyncio.Event()

    def build(self) -> web.Application:
        app = web.Application(middlewares=[self.guard], client_max_size=4096)
        app.router.add_get("/", self.hall_page)
        app.router.add_get("/events", self.hall_events)
        app.router.add_get("/t/{token}", self.ticket_page)
        app.router.add_get("/t/{token}/events", self.ticket_events)
        app.router.add_get("/static/{name}", self.static_file)
        app.router.add_get("/healthz", self.health)
        app.on_shutdown.append(self._on_shutdown)
        return app

    async def _on_shutdown(self, app: web.Application) -> None:
        self.stopping.set()

    # -- every request ------------------------------------------------------------------------

    @staticmethod
    def address(request: web.Request) -> str:
        return request.remote or "?"

    @staticmethod
    def lang(request: web.Request) -> str:
        return pages.pick_lang(request.query.get("lang"), request.headers.get("Accept-Language"))

    def _html(self, text: str, status: int = 200) -> web.Response:
        return web.Response(
            text=text,
            status=status,
            content_type="text/html",
            charset="utf-8",
            headers={"Cache-Control": "no-store"},
        )

    def notice(self, request: web.Request, kind: str, status: int, **values: Any) -> web.Response:
        return self._html(pages.notice_page(self.lang(request), kind, **values), status)

    @web.middleware
    async def guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Rate limits, security headers, and no stack trace ever reaches the browser."""
        response: web.StreamResponse
        # /healthz (for monitoring) costs no more than a refusal would, so it is not counted.
        if request.path != "/healthz" and not self.requests.take(self.address(request)):
            response = self.notice(request, "busy", 429)
            response.headers["Retry-After"] = "5"
        else:
            try:
                response = await handler(request)
            except web.HTTPException as exc:
                if exc.status == 404:
                    response = self.notice(request, "not_found", 404)
                elif exc.status < 400:
                    raise
                else:
                    response = self.notice(request, "error", exc.status)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("%s %s failed", request.method, request.path)
                response = self.notice(request, "error", 500)
        if not response.prepared:  # a stream has sent its headers already (set them itself)
            response.headers.update(SECURITY_HEADERS)
        return response

    # -- pages --------------------------------------------------------------------------------

    async def health(self, request: web.Request) -> web.Response:
        online = self.link.online.is_set()
        return web.json_response(
            {"hall_online": online, "streams": self.streams}, status=200 if online else 503
        )

    async def static_file(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in self.static:
            raise web.HTTPNotFound()
        return web.Response(
            body=self.static[name],
            content_type=STATIC_TYPES[name],
            charset="utf-8",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    async def _view_or_notice(
        self, request: web.Request
    ) -> tuple[str, dict[str, Any] | None, web.Response | None]:
        token = normalize(request.match_info["token"])
        address = self.address(request)
        if token is None:
            if not self.misses.take(address):
                return "", None, self.notice(request, "busy", 429)
            return "", None, self.notice(request, "unknown", 404)
        view = await self.link.ticket_view(token)
        if view is None:
            return token, None, self.notice(request, "unavailable", 503)
        status = view.get("status")
        if status == "ok":
            return token, view, None
        if not self.misses.take(address):
            return token, None, self.notice(request, "busy", 429)
        if status == "other_day":
            return (
                token,
                None,
                self.notice(
                    request,
                    "other_day",
                    410,
                    day=view.get("day", ""),
                    number=view.get("number", ""),
                ),
            )
        return token, None, self.notice(request, "unknown", 404)

    async def ticket_page(self, request: web.Request) -> web.Response:
        token, view, refused = await self._view_or_notice(request)
        if refused is not None:
            return refused
        assert view is not None
        return self._html(pages.ticket_page(view, self.lang(request), token))

    async def hall_page(self, request: web.Request) -> web.Response:
        hall = await self.link.hall_view()
        if hall is None:
            return self.notice(request, "unavailable", 503)
        return self._html(pages.hall_page(hall, self.lang(request), self.link.online.is_set()))

    # -- live streams -------------------------------------------------------------------------

    def _open_stream(self, request: web.Request) -> web.Response | None:
        address = self.address(request)
        if (
            self.streams >= self.max_streams
            or self.streams_by_address.get(address, 0) >= self.max_streams_per_address
        ):
            response = self.notice(request, "full", 503)
            response.headers["Retry-After"] = "10"
            return response
        self.streams += 1
        self.streams_by_address[address] = self.streams_by_address.get(address, 0) + 1
        return None

    def _close_stream(self, request: web.Request) -> None:
        address = self.address(request)
        self.streams -= 1
        left = self.streams_by_address.get(address, 1) - 1
        if left:
            self.streams_by_address[address] = left
        else:
            self.streams_by_address.pop(address, None)

    async def _stream(
        self, request: web.Request, slot: Slot, render: Callable[[Any], dict[str, Any]]
    ) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream; charset=utf-8",
                "Cache-Control": "no-store",
                "X-Accel-Buffering": "no",
                **SECURITY_HEADERS,
            }
        )
        await response.prepare(request)
        await response.write(b"retry: 2000\n\n")
        seen = -1
        try:
            while not self.stopping.is_set():
                if await slot.wait(seen, HEARTBEAT_S):
                    seen = slot.version
                    data = json.dumps(render(slot.value), ensure_ascii=False)
                    await response.write(f"data: {data}\n\n".encode())
                else:
                    await response.write(b": keep-alive\n\n")
        except (ConnectionError, OSError):
            pass
        return response

    async def ticket_events(self, request: web.Request) -> web.StreamResponse:
        token, view, refused = await self._view_or_notice(request)
        if refused is not None:
            return refused
        assert view is not None
        refused = self._open_stream(request)
        if refused is not None:
            return refused
        lang = self.lang(request)
        slot = Slot()
        slot.put(view)
        self.link.watch(token, slot, view)

        def render(value: dict[str, Any] | None) -> dict[str, Any]:
            online = self.link.online.is_set()
            if value is None:
                return {"hall_online": online}
            if value.get("status") == "other_day":  # the day ended while the page was open
                day, number = value.get("day", ""), value.get("number", "")
                html = pages.notice_fragment(lang, "other_day", day=day, number=number)
                return {"html": html, "state": "other_day", "hall_online": online}
            if value.get("status") != "ok":
                return {"hall_online": online}
            ticket = value["ticket"]
            return {
                "html": pages.ticket_fragment(value, lang, online),
                "state": ticket["state"],
                "calls": ticket.get("calls", 0),
                "hall_online": online,
            }

        try:
            return await self._stream(request, slot, render)
        finally:
            self.link.unwatch(token, slot)
            self._close_stream(request)

    async def hall_events(self, request: web.Request) -> web.StreamResponse:
        hall = await self.link.hall_view()
        if hall is None:
            return self.notice(request, "unavailable", 503)
        refused = self._open_stream(request)
        if refused is not None:
            return refused
        lang = self.lang(request)
        slot = Slot()
        slot.put(hall)
        self.link.hall_slots.add(slot)

        def render(value: dict[str, Any] | None) -> dict[str, Any]:
            online = self.link.online.is_set()
            if value is None:
                return {"hall_online": online}
            return {"html": pages.hall_fragment(value, lang, online), "hall_online": online}

        try:
            return await self._stream(request, slot, render)
        finally:
            self.link.hall_slots.discard(slot)
            self._close_stream(request)


# -- the command ------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    from shared.client.connection import server_address
    from shared.config.hall import load_config
    from shared.config.logs import setup_logging

    config = load_config(args.config)
    setup_logging(Path(config.log_dir) if config.log_dir else None, "queue-hall-web", args.verbose)
    try:
        hall_host, hall_port = server_address(args.server, config.host, config.port)
    except ValueError as exc:
        print(f"queue-hall web: --server: {exc}", file=sys.stderr)
        return 2
    host = args.host or config.web_host
    port = config.web_port if args.port is None else args.port
    if not config.web_public_url:
        log.warning(
            "[web] public_url is not set in the hall file: tickets keep their plain QR code "
            "and no phone will find these pages"
        )

    async def run() -> None:
        link = HallLink(hall_host, hall_port, config.key, f"web-{socket.gethostname()[:40]}")
        link.start()
        webapp = WebApp(
            link,
            rate=args.rate,
            burst=args.burst,
            max_streams=args.max_streams,
            max_streams_per_address=args.max_streams_per_address,
        )
        # A closed page ends its stream at once (its slot is free again), not at the next write.
        runner = web.AppRunner(
            webapp.build(), access_log=None, handle_signals=False, handler_cancellation=True
        )
        await runner.setup()
        site = web.TCPSite(runner, host, port, shutdown_timeout=1.0)
        try:
            await site.start()
        except OSError as exc:
            await runner.cleanup()
            await link.close()
            raise ListenError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        bound = runner.addresses[0][1] if port == 0 and runner.addresses else port
        print(
            f"queue-hall web: serving http://{host}:{bound}/ for the hall server at "
            f"{hall_host}:{hall_port}",
            file=sys.stderr,
            flush=True,
        )
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, stop.set)
            except (NotImplementedError, RuntimeError):
                pass
        try:
            await stop.wait()
        finally:
            webapp.stopping.set()
            await runner.cleanup()
            await link.close()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass
    except ListenError as exc:
        print(f"queue-hall web: {exc}", file=sys.stderr)
        return 1
    return 0
