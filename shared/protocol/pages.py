"""Joining the pages of a `catalog` or `snapshot` reply (docs/protocol.md, "Pages").

A big hall's catalog or snapshot does not fit one frame: the reply carries `next`, and the
client asks again with `after` (catalog) or `page` (snapshot) until `next` is empty. A page
of another catalog `version`, or another snapshot `seq`, than the first means the whole
changed while it was read: reading starts over, a few times at most. Every client joins
pages through `PageCollector`, whatever carries its frames.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.domain.errors import ErrorReason, PagingError
from shared.protocol.replies import Reply, error_reason, result_of

PAGED_OPS = ("catalog", "snapshot")
MAX_PAGE_RESTARTS = 3  # a catalog that keeps changing while it is read is given up on


class PageCollector:
    """Joins the pages of a `catalog` or `snapshot` reply.

    `feed(result)` takes one page and returns the params of the next request, or None when
    the whole reply is in `whole`. A catalog page of another `version` than the first starts
    the reading over (at most MAX_PAGE_RESTARTS times)."""

    def __init__(self, op: str) -> None:
        if op not in PAGED_OPS:
            raise ValueError(f"{op!r} is not paged")
        self.op = op
        self.whole: dict[str, Any] | None = None
        self.restarts = 0
        self.pages = 0

    def restart(self) -> dict[str, Any]:
        self.restarts += 1
        if self.restarts > MAX_PAGE_RESTARTS:
            raise PagingError(f"the {self.op} changed {self.restarts} times while it was read")
        self.whole = None
        return {}

    def feed(self, result: dict[str, Any]) -> dict[str, Any] | None:
        self.pages += 1
        nxt = result.get("next")
        if self.whole is None:
            self.whole = dict(result)
            for key in ("services", "counters", "kiosks"):
                if isinstance(self.whole.get(key), list):
                    self.whole[key] = list(self.whole[key])
        elif self.op == "catalog":
            if result.get("version") != self.whole.get("version"):
                return self.restart()
            self.whole["services"].extend(_items(result, "services"))
            for key in ("issuing", "categories", "hall"):
                if key in result:
                    self.whole[key] = result[key]
        else:
            if result.get("seq") != self.whole.get("seq"):  # not of one moment: read again
                return self.restart()
            for key in ("counters", "kiosks"):
                self.whole.setdefault(key, []).extend(_items(result, key))
        if not isinstance(nxt, str) or not nxt:
            self.whole["next"] = None
            return None
        return {"after": nxt} if self.op == "catalog" else {"page": nxt}

    def feed_frame(self, frame: dict[str, Any]) -> dict[str, Any] | None:
        """`feed` for a whole reply frame: an expired page starts over, another error raises
        HallError, PagingError when the whole keeps changing."""
        if error_reason(frame) == ErrorReason.PAGE_EXPIRED:
            return self.restart()
        return self.feed(result_of(frame))


def _items(result: dict[str, Any], key: str) -> list[Any]:
    value = result.get(key)
    return value if isinstance(value, list) else []


Request = Callable[[str, dict[str, Any], Callable[[Any], None]], Any]


def fetch_pages(
    request: Request,
    op: str,
    callback: Callable[[Reply], None],
    params: dict[str, Any] | None = None,
) -> None:
    """Ask for every page of `op` through `request(op, params, callback)` (a HallConnection's
    or a test port's); `callback` gets one Reply whose result is the whole, joined reply."""
    collector = PageCollector(op)
    base = dict(params or {})

    def on_reply(reply: Any) -> None:
        try:
            if not reply.ok:
                if getattr(reply, "reason", "") == ErrorReason.PAGE_EXPIRED:
                    request(op, {**base, **collector.restart()}, on_reply)
                    return
                callback(reply)
                return
            more = collector.feed(reply.result)
        except PagingError as exc:
            callback(Reply(False, {}, "conflict", str(exc), "catalog_changed"))
            return
        if more is None:
            callback(Reply(True, collector.whole or {}))
        else:
            request(op, {**base, **more}, on_reply)

    request(op, dict(base), on_reply)
