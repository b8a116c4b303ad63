"""`queue-hall` commands to set up and look after a hall: init, catalog, counter, backup, check.

Exit codes: 0 done, 1 the operation failed or found problems (a file or the database is not as
it must be), 2 the command line itself is wrong (argparse also exits with 2).

The server is the only writer while it serves tickets, except for the few changes made here
(catalog import, counter services): each is one short BEGIN IMMEDIATE transaction that waits
for the server's own transactions (busy timeout) and never holds the lock for long.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import datetime
import functools
import io
import json
import os
import sqlite3
import stat
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shared.admin.spreadsheet import from_cell, to_row
from shared.cli import main as cli
from shared.config import paths
from shared.config.hall import Catalog, ConfigError, HallConfig, load_config, pinyin_initials
from shared.config.rules import CODE_RE as _CODE_RE
from shared.config.rules import CODE_RULE as _CODE_RULE
from shared.config.rules import PINYIN_RE as _PINYIN_RE
from shared.config.rules import PREFIX_RE as _PREFIX_RE
from shared.config.rules import suggest as _suggest
from shared.domain import limits
from shared.domain.errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, CommandError  # noqa: E402
from shared.server.dblock import DatabaseInUse, ServerLock
from shared.server.store import (
    SCHEMA_VERSION,
    HallStore,
    check_file,
    create_private,
    dumps,
    unusable,
)

CSV_COLUMNS = (
    "category_code",
    "category_prefix",
    "category_name",
    "category_name_en",
    "service_code",
    "service_name",
    "service_name_en",
    "daily_limit",
    "pinyin",
)
REQUIRED_COLUMNS = ("category_code", "service_code", "service_name")
DAILY_LIMIT_MAX = 100_000
_PREFIX_RULE = 'use 1 or 2 capital letters A to Z, e.g. "A"'
KIOSK_REFRESH_NOTE = (
    "Running kiosks pick up the change at their next catalog refresh or when they restart."
)
# The server applies the hall file's [[counters]] every time it starts (HallService._sync_counters).
COUNTER_SYNC_NOTE = (
    "note: the server applies the hall file's [[counters]] again when it starts; write the same "
    "services there (queue-hall check shows where the file and the database differ)"
)
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def _error(message: str) -> None:
    print(f"queue-hall: {message}", file=sys.stderr)


def _guarded(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn the errors bad input and busy or broken files cause into a message and an exit code."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except CommandError as exc:
            _error(exc.message)
            return exc.code
        except sqlite3.OperationalError as exc:
            text = str(exc)
            if "locked" in text or "busy" in text:
                _error(
                    "the hall database stayed busy (the server is writing); nothing was changed, "
                    "try again in a moment"
                )
            else:
                _error(f"the hall database refused the operation: {text}")
            return EXIT_FAILED
        except sqlite3.DatabaseError as exc:
            _error(f"the hall database cannot be used: {exc}")
            return EXIT_FAILED
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            _error(f"{where}{exc.strerror or exc}")
            return EXIT_FAILED

    return run


def _db_of(args: argparse.Namespace) -> tuple[HallConfig, Path]:
    config = cli._load(args)
    return config, paths.default_db(config)


def _existing_db(args: argparse.Namespace) -> Path:
    _, db = _db_of(args)
    if not db.exists():
        raise CommandError(paths.missing_db_message(db))
    check_file(db, writable=False)  # a folder or an empty file: StoreError names it
    return db


def _open_store(db: Path) -> HallStore:
    store = HallStore(db)
    if store.is_empty():
        store.close()
        raise CommandError(f"{db} holds no catalog yet; create the hall with `queue-hall init`")
    return store


def _count(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> int:
    return int(conn.execute(sql, params).fetchone()[0])


def _human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _stamp() -> str:
    return datetime.datetime.now().strftime("%Y%m%d-%H%M%S")


def _free_name(folder: Path, stem: str, suffix: str) -> Path:
    """`folder/stem+suffix`, or with -2, -3 … added when that name is taken."""
    candidate = folder / f"{stem}{suffix}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}{suffix}"
        number += 1
    return candidate


# -- init -------------------------------------------------------------------------------------


def _sidecars(db: Path) -> list[Path]:
    return [db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]


def _move_aside(db: Path) -> Path:
    """Rename the database (and its WAL files) to `<name>.<timestamp>.bak`; refuse while in use."""
    try:
        ServerLock.acquire(db, "queue-hall init --force").release()
    except DatabaseInUse as exc:
        raise CommandError(str(exc)) from None
    if db.is_file():
        try:
            conn = sqlite3.connect(db)
            try:
                conn.execute("PRAGMA busy_timeout=5000")
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                conn.close()
        except sqlite3.DatabaseError:
            pass  # not an SQLite file: it is moved aside as it is
        # The last connection to close removes the WAL file; if it is still there, another
        # program (the server) has the database open.
        if db.with_name(db.name + "-wal").exists():
            raise CommandError(
                f"{db} is in use (is `queue-hall serve` running?); stop the server first"
            )
    backup = _free_name(db.parent, f"{db.name}.{_stamp()}", ".bak")
    if db.exists():
        db.rename(backup)
    for sidecar in _sidecars(db):
        if sidecar.exists():
            sidecar.rename(backup.with_name(backup.name + sidecar.name[len(db.name) :]))
    return backup


@_guarded
def cmd_init(args: argparse.Namespace) -> int:
    config, db = _db_of(args)
    moved: Path | None = None
    if db.exists() or any(path.exists() for path in _sidecars(db)):
        if not args.force:
            raise CommandError(
                f"{db} already exists; use --force to move it aside (kept as a .bak file) "
                "and create a new one"
            )
        moved = _move_aside(db)
    if db.is_dir():
        raise CommandError(f"{db} is a folder; give the database file with --db")
    service = cli.open_service(config, db)
    conn = service.store.conn
    try:
        departments = _count(conn, "SELECT count(*) FROM categories")
        matters = _count(conn, "SELECT count(*) FROM services WHERE active = 1")
        counters = _count(conn, "SELECT count(*) FROM counters")
        clerks = _count(conn, "SELECT count(*) FROM clerks")
    finally:
        service.store.close()
    if moved is not None:
        print(f"moved the old database aside to {moved}")
    print(f"created the hall database {db} for {config.hall_name}:")
    print(
        f"  {_plural(departments, 'department')}, {_plural(matters, 'matter')}, "
        f"{_plural(counters, 'counter')}, {_plural(clerks, 'clerk')}"
    )
    if config.config_path is None:
        print(
            "  (from the built-in demo settings, with demo clerks and PINs; "
            "give your hall file with --config FILE)"
        )
    if clerks == 0:
        print("  no clerks yet: add them with `queue-hall clerk add ID --name NAME --pin PIN`")
    return EXIT_OK


# -- the catalog as CSV -----------------------------------------------------------------------


@dataclass
class CsvProblem:
    line: int
    problem: str


@dataclass
class CsvCategory:
    code: str
    prefix: str  # "" when the file only refers to the category
    name: str
    name_en: str
    line: int  # the first line that defines it (or refers to it)
    defined: bool


@dataclass
class CsvService:
    code: str
    name: str
    name_en: str
    category: str
    daily_limit: int | None
    pinyin: str
    line: int


@dataclass
class CsvCatalog:
    """A catalog read from a CSV file: categories in first-seen order, services in file order."""

    file: str
    encoding: str
    categories: dict[str, CsvCategory] = field(default_factory=dict)
    services: list[CsvService] = field(default_factory=list)
    problems: list[CsvProblem] = field(default_factory=list)

    def problem(self, line: int, text: str) -> None:
        self.problems.append(CsvProblem(line, text))

    def messages(self) -> list[str]:
        return [f"{self.file}:{p.line}: {p.problem}" for p in sorted(self.problems, key=_by_line)]


def _by_line(problem: CsvProblem) -> int:
    return problem.line


def decode_csv(file: str, raw: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in: UTF-8 (with or without BOM) or GBK."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ConfigError(
            file,
            None,
            'the file is UTF-16 ("Unicode text"); save it from Excel as "CSV UTF-8" or "CSV"',
        )
    candidates: tuple[tuple[str, str], ...]
    if raw.startswith(codecs.BOM_UTF8):
        candidates = (("utf-8-sig", "UTF-8 with BOM"),)
    else:
        # GB18030 is the superset of GBK that Excel on Chinese Windows writes as "CSV".
        candidates = (("utf-8", "UTF-8"), ("gb18030", "GBK"))
    failures = []
    for codec, label in candidates:
        try:
            return raw.decode(codec), label
        except UnicodeDecodeError as exc:
            failures.append(exc.start)
    # The encoding that read furthest is the one the file was meant to be in.
    line = raw.count(b"\n", 0, max(failures)) + 1
    raise ConfigError(
        file, line, 'the file is neither UTF-8 nor GBK text; save it from Excel as "CSV UTF-8"'
    )


def read_catalog_csv(path: Path) -> CsvCatalog:
    """Read and check a catalog CSV file on its own (the database is not looked at)."""
    file = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(file, None, "file not found") from None
    except IsADirectoryError:
        raise ConfigError(file, None, "this is a folder, not a CSV file") from None
    except OSError as exc:
        raise ConfigError(file, None, f"cannot read the file: {exc.strerror or exc}") from None
    text, encoding = decode_csv(file, raw)
    result = CsvCatalog(file, encoding)
    try:
        rows = _csv_records(text)
    except csv.Error as exc:
        result.problem(exc.args[1] if len(exc.args) > 1 else 1, f"not a valid CSV file: {exc}")
        return result
    if not rows:
        result.problem(1, "the file is empty; the first line must name the columns")
        return result
    header_line, header = rows[0]
    columns = _check_header(result, header_line, header)
    if columns is None:
        return result
    for line, record in rows[1:]:
        if not any(cell.strip() for cell in record):
            continue  # Excel writes rows of empty cells below the data
        extra = [cell for cell in record[len(columns) :] if cell.strip()]
        if extra:
            result.problem(
                line,
                f"the row has {len(record)} cells but the first line names {len(columns)} "
                "columns (is a comma missing quotes?)",
            )
            continue
        values = {
            name: (from_cell(record[i].strip()) if i < len(record) else "") for i, name in columns
        }
        _read_row(result, line, values)
    if not result.services and not result.problems:
        result.problem(header_line + 1, "the file lists no matters (services)")
    _check_across_rows(result)
    return result


def _csv_records(text: str) -> list[tuple[int, list[str]]]:
    """The records of a CSV text, each with the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""))
    records = []
    end = 0
    try:
        for record in reader:
            records.append((end + 1, record))
            end = reader.line_num
    except csv.Error as exc:
        raise csv.Error(str(exc), reader.line_num) from None
    return records


