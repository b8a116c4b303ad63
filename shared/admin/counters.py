"""Which matters each counter serves: reading, describing and changing it in the database.

A counter serves every matter (`services` NULL) or a list of matter codes; operators name
whole departments by their code, which stand for the department's active matters, as in
the hall file's [[counters]]. The database keeps what was given (`assigned`) beside the
matters, so a catalog import expands it again (`follow_catalog`) and never changes it: see
`shared.server.assignments`. A change is one short transaction the running server picks up
at the counter's next call.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from shared.admin.hall_db import json_codes, open_store
from shared.config.rules import CODE_RE, CODE_RULE
from shared.domain import limits
from shared.domain.errors import EXIT_USAGE, CommandError
from shared.server.assignments import (
    active_catalog,
    assignment_matters,
    expand_codes,
    group_departments,
    still_assignable,
)
from shared.server.store import dumps


@dataclass(frozen=True)
class CounterServices:
    """A counter after `set_counter_services`: `services` None means every matter."""

    number: int
    name: str
    services: list[str] | None
    by_category: dict[str, list[str]]
    unserved: list[str]  # active matters no counter serves now


@dataclass(frozen=True)
class CounterRow:
    number: int
    name: str
    state: str
    clerk_id: str | None
    services: str  # as `describe_services` words it


def describe_services(services: list[str] | None, by_category: dict[str, list[str]]) -> str:
    """A counter's services, whole departments shown by their code."""
    if services is None:
        return "all"
    return ",".join(group_departments(services, by_category)) or "(none)"


def unserved_services(conn: sqlite3.Connection) -> list[str]:
    """Active services that no counter serves: residents could take tickets nobody calls."""
    served: set[str] = set()
    for (services,) in conn.execute("SELECT services FROM counters"):
        if services is None:
            return []
        served.update(json_codes(services))
    return [
        code
        for (code,) in conn.execute(
            "SELECT code FROM services WHERE active = 1 ORDER BY position, code"
        )
        if code not in served
    ]


def number_ranges(numbers: list[int]) -> str:
    """Sorted numbers as ranges: [1, 2, 3, 7] -> "1-3, 7"."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in runs)


def parse_services(spec: str) -> list[str] | None:
    """The codes of "all" or "CODE,CODE..." (None for all); CommandError when malformed."""
    codes = [code.strip() for code in spec.strip().split(",") if code.strip()]
    if not codes:
        raise CommandError(
            'name the services: "all", or service and department codes separated by commas',
            EXIT_USAGE,
        )
    if len(codes) == 1 and codes[0].lower() == "all":
        return None
    for code in codes:
        if not CODE_RE.fullmatch(code):
            raise CommandError(f'"{code}" is not a code: {CODE_RULE}', EXIT_USAGE)
    return codes


def set_counter_services(db: Path, number: int, codes: list[str] | None) -> CounterServices:
    """Make counter `number` serve `codes` (matters and departments; None: every matter)."""
    store = open_store(db)
    try:
        with store.transaction() as conn:
            row = conn.execute(
                "SELECT number, name FROM counters WHERE number = ?", (number,)
            ).fetchone()
            if row is None:
                numbers = [n for (n,) in conn.execute("SELECT number FROM counters ORDER BY 1")]
                raise CommandError(
                    f"there is no counter {number}; the counters are "
                    + (number_ranges(numbers) or "none")
                )
            by_category, services = active_catalog(conn)
            expanded: list[str] | None = None
            if codes is not None:
                expanded, problems = expand_codes(codes, by_category, services)
                if problems:
                    raise CommandError("; ".join(problems) + "; nothing was changed")
                if len(expanded) > limits.MAX_COUNTER_SERVICES:
                    raise CommandError(
                        f"that is {len(expanded)} matters; a counter can name at most "
                        f'{limits.MAX_COUNTER_SERVICES} (use "all" to serve every matter); '
                        "nothing was changed"
                    )
            assigned = None if codes is None else list(dict.fromkeys(codes))
            conn.execute(
                "UPDATE counters SET assigned = ?, services = ? WHERE number = ?",
                (
                    None if assigned is None else dumps(assigned),
                    None if expanded is None else dumps(expanded),
                    number,
                ),
            )
            unserved = unserved_services(conn)
    finally:
        store.close()
    return CounterServices(row["number"], row["name"], expanded, by_category, unserved)


def counter_rows(db: Path) -> list[CounterRow]:
    """Every counter of the hall database, by number."""
    store = open_store(db)
    try:
        by_category, services = active_catalog(store.conn)
        rows = store.all("SELECT * FROM counters ORDER BY number")
    finally:
        store.close()
    return [
        CounterRow(
            row["number"],
            row["name"],
            row["state"],
            row["clerk_id"],
            _listed_services(row, by_category, services),
        )
        for row in rows
    ]


def _listed_services(
    row: sqlite3.Row, by_category: dict[str, list[str]], services: dict[str, bool]
) -> str:
    """A counter's services for `counter list`: what it serves, then the codes of its
    assignment the catalog does not have now (served again when an import brings them back)."""
    if row["services"] is None:
        return "all"
    parts = group_departments(json_codes(row["services"]), by_category)
    if row["assigned"] is not None:
        _, gone = still_assignable(json_codes(row["assigned"]), by_category, services)
        parts += [f"{code} (not in the catalog)" for code in gone]
    return ",".join(parts) or "(none)"


@dataclass(frozen=True)
class CounterFollow:
    """What a counter given codes serves in a new catalog: `matters` (its assignment
    expanded), `gone` (codes of its assignment that mean nothing in it, kept in the
    assignment), `moved` (matters it served that are now in a department it is not given:
    matter -> that department) and whether `matters` differs from what it serves now."""

    number: int
    name: str
    assigned: list[str]
    matters: list[str]
    gone: list[str]
    moved: dict[str, str]
    changed: bool

    @property
    def kept(self) -> list[str]:
        """The codes of its assignment that still mean something."""
        return [code for code in self.assigned if code not in self.gone]

    @property
    def cut(self) -> bool:
        """Whether the new catalog takes from it more than the matters it removes."""
        return bool(self.gone or self.moved)


def follow_catalog(
    conn: sqlite3.Connection, by_category: dict[str, list[str]], services: dict[str, bool]
) -> list[CounterFollow]:
    """Every counter given codes, as it would serve the catalog `by_category`/`services`
    (what an import leaves); `store_followed` writes it. The assignments never change."""
    department = {code: category for category, codes in by_category.items() for code in codes}
    follows = []
    rows = conn.execute(
        "SELECT number, name, assigned, services FROM counters"
        " WHERE assigned IS NOT NULL ORDER BY number"
    ).fetchall()
    for row in rows:
        assigned = json_codes(row["assigned"])
        matters, gone = assignment_matters(assigned, by_category, services)
        before = json_codes(row["services"]) if row["services"] is not None else []
        moved = {
            code: department[code] for code in before if code in department and code not in matters
        }
        follows.append(
            CounterFollow(
                row["number"], row["name"], assigned, matters, gone, moved, before != matters
            )
        )
    return follows


def store_followed(conn: sqlite3.Connection, follows: list[CounterFollow]) -> None:
    """Store the matters of the counters `follow_catalog` found changed (never `assigned`)."""
    conn.executemany(
        "UPDATE counters SET services = ? WHERE number = ?",
        [(dumps(follow.matters), follow.number) for follow in follows if follow.changed],
    )
