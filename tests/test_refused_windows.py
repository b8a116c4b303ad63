"""A kiosk or board with the wrong hall key says why it is refused, for the staff to fix."""

from __future__ import annotations

from dataclasses import replace

import pytest

from display_board.app import build_board
from queue_kiosk.app import Kiosk
from queue_kiosk.printing import open_printer
from shared.qt.i18n import install_translations


@pytest.fixture
def hall_config(hall_config):
    return replace(hall_config, key="hall-secret")


@pytest.fixture(autouse=True)
def english_after(qapp):
    """The windows' language is the application's: leave it as the other tests expect."""
    yield
    install_translations(qapp, "en")


def test_kiosk_with_a_wrong_key_names_the_refusal(qtbot, qapp, hall_server):
    install_translations(qapp, "en")
    kiosk = Kiosk(
        hall_server.host,
        hall_server.port,
        printer=open_printer("none"),
        config=replace(hall_server.config, key="wrong"),
        client_name="kiosk-wrong-key",
        reconnect_max_s=0.2,
    )
    kiosk.window.show()
    kiosk.start()
    try:
        qtbot.waitUntil(lambda: "refused" in kiosk.window.banner.text(), timeout=5000)
        assert "hall key is wrong or missing" in kiosk.window.banner.text()
        assert "wrong or missing hall key" not in kiosk.window.banner.text()  # the server's words
        assert not kiosk.model.online
    finally:
        kiosk.close()
        install_translations(qapp, "zh_CN")


def test_kiosk_without_a_key_tells_residents_in_chinese_and_the_log_in_detail(
    qtbot, qapp, hall_server, caplog
):
    install_translations(qapp, "zh_CN")
    kiosk = Kiosk(
        hall_server.host,
        hall_server.port,
        printer=open_printer("none"),
        config=replace(hall_server.config, key=None),
        client_name="kiosk-no-key",
        reconnect_max_s=0.2,
    )
    kiosk.window.show()
    kiosk.start()
    try:
        qtbot.waitUntil(lambda: "拒绝" in kiosk.window.banner.text(), timeout=5000)
        assert kiosk.window.banner.text() == (
            "取号服务器拒绝了本取号机（大厅密钥错误或未设置），暂停取号，请联系工作人员。"
        )
        refusals = [r.getMessage() for r in caplog.records if "refused this kiosk" in r.msg]
        assert any("this hall needs its hall key" in line for line in refusals), refusals
    finally:
        kiosk.close()


def test_board_with_a_wrong_key_names_the_refusal(qtbot, qapp, hall_server):
    board = build_board(
        hall_server.host,
        hall_server.port,
        key="wrong",
        config=hall_server.config,
        reconnect_min_s=0.05,
    )
    qtbot.addWidget(board)
    board.show()
    try:
        qtbot.waitUntil(
            lambda: "wrong or missing hall key" in board.connection_mark.text(), timeout=5000
        )
    finally:
        board.connection.stop()
