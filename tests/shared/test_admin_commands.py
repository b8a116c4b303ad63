"""queue-hall init, counter, backup and check on real hall files and databases."""

from __future__ import annotations

import sqlite3
import stat
import sys
import threading
from pathlib import Path

import pytest

from shared.cli.main import main
from shared.protocol import auth
from shared.server.store import SCHEMA_VERSION, HallStore

CATALOG = """\
[[categories]]
code = "social"
prefix = "A"
name = "社会保险"

[[categories]]
code = "tax"
prefix = "D"
name = "税务"

[[services]]
code = "pension"
name = "养老保险参保"
category = "social"

[[services]]
code = "tax_return"
name = "个税申报"
category = "tax"

[[services]]
code = "tax_invoice"
name = "代开发票"
category = "tax"
"""

HALL = """\
catalog = "catalog.toml"

[hall]
name = "测试镇政务服务中心"
timezone = "Asia/Shanghai"

[server]
host = "127.0.0.1"

[[counters]]
number = 1

[[counters]]
number = 2

[[counters]]
number = 3
name = "3号窗口（税务）"
services = ["tax"]

[[clerks]]
id = "2001"
name = "赵六"
pin = "8765"
"""


@pytest.fixture
def hall_file(tmp_path: Path) -> Path:
    (tmp_path / "catalog.toml").write_text(CATALOG, encoding="utf-8")
    path = tmp_path / "hall.toml"
    path.write_text(HALL, encoding="utf-8")
    return path


