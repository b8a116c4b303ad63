"""What the clerk is told: a `Notice` names its text by key, the view words it.

The model decides *what* happened (ticket A007 finished, B012 called; the server refused a
call as too soon) and never words it: the window translates a key with its arguments, so
one model serves a Chinese and an English window, and a keypad's small screen
(hall_hardware) words the same notices its own way. The server's English message travels
along as `detail`, for the log.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


class ReplyLike(Protocol):
    """A hall reply as the model reads it (shared.client.connection.Reply has these)."""

    ok: bool
    result: dict[str, Any]
    code: str
    message: str
    reason: str


@dataclass(frozen=True)
class Notice:
    """A message for the clerk. `key` names the text (the window translates it);
    `detail` is the server's own message, shown under it."""

    level: str  # "info" | "error"
    key: str
    args: Mapping[str, Any] = field(default_factory=dict)
    detail: str = ""


def error_notice(reply: ReplyLike, op: str = "", ticket: object = "") -> Notice:
    """A refused request: the op, the error code and reason, and the ticket it named."""
    key = "disconnected" if reply.code == "disconnected" else "op_failed"
    args = {
        "code": reply.code,
        "op": op,
        "reason": getattr(reply, "reason", "") or "",
        "ticket": str(ticket) if op else "",
    }
    return Notice("error", key, args, reply.message)


def outcome_notice(
    op: str,
    before: Mapping[str, Any] | None,
    ticket: Mapping[str, Any] | None,
    transfer_to: Mapping[str, Any],
    counter_label: Callable[[int], str],
    service_name: Callable[[str | None], str],
) -> Notice | None:
    """What the clerk is told after an op succeeded: always what happened to which ticket.

    `before` is the ticket held when the op was sent (a call finishes it), `transfer_to`
    the target a transfer was sent with.
    """
    if op in ("call_next", "call"):
        return _call_notice(before, ticket)
    if ticket is None:
        return None
    number = ticket["number"]
    if op == "finish":
        return Notice("info", "finished", {"number": number})
    if op == "no_show":
        return Notice("info", "no_show_done", {"number": number})
    if op == "reactivate":
        return Notice("info", "reactivated", {"number": number})
    if op == "transfer":
        if "counter" in transfer_to:
            to = counter_label(transfer_to["counter"])
            return Notice("info", "transferred_to_counter", {"number": number, "to": to})
        to = service_name(ticket.get("service"))
        return Notice("info", "transferred_to_service", {"number": number, "to": to})
    return None


def _call_notice(
    before: Mapping[str, Any] | None, ticket: Mapping[str, Any] | None
) -> Notice | None:
    """A call finishes the ticket in hand: say so, and who is called (or that nobody waits)."""
    done = before["number"] if before else None
    if ticket is None:
        key = "finished_nobody_waiting" if done else "nobody_waiting"
        return Notice("info", key, {"done": done})
    if done:
        return Notice("info", "finished_and_called", {"done": done, "number": ticket["number"]})
    return None
