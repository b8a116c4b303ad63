"""The hall service: applies one protocol op to the hall database and says what it caused.

It knows nothing of sockets. The server hands it a batch of requests; each runs in
its own savepoint inside one transaction, and the service returns, per request,
the reply and the events to send once that transaction has committed.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import math
import secrets
import sqlite3
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from shared.config.hall import HallConfig, default_config
from shared.domain.call_order import QueuedTicket, WaitingQueue, next_streak
from shared.domain.clock import Clock, SystemClock, business_day, iso
from shared.domain.errors import ErrorCode, HallError
from shared.domain.estimate import RECENT, estimate_wait_s, mean_service_s
from shared.domain.lifecycle import (
    OPEN_STATES,
    Action,
    CounterState,
    TicketState,
    TransitionError,
    next_state,
)
from shared.domain.limits import MAX_SNAPSHOT_KIOSKS, PAGE_BUDGET, fill_page, json_size, split_pages
from shared.domain.numbering import format_number, parse_number
from shared.protocol import auth
from shared.protocol.codec import encode, event
from shared.protocol.ops import COUNTER, KIOSK, OPS, Request
from shared.protocol.ticket_token import (
    SECRET_META_KEY,
    make_token,
    new_secret,
    ticket_id_of,
    verify,
)
from shared.server.figures import ClerkFigures, FigureRules, clerk_work
from shared.server.store import HallStore, dumps

log = logging.getLogger(__name__)

RECENT_CALLS = 10
QUEUE_LIMIT = 200  # tickets in one `queue` reply at most (fewer when they would not fit a page)
NO_SHOWS_LIMIT = 100  # tickets in one `no_shows` reply
SNAPSHOT_PAGES_KEPT = 16  # paged snapshots kept for their further pages (shared by clients)
SNAPSHOT_PAGE_TTL_S = 60.0  # how long the further pages of a snapshot can be fetched
SNAPSHOT_SHARE_S = 5.0  # clients asking at the same seq within this share one paged snapshot
LOCKOUT_FAILURES = 5
LOCKOUT_WINDOW_S = 600  # 5 wrong PINs for one clerk from one address within this window ...
LOCKOUT_S = 600  # ... lock that clerk out at that address for this long
ALERT_GAP_S = 60  # at most one `login_alert` event per clerk id in this time
LOGIN_MEMORY = 10_000  # (clerk, address) pairs with recent wrong PINs kept in memory
PROVEN_TOKENS = 20_000  # web tokens remembered as verified (a day's tickets, many times over)
EVENT_KEEP_DAYS = 1  # the event log is for looking into today; clients resync by snapshot
ISSUE_CLIENTS_KEPT = 1000  # issuing buckets kept before full ones are forgotten
PRIORITY_MISSES = 5  # wrong staff PINs from one address before its priority tickets stop
PRIORITY_LOCK_S = 600.0  # ... for this long after the first of them
# Which settings made a database (meta "settings"): only a demo database gets demo settings.
DEMO_SETTINGS, HALL_FILE_SETTINGS = "demo", "hall file"
DEMO_CONFIG = default_config()
CALL_TOO_SOON = "call_too_soon"  # the error reason of a call inside the call gap

Event = tuple[str, dict[str, Any]]  # (name, data) as an op makes it
Numbered = tuple[int, str, bytes]  # (seq, name, the event's frame) once stored


def settings_mismatch(db: str, made_with: str | None, config: HallConfig) -> str | None:
    """Why a database made with `made_with` settings does not belong with `config`, or None."""
    given = DEMO_SETTINGS if config.config_path is None else HALL_FILE_SETTINGS
    if made_with is None or made_with == given:
        return None
    if made_with == HALL_FILE_SETTINGS:
        return (
            f"{db} was made from a hall file, but this run has the demo settings (no "
            "--config): the database's clerks, counters and hall name are kept as they are, "
            "no demo clerks are added; give the hall file with --config FILE"
        )
    return (
        f"{db} was made by the demo (demo clerks with published PINs), but this run has "
        f"the hall file {config.config_path}: nothing of the hall file's clerks, "
        "counters or hall name is applied; make the hall's own database with "
        "`queue-hall init --config FILE`"
    )


@dataclass
class Caller:
    """Who sent a request: the connection's role, client name, counter and logged-in clerk."""

    role: str
    client: str
    counter: int | None = None
    clerk: str | None = None
    source: str | None = None  # the connection's IP address (lockouts are per clerk and address)


@dataclass(frozen=True)
class PinCheck:
    """A login's PIN, already checked off the event loop against the hash read just before."""

    pin_hash: str | None  # None: no such clerk (a dummy hash of the same cost was checked)
    ok: bool


@dataclass(frozen=True)
class _CounterView:
    """What the wait figures need of one counter."""

    number: int
    name: str
    state: str
    services: frozenset[str] | None
    streak: int


@dataclass
class Outcome:
    """What one request did: its reply (a result or an error) and the events it caused."""

    result: dict[str, Any] | None = None
    error: HallError | None = None
    events: list[Any] = field(default_factory=list)  # Event while applied, Numbered when returned
    clerk: str | None = None  # set by login / logout so the connection can remember it


# How long after a finish the counter's rating panel may still send the resident's rating
# when the clerk has logged out in between.
RATE_AFTER_LOGOUT_S = 120.0