@pytest.fixture
def hall_db(tmp_path: Path, hall_file: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "hall.db"
    assert main(["init", "--config", str(hall_file), "--db", str(db)]) == 0
    capsys.readouterr()
    return db


def query(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    store = HallStore(db)
    try:
        return [tuple(row) for row in store.all(sql, params)]
    finally:
        store.close()


# -- init -------------------------------------------------------------------------------------


def test_init_creates_the_hall_from_its_files(tmp_path, hall_file, capsys):
    db = tmp_path / "data" / "hall.db"
    assert main(["init", "--config", str(hall_file), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "2 departments, 3 matters, 3 counters, 1 clerk" in out
    assert "测试镇政务服务中心" in out
    assert query(db, "SELECT number, name, services FROM counters ORDER BY number") == [
        (1, "1号窗口", None),
        (2, "2号窗口", None),
        (3, "3号窗口（税务）", '["tax_return","tax_invoice"]'),
    ]
    ((pin_hash,),) = query(db, "SELECT pin_hash FROM clerks WHERE id = '2001'")
    assert auth.check_pin("8765", pin_hash)


def test_init_refuses_an_existing_database_without_force(hall_db, hall_file, capsys):
    before = hall_db.read_bytes()
    assert main(["init", "--config", str(hall_file), "--db", str(hall_db)]) == 1
    err = capsys.readouterr().err
    assert "already exists" in err and "--force" in err
    assert hall_db.read_bytes() == before


def test_init_force_keeps_the_old_database_as_bak(hall_db, hall_file, tmp_path, capsys):
    assert (
        main(["clerk", "add", "3001", "--name", "旧人", "--pin", "1111", "--db", str(hall_db)]) == 0
    )
    capsys.readouterr()
    assert main(["init", "--force", "--config", str(hall_file), "--db", str(hall_db)]) == 0
    out = capsys.readouterr().out
    (backup,) = tmp_path.glob("hall.db.*.bak")
    assert str(backup) in out
    assert query(backup, "SELECT id FROM clerks ORDER BY id") == [("2001",), ("3001",)]
    assert query(hall_db, "SELECT id FROM clerks ORDER BY id") == [("2001",)]


def test_init_force_refuses_while_the_server_has_the_database_open(hall_server, capsys):
    assert main(["init", "--force", "--db", str(hall_server.db)]) == 1
    assert "in use" in capsys.readouterr().err
    assert not list(hall_server.db.parent.glob("*.bak"))


def test_init_with_a_broken_hall_file_names_file_and_line(tmp_path, hall_file, capsys):
    hall_file.write_text(HALL.replace('host = "127.0.0.1"', "prot = 7310"), encoding="utf-8")
    db = tmp_path / "new.db"
    assert main(["init", "--config", str(hall_file), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "hall.toml:8:" in err and '"prot"' in err
    assert not db.exists()


# -- counters ---------------------------------------------------------------------------------


def test_counter_set_services_expands_departments_and_lists(hall_db, capsys):
    assert main(["counter", "set-services", "1", "tax,pension", "--db", str(hall_db)]) == 0
    assert "now serves 3 matters" in capsys.readouterr().out
    assert query(hall_db, "SELECT services FROM counters WHERE number = 1") == [
        ('["tax_return","tax_invoice","pension"]',)
    ]
    assert main(["counter", "set-services", "3", "all", "--db", str(hall_db)]) == 0
    assert query(hall_db, "SELECT services FROM counters WHERE number = 3") == [(None,)]
    capsys.readouterr()
    assert main(["counter", "list", "--db", str(hall_db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "1\t1号窗口\tclosed\t-\tsocial,tax"
    assert lines[3] == "3\t3号窗口（税务）\tclosed\t-\tall"


@pytest.mark.parametrize(
    ("argv", "code", "words"),
    [
        (["9", "all"], 1, "there is no counter 9; the counters are 1-3"),
        (
            ["1", "taxx"],
            1,
            '"taxx" is neither a matter nor a department of the catalog (did you mean "tax"?)',
        ),
        (["1", "pension,nothing"], 1, '"nothing" is neither'),
        (["1", " , "], 2, "name the services"),
        (["1", "税务"], 2, '"税务" is not a code'),
    ],
)
def test_counter_set_services_rejects_bad_input(hall_db, capsys, argv, code, words):
    before = query(hall_db, "SELECT * FROM counters ORDER BY number")
    assert main(["counter", "set-services", *argv, "--db", str(hall_db)]) == code
    assert words in capsys.readouterr().err
    assert query(hall_db, "SELECT * FROM counters ORDER BY number") == before


def test_counter_number_must_be_a_number(hall_db, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["counter", "set-services", "one", "all", "--db", str(hall_db)])
    assert exit_.value.code == 2
    assert "invalid int value" in capsys.readouterr().err


def test_inactive_matter_cannot_be_given_to_a_counter(hall_db, tmp_path, capsys):
    csv_file = tmp_path / "c.csv"
    csv_file.write_text(
        "category_code,category_prefix,category_name,service_code,service_name\n"
        "social,A,社会保险,pension,养老保险参保\n"
        "tax,D,税务,tax_return,个税申报\n",
        encoding="utf-8",
    )
    assert main(["catalog", "import", str(csv_file), "--db", str(hall_db)]) == 0
    assert "1 deactivated" in capsys.readouterr().out
    assert main(["counter", "set-services", "2", "tax_invoice", "--db", str(hall_db)]) == 1
    assert '"tax_invoice" is inactive' in capsys.readouterr().err


# -- backup -----------------------------------------------------------------------------------


def test_backup_into_a_folder_is_verified(hall_db, tmp_path, capsys):
    folder = tmp_path / "backups"
    folder.mkdir()
    assert main(["backup", str(folder), "--db", str(hall_db)]) == 0
    out = capsys.readouterr().out
    (copy,) = folder.glob("hall-*.db")
    assert copy.name[5:13].isdigit() and "integrity check ok" in out and "0 tickets" in out
    assert query(copy, "SELECT count(*) FROM services") == [(3,)]
    assert main(["backup", str(copy), "--db", str(hall_db)]) == 1
    assert "already exists" in capsys.readouterr().err


def test_backup_while_the_server_serves_writes(hall_server, tmp_path, capsys):
    issued = 0
    enough_before = threading.Event()
    enough_after = threading.Event()
    stop = threading.Event()
    failures: list[BaseException] = []
    after_backup_from = [10**9]

    def write_tickets() -> None:
        nonlocal issued
        try:
            with hall_server.client("kiosk", "kiosk-writer") as kiosk:
                while not stop.is_set():
                    kiosk.call("issue", service="pension_enrol", req=f"r{issued}")
                    issued += 1
                    if issued >= 20:
                        enough_before.set()
                    if issued >= after_backup_from[0] + 20:
                        enough_after.set()
        except BaseException as exc:  # reported in the test thread
            failures.append(exc)
            enough_before.set()
            enough_after.set()

    writer = threading.Thread(target=write_tickets, daemon=True)
    writer.start()
    try:
        assert enough_before.wait(60)
        committed_before = issued
        dest = tmp_path / "copy.db"
        assert main(["backup", str(dest), "--db", str(hall_server.db)]) == 0
        after_backup_from[0] = issued
        assert enough_after.wait(60)  # the server went on serving after the backup
    finally:
        stop.set()
        writer.join(30)
    assert not failures
    copied = query(dest, "SELECT count(*) FROM tickets")[0][0]
    assert committed_before <= copied <= issued
    assert f"{copied} tickets, integrity check ok" in capsys.readouterr().out
    assert query(dest, "PRAGMA integrity_check") == [("ok",)]
    assert query(dest, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert not Path(str(dest) + "-wal").exists()  # a single self-contained file


def test_backup_needs_a_hall_database_and_an_existing_folder(tmp_path, hall_db, capsys):
    assert main(["backup", str(tmp_path / "x.db"), "--db", str(tmp_path / "none.db")]) == 1
    assert "no hall database" in capsys.readouterr().err
    assert main(["backup", str(tmp_path / "no" / "such" / "x.db"), "--db", str(hall_db)]) == 2
    assert "does not exist" in capsys.readouterr().err


# -- check ------------------------------------------------------------------------------------


def test_check_a_good_hall(hall_file, hall_db, capsys):
    assert main(["check", "--config", str(hall_file), "--db", str(hall_db)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "OK"
    assert "problem" not in out


def test_check_a_good_hall_file_without_a_database_yet(hall_file, capsys):
    assert main(["check", "--config", str(hall_file)]) == 0
    out = capsys.readouterr().out
    assert "warning: no hall database" in out and out.splitlines()[-1] == "OK"


# (case, how to break the hall file or catalog, the file:line named, words)
BROKEN_FILES = [
    ("misspelt key", ("hall.toml", 'host = "127.0.0.1"', "prot = 7310"), "hall.toml:8:", '"prot"'),
    ("missing catalog", ("hall.toml", "catalog.toml", "katalog.toml"), "hall.toml:1:", "not found"),
    ("bad prefix", ("catalog.toml", 'prefix = "D"', 'prefix = "d"'), "catalog.toml:8:", '"d"'),
    (
        "unknown counter service",
        ("hall.toml", 'services = ["tax"]', 'services = ["taks"]'),
        "hall.toml:19:",
        '"taks" is neither',
    ),
    (
        "bad time",
        ("hall.toml", "[server]", '[hours]\nopen = "8:7x"\n[server]'),
        "hall.toml:8:",
        "8:7x",
    ),
]


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [case[1:] for case in BROKEN_FILES],
    ids=[case[0] for case in BROKEN_FILES],
)
def test_check_broken_files(hall_file, hall_db, capsys, change, where, words):
    name, old, new = change
    path = hall_file.parent / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert main(["check", "--config", str(hall_file), "--db", str(hall_db)]) == 1
    out = capsys.readouterr().out
    problem = next(line for line in out.splitlines() if line.startswith("problem:"))
    assert where in problem and words in problem, out
    assert out.splitlines()[-1].endswith("found")


def _set_counter_services(db: Path) -> None:
    assert main(["counter", "set-services", "3", "pension", "--db", str(db)]) == 0


def _clerk_without_pin(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE clerks SET pin_hash = '' WHERE id = '2001'")


def _no_counter_for_tax(db: Path) -> None:
    for number in ("1", "2", "3"):
        assert main(["counter", "set-services", number, "social", "--db", str(db)]) == 0


def _not_a_database(db: Path) -> None:
    db.write_bytes(b"this is not SQLite " * 500)


def _newer_schema(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")


def _corrupt_pages(db: Path) -> None:
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for offset in range(page, len(data) - 8, 97):
        data[offset : offset + 4] = b"\xde\xad\xbe\xef"
    db.write_bytes(bytes(data))


BROKEN_DATABASES = [
    ("counter differs from the hall file", _set_counter_services, "counter 3 serves tax in"),
    ("clerk without PIN", _clerk_without_pin, "clerk 2001 has no usable PIN"),
    ("matters nobody serves", _no_counter_for_tax, "no counter serves tax_return, tax_invoice"),
    ("not a database", _not_a_database, "hall.db"),
    ("newer schema", _newer_schema, "newer than this program"),
    ("corrupt file", _corrupt_pages, "hall.db"),
]


@pytest.mark.parametrize(
    ("breaker", "words"),
    [case[1:] for case in BROKEN_DATABASES],
    ids=[case[0] for case in BROKEN_DATABASES],
)
def test_check_broken_databases(hall_file, hall_db, capsys, breaker, words):
    breaker(hall_db)
    capsys.readouterr()
    assert main(["check", "--config", str(hall_file), "--db", str(hall_db)]) == 1
    captured = capsys.readouterr()
    problems = [line for line in captured.out.splitlines() if line.startswith("problem:")]
    assert any(words in line for line in problems), captured.out
    assert "Traceback" not in captured.err


def test_check_warns_about_an_open_network_without_a_key(hall_file, hall_db, capsys):
    hall_file.write_text(HALL.replace("127.0.0.1", "0.0.0.0"), encoding="utf-8")
    assert main(["check", "--config", str(hall_file), "--db", str(hall_db)]) == 0
    out = capsys.readouterr().out
    assert "warning: the server listens on 0.0.0.0 without a hall key" in out


def test_backup_to_a_new_folder_with_a_trailing_slash_writes_inside_it(hall_db, tmp_path, capsys):
    folder = tmp_path / "new" / "backups"
    assert main(["backup", f"{folder}/", "--db", str(hall_db)]) == 0
    (copy,) = folder.glob("hall-*.db")
    out = capsys.readouterr().out
    assert f"to {copy}:" in out  # says where the backup went
    assert query(copy, "SELECT count(*) FROM services") == [(3,)]
    # Into the same, now existing folder without the slash: a second file beside the first.
    assert main(["backup", str(folder), "--db", str(hall_db)]) == 0
    assert len(list(folder.glob("hall-*.db"))) == 2


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_check_warns_of_a_database_other_users_can_read(hall_file, hall_db, capsys):
    assert stat.S_IMODE(hall_db.stat().st_mode) == 0o600  # as init made it
    hall_db.chmod(0o644)  # as made by an older version
    assert main(["check", "--config", str(hall_file), "--db", str(hall_db)]) == 0
    assert "can be read by other users" in capsys.readouterr().out


# -- only serve, init and demo create a hall database -----------------------------------------

# Every command that works on an existing hall, as a first-time user types it without --config.
NEEDS_A_HALL = [
    ["clerk", "list"],
    ["clerk", "add", "2009", "--name", "孙八", "--pin", "2468"],
    ["clerk", "reset-pin", "1001", "--pin", "2468"],
    ["clerk", "disable", "1001"],
    ["counter", "list"],
    ["counter", "set-services", "1", "all"],
    ["catalog", "export"],
    ["catalog", "import", "catalog.csv"],
    ["backup", "backups/"],
    ["report", "--month", "2026-11"],
    ["check"],
]


@pytest.mark.parametrize("argv", NEEDS_A_HALL, ids=[" ".join(argv[:2]) for argv in NEEDS_A_HALL])
def test_commands_refuse_a_missing_database_instead_of_making_one(
    tmp_path, monkeypatch, capsys, argv
):
    home = tmp_path / "home"
    monkeypatch.setenv("QUEUE_HALL_HOME", str(home))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "catalog.csv").write_text("category_code,service_code,service_name\n")
    assert main(argv) == 1
    out, err = capsys.readouterr()
    lines = (out + err).strip().splitlines()
    message = next(line for line in lines if "no hall database" in line)
    assert str(home / "hall.db") in message and "--config HALL.toml" in message, lines
    assert "OK" not in lines
    assert not (home / "hall.db").exists()
    assert not (tmp_path / "backups").exists()


def test_a_missing_database_given_with_db_is_refused_and_not_made(tmp_path, capsys):
    db = tmp_path / "typo.db"
    assert main(["clerk", "list", "--db", str(db)]) == 1
    assert f"no hall database at {db}" in capsys.readouterr().err
    assert not db.exists()


def test_check_of_a_hall_database_without_its_hall_file_says_one_thing(hall_db, capsys):
    assert main(["check", "--db", str(hall_db)]) == 1
    out = capsys.readouterr().out
    assert "made from a hall file" in out and "no demo clerks are added" in out
    # The demo settings are not compared with this hall: no demo clerk "added when the server
    # starts", which the server does not do for a hall made from a hall file.
    assert "added when the server starts" not in out and "the server adds it" not in out
    assert out.splitlines()[-1] == "1 problem found"


def test_check_of_a_demo_database_with_a_hall_file_names_the_mismatch_only(
    tmp_path, hall_file, capsys
):
    db = tmp_path / "demo-made.db"
    assert main(["init", "--db", str(db)]) == 0  # the built-in demo settings
    capsys.readouterr()
    assert main(["check", "--config", str(hall_file), "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert "was made by the demo" in out
    assert "in the database yet" not in out and "the server applies the hall file" not in out


def test_counts_of_one_are_singular(hall_server, tmp_path, capsys):
    with hall_server.client("kiosk", "kiosk-one") as kiosk:
        kiosk.call("issue", service="pension_enrol", req="r1")
    assert main(["backup", str(tmp_path / "one.db"), "--db", str(hall_server.db)]) == 0
    assert "1 ticket, integrity check ok" in capsys.readouterr().out
    db = tmp_path / "small.db"
    hall_db_args = ["--db", str(db)]
    (tmp_path / "catalog.toml").write_text(CATALOG, encoding="utf-8")
    (tmp_path / "hall.toml").write_text(HALL, encoding="utf-8")
    assert main(["init", "--config", str(tmp_path / "hall.toml"), *hall_db_args]) == 0
    assert main(["counter", "set-services", "1", "pension", *hall_db_args]) == 0
    assert "now serves 1 matter: " in capsys.readouterr().out
    one = tmp_path / "one.csv"
    one.write_text("category_code,service_code,service_name\nsocial,pension,养老保险参保\n")
    assert main(["catalog", "import", str(one), "--dry-run", *hall_db_args]) == 0
    assert ": 1 department, 1 matter\n" in capsys.readouterr().out
    assert main(["catalog", "export", "--out", str(tmp_path / "out.csv"), *hall_db_args]) == 0
    assert "exported 3 matters of 2 departments" in capsys.readouterr().out
