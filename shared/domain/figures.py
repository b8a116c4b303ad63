"""A clerk's figures, defined once for the monthly report and the counter's line of the day.

The server answers `clerk_stats` with today's figures and the report prints a month of
them; both count them here, from plain rows, so the two can never disagree. The reading
of those rows from the hall database lives in `shared.server.figures`.

- served: tickets the clerk finished (with finish, or by calling the next ticket);
  no-shows and transfers: how many times the clerk marked a ticket no-show or transferred
  one;
- finished without start: of the served tickets, those whose clerk never pressed start;
- service time: finish minus start (or minus the call when the clerk never pressed start),
  of the tickets the clerk finished; a short service is one under the hall's
  `[report] short_service_s` (default 60 s); short share = short services / served;
- calls: the clerk's calls of a ticket (call_next or call; recalls not included);
  calls per served = calls / served; recalls: the clerk's recalls of a held ticket;
- time logged in: from the clerk's login at a counter to the logout or the counter's
  closing (by another login, by the server when the client was gone, or at the end of the
  business day), pauses included; time paused: while the counter was paused, by the reason
  given; a session still open counts until now;
- mean wait: over the tickets whose first call the clerk made;
- p90: nearest rank, the smallest value that at least 90 % of the values do not exceed;
- satisfaction score: 100 × (1.0·very satisfied + 0.8·satisfied + 0.6·basic
  + 0·unsatisfied) / ratings; none without ratings.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as day_time

from shared.domain.vocabulary import RATING_LEVELS

RATING_WEIGHTS: dict[str, float] = {
    "very_satisfied": 1.0,
    "satisfied": 0.8,
    "basic": 0.6,
    "unsatisfied": 0.0,
}

# The clerk's marks in ticket_log and the ClerkFigures count each one adds to.
MARKS: dict[str, str] = {
    "no_show": "no_shows",
    "transfer": "transfers",
    "call": "calls",
    "recall": "recalls",
}


@dataclass(frozen=True)
class FigureRules:
    """The hall settings the figures depend on (from the hall file)."""

    short_service_s: int = 60  # [report] short_service_s
    day_reset: day_time = day_time(0, 0)  # [hours] day_reset: where a business day ends


DEFAULT_RULES = FigureRules()  # a hall file without [report] and [hours] day_reset


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def p90(values: Sequence[float]) -> float | None:
    """Nearest-rank 90th percentile: the ceil(0.9·n)-th smallest value."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def satisfaction_score(ratings: Mapping[str, int]) -> float | None:
    """100 × weighted share of the ratings (weights in RATING_WEIGHTS); None with no rating."""
    rated = sum(ratings.get(level, 0) for level in RATING_LEVELS)
    if not rated:
        return None
    weighted = sum(RATING_WEIGHTS[level] * ratings.get(level, 0) for level in RATING_LEVELS)
    return 100 * weighted / rated


class Waits:
    """The wait figures of anything that keeps `waits_s`: its tickets' waits for a first call."""

    waits_s: list[float]

    @property
    def called(self) -> int:
        return len(self.waits_s)

    @property
    def mean_wait_s(self) -> float | None:
        return mean(self.waits_s)

    @property
    def p90_wait_s(self) -> float | None:
        return p90(self.waits_s)


@dataclass
class ClerkFigures(Waits):
    clerk_id: str
    name: str
    served: int = 0
    no_shows: int = 0
    transfers: int = 0
    service_s: list[float] = field(default_factory=list, repr=False)
    waits_s: list[float] = field(
        default_factory=list, repr=False
    )  # of the tickets they called first
    ratings: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RATING_LEVELS, 0))
    without_start: int = 0  # served tickets finished without pressing start
    short: int = 0  # served tickets with a service time under FigureRules.short_service_s
    calls: int = 0  # call_next / call (not recalls)
    recalls: int = 0
    logged_in_s: float = 0.0
    paused_s: dict[str, float] = field(default_factory=dict)  # by reason ("" = none given)

    @property
    def short_share(self) -> float | None:
        return self.short / self.served if self.served else None

    @property
    def calls_per_served(self) -> float | None:
        return self.calls / self.served if self.served else None

    @property
    def paused_total_s(self) -> float:
        return sum(self.paused_s.values())

    def add(self, other: ClerkFigures) -> None:
        """Add another clerk's figures to these (the hall's total row)."""
        for name in ("served", "no_shows", "transfers", "without_start", "short", "calls",
                     "recalls", "logged_in_s"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.service_s += other.service_s
        self.waits_s += other.waits_s
        for level, count in other.ratings.items():
            self.ratings[level] = self.ratings.get(level, 0) + count
        for reason, seconds in other.paused_s.items():
            self.paused_s[reason] = self.paused_s.get(reason, 0.0) + seconds

    @property
    def mean_service_s(self) -> float | None:
        return mean(self.service_s)

    @property
    def p90_service_s(self) -> float | None:
        return p90(self.service_s)

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())

    @property
    def score(self) -> float | None:
        return satisfaction_score(self.ratings)


