"""`queue-hall serve` and the database it is given: one server per file, demo settings only
for a demo database, and a clear one-line refusal of a file that cannot be a hall database."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from shared.cli.main import main

HALL_FILE = """
catalog = "{catalog}"

[hall]
name = "河口镇便民服务中心"

[[counters]]
number = 1
name = "1号窗口"

[[counters]]
number = 2
name = "2号窗口"

[[clerks]]
id = "2001"
name = "赵六"
pin = "8765"
"""


class Served:
    """A `queue-hall serve` subprocess whose stderr goes to a file the test reads."""

    def __init__(self, db: Path, *args: str) -> None:
        self.log = db.parent / f"serve-{time.monotonic_ns()}.err"
        env = {**os.environ, "QUEUE_HALL_HOME": str(db.parent)}
        env.pop("QUEUE_HALL_KEY", None)
        with open(self.log, "wb") as err:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "shared.cli.main",
                    "serve",
                    "--db",
                    str(db),
                    "--port",
                    "0",
                    *args,
                ],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=err,
            )

    @property
    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_serving(self, timeout: float = 30) -> int:
        """The port it listens on, once it says so."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(r"serving .* on 127\.0\.0\.1:(\d+)", self.stderr)
            if found:
                return int(found.group(1))
            assert self.proc.poll() is None, f"the server stopped: {self.stderr}"
            time.sleep(0.05)
        raise AssertionError(f"no 'serving' line within {timeout} s: {self.stderr}")

    def wait_exit(self, timeout: float = 30) -> int:
        return self.proc.wait(timeout)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


@pytest.fixture
def hall_file(tmp_path: Path) -> Path:
    from shared.config.hall import SAMPLE_CATALOG_PATH

    path = tmp_path / "hall.toml"
    path.write_text(HALL_FILE.format(catalog=SAMPLE_CATALOG_PATH.as_posix()), encoding="utf-8")
    return path


def rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


# -- one server per database (flock / msvcrt.locking) ----------------------------------------------


def test_a_second_server_on_the_same_database_refuses_naming_the_first(tmp_path):
    db = tmp_path / "hall.db"
    first = Served(db)
    try:
        port = first.wait_serving()
        second = Served(db)
        assert second.wait_exit() == 1
        message = second.stderr
        assert f"pid {first.proc.pid} on 127.0.0.1:{port}" in message
        assert str(db) in message and "already being served" in message
        assert "Traceback" not in message
        # The first server was not disturbed.
        assert first.proc.poll() is None
    finally:
        first.stop()


def test_the_lock_is_released_when_the_server_is_killed(tmp_path):
    db = tmp_path / "hall.db"
    first = Served(db)
    first.wait_serving()
    first.proc.send_signal(signal.SIGKILL)  # no clean-up runs: the OS drops the lock
    first.proc.wait(10)
    after = Served(db)
    try:
        after.wait_serving()
    finally:
        after.stop()


# -- demo settings only for a demo database -------------------------------------------------------


def test_serving_a_hall_database_without_its_hall_file_adds_no_demo_clerks(tmp_path, hall_file):
    db = tmp_path / "hall.db"
    assert main(["init", "--config", str(hall_file), "--db", str(db)]) == 0
    before = (
        rows(db, "SELECT id, name FROM clerks ORDER BY id"),
        rows(db, "SELECT number, name FROM counters ORDER BY number"),
        rows(db, "SELECT value FROM meta WHERE key = 'hall'"),
    )
    server = Served(db)  # forgot --config: the demo settings
    try:
        server.wait_serving()
    finally:
        server.stop()
    after = (
        rows(db, "SELECT id, name FROM clerks ORDER BY id"),
        rows(db, "SELECT number, name FROM counters ORDER BY number"),
        rows(db, "SELECT value FROM meta WHERE key = 'hall'"),
    )
    assert after == before and after[0] == [("2001", "赵六")]
    warning = [
        line for line in server.stderr.splitlines() if line.startswith("queue-hall: warning")
    ]
    assert len(warning) == 1 and "made from a hall file" in warning[0] and "--config" in warning[0]
    assert "made from a hall file" in (tmp_path / "logs" / "queue-hall.log").read_text("utf-8")


def test_a_database_made_before_settings_were_recorded_is_judged_by_its_clerks(tmp_path, hall_file):
    from shared.config.hall import default_config, load_config
    from shared.domain.clock import SystemClock
    from shared.server.service import HallService
    from shared.server.store import HallStore

    db = tmp_path / "old.db"
    HallService(HallStore(db), load_config(hall_file), SystemClock()).store.close()
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM meta WHERE key = 'settings'")  # as an older version made it
    conn.commit()
    conn.close()
    service = HallService(HallStore(db), default_config(), SystemClock())
    try:
        assert service.settings_mismatch is not None
        assert service.hall == "河口镇便民服务中心"
        assert [r[0] for r in service.store.all("SELECT id FROM clerks")] == ["2001"]
    finally:
        service.store.close()


def test_an_older_hall_with_the_sample_name_and_no_clerks_is_not_taken_for_the_demo(tmp_path):
    """The sample hall file has the demo's hall name; before clerks are added, such a hall
    must still be judged a hall-file one, and its hall file applied."""
    from shared.config.hall import load_config
    from shared.domain.clock import SystemClock
    from shared.server.service import HallService
    from shared.server.store import HallStore

    sample = Path(__file__).parents[2] / "shared" / "config" / "data" / "sample_hall.toml"
    config = replace(load_config(sample), db_path=str(tmp_path / "old.db"))
    db = tmp_path / "old.db"
    HallService(HallStore(db), config, SystemClock()).store.close()
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM clerks").fetchone()[0] == 0
    conn.execute("DELETE FROM meta WHERE key = 'settings'")  # as an older version made it
    conn.commit()
    conn.close()
    service = HallService(HallStore(db), config, SystemClock())
    try:
        assert service.settings_mismatch is None, service.settings_mismatch
    finally:
        service.store.close()


