"""The catalog CSV file against the hall database: export, and an import that changes only
what the file changes.

An import reads and checks the whole file first (`shared.admin.catalog_csv`), then checks
it against the database (unknown departments, prefixes taken) and applies it in one
BEGIN IMMEDIATE transaction, so it is safe while the server runs: matters missing from
the file are deactivated, never deleted (tickets refer to them). The comparisons and the
prefix swap need their own SQL, so plain sqlite3 is used rather than sqlite-utils' upserts.
"""

from __future__ import annotations

import csv
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shared.admin.catalog_csv import CSV_COLUMNS, CsvCatalog, read_catalog_csv
from shared.admin.counters import (
    CounterFollow,
    follow_catalog,
    store_followed,
    unserved_services,
)
from shared.admin.hall_db import open_store, plural
from shared.admin.spreadsheet import to_row
from shared.config.hall import ConfigError
from shared.config.rules import suggest
from shared.domain import limits
from shared.domain.errors import CommandError


class CsvProblems(CommandError):
    """The catalog file has problems (`parsed.messages()` lists them); nothing was changed."""

    def __init__(self, parsed: CsvCatalog) -> None:
        super().__init__(
            f"{plural(len(parsed.problems), 'problem')} in {parsed.file}; nothing was changed"
        )
        self.parsed = parsed


@dataclass
class CatalogChanges:
    """What an import does to the database's catalog."""

    categories_added: list[str] = field(default_factory=list)
    categories_changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.categories_added
            or self.categories_changed
            or self.added
            or self.changed
            or self.deactivated
        )


@dataclass(frozen=True)
class CatalogImport:
    """What an import read and did (or, in a dry run, would do)."""

    parsed: CsvCatalog
    changes: CatalogChanges
    dry_run: bool
    unserved: list[str] = field(default_factory=list)  # after a real import only
    # The counters the import takes more from than the matters it removes.
    counters: list[CounterFollow] = field(default_factory=list)


def catalog_records(db: Path) -> list[list[str]]:
    """The active catalog as CSV rows in CSV_COLUMNS order, department by department."""
    store = open_store(db)
    try:
        rows = store.all(
            "SELECT c.code AS category_code, c.prefix AS category_prefix,"
            " c.name AS category_name, c.name_en AS category_name_en,"
            " s.code AS service_code, s.name AS service_name, s.name_en AS service_name_en,"
            " s.daily_limit, s.pinyin FROM services s JOIN categories c ON c.code = s.category"
            " WHERE s.active = 1 ORDER BY c.position, c.code, s.position, s.code"
        )
    finally:
        store.close()
    return [to_row([row[name] for name in CSV_COLUMNS]) for row in rows]


def write_catalog_csv(records: list[list[str]], out: Path) -> None:
    """Write the records to `out` with a header, as Excel reads Chinese correctly."""
    if out.is_dir():
        raise CommandError(f"{out} is a folder; give a file name such as {out / 'catalog.csv'}")
    # The byte-order mark makes Excel read the file as UTF-8, so Chinese shows correctly.
    with out.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(CSV_COLUMNS)
        writer.writerows(records)


def import_catalog(db: Path, file: Path, *, dry_run: bool) -> CatalogImport:
    """Check the CSV `file` and, unless `dry_run`, make it the catalog of `db`.

    CommandError when the file cannot be read, CsvProblems when any row is wrong: then
    nothing was changed.
    """
    try:
        parsed = read_catalog_csv(file)
    except ConfigError as exc:
        raise CommandError(f"{exc}; nothing was changed") from None
    store = open_store(db)
    try:
        conn = store.conn
        conn.execute("BEGIN" if dry_run else "BEGIN IMMEDIATE")
        try:
            _db_check(parsed, conn)
            # The counters follow the new catalog (judged on it, so a dry run names the same).
            by_category, services = _catalog_after(parsed, conn)
            follows = follow_catalog(conn, by_category, services)
            _counters_check(parsed, follows)
            if parsed.problems:
                raise CsvProblems(parsed)
            changes = _plan_and_apply(parsed, conn, apply=not dry_run)
            if not dry_run:
                store_followed(conn, follows)
            # A dry run changed nothing, so what no counter serves is judged after a real import.
            unserved = [] if dry_run else unserved_services(conn)
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("ROLLBACK" if dry_run else "COMMIT")
    finally:
        store.close()
    counters = [follow for follow in follows if follow.cut]
    return CatalogImport(parsed, changes, dry_run, unserved, counters)


def _catalog_after(
    parsed: CsvCatalog, conn: sqlite3.Connection
) -> tuple[dict[str, list[str]], dict[str, bool]]:
    """The catalog an import of `parsed` leaves, as `active_catalog` reads it: the file's
    departments in its order, then the database's others (without active matters); the
    file's matters active, the database's others not."""
    by_category: dict[str, list[str]] = {code: [] for code in parsed.categories}
    for (code,) in conn.execute("SELECT code FROM categories ORDER BY position, code"):
        by_category.setdefault(code, [])
    services = {code: False for (code,) in conn.execute("SELECT code FROM services")}
    for service in parsed.services:
        by_category.setdefault(service.category, []).append(service.code)
        services[service.code] = True
    return by_category, services


def _counters_check(parsed: CsvCatalog, follows: list[CounterFollow]) -> None:
    """A counter may name at most MAX_COUNTER_SERVICES matters (its departments counted by
    their matters), as in the hall file: the problem is on the row of the first matter over."""
    lines = {service.code: service.line for service in parsed.services}
    for follow in follows:
        if len(follow.matters) > limits.MAX_COUNTER_SERVICES:
            parsed.problem(
                lines.get(follow.matters[limits.MAX_COUNTER_SERVICES], 1),
                f"counter {follow.number} ({follow.name}) would serve {len(follow.matters)} "
                f"matters with this file (its departments counted by their matters); a "
                f"counter can name at most {limits.MAX_COUNTER_SERVICES}: give it fewer with "
                f'`queue-hall counter set-services {follow.number} CODES` (or "all") first',
            )