def _check_header(result: CsvCatalog, line: int, header: list[str]) -> list[tuple[int, str]] | None:
    names = [cell.strip().lower() for cell in header]
    if len(names) == 1 and (";" in names[0] or "\t" in names[0]):
        result.problem(
            line,
            "the columns are separated by semicolons or tabs; save the file as CSV with commas",
        )
        return None
    ok = True
    seen: set[str] = set()
    columns = []
    for index, name in enumerate(names):
        if not name:
            continue
        if name not in CSV_COLUMNS:
            result.problem(
                line,
                f'unknown column "{header[index].strip()}"'
                + (_suggest(name, CSV_COLUMNS) or "; the columns are " + ", ".join(CSV_COLUMNS)),
            )
            ok = False
        elif name in seen:
            result.problem(line, f'the column "{name}" is named twice')
            ok = False
        seen.add(name)
        columns.append((index, name))
    for name in REQUIRED_COLUMNS:
        if name not in seen:
            result.problem(line, f'the column "{name}" is missing')
            ok = False
    return columns if ok else None


def _read_row(result: CsvCatalog, line: int, values: dict[str, str]) -> None:
    problems_before = len(result.problems)

    def code(column: str) -> str:
        value = values.get(column, "")
        if not value:
            result.problem(line, f"{column} is empty")
        elif not _CODE_RE.fullmatch(value):
            result.problem(line, f'{column} "{value}" is not valid: {_CODE_RULE}')
        return value

    category_code = code("category_code")
    service_code = code("service_code")
    prefix = values.get("category_prefix", "")
    category_name = values.get("category_name", "")
    category_name_en = values.get("category_name_en", "")
    defines_category = bool(prefix or category_name)
    if defines_category:
        if not prefix:
            result.problem(line, "category_prefix is empty")
        elif not _PREFIX_RE.fullmatch(prefix):
            result.problem(line, f'category_prefix "{prefix}" is not valid: {_PREFIX_RULE}')
        if not category_name:
            result.problem(line, "category_name is empty")
    service_name = values.get("service_name", "")
    if not service_name:
        result.problem(line, "service_name is empty")
    for column in ("category_name", "category_name_en", "service_name", "service_name_en"):
        if any(char in values.get(column, "") for char in "\r\n\t"):
            result.problem(line, f"{column} must be one line (it holds a line break or a tab)")
    daily_limit: int | None = None
    limit_text = values.get("daily_limit", "")
    if limit_text:
        try:
            daily_limit = int(limit_text)
        except ValueError:
            result.problem(
                line, f'daily_limit "{limit_text}" is not a whole number (leave it empty for none)'
            )
        else:
            if not 1 <= daily_limit <= DAILY_LIMIT_MAX:
                result.problem(
                    line, f"daily_limit {daily_limit} is out of range (1 to {DAILY_LIMIT_MAX})"
                )
    for column, limit in (
        ("category_name", limits.MAX_CATEGORY_NAME),
        ("category_name_en", limits.MAX_CATEGORY_NAME_EN),
        ("service_name", limits.MAX_SERVICE_NAME),
        ("service_name_en", limits.MAX_SERVICE_NAME_EN),
    ):
        problem = limits.text_problem(column, values.get(column, ""), limit)
        if problem and not any(char in values.get(column, "") for char in "\r\n\t"):
            result.problem(line, problem)
    pinyin = values.get("pinyin", "").lower()
    if not _PINYIN_RE.fullmatch(pinyin) or len(pinyin) > limits.MAX_PINYIN:
        result.problem(
            line,
            f'pinyin "{pinyin}" must be plain letters (initials like "sbdj"), '
            f"at most {limits.MAX_PINYIN}",
        )
    if len(result.problems) != problems_before:
        return

    known = result.categories.get(category_code)
    if known is None or (defines_category and not known.defined):
        # `line` is where the category is defined, else where it is first referred to.
        result.categories[category_code] = CsvCategory(
            category_code, prefix, category_name, category_name_en, line, defines_category
        )
    elif defines_category:
        for column, here, there in (
            ("category_prefix", prefix, known.prefix),
            ("category_name", category_name, known.name),
            ("category_name_en", category_name_en, known.name_en),
        ):
            if here != there:
                result.problem(
                    line,
                    f'category "{category_code}" has {column} "{here}" here but "{there}" on '
                    f"line {known.line}; every row of a category "
                    "must say the same (or leave its prefix and name empty)",
                )
    result.services.append(
        CsvService(
            service_code,
            service_name,
            values.get("service_name_en", ""),
            category_code,
            daily_limit,
            pinyin or pinyin_initials(service_name),
            line,
        )
    )


