"""The hall as it is now (`snapshot`), in pages when it does not fit one frame.

A client that connects, or that missed events, asks for a snapshot and then follows the
events from its `seq`. A county hall's snapshot can be bigger than a frame: it is split
into pages, and the further pages are kept a while for the clients fetching them. Clients
asking at the same seq within SNAPSHOT_SHARE_S share one copy, so a hall's boards resyncing
together cost one.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from datetime import datetime
from typing import Any

from shared.domain.clock import iso
from shared.domain.errors import ErrorCode, ErrorReason, HallError
from shared.domain.limits import MAX_SNAPSHOT_KIOSKS, split_pages
from shared.server import queries, wire
from shared.server.core import Caller, Outcome, ServiceCore

RECENT_CALLS = 10
SNAPSHOT_PAGES_KEPT = 16  # paged snapshots kept for their further pages (shared by clients)
SNAPSHOT_PAGE_TTL_S = 60.0  # how long the further pages of a snapshot can be fetched
SNAPSHOT_SHARE_S = 5.0  # clients asking at the same seq within this share one paged snapshot

Pages = tuple[float, int, list[dict[str, Any]]]  # made at (monotonic), seq, the pages


class Snapshots(ServiceCore):
    """The snapshot op and `ping`."""

    login_alert: dict[str, Any] | None  # the latest lockout alert (shared.server.login)
    # nonce -> paged snapshot whose further pages may be fetched, the oldest first.
    snapshot_pages: OrderedDict[str, Pages]

    def snapshot(self, now: datetime | None = None) -> dict[str, Any]:
        now = now or self.clock.now()
        day = self.day(now)
        return {
            "seq": self.seq,
            "hall": self.hall,
            "day": day,
            "counters": [self.counter_json(r) for r in queries.counters(self.conn)],
            "recent_calls": [
                wire.call_json(r) for r in queries.recent_calls(self.conn, day, RECENT_CALLS)
            ],
            "waiting": self.waiting_counts(),
            "issuing": self.issuing_now(now)[0],
            "kiosks": [
                wire.kiosk_json(dict(r), self.config)
                for r in queries.latest_kiosks(self.conn, MAX_SNAPSHOT_KIOSKS)
            ],
            "login_alert": self.current_alert(now),
        }

    def current_alert(self, now: datetime) -> dict[str, Any] | None:
        alert = self.login_alert
        if alert is None or alert["until"] <= iso(now) or alert["day"] != self.day(now):
            return None
        return {k: v for k, v in alert.items() if k != "day"}

    def op_ping(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        return Outcome(result={"server_time": iso(now)})

    def op_snapshot(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        """The hall as it is; a snapshot too big for one frame comes in pages (`next`)."""
        token = params.get("page")
        if token is None:
            nonce, kept = self.shared_pages(now)
            index = 0
        else:
            nonce, _, index_text = str(token).partition(".")
            found = self.snapshot_pages.get(nonce)
            index = int(index_text) if index_text.isdigit() else 0
            if (
                found is None
                or not 0 < index < len(found[2])
                or time.monotonic() - found[0] > SNAPSHOT_PAGE_TTL_S
            ):
                raise HallError(
                    ErrorCode.CONFLICT,
                    "that snapshot page is no longer kept; ask for a new snapshot",
                    reason=ErrorReason.PAGE_EXPIRED,
                )
            kept = found
        pages = kept[2]
        page = dict(pages[index])
        page["next"] = f"{nonce}.{index + 1}" if index + 1 < len(pages) else None
        return Outcome(result=page)

    def shared_pages(self, now: datetime) -> tuple[str, Pages]:
        """The latest paged snapshot when it is still current, else a new one (kept if paged)."""
        latest = next(reversed(self.snapshot_pages), None)
        kept = self.snapshot_pages[latest] if latest is not None else None
        if (
            latest is not None
            and kept is not None
            and kept[1] == self.seq
            and time.monotonic() - kept[0] <= SNAPSHOT_SHARE_S
        ):
            return latest, kept
        pages = split_pages(self.snapshot(now), ("counters", "kiosks"), ("seq",))
        nonce, made = secrets.token_hex(8), (time.monotonic(), self.seq, pages)
        if len(pages) > 1:
            self.snapshot_pages[nonce] = made
            while len(self.snapshot_pages) > SNAPSHOT_PAGES_KEPT:
                self.snapshot_pages.popitem(last=False)
        return nonce, made
