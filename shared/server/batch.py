"""A batch of requests: one transaction, one savepoint per request, undo of memory on failure.

The server hands the service every request that arrived together. They are applied in
one transaction (one disk flush for all), each in its own savepoint, so a request that
fails leaves no trace in the database, and its changes of the in-memory waiting queue are
undone too (`undo`). Events are numbered and stored with the batch; nothing may be sent
before `run_batch` returns, because only then is the transaction committed.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from datetime import datetime

from shared.domain.clock import iso
from shared.domain.errors import ErrorCode, HallError
from shared.domain.lifecycle import TransitionError
from shared.protocol.codec import encode, event
from shared.protocol.ops import OPS, Request
from shared.protocol.server_hello import may_send
from shared.server import queries
from shared.server.core import Caller, Event, Numbered, Outcome
from shared.server.day_reset import DayReset
from shared.server.store import dumps

log = logging.getLogger(__name__)


class Batching(DayReset):
    """Applies batches of requests to the database and the in-memory state together."""

    def run_batch(
        self, items: list[tuple[Caller, Request]]
    ) -> tuple[list[Numbered], list[Outcome]]:
        """Apply requests in one transaction. Returns (events not tied to a request, outcomes).

        Events carry their `seq` once this returns; nothing may be sent before it returns,
        because only then is the transaction committed.
        """
        seq_before = self.seq
        self.batch_services = None
        try:
            with self.store.transaction():
                now = self.clock.now()
                loose = self.number_events(self.maintain(now), now)
                outcomes = [self.apply_one(caller, request, now) for caller, request in items]
                if self.seq != seq_before:
                    self.store.set_meta("seq", str(self.seq))
        except Exception as exc:
            # Nothing of the batch was saved: memory goes back to what the database holds.
            self.seq = seq_before
            self.load_memory()
            if not isinstance(exc, sqlite3.Error):
                raise
            log.error("database refused the change: %s", exc)
            error = HallError(
                ErrorCode.UNAVAILABLE, f"the hall database cannot save changes now: {exc}"
            )
            return [], [Outcome(error=error) for _ in items]
        finally:
            self.undo.clear()
        return loose, outcomes

    def apply_one(self, caller: Caller, request: Request, now: datetime) -> Outcome:
        """One request in its own savepoint; a failure undoes its database and memory changes."""
        self.undo.clear()
        try:
            with self.store.savepoint():
                outcome = self.dispatch(caller, request, now)
                outcome.events = self.number_events(outcome.events, now)
        except sqlite3.OperationalError:
            raise  # the whole batch fails: disk full, read-only, locked
        except Exception as exc:
            while self.undo:  # the savepoint was rolled back: so is the in-memory queue
                self.undo.pop()()
            if isinstance(exc, HallError):
                return Outcome(error=exc)
            if isinstance(exc, TransitionError):
                return Outcome(error=HallError(ErrorCode.CONFLICT, str(exc)))
            log.exception("op %s from %s failed", request.op, caller.client)
            return Outcome(
                error=HallError(ErrorCode.INTERNAL, f"internal error while handling '{request.op}'")
            )
        self.undo.clear()  # kept: nothing to undo any more
        return outcome

    def number_events(self, events: list[Event], now: datetime) -> list[Numbered]:
        """Give each event the next seq and store it."""
        numbered: list[Numbered] = []
        for name, data in events:
            self.seq += 1
            numbered.append((self.seq, name, encode(event(name, self.seq, data))))
        if numbered:
            at = iso(now)
            queries.insert_events(
                self.conn,
                [(seq, at, name, frame.decode("utf-8")) for seq, name, frame in numbered],
            )
        return numbered

    def dispatch(self, caller: Caller, request: Request, now: datetime) -> Outcome:
        """Check who may ask, answer a repeated idempotent request as before, or run the op."""
        refused = may_send(caller.role, caller.clerk, request.op)
        if refused is not None:
            raise refused
        spec = OPS[request.op]
        day = self.day(now)
        if spec.idempotent:
            stored = queries.answered_request(self.conn, caller.client, day, request.req)
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
            queries.keep_answer(
                self.conn, caller.client, day, request.req, request.op, dumps(outcome.result)
            )
        return outcome
