"""The ticket ops of kiosks and rating panels: issue, printed, print_failed, kiosk_status, rate.

Issuing is where a hall can be flooded: every issuing client (and every address not on
the server PC itself) has a token bucket, and a priority ticket needs the hall's staff PIN,
which a device guessing it soon stops being asked for. A ticket is pending until its kiosk
says it printed; only that kiosk may confirm or cancel it.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import math
import sqlite3
import time
from datetime import datetime
from typing import Any

from shared.domain.clock import iso
from shared.domain.errors import ErrorCode, ErrorReason, HallError
from shared.domain.lifecycle import Action, TicketState
from shared.domain.numbering import format_number
from shared.protocol.ops import COUNTER, KIOSK
from shared.protocol.server_hello import log_in_first
from shared.protocol.ticket_token import make_token
from shared.server import queries, wire
from shared.server.core import Caller, Outcome, ServiceCore, queued

log = logging.getLogger(__name__)

ISSUE_CLIENTS_KEPT = 1000  # issuing buckets kept before full ones are forgotten
PRIORITY_MISSES = 5  # wrong staff PINs from one address before its priority tickets stop
PRIORITY_LOCK_S = 600.0  # ... for this long after the first of them
# How long after a finish the counter's rating panel may still send the resident's rating
# when the clerk has logged out in between.
RATE_AFTER_LOGOUT_S = 120.0


def loopback(address: str) -> bool:
    """Whether a connection comes from this PC itself (127.0.0.0/8, ::1)."""
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


class TicketOps(ServiceCore):
    """Issuing, confirming and rating tickets."""

    issue_tokens: dict[str, tuple[float, float]]  # client or @address: (tokens, at)
    priority_misses: dict[str, list[float]]  # address: wrong staff PIN times
    token_secret: str  # of the tickets' web tokens

    def take_issue_token(self, caller: Caller, now: datetime) -> None:
        """Every issuing client has a token bucket: `issue_burst` at once, then a steady rate."""
        burst = float(self.config.issue_burst)
        per_s = self.config.issues_per_minute / 60.0
        moment = now.timestamp()
        # A device on the network could change its name for a fresh bucket: one from another
        # machine is also held to four kiosks' worth for its address (not so on the server PC
        # itself, where the demo and the simulator run many kiosks).
        if caller.source and not loopback(caller.source):
            self.take_from(f"@{caller.source}", 4 * burst, 4 * per_s, moment, caller)
        self.take_from(caller.client, burst, per_s, moment, caller)

    def take_from(
        self, key: str, burst: float, per_s: float, moment: float, caller: Caller
    ) -> None:
        tokens, at = self.issue_tokens.get(key, (burst, moment))
        tokens = min(burst, tokens + max(0.0, moment - at) * per_s)
        if tokens < 1.0:
            self.issue_tokens[key] = (tokens, moment)
            wait_s = math.ceil((1.0 - tokens) / per_s)
            raise HallError(
                ErrorCode.ISSUING_CLOSED,
                f"'{caller.client}' takes tickets too fast (at most {self.config.issue_burst} at "
                f"once and {self.config.issues_per_minute} a minute); try again in {wait_s} s",
                reason=ErrorReason.RATE_LIMIT,
                retry_after_s=wait_s,
            )
        if len(self.issue_tokens) >= ISSUE_CLIENTS_KEPT:
            # Full buckets carry no information: forget them (clients that change names).
            self.issue_tokens = {
                client: (left, when)
                for client, (left, when) in self.issue_tokens.items()
                if left + (moment - when) * per_s < burst
            }
        self.issue_tokens[key] = (tokens - 1.0, moment)

    def check_priority_proof(self, caller: Caller, params: dict[str, Any]) -> None:
        """A priority ticket needs the hall's staff PIN, so a device alone cannot grant one."""
        expected = self.config.priority_pin
        if not expected:
            raise HallError(
                ErrorCode.FORBIDDEN,
                "this hall issues no priority tickets (no [kiosk] priority_pin in the hall file)",
                reason=ErrorReason.PRIORITY_PROOF,
            )
        given = params.get("priority_pin")
        source = caller.source or caller.client
        moment = time.monotonic()
        wrong = [t for t in self.priority_misses.get(source, []) if moment - t < PRIORITY_LOCK_S]
        if len(wrong) >= PRIORITY_MISSES:
            # A device guessing the staff PIN: its address gets no priority ticket for a while,
            # whatever names it takes.
            raise HallError(
                ErrorCode.FORBIDDEN,
                f"too many wrong staff PINs from {source}; priority tickets resume in "
                f"{math.ceil(PRIORITY_LOCK_S - (moment - wrong[0]))} s",
                reason=ErrorReason.PRIORITY_PROOF,
            )
        if not isinstance(given, str) or not hmac.compare_digest(given.encode(), expected.encode()):
            if isinstance(given, str):
                self.priority_misses[source] = [*wrong, moment]
            log.warning("priority ticket refused to %s: wrong or missing staff PIN", caller.client)
            raise HallError(
                ErrorCode.FORBIDDEN,
                "a priority ticket needs the staff PIN in 'priority_pin'",
                reason=ErrorReason.PRIORITY_PROOF,
            )

    def op_issue(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        self.take_issue_token(caller, now)
        priority = bool(params.get("priority", False))
        if priority:
            self.check_priority_proof(caller, params)
        service = queries.service(self.conn, params["service"], active_only=True)
        if service is None:
            raise HallError(ErrorCode.NOT_FOUND, f"no service {params['service']!r} in the catalog")
        issuing, why = self.issuing_now(now)
        if not issuing:
            raise HallError(ErrorCode.ISSUING_CLOSED, why, reason=ErrorReason.HOURS)
        day = self.day(now)
        limit = service["daily_limit"]
        if (
            limit is not None
            and queries.tickets_of_service(self.conn, day, service["code"]) >= limit
        ):
            raise HallError(
                ErrorCode.ISSUING_CLOSED,
                f"today's {limit} tickets for {service['name']} have all been taken",
                reason=ErrorReason.DAILY_LIMIT,
            )
        category = queries.category(self.conn, service["category"])
        assert category is not None  # foreign key
        prefix = category["prefix"]
        seq = queries.next_number(self.conn, day, prefix)
        ticket_id = queries.insert_ticket(
            self.conn,
            {
                "day": day,
                "number": format_number(prefix, seq),
                "prefix": prefix,
                "seq": seq,
                "service": service["code"],
                "category": category["code"],
                "priority": priority,
                "state": TicketState.PENDING.value,
                "issued_at": iso(now),
                "order_at": now.timestamp(),
                "order_no": self.next_order_no(),
                "kiosk": caller.client,
            },
        )
        queries.log_ticket(self.conn, ticket_id, day, iso(now), "issue", TicketState.PENDING.value)
        row = self.ticket_row(ticket_id)
        # As call_next will order it: every counter that may take it, not its matter alone.
        counters = self.counter_views()
        ahead = self.ahead_in_call_order(queued(row), counters)
        result = {
            "ticket": wire.ticket_json(row),
            "ahead": ahead,
            "est_wait_s": self.estimate(service["code"], ahead, counters),
        }
        result.update(self.web_link(ticket_id, day))
        return Outcome(result=result)

    def web_link(self, ticket_id: int, day: str) -> dict[str, str]:
        """The ticket's web token, and the URL its QR code holds when the hall has web pages."""
        token = make_token(self.token_secret, ticket_id, day)
        link = {"token": token}
        if self.config.web_public_url:
            link["url"] = f"{self.config.web_public_url}/t/{token}"
        return link

    def require_issuer(self, caller: Caller, row: sqlite3.Row, op: str) -> None:
        """Only the kiosk that issued a ticket may confirm or cancel it (admin tools may too)."""
        if caller.role == KIOSK and row["kiosk"] != caller.client:
            raise HallError(
                ErrorCode.FORBIDDEN,
                f"ticket {row['number']} was issued by another kiosk; only it may send '{op}'",
                reason=ErrorReason.OTHER_KIOSK,
            )

    def op_printed(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        row = self.ticket_row(params["ticket"])
        self.require_issuer(caller, row, "printed")
        if row["state"] in (TicketState.CANCELLED, TicketState.EXPIRED):
            raise HallError(
                ErrorCode.CONFLICT,
                f"ticket {row['number']} is {row['state']}; it cannot be confirmed",
            )
        if row["state"] != TicketState.PENDING:  # already confirmed or released
            return Outcome(result={"ticket": wire.ticket_json(row)})
        ticket = self.transition(row, Action.PRINTED, now, caller, printed_at=iso(now))
        return Outcome(
            result={"ticket": ticket},
            events=[("ticket_issued", {"ticket": ticket}), self.waiting_event()],
        )

    def op_print_failed(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        row = self.ticket_row(params["ticket"])
        self.require_issuer(caller, row, "print_failed")
        if row["state"] != TicketState.PENDING:
            raise HallError(
                ErrorCode.CONFLICT,
                f"ticket {row['number']} is {row['state']}, not pending; it cannot be cancelled",
            )
        reason = params.get("reason") or "print failed"
        ticket = self.transition(
            row, Action.PRINT_FAILED, now, caller, detail=reason, cancel_reason=reason
        )
        return Outcome(result={"ticket": ticket}, events=[("ticket_changed", {"ticket": ticket})])

    def op_kiosk_status(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        previous = queries.kiosk(self.conn, caller.client)
        kiosk = {
            "client": caller.client,
            "printer": params["printer"],
            "message": params.get("message", ""),
            "at": iso(now),
        }
        queries.put_kiosk(self.conn, kiosk)
        changed = previous is None or (previous["printer"], previous["message"]) != (
            kiosk["printer"],
            kiosk["message"],
        )
        kiosk = wire.kiosk_json(kiosk, self.config)
        return Outcome(
            result={"kiosk": kiosk}, events=[("kiosk_changed", {"kiosk": kiosk})] if changed else []
        )

    def op_rate(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        if caller.role == COUNTER and caller.clerk is None:
            # Who may ask comes before what was asked: with nobody logged in, only a ticket
            # this counter finished moments ago may be rated; anything else is forbidden.
            if queries.ticket(self.conn, params["ticket"]) is None:
                raise log_in_first("rate")
        row = self.ticket_row(params["ticket"])
        if caller.role == COUNTER:
            self.check_rater(caller, row, now)
        if row["state"] != TicketState.DONE:
            raise HallError(
                ErrorCode.CONFLICT,
                f"ticket {row['number']} is {row['state']}; only a finished ticket is rated",
            )
        if queries.rated(self.conn, row["id"]):
            raise HallError(ErrorCode.CONFLICT, f"ticket {row['number']} has already been rated")
        rating = {
            "ticket": row["id"],
            "number": row["number"],
            "level": params["level"],
            "counter": row["counter"],
            "clerk": row["clerk_id"],
            "at": iso(now),
        }
        queries.insert_rating(
            self.conn,
            row["id"],
            row["day"],
            rating["at"],
            rating["level"],
            row["counter"],
            row["clerk_id"],
        )
        return Outcome(result={"rating": rating}, events=[("ticket_rated", {"rating": rating})])

    def check_rater(self, caller: Caller, row: sqlite3.Row, now: datetime) -> None:
        """Ratings feed the clerks' monthly assessment: only the counter that served the
        ticket, with the clerk who finished it (or the clerk now at that counter)."""
        if row["counter"] != caller.counter:
            raise HallError(
                ErrorCode.FORBIDDEN, f"ticket {row['number']} was not served at this counter"
            )
        at_counter = self.counter_row(caller.counter)["clerk_id"]
        # A clerk who logs out right after finishing must not cost the resident the rating:
        # a counter with nobody logged in may still rate a ticket it finished moments ago
        # (the rating goes to the clerk who finished it either way).
        just_finished = (
            caller.clerk is None
            and row["finished_at"] is not None
            and 0
            <= now.timestamp() - datetime.fromisoformat(row["finished_at"]).timestamp()
            <= RATE_AFTER_LOGOUT_S
        )
        if not just_finished and (
            caller.clerk is None or caller.clerk not in (row["clerk_id"], at_counter)
        ):
            raise HallError(
                ErrorCode.FORBIDDEN,
                f"ticket {row['number']} can be rated only while its clerk is logged in here",
                reason=ErrorReason.CLERK_NOT_LOGGED_IN,
            )