def _check_across_rows(result: CsvCatalog) -> None:
    categories = list(result.categories.values())
    if len(categories) > limits.MAX_CATEGORIES:
        result.problem(
            categories[limits.MAX_CATEGORIES].line,
            f"the file names {len(categories)} departments; a hall can have at most "
            f"{limits.MAX_CATEGORIES} (a kiosk start screen and a board show them all)",
        )
    if len(result.services) > limits.MAX_SERVICES:
        result.problem(
            result.services[limits.MAX_SERVICES].line,
            f"the file lists {len(result.services)} matters; a hall can have at most "
            f"{limits.MAX_SERVICES}",
        )
    by_prefix: dict[str, CsvCategory] = {}
    for category in result.categories.values():
        if not category.defined:
            continue
        other = by_prefix.get(category.prefix)
        if other is not None:
            result.problem(
                category.line,
                f'category_prefix "{category.prefix}" of "{category.code}" is already the prefix '
                f'of "{other.code}" (line {other.line}); each department needs its own',
            )
        else:
            by_prefix[category.prefix] = category
    first_line: dict[str, int] = {}
    for service in result.services:
        if service.code in first_line:
            result.problem(
                service.line,
                f'service_code "{service.code}" is used twice (also on line '
                f"{first_line[service.code]})",
            )
        else:
            first_line[service.code] = service.line
        if service.code in result.categories:
            result.problem(
                service.line,
                f'service_code "{service.code}" is already a category code; give it another',
            )


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
                "category_name on this row" + (_suggest(category.code, known) or ""),
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


