"""`queue-hall check`: everything wrong with a hall file, its catalog and its database.

Problems are what stops the hall working as configured (a damaged database, a matter no
counter serves, no clerk who can log in); warnings are what an operator should know (the
hall file and the database differ where the server will reconcile them, a readable
database file). The database is opened read-only in effect: nothing here writes.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass, field
from pathlib import Path

from shared.admin.counters import describe_services, unserved_services
from shared.admin.hall_db import count, json_codes, listed, plural
from shared.config import paths
from shared.config.hall import Catalog, ConfigError, HallConfig, load_config
from shared.domain import limits
from shared.server.assignments import active_catalog, assignment_matters
from shared.server.store import SCHEMA_VERSION, is_hall_database, schema_version

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_hall(config_path: Path | None, db_override: Path | None) -> CheckReport:
    """Everything `queue-hall check` finds wrong in a hall file, its catalog and its database."""
    report = CheckReport()
    config: HallConfig | None = None
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        report.problems.append(str(exc))
    except ValueError as exc:
        report.problems.append(f"{config_path}: {exc}")
    if config is not None and config.host not in LOOPBACK_HOSTS and not config.key:
        report.warnings.append(
            f"the server listens on {config.host} without a hall key: any machine on the network "
            "can act as a kiosk or counter; set QUEUE_HALL_KEY or [hall] key"
        )
    if db_override is not None:
        db: Path | None = db_override
    elif config is not None:
        db = paths.default_db(config)
    else:
        db = None
    if db is None:
        return report
    if not db.exists():
        if db_override is None and config_path is not None:  # a hall file checked before init
            report.warnings.append(
                f"no hall database at {db} yet; `queue-hall init --config {config_path}` creates it"
            )
        else:
            report.problems.append(paths.missing_db_message(db))
        return report
    if not db.is_file():
        report.problems.append(f"{db} is not a database file")
        return report
    mode = stat.S_IMODE(db.stat().st_mode)
    if os.name == "posix" and mode & 0o077:
        report.warnings.append(
            f"{db} can be read by other users of this computer (mode {mode:o}) and holds the "
            f"clerks' PIN hashes: chmod 600 {db}*"
        )
    try:
        conn = sqlite3.connect(db)
    except sqlite3.Error as exc:
        report.problems.append(f"{db}: cannot open the database: {exc}")
        return report
    try:
        _check_database(report, db, conn, config)
    except sqlite3.DatabaseError as exc:
        report.problems.append(f"{db}: not a usable hall database ({exc})")
    finally:
        conn.close()
    return report


def _catalog_bound_problems(conn: sqlite3.Connection) -> list[str]:
    """Where the database's active catalog exceeds what kiosks and boards can show."""
    problems = []
    categories = conn.execute(
        "SELECT code, name, name_en FROM categories WHERE code IN"
        " (SELECT category FROM services WHERE active = 1) ORDER BY position, code"
    ).fetchall()
    services = conn.execute(
        "SELECT code, name, name_en, pinyin FROM services WHERE active = 1 ORDER BY position, code"
    ).fetchall()
    if len(categories) > limits.MAX_CATEGORIES:
        problems.append(
            f"the catalog has {len(categories)} departments with matters; at most "
            f"{limits.MAX_CATEGORIES} are allowed"
        )
    if len(services) > limits.MAX_SERVICES:
        problems.append(
            f"the catalog has {len(services)} active matters; at most {limits.MAX_SERVICES} "
            "are allowed"
        )
    for row in categories:
        for label, value, limit in (
            ("name", row[1], limits.MAX_CATEGORY_NAME),
            ("name_en", row[2], limits.MAX_CATEGORY_NAME_EN),
        ):
            problem = limits.text_problem(f'the {label} of department "{row[0]}"', value, limit)
            if problem:
                problems.append(problem)
    for row in services:
        for label, value, limit in (
            ("name", row[1], limits.MAX_SERVICE_NAME),
            ("name_en", row[2], limits.MAX_SERVICE_NAME_EN),
            ("pinyin", row[3], limits.MAX_PINYIN),
        ):
            problem = limits.text_problem(f'the {label} of matter "{row[0]}"', value, limit)
            if problem:
                problems.append(problem)
    return problems[:50]