class HallService:
    """Every op of the hall protocol, applied to a HallStore."""

    def __init__(self, store: HallStore, config: HallConfig, clock: Clock | None = None) -> None:
        self.store = store
        self.config = config
        self.clock = clock or SystemClock(config.timezone)
        # Set when the database and the settings do not belong together (see _settings_origin).
        self.settings_mismatch: str | None = None
        if store.is_empty():
            self._seed()
            self._add_missing_clerks()
        else:
            self.settings_mismatch = self._check_settings_origin()
            if self.settings_mismatch is None:
                self._sync_counters()
                self._add_missing_clerks()
            else:
                log.warning("%s", self.settings_mismatch)
        self.seq = int(store.get_meta("seq", "0") or 0)
        self.queue = WaitingQueue()
        self._undo: list[Callable[[], object]] = []
        self._recent_s: deque[float] = deque(maxlen=RECENT)
        self._clerk_names: dict[str, str] = {}
        self._order_no = 0
        self._issue_tokens: dict[str, tuple[float, float]] = {}  # client: (tokens, at)
        self._priority_misses: dict[str, list[float]] = {}  # address: wrong staff PIN times
        self._day = ""
        # Wrong PINs per (clerk id, address) and lockouts, kept in memory: the clerk's own
        # counter is never locked out by wrong PINs typed elsewhere.
        self._failures: dict[tuple[str, str], list[float]] = {}
        self._lockouts: dict[tuple[str, str], tuple[float, str | None]] = {}  # until, pin hash
        self._alerted: dict[str, float] = {}  # clerk id -> when its last alert went out
        self.login_alert: dict[str, Any] | None = None  # the latest, for snapshot
        self._services_parsed: dict[str, frozenset[str]] = {}
        self._batch_services: dict[int, frozenset[str] | None] | None = None
        # Further pages of snapshots too big for one frame: token -> (made, pages).
        # nonce -> (made at, seq, pages): paged snapshots whose further pages may be fetched.
        # Clients asking at the same seq within SNAPSHOT_SHARE_S share one, so a hall's boards
        # resyncing together cost one copy.
        self._snapshot_pages: OrderedDict[str, tuple[float, int, list[dict[str, Any]]]] = (
            OrderedDict()
        )
        self._load_memory()
        self._token_secret = self._web_token_secret()
        self._proven_tokens: dict[str, int] = {}  # token -> ticket id, of tokens verified once
        self.hall = store.get_meta("hall", config.hall_name) or config.hall_name
        if self.hall != config.hall_name and self.settings_mismatch is None:
            with store.transaction():
                store.set_meta("hall", config.hall_name)
            self.hall = config.hall_name

    # -- setup --------------------------------------------------------------------------------

    def _seed(self) -> None:
        cfg = self.config
        now = iso(self.clock.now())
        with self.store.transaction() as conn:
            for pos, cat in enumerate(cfg.catalog.categories):
                conn.execute(
                    "INSERT INTO categories(code, prefix, name, name_en, position) VALUES (?,?,?,?,?)",
                    (cat.code, cat.prefix, cat.name, cat.name_en, pos),
                )
            for pos, svc in enumerate(cfg.catalog.services):
                conn.execute(
                    "INSERT INTO services(code, name, name_en, category, daily_limit, pinyin, position)"
                    " VALUES (?,?,?,?,?,?,?)",
                    (
                        svc.code,
                        svc.name,
                        svc.name_en,
                        svc.category,
                        svc.daily_limit,
                        svc.pinyin,
                        pos,
                    ),
                )
            self.store.set_meta("hall", cfg.hall_name)
            self.store.set_meta("settings", self._settings_origin())
            self.store.set_meta("seq", "0")
            self.store.set_meta("created_at", now)
        self._sync_counters(overwrite=True)

    def _web_token_secret(self) -> str:
        """The secret of the tickets' web tokens: made once, kept in the hall database."""
        secret = self.store.get_meta(SECRET_META_KEY)
        if not secret:
            secret = new_secret()
            with self.store.transaction():
                self.store.set_meta(SECRET_META_KEY, secret)
        return secret

    def _settings_origin(self) -> str:
        """What settings this run has: the demo's built-in ones, or a hall file's."""
        return DEMO_SETTINGS if self.config.config_path is None else HALL_FILE_SETTINGS

    def _check_settings_origin(self) -> str | None:
        """None when the database was made with the kind of settings given now, else why not.

        A database made from a hall file and served without `--config` must not get the
        demo's clerks (with published PINs), counters or hall name, nor the other way round.
        """
        made_with = self.store.get_meta("settings")
        if made_with is None:  # made before this was recorded: judge by what it holds
            demo_ids = {clerk.id for clerk in DEMO_CONFIG.clerks}
            clerks = {r[0] for r in self.store.all("SELECT id FROM clerks")}
            # The demo always adds its clerks: a hall with none of them was not the demo's.
            looks_demo = (
                self.store.get_meta("hall") == DEMO_CONFIG.hall_name
                and bool(clerks)
                and clerks <= demo_ids
            )
            made_with = DEMO_SETTINGS if looks_demo else HALL_FILE_SETTINGS
            with self.store.transaction():
                self.store.set_meta("settings", made_with)
        return settings_mismatch(self.store.path, made_with, self.config)

    def _sync_counters(self, overwrite: bool = False) -> None:
        """Counters come from the configuration at first start; later starts only add new ones.

        After that the database is the truth (`queue-hall counter set-services`), so a restart
        never undoes what the hall changed while serving.
        """
        conflict = (
            "DO UPDATE SET name = excluded.name, services = excluded.services"
            if overwrite
            else "DO NOTHING"
        )
        with self.store.transaction() as conn:
            for c in self.config.counters:
                services = None if c.services is None else dumps(list(c.services))
                conn.execute(
                    f"INSERT INTO counters(number, name, services) VALUES (?,?,?) ON CONFLICT(number) {conflict}",
                    (c.number, c.name, services),
                )

    def _add_missing_clerks(self) -> None:
        known = {r[0] for r in self.store.all("SELECT id FROM clerks")}
        missing = [c for c in self.config.clerks if c.id not in known]
        if not missing:
            return
        with self.store.transaction() as conn:
            for clerk in missing:
                conn.execute(
                    "INSERT INTO clerks(id, name, pin_hash, created_at) VALUES (?,?,?,?)",
                    (clerk.id, clerk.name, auth.hash_pin(clerk.pin), iso(self.clock.now())),
                )

    def _next_order_no(self) -> int:
        """Issue order within the day; a reactivated ticket takes a new one (end of its queue)."""
        self._order_no += 1
        return self._order_no

    def _load_memory(self, day: str | None = None) -> None:
        """Rebuild the in-memory waiting queue and recent service times from the database."""
        day = day or self.day()
        self._day = day
        self.queue.clear()
        for r in self.store.all(
            "SELECT id, service, category, priority, order_at, order_no, reserved_counter FROM tickets"
            " WHERE day = ? AND state = 'waiting'",
            (day,),
        ):
            self.queue.add(_queued(r), r["category"])
        self._order_no = (
            self.store.scalar("SELECT max(order_no) FROM tickets WHERE day = ?", (day,)) or 0
        )
        self._recent_s.clear()
        self._recent_s.extend(
            r[0]
            for r in self.store.all(
                "SELECT service_s FROM (SELECT service_s, finished_at FROM tickets WHERE day = ? AND state = 'done'"
                " AND service_s IS NOT NULL ORDER BY finished_at DESC LIMIT ?) ORDER BY finished_at",
                (day, RECENT),
            )
        )

    # -- the batch ----------------------------------------------------------------------------

    def run_batch(
        self, items: list[tuple[Caller, Request]]
    ) -> tuple[list[Numbered], list[Outcome]]:
        """Apply requests in one transaction. Returns (events not tied to a request, outcomes).

        Events carry their `seq` once this returns; nothing may be sent before it returns,
        because only then is the transaction committed.
        """
        seq_before = self.seq
        self._batch_services = None
        try:
            with self.store.transaction():
                now = self.clock.now()
                loose = self._maintain(now)
                loose_numbered = self._number_events(loose, now)
                outcomes = [self._apply_one(caller, request, now) for caller, request in items]
                if self.seq != seq_before:
                    self.store.set_meta("seq", str(self.seq))
        except Exception as exc:
            # Nothing of the batch was saved: memory goes back to what the database holds.
            self.seq = seq_before
            self._load_memory()
            if not isinstance(exc, sqlite3.Error):
                raise
            log.error("database refused the change: %s", exc)
            error = HallError(
                ErrorCode.UNAVAILABLE, f"the hall database cannot save changes now: {exc}"
            )
            return [], [Outcome(error=error) for _ in items]
        finally:
            self._undo.clear()
        return loose_numbered, outcomes

    def _apply_one(self, caller: Caller, request: Request, now: datetime) -> Outcome:
        """One request in its own savepoint; a failure undoes its database and memory changes."""
        self._undo.clear()
        try:
            with self.store.savepoint():
                outcome = self._dispatch(caller, request, now)
                outcome.events = self._number_events(outcome.events, now)
        except sqlite3.OperationalError:
            raise  # the whole batch fails: disk full, read-only, locked
        except Exception as exc:
            while self._undo:  # the savepoint was rolled back: so is the in-memory queue
                self._undo.pop()()
            if isinstance(exc, HallError):
                return Outcome(error=exc)
            if isinstance(exc, TransitionError):
                return Outcome(error=HallError(ErrorCode.CONFLICT, str(exc)))
            log.exception("op %s from %s failed", request.op, caller.client)
            return Outcome(
                error=HallError(ErrorCode.INTERNAL, f"internal error while handling '{request.op}'")
            )
        self._undo.clear()  # kept: nothing to undo any more
        return outcome

    def _number_events(self, events: list[Event], now: datetime) -> list[Numbered]:
        """Give each event the next seq and store it."""
        numbered: list[Numbered] = []
        for name, data in events:
            self.seq += 1
            numbered.append((self.seq, name, encode(event(name, self.seq, data))))
        if numbered:
            at = iso(now)
            self.store.conn.executemany(
                "INSERT INTO events(seq, at, name, data) VALUES (?,?,?,?)",
                [(seq, at, name, frame.decode("utf-8")) for seq, name, frame in numbered],
            )
        return numbered

    def _dispatch(self, caller: Caller, request: Request, now: datetime) -> Outcome:
        spec = OPS[request.op]
        if caller.role not in spec.roles:
            raise HallError(ErrorCode.FORBIDDEN, f"a {caller.role} may not use '{request.op}'")
        if spec.needs_clerk and caller.role == COUNTER and not caller.clerk:
            raise HallError(ErrorCode.FORBIDDEN, f"log in at the counter before '{request.op}'")
        day = self.day(now)
        if spec.idempotent:
            stored = self.store.one(
                "SELECT op, result FROM requests WHERE client = ? AND day = ? AND req = ?",
                (caller.client, day, request.req),
            )
            if stored is not None:
                if stored["op"] != request.op:
                    raise HallError(
                        ErrorCode.BAD_REQUEST,
                        f"req {request.req!r} was already used for '{stored['op']}'; use a new req",
                    )
                return Outcome(result=json.loads(stored["result"]))
        handler = getattr(self, "op_" + request.op)
        outcome: Outcome = handler(caller, request.params, now)
        if spec.idempotent and outcome.error is None and outcome.result is not None:
            self.store.conn.execute(
                "INSERT INTO requests(client, day, req, op, result) VALUES (?,?,?,?,?)",
                (caller.client, day, request.req, request.op, dumps(outcome.result)),
            )
        return outcome

    # -- time-driven work ---------------------------------------------------------------------

    def day(self, now: datetime | None = None) -> str:
        return business_day(now or self.clock.now(), self.config.day_reset).isoformat()

    def _maintain(self, now: datetime) -> list[Event]:
        """Day reset and pending time-outs; runs at the start of every batch."""
        events = self._day_reset(now)
        events += self._release_pending(now)
        return events

    def _day_reset(self, now: datetime) -> list[Event]:
        today = self.day(now)
        stored = self.store.get_meta("day")
        if stored == today:
            return []
        conn = self.store.conn
        at = iso(now)
        open_states = tuple(s.value for s in OPEN_STATES)
        marks = ",".join("?" * len(open_states))
        stale = conn.execute(
            f"SELECT id, day FROM tickets WHERE state IN ({marks}) AND day < ?",
            (*open_states, today),
        ).fetchall()
        for row in stale:
            conn.execute(
                "INSERT INTO ticket_log(ticket_id, day, at, action, state) VALUES (?,?,?,?,?)",
                (row["id"], row["day"], at, Action.EXPIRE.value, TicketState.EXPIRED.value),
            )
        conn.execute(
            f"UPDATE tickets SET state = 'expired', reserved_counter = NULL WHERE state IN ({marks}) AND day < ?",
            (*open_states, today),
        )
        if stored is not None:
            # Counters left open close with the day they were open on, not when the next
            # day's first request happens to come: time logged in stops at the day's end.
            day_end = datetime.combine(
                date.fromisoformat(stored) + timedelta(days=1),
                self.config.day_reset,
                tzinfo=now.tzinfo,
            )
            ended = min(now, day_end)
            conn.executemany(
                "INSERT INTO counter_log(day, at, counter, clerk_id, state) VALUES (?,?,?,NULL,?)",
                [
                    (stored, iso(ended), row["number"], CounterState.CLOSED.value)
                    for row in conn.execute("SELECT number FROM counters WHERE state != 'closed'")
                ],
            )
        conn.execute(
            "UPDATE counters SET state = 'closed', clerk_id = NULL, ticket_id = NULL, priority_streak = 0,"
            " pause_reason = NULL, updated_at = ?",
            (at,),
        )
        conn.execute("DELETE FROM requests WHERE day < ?", (today,))
        conn.execute("DELETE FROM kiosks")
        keep_from = (
            (datetime.fromisoformat(today) - timedelta(days=EVENT_KEEP_DAYS)).date().isoformat()
        )
        conn.execute("DELETE FROM events WHERE at < ?", (keep_from,))
        self.store.set_meta("day", today)
        self._load_memory(today)
        if stored is None:
            return []  # a brand-new database: nothing to reset
        log.info(
            "business day %s begins; %d open tickets of earlier days expired", today, len(stale)
        )
        return [("day_reset", {"day": today})]

    def _release_pending(self, now: datetime) -> list[Event]:
        """Pending tickets never confirmed by the kiosk become waiting after the time-out."""
        cutoff = now.timestamp() - self.config.pending_timeout_s
        rows = self.store.all(
            "SELECT * FROM tickets WHERE day = ? AND state = 'pending' AND order_at <= ? ORDER BY id",
            (self._day, cutoff),
        )
        events: list[Event] = []
        for row in rows:
            ticket = self._transition(
                row, Action.PENDING_TIMEOUT, now, detail="kiosk did not confirm"
            )
            events.append(("ticket_issued", {"ticket": ticket}))
        if rows:
            events.append(self._waiting_event())
        return events

    # -- reading ------------------------------------------------------------------------------

    def ticket_json(self, row: sqlite3.Row) -> dict[str, Any]:
        return {
            "id": row["id"],
            "number": row["number"],
            "service": row["service"],
            "category": row["category"],
            "priority": bool(row["priority"]),
            "state": row["state"],
            "issued_at": row["issued_at"],
            "called_at": row["called_at"],
            "counter": row["counter"],
            "calls": row["calls"],
        }

    def _ticket_row(self, ticket_id: int) -> sqlite3.Row:
        row = self.store.one("SELECT * FROM tickets WHERE id = ?", (ticket_id,))
        if row is None:
            raise HallError(ErrorCode.NOT_FOUND, f"ticket {ticket_id} does not exist")
        return row

    def _find_ticket(self, ref: int | str, day: str) -> sqlite3.Row:
        if isinstance(ref, int):
            return self._ticket_row(ref)
        try:
            prefix, seq = parse_number(ref)
        except ValueError as exc:
            raise HallError(ErrorCode.BAD_REQUEST, str(exc)) from None
        row = self.store.one(
            "SELECT * FROM tickets WHERE day = ? AND number = ?", (day, format_number(prefix, seq))
        )
        if row is None:
            raise HallError(ErrorCode.NOT_FOUND, f"no ticket {ref} today")
        return row

    def _clerk_name(self, clerk_id: str) -> str:
        name = self._clerk_names.get(clerk_id)
        if name is None:
            name = (
                self.store.scalar("SELECT name FROM clerks WHERE id = ?", (clerk_id,)) or clerk_id
            )
            self._clerk_names[clerk_id] = name
        return name

    def counter_json(
        self, row: sqlite3.Row, ticket: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """The Counter object; `ticket` is the held ticket's object when the caller has it."""
        clerk = None
        if row["clerk_id"]:
            clerk = {"id": row["clerk_id"], "name": self._clerk_name(row["clerk_id"])}
        if row["ticket_id"] and (ticket is None or ticket["id"] != row["ticket_id"]):
            ticket = self.ticket_json(self._ticket_row(row["ticket_id"]))
        elif not row["ticket_id"]:
            ticket = None
        services = json.loads(row["services"]) if row["services"] else "all"
        return {
            "number": row["number"],
            "name": row["name"],
            "state": row["state"],
            "clerk": clerk,
            "ticket": ticket,
            "services": services,
            "pause_reason": row["pause_reason"],
        }

    def _counter_row(self, number: int | None) -> sqlite3.Row:
        row = self.store.one("SELECT * FROM counters WHERE number = ?", (number,))
        if row is None:
            raise HallError(ErrorCode.NOT_FOUND, f"counter {number} does not exist")
        return row

    def counter_exists(self, number: int) -> bool:
        return self.store.one("SELECT 1 FROM counters WHERE number = ?", (number,)) is not None

    def _counter_services(self, row: sqlite3.Row) -> frozenset[str] | None:
        text = row["services"]
        if not text:
            return None
        # Parsed once per distinct list: a county hall's counters name up to 1,000 matters each.
        services = self._services_parsed.get(text)
        if services is None:
            if len(self._services_parsed) > 4 * 999:
                self._services_parsed.clear()
            services = self._services_parsed[text] = frozenset(json.loads(text))
        return services

    def waiting_counts(self) -> dict[str, int]:
        """Waiting tickets per category code (every category, zeros included)."""
        counts = self.queue.counts()
        return {code: counts.get(code, 0) for code in self._category_codes()}

    def _category_codes(self) -> list[str]:
        # Read each time (a few rows): `queue-hall catalog import` may add one while serving.
        return [r[0] for r in self.store.all("SELECT code FROM categories ORDER BY position")]

    def _waiting_event(self) -> Event:
        return ("waiting_changed", {"waiting": self.waiting_counts()})

    def issuing_now(self, now: datetime) -> tuple[bool, str]:
        """Whether tickets may be issued now, and why not."""
        cfg = self.config
        if cfg.within_issuing_hours(now):
            return True, ""
        local = cfg.hall_time(now)
        if local.weekday() not in cfg.open_weekdays:
            return False, "the hall is closed today"
        if cfg.open_time and local.time() < cfg.open_time:
            return False, f"tickets are issued from {cfg.open_time:%H:%M}"
        return False, f"tickets are issued until {cfg.close_time:%H:%M}"

    def _counts(self, sql: str, params: tuple[Any, ...]) -> dict[str, int]:
        return {row[0]: row[1] for row in self.store.all(sql, params)}

    def _issued_today(self, day: str) -> dict[str, int]:
        return self._counts(
            "SELECT service, count(*) FROM tickets WHERE day = ? AND state != 'cancelled' GROUP BY service",
            (day,),
        )

    def snapshot(self, now: datetime | None = None) -> dict[str, Any]:
        now = now or self.clock.now()
        day = self.day(now)
        calls = self.store.all(
            "SELECT c.counter, c.at, c.recall, t.* FROM calls c JOIN tickets t ON t.id = c.ticket_id"
            " WHERE c.day = ? ORDER BY c.id DESC LIMIT ?",
            (day, RECENT_CALLS),
        )
        return {
            "seq": self.seq,
            "hall": self.hall,
            "day": day,
            "counters": [
                self.counter_json(r)
                for r in self.store.all("SELECT * FROM counters ORDER BY number")
            ],
            "recent_calls": [
                {
                    "ticket": self.ticket_json(r),
                    "counter": r["counter"],
                    "at": r["at"],
                    "recall": bool(r["recall"]),
                }
                for r in calls
            ],
            "waiting": self.waiting_counts(),
            "issuing": self.issuing_now(now)[0],
            "kiosks": [
                self._kiosk_json(dict(r))
                for r in self.store.all(
                    "SELECT * FROM (SELECT client, printer, message, at FROM kiosks"
                    " ORDER BY at DESC, client LIMIT ?) ORDER BY client",
                    (MAX_SNAPSHOT_KIOSKS,),
                )
            ],
            "login_alert": self._current_alert(now),
        }

    def _current_alert(self, now: datetime) -> dict[str, Any] | None:
        alert = self.login_alert
        if alert is None or alert["until"] <= iso(now) or alert["day"] != self.day(now):
            return None
        return {k: v for k, v in alert.items() if k != "day"}

    # -- changing tickets ---------------------------------------------------------------------

    def _transition(
        self,
        row: sqlite3.Row,
        action: Action,
        now: datetime,
        caller: Caller | None = None,
        detail: str | None = None,
        **changes: Any,
    ) -> dict[str, Any]:
        """Move a ticket along the life cycle, log it, and return the new Ticket object."""
        state = next_state(TicketState(row["state"]), action)
        changes["state"] = state.value
        sets = ", ".join(f"{k} = ?" for k in changes)
        # RETURNING gives the updated row with the update itself: one statement fewer per step.
        updated = self.store.conn.execute(
            f"UPDATE tickets SET {sets} WHERE id = ? RETURNING *", (*changes.values(), row["id"])
        ).fetchall()[0]
        self.store.conn.execute(
            "INSERT INTO ticket_log(ticket_id, day, at, action, state, counter, clerk_id, detail)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (
                row["id"],
                row["day"],
                iso(now),
                action.value,
                state.value,
                caller.counter if caller else None,
                caller.clerk if caller else None,
                detail,
            ),
        )
        self._track_waiting(row, updated)
        return self.ticket_json(updated)

    def _track_waiting(self, before: sqlite3.Row, after: sqlite3.Row) -> None:
        """Keep the in-memory queue equal to the database's waiting tickets, undoably."""
        if before["state"] == TicketState.WAITING and before["id"] in self.queue:
            entry = self.queue.remove(before["id"])
            if entry is not None:
                ticket, category = entry
                self._undo.append(lambda: self.queue.add(ticket, category))
        if after["state"] == TicketState.WAITING and after["day"] == self._day:
            self.queue.add(_queued(after), after["category"])
            self._undo.append(lambda: self.queue.remove(after["id"]))

    def _set_counter(
        self, number: int, now: datetime, ticket: dict[str, Any] | None = None, **changes: Any
    ) -> dict[str, Any]:
        """Change a counter; returns its Counter object (`ticket`: the held ticket's, if known).

        A change of its clerk, state or pause reason goes to counter_log.
        """
        logged = ("clerk_id", "state", "pause_reason")
        before = self._counter_row(number) if any(k in changes for k in logged) else None
        changes["updated_at"] = iso(now)
        sets = ", ".join(f"{k} = ?" for k in changes)
        rows = self.store.conn.execute(
            f"UPDATE counters SET {sets} WHERE number = ? RETURNING *", (*changes.values(), number)
        ).fetchall()
        if not rows:
            raise HallError(ErrorCode.NOT_FOUND, f"counter {number} does not exist")
        after = rows[0]
        if before is not None and any(before[k] != after[k] for k in logged):
            self.store.conn.execute(
                "INSERT INTO counter_log(day, at, counter, clerk_id, state, pause_reason)"
                " VALUES (?,?,?,?,?,?)",
                (self.day(now), iso(now), number, *(after[k] for k in logged)),
            )
        return self.counter_json(after, ticket)

    def _held(self, counter: sqlite3.Row) -> sqlite3.Row | None:
        return self._ticket_row(counter["ticket_id"]) if counter["ticket_id"] else None

    def _require_held(self, counter: sqlite3.Row, op: str) -> sqlite3.Row:
        held = self._held(counter)
        if held is None:
            raise HallError(
                ErrorCode.CONFLICT, f"'{op}' needs a ticket at the counter; call one first"
            )
        return held

    def _finish_held(
        self, caller: Caller, counter: sqlite3.Row, now: datetime, events: list[Event], op: str
    ) -> None:
        held = self._held(counter)
        if held is None:
            return
        ticket = self._finish(held, caller, now, detail=f"by {op}")
        events.append(("ticket_changed", {"ticket": ticket}))

    def _finish(
        self, held: sqlite3.Row, caller: Caller, now: datetime, detail: str | None = None
    ) -> dict[str, Any]:
        """Finish the held ticket; its log row says whether the clerk had pressed start."""
        begun = held["started_at"] or held["called_at"]
        service_s = (
            max(0.0, now.timestamp() - datetime.fromisoformat(begun).timestamp()) if begun else None
        )
        if service_s is not None:
            self._recent_s.append(service_s)
            self._undo.append(self._recent_s.pop)
        ticket = self._transition(
            held, Action.FINISH, now, caller, detail, finished_at=iso(now), service_s=service_s
        )
        self.store.conn.execute(
            "UPDATE ticket_log SET started = ? WHERE id = last_insert_rowid()",
            (int(held["started_at"] is not None),),
        )
        return ticket

    # -- ops: common --------------------------------------------------------------------------

    def op_ping(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        return Outcome(result={"server_time": iso(now)})

    def op_snapshot(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        """The hall as it is; a snapshot too big for one frame comes in pages (`next`)."""
        token = params.get("page")
        if token is None:
            latest = next(reversed(self._snapshot_pages), None)
            kept = self._snapshot_pages[latest] if latest is not None else None
            if kept is None or kept[1] != self.seq or time.monotonic() - kept[0] > SNAPSHOT_SHARE_S:
                pages = split_pages(self.snapshot(now), ("counters", "kiosks"), ("seq",))
                latest, kept = secrets.token_hex(8), (time.monotonic(), self.seq, pages)
                if len(pages) > 1:
                    self._snapshot_pages[latest] = kept
                    while len(self._snapshot_pages) > SNAPSHOT_PAGES_KEPT:
                        self._snapshot_pages.popitem(last=False)
            nonce, index = latest, 0
        else:
            nonce, _, index_text = str(token).partition(".")
            kept = self._snapshot_pages.get(nonce)
            index = int(index_text) if index_text.isdigit() else 0
            if (
                kept is None
                or not 0 < index < len(kept[2])
                or time.monotonic() - kept[0] > SNAPSHOT_PAGE_TTL_S
            ):
                raise HallError(
                    ErrorCode.CONFLICT,
                    "that snapshot page is no longer kept; ask for a new snapshot",
                    reason="page_expired",
                )
        pages = kept[2]
        page = dict(pages[index])
        page["next"] = f"{nonce}.{index + 1}" if index + 1 < len(pages) else None
        return Outcome(result=page)

    def catalog_version(self, categories: list[dict[str, Any]], rows: list[sqlite3.Row]) -> str:
        """A fingerprint of the active catalog (not its counts): pages of one version belong together."""
        fields = ("code", "name", "name_en", "category", "pinyin", "daily_limit")
        static = [
            self.hall,
            [[c[k] for k in ("code", "prefix", "name", "name_en")] for c in categories],
            [[r[k] for k in fields] for r in rows],
        ]
        return hashlib.sha256(json.dumps(static, ensure_ascii=False).encode("utf-8")).hexdigest()[
            :16
        ]

    def op_catalog(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        day = self.day(now)
        issuing, _ = self.issuing_now(now)
        waiting = self.waiting_counts()
        by_service = self._counts(
            "SELECT service, count(*) FROM tickets WHERE day = ? AND state = 'waiting' GROUP BY service",
            (day,),
        )
        issued = self._issued_today(day)
        served_at = self._counters_by_service()
        cfg = self.config
        categories = [
            {
                "code": r["code"],
                "prefix": r["prefix"],
                "name": r["name"],
                "name_en": r["name_en"],
                "waiting": waiting.get(r["code"], 0),
            }
            for r in self.store.all(
                "SELECT * FROM categories WHERE code IN (SELECT category FROM services WHERE active = 1)"
                " ORDER BY position, code"
            )
        ]
        rows = self.store.all("SELECT * FROM services WHERE active = 1 ORDER BY position, code")
        after = params.get("after")
        start = int(after) if after is not None else 0
        result: dict[str, Any] = {
            "hall": self.hall,
            "issuing": issuing,
            "categories": categories,
            "services": [],
            "version": self.catalog_version(categories, rows),
            "total": len(rows),
            "next": str(len(rows)),
            "hours": {
                "open": f"{cfg.open_time:%H:%M}" if cfg.open_time else None,
                "close": f"{cfg.close_time:%H:%M}" if cfg.close_time else None,
                "weekdays": [d + 1 for d in sorted(cfg.open_weekdays)],
            },
        }
        room = PAGE_BUDGET - json_size(result)
        page_size = params.get("limit", len(rows))
        services = result["services"]
        end = start
        for r in rows[start : start + page_size]:
            limit = r["daily_limit"]
            full = limit is not None and issued.get(r["code"], 0) >= limit
            service = {
                "code": r["code"],
                "name": r["name"],
                "name_en": r["name_en"],
                "category": r["category"],
                "pinyin": r["pinyin"],
                "waiting": by_service.get(r["code"], 0),
                "open": issuing and not full,
                "daily_limit": limit,
                "full": full,
                "counters": served_at.get(r["code"]),
            }
            room -= json_size(service) + 1
            if room < 0 and services:
                break
            services.append(service)
            end += 1
        result["next"] = str(end) if end < len(rows) else None
        return Outcome(result=result)

    def _counters_by_service(self) -> dict[str, list[int]]:
        """Service code -> the counters that serve it; empty when some counter serves all."""
        rows = self.store.all("SELECT number, services FROM counters ORDER BY number")
        if any(not r["services"] for r in rows):
            return {}
        result: dict[str, list[int]] = {}
        for r in rows:
            for code in json.loads(r["services"]):
                result.setdefault(code, []).append(r["number"])
        return result

    # -- ops: kiosk ---------------------------------------------------------------------------

    def _take_issue_token(self, caller: Caller, now: datetime) -> None:
        """Every issuing client has a token bucket: `issue_burst` at once, then a steady rate."""
        burst = float(self.config.issue_burst)
        per_s = self.config.issues_per_minute / 60.0
        moment = now.timestamp()
        # A device on the network could change its name for a fresh bucket: one from another
        # machine is also held to four kiosks' worth for its address (not so on the server PC
        # itself, where the demo and the simulator run many kiosks).
        if caller.source and not _loopback(caller.source):
            self._take_from(f"@{caller.source}", 4 * burst, 4 * per_s, moment, caller)
        self._take_from(caller.client, burst, per_s, moment, caller)

    def _take_from(
        self, key: str, burst: float, per_s: float, moment: float, caller: Caller
    ) -> None:
        tokens, at = self._issue_tokens.get(key, (burst, moment))
        tokens = min(burst, tokens + max(0.0, moment - at) * per_s)
        if tokens < 1.0:
            self._issue_tokens[key] = (tokens, moment)
            wait_s = math.ceil((1.0 - tokens) / per_s)
            raise HallError(
                ErrorCode.ISSUING_CLOSED,
                f"'{caller.client}' takes tickets too fast (at most {self.config.issue_burst} at "
                f"once and {self.config.issues_per_minute} a minute); try again in {wait_s} s",
                reason="rate_limit",
                retry_after_s=wait_s,
            )
        if len(self._issue_tokens) >= ISSUE_CLIENTS_KEPT:
            # Full buckets carry no information: forget them (clients that change names).
            self._issue_tokens = {
                client: (left, when)
                for client, (left, when) in self._issue_tokens.items()
                if left + (moment - when) * per_s < burst
            }
        self._issue_tokens[key] = (tokens - 1.0, moment)

    def _check_priority_proof(self, caller: Caller, params: dict[str, Any]) -> None:
        """A priority ticket needs the hall's staff PIN, so a device alone cannot grant one."""
        expected = self.config.priority_pin
        if not expected:
            raise HallError(
                ErrorCode.FORBIDDEN,
                "this hall issues no priority tickets (no [kiosk] priority_pin in the hall file)",
                reason="priority_proof",
            )
        given = params.get("priority_pin")
        source = caller.source or caller.client
        moment = time.monotonic()
        wrong = [t for t in self._priority_misses.get(source, []) if moment - t < PRIORITY_LOCK_S]
        if len(wrong) >= PRIORITY_MISSES:
            # A device guessing the staff PIN: its address gets no priority ticket for a while,
            # whatever names it takes.
            raise HallError(
                ErrorCode.FORBIDDEN,
                f"too many wrong staff PINs from {source}; priority tickets resume in "
                f"{math.ceil(PRIORITY_LOCK_S - (moment - wrong[0]))} s",
                reason="priority_proof",
            )
        if not isinstance(given, str) or not hmac.compare_digest(given.encode(), expected.encode()):
            if isinstance(given, str):
                self._priority_misses[source] = [*wrong, moment]
            log.warning("priority ticket refused to %s: wrong or missing staff PIN", caller.client)
            raise HallError(
                ErrorCode.FORBIDDEN,
                "a priority ticket needs the staff PIN in 'priority_pin'",
                reason="priority_proof",
            )

    def op_issue(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        self._take_issue_token(caller, now)
        if params.get("priority", False):
            self._check_priority_proof(caller, params)
        service = self.store.one(
            "SELECT * FROM services WHERE code = ? AND active = 1", (params["service"],)
        )
        if service is None:
            raise HallError(ErrorCode.NOT_FOUND, f"no service {params['service']!r} in the catalog")
        issuing, why = self.issuing_now(now)
        if not issuing:
            raise HallError(ErrorCode.ISSUING_CLOSED, why, reason="hours")
        day = self.day(now)
        limit = service["daily_limit"]
        if limit is not None and self._issued_today(day).get(service["code"], 0) >= limit:
            raise HallError(
                ErrorCode.ISSUING_CLOSED,
                f"today's {limit} tickets for {service['name']} have all been taken",
                reason="daily_limit",
            )
        category = self.store.one("SELECT * FROM categories WHERE code = ?", (service["category"],))
        assert category is not None  # foreign key
        prefix = category["prefix"]
        seq = self.store.scalar(
            "INSERT INTO number_seq(day, prefix, last) VALUES (?, ?, 1)"
            " ON CONFLICT(day, prefix) DO UPDATE SET last = last + 1 RETURNING last",
            (day, prefix),
        )
        priority = bool(params.get("priority", False))
        cursor = self.store.conn.execute(
            "INSERT INTO tickets(day, number, prefix, seq, service, category, priority, state, issued_at,"
            " order_at, order_no, kiosk) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                day,
                format_number(prefix, seq),
                prefix,
                seq,
                service["code"],
                category["code"],
                priority,
                TicketState.PENDING.value,
                iso(now),
                now.timestamp(),
                self._next_order_no(),
                caller.client,
            ),
        )
        ticket_id = int(cursor.lastrowid or 0)
        self.store.conn.execute(
            "INSERT INTO ticket_log(ticket_id, day, at, action, state) VALUES (?,?,?,?,?)",
            (ticket_id, day, iso(now), "issue", TicketState.PENDING.value),
        )
        row = self._ticket_row(ticket_id)
        # As call_next will order it: every counter that may take it, not its matter alone.
        counters = self._counter_views()
        ahead = self._ahead_in_call_order(_queued(row), counters)
        result = {
            "ticket": self.ticket_json(row),
            "ahead": ahead,
            "est_wait_s": self._estimate(service["code"], ahead, day, counters),
        }
        result.update(self._web_link(ticket_id, day))
        return Outcome(result=result)

    def _web_link(self, ticket_id: int, day: str) -> dict[str, str]:
        """The ticket's web token, and the URL its QR code holds when the hall has web pages."""
        token = make_token(self._token_secret, ticket_id, day)
        link = {"token": token}
        if self.config.web_public_url:
            link["url"] = f"{self.config.web_public_url}/t/{token}"
        return link

    def _estimate(self, service: str, ahead: int, day: str, counters: list[_CounterView]) -> int:
        serving = open_ = 0
        for counter in counters:
            if counter.services is None or service in counter.services:
                serving += 1
                open_ += counter.state == CounterState.OPEN
        return estimate_wait_s(ahead, mean_service_s(list(self._recent_s)), open_, serving)

    def _counter_views(self) -> list[_CounterView]:
        """The counters as the wait figures see them; their service lists (up to 1,000 matters
        each in a county hall) are read and parsed once per batch (the transaction sees no
        other writer)."""
        if self._batch_services is None:
            self._batch_services = {
                row["number"]: self._counter_services(row)
                for row in self.store.all("SELECT number, services FROM counters")
            }
        return [
            _CounterView(
                r["number"],
                r["name"],
                r["state"],
                self._batch_services.get(r["number"]),
                r["priority_streak"],
            )
            for r in self.store.all(
                "SELECT number, name, state, priority_streak FROM counters ORDER BY number"
            )
        ]

    def _require_issuer(self, caller: Caller, row: sqlite3.Row, op: str) -> None:
        """Only the kiosk that issued a ticket may confirm or cancel it (admin tools may too)."""
        if caller.role == KIOSK and row["kiosk"] != caller.client:
            raise HallError(
                ErrorCode.FORBIDDEN,
                f"ticket {row['number']} was issued by another kiosk; only it may send '{op}'",
                reason="other_kiosk",
            )

    def op_printed(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        row = self._ticket_row(params["ticket"])
        self._require_issuer(caller, row, "printed")
        if row["state"] in (TicketState.CANCELLED, TicketState.EXPIRED):
            raise HallError(
                ErrorCode.CONFLICT,
                f"ticket {row['number']} is {row['state']}; it cannot be confirmed",
            )
        if row["state"] != TicketState.PENDING:
            return Outcome(
                result={"ticket": self.ticket_json(row)}
            )  # already confirmed or released
        ticket = self._transition(row, Action.PRINTED, now, caller, printed_at=iso(now))
        return Outcome(
            result={"ticket": ticket},
            events=[("ticket_issued", {"ticket": ticket}), self._waiting_event()],
        )

    def op_print_failed(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        row = self._ticket_row(params["ticket"])
        self._require_issuer(caller, row, "print_failed")
        if row["state"] != TicketState.PENDING:
            raise HallError(
                ErrorCode.CONFLICT,
                f"ticket {row['number']} is {row['state']}, not pending; it cannot be cancelled",
            )
        reason = params.get("reason") or "print failed"
        ticket = self._transition(
            row, Action.PRINT_FAILED, now, caller, detail=reason, cancel_reason=reason
        )
        return Outcome(result={"ticket": ticket}, events=[("ticket_changed", {"ticket": ticket})])

    def op_kiosk_status(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        previous = self.store.one(
            "SELECT printer, message FROM kiosks WHERE client = ?", (caller.client,)
        )
        kiosk = {
            "client": caller.client,
            "printer": params["printer"],
            "message": params.get("message", ""),
            "at": iso(now),
        }
        self.store.conn.execute(
            "INSERT INTO kiosks(client, printer, message, at) VALUES (:client, :printer, :message, :at)"
            " ON CONFLICT(client) DO UPDATE SET printer = excluded.printer, message = excluded.message,"
            " at = excluded.at",
            kiosk,
        )
        changed = previous is None or (previous["printer"], previous["message"]) != (
            kiosk["printer"],
            kiosk["message"],
        )
        kiosk = self._kiosk_json(kiosk)
        return Outcome(
            result={"kiosk": kiosk}, events=[("kiosk_changed", {"kiosk": kiosk})] if changed else []
        )

    def _kiosk_json(self, kiosk: dict[str, Any]) -> dict[str, Any]:
        """A Kiosk object; `name` is the friendly name the hall file gives it, if any."""
        name = dict(self.config.kiosk_names).get(kiosk["client"])
        return {**kiosk, "name": name} if name else kiosk

    # -- ops: ratings and figures ---------------------------------------------------------------

    def op_rate(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        if caller.role == COUNTER and caller.clerk is None:
            # Who may ask comes before what was asked: with nobody logged in, only a ticket
            # this counter finished moments ago may be rated; anything else is forbidden.
            found = self.store.one("SELECT * FROM tickets WHERE id = ?", (params["ticket"],))
            if found is None:
                raise HallError(
                    ErrorCode.FORBIDDEN,
                    "log in at the counter before 'rate'",
                    reason="clerk_not_logged_in",
                )
        row = self._ticket_row(params["ticket"])
        if caller.role == COUNTER:
            # Ratings feed the clerks' monthly assessment: only the counter that served the
            # ticket, with the clerk who finished it (or the clerk now at that counter).
            if row["counter"] != caller.counter:
                raise HallError(
                    ErrorCode.FORBIDDEN, f"ticket {row['number']} was not served at this counter"
                )
            at_counter = self._counter_row(caller.counter)["clerk_id"]
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
                    reason="clerk_not_logged_in",
                )
        if row["state"] != TicketState.DONE:
            raise HallError(
                ErrorCode.CONFLICT,
                f"ticket {row['number']} is {row['state']}; only a finished ticket is rated",
            )
        if self.store.one("SELECT 1 FROM ratings WHERE ticket_id = ?", (row["id"],)):
            raise HallError(ErrorCode.CONFLICT, f"ticket {row['number']} has already been rated")
        rating = {
            "ticket": row["id"],
            "number": row["number"],
            "level": params["level"],
            "counter": row["counter"],
            "clerk": row["clerk_id"],
            "at": iso(now),
        }
        self.store.conn.execute(
            "INSERT INTO ratings(ticket_id, day, at, level, counter, clerk_id) VALUES (?,?,?,?,?,?)",
            (row["id"], row["day"], rating["at"], rating["level"], row["counter"], row["clerk_id"]),
        )
        return Outcome(result={"rating": rating}, events=[("ticket_rated", {"rating": rating})])

    def op_clerk_stats(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        """Today's figures of the logged-in clerk, as the monthly report defines them."""
        day = self.day(now)
        rules = FigureRules(self.config.short_service_s, self.config.day_reset)
        assert (
            caller.clerk is not None
        )  # counter ops need a logged-in clerk (shared/protocol/ops.py)
        figures = clerk_work(self.store.conn, day, day, now, rules, only=caller.clerk).get(
            caller.clerk
        )
        if figures is None:
            figures = ClerkFigures(caller.clerk, caller.clerk)
        mean, p90 = figures.mean_service_s, figures.p90_service_s
        return Outcome(
            result={
                "clerk": caller.clerk,
                "day": day,
                "served": figures.served,
                "no_shows": figures.no_shows,
                "mean_service_s": round(mean) if mean is not None else None,
                "ratings": {level: n for level, n in figures.ratings.items() if n},
                # added with the call gap: the report's clerk figures, for the "today" line
                "without_start": figures.without_start,
                "short": figures.short,
                "short_service_s": rules.short_service_s,
                "calls": figures.calls,
                "recalls": figures.recalls,
                "transfers": figures.transfers,
                "p90_service_s": round(p90) if p90 is not None else None,
                "logged_in_s": round(figures.logged_in_s),
                "paused_s": {r: round(v) for r, v in figures.paused_s.items()},
                "rated": figures.rated,
                "score": round(figures.score, 1) if figures.score is not None else None,
            }
        )

    # -- ops: counter -------------------------------------------------------------------------

    def pin_hash(self, clerk_id: str) -> str | None:
        """The stored PIN hash of a clerk, None for an unknown one (for the check off the loop)."""
        row = self.store.one("SELECT pin_hash FROM clerks WHERE id = ?", (clerk_id,))
        return str(row["pin_hash"]) if row is not None else None

    def reference_hash(self) -> str | None:
        """The costliest clerk hash: a dummy check for an unknown clerk id costs as much."""
        hashes = [r[0] for r in self.store.all("SELECT pin_hash FROM clerks")]
        return max(hashes, key=lambda h: auth.iterations_of(h) or 0, default=None)

    def op_login(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        clerk_id = params["clerk"].strip()
        clerk = self.store.one("SELECT * FROM clerks WHERE id = ?", (clerk_id,))
        stored = clerk["pin_hash"] if clerk is not None else None
        check = params.get("pin_check")
        if not isinstance(check, PinCheck) or check.pin_hash != stored:
            # Checked here when the server did not (or the PIN was reset meanwhile); an unknown
            # clerk costs the same time as a real one.
            like = self.reference_hash() if stored is None else None
            check = PinCheck(stored, auth.check_pin_or_dummy(params["pin"], stored, like))
        key = (clerk_id, caller.source or "")
        stamp = now.timestamp()
        locked = self._lockouts.get(key)
        if locked is not None and (stamp >= locked[0] or locked[1] != stored):
            del self._lockouts[key]  # expired, or the PIN was reset (`clerk reset-pin`)
            locked = None
        if locked is not None:
            until = datetime.fromtimestamp(locked[0], now.tzinfo)
            return Outcome(
                error=HallError(
                    ErrorCode.NOT_AUTHENTICATED,
                    f"too many wrong PINs: clerk {clerk_id} is locked out at this address "
                    f"until {until:%H:%M}",
                    reason="locked_out",
                )
            )
        if clerk is None or not check.ok:
            return self._wrong_pin(key, now)
        if clerk["disabled"]:
            return Outcome(
                error=HallError(
                    ErrorCode.NOT_AUTHENTICATED, f"clerk {clerk_id} is disabled", reason="disabled"
                )
            )
        self._clerk_names[clerk_id] = clerk["name"]
        self._failures.pop(key, None)
        if self.login_alert is not None and self.login_alert["clerk"] == clerk_id:
            self.login_alert = None
        counter = self._counter_row(caller.counter)
        state = (
            counter["state"] if counter["state"] != CounterState.CLOSED else CounterState.OPEN.value
        )
        data = self._set_counter(counter["number"], now, clerk_id=clerk_id, state=state)
        changed = (counter["clerk_id"], counter["state"]) != (clerk_id, state)
        events: list[Event] = [("counter_changed", {"counter": data})] if changed else []
        # A clerk works at one counter: one left without a ticket in hand is closed, so the
        # board does not show it open with nobody there.
        for other in self.store.all(
            "SELECT number FROM counters WHERE clerk_id = ? AND number != ? AND ticket_id IS NULL",
            (clerk_id, counter["number"]),
        ):
            left = self._set_counter(
                other["number"],
                now,
                clerk_id=None,
                state=CounterState.CLOSED.value,
                pause_reason=None,
                priority_streak=0,
            )
            events.append(("counter_changed", {"counter": left}))
        return Outcome(
            result={
                "clerk": {"id": clerk_id, "name": clerk["name"]},
                "counter": data,
                "call_gap_s": self.config.call_gap_s,
            },
            events=events,
            clerk=clerk_id,
        )

    def _wrong_pin(self, key: tuple[str, str], now: datetime) -> Outcome:
        """Count a wrong PIN (or unknown clerk) from one address; the 5th locks that pair out."""
        wrong = HallError(
            ErrorCode.NOT_AUTHENTICATED, "unknown clerk or wrong PIN", reason="wrong_pin"
        )
        stamp = now.timestamp()
        if len(self._failures) >= LOGIN_MEMORY:
            for old in [k for k, v in self._failures.items() if v[-1] <= stamp - LOCKOUT_WINDOW_S]:
                del self._failures[old]
            if len(self._failures) >= LOGIN_MEMORY:
                self._failures.clear()
        times = [t for t in self._failures.get(key, []) if t > stamp - LOCKOUT_WINDOW_S]
        times.append(stamp)
        self._failures[key] = times
        if len(times) < LOCKOUT_FAILURES:
            return Outcome(error=wrong)
        del self._failures[key]
        clerk_id, source = key
        if len(self._lockouts) >= LOGIN_MEMORY:
            self._lockouts = {k: v for k, v in self._lockouts.items() if v[0] > stamp}
        self._lockouts[key] = (stamp + LOCKOUT_S, self.pin_hash(clerk_id))
        log.warning("clerk %s locked out at %s after %d wrong PINs", clerk_id, source, len(times))
        events: list[Event] = []
        alert = {
            "clerk": clerk_id,
            "source": source,
            "at": iso(now),
            "until": iso(now + timedelta(seconds=LOCKOUT_S)),
        }
        self.login_alert = {**alert, "day": self.day(now)}
        if stamp - self._alerted.get(clerk_id, -ALERT_GAP_S) >= ALERT_GAP_S:
            self._alerted[clerk_id] = stamp
            if len(self._alerted) > LOGIN_MEMORY:
                self._alerted.clear()
            events.append(("login_alert", {"alert": alert}))
        return Outcome(
            error=HallError(
                ErrorCode.NOT_AUTHENTICATED,
                f"wrong PIN; clerk {clerk_id} is now locked out at this address for "
                f"{LOCKOUT_S // 60} minutes",
                reason="locked_out",
            ),
            events=events,
        )

    def op_counter_gone(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        """Close a counter whose client left and did not come back, unless a ticket is in hand
        (then the clerk is most likely still there, and the ticket must not be lost)."""
        counter = self._counter_row(caller.counter)
        if (
            counter["clerk_id"] != caller.clerk
            or counter["ticket_id"]
            or counter["state"] == "closed"
        ):
            return Outcome(result={})
        data = self._set_counter(
            counter["number"],
            now,
            clerk_id=None,
            state=CounterState.CLOSED.value,
            pause_reason=None,
            priority_streak=0,
        )
        return Outcome(result={"counter": data}, events=[("counter_changed", {"counter": data})])

    def op_logout(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        counter = self._counter_for_op(caller)
        if counter["ticket_id"]:
            raise HallError(
                ErrorCode.CONFLICT,
                "finish, transfer or mark no-show the current ticket before logging out",
            )
        data = self._set_counter(
            counter["number"],
            now,
            clerk_id=None,
            state=CounterState.CLOSED.value,
            pause_reason=None,
            priority_streak=0,
        )
        return Outcome(
            result={"counter": data}, events=[("counter_changed", {"counter": data})], clerk=""
        )

    def _counter_for_op(self, caller: Caller) -> sqlite3.Row:
        counter = self._counter_row(caller.counter)
        if counter["clerk_id"] is None:
            raise HallError(
                ErrorCode.FORBIDDEN,
                f"counter {caller.counter} was closed (a new day?); log in again",
            )
        if counter["clerk_id"] != caller.clerk:
            raise HallError(
                ErrorCode.FORBIDDEN, f"another clerk has logged in at counter {caller.counter}"
            )
        return counter

    def _call(
        self,
        caller: Caller,
        counter: sqlite3.Row,
        row: sqlite3.Row,
        now: datetime,
        events: list[Event],
        streak: int,
    ) -> Outcome:
        ticket = self._transition(
            row,
            Action.CALL,
            now,
            caller,
            called_at=iso(now),
            counter=counter["number"],
            clerk_id=caller.clerk,
            calls=row["calls"] + 1,
            reserved_counter=None,
            started_at=None,
        )
        self.store.conn.execute(
            "INSERT INTO calls(day, ticket_id, counter, at, recall) VALUES (?,?,?,?,0)",
            (row["day"], row["id"], counter["number"], iso(now)),
        )
        data = self._set_counter(
            counter["number"],
            now,
            ticket,
            ticket_id=row["id"],
            priority_streak=streak,
            last_call_at=now.timestamp(),
        )
        events += [
            ("ticket_called", {"ticket": ticket, "counter": counter["number"], "recall": False}),
            ("counter_changed", {"counter": data}),
            self._waiting_event(),
        ]
        return Outcome(result={"ticket": ticket}, events=events)

    def _check_can_call(self, counter: sqlite3.Row, now: datetime) -> None:
        if counter["state"] == CounterState.PAUSED:
            raise HallError(ErrorCode.CONFLICT, "the counter is paused; resume it before calling")
        # The call gap: a double press (or a bouncing key) must not call a second resident
        # and finish the first one's ticket a moment after it was called.
        last = counter["last_call_at"]
        remaining = (last + self.config.call_gap_s - now.timestamp()) if last is not None else 0
        # A clock set back (by hand, or by a time server) must not lock the keys for hours.
        remaining = min(remaining, self.config.call_gap_s)
        if remaining > 0:
            seconds = max(1, math.ceil(remaining))
            raise HallError(
                ErrorCode.CONFLICT,
                f"counter {counter['number']} called a ticket less than"
                f" {self.config.call_gap_s} s ago; call again in {seconds} s",
                reason=CALL_TOO_SOON,
                retry_after_s=seconds,
            )

    def op_call_next(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        counter = self._counter_for_op(caller)
        self._check_can_call(counter, now)
        events: list[Event] = []
        self._finish_held(caller, counter, now, events, "call_next")
        taken = self.queue.next_for(
            counter["number"], self._counter_services(counter), counter["priority_streak"]
        )
        if taken is None:
            if events:
                data = self._set_counter(counter["number"], now, ticket_id=None)
                events.append(("counter_changed", {"counter": data}))
            return Outcome(result={"ticket": None}, events=events)
        return self._call(
            caller,
            counter,
            self._ticket_row(taken.id),
            now,
            events,
            next_streak(counter["priority_streak"], taken),
        )

    def op_call(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        counter = self._counter_for_op(caller)
        self._check_can_call(counter, now)
        row = self._find_ticket(params["ticket"], self.day(now))
        if row["state"] != TicketState.WAITING:
            raise HallError(
                ErrorCode.CONFLICT, f"ticket {row['number']} is {row['state']}, not waiting"
            )
        if row["reserved_counter"] not in (None, counter["number"]):
            raise HallError(
                ErrorCode.CONFLICT,
                f"ticket {row['number']} is reserved for counter {row['reserved_counter']}",
            )
        events: list[Event] = []
        self._finish_held(caller, counter, now, events, "call")
        return self._call(caller, counter, row, now, events, counter["priority_streak"])

    def op_recall(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        counter = self._counter_for_op(caller)
        held = self._require_held(counter, "recall")
        ticket = self._transition(held, Action.RECALL, now, caller, calls=held["calls"] + 1)
        self.store.conn.execute(
            "INSERT INTO calls(day, ticket_id, counter, at, recall) VALUES (?,?,?,?,1)",
            (held["day"], held["id"], counter["number"], iso(now)),
        )
        data = self.counter_json(self._counter_row(counter["number"]))
        return Outcome(
            result={"ticket": ticket},
            events=[
                ("ticket_called", {"ticket": ticket, "counter": counter["number"], "recall": True}),
                ("counter_changed", {"counter": data}),
            ],
        )

    def _simple(
        self, caller: Caller, op: str, action: Action, now: datetime, release: bool, **changes: Any
    ) -> Outcome:
        counter = self._counter_for_op(caller)
        held = self._require_held(counter, op)
        if action == Action.FINISH:
            ticket = self._finish(held, caller, now)
        else:
            ticket = self._transition(held, action, now, caller, **changes)
        data = (
            self._set_counter(counter["number"], now, ticket_id=None)
            if release
            else self.counter_json(self._counter_row(counter["number"]))
        )
        return Outcome(
            result={"ticket": ticket},
            events=[("ticket_changed", {"ticket": ticket}), ("counter_changed", {"counter": data})],
        )

    def op_start(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        return self._simple(caller, "start", Action.START, now, release=False, started_at=iso(now))

    def op_finish(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        return self._simple(caller, "finish", Action.FINISH, now, release=True)

    def op_no_show(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        return self._simple(caller, "no_show", Action.NO_SHOW, now, release=True)

    def op_transfer(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        counter = self._counter_for_op(caller)
        held = self._require_held(counter, "transfer")
        changes: dict[str, Any] = {
            "counter": None,
            "transfers": held["transfers"] + 1,
            "started_at": None,
        }
        if "service" in params:
            service = self.store.one("SELECT * FROM services WHERE code = ?", (params["service"],))
            if service is None:
                raise HallError(
                    ErrorCode.NOT_FOUND, f"no service {params['service']!r} in the catalog"
                )
            changes.update(
                service=service["code"], category=service["category"], reserved_counter=None
            )
            detail = f"to service {service['code']}"
        else:
            target = params["counter"]
            if target == counter["number"]:
                raise HallError(
                    ErrorCode.CONFLICT, "a ticket cannot be transferred to its own counter"
                )
            self._counter_row(target)
            changes["reserved_counter"] = target
            detail = f"to counter {target}"
        ticket = self._transition(held, Action.TRANSFER, now, caller, detail=detail, **changes)
        data = self._set_counter(counter["number"], now, ticket_id=None)
        return Outcome(
            result={"ticket": ticket},
            events=[
                ("ticket_changed", {"ticket": ticket}),
                ("counter_changed", {"counter": data}),
                self._waiting_event(),
            ],
        )

    def op_reactivate(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        if caller.role == COUNTER:
            self._counter_for_op(caller)
        day = self.day(now)
        row = self._find_ticket(params["ticket"], day)
        if row["day"] != day:
            raise HallError(
                ErrorCode.CONFLICT, f"ticket {row['number']} is from {row['day']}, not today"
            )
        if row["state"] != TicketState.NO_SHOW:
            raise HallError(
                ErrorCode.CONFLICT, f"ticket {row['number']} is {row['state']}, not a no-show"
            )
        ticket = self._transition(
            row,
            Action.REACTIVATE,
            now,
            caller,
            order_at=now.timestamp(),
            order_no=self._next_order_no(),
            counter=None,
            reserved_counter=None,
        )
        return Outcome(
            result={"ticket": ticket},
            events=[("ticket_changed", {"ticket": ticket}), self._waiting_event()],
        )

    def op_pause(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        counter = self._counter_for_op(caller)
        if counter["ticket_id"]:
            raise HallError(
                ErrorCode.CONFLICT,
                "finish, transfer or mark no-show the current ticket before pausing",
            )
        if counter["state"] == CounterState.PAUSED:
            raise HallError(ErrorCode.CONFLICT, "the counter is already paused")
        data = self._set_counter(
            counter["number"],
            now,
            state=CounterState.PAUSED.value,
            pause_reason=params.get("reason") or None,
        )
        return Outcome(result={"counter": data}, events=[("counter_changed", {"counter": data})])

    def op_resume(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        counter = self._counter_for_op(caller)
        if counter["state"] != CounterState.PAUSED:
            raise HallError(ErrorCode.CONFLICT, "the counter is not paused")
        data = self._set_counter(
            counter["number"], now, state=CounterState.OPEN.value, pause_reason=None
        )
        return Outcome(result={"counter": data}, events=[("counter_changed", {"counter": data})])

    def op_queue(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        counter = self._counter_for_op(caller)
        services = self._counter_services(counter)
        limit = min(params.get("limit", QUEUE_LIMIT), QUEUE_LIMIT)
        order = self.queue.order_for(counter["number"], services, counter["priority_streak"], limit)
        rows = {r["id"]: r for r in self._rows([t.id for t in order])}
        tickets = [self.ticket_json(rows[t.id]) for t in order]
        total = self.queue.count_for(counter["number"], services)
        end = fill_page(tickets, PAGE_BUDGET - json_size({"tickets": [], "total": total}))
        return Outcome(result={"tickets": tickets[:end], "total": total})

    def op_no_shows(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        """Today's no-show tickets, the latest first: what a counter may reactivate."""
        self._counter_for_op(caller)
        limit = min(params.get("limit", NO_SHOWS_LIMIT), NO_SHOWS_LIMIT)
        rows = self.store.all(
            "SELECT * FROM tickets WHERE day = ? AND state = ? ORDER BY called_at DESC, id DESC",
            (self.day(now), TicketState.NO_SHOW.value),
        )
        tickets = [self.ticket_json(row) for row in rows[:limit]]
        end = fill_page(tickets, PAGE_BUDGET - json_size({"tickets": [], "total": len(rows)}))
        return Outcome(result={"tickets": tickets[:end], "total": len(rows)})

    # -- ops: the web pages -------------------------------------------------------------------

    def op_ticket_view(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        day = self.day(now)
        counters = self._counter_views()
        # Counters alike (services, streak, open or not, nothing reserved) share one call order.
        alike: dict[tuple[Any, ...], _CounterView] = {}
        for c in counters:
            own = c.number if self.queue.has_reserved(c.number) else None
            alike.setdefault((c.services, c.streak, c.state == CounterState.OPEN, own), c)
        orders = list(alike.values())
        names: dict[str, sqlite3.Row | None] = {}
        ids = {token: ticket_id_of(token) for token in params["tokens"]}
        rows = {r["id"]: r for r in self._rows(i for i in ids.values() if i is not None)}
        views = []
        for token in params["tokens"]:
            row = rows.get(ids[token])  # type: ignore[arg-type]
            if row is None or not self._token_matches(token, row):
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
                    names[row["service"]] = self.store.one(
                        "SELECT s.name, s.name_en, c.name AS cat_name, c.name_en AS cat_name_en"
                        " FROM services s JOIN categories c ON c.code = s.category WHERE s.code = ?",
                        (row["service"],),
                    )
                views.append(
                    self._ticket_view(token, row, names[row["service"]], counters, orders, day)
                )
        return Outcome(result={"day": day, "views": views})

    def _token_matches(self, token: str, row: sqlite3.Row) -> bool:
        """Whether `token` is the one made for this ticket (pages ask again on every change, so
        a token once proven is remembered; the cache is bounded)."""
        known = self._proven_tokens.get(token)
        if known is not None:
            return known == row["id"]
        if not verify(self._token_secret, token, row["id"], row["day"]):
            return False
        if len(self._proven_tokens) >= PROVEN_TOKENS:
            self._proven_tokens.clear()
        self._proven_tokens[token] = row["id"]
        return True

    def _ticket_view(
        self,
        token: str,
        row: sqlite3.Row,
        names: sqlite3.Row | None,
        counters: list[_CounterView],
        orders: list[_CounterView],
        day: str,
    ) -> dict[str, Any]:
        view: dict[str, Any] = {
            "token": token,
            "status": "ok",
            "ticket": self.ticket_json(row),
            "service_name": names["name"] if names else row["service"],
            "service_name_en": names["name_en"] if names else row["service"],
            "category_name": names["cat_name"] if names else row["category"],
            "category_name_en": names["cat_name_en"] if names else row["category"],
            "ahead": None,
            "est_wait_s": None,
            "counter_name": None,
        }
        if row["counter"] is not None:
            counter = next((c for c in counters if c.number == row["counter"]), None)
            view["counter_name"] = counter.name if counter else None
        if row["state"] in (TicketState.WAITING, TicketState.PENDING):
            ahead = self._ahead_in_call_order(_queued(row), orders)
            view["ahead"] = ahead
            view["est_wait_s"] = self._estimate(row["service"], ahead, day, counters)
        return view

    def _ahead_in_call_order(self, ticket: QueuedTicket, counters: list[_CounterView]) -> int:
        """Waiting tickets that `call_next` takes before this one, at the counter reaching it first.

        The open counters that may take the ticket (its reserved counter, or those serving its
        service) are asked, or all that may take it when none is open; each answers with its
        real call order (service set, priority, its priority streak). A ticket not yet in the
        queue (just issued, not yet printed) gets the place it will take there. Counters alike
        (same services and streak, nothing reserved for them) are asked once.
        """
        places: dict[bool, list[int]] = {True: [], False: []}
        asked: dict[object, int | None] = {}
        for counter in counters:
            alike: object = (
                counter.number
                if self.queue.has_reserved(counter.number)
                else (counter.services, counter.streak)
            )
            if alike not in asked:
                asked[alike] = self.queue.place_for(
                    ticket, counter.number, counter.services, counter.streak
                )
            place = asked[alike]
            if place is not None:
                places[counter.state == CounterState.OPEN].append(place)
        found = places[True] or places[False]
        return min(found) if found else self.queue.ahead(ticket)

    def _rows(self, ids: Iterable[int]) -> list[sqlite3.Row]:
        ids = list(ids)
        if not ids:
            return []
        return self.store.all(
            f"SELECT * FROM tickets WHERE id IN ({','.join('?' * len(ids))})", tuple(ids)
        )


def _queued(row: sqlite3.Row) -> QueuedTicket:
    return QueuedTicket(
        row["id"],
        row["service"],
        bool(row["priority"]),
        row["order_at"],
        row["reserved_counter"],
        row["order_no"],
    )


def _loopback(address: str) -> bool:
    """Whether a connection comes from this PC itself (127.0.0.0/8, ::1)."""
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False