def unserved_services(conn: sqlite3.Connection) -> list[str]:
    """Active services that no counter serves: residents could take tickets nobody calls."""
    served: set[str] = set()
    for (services,) in conn.execute("SELECT services FROM counters"):
        if services is None:
            return []
        served.update(_json_codes(services))
    return [
        code
        for (code,) in conn.execute(
            "SELECT code FROM services WHERE active = 1 ORDER BY position, code"
        )
        if code not in served
    ]


def _json_codes(text: str | None) -> list[str]:
    if text is None:
        return []
    try:
        value = json.loads(text)
    except ValueError:
        return []
    return [str(item) for item in value] if isinstance(value, list) else []


def _listed(codes: Sequence[str], limit: int = 12) -> str:
    shown = ", ".join(codes[:limit])
    return shown + (f" … ({len(codes)} in all)" if len(codes) > limit else "")


@_guarded
def cmd_catalog_export(args: argparse.Namespace) -> int:
    db = _existing_db(args)
    store = _open_store(db)
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
    records = [to_row([row[name] for name in CSV_COLUMNS]) for row in rows]
    if args.out is None:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(records)
        return EXIT_OK
    out = Path(args.out)
    if out.is_dir():
        raise CommandError(f"{out} is a folder; give a file name such as {out / 'catalog.csv'}")
    # The byte-order mark makes Excel read the file as UTF-8, so Chinese shows correctly.
    with out.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(CSV_COLUMNS)
        writer.writerows(records)
    departments = len({record[0] for record in records})
    print(
        f"exported {_plural(len(records), 'matter')} of "
        f"{_plural(departments, 'department')} to {out}"
    )
    return EXIT_OK


