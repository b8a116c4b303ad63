"""The counter window in Chinese, against a real hall server: every dialog, notice and refusal
reads in Chinese (Latin only in ticket numbers, F-keys and clerk ids); F1 asks before
finishing a ticket that was never started; notices clear; the keyboard comes back after a
dialog; a kiosk's printer trouble shows in a staff banner."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QWidget,
)

from counter_client.app import build_window
from counter_client.model import Notice
from counter_client.views.dialogs import CallDialog, NoShowDialog, TextDialog, TransferDialog
from counter_client.views.window import CounterWindow
from shared.client.connection import new_req
from shared.domain.errors import ErrorCode
from shared.qt.i18n import install_translations

# Latin words allowed in the Chinese interface: ticket numbers, F-keys, clerk ids, the two
# names an installer must type (the hall file's option and the hall key's variable), and the
# example of pinyin initials a clerk types to find a matter ("shbzk" for 社会保障卡).
ALLOWED = re.compile(r"[A-Z]\d{3,}|F\d{1,2}|\d+|config|HALL|toml|QUEUE_HALL_KEY|shbzk")
LATIN_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# The Qt-free modules of the model, where notices are raised.
MODEL_DIR = Path(__file__).resolve().parents[2] / "counter_client" / "model"
MODEL_SOURCE = "\n".join(path.read_text() for path in sorted(MODEL_DIR.glob("*.py")))


def latin_words(text: str) -> list[str]:
    return [w for w in LATIN_WORD.findall(text) if not ALLOWED.fullmatch(w)]


def widget_texts(widget: QWidget) -> list[str]:
    """Every text a person can read in a window: title, labels, buttons, items, hints."""
    texts = [widget.windowTitle()]
    for child in widget.findChildren(QWidget):
        if not child.isVisibleTo(widget):
            continue
        if isinstance(child, (QLabel, QAbstractButton)):
            texts.append(child.text())
        elif isinstance(child, QLineEdit):
            texts += [child.placeholderText(), child.text()]
        elif isinstance(child, QComboBox):
            texts += [child.itemText(i) for i in range(child.count())]
        elif isinstance(child, QListWidget):
            texts += [child.item(i).text() for i in range(child.count())]
    return [t for t in texts if t]


def assert_chinese(texts: list[str], where: str) -> None:
    for text in texts:
        assert not latin_words(text), f"{where}: Latin words {latin_words(text)} in {text!r}"


pytestmark = pytest.mark.call_gap(0)  # calls within seconds; the gap has its own tests


@pytest.fixture
def hall_config(hall_config):
    return replace(hall_config, kiosk_names=(("kiosk-east", "东门取号机"),))


@pytest.fixture
def chinese(qapp):
    install_translations(qapp, "zh_CN")
    yield
    install_translations(qapp, "en")


@pytest.fixture
def window(qtbot, hall_server, chinese):
    window = build_window(hall_server.host, hall_server.port, 1, reconnect_min_s=0.05)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.model.connection == "online")
    page = window.login_page
    page.clerk_edit.setText("1001")
    page.pin_edit.setText("1234")
    qtbot.mouseClick(page.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.logged_in)
    yield window
    window.close()


def issue(hall_server, count: int, service: str = "pension_enrol") -> list[str]:
    with hall_server.client("admin", "zh-admin") as admin:
        numbers = []
        for _ in range(count):
            ticket = admin.call("issue", service=service, req=new_req())["ticket"]
            admin.call("printed", ticket=ticket["id"])
            numbers.append(ticket["number"])
    return numbers


def press(qtbot, window: CounterWindow, action: str) -> None:
    key = QKeySequence(window.model.shortcuts[action])[0]
    qtbot.keyClick(window, key.key(), key.keyboardModifiers())


def settle(qtbot, window: CounterWindow) -> None:
    qtbot.waitUntil(lambda: window.model.busy is None and not window.model.queue_loading)


def activate(qtbot, window: CounterWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_every_notice_and_refusal_reads_in_chinese(window):
    args = {"number": "H002", "done": "H001", "to": "22号窗口", "ticket": "X999", "n": 1001}
    texts = window.texts.notice_texts()
    # Every notice the model raises by name has a text.
    raised = set(re.findall(r'Notice\(\s*"\w+",\s*"(\w+)"', MODEL_SOURCE))
    raised |= set(re.findall(r'"(\w+)" if done else "(\w+)"', MODEL_SOURCE)[0])
    assert raised - {"op_failed", "login_failed"} <= set(texts), raised - set(texts)
    for key in texts:
        text = window.texts.notice_text(Notice("info", key, args, "english detail from the server"))
        assert text and "english" not in text
        assert_chinese([text], f"notice {key}")
    for op, code in window.texts.refusal_texts():
        notice = Notice("error", "op_failed", {"op": op, "code": code, "ticket": "X999"}, "no")
        assert_chinese([window.texts.notice_text(notice)], f"refusal {code} of {op or 'any op'}")
    # Every error code a counter op can be answered with has a text (framing errors cannot
    # reach a window: its own client writes the frames).
    unreachable = {ErrorCode.BAD_FRAME, ErrorCode.ISSUING_CLOSED, ErrorCode.PROTO_MISMATCH}
    for code in set(ErrorCode) - unreachable:
        assert ("", str(code)) in window.texts.refusal_texts(), code
    for reason, detail in (
        ("locked_out", "too many wrong PINs: clerk 1001 is locked out until 17:46"),
        ("locked_out", "wrong PIN; clerk 1001 is now locked out for 10 minutes"),
        ("disabled", "clerk 1001 is disabled"),
        ("wrong_pin", "unknown clerk or wrong PIN"),
    ):
        notice = Notice(
            "error", "login_failed", {"code": "not_authenticated", "reason": reason}, detail
        )
        assert_chinese([window.texts.notice_text(notice)], f"login refusal {reason}")
    assert "17:46" in window.texts.login_refusal_text(
        "not_authenticated",
        "locked_out",
        "too many wrong PINs: clerk 1001 is locked out until 17:46",
    )
    for code, detail in (
        ("not_authenticated", "this hall needs its hall key (set QUEUE_HALL_KEY)"),
        ("proto_mismatch", "proto 2 is not spoken here"),
        ("bad_request", "counter 99 does not exist in this hall"),
    ):
        assert_chinese([window.texts.handshake_text(code, detail)], f"handshake {code}")


def test_every_dialog_reads_in_chinese_with_a_title(qtbot, hall_server, window):
    first, second, third = issue(hall_server, 3)
    activate(qtbot, window)
    press(qtbot, window, "call_next")
    qtbot.waitUntil(lambda: window.main_page.ticket_number.text() == first)
    settle(qtbot, window)
    press(qtbot, window, "no_show")
    qtbot.waitUntil(lambda: window.model.ticket is None)
    settle(qtbot, window)
    press(qtbot, window, "call_next")
    qtbot.waitUntil(lambda: window.main_page.ticket_number.text() == second)
    settle(qtbot, window)
    assert_chinese(widget_texts(window), "main window")
    assert_chinese(widget_texts(window.login_page), "login page")
    assert re.search(r"已等候(不到 1| \d+) 分钟", window.main_page.ticket_detail.text())
    assert "第 1 次呼叫" in window.main_page.ticket_detail.text()

    dialogs = {
        "transfer": TransferDialog,
        "call": CallDialog,
        "reactivate": NoShowDialog,
        "pause_resume": TextDialog,
    }
    for action, kind in dialogs.items():
        if action == "pause_resume":
            press(qtbot, window, "finish")
            qtbot.waitUntil(lambda: window.model.ticket is None)
            settle(qtbot, window)
        activate(qtbot, window)
        press(qtbot, window, action)
        dialog = window.dialog
        assert isinstance(dialog, kind), action
        if isinstance(dialog, TransferDialog):
            dialog.to_counter.setChecked(True)
            dialog.counter_box.setCurrentIndex(dialog.counter_box.findData(22))
            assert dialog.warning.isVisibleTo(dialog) and "未开放" in dialog.warning.text()
        if isinstance(dialog, NoShowDialog):
            qtbot.waitUntil(lambda d=dialog: d.tickets.count() == 1)
        texts = widget_texts(dialog)
        assert dialog.windowTitle(), f"the {action} dialog has no title"
        assert "确定" in texts and "取消" in texts, texts  # Qt's own translations are loaded
        assert_chinese(texts, f"the {action} dialog")
        dialog.reject()
        qtbot.waitUntil(lambda: window.dialog is None)
        # The keyboard is the window's again: its F-keys work without a click.
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    # A refusal from the server, as the clerk meets it: a number that does not exist today.
    press(qtbot, window, "call")
    window.dialog.number_edit.setText("X999")
    window.dialog.accept()
    qtbot.waitUntil(
        lambda: window.model.notice is not None and window.model.notice.level == "error"
    )
    assert window.main_page.notice.text() == "今天没有 X999 这个号。"
    qtbot.waitUntil(
        lambda: (
            third
            in [
                window.main_page.waiting_list.item(i).text().split()[0]
                for i in range(window.main_page.waiting_list.count())
            ]
        )
    )
    assert_chinese(widget_texts(window), "main window after a refusal")


def test_f1_on_a_ticket_never_started_asks_first_and_then_says_what_happened(
    qtbot, hall_server, window
):
    first, second = issue(hall_server, 2)
    activate(qtbot, window)
    press(qtbot, window, "call_next")
    qtbot.waitUntil(lambda: window.main_page.ticket_number.text() == first)
    settle(qtbot, window)
    press(qtbot, window, "call_next")
    assert window.model.busy is None  # nothing sent: it asks first
    assert (
        window.main_page.notice.text()
        == f"{first} 尚未开始办理 — 再按 F1 办结并叫下一位，按 F5 记为过号。"
    )
    assert window.main_page.ticket_number.text() == first
    press(qtbot, window, "call_next")
    qtbot.waitUntil(lambda: window.main_page.ticket_number.text() == second)
    assert window.main_page.notice.text() == f"{first} 已办结，正在呼叫 {second}。"
    settle(qtbot, window)
    press(qtbot, window, "start")
    qtbot.waitUntil(lambda: window.model.ticket["state"] == "serving")
    press(qtbot, window, "call_next")  # a started ticket: finished at once, and said so
    qtbot.waitUntil(lambda: window.model.ticket is None)
    assert window.main_page.notice.text() == f"{second} 已办结。本窗口暂无等候的群众。"


def test_a_notice_clears_by_itself_and_at_the_next_action(qtbot, hall_server, window):
    (first,) = issue(hall_server, 1)
    window.notice_clear_s = 0.5
    activate(qtbot, window)
    press(qtbot, window, "call_next")
    qtbot.waitUntil(lambda: window.main_page.ticket_number.text() == first)
    settle(qtbot, window)
    press(qtbot, window, "call_next")  # the question
    assert not window.main_page.notice.isHidden()
    press(qtbot, window, "recall")  # the next action clears it
    assert window.model.notice is None
    settle(qtbot, window)
    press(qtbot, window, "start")
    settle(qtbot, window)
    press(qtbot, window, "finish")
    qtbot.waitUntil(lambda: window.main_page.notice.text() == f"{first} 已办结。")
    qtbot.waitUntil(lambda: window.main_page.notice.isHidden(), timeout=4000)  # by itself


def test_a_kiosk_out_of_paper_shows_in_a_staff_banner_by_its_friendly_name(
    qtbot, hall_server, window
):
    assert window.staff_banner.isHidden()
    with hall_server.client("kiosk", "kiosk-east") as kiosk:
        kiosk.call("kiosk_status", printer="paper_out", message="no paper")
        qtbot.waitUntil(lambda: not window.staff_banner.isHidden())
        assert window.staff_banner_text.text() == "取号机「东门取号机」：缺纸，请更换纸卷"
        kiosk.call("kiosk_status", printer="ok")
        qtbot.waitUntil(lambda: window.staff_banner.isHidden())
