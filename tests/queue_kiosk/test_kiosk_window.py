"""The kiosk window against a real hall server and a fake network printer: touch by touch."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import Qt

from queue_kiosk.kiosk import Kiosk
from queue_kiosk.model import CONFIRMATION_S, Phase, Problem, Screen
from queue_kiosk.printing import decode, open_printer
from queue_kiosk.printing.fake import FakeNetworkPrinter
from shared.config import default_config
from shared.qt.i18n import install_translations

WAIT_MS = 10_000


class Clock:
    """The kiosk's clock, moved by the test instead of waiting."""

    def __init__(self) -> None:
        self.now = time.monotonic()

    def __call__(self) -> float:
        return self.now


def tickets(hall_server) -> list[dict[str, Any]]:
    with closing(sqlite3.connect(hall_server.db)) as db:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute("SELECT * FROM tickets ORDER BY id")]


def kiosk_reports(hall_server) -> list[tuple[str, str]]:
    with hall_server.client("display", "board-test") as board:
        return [(k["client"], k["printer"]) for k in board.call("snapshot")["kiosks"]]


@pytest.fixture
def fake_printer():
    with FakeNetworkPrinter() as fake:
        yield fake


@pytest.fixture
def kiosk(qtbot, qapp, hall_server, fake_printer):
    install_translations(qapp, "zh_CN")
    kiosk = Kiosk(
        hall_server.host,
        hall_server.port,
        printer=open_printer(fake_printer.spec, timeout=1.0),
        config=hall_server.config,
        client_name="kiosk-qt",
        reconnect_max_s=0.2,
    )
    clock = Clock()
    kiosk.model.clock = clock
    kiosk.clock = clock
    kiosk.window.resize(1920, 1080)
    kiosk.window.show()
    kiosk.start()
    qtbot.waitUntil(lambda: kiosk.model.online and bool(kiosk.model.categories), timeout=WAIT_MS)
    yield kiosk
    kiosk.close()


