"""The web process's one connection to the hall server, as a read-only display client.

It keeps what the open pages show: the view of every ticket that has a page open (by its
token) and the hall's latest calls and waiting counts. Every hall event marks them stale;
one refresher asks the server again (`ticket_view` for the watched tokens, in chunks, and
`snapshot` when a hall page is open) and hands each changed view to the pages that show it.
Events that arrive during a refresh cause one more refresh, never one per event.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from shared.client.connection import HallClient
from shared.domain.errors import HallError
from shared.protocol.ops import DISPLAY, MAX_VIEW_TOKENS
from shared.protocol.retry import Backoff

log = logging.getLogger(__name__)

CATALOG_REFRESH_S = 300.0  # department names are re-read this often (catalog import)
RETRY_MIN_S, RETRY_MAX_S = 0.5, 5.0  # waits between attempts to reach the hall server
ASK_TIMEOUT_S = 10.0  # a request the hall server has not answered by then has failed


class Slot:
    """The latest value for one page's stream: a slow reader skips to the newest, never queues."""

    def __init__(self) -> None:
        self.value: Any = None
        self.version = 0
        self._changed = asyncio.Event()

    def put(self, value: Any) -> None:
        self.value = value
        self.version += 1
        self._changed.set()

    async def wait(self, seen: int, timeout: float) -> bool:
        """Wait until the version is past `seen` (True) or `timeout` passes (False)."""
        if self.version > seen:
            return True
        self._changed.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)
        return self.version > seen


@dataclass
class Watch:
    view: dict[str, Any] | None = None
    text: str = ""  # the view as JSON, to tell a change from a repeat
    slots: set[Slot] = field(default_factory=set)


