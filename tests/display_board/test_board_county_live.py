"""A board on a real server whose snapshot takes many frames: the connection joins the pages."""

from __future__ import annotations

from dataclasses import replace

from display_board.app import build_board
from shared.admin.county import county_catalog
from shared.cli.demo import prepare_database
from shared.client.connection import BlockingHallClient
from shared.config.hall import CounterConfig, default_config


def test_the_board_reads_every_page_of_a_big_snapshot(qtbot, tmp_path, start_server):
    catalog = county_catalog()
    codes = [service.code for service in catalog.services]
    config = replace(
        default_config(),
        key=None,
        timezone="Asia/Shanghai",
        open_time=None,
        close_time=None,
        catalog=catalog,
        counters=tuple(
            CounterConfig(n, f"{n}号窗口", tuple((codes * 2)[n * 37 : n * 37 + 600]))
            for n in range(1, 61)
        ),
    )
    server = start_server(tmp_path / "hall.db", config)
    try:
        with BlockingHallClient(server.host, server.port, "display", "probe") as probe:
            assert isinstance(probe.call("snapshot")["next"], str)  # more than one frame
        board = build_board(server.host, server.port, config=config, counters=None)
        qtbot.addWidget(board)
        qtbot.waitUntil(lambda: len(board.model.counters) == 60, timeout=20_000)
        qtbot.waitUntil(lambda: len(board.model.departments) == 25, timeout=20_000)
        assert board.connection.snapshot["next"] is None
        board.connection.stop()
    finally:
        server.stop()


def test_demo_county_hall_database(tmp_path):
    from shared.server.store import HallStore

    db = prepare_database(tmp_path, range(3, 5), "county")
    store = HallStore(db)
    try:
        assert store.scalar("SELECT count(*) FROM services WHERE active = 1") == 1500
        assert store.scalar("SELECT count(*) FROM categories") == 25
        assert store.scalar("SELECT count(*) FROM counters") == 60
    finally:
        store.close()
