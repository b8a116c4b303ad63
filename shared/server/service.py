"""The hall service: applies one protocol op to the hall database and says what it caused.

It knows nothing of sockets. The server hands it a batch of requests; each runs in
its own savepoint inside one transaction, and the service returns, per request,
the reply and the events to send once that transaction has committed.

`HallService` is composed of one part per concern, each a module of its own:
`seeding` (the hall file into the database), `batch` (transactions, savepoints and the
undo of memory), `day_reset` (the business day), `snapshots`, `catalog_ops`,
`ticket_ops` (issue, printed, rate...), `web_views`, `login` and `counter_ops`
(call_next, transfer, pause...). What they share is `core.ServiceCore`; the objects they
send are made in `wire`, and every SQL statement is in `queries`.
"""

from __future__ import annotations

import logging
from collections import OrderedDict, deque
from datetime import datetime
from typing import Any

from shared.config.hall import HallConfig
from shared.domain.call_order import WaitingQueue
from shared.domain.clock import Clock, SystemClock
from shared.domain.estimate import RECENT
from shared.server.batch import Batching
from shared.server.catalog_ops import CatalogOps
from shared.server.core import Caller, Numbered, Outcome, PinCheck
from shared.server.counter_ops import CounterOps
from shared.server.figures import ClerkFigures, FigureRules, clerk_work
from shared.server.login import Login
from shared.server.seeding import Seeding, settings_mismatch
from shared.server.snapshots import Snapshots
from shared.server.store import HallStore
from shared.server.ticket_ops import TicketOps
from shared.server.web_views import WebViews

log = logging.getLogger(__name__)

__all__ = [
    "Caller",
    "HallService",
    "Numbered",
    "Outcome",
    "PinCheck",
    "settings_mismatch",
]


class HallService(Seeding, Batching, Snapshots, CatalogOps, TicketOps, WebViews, Login, CounterOps):
    """Every op of the hall protocol, applied to a HallStore."""

    def __init__(self, store: HallStore, config: HallConfig, clock: Clock | None = None) -> None:
        self.store = store
        self.config = config
        self.clock = clock or SystemClock(config.timezone)
        # Set when the database and the settings do not belong together (see seeding).
        self.settings_mismatch: str | None = None
        if store.is_empty():
            self.seed()
            self.add_missing_clerks()
        else:
            self.settings_mismatch = self.check_settings_origin()
            if self.settings_mismatch is None:
                self.sync_counters()
                self.add_missing_clerks()
            else:
                log.warning("%s", self.settings_mismatch)
        self.seq = int(store.get_meta("seq", "0") or 0)
        self.queue = WaitingQueue()
        self.undo = []
        self.recent_s = deque(maxlen=RECENT)
        self.clerk_names = {}
        self.order_no = 0
        self.issue_tokens = {}
        self.priority_misses = {}
        self.day_now = ""
        self.failures = {}
        self.lockouts = {}
        self.alerted = {}
        self.login_alert = None
        self.services_parsed = {}
        self.batch_services = None
        self.snapshot_pages = OrderedDict()
        self.load_memory()
        self.token_secret = self.web_token_secret()
        self.proven_tokens = {}
        self.hall = self.hall_name(apply_config=self.settings_mismatch is None)

    def op_clerk_stats(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        """Today's figures of the logged-in clerk, as the monthly report defines them."""
        day = self.day(now)
        rules = FigureRules(self.config.short_service_s, self.config.day_reset)
        assert caller.clerk is not None  # counter ops need a logged-in clerk (protocol/ops.py)
        figures = clerk_work(self.conn, day, day, now, rules, only=caller.clerk).get(caller.clerk)
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
