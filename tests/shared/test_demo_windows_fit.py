"""`queue-hall demo` on a 1920x1080 screen: every window stays inside the tile it is given."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from display_board.app import build_board
from queue_kiosk.app import Kiosk
from queue_kiosk.printing import open_printer
from shared.cli.demo import DEMO_CLERKS, demo_config
from shared.client.geometry import tile_demo
from shared.qt.i18n import install_translations

WAIT_MS = 20_000
TILES = tile_demo(1920, 1080)


def fits(window, name: str) -> None:
    tile = TILES[name]
    hint = window.minimumSizeHint()
    minimum = window.minimumSize()
    assert hint.width() <= tile.width and hint.height() <= tile.height, (
        f"{name}: needs at least {hint.width()}x{hint.height()}, tile is {tile.width}x{tile.height}"
    )
    assert minimum.width() <= tile.width and minimum.height() <= tile.height, (
        f"{name}: minimum {minimum.width()}x{minimum.height()}, tile {tile.width}x{tile.height}"
    )
    assert (window.width(), window.height()) == (tile.width, tile.height), (
        f"{name}: {window.width()}x{window.height()} in a {tile.width}x{tile.height} tile"
    )


def place(window, name: str) -> None:
    tile = TILES[name]
    window.setGeometry(tile.x, tile.y, tile.width, tile.height)
    window.show()


@pytest.fixture
def demo_server(request, tmp_path, start_server):
    config = replace(demo_config(request.param), key=None, open_time=None, close_time=None)
    server = start_server(tmp_path / "hall.db", config)
    yield server
    server.stop()


def start_kiosk(qtbot, qapp, server, tmp_path) -> Kiosk:
    install_translations(qapp, "zh_CN")
    kiosk = Kiosk(
        server.host,
        server.port,
        printer=open_printer("preview"),
        config=server.config,
        client_name="kiosk-tile",
        preview_dir=tmp_path,
    )
    place(kiosk.window, "kiosk")
    kiosk.start()
    qtbot.waitUntil(lambda: kiosk.model.online and bool(kiosk.model.matters), timeout=WAIT_MS)
    qtbot.wait(50)  # let the layout settle with the catalog in it
    return kiosk


@pytest.mark.parametrize("demo_server", ["sample"], indirect=True)
def test_kiosk_and_its_pinyin_search_stay_in_the_kiosk_tile(qtbot, qapp, demo_server, tmp_path):
    kiosk = start_kiosk(qtbot, qapp, demo_server, tmp_path)
    try:
        fits(kiosk.window, "kiosk")
        kiosk.model.open_search()
        qtbot.waitUntil(lambda: kiosk.window.matters_page.keyboard.isVisible())
        qtbot.wait(50)
        fits(kiosk.window, "kiosk")
    finally:
        kiosk.close()


@pytest.mark.parametrize("demo_server", ["county"], indirect=True)
def test_county_kiosk_stays_in_its_tile_and_shows_every_row_it_lays_out(
    qtbot, qapp, demo_server, tmp_path
):
    kiosk = start_kiosk(qtbot, qapp, demo_server, tmp_path)
    try:
        fits(kiosk.window, "kiosk")
        window = kiosk.window
        for tile in window.start_page.tiles.values():
            if tile.isVisible():
                bottom = tile.mapTo(window, tile.rect().bottomLeft()).y()
                assert bottom < window.height(), f"{tile.text()!r} is cut off at {bottom}"
    finally:
        kiosk.close()


@pytest.mark.parametrize("demo_server", ["sample"], indirect=True)
def test_board_with_calls_stays_in_its_tile(qtbot, demo_server):
    board = build_board(
        demo_server.host, demo_server.port, config=demo_server.config, reconnect_min_s=0.05
    )
    qtbot.addWidget(board)
    place(board, "display board")
    admin = demo_server.client("admin", "test-admin")
    counters = [
        demo_server.counter(n, clerk, pin) for n, (clerk, pin) in enumerate(DEMO_CLERKS, start=1)
    ]
    try:
        service = demo_server.config.catalog.services[0].code
        for _ in range(6):
            ticket = admin.call("issue", service=service, req=uuid.uuid4().hex)["ticket"]
            admin.call("printed", ticket=ticket["id"])
        for counter in counters:
            counter.call("call_next", req=uuid.uuid4().hex)
        qtbot.waitUntil(lambda: board.model.seq is not None, timeout=WAIT_MS)
        qtbot.wait(300)
        fits(board, "display board")
    finally:
        for counter in counters:
            counter.close()
        admin.close()
        board.connection.stop()


@pytest.mark.parametrize("size", [(1344, 300), (1000, 250)])
def test_board_in_a_short_window_keeps_the_window_size(qtbot, size):
    from display_board.views.board import DisplayBoard

    board = DisplayBoard(hall_name="白沙镇政务服务中心", notice="请留意叫号")
    qtbot.addWidget(board)
    board.resize(*size)
    board.show()
    qtbot.waitExposed(board)
    qtbot.wait(50)
    assert (board.width(), board.height()) == size
    assert board.minimumSizeHint().height() <= size[1]
