"""The hall database: one SQLite file, its schema and migrations, and its transactions.

The server is the only writer. Every change runs inside `transaction()`
(BEGIN IMMEDIATE … COMMIT) in WAL mode with synchronous=FULL, so a change whose
reply went out survives a crash or a power cut. The statements themselves are named
functions in `shared.server.queries`; this module owns the file, the schema, what makes a
SQLite file a hall database (`is_hall_database`, `schema_version`: `check` and `backup` ask
them too), and opening one only to read it (`open_readonly`, for the report).

Migrations (`schema_v2`, `schema_v3`...) are written with sqlite-utils (`add_column`,
`create`, `create_index`), which says what changes more plainly than ALTER TABLE text;
they run once per database, so sqlite-utils is imported only when one runs or when a tool
asks for `HallStore.db`. The hot path (issue, call_next) stays on plain sqlite3: one
call_next's statements cost about 0.13-0.3 ms through sqlite3 and 1.7-2.0 ms through
sqlite-utils' Table API (6-13 times as much: it reads the table's shape for every insert
and update, and has no UPDATE … RETURNING), measured on a hall file, rolled back, on a
loaded 2-core machine with `python -m bench.store_paths`.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from shared.domain.errors import StoreError
from shared.server.assignments import active_catalog, group_departments

if TYPE_CHECKING:
    import sqlite_utils


log = logging.getLogger(__name__)

SCHEMA_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE categories (
    code TEXT PRIMARY KEY, prefix TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '', position INTEGER NOT NULL DEFAULT 0);
CREATE TABLE services (
    code TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL REFERENCES categories(code), daily_limit INTEGER,
    pinyin TEXT NOT NULL DEFAULT '', position INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1);
CREATE TABLE counters (
    number INTEGER PRIMARY KEY, name TEXT NOT NULL, services TEXT,
    state TEXT NOT NULL DEFAULT 'closed', clerk_id TEXT, ticket_id INTEGER,
    priority_streak INTEGER NOT NULL DEFAULT 0, pause_reason TEXT, updated_at TEXT);
CREATE TABLE clerks (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, pin_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0, created_at TEXT);
CREATE TABLE login_failures (clerk_id TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX login_failures_clerk ON login_failures(clerk_id, at);
CREATE TABLE tickets (
    id INTEGER PRIMARY KEY, day TEXT NOT NULL, number TEXT NOT NULL, prefix TEXT NOT NULL,
    seq INTEGER NOT NULL, service TEXT NOT NULL, category TEXT NOT NULL,
    priority INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL,
    issued_at TEXT NOT NULL, order_at REAL NOT NULL,
    printed_at TEXT, called_at TEXT, started_at TEXT, finished_at TEXT, service_s REAL,
    counter INTEGER, clerk_id TEXT, calls INTEGER NOT NULL DEFAULT 0,
    reserved_counter INTEGER, transfers INTEGER NOT NULL DEFAULT 0,
    kiosk TEXT, cancel_reason TEXT,
    UNIQUE (day, number));
CREATE INDEX tickets_day_state ON tickets(day, state);
CREATE INDEX tickets_day_service ON tickets(day, service);
CREATE INDEX tickets_open ON tickets(state) WHERE state IN ('pending', 'waiting', 'called', 'serving');
CREATE TABLE ticket_log (
    id INTEGER PRIMARY KEY, ticket_id INTEGER NOT NULL, day TEXT NOT NULL, at TEXT NOT NULL,
    action TEXT NOT NULL, state TEXT NOT NULL, counter INTEGER, clerk_id TEXT, detail TEXT);
CREATE INDEX ticket_log_day ON ticket_log(day);
CREATE INDEX ticket_log_ticket ON ticket_log(ticket_id);
CREATE TABLE number_seq (day TEXT NOT NULL, prefix TEXT NOT NULL, last INTEGER NOT NULL,
    PRIMARY KEY (day, prefix)) WITHOUT ROWID;
CREATE TABLE calls (
    id INTEGER PRIMARY KEY, day TEXT NOT NULL, ticket_id INTEGER NOT NULL,
    counter INTEGER NOT NULL, at TEXT NOT NULL, recall INTEGER NOT NULL DEFAULT 0);
CREATE INDEX calls_day ON calls(day);
CREATE TABLE events (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE requests (
    client TEXT NOT NULL, day TEXT NOT NULL, req TEXT NOT NULL, op TEXT NOT NULL, result TEXT NOT NULL,
    PRIMARY KEY (client, day, req)) WITHOUT ROWID;
CREATE TABLE kiosks (client TEXT PRIMARY KEY, printer TEXT NOT NULL, message TEXT NOT NULL DEFAULT '', at TEXT NOT NULL);
"""


def statements(script: str) -> list[str]:
    """The statements of an SQL script (none of the schema's holds a ';' inside)."""
    return [s.strip() for s in script.split(";") if s.strip()]


def schema_v1(db: sqlite_utils.Database) -> None:
    """The first hall database, as one script: every table's shape at a glance."""
    for statement in statements(SCHEMA_V1):
        db.execute(statement)


