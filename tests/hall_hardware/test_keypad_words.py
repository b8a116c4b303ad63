"""What a keypad's display says for each refusal: short Chinese words, a generic one for the unknown."""

from __future__ import annotations

import pytest

from counter_client.model import Notice
from hall_hardware.keypad import notice_text

CASES = [
    (Notice("info", "nobody_waiting"), "无人等候"),
    (Notice("info", "finished_nobody_waiting", {"done": "A001"}), "无人等候"),
    (
        Notice("error", "login_failed", {"code": "not_authenticated", "reason": "wrong_pin"}),
        "密码错误",
    ),
    (
        Notice("error", "login_failed", {"code": "not_authenticated", "reason": "locked_out"}),
        "工号已锁定",
    ),
    (
        Notice("error", "login_failed", {"code": "not_authenticated", "reason": "disabled"}),
        "工号已停用",
    ),
    (Notice("error", "login_failed", {"code": "not_authenticated"}), "密码错误"),  # older server
    (Notice("error", "login_failed", {"code": "x", "reason": "new_reason"}), "登录失败"),
    (Notice("error", "login_lost", {"code": "day_reset"}), "请重新登录"),
    (Notice("error", "disconnected", {"code": "disconnected"}), "服务器断开"),
    (Notice("error", "handshake_failed", {"code": "not_authenticated"}), "连接被拒"),
    (Notice("error", "op_failed", {"code": "conflict"}), "操作无效"),
    (Notice("error", "op_failed", {"code": "unavailable"}), "服务器忙"),
    (Notice("error", "op_failed", {"code": "conflict", "reason": "call_too_soon"}), "请稍候"),
    (
        Notice("error", "op_failed", {"code": "conflict", "reason": "a_rule_added_later"}),
        "操作失败",
    ),
    (Notice("error", "op_failed", {"code": "a_code_added_later"}), "操作失败"),
]


@pytest.mark.parametrize("notice,words", CASES, ids=[f"{c[0].key}-{c[1]}" for c in CASES])
def test_keypad_words_for_each_notice(notice, words):
    assert notice_text(notice) == words
    assert len(words.encode("gb2312")) <= 32  # fits the keypad's display line
