"""Clerks logging in at a counter: the PIN check, lockouts, and the alert they raise.

Wrong PINs are counted per (clerk id, address), in memory: five within LOCKOUT_WINDOW_S
lock that clerk out at that address only, so the clerk's own counter is never locked out
by wrong PINs typed elsewhere. A lockout raises a `login_alert` for the hall's boards.
The PIN itself is checked off the event loop by the server (see `PinCheck`).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from shared.domain.clock import iso
from shared.domain.errors import ErrorCode, ErrorReason, HallError
from shared.domain.lifecycle import CounterState
from shared.protocol import auth
from shared.server import queries
from shared.server.core import Caller, Event, Outcome, PinCheck, ServiceCore

log = logging.getLogger(__name__)

LOCKOUT_FAILURES = 5
LOCKOUT_WINDOW_S = 600  # 5 wrong PINs for one clerk from one address within this window ...
LOCKOUT_S = 600  # ... lock that clerk out at that address for this long
ALERT_GAP_S = 60  # at most one `login_alert` event per clerk id in this time
LOGIN_MEMORY = 10_000  # (clerk, address) pairs with recent wrong PINs kept in memory


class Login(ServiceCore):
    """The login op and what it remembers of wrong PINs."""

    failures: dict[tuple[str, str], list[float]]  # (clerk id, address) -> wrong PIN times
    lockouts: dict[tuple[str, str], tuple[float, str | None]]  # -> until, the PIN hash then
    alerted: dict[str, float]  # clerk id -> when its last alert went out
    login_alert: dict[str, Any] | None  # the latest, for snapshot

    def pin_hash(self, clerk_id: str) -> str | None:
        """The stored PIN hash of a clerk, None for an unknown one (for the check off the loop)."""
        row = queries.clerk(self.conn, clerk_id)
        return str(row["pin_hash"]) if row is not None else None

    def reference_hash(self) -> str | None:
        """The costliest clerk hash: a dummy check for an unknown clerk id costs as much."""
        hashes = queries.pin_hashes(self.conn)
        return max(hashes, key=lambda h: auth.iterations_of(h) or 0, default=None)

    def op_login(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        clerk_id = params["clerk"].strip()
        clerk = queries.clerk(self.conn, clerk_id)
        stored = clerk["pin_hash"] if clerk is not None else None
        check = params.get("pin_check")
        if not isinstance(check, PinCheck) or check.pin_hash != stored:
            # Checked here when the server did not (or the PIN was reset meanwhile); an unknown
            # clerk costs the same time as a real one.
            like = self.reference_hash() if stored is None else None
            check = PinCheck(stored, auth.check_pin_or_dummy(params["pin"], stored, like))
        key = (clerk_id, caller.source or "")
        locked = self.lockouts.get(key)
        if locked is not None and (now.timestamp() >= locked[0] or locked[1] != stored):
            del self.lockouts[key]  # expired, or the PIN was reset (`clerk reset-pin`)
            locked = None
        if locked is not None:
            until = datetime.fromtimestamp(locked[0], now.tzinfo)
            return Outcome(
                error=HallError(
                    ErrorCode.NOT_AUTHENTICATED,
                    f"too many wrong PINs: clerk {clerk_id} is locked out at this address "
                    f"until {until:%H:%M}",
                    reason=ErrorReason.LOCKED_OUT,
                )
            )
        if clerk is None or not check.ok:
            return self.wrong_pin(key, now)
        if clerk["disabled"]:
            return Outcome(
                error=HallError(
                    ErrorCode.NOT_AUTHENTICATED,
                    f"clerk {clerk_id} is disabled",
                    reason=ErrorReason.DISABLED,
                )
            )
        self.clerk_names[clerk_id] = clerk["name"]
        self.failures.pop(key, None)
        if self.login_alert is not None and self.login_alert["clerk"] == clerk_id:
            self.login_alert = None
        return self.seat(caller, clerk_id, clerk["name"], now)

    def seat(self, caller: Caller, clerk_id: str, name: str, now: datetime) -> Outcome:
        """The clerk takes the caller's counter and leaves any other one without a ticket."""
        counter = self.counter_row(caller.counter)
        state = (
            counter["state"] if counter["state"] != CounterState.CLOSED else CounterState.OPEN.value
        )
        data = self.set_counter(counter["number"], now, clerk_id=clerk_id, state=state)
        changed = (counter["clerk_id"], counter["state"]) != (clerk_id, state)
        events: list[Event] = [("counter_changed", {"counter": data})] if changed else []
        # A clerk works at one counter: one left without a ticket in hand is closed, so the
        # board does not show it open with nobody there.
        for other in queries.idle_counters_of(self.conn, clerk_id, counter["number"]):
            events.append(("counter_changed", {"counter": self.close_counter(other, now)}))
        return Outcome(
            result={
                "clerk": {"id": clerk_id, "name": name},
                "counter": data,
                "call_gap_s": self.config.call_gap_s,
            },
            events=events,
            clerk=clerk_id,
        )

    def wrong_pin(self, key: tuple[str, str], now: datetime) -> Outcome:
        """Count a wrong PIN (or unknown clerk) from one address; the 5th locks that pair out."""
        wrong = HallError(
            ErrorCode.NOT_AUTHENTICATED, "unknown clerk or wrong PIN", reason=ErrorReason.WRONG_PIN
        )
        stamp = now.timestamp()
        if len(self.failures) >= LOGIN_MEMORY:
            for old in [k for k, v in self.failures.items() if v[-1] <= stamp - LOCKOUT_WINDOW_S]:
                del self.failures[old]
            if len(self.failures) >= LOGIN_MEMORY:
                self.failures.clear()
        times = [t for t in self.failures.get(key, []) if t > stamp - LOCKOUT_WINDOW_S]
        times.append(stamp)
        self.failures[key] = times
        if len(times) < LOCKOUT_FAILURES:
            return Outcome(error=wrong)
        del self.failures[key]
        clerk_id, source = key
        if len(self.lockouts) >= LOGIN_MEMORY:
            self.lockouts = {k: v for k, v in self.lockouts.items() if v[0] > stamp}
        self.lockouts[key] = (stamp + LOCKOUT_S, self.pin_hash(clerk_id))
        log.warning("clerk %s locked out at %s after %d wrong PINs", clerk_id, source, len(times))
        return Outcome(
            error=HallError(
                ErrorCode.NOT_AUTHENTICATED,
                f"wrong PIN; clerk {clerk_id} is now locked out at this address for "
                f"{LOCKOUT_S // 60} minutes",
                reason=ErrorReason.LOCKED_OUT,
            ),
            events=self.raise_alert(clerk_id, source, now),
        )

    def raise_alert(self, clerk_id: str, source: str, now: datetime) -> list[Event]:
        """Remember the lockout for snapshots; announce it unless this clerk's was just announced."""
        stamp = now.timestamp()
        alert = {
            "clerk": clerk_id,
            "source": source,
            "at": iso(now),
            "until": iso(now + timedelta(seconds=LOCKOUT_S)),
        }
        self.login_alert = {**alert, "day": self.day(now)}
        if stamp - self.alerted.get(clerk_id, -ALERT_GAP_S) < ALERT_GAP_S:
            return []
        self.alerted[clerk_id] = stamp
        if len(self.alerted) > LOGIN_MEMORY:
            self.alerted.clear()
        return [("login_alert", {"alert": alert})]
