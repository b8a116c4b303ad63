"""The kiosk window against a real hall server and a fake network printer: touch by touch."""

from __future__ import annotations

import datetime
import sqlite3
import time
from contextlib import closing
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from queue_kiosk.app import Kiosk
from queue_kiosk.model import CONFIRMATION_S, Phase, Problem, Screen
from queue_kiosk.printing import decode, open_printer
from queue_kiosk.printing.fake import FakeNetworkPrinter
from shared.config.hall import default_config
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
    # The screen and the ticket say the same for nobody ahead; both say 当日有效.
    assert window.confirmation_page.ahead.text() == "前面没有人等候"
    assert window.confirmation_page.valid.text() == "当日有效"
    printed = [op.text for op in decode(fake_printer.received) if hasattr(op, "text")]
    assert any(number in text for text in printed)
    assert "前面没有人等候" in printed and "当日有效" in printed
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


@pytest.mark.parametrize(
    "hall_config",
    [
        replace(
            default_config(),
            open_weekdays=(),
            open_time=datetime.time(8, 30),
            close_time=datetime.time(17, 0),
        )
    ],
)
def test_closed_hall_shows_the_hours_large_and_nothing_to_touch(qtbot, kiosk, hall_server):
    window = kiosk.window
    page = window.start_page
    assert page.closed_box.isVisible()
    assert page.closed_title.text() == "当前不在取号时间"
    assert page.closed_hours.text() == "取号时间 08:30 – 17:00"
    assert page.closed_hours.fontInfo().pixelSize() >= 64
    # No department to touch, no touch invitation, no search.
    assert not page.grid_holder.isVisible() and not page.hint.isVisible()
    assert not page.search_button.isVisible()
    assert not window.banner.isVisible()  # the page itself says it, once
    assert tickets(hall_server) == []


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


def test_preview_and_priority_never_make_the_window_taller_than_the_screen(
    qtbot, qapp, hall_server, tmp_path
):
    install_translations(qapp, "zh_CN")
    config = replace(hall_server.config, priority_pin="2580")
    kiosk = Kiosk(
        hall_server.host,
        hall_server.port,
        printer=open_printer("preview"),
        config=config,
        client_name="kiosk-preview-priority",
        priority="pin",
        preview_dir=tmp_path,
    )
    window = kiosk.window
    try:
        for width, height in ((1920, 1080), (1080, 1920)):
            window.resize(width, height)
            window.show()
            if not kiosk.model.categories:
                kiosk.start()
                qtbot.waitUntil(lambda: bool(kiosk.model.categories), timeout=WAIT_MS)
            touch(qtbot, window.start_page.priority_button)
            for key in ("2", "5", "8", "0", "ok"):
                touch(qtbot, window.pin_page.keys[key])
            open_first_department(qtbot, kiosk)
            touch(qtbot, first_matter_tile(kiosk)[1])
            qtbot.waitUntil(lambda: kiosk.model.screen is Screen.CONFIRMATION, timeout=WAIT_MS)
            qtbot.wait(50)  # let the layout settle with the ticket image in it
            assert window.minimumSizeHint().height() <= height
            assert (window.width(), window.height()) == (width, height)
            kiosk.model.return_to_start()
    finally:
        kiosk.close()


def test_the_preview_shows_the_ticket_just_printed(qtbot, qapp, hall_server, tmp_path):
    from PySide6.QtGui import QImage

    kiosk = Kiosk(
        hall_server.host,
        hall_server.port,
        printer=open_printer("preview"),
        config=hall_server.config,
        client_name="kiosk-preview-two",
        preview_dir=tmp_path,
    )
    page = kiosk.window.confirmation_page
    shown: list[QImage] = []
    try:
        kiosk.window.resize(1920, 1080)
        kiosk.window.show()
        kiosk.start()
        qtbot.waitUntil(lambda: bool(kiosk.model.categories), timeout=WAIT_MS)
        for _ in range(2):
            open_first_department(qtbot, kiosk)
            touch(qtbot, first_matter_tile(kiosk)[1])
            qtbot.waitUntil(lambda: kiosk.model.screen is Screen.CONFIRMATION, timeout=WAIT_MS)
            saved = QImage(kiosk.model.confirmation.preview_path)
            # What the page shows is the file written for this very ticket.
            image = page.ticket_image
            assert image is not None
            assert image.toImage() == saved.convertToFormat(image.toImage().format())
            shown.append(saved)
            kiosk.model.return_to_start()
        assert shown[0] != shown[1]  # two tickets, two numbers: two different images
    finally:
        kiosk.close()


def test_pinyin_keys_are_large_and_the_search_fits_a_portrait_screen(qtbot, kiosk):
    window = kiosk.window
    window.resize(1080, 1920)
    kiosk.model.open_search()
    qtbot.waitUntil(lambda: window.matters_page.keyboard.isVisible())
    qtbot.wait(50)
    keys = [k for k in window.matters_page.keyboard.findChildren(QPushButton)]
    assert keys and min(min(k.width(), k.height()) for k in keys) >= 96
    assert (window.width(), window.height()) == (1080, 1920)
    kiosk.model.set_search("zzzzzz")  # nothing matches: said where the list would be
    qtbot.waitUntil(
        lambda: window.matters_page.list_area.currentWidget() is window.matters_page.empty
    )
    # A department whose matters fit on one page needs no keyboard.
    kiosk.model.back()
    category = next(c for c in kiosk.model.categories if kiosk.model.category_open(c.code))
    kiosk.model.select_category(category.code)
    if len([m for m in kiosk.model.matters if m.category == category.code]) <= 12:
        qtbot.waitUntil(lambda: not window.matters_page.keyboard.isVisible())


def test_pin_screen_shows_empty_boxes_and_a_wrong_pin_does_not_move_the_keypad(
    qtbot, qapp, hall_server, fake_printer
):
    install_translations(qapp, "zh_CN")
    config = replace(hall_server.config, priority_pin="2580")
    kiosk = Kiosk(
        hall_server.host,
        hall_server.port,
        printer=open_printer(fake_printer.spec, timeout=1.0),
        config=config,
        client_name="kiosk-pin-boxes",
        priority="pin",
    )
    try:
        window = kiosk.window
        window.resize(1920, 1080)
        window.show()
        kiosk.start()
        qtbot.waitUntil(lambda: bool(kiosk.model.categories), timeout=WAIT_MS)
        touch(qtbot, window.start_page.priority_button)
        page = window.pin_page
        qtbot.wait(20)
        assert page.dots.text() == "○○○○"  # where the digits go, before any is typed
        key_at = page.keys["5"].mapTo(window, page.keys["5"].rect().topLeft())
        for key in ("1", "1"):
            touch(qtbot, page.keys[key])
        assert page.dots.text() == "●●○○"
        for key in ("1", "1", "ok"):
            touch(qtbot, page.keys[key])
        assert "密码" in page.error.text()
        qtbot.wait(20)
        assert page.keys["5"].mapTo(window, page.keys["5"].rect().topLeft()) == key_at
    finally:
        kiosk.close()