class HallLink:
    def __init__(self, host: str, port: int, key: str | None, client_name: str = "web") -> None:
        self.host, self.port, self.key, self.client_name = host, port, key, client_name
        self.client: HallClient | None = None
        self.online = asyncio.Event()
        self.watches: dict[str, Watch] = {}
        self.hall_slots: set[Slot] = set()
        self.hall: dict[str, Any] | None = None  # snapshot + category names
        self._hall_text = ""
        self._categories: list[dict[str, Any]] = []
        self._catalog_at = -CATALOG_REFRESH_S
        self._stale = asyncio.Event()
        self._urgent: set[str] = set()  # tokens of tickets an event just named
        self._token_of: dict[int, str] = {}  # ticket id -> token, of the watched tickets
        self._carried: list[str] = []  # tokens a refresh round did not reach
        self._tasks: list[asyncio.Task[None]] = []

    # -- running ------------------------------------------------------------------------------

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._connect_loop()), loop.create_task(self._refresher())]

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.client:
            await self.client.close()

    async def _connect_loop(self) -> None:
        backoff = Backoff(RETRY_MIN_S, RETRY_MAX_S)
        while True:
            try:
                client = await HallClient.connect(
                    self.host, self.port, DISPLAY, self.client_name, key=self.key
                )
            except (OSError, ConnectionError, TimeoutError, HallError) as exc:
                if backoff.failed():
                    log.warning(
                        "cannot reach the hall server at %s:%s (%s); retrying",
                        self.host,
                        self.port,
                        exc,
                    )
                await asyncio.sleep(backoff.next())
                continue
            if backoff.failures:
                log.info("connected to the hall server at %s:%s", self.host, self.port)
            backoff.succeeded()
            backoff.reset()
            self.client = client
            self.online.set()
            self._catalog_at = -CATALOG_REFRESH_S
            for watch in self.watches.values():
                watch.text = ""  # every page hears again, so "cannot be reached" goes away
            self._hall_text = ""
            self._stale.set()
            while (frame := await client.next_event()) is not None:
                if frame.get("event") != "kiosk_changed":
                    self._note_event(frame)  # every page is stale now
            self.client = None
            self.online.clear()
            log.warning("lost the hall server at %s:%s; reconnecting", self.host, self.port)
            self._publish_all()  # pages say the hall cannot be reached
            await client.close()

    def _note_event(self, frame: dict[str, Any]) -> None:
        """Every page is stale now; the pages of a ticket the event names are asked first."""
        data = frame.get("data")
        ticket = data.get("ticket") if isinstance(data, dict) else None
        if isinstance(ticket, dict):
            token = self._token_of.get(ticket.get("id"))  # type: ignore[arg-type]
            if token is not None:
                self._urgent.add(token)
        self._stale.set()

    async def _refresher(self) -> None:
        while True:
            await self._stale.wait()
            self._stale.clear()
            client = self.client
            if client is None:
                continue
            try:
                await self._refresh(client)
            except (ConnectionError, OSError, HallError) as exc:
                log.warning("refreshing the pages failed: %s", exc)
            except Exception:
                log.exception("refreshing the pages failed")

    async def _ask(self, client: HallClient, op: str, **params: Any) -> dict[str, Any]:
        """One request; a server that does not answer in ASK_TIMEOUT_S does not stall the pages."""
        try:
            return await asyncio.wait_for(client.call(op, **params), ASK_TIMEOUT_S)
        except TimeoutError:
            raise ConnectionError(
                f"the hall server did not answer '{op}' in {ASK_TIMEOUT_S:g} s"
            ) from None

    async def _refresh(self, client: HallClient) -> None:
        started = time.perf_counter()
        urgent = [t for t in self._urgent if t in self.watches][:MAX_VIEW_TOKENS]
        self._urgent.difference_update(urgent)
        # Those a round cut short go first next time, so no page waits behind the others.
        carried = [t for t in self._carried if t in self.watches and t not in urgent]
        first = set(urgent) | set(carried)
        others = carried + [t for t in self.watches if t not in first]
        # The tickets an event named first, on their own (a called resident sees it at once);
        # then the others, one chunk after the other, so counters are answered in between. A
        # new event naming a watched ticket cuts the round short: that page goes first.
        chunks = [urgent] if urgent else []
        chunks += [
            others[start : start + MAX_VIEW_TOKENS]
            for start in range(0, len(others), MAX_VIEW_TOKENS)
        ]
        self._carried = []
        for n, chunk in enumerate(chunks):
            if chunk is not urgent and self._urgent:
                self._carried = [t for c in chunks[n:] for t in c]
                self._stale.set()
                break
            result = await self._ask(client, "ticket_view", tokens=chunk)
            for view in result.get("views", []):
                self._set_view(view)
            if chunk is urgent:
                await asyncio.sleep(0)  # let the called resident's stream write first
        if self.hall_slots:
            await self._refresh_hall(client)
        else:  # no hall page open: the next one asks afresh
            self.hall, self._hall_text = None, ""
        log.debug(
            "refreshed %d ticket pages in %.1f ms",
            len(urgent) + len(others),
            (time.perf_counter() - started) * 1000,
        )

    async def _refresh_hall(self, client: HallClient) -> None:
        now = asyncio.get_running_loop().time()
        if now - self._catalog_at >= CATALOG_REFRESH_S:
            catalog = await self._ask(client, "catalog")
            self._categories = [
                {"code": c.get("code"), "name": c.get("name"), "name_en": c.get("name_en")}
                for c in catalog.get("categories", [])
                if isinstance(c, dict)
            ]
            self._catalog_at = now
        snapshot = await self._ask(client, "snapshot")
        hall = {
            "hall": snapshot.get("hall", ""),
            "day": snapshot.get("day", ""),
            "recent_calls": snapshot.get("recent_calls", []),
            "waiting": snapshot.get("waiting", {}),
            "counters": [
                {"number": c.get("number"), "name": c.get("name")}
                for c in snapshot.get("counters", [])
                if isinstance(c, dict)
            ],
            "categories": self._categories,
        }
        text = json.dumps(hall, sort_keys=True, ensure_ascii=False)
        self.hall = hall
        if text != self._hall_text:
            self._hall_text = text
            for slot in self.hall_slots:
                slot.put(hall)

    def _set_view(self, view: dict[str, Any]) -> None:
        watch = self.watches.get(str(view.get("token")))
        if watch is None:
            return
        ticket = view.get("ticket")
        if isinstance(ticket, dict) and isinstance(ticket.get("id"), int):
            self._token_of[ticket["id"]] = str(view["token"])
        text = json.dumps(view, sort_keys=True, ensure_ascii=False)
        if text == watch.text:
            return
        watch.view, watch.text = view, text
        for slot in watch.slots:
            slot.put(view)

    def _publish_all(self) -> None:
        for watch in self.watches.values():
            for slot in watch.slots:
                slot.put(watch.view)
        for slot in self.hall_slots:
            slot.put(self.hall)

    # -- what the pages ask -------------------------------------------------------------------

    async def ticket_view(self, token: str) -> dict[str, Any] | None:
        """The view of one ticket (the watched one when a page of it is open); None offline."""
        watch = self.watches.get(token)
        if watch and watch.view is not None and self.online.is_set():
            return watch.view
        client = self.client
        if client is None:
            return None
        try:
            result = await self._ask(client, "ticket_view", tokens=[token])
        except (ConnectionError, OSError, HallError) as exc:
            log.warning("ticket_view failed: %s", exc)
            return None
        views = result.get("views") or [None]
        view = views[0]
        if watch is not None and isinstance(view, dict):
            self._set_view(view)
        return view if isinstance(view, dict) else None

    async def hall_view(self) -> dict[str, Any] | None:
        if self.hall is not None and self.online.is_set():
            return self.hall
        client = self.client
        if client is None:
            return self.hall
        try:
            await self._refresh_hall(client)
        except (ConnectionError, OSError, HallError) as exc:
            log.warning("snapshot failed: %s", exc)
        return self.hall

    def watch(self, token: str, slot: Slot, view: dict[str, Any]) -> None:
        watch = self.watches.get(token)
        if watch is None:
            # New to the refresher: ask again now, so a change since `view` was read is not missed.
            watch = self.watches[token] = Watch(
                view, json.dumps(view, sort_keys=True, ensure_ascii=False)
            )
            ticket = view.get("ticket")
            if isinstance(ticket, dict) and isinstance(ticket.get("id"), int):
                self._token_of[ticket["id"]] = token
            self._stale.set()
        watch.slots.add(slot)

    def unwatch(self, token: str, slot: Slot) -> None:
        watch = self.watches.get(token)
        if watch is None:
            return
        watch.slots.discard(slot)
        if not watch.slots:
            del self.watches[token]
            ticket = (watch.view or {}).get("ticket")
            if isinstance(ticket, dict):
                self._token_of.pop(ticket.get("id"), None)  # type: ignore[arg-type]
