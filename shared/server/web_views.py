"""The `ticket_view` op: what a resident's phone shows for the QR code on a ticket.

A web page holds a ticket's token (signed with the hall's secret, so nobody can guess
another's); it asks again on every change, so tokens once proven are remembered. The
place in the queue is the one `call_next` would give, at the counter reaching it first.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from shared.domain.lifecycle import CounterState, TicketState
from shared.protocol.ticket_token import ticket_id_of, verify
from shared.server import queries, wire
from shared.server.core import Caller, CounterView, Outcome, ServiceCore, queued

PROVEN_TOKENS = 20_000  # web tokens remembered as verified (a day's tickets, many times over)


class WebViews(ServiceCore):
    """The ticket views of the hall's web pages."""

    token_secret: str
    proven_tokens: dict[str, int]  # token -> ticket id, of tokens verified once

    def op_ticket_view(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        day = self.day(now)
        counters = self.counter_views()
        # Counters alike (services, streak, open or not, nothing reserved) share one call order.
        alike: dict[tuple[Any, ...], CounterView] = {}
        for c in counters:
            own = c.number if self.queue.has_reserved(c.number) else None
            alike.setdefault((c.services, c.streak, c.state == CounterState.OPEN, own), c)
        orders = list(alike.values())
        names: dict[str, sqlite3.Row | None] = {}
        ids = {token: ticket_id_of(token) for token in params["tokens"]}
        rows = {
            r["id"]: r
            for r in queries.tickets(self.conn, (i for i in ids.values() if i is not None))
        }
        views = []
        for token in params["tokens"]:
            row = rows.get(ids[token])  # type: ignore[arg-type]
            if row is None or not self.token_matches(token, row):
                views.append({"token": token, "status": "unknown"})
            elif row["day"] != day:
                views.append(
                    {
                        "token": token,
                        "status": "other_day",
                        "day": row["day"],
                        "number": row["number"],
                    }
                )
            else:
                if row["service"] not in names:
                    names[row["service"]] = queries.service_names(self.conn, row["service"])
                views.append(self.ticket_view(token, row, names[row["service"]], counters, orders))
        return Outcome(result={"day": day, "views": views})

    def token_matches(self, token: str, row: sqlite3.Row) -> bool:
        """Whether `token` is the one made for this ticket (pages ask again on every change, so
        a token once proven is remembered; the cache is bounded)."""
        known = self.proven_tokens.get(token)
        if known is not None:
            return known == row["id"]
        if not verify(self.token_secret, token, row["id"], row["day"]):
            return False
        if len(self.proven_tokens) >= PROVEN_TOKENS:
            self.proven_tokens.clear()
        self.proven_tokens[token] = row["id"]
        return True

    def ticket_view(
        self,
        token: str,
        row: sqlite3.Row,
        names: sqlite3.Row | None,
        counters: list[CounterView],
        orders: list[CounterView],
    ) -> dict[str, Any]:
        counter_name = None
        if row["counter"] is not None:
            counter = next((c for c in counters if c.number == row["counter"]), None)
            counter_name = counter.name if counter else None
        view = wire.ticket_view_json(token, row, names, counter_name)
        if row["state"] in (TicketState.WAITING, TicketState.PENDING):
            ahead = self.ahead_in_call_order(queued(row), orders)
            view["ahead"] = ahead
            view["est_wait_s"] = self.estimate(row["service"], ahead, counters)
        return view
