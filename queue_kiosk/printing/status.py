"""Printer status from DLE EOT replies: online, paper sensor, and a message for the staff.

Each reply is one byte with bits 1 and 4 set and bits 0 and 7 clear (ESC/POS); anything
else is not a status byte and is reported as such rather than guessed at.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PaperState = Literal["ok", "near_end", "out", "unknown"]

_FIXED_MASK = 0x93
_FIXED_BITS = 0x12
OFFLINE_BIT = 0x08  # n=1
COVER_OPEN_BIT = 0x04  # n=2
PAPER_STOP_BIT = 0x20  # n=2: stopped because the paper ran out
ERROR_BIT = 0x40  # n=2
NEAR_END_BITS = 0x0C  # n=4
PAPER_OUT_BITS = 0x60  # n=4

# (staff message in Chinese, English) per condition.
_MESSAGES = {
    "ready": ("打印机正常", "printer ready"),
    "paper_near_end": ("打印纸即将用完，请及时更换", "paper near end: replace the roll soon"),
    "paper_out": ("打印机缺纸，请更换纸卷", "paper out: replace the roll"),
    "cover_open": ("打印机盖未关好", "printer cover open"),
    "error": ("打印机故障（如切刀卡纸），请检查", "printer error (e.g. cutter jam)"),
    "offline": ("打印机离线", "printer offline"),
    "no_reply": ("打印机无应答", "printer did not answer the status request"),
    "bad_reply": ("打印机应答无效", "printer sent a reply that is not a status byte"),
    "unreachable": ("无法连接打印机", "cannot connect to the printer"),
    "not_queryable": ("此类打印机无法查询状态", "this printer connection cannot report status"),
    "preview": ("预览打印机（不出纸）", "preview printer: tickets are shown on screen"),
    "none": ("未设置打印机", "no printer configured: tickets are not printed"),
}


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer said between tickets.

    `online` is None and `paper` "unknown" when the printer cannot tell or did not
    answer. `message` is for the staff (Chinese), `detail` is English for the log.
    """

    online: bool | None
    paper: PaperState
    condition: str
    detail: str

    @property
    def message(self) -> str:
        return _MESSAGES[self.condition][0]

    def staff_message(self, lang: str = "zh_CN") -> str:
        """The short status line for the staff, in Chinese or (lang="en") English."""
        return _MESSAGES[self.condition][1 if lang == "en" else 0]

    @property
    def ready(self) -> bool:
        """Whether a ticket can be expected to print."""
        return self.online is True and self.paper in ("ok", "near_end")


def make_status(
    condition: str, *, online: bool | None = None, paper: PaperState = "unknown", detail: str = ""
) -> PrinterStatus:
    """A status with the standard English text for its condition, plus any detail."""
    english = _MESSAGES[condition][1]
    return PrinterStatus(online, paper, condition, f"{english}: {detail}" if detail else english)


def is_status_byte(value: int) -> bool:
    return value & _FIXED_MASK == _FIXED_BITS


def paper_from_reply(value: int) -> PaperState:
    """The paper sensor state from a DLE EOT 4 reply byte."""
    if value & PAPER_OUT_BITS:
        return "out"
    if value & NEAR_END_BITS:
        return "near_end"
    return "ok"


def interpret_replies(
    online_reply: int | None, cause_reply: int | None, paper_reply: int | None
) -> PrinterStatus:
    """Combine the replies to DLE EOT 1 (online), 2 (offline cause) and 4 (paper sensor).

    A reply of None means the printer stayed silent for that request.
    """
    for number, reply in ((1, online_reply), (2, cause_reply), (4, paper_reply)):
        if reply is not None and not is_status_byte(reply):
            return make_status("bad_reply", detail=f"0x{reply:02X} to DLE EOT {number}")
    if online_reply is None:
        return make_status("no_reply")
    online = not online_reply & OFFLINE_BIT
    paper: PaperState = "unknown" if paper_reply is None else paper_from_reply(paper_reply)
    if paper == "out" or (cause_reply is not None and cause_reply & PAPER_STOP_BIT):
        return make_status("paper_out", online=online, paper="out")
    if cause_reply is not None and cause_reply & COVER_OPEN_BIT:
        return make_status("cover_open", online=online, paper=paper)
    if cause_reply is not None and cause_reply & ERROR_BIT:
        return make_status("error", online=online, paper=paper)
    if not online:
        return make_status("offline", online=False, paper=paper)
    if paper == "near_end":
        return make_status("paper_near_end", online=True, paper=paper)
    if paper == "unknown":
        return make_status("no_reply", online=True, detail="to the paper sensor request")
    return make_status("ready", online=True, paper=paper)