def schema_v2(db: sqlite_utils.Database) -> None:
    """Ratings, the clerks' figures' index, the issue order, and lockouts."""
    ratings = db.table("ratings")
    ratings.create(
        {"ticket_id": int, "day": str, "at": str, "level": str, "counter": int, "clerk_id": str},
        pk="ticket_id",
        foreign_keys=[("ticket_id", "tickets", "id")],
        not_null={"day", "at", "level"},
    )
    ratings.create_index(["day"], index_name="ratings_day")
    tickets = db.table("tickets")
    tickets.create_index(["day", "clerk_id"], index_name="tickets_day_clerk")
    tickets.add_column("order_no", int, not_null_default=0)
    db.execute("UPDATE tickets SET order_no = id")
    db.table("clerks").add_column("locked_until", float)


def schema_v3(db: sqlite_utils.Database) -> None:
    """The call gap and the assessment figures.

    `counters.last_call_at` (POSIX seconds) is when the counter last called a ticket;
    `ticket_log.started` says, on a 'finish' row, whether the clerk had pressed start (1) or
    not (0); `counter_log` has one row per change of a counter's clerk, state or pause reason,
    so time logged in and paused can be summed; counters open when the database is upgraded
    get their row then, so the day of the upgrade counts too.
    """
    db.table("counters").add_column("last_call_at", float)
    db.table("ticket_log").add_column("started", int)
    counter_log = db.table("counter_log")
    counter_log.create(
        {
            "id": int,
            "day": str,
            "at": str,
            "counter": int,
            "clerk_id": str,
            "state": str,
            "pause_reason": str,
        },
        pk="id",
        not_null={"day", "at", "counter", "state"},
    )
    counter_log.create_index(["day"], index_name="counter_log_day")
    db.execute(
        "INSERT INTO counter_log(day, at, counter, clerk_id, state, pause_reason)"
        " SELECT substr(updated_at, 1, 10), updated_at, number, clerk_id, state, pause_reason"
        " FROM counters WHERE state != 'closed' AND updated_at IS NOT NULL"
    )


def schema_v4(db: sqlite_utils.Database) -> None:
    """A counter's assignment as the operator gave it (`shared.server.assignments`).

    `counters.assigned` holds the department and matter codes (JSON; NULL: every matter),
    `services` stays the matters they mean. Older databases kept only the matters, so a
    counter holding all of a department's active matters is taken to serve the department,
    as `queue-hall counter list` showed it.
    """
    db.table("counters").add_column("assigned", str)
    conn = db.conn
    by_category, _ = active_catalog(conn)
    rows = conn.execute("SELECT number, services FROM counters WHERE services IS NOT NULL")
    for number, services in rows.fetchall():
        assigned = group_departments(json.loads(services), by_category)
        conn.execute("UPDATE counters SET assigned = ? WHERE number = ?", (dumps(assigned), number))


# Each entry moves the schema from version i to i + 1; the version is PRAGMA user_version.
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    schema_v1,
    schema_v2,
    schema_v3,
    schema_v4,
]
SCHEMA_VERSION = len(MIGRATIONS)


def build(conn: sqlite3.Connection, version: int = SCHEMA_VERSION) -> None:
    """Give an empty database the schema of `version`, as that program made it (for tests
    of upgrades from older databases); the caller commits."""
    import sqlite_utils

    db = sqlite_utils.Database(conn)
    for migrate in MIGRATIONS[:version]:
        migrate(db)
    conn.execute(f"PRAGMA user_version={version}")


# What to do about a database that cannot be opened; every such error ends with it.
ADVICE = (
    "run `queue-hall check --db {path}` to see what is wrong; restore the latest copy "
    "made by `queue-hall backup` if the hall's data is damaged"
)


def unusable(path: str, problem: str) -> StoreError:
    """A one-line StoreError naming the file, the problem and what to do."""
    return StoreError(f"{path}: {problem}; " + ADVICE.format(path=path))


def create_private(path: Path) -> bool:
    """Create `path` as an empty file only its owner may read (0600); False if it exists.

    SQLite gives the WAL and shared-memory files the database file's permissions, so
    they are private too. The hall database holds the clerks' PIN hashes.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def check_file(path: Path, writable: bool = True) -> None:
    """Refuse, before SQLite sees it, a path that cannot be a hall database file
    (or, with `writable`, one this user cannot change)."""
    if path.is_dir():
        raise unusable(str(path), "this is a folder, not a database file")
    if not path.exists():
        return
    if path.stat().st_size == 0 and not Path(f"{path}-wal").exists():
        # SQLite would quietly make a new, empty hall of it: the old hall's data is gone.
        raise unusable(
            str(path),
            "the file is empty (0 bytes), so it holds no hall; to start a new hall on "
            "purpose, delete it and run `queue-hall init`",
        )
    if not writable:
        return
    if not os.access(path, os.R_OK | os.W_OK):
        raise unusable(str(path), "the file is read-only for this user (check its permissions)")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise unusable(
            str(path),
            f"the folder {path.parent} is read-only for this user, so the database's "
            "journal cannot be written (check its permissions)",
        )


HALL_TABLES = frozenset({"tickets", "ticket_log", "meta"})  # what every hall database holds


def schema_version(conn: sqlite3.Connection) -> int:
    """The database's schema version (PRAGMA user_version; 0: not a hall database)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def is_hall_database(conn: sqlite3.Connection) -> bool:
    """Whether the database on `conn` is a hall database: the server gave it a schema version
    when it built it, and it holds the tables every version has.

    Raises sqlite3.DatabaseError when the file is not a database SQLite can read.
    """
    if schema_version(conn) == 0:
        return False
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return HALL_TABLES <= tables