def touch(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def open_first_department(qtbot, kiosk):
    window = kiosk.window
    category = next(c for c in kiosk.model.categories if kiosk.model.category_open(c.code))
    touch(qtbot, window.start_page.tiles[category.code])
    assert kiosk.model.screen is Screen.MATTERS
    assert window.stack.currentWidget() is window.matters_page
    return category


def first_matter_tile(kiosk):
    code, tile = next(iter(kiosk.window.matters_page.tiles.items()))
    return code, tile


def test_touch_department_matter_confirmation_and_back_to_start(
    qtbot, kiosk, hall_server, fake_printer
):
    window = kiosk.window
    category = open_first_department(qtbot, kiosk)
    assert window.matters_page.title.text() == category.name
    code, tile = first_matter_tile(kiosk)
    touch(qtbot, tile)
    qtbot.waitUntil(lambda: kiosk.model.screen is Screen.CONFIRMATION, timeout=WAIT_MS)
    assert window.stack.currentWidget() is window.confirmation_page
    number = window.confirmation_page.number.text()
    assert number.endswith("001")
    assert "请取走您的号票" in window.confirmation_page.take.text()
    assert "前面还有 0 人" in window.confirmation_page.ahead.text()
    printed = [op.text for op in decode(fake_printer.received) if hasattr(op, "text")]
    assert any(number in text for text in printed)
    qtbot.waitUntil(lambda: tickets(hall_server)[0]["state"] == "waiting", timeout=WAIT_MS)
    [ticket] = tickets(hall_server)
    assert (ticket["number"], ticket["service"]) == (number, code)

    kiosk.clock.now += CONFIRMATION_S
    qtbot.waitUntil(lambda: kiosk.model.screen is Screen.START, timeout=WAIT_MS)
    assert window.stack.currentWidget() is window.start_page
    # The waiting count on the department button follows the server.
    qtbot.waitUntil(
        lambda: "1" in window.start_page.tiles[category.code].info_label.text(), timeout=WAIT_MS
    )


def test_double_and_triple_touch_give_one_ticket(qtbot, kiosk, hall_server):
    open_first_department(qtbot, kiosk)
    _, tile = first_matter_tile(kiosk)
    for _ in range(3):
        touch(qtbot, tile)
    qtbot.waitUntil(lambda: kiosk.model.screen is Screen.CONFIRMATION, timeout=WAIT_MS)
    touch(qtbot, kiosk.window.confirmation_page.done_button)  # the same finger, once more
    assert kiosk.model.screen is Screen.CONFIRMATION
    qtbot.waitUntil(lambda: tickets(hall_server)[0]["state"] == "waiting", timeout=WAIT_MS)
    assert len(tickets(hall_server)) == 1


def test_paper_out_issues_nothing_and_reports_the_kiosk(qtbot, kiosk, hall_server, fake_printer):
    fake_printer.paper = "out"
    open_first_department(qtbot, kiosk)
    _, tile = first_matter_tile(kiosk)
    touch(qtbot, tile)
    qtbot.waitUntil(lambda: kiosk.model.screen is Screen.NOTICE, timeout=WAIT_MS)
    assert kiosk.model.notice.problem is Problem.PAPER_OUT
    assert "打印机缺纸，请联系工作人员" in kiosk.window.notice_page.text.text()
    assert "缺纸" in kiosk.window.banner.text() and kiosk.window.banner.isVisible()
    assert tickets(hall_server) == []
    qtbot.waitUntil(
        lambda: kiosk_reports(hall_server) == [("kiosk-qt", "paper_out")], timeout=WAIT_MS
    )


def test_print_failure_cancels_the_ticket(qtbot, kiosk, hall_server, fake_printer):
    def paper_runs_out_while_issuing() -> None:
        if kiosk.model.phase is Phase.PRINTING:
            fake_printer.paper = "out"

    kiosk.model.subscribe(paper_runs_out_while_issuing)
    open_first_department(qtbot, kiosk)
    _, tile = first_matter_tile(kiosk)
    touch(qtbot, tile)
    qtbot.waitUntil(lambda: kiosk.model.screen is Screen.NOTICE, timeout=WAIT_MS)
    assert kiosk.model.notice.problem is Problem.PRINT_FAILED
    qtbot.waitUntil(lambda: tickets(hall_server)[0]["state"] == "cancelled", timeout=WAIT_MS)
    assert "paper_out" in tickets(hall_server)[0]["cancel_reason"]


def test_server_down_shows_banner_and_recovers(qtbot, kiosk, hall_server):
    window = kiosk.window
    assert not window.banner.isVisible()
    hall_server.stop()
    qtbot.waitUntil(lambda: not kiosk.model.online, timeout=WAIT_MS)
    assert window.banner.isVisible() and "服务器" in window.banner.text()
    open_first_department(qtbot, kiosk)
    _, tile = first_matter_tile(kiosk)
    touch(qtbot, tile)
    assert kiosk.model.screen is Screen.MATTERS  # no ticket promised

    hall_server.start()
    qtbot.waitUntil(lambda: kiosk.model.online, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=WAIT_MS)
    _, tile = first_matter_tile(kiosk)
    touch(qtbot, tile)
    qtbot.waitUntil(lambda: kiosk.model.screen is Screen.CONFIRMATION, timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: [t["state"] for t in tickets(hall_server)] == ["waiting"], timeout=WAIT_MS
    )


def test_layout_scales_to_portrait(qtbot, kiosk):
    window = kiosk.window
    window.resize(1080, 1920)
    qtbot.waitUntil(lambda: window.start_page.grid_shape()[0] == 2, timeout=WAIT_MS)
    open_first_department(qtbot, kiosk)
    assert kiosk.model.page_size == window.matters_page.columns * window.matters_page.rows
    for tile in window.matters_page.tiles.values():
        assert tile.height() >= 90 and tile.width() >= 300


def test_priority_ticket_through_the_staff_pin_pad(qtbot, qapp, hall_server, fake_printer):
    config = replace(hall_server.config, priority_pin="2580")
    kiosk = Kiosk(
        hall_server.host,
        hall_server.port,
        printer=open_printer(fake_printer.spec, timeout=1.0),
        config=config,
        client_name="kiosk-priority",
        priority="pin",
    )
    try:
        kiosk.window.resize(1920, 1080)
        kiosk.window.show()
        kiosk.start()
        qtbot.waitUntil(lambda: bool(kiosk.model.categories), timeout=WAIT_MS)
        window = kiosk.window
        qtbot.mouseClick(window.start_page.priority_button, Qt.MouseButton.LeftButton)
        assert kiosk.model.screen is Screen.PIN
        for key in ("2", "5", "8", "0", "ok"):
            touch(qtbot, window.pin_page.keys[key])
        assert kiosk.model.priority_armed and window.banner.isVisible()
        open_first_department(qtbot, kiosk)
        touch(qtbot, first_matter_tile(kiosk)[1])
        qtbot.waitUntil(lambda: kiosk.model.screen is Screen.CONFIRMATION, timeout=WAIT_MS)
        assert window.confirmation_page.priority_tag.isVisible()
        qtbot.waitUntil(lambda: tickets(hall_server)[0]["state"] == "waiting", timeout=WAIT_MS)
        assert tickets(hall_server)[0]["priority"] == 1
    finally:
        kiosk.close()


@pytest.mark.parametrize("hall_config", [replace(default_config(), open_weekdays=())])
def test_closed_hall_says_so_on_every_button(qtbot, kiosk, hall_server):
    window = kiosk.window
    assert window.banner.isVisible() and "取号时间" in window.banner.text()
    tiles = list(window.start_page.tiles.values())
    assert tiles and all(not t.isEnabled() for t in tiles)
    assert all(t.info_label.text() == "暂停取号" for t in tiles)
    touch(qtbot, tiles[0])
    assert kiosk.model.screen is Screen.START and tickets(hall_server) == []


def test_preview_printer_shows_the_ticket_and_saves_a_png(qtbot, qapp, hall_server, tmp_path):
    kiosk = Kiosk(
        hall_server.host,
        hall_server.port,
        printer=open_printer("preview"),
        config=hall_server.config,
        client_name="kiosk-preview",
        preview_dir=tmp_path,
    )
    try:
        kiosk.window.resize(1920, 1080)
        kiosk.window.show()
        kiosk.start()
        qtbot.waitUntil(lambda: bool(kiosk.model.categories), timeout=WAIT_MS)
        open_first_department(qtbot, kiosk)
        touch(qtbot, first_matter_tile(kiosk)[1])
        qtbot.waitUntil(lambda: kiosk.model.screen is Screen.CONFIRMATION, timeout=WAIT_MS)
        page = kiosk.window.confirmation_page
        saved = tmp_path / "last_ticket.png"
        assert kiosk.model.confirmation.preview_path == str(saved)
        assert saved.read_bytes().startswith(b"\x89PNG")
        assert page.preview.isVisible() and not page.preview.pixmap().isNull()
        qtbot.waitUntil(lambda: tickets(hall_server)[0]["state"] == "waiting", timeout=WAIT_MS)
    finally:
        kiosk.close()
