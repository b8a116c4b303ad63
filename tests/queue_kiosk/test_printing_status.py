"""Reading DLE EOT replies into a PrinterStatus (pure)."""

from __future__ import annotations

import pytest

from queue_kiosk.printing.status import interpret_replies

ONLINE, OFFLINE = 0x12, 0x1A
PAPER_OK, NEAR_END, PAPER_OUT = 0x12, 0x1E, 0x7E
NO_CAUSE, COVER_OPEN, PAPER_STOP, ERROR = 0x12, 0x16, 0x32, 0x52


@pytest.mark.parametrize(
    ("replies", "online", "paper", "condition"),
    [
        ((ONLINE, None, PAPER_OK), True, "ok", "ready"),
        ((ONLINE, None, NEAR_END), True, "near_end", "paper_near_end"),
        ((OFFLINE, PAPER_STOP, PAPER_OUT), False, "out", "paper_out"),
        ((OFFLINE, COVER_OPEN, PAPER_OK), False, "ok", "cover_open"),
        ((OFFLINE, ERROR, PAPER_OK), False, "ok", "error"),
        ((OFFLINE, NO_CAUSE, PAPER_OK), False, "ok", "offline"),
        ((OFFLINE, None, None), False, "unknown", "offline"),
        ((ONLINE, None, None), True, "unknown", "no_reply"),
        ((None, None, None), None, "unknown", "no_reply"),
        ((0xFF, None, None), None, "unknown", "bad_reply"),
        ((ONLINE, None, 0x00), None, "unknown", "bad_reply"),
    ],
)
def test_replies_make_the_status(
    replies: tuple[int | None, int | None, int | None],
    online: bool | None,
    paper: str,
    condition: str,
) -> None:
    status = interpret_replies(*replies)
    assert (status.online, status.paper, status.condition) == (online, paper, condition)
    assert status.message and status.detail
    assert status.ready == (condition in ("ready", "paper_near_end"))


def test_bad_reply_detail_names_the_byte_and_request() -> None:
    assert "0x00 to DLE EOT 4" in interpret_replies(ONLINE, None, 0x00).detail


def test_staff_messages_in_both_languages() -> None:
    status = interpret_replies(OFFLINE, PAPER_STOP, PAPER_OUT)
    assert status.message == status.staff_message("zh_CN") == "打印机缺纸，请更换纸卷"
    assert status.staff_message("en") == "paper out: replace the roll"