def _check_database(
    report: CheckReport, db: Path, conn: sqlite3.Connection, config: HallConfig | None
) -> None:
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout=5000")
    if not is_hall_database(conn):
        tables = count(conn, "SELECT count(*) FROM sqlite_master")
        report.problems.append(
            f"{db}: this SQLite file is not a hall database"
            if tables
            else f"{db}: the database is empty; create the hall with `queue-hall init`"
        )
        return
    version = schema_version(conn)
    if version > SCHEMA_VERSION:
        report.problems.append(
            f"{db}: database schema version {version} is newer than this program understands "
            f"({SCHEMA_VERSION}); upgrade the program"
        )
        return
    if version < SCHEMA_VERSION:
        report.warnings.append(
            f"{db}: schema version {version} is upgraded to {SCHEMA_VERSION} when the server "
            "next starts; make a backup first (queue-hall backup)"
        )
    integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        report.problems.extend(f"{db}: integrity check: {line}" for line in integrity[:10])
        return
    for row in conn.execute("PRAGMA foreign_key_check").fetchall()[:10]:
        report.problems.append(
            f"{db}: row {row[1]} of table {row[0]} refers to a missing row of {row[2]}"
        )

    by_category, services = active_catalog(conn)
    if not services:
        report.problems.append(f"{db}: the catalog is empty; create the hall with queue-hall init")
    report.problems.extend(f"{db}: {problem}" for problem in _catalog_bound_problems(conn))
    for category, members in by_category.items():
        if not members:
            report.warnings.append(f'the department "{category}" has no active matters')

    db_counters = {row["number"]: row for row in conn.execute("SELECT * FROM counters")}
    if not db_counters:
        report.problems.append(f"{db}: the database has no counters")
    for number, row in sorted(db_counters.items()):
        if row["services"] is None:
            continue
        codes = json_codes(row["services"])
        if not codes:
            report.problems.append(f"counter {number} serves nothing")
        for code in codes:
            if code not in services:
                report.problems.append(f'counter {number} names the unknown matter "{code}"')
            elif not services[code]:
                report.problems.append(f'counter {number} names the inactive matter "{code}"')
        if row["assigned"] is not None:
            _check_assignment(report, row, by_category, services)
    unserved = unserved_services(conn)
    if unserved and db_counters:
        report.problems.append(
            f"no counter serves {listed(unserved)}: residents could take tickets nobody calls"
        )

    clerks = conn.execute("SELECT id, pin_hash, disabled FROM clerks ORDER BY id").fetchall()
    for clerk in clerks:
        if not _looks_like_pin_hash(clerk["pin_hash"]):
            report.problems.append(
                f"clerk {clerk['id']} has no usable PIN: set one with "
                f"`queue-hall clerk reset-pin {clerk['id']} --pin NNNN`"
            )
    if not any(not clerk["disabled"] for clerk in clerks):
        report.problems.append(
            "no clerk can log in: add one with `queue-hall clerk add ID --name NAME --pin PIN`"
        )

    if config is not None:
        from shared.server.service import settings_mismatch

        made_with = conn.execute("SELECT value FROM meta WHERE key = 'settings'").fetchone()
        mismatch = settings_mismatch(str(db), made_with[0] if made_with else None, config)
        if mismatch:
            # The server applies nothing of these settings to this database: comparing the two
            # would only add lines that contradict the mismatch.
            report.problems.append(mismatch)
        else:
            _compare_with_config(report, config, db_counters, by_category, services, clerks, conn)


def _given(row: sqlite3.Row) -> list[str]:
    """What a database counter serving a list was given (its matters before schema 4)."""
    return json_codes(row["assigned"] if row["assigned"] is not None else row["services"])


