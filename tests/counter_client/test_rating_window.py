"""The resident's rating window against a real hall server: open on finish, rate once, time out."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt

from counter_client.app import build_window, parse_options
from counter_client.views.rating import (
    ALREADY_RATED,
    RATED,
    REFUSED,
    REPLACED,
    TIMED_OUT,
    RatingSession,
    RatingWindow,
)
from shared.client.connection import new_req
from shared.qt.i18n import install_translations


@pytest.fixture(autouse=True)
def chinese(qapp):
    install_translations(qapp, "zh_CN")
    yield
    install_translations(qapp, "en")


def ratings(server) -> list[tuple]:
    conn = sqlite3.connect(server.db)
    try:
        return conn.execute(
            "SELECT ticket_id, level, counter, clerk_id FROM ratings ORDER BY ticket_id"
        ).fetchall()
    finally:
        conn.close()


def serve_one(qtbot, server, timeout_s=30.0, thanks_s=0.2):
    """Counter 1 with the rating window on; one ticket issued, called and finished there."""
    window = build_window(
        server.host, server.port, 1, reconnect_min_s=0.05, rating_window=True,
        rating_timeout_s=timeout_s,
    )  # fmt: skip
    qtbot.addWidget(window)
    window.rating_panel.thanks_s = thanks_s
    window.show()
    qtbot.waitUntil(lambda: window.model.connection == "online")
    window.model.login("1001", "1234")
    qtbot.waitUntil(lambda: window.model.logged_in)
    with server.client("kiosk", "rating-kiosk") as kiosk:
        ticket = kiosk.call("issue", service="pension_enrol", req=new_req())["ticket"]
        kiosk.call("printed", ticket=ticket["id"])
    qtbot.waitUntil(lambda: window.model.enabled("call_next"))
    window.model.call_next()
    qtbot.waitUntil(lambda: window.model.ticket is not None and window.model.busy is None)
    assert window.rating_panel.window is None  # nothing to rate before the finish
    qtbot.mouseClick(window.main_page.buttons["finish"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.rating_panel.window is not None)
    rating = window.rating_panel.window
    qtbot.waitExposed(rating)
    return window, rating, ticket


def test_finish_opens_the_window_and_a_touch_rates_the_ticket(qtbot, hall_server):
    window, rating, ticket = serve_one(qtbot, hall_server)
    assert rating.isVisible()
    assert rating.ticket_label.text() == f"{ticket['number']} 号"
    assert rating.clerk_label.text() == "办理人员：张敏"
    assert [b.text() for b in rating.buttons.values()] == ["非常满意", "满意", "基本满意", "不满意"]
    assert rating.countdown.text() == "30 秒后自动关闭"
    with qtbot.waitSignal(rating.finished, timeout=10_000) as closed:
        qtbot.mouseClick(rating.buttons["satisfied"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: rating.message.text() == "感谢您的评价！")
        assert not rating.buttons["very_satisfied"].isEnabled()  # one rating per ticket
        assert rating.buttons["satisfied"].property("chosen") is True  # the choice stays lit
    assert closed.args == [RATED]
    assert window.rating_panel.window is None
    assert ratings(hall_server) == [(ticket["id"], "satisfied", 1, "1001")]


def test_a_second_rating_is_refused_with_a_message(qtbot, hall_server):
    window, rating, ticket = serve_one(qtbot, hall_server, thanks_s=0.5)
    with hall_server.client("admin", "rating-admin") as admin:
        admin.call("rate", ticket=ticket["id"], level="very_satisfied")  # rated elsewhere first
    with qtbot.waitSignal(rating.finished, timeout=10_000) as closed:
        qtbot.mouseClick(rating.buttons["unsatisfied"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: rating.session.state == ALREADY_RATED)
        assert rating.message.text() == "该号已经评价过，不能重复评价。谢谢！"
        assert "already been rated" in rating.session.detail  # the server's reason
        assert not any(b.isEnabled() for b in rating.buttons.values())
    assert closed.args == [REFUSED]
    assert ratings(hall_server) == [(ticket["id"], "very_satisfied", 1, "1001")]  # the first stays


def test_the_window_closes_itself_without_a_rating(qtbot, hall_server):
    window, rating, _ticket = serve_one(qtbot, hall_server, timeout_s=0.3)
    with qtbot.waitSignal(rating.finished, timeout=10_000) as closed:
        pass
    assert closed.args == [TIMED_OUT]
    assert window.rating_panel.window is None
    assert ratings(hall_server) == []


def test_without_the_flag_no_window_opens(qtbot, hall_server):
    window = build_window(hall_server.host, hall_server.port, 2, reconnect_min_s=0.05)
    qtbot.addWidget(window)
    assert window.rating_panel is None
    assert window.model.on_finished is None


class FakeTransport:
    """Records requests; the test answers them (the server's replies are tested above)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict, object]] = []

    def request(self, op, params=None, callback=None):
        self.sent.append((op, params, callback))
        return len(self.sent)


class Reply:
    def __init__(self, ok, code="", message=""):
        self.ok, self.result, self.code, self.message = ok, {}, code, message


def test_a_double_touch_sends_one_rating_and_a_lost_link_lets_the_resident_retry(qtbot):
    transport = FakeTransport()
    session = RatingSession(7, "A007", "张敏", transport)
    window = RatingWindow(session, timeout_s=60)
    qtbot.addWidget(window)
    qtbot.mouseClick(window.buttons["basic"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.buttons["satisfied"], Qt.MouseButton.LeftButton)
    assert [(op, params) for op, params, _ in transport.sent] == [
        ("rate", {"ticket": 7, "level": "basic"})
    ]
    assert window.message.text() == "正在提交…"
    transport.sent[0][2](Reply(False, "disconnected", "not connected to the hall server"))
    assert window.message.text() == "评价未能提交，请再点一次。"
    assert window.buttons["satisfied"].isEnabled()
    qtbot.mouseClick(window.buttons["satisfied"], Qt.MouseButton.LeftButton)
    assert transport.sent[1][1] == {"ticket": 7, "level": "satisfied"}
    with pytest.raises(ValueError, match="unknown rating level"):
        session.choose("great")


def test_closing_by_hand_reports_replaced(qtbot):
    window = RatingWindow(RatingSession(1, "A001", "张敏", FakeTransport()), timeout_s=60)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.finished) as closed:
        window.close()
    assert closed.args == [REPLACED]


def test_rating_options(capsys):
    options = parse_options(["--counter", "3", "--rating-window", "--rating-screen", "1"], env={})
    assert (options.rating_window, options.rating_screen) == (True, 1)
    assert parse_options(["--counter", "3"], env={}).rating_window is False
    for argv, message in (
        (["--rating-screen", "1"], "--rating-screen needs --rating-window"),
        (["--rating-window", "--rating-screen", "two"], "is not a screen number"),
        (["--rating-window", "--rating-screen", "-1"], "is not a screen number"),
    ):
        with pytest.raises(SystemExit):
            parse_options(["--counter", "3", *argv], env={})
        assert message in capsys.readouterr().err


def test_closing_the_counter_window_closes_the_rating_window(qtbot, hall_server):
    window, rating, _ticket = serve_one(qtbot, hall_server)
    with qtbot.waitSignal(rating.finished) as closed:
        window.close()
    assert closed.args == [REPLACED]
    assert window.rating_panel.window is None


def test_the_window_fills_the_chosen_screen_or_opens_as_a_window(qtbot):
    from PySide6.QtGui import QGuiApplication

    from counter_client.app import place_on_screen

    screens = QGuiApplication.screens()
    missing = RatingWindow(RatingSession(1, "A001", "张敏", FakeTransport()), timeout_s=60)
    qtbot.addWidget(missing)
    assert place_on_screen(missing, len(screens) + 3) == "window"  # no such screen: still shown
    assert missing.isVisible() and not missing.isFullScreen()
    first = RatingWindow(RatingSession(2, "A002", "张敏", FakeTransport()), timeout_s=60)
    qtbot.addWidget(first)
    assert place_on_screen(first, 0) == "fullscreen"
    qtbot.waitUntil(first.isFullScreen)
    assert first.screen() is screens[0]