@_guarded
def cmd_catalog_import(args: argparse.Namespace) -> int:
    db = _existing_db(args)
    try:
        parsed = read_catalog_csv(Path(args.file))
    except ConfigError as exc:
        raise CommandError(f"{exc}; nothing was changed") from None
    store = _open_store(db)
    try:
        conn = store.conn
        conn.execute("BEGIN" if args.dry_run else "BEGIN IMMEDIATE")
        try:
            _db_check(parsed, conn)
            if parsed.problems:
                conn.execute("ROLLBACK")
                print(f"read {parsed.file} as {parsed.encoding}", file=sys.stderr)
                for message in parsed.messages():
                    print(message, file=sys.stderr)
                _error(
                    f"{_plural(len(parsed.problems), 'problem')} in {parsed.file}; "
                    "nothing was changed"
                )
                return EXIT_FAILED
            changes = _plan_and_apply(parsed, conn, apply=not args.dry_run)
            # A dry run changed nothing, so the counters can only be judged after a real import.
            unserved = [] if args.dry_run else unserved_services(conn)
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("ROLLBACK" if args.dry_run else "COMMIT")
    finally:
        store.close()
    _print_changes(parsed, changes, args.dry_run, unserved)
    return EXIT_OK


def _print_changes(
    parsed: CsvCatalog, changes: CatalogChanges, dry_run: bool, unserved: list[str]
) -> None:
    print(
        f"read {parsed.file} as {parsed.encoding}: "
        f"{_plural(len(parsed.categories), 'department')}, {_plural(len(parsed.services), 'matter')}"
    )
    print(
        f"departments: {len(changes.categories_added)} added, "
        f"{len(changes.categories_changed)} changed"
    )
    print(
        f"matters: {len(changes.added)} added, {len(changes.changed)} changed, "
        f"{len(changes.deactivated)} deactivated, {changes.unchanged} unchanged"
    )
    for label, codes in (
        ("added", changes.added),
        ("changed", changes.changed),
        ("deactivated (kept for the tickets that refer to them)", changes.deactivated),
    ):
        if codes:
            print(f"  {label}: {_listed(codes)}")
    for note in changes.notes:
        print(f"note: {note}")
    if unserved:
        print(f"warning: no counter serves {_listed(unserved)}; see `queue-hall counter list`")
    if dry_run:
        print("dry run: nothing was changed")
    elif changes.empty:
        print("the database already had this catalog; nothing was changed")
    else:
        print(f"the catalog was updated. {KIOSK_REFRESH_NOTE}")