def _meaning(
    given: list[str] | None, by_category: dict[str, list[str]], services: dict[str, bool]
) -> set[str] | None:
    """The matters codes given to a counter mean in the database's catalog (None: all)."""
    return None if given is None else set(assignment_matters(given, by_category, services)[0])


def _words(given: list[str] | None) -> str:
    return "all" if given is None else ",".join(given) or "(none)"


def _check_assignment(
    report: CheckReport,
    row: sqlite3.Row,
    by_category: dict[str, list[str]],
    services: dict[str, bool],
) -> None:
    """A counter serves what its assignment means in the database's catalog."""
    number, given = row["number"], json_codes(row["assigned"])
    matters, gone = assignment_matters(given, by_category, services)
    kept = [code for code in given if code not in gone]
    if gone:
        report.warnings.append(
            f"counter {number} is given {listed(gone)}, which the catalog does not have now "
            "(it serves them again when a catalog import brings them back)"
        )
    if set(matters) != set(json_codes(row["services"])):
        report.problems.append(
            f"counter {number} serves {describe_services(json_codes(row['services']), by_category)}"
            f" but is given {','.join(given)}, which means "
            f"{describe_services(matters, by_category)} in the database's catalog: give it again "
            f"with `queue-hall counter set-services {number} {','.join(kept) or 'CODES'}`"
        )


def _looks_like_pin_hash(stored: str | None) -> bool:
    parts = (stored or "").split("$")
    return len(parts) == 4 and parts[0] == "pbkdf2_sha256" and parts[1].isdigit() and all(parts)


def _compare_with_config(
    report: CheckReport,
    config: HallConfig,
    db_counters: dict[int, sqlite3.Row],
    by_category: dict[str, list[str]],
    services: dict[str, bool],
    clerks: list[sqlite3.Row],
    conn: sqlite3.Connection,
) -> None:
    file = config.config_path or "the built-in settings"
    for counter in config.counters:
        row = db_counters.get(counter.number)
        if row is None:
            report.warnings.append(
                f"counter {counter.number} is in {file} but not in the database yet "
                "(the server adds it when it starts)"
            )
            continue
        # The file's assignment means, in the database's catalog, what it serves there.
        db_given = None if row["services"] is None else _given(row)
        file_given = (
            None if counter.services is None else list(counter.assigned or counter.services)
        )
        if _meaning(db_given, by_category, services) != _meaning(file_given, by_category, services):
            report.problems.append(
                f"counter {counter.number} serves {_words(file_given)} in {file} but "
                f"{_words(db_given)} in the database; the server applies the hall file when it "
                "starts, so make them agree"
            )
        if row["name"] != counter.name:
            report.warnings.append(
                f'counter {counter.number} is named "{counter.name}" in {file} but '
                f'"{row["name"]}" in the database (the server renames it when it starts)'
            )
    configured = {counter.number for counter in config.counters}
    for number in sorted(set(db_counters) - configured):
        report.warnings.append(f"counter {number} is in the database but not in {file}")
    known_clerks = {clerk["id"] for clerk in clerks}
    for clerk in config.clerks:
        if clerk.id not in known_clerks:
            report.warnings.append(
                f"clerk {clerk.id} of {file} is not in the database yet (added when the server "
                "starts)"
            )
    _compare_catalog(report, config.catalog, conn)


def _compare_catalog(report: CheckReport, catalog: Catalog, conn: sqlite3.Connection) -> None:
    in_db = {
        row[0]: tuple(row[1:])
        for row in conn.execute(
            "SELECT code, name, category, daily_limit FROM services WHERE active = 1"
        )
    }
    in_file = {s.code: (s.name, s.category, s.daily_limit) for s in catalog.services}
    differing = sorted(code for code in {*in_db, *in_file} if in_db.get(code) != in_file.get(code))
    if differing:
        report.warnings.append(
            f"the catalog file and the database's catalog differ in {plural(len(differing), 'matter')} "
            f"({listed(differing, 5)}); the server uses the database's: change it with "
            "`queue-hall catalog import`"
        )
