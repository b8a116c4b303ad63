"""The hall database file: durability settings, migrations, and files it must refuse."""

from __future__ import annotations

import sqlite3

import pytest

from shared.server.store import SCHEMA_VERSION, HallStore, StoreError


def test_new_database_is_wal_with_full_sync_and_current_schema(tmp_path):
    store = HallStore(tmp_path / "hall.db")
    assert store.scalar("PRAGMA journal_mode") == "wal"
    assert store.scalar("PRAGMA synchronous") == 2  # FULL
    assert store.scalar("PRAGMA user_version") == SCHEMA_VERSION
    assert {"tickets", "events", "requests", "counters", "clerks"} <= set(store.db.table_names())
    store.close()


def test_indexes_cover_the_days_work(tmp_path):
    store = HallStore(tmp_path / "hall.db")
    plan = " ".join(
        r[3]
        for r in store.all(
            "EXPLAIN QUERY PLAN SELECT id FROM tickets WHERE day = '2026-11-26' AND state = 'waiting'"
        )
    )
    assert "USING INDEX tickets_day_state" in plan or "USING COVERING INDEX" in plan
    store.close()


def test_reopening_keeps_data_and_does_not_migrate_again(tmp_path):
    store = HallStore(tmp_path / "hall.db")
    with store.transaction():
        store.set_meta("hall", "测试大厅")
    store.close()
    again = HallStore(tmp_path / "hall.db")
    assert again.get_meta("hall") == "测试大厅"
    again.close()


def test_transaction_rolls_back_on_error(tmp_path):
    store = HallStore(tmp_path / "hall.db")
    with pytest.raises(RuntimeError), store.transaction():
        store.set_meta("x", "1")
        raise RuntimeError("boom")
    assert store.get_meta("x") is None
    store.close()


def test_savepoint_undoes_only_its_own_step(tmp_path):
    store = HallStore(tmp_path / "hall.db")
    with store.transaction():
        store.set_meta("kept", "1")
        with pytest.raises(ValueError), store.savepoint():
            store.set_meta("dropped", "1")
            raise ValueError
    assert store.get_meta("kept") == "1" and store.get_meta("dropped") is None
    store.close()


def test_newer_schema_is_refused_with_a_clear_error(tmp_path):
    path = tmp_path / "hall.db"
    HallStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this program"):
        HallStore(path)


def test_other_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.close()
    with pytest.raises(StoreError, match="not a hall database"):
        HallStore(path)


def test_garbage_file_is_refused(tmp_path):
    path = tmp_path / "garbage.db"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not a usable hall database"):
        HallStore(path)


def test_version_1_database_is_migrated_keeping_its_tickets(tmp_path):
    from shared.server.store import build

    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path)
    build(conn, 1)
    conn.execute("INSERT INTO categories(code, prefix, name) VALUES ('c', 'A', '社保')")
    conn.execute(
        "INSERT INTO tickets(day, number, prefix, seq, service, category, state, issued_at, order_at)"
        " VALUES ('2026-11-25', 'A001', 'A', 1, 's', 'c', 'done', '2026-11-25T09:00:00+08:00', 0)"
    )
    conn.commit()
    conn.close()
    store = HallStore(path)
    assert store.scalar("PRAGMA user_version") == SCHEMA_VERSION >= 2
    assert "ratings" in store.db.table_names()
    assert store.scalar("SELECT number FROM tickets") == "A001"
    store.close()


def test_counters_open_at_the_upgrade_to_version_3_get_their_counter_log_row(tmp_path):
    """Time logged in is summed from counter_log: a counter open when the database is
    upgraded must have a row from then, or the day of the upgrade counts no time for it."""
    from shared.server.store import build

    path = tmp_path / "v2.db"
    conn = sqlite3.connect(path)
    build(conn, 2)
    for number, state in ((1, "open"), (2, "closed"), (3, "paused")):
        conn.execute(
            "INSERT INTO counters(number, name, state, clerk_id, updated_at) VALUES (?,?,?,?,?)",
            (
                number,
                f"{number}号窗口",
                state,
                None if state == "closed" else f"c{number}",
                "2026-11-25T09:00:00+08:00",
            ),
        )
    conn.commit()
    conn.close()
    store = HallStore(path)
    rows = store.all("SELECT day, at, counter, clerk_id, state FROM counter_log ORDER BY counter")
    assert [tuple(r) for r in rows] == [
        ("2026-11-25", "2026-11-25T09:00:00+08:00", 1, "c1", "open"),
        ("2026-11-25", "2026-11-25T09:00:00+08:00", 3, "c3", "paused"),
    ]
    store.close()