def _db_check(parsed: CsvCatalog, conn: sqlite3.Connection) -> None:
    """The problems only the database can show: unknown categories, prefixes taken."""
    db_categories = {
        row["code"]: row for row in conn.execute("SELECT code, prefix, name FROM categories")
    }
    file_codes = set(parsed.categories)
    for category in parsed.categories.values():
        if not category.defined and category.code not in db_categories:
            known = sorted(
                {*db_categories, *(c for c, v in parsed.categories.items() if v.defined)}
            )
            parsed.problem(
                category.line,
                f'category "{category.code}" is unknown: give its category_prefix and '
                "category_name on this row" + (suggest(category.code, known) or ""),
            )
        if category.defined:
            for code, row in db_categories.items():
                if row["prefix"] == category.prefix and code not in file_codes:
                    parsed.problem(
                        category.line,
                        f'category_prefix "{category.prefix}" of "{category.code}" is the prefix '
                        f'of the department "{code}" ({row["name"]}) in the database, which this '
                        "file does not list; choose another prefix",
                    )


def _plan_and_apply(parsed: CsvCatalog, conn: sqlite3.Connection, apply: bool) -> CatalogChanges:
    """Compare the file with the database and, when `apply`, write the difference.

    The file's row order becomes the kiosk order (`position`); a row counts as changed only
    when what it says changed, so removing one row does not mark every row after it.
    """
    changes = CatalogChanges()
    db_categories = {row["code"]: row for row in conn.execute("SELECT * FROM categories")}
    db_services = {row["code"]: row for row in conn.execute("SELECT * FROM services")}

    category_rows = []  # (code, prefix, name, name_en, position, exists)
    for position, category in enumerate(parsed.categories.values()):
        old = db_categories.get(category.code)
        if category.defined:
            wanted = (category.prefix, category.name, category.name_en)
        else:
            assert old is not None  # checked by _db_check
            wanted = (old["prefix"], old["name"], old["name_en"])
        if old is None:
            changes.categories_added.append(category.code)
        elif (old["prefix"], old["name"], old["name_en"]) != wanted:
            changes.categories_changed.append(category.code)
            if old["prefix"] != wanted[0]:
                changes.notes.append(
                    f'the prefix of "{category.code}" changes from {old["prefix"]} to '
                    f"{wanted[0]}; tickets already issued keep their numbers"
                )
        category_rows.append((category.code, *wanted, position, old is not None))

    service_rows = []  # (code, name, name_en, category, daily_limit, pinyin, position, exists)
    for position, service in enumerate(parsed.services):
        wanted_service = (
            service.name,
            service.name_en,
            service.category,
            service.daily_limit,
            service.pinyin,
        )
        old = db_services.get(service.code)
        if old is None:
            changes.added.append(service.code)
        elif not old["active"] or _service_fields(old) != wanted_service:
            changes.changed.append(service.code)
        else:
            changes.unchanged += 1
        service_rows.append((service.code, *wanted_service, position, old is not None))
    in_file = {service.code for service in parsed.services}
    changes.deactivated = [
        code for code, row in db_services.items() if row["active"] and code not in in_file
    ]
    left_empty = sorted(set(db_categories) - set(parsed.categories))
    if left_empty:
        changes.notes.append(
            f"the departments {', '.join(left_empty)} are not in the file: they stay in the "
            "database without active matters"
        )
    kept = [
        code for code, *_ in service_rows if code in db_services and db_services[code]["active"]
    ]
    if kept != sorted(kept, key=lambda code: (db_services[code]["position"], code)):
        changes.notes.append("the order of the matters on the kiosk changes as in the file")
    if not apply:
        return changes

    changed_prefixes = {
        code
        for code, prefix, *_, exists in category_rows
        if exists and db_categories[code]["prefix"] != prefix
    }
    # A temporary prefix first, so two departments may swap prefixes (prefix is UNIQUE).
    for code in changed_prefixes:
        conn.execute("UPDATE categories SET prefix = ? WHERE code = ?", ("~" + code, code))
    for code, prefix, name, name_en, position, exists in category_rows:
        if exists:
            conn.execute(
                "UPDATE categories SET prefix = ?, name = ?, name_en = ?, position = ?"
                " WHERE code = ?",
                (prefix, name, name_en, position, code),
            )
        else:
            conn.execute(
                "INSERT INTO categories(code, prefix, name, name_en, position) VALUES (?,?,?,?,?)",
                (code, prefix, name, name_en, position),
            )
    for code, name, name_en, category_code, limit, pinyin, position, exists in service_rows:
        values = (name, name_en, category_code, limit, pinyin, position, code)
        if exists:
            conn.execute(
                "UPDATE services SET name = ?, name_en = ?, category = ?, daily_limit = ?,"
                " pinyin = ?, position = ?, active = 1 WHERE code = ?",
                values,
            )
        else:
            conn.execute(
                "INSERT INTO services(name, name_en, category, daily_limit, pinyin, position,"
                " active, code) VALUES (?,?,?,?,?,?,1,?)",
                values,
            )
    conn.executemany(
        "UPDATE services SET active = 0 WHERE code = ?", [(code,) for code in changes.deactivated]
    )
    return changes


def _service_fields(row: sqlite3.Row) -> tuple[Any, ...]:
    return (row["name"], row["name_en"], row["category"], row["daily_limit"], row["pinyin"])