# -- counters ---------------------------------------------------------------------------------


def _active_catalog(conn: sqlite3.Connection) -> tuple[dict[str, list[str]], dict[str, bool]]:
    """Active services per category code, and every service code with its active flag."""
    by_category: dict[str, list[str]] = {
        code: [] for (code,) in conn.execute("SELECT code FROM categories ORDER BY position, code")
    }
    services: dict[str, bool] = {}
    for code, category, active in conn.execute(
        "SELECT code, category, active FROM services ORDER BY position, code"
    ):
        services[code] = bool(active)
        if active:
            by_category.setdefault(category, []).append(code)
    return by_category, services


def expand_codes(
    codes: Iterable[str], by_category: dict[str, list[str]], services: dict[str, bool]
) -> tuple[list[str], list[str]]:
    """Service codes for category and service codes (as in the hall file), and the problems."""
    expanded: list[str] = []
    problems = []
    for code in codes:
        if code in by_category:
            members = by_category[code]
            if not members:
                problems.append(f'the department "{code}" has no active matters')
        elif code in services:
            members = [code]
            if not services[code]:
                problems.append(f'the matter "{code}" is inactive (no longer in the catalog)')
        else:
            problems.append(
                f'"{code}" is neither a matter nor a department of the catalog'
                + _suggest(code, [*services, *by_category])
            )
            continue
        expanded.extend(member for member in members if member not in expanded)
    return expanded, problems


def _describe_services(services: list[str] | None, by_category: dict[str, list[str]]) -> str:
    """A counter's services, whole departments shown by their code."""
    if services is None:
        return "all"
    remaining = list(services)
    parts = []
    for category, members in by_category.items():
        if members and all(member in remaining for member in members):
            parts.append(category)
            remaining = [code for code in remaining if code not in members]
    return ",".join(parts + remaining) or "(none)"


@_guarded
def cmd_counter_set_services(args: argparse.Namespace) -> int:
    spec = args.services.strip()
    codes = [code.strip() for code in spec.split(",") if code.strip()]
    if not codes:
        raise CommandError(
            'name the services: "all", or service and department codes separated by commas',
            EXIT_USAGE,
        )
    serves_all = len(codes) == 1 and codes[0].lower() == "all"
    if not serves_all:
        for code in codes:
            if not _CODE_RE.fullmatch(code):
                raise CommandError(f'"{code}" is not a code: {_CODE_RULE}', EXIT_USAGE)
    db = _existing_db(args)
    store = _open_store(db)
    try:
        with store.transaction() as conn:
            row = conn.execute(
                "SELECT number, name FROM counters WHERE number = ?", (args.number,)
            ).fetchone()
            if row is None:
                numbers = [n for (n,) in conn.execute("SELECT number FROM counters ORDER BY 1")]
                raise CommandError(
                    f"there is no counter {args.number}; the counters are "
                    + (_number_ranges(numbers) or "none")
                )
            by_category, services = _active_catalog(conn)
            expanded: list[str] | None = None
            if not serves_all:
                expanded, problems = expand_codes(codes, by_category, services)
                if problems:
                    raise CommandError("; ".join(problems) + "; nothing was changed")
                if len(expanded) > limits.MAX_COUNTER_SERVICES:
                    raise CommandError(
                        f"that is {len(expanded)} matters; a counter can name at most "
                        f'{limits.MAX_COUNTER_SERVICES} (use "all" to serve every matter); '
                        "nothing was changed"
                    )
            conn.execute(
                "UPDATE counters SET services = ? WHERE number = ?",
                (None if expanded is None else dumps(expanded), args.number),
            )
            unserved = unserved_services(conn)
    finally:
        store.close()
    if expanded is None:
        print(f"counter {row['number']} ({row['name']}) now serves every matter")
    else:
        print(
            f"counter {row['number']} ({row['name']}) now serves {_plural(len(expanded), 'matter')}: "
            f"{_describe_services(expanded, by_category)}"
        )
    if unserved:
        print(f"warning: no counter serves {_listed(unserved)}")
    print("The running server uses this from the counter's next call.")
    print(COUNTER_SYNC_NOTE)
    return EXIT_OK