def test_a_demo_database_keeps_getting_the_demo_settings(tmp_path):
    from shared.config.hall import default_config
    from shared.domain.clock import SystemClock
    from shared.server.service import HallService
    from shared.server.store import HallStore

    db = tmp_path / "demo.db"
    HallService(HallStore(db), default_config(), SystemClock()).store.close()
    service = HallService(HallStore(db), default_config(), SystemClock())
    try:
        assert service.settings_mismatch is None
        assert {r[0] for r in service.store.all("SELECT id FROM clerks")} >= {"1001", "1004"}
    finally:
        service.store.close()


# -- files that cannot be a hall database ----------------------------------------------------------


def _garbage(db: Path) -> None:
    db.write_bytes(b"this is not an SQLite file " * 200)


def _empty(db: Path) -> None:
    db.write_bytes(b"")


def _folder(db: Path) -> None:
    db.mkdir()


def _damaged(db: Path, table: str = "services") -> None:
    assert main(["init", "--db", str(db)]) == 0
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=DELETE")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.close()
    with open(db, "r+b") as file:  # scribble over one table's first page
        file.seek((root - 1) * page + 8)
        file.write(b"\xff" * 64)


BAD_FILES = [
    pytest.param(_garbage, "not a usable hall database", id="not-sqlite"),
    pytest.param(_empty, "empty (0 bytes)", id="zero-bytes"),
    pytest.param(_folder, "a folder, not a database file", id="folder"),
    pytest.param(_damaged, "damaged", id="damaged-page"),
    # The settings table is read first of all when the server starts.
    pytest.param(lambda db: _damaged(db, "meta"), "damaged", id="damaged-meta-page"),
]


@pytest.mark.parametrize(("spoil", "problem"), BAD_FILES)
def test_serve_refuses_a_bad_database_in_one_clear_line(tmp_path, capsys, spoil, problem):
    db = tmp_path / "hall.db"
    spoil(db)
    capsys.readouterr()
    server = Served(db)
    assert server.wait_exit() == 1
    lines = server.stderr.strip().splitlines()
    assert "Traceback" not in server.stderr
    (line,) = [line for line in lines if line.startswith("queue-hall:")]
    assert str(db) in line and problem in line
    assert "queue-hall check" in line and "queue-hall backup" in line


def test_a_zero_byte_file_is_not_quietly_made_a_new_hall(tmp_path, capsys):
    db = tmp_path / "hall.db"
    db.write_bytes(b"")
    assert main(["clerk", "add", "9", "--name", "x", "--pin", "1234", "--db", str(db)]) == 1
    assert "empty (0 bytes)" in capsys.readouterr().err
    assert db.stat().st_size == 0


def test_a_read_only_database_is_named(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "hall.db"
    assert main(["init", "--db", str(db)]) == 0
    db.chmod(0o444)
    command = [sys.executable, "-m", "shared.cli.main", "serve", "--db", str(db), "--port", "0"]
    if os.geteuid() == 0:
        # Root writes read-only files anyway: run the server as root without that power.
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv (util-linux) to drop CAP_DAC_OVERRIDE")
        caps = "-dac_override,-dac_read_search"
        command = [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}", "--", *command]
    env = {**os.environ, "QUEUE_HALL_HOME": str(folder)}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert str(db) in done.stderr and "read-only" in done.stderr


# -- private files ---------------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_database_wal_shm_and_backups_are_private(tmp_path, capsys):
    previous = os.umask(0o022)  # the usual umask, which would give 0644 files
    os.umask(previous)
    if previous & 0o077 == 0o077:
        pytest.skip("this umask already makes every file private; nothing to show")
    db = tmp_path / "hall.db"
    server = Served(db)
    try:
        server.wait_serving()
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.glob("hall.db*")}
    finally:
        server.stop()
    assert {"hall.db", "hall.db-wal", "hall.db-shm", "hall.db.lock"} <= set(modes)
    assert set(modes.values()) == {0o600}, modes
    assert main(["backup", str(tmp_path / "copies") + "/", "--db", str(db)]) == 0
    (copy,) = (tmp_path / "copies").glob("hall-*.db")
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600


@pytest.mark.parametrize(("spoil", "problem"), BAD_FILES[:3])
def test_admin_commands_name_a_bad_database_too(tmp_path, capsys, spoil, problem):
    db = tmp_path / "hall.db"
    spoil(db)
    for argv in (["catalog", "export"], ["backup", f"{tmp_path}/copies/"], ["clerk", "list"]):
        assert main([*argv, "--db", str(db)]) == 1
        err = capsys.readouterr().err
        assert str(db) in err and problem in err and "queue-hall check" in err, (argv, err)


def test_init_force_refuses_while_serve_holds_the_database(tmp_path, capsys):
    db = tmp_path / "hall.db"
    server = Served(db)
    try:
        port = server.wait_serving()
        assert main(["init", "--force", "--db", str(db)]) == 1
        err = capsys.readouterr().err
        assert f"pid {server.proc.pid} on 127.0.0.1:{port}" in err
        assert not list(tmp_path.glob("*.bak"))
    finally:
        server.stop()


def test_check_names_a_hall_database_checked_with_the_demo_settings(tmp_path, hall_file, capsys):
    db = tmp_path / "hall.db"
    assert main(["init", "--config", str(hall_file), "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["check", "--db", str(db)]) == 1  # no --config: the demo settings
    assert "made from a hall file" in capsys.readouterr().out
    assert main(["check", "--config", str(hall_file), "--db", str(db)]) == 0
