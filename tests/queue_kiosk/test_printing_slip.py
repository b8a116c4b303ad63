"""TicketSlip validation and its QR payload."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

from queue_kiosk.printing import TicketSlip, sample_slip

GOOD = TicketSlip(
    hall="示范区政务服务中心",
    number="A017",
    service_name="社保卡申领",
    category_name="社会保险",
    ahead=0,
    est_wait_s=0,
    issued_at=datetime(2024, 5, 6, 9, 30),
    ticket_id=7,
)


def test_qr_payload_names_ticket_number_and_day() -> None:
    assert GOOD.qr_payload == "QH1|7|A017|2024-05-06"


def test_sample_slip_is_valid_in_both_languages() -> None:
    assert sample_slip("zh_CN").lang == "zh_CN"
    assert sample_slip("en").notice.startswith("This is a test ticket")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"hall": ""}, "hall name is empty"),
        ({"hall": "  "}, "hall name is empty"),
        ({"hall": "大厅\x1b@"}, r"hall contains a control .* U\+001B at position 2"),
        ({"service_name": ""}, "service_name is empty"),
        ({"service_name": "社保\n卡"}, r"service_name contains a control .* U\+000A"),
        ({"category_name": 5}, "category_name must be text"),
        ({"notice": "x" * 121}, "notice is 121 characters long; at most 120"),
        ({"hall": "大" * 41}, "hall is 41 characters long"),
        ({"number": ""}, "ticket number"),
        ({"number": "A 17"}, "ticket number 'A 17'"),
        ({"number": "Ａ017"}, "ticket number"),
        ({"number": 17}, "ticket number 17"),
        ({"ahead": -1}, "ahead must be a whole number >= 0"),
        ({"ahead": True}, "ahead must be a whole number"),
        ({"est_wait_s": 1.5}, "est_wait_s must be a whole number"),
        ({"ticket_id": None}, "ticket_id must be a whole number"),
        ({"issued_at": date(2024, 5, 6)}, "issued_at must be a datetime"),
        ({"issued_at": "2024-05-06"}, "issued_at must be a datetime, not str"),
        ({"priority": 1}, "priority must be True or False"),
        ({"lang": "fr"}, "language must be one of"),
    ],
)
def test_bad_slip_is_rejected_naming_the_field(changes: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(GOOD, **changes)


def test_notice_may_have_line_breaks() -> None:
    assert dataclasses.replace(GOOD, notice="第一行\n第二行").notice.count("\n") == 1