def _number_ranges(numbers: list[int]) -> str:
    """Sorted numbers as ranges: [1, 2, 3, 7] -> "1-3, 7"."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in runs)


@_guarded
def cmd_counter_list(args: argparse.Namespace) -> int:
    db = _existing_db(args)
    store = _open_store(db)
    try:
        by_category, _ = _active_catalog(store.conn)
        rows = store.all("SELECT * FROM counters ORDER BY number")
    finally:
        store.close()
    print("number\tname\tstate\tclerk\tservices")
    for row in rows:
        services = None if row["services"] is None else _json_codes(row["services"])
        print(
            f"{row['number']}\t{row['name']}\t{row['state']}\t{row['clerk_id'] or '-'}\t"
            f"{_describe_services(services, by_category)}"
        )
    return EXIT_OK


# -- backup -----------------------------------------------------------------------------------


def _backup_target(text: str, db: Path) -> Path:
    """The backup file for DEST: inside it when it is a folder or ends with a slash."""
    dest = Path(text)
    if dest.is_dir() or text.endswith(("/", os.sep)):  # Path() would drop the slash
        if dest.exists() and not dest.is_dir():
            raise CommandError(f"{dest} is a file, not a folder")
        dest.mkdir(parents=True, exist_ok=True)
        return _free_name(dest, f"hall-{_stamp()}", ".db")
    if dest.exists():
        raise CommandError(f"{dest} already exists; give a new file name or a folder")
    if not dest.parent.is_dir():
        raise CommandError(f"the folder {dest.parent} does not exist", EXIT_USAGE)
    if dest.resolve() == db.resolve():
        raise CommandError("the backup must not be the hall database itself", EXIT_USAGE)
    return dest


@_guarded
def cmd_backup(args: argparse.Namespace) -> int:
    db = _existing_db(args)
    target = _backup_target(args.dest, db)
    partial = target.with_name(target.name + ".partial")
    source = sqlite3.connect(db)
    copy: sqlite3.Connection | None = None
    try:
        partial.unlink(missing_ok=True)  # left by a backup that was killed
        create_private(partial)  # the copy holds the clerks' PIN hashes too
        source.execute("PRAGMA busy_timeout=5000")
        try:
            version = source.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise unusable(str(db), f"not a usable hall database ({exc})") from None
        if version == 0:
            raise CommandError(f"{db} is not a hall database")
        copy = sqlite3.connect(partial)
        # One step copies a consistent snapshot; in WAL mode the server keeps writing meanwhile.
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        integrity = [row[0] for row in copy.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            raise CommandError(f"the copy failed its integrity check: {'; '.join(integrity[:5])}")
        if copy.execute("PRAGMA user_version").fetchone()[0] != version:
            raise CommandError("the copy has another schema version than the database")
        tickets = _count(copy, "SELECT count(*) FROM tickets")
        copy.close()
        copy = None
        os.replace(partial, target)
    except BaseException:
        if copy is not None:
            copy.close()
        if partial.exists():
            partial.unlink()  # our own unfinished copy
        raise
    finally:
        source.close()
    print(
        f"backed up {db} to {target}: {_human_size(target.stat().st_size)}, "
        f"{_plural(tickets, 'ticket')}, integrity check ok"
    )
    return EXIT_OK


# -- check ------------------------------------------------------------------------------------


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
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = _count(conn, "SELECT count(*) FROM sqlite_master")
    if version == 0:
        report.problems.append(
            f"{db}: this SQLite file is not a hall database"
            if tables
            else f"{db}: the database is empty; create the hall with `queue-hall init`"
        )
        return
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

    by_category, services = _active_catalog(conn)
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
        codes = _json_codes(row["services"])
        if not codes:
            report.problems.append(f"counter {number} serves nothing")
        for code in codes:
            if code not in services:
                report.problems.append(f'counter {number} names the unknown matter "{code}"')
            elif not services[code]:
                report.problems.append(f'counter {number} names the inactive matter "{code}"')
    unserved = unserved_services(conn)
    if unserved and db_counters:
        report.problems.append(
            f"no counter serves {_listed(unserved)}: residents could take tickets nobody calls"
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
        in_db = None if row["services"] is None else _json_codes(row["services"])
        in_file = None if counter.services is None else list(counter.services)
        if (None if in_db is None else set(in_db)) != (None if in_file is None else set(in_file)):
            report.problems.append(
                f"counter {counter.number} serves {_describe_services(in_file, by_category)} in "
                f"{file} but {_describe_services(in_db, by_category)} in the database; the "
                "server applies the hall file when it starts, so make them agree"
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
            f"the catalog file and the database's catalog differ in {_plural(len(differing), 'matter')} "
            f"({_listed(differing, 5)}); the server uses the database's: change it with "
            "`queue-hall catalog import`"
        )


@_guarded
def cmd_check(args: argparse.Namespace) -> int:
    report = check_hall(args.config, args.db)
    for warning in report.warnings:
        print(f"warning: {warning}")
    for problem in report.problems:
        print(f"problem: {problem}")
    if report.problems:
        print(f"{_plural(len(report.problems), 'problem')} found")
        return EXIT_FAILED
    print("OK")
    return EXIT_OK


# -- the parser -------------------------------------------------------------------------------


def register(subparsers: Any, common: Callable[..., None]) -> None:
    """Add init, catalog, counter, backup and check to the `queue-hall` parser."""
    init = subparsers.add_parser(
        "init",
        help="create a new hall database from a hall file and its catalog",
        description="Create a new hall database from a hall file and its catalog. "
        "Stop the server first when replacing a database.",
    )
    common(init)
    init.add_argument(
        "--force",
        action="store_true",
        help="replace an existing database; the old file is kept as <name>.<timestamp>.bak",
    )
    init.set_defaults(func=cmd_init)

    catalog = subparsers.add_parser(
        "catalog", help="export the catalog to a CSV file or import one (Excel)"
    )
    catalog_sub = catalog.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = catalog_sub.add_parser("export", help="write the catalog as CSV (UTF-8 for Excel)")
    common(export)
    export.add_argument("--out", type=Path, help="the CSV file to write (default: the console)")
    export.set_defaults(func=cmd_catalog_export)
    imp = catalog_sub.add_parser(
        "import",
        help="replace the catalog with a CSV file (UTF-8 or GBK)",
        description="Check a catalog CSV file and, when all of it is valid, apply it in one "
        "transaction: new matters are added, changed ones updated, and matters missing from "
        "the file are deactivated (never deleted). Safe while the server runs. Columns: "
        + ", ".join(CSV_COLUMNS),
    )
    imp.add_argument("file", metavar="FILE.csv", help="the CSV file to import")
    common(imp)
    imp.add_argument(
        "--dry-run", action="store_true", help="check the file and show the changes only"
    )
    imp.set_defaults(func=cmd_catalog_import)

    counter = subparsers.add_parser("counter", help="which services each counter serves")
    counter_sub = counter.add_subparsers(dest="action", required=True, metavar="ACTION")
    set_services = counter_sub.add_parser(
        "set-services",
        help="set the services of counter N",
        description='Set the services counter N serves: "all", or service and department '
        "codes separated by commas (a department stands for all its matters).",
    )
    set_services.add_argument("number", type=int, metavar="N", help="the counter number")
    set_services.add_argument(
        "services", metavar="all|CODE[,CODE...]", help='"all" or codes separated by commas'
    )
    common(set_services)
    set_services.set_defaults(func=cmd_counter_set_services)
    listing = counter_sub.add_parser("list", help="list the counters and what they serve")
    common(listing)
    listing.set_defaults(func=cmd_counter_list)

    backup = subparsers.add_parser(
        "backup",
        help="copy the hall database safely while the server runs",
        description="Copy the hall database with SQLite's online backup, check the copy and "
        "print its size. DEST is a new file or a folder (then hall-YYYYmmdd-HHMMSS.db).",
    )
    backup.add_argument(
        "dest",
        metavar="DEST",
        help="a new file, or a folder (an existing one, or any path ending with /)",
    )
    common(backup)
    backup.set_defaults(func=cmd_backup)

    check = subparsers.add_parser(
        "check",
        help="check the hall file, its catalog and the database",
        description="Check the hall file and its catalog, and the database when it exists; "
        'prints "OK" or every problem (exit code 0 or 1).',
    )
    common(check)
    check.set_defaults(func=cmd_check)