# A counter's change of clerk, state or pause reason: (counter, at (ISO), clerk, state, reason).
CounterChange = tuple[int, str, str | None, str, str | None]


def counter_stretches(
    changes: Iterable[CounterChange], now: datetime, rules: FigureRules
) -> Iterable[tuple[str | None, str, str, float]]:
    """(clerk, state, pause reason, seconds) for each stretch a counter spent in one state.

    `changes` in the order they happened. A stretch ends at the counter's next change, at
    the end of its business day, or now.
    """
    current: dict[int, tuple[str | None, str, str, datetime]] = {}

    def close(counter: int, end: datetime) -> tuple[str | None, str, str, float]:
        clerk_id, state, reason, since = current.pop(counter)
        day_end = datetime.combine(
            since.date() + timedelta(days=1) if since.time() >= rules.day_reset else since.date(),
            rules.day_reset,
            tzinfo=since.tzinfo,
        )
        return clerk_id, state, reason, max(0.0, (min(end, day_end) - since).total_seconds())

    for counter, at, clerk_id, state, reason in changes:
        moment = datetime.fromisoformat(at)
        if counter in current:
            yield close(counter, moment)
        current[counter] = (clerk_id, state, reason or "", moment)
    for counter in list(current):
        yield close(counter, now)


class ClerkTally:
    """The clerks' figures, counted from the rows of one period, one kind of row at a time.

    `only` narrows them to one clerk; `names` (clerk id -> name) names them.
    """

    def __init__(
        self,
        rules: FigureRules = DEFAULT_RULES,
        only: str | None = None,
        names: Mapping[str, str] | None = None,
    ) -> None:
        self.rules = rules
        self.only = only
        self.names = names or {}
        self.clerks: dict[str, ClerkFigures] = {}

    def clerk(self, clerk_id: str | None) -> ClerkFigures | None:
        """The figures of `clerk_id`, new when first seen; None for no clerk or another one."""
        if clerk_id is None or (self.only is not None and clerk_id != self.only):
            return None
        if clerk_id not in self.clerks:
            self.clerks[clerk_id] = ClerkFigures(clerk_id, str(self.names.get(clerk_id, clerk_id)))
        return self.clerks[clerk_id]

    def finishes(
        self, rows: Iterable[tuple[int, str | None, int]], service_s: Mapping[int, float]
    ) -> None:
        """(ticket id, clerk, started) per finish; `service_s`: ticket id -> service time."""
        for ticket_id, clerk_id, started in rows:
            figures = self.clerk(clerk_id)
            if figures is None:
                continue
            figures.served += 1
            figures.without_start += started == 0
            if ticket_id in service_s:
                figures.service_s.append(service_s[ticket_id])
                figures.short += service_s[ticket_id] < self.rules.short_service_s

    def marks(self, rows: Iterable[tuple[str | None, str, int]]) -> None:
        """(clerk, action, count) of the actions in MARKS."""
        for clerk_id, action, count in rows:
            figures = self.clerk(clerk_id)
            if figures is not None:
                setattr(figures, MARKS[action], getattr(figures, MARKS[action]) + count)

    def ratings(self, rows: Iterable[tuple[str | None, str, int]]) -> None:
        """(clerk, level, count); levels outside RATING_LEVELS are left out."""
        for clerk_id, level, count in rows:
            figures = self.clerk(clerk_id)
            if figures is not None and level in figures.ratings:
                figures.ratings[level] += count

    def counter_log(self, changes: Iterable[CounterChange], now: datetime) -> None:
        """Time logged in and paused, from the counters' changes in the order they happened."""
        for clerk_id, state, reason, seconds in counter_stretches(changes, now, self.rules):
            figures = self.clerk(clerk_id)
            if figures is None or state == "closed":
                continue
            figures.logged_in_s += seconds
            if state == "paused":
                figures.paused_s[reason] = figures.paused_s.get(reason, 0.0) + seconds
