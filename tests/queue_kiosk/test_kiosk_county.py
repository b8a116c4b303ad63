"""The kiosk window on a county hall (1,500 matters, 25 departments) served by a real server."""

from __future__ import annotations

from dataclasses import replace

import pytest

from queue_kiosk.app import Kiosk
from queue_kiosk.printing import open_printer
from shared.admin.county import county_catalog
from shared.config.hall import CounterConfig, default_config
from shared.qt.i18n import install_translations

WAIT_MS = 20_000
# 15 mm on the finest common kiosk screen (21.5", 1920x1080: 0.248 mm a pixel) is 61 px.
TOUCH_PX = 61


@pytest.fixture(scope="module")
def county_server(tmp_path_factory, start_server):
    config = replace(
        default_config(),
        key=None,
        timezone="Asia/Shanghai",
        open_time=None,
        close_time=None,
        catalog=county_catalog(),
        counters=tuple(CounterConfig(n, f"{n}号窗口") for n in range(1, 61)),
    )
    server = start_server(tmp_path_factory.mktemp("county") / "hall.db", config)
    yield server
    server.stop()


@pytest.fixture
def kiosk(qtbot, qapp, county_server):
    install_translations(qapp, "zh_CN")
    kiosk = Kiosk(
        county_server.host,
        county_server.port,
        printer=open_printer("none"),
        config=county_server.config,
        client_name="kiosk-county",
    )
    kiosk.window.show()
    kiosk.start()
    qtbot.waitUntil(lambda: kiosk.model.online and bool(kiosk.model.matters), timeout=WAIT_MS)
    yield kiosk
    kiosk.close()


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_all_25_departments_on_the_start_screen_with_15mm_touch_targets(qtbot, kiosk, size):
    window = kiosk.window
    window.resize(*size)
    qtbot.waitUntil(lambda: window.start_page.portrait == (size[1] > size[0]), timeout=WAIT_MS)
    qtbot.wait(50)
    assert len(kiosk.model.matters) == 1500  # every page of the catalog was read
    start = window.start_page
    assert start.page_count == 1 and not start.pager.isVisible()
    assert set(start.tiles) == {c.code for c in kiosk.model.categories} and len(start.tiles) == 25
    screen = window.rect()
    for tile in start.tiles.values():
        assert tile.isVisible()
        assert tile.width() >= TOUCH_PX and tile.height() >= TOUCH_PX, (tile.size(), size)
        corner = tile.mapTo(window, tile.rect().bottomRight())
        assert screen.contains(corner), f"a department tile ends outside the {size} screen"


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_an_84_matter_department_pages_through_every_matter(qtbot, kiosk, size):
    window = kiosk.window
    window.resize(*size)
    qtbot.waitUntil(lambda: window.start_page.portrait == (size[1] > size[0]), timeout=WAIT_MS)
    model = kiosk.model
    model.select_category("hrss")
    qtbot.wait(50)
    seen: list[str] = []
    for _ in range(model.page_count):
        window.matters_page.refresh()
        seen += list(window.matters_page.tiles)
        for tile in window.matters_page.tiles.values():
            assert tile.width() >= TOUCH_PX and tile.height() >= TOUCH_PX
        model.next_page()
    assert len(seen) == len(set(seen)) == 84
    assert model.page_count >= 7


def test_more_departments_than_a_screen_turn_pages(qtbot, kiosk):
    window = kiosk.window
    window.resize(1920, 1080)
    model = kiosk.model
    extra = [replace(model.categories[0], code=f"more{n}") for n in range(15)]
    model.categories = model.categories + extra  # 40 departments, the most a hall may have
    start = window.start_page
    start.refresh()
    assert start.page_count == 2 and start.pager.isVisible()
    first = set(start.tiles)
    start.turn(1)
    assert len(first) == 25 and set(start.tiles) == {c.code for c in model.categories[25:]}
