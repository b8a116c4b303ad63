"""Every word the keypads' one-line displays and the LED screens show, in one table.

These devices show GB2312 text on a line of about 8 Chinese characters, so the words are
short Chinese ones; a hall changes them here.
"""

from __future__ import annotations

from shared.domain.errors import ErrorReason

# The window screen.
PAUSED_SCREEN = "暂停服务"

# The keypad display.
CONNECTING = "连接中"
SERVER_DOWN = "服务器断开"
ENTER_ID = "请输入工号"
ID_PROMPT = "工号:{typed}"
PIN_PROMPT = "密码:{stars}"
LOGGING_IN = "登录中"
LOGIN_FIRST = "请先登录"
RATE_PROMPT = "评价:按1-4"
RATED = "谢谢评价"
NOTHING_TO_RATE = "无可评价"
STATUS = {
    "called": "{number} 已呼叫 等候{waiting}人",
    "serving": "{number} 办理中 等候{waiting}人",
    "paused": "暂停 等候{waiting}人",
    "open": "空闲 等候{waiting}人",
}

# Short errors. A refusal the table does not know shows GENERIC_ERROR, so a rule the server
# adds later (a minimum gap between calls, say) still gets a clear, short answer.
NOBODY_WAITING = "无人等候"
GENERIC_ERROR = "操作失败"
LOGIN_FAILED = "登录失败"
LOGIN_REASONS: dict[str, str] = {
    ErrorReason.WRONG_PIN: "密码错误",
    ErrorReason.LOCKED_OUT: "工号已锁定",
    ErrorReason.DISABLED: "工号已停用",
}
LOGIN_LOST = "请重新登录"
REFUSED = "连接被拒"  # the server refused the connection (wrong hall key, unknown counter)
ERROR_CODES = {
    "conflict": "操作无效",
    "forbidden": "请先登录",
    "not_found": "无此号",
    "unavailable": "服务器忙",
    "disconnected": SERVER_DOWN,
    "not_authenticated": "密码错误",
}
# Refusals the server explains with a reason (a reason not listed shows GENERIC_ERROR).
REASONS: dict[str, str] = {ErrorReason.CALL_TOO_SOON: "请稍候"}
CALL_GAP = "请稍候{seconds}秒"  # the hall's minimum gap between two calls has not passed
# Why a key does nothing now (the server would refuse it).
NOT_NOW = {
    "paused": "暂停中",
    "no_ticket": "无呼叫号",
    "holding": "请先办结",
    "not_paused": "未暂停",
}