def open_readonly(path: str | Path) -> sqlite3.Connection:
    """Open a hall database only to read it (reports, checks), while the server may be writing.

    Raises StoreError when there is no such file, SQLite cannot read it, or it is not a hall
    database; `schema_version(conn)` says which schema it has.
    """
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"no hall database at {path}")
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
        hall = is_hall_database(conn)
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        raise StoreError(f"{path}: not a usable hall database ({exc})") from None
    if not hall:
        conn.close()
        raise StoreError(f"{path}: this SQLite file is not a hall database")
    return conn


class HallStore:
    """The hall's SQLite database."""

    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)
        if self.path != ":memory:":
            file = Path(self.path)
            try:
                file.parent.mkdir(parents=True, exist_ok=True)
                check_file(file)
                create_private(file)
            except OSError as exc:
                raise unusable(self.path, exc.strerror or str(exc)) from exc
        # Autocommit mode: transactions are begun and ended explicitly below.
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise unusable(self.path, f"SQLite cannot open it ({exc})") from exc
        self.conn.row_factory = sqlite3.Row
        try:
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=FULL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA busy_timeout=5000")
            self.migrate()
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise unusable(self.path, f"not a usable hall database ({exc})") from exc

    def quick_check(self) -> None:
        """PRAGMA quick_check: StoreError naming the damage when the file is not sound."""
        try:
            found = [row[0] for row in self.conn.execute("PRAGMA quick_check(5)")]
        except sqlite3.DatabaseError as exc:
            found = [str(exc)]
        if found != ["ok"]:
            found = [" ".join(line.split()) for line in found]  # one line
            raise unusable(self.path, "the database is damaged (" + "; ".join(found) + ")")

    def close(self) -> None:
        self.conn.close()

    def files(self) -> list[Path]:
        """The database file and its WAL and shared-memory files."""
        if self.path == ":memory:":
            return []
        return [Path(self.path + suffix) for suffix in ("", "-wal", "-shm")]

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over this store's connection, for inspection and tools."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    # -- checkpoints --------------------------------------------------------------------------

    def checkpoint_in_background(self, interval_s: float = 1.0) -> Callable[[], None]:
        """Move the WAL into the database file from a thread of its own; returns `stop()`.

        SQLite otherwise checkpoints inside whichever commit fills the WAL, and that one
        reply waits for a copy and an extra flush. Here commits only append to the WAL.
        """
        if self.path == ":memory:":
            return lambda: None
        self.conn.execute("PRAGMA wal_autocheckpoint=0")
        stop = threading.Event()

        def run() -> None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout=1000")
            conn.execute("PRAGMA cache_size=-256")  # it copies pages; it needs no cache of its own
            try:
                while not stop.wait(interval_s):
                    try:
                        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
                    except sqlite3.Error as exc:  # busy or disk trouble: the next round tries again
                        log.warning("checkpoint of %s failed: %s", self.path, exc)
            finally:
                conn.close()

        thread = threading.Thread(target=run, name="hall-checkpoint", daemon=True)
        thread.start()

        def halt() -> None:
            stop.set()
            thread.join(10)
            self.conn.execute("PRAGMA wal_autocheckpoint=1000")

        return halt

    # -- transactions -------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT; ROLLBACK when the block or the commit fails."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    @contextmanager
    def savepoint(self, name: str = "op") -> Iterator[sqlite3.Connection]:
        """A nested step inside a transaction: undone alone when the block raises."""
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute(f"ROLLBACK TO {name}")
            self.conn.execute(f"RELEASE {name}")
            raise
        self.conn.execute(f"RELEASE {name}")

    def migrate(self) -> None:
        """Bring the schema up to SCHEMA_VERSION, one transaction per step."""
        version = schema_version(self.conn)
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: database schema version {version} is newer than this program "
                f"understands ({SCHEMA_VERSION}); upgrade the program"
            )
        if version == 0 and self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise StoreError(
                f"{self.path}: this SQLite file is not a hall database (another program's?); "
                "give the hall's database with --db or create one with `queue-hall init`"
            )
        for target in range(version, SCHEMA_VERSION):
            with self.transaction():
                MIGRATIONS[target](self.db)
                self.conn.execute(f"PRAGMA user_version={target + 1}")

    # -- small helpers ------------------------------------------------------------------------

    def one(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()

    def all(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        value = self.scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return default if value is None else value

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def is_empty(self) -> bool:
        return not self.scalar("SELECT count(*) FROM categories")


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
