"""Ticket layout: a TicketSlip as the ESC/POS bytes an 80 mm or 58 mm thermal printer prints."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from . import commands
from .paper import Paper, paper_for
from .raster import raster_text_line
from .slip import TicketSlip
from .wrap import display_width, wrap_text

BIG_NUMBER_SCALE = 6  # GS ! 0x55: a 144-dot (18 mm) high number
TEXT_CHARSETS = ("gbk", "gb2312")

# Resident-facing ticket text in each language the kiosk offers.
_TEXT = {
    "zh_CN": {
        "your_number": "您的号码",
        "priority": " 绿色通道 ",
        "matter": "办理事项：{}",
        "category": "业务类别：{}",
        "ahead_none": "前面没有人等候",
        "ahead_one": "前面还有 1 人",
        "ahead_many": "前面还有 {} 人",
        "wait_soon": "即将为您叫号",
        "wait": "预计等候约 {} 分钟",
        "issued": "取号时间：{:%Y-%m-%d %H:%M}",
        "scan": "扫码查看排队进度",
        "counters": "请留意 {} 号窗口叫号",
        "valid": "当日有效",
    },
    "en": {
        "your_number": "Your number",
        "priority": " PRIORITY ",
        "matter": "Matter: {}",
        "category": "Category: {}",
        "ahead_none": "No one ahead of you",
        "ahead_one": "1 person ahead of you",
        "ahead_many": "{} people ahead of you",
        "wait_soon": "You will be called shortly",
        "wait": "Estimated wait: about {} min",
        "issued": "Issued: {:%Y-%m-%d %H:%M}",
        "scan": "Scan to follow your place in the queue",
        "counters": "Please watch for calls at counters {}",
        "valid": "Valid today only",
    },
}


def printable_as_text(line: str, charset: str = "gbk") -> bool:
    """Whether the printer's double-byte font has every character of the line.

    GB18030 encodes all of Unicode, but printer fonts carry GBK (or only GB2312); a
    character outside that set, or one whose GB18030 bytes differ from its GBK bytes,
    would print as garbage, so such a line goes out as a raster image.
    """
    try:
        return line.encode(charset) == line.encode("gb18030")
    except UnicodeEncodeError:
        return False


@dataclass(frozen=True)
class _Style:
    align: str = "left"
    width: int = 1
    height: int = 1
    bold: bool = False
    reverse: bool = False


class _TicketWriter:
    """Accumulates lines, sending a style command only when that part of the style changes."""

    def __init__(self, paper: Paper, charset: str) -> None:
        self.paper = paper
        self.charset = charset
        self.parts: list[bytes] = [commands.INITIALIZE, commands.CHINESE_MODE_ON]
        self.style = _Style()

    def _apply(self, style: _Style) -> None:
        current = self.style
        if style.align != current.align:
            self.parts.append(commands.align(style.align))
        if (style.width, style.height) != (current.width, current.height):
            self.parts.append(commands.character_size(style.width, style.height))
        if style.bold != current.bold:
            self.parts.append(commands.bold(style.bold))
        if style.reverse != current.reverse:
            self.parts.append(commands.reverse(style.reverse))
        self.style = style

    def line(
        self,
        text: str,
        *,
        align: str = "left",
        width: int = 1,
        height: int = 1,
        bold: bool = False,
        reverse: bool = False,
    ) -> None:
        if printable_as_text(text, self.charset):
            self._apply(_Style(align, width, height, bold, reverse))
            self.parts.append(text.encode("gb18030") + commands.LINE_FEED)
            return
        # The image carries its own left offset, so the printer's alignment must not add one.
        self.align("left")
        self.parts.append(
            raster_text_line(
                text,
                paper_dots=self.paper.dots,
                align=align,
                width=width,
                height=height,
                bold=bold,
                reverse=reverse,
            )
        )

    def paragraph(self, text: str, *, align: str = "left", width: int = 1, height: int = 1) -> None:
        for line in wrap_text(text, self.paper.columns // width):
            self.line(line, align=align, width=width, height=height)

    def align(self, where: str) -> None:
        self._apply(dataclasses.replace(self.style, align=where))

    def blank(self) -> None:
        self.parts.append(commands.LINE_FEED)

    def raw(self, data: bytes) -> None:
        self.parts.append(data)

    def bytes(self) -> bytes:
        return b"".join(self.parts)


def _balanced_lines(text: str, columns: int) -> list[str]:
    """Wrap into as few lines as at `columns`, but as even in length as possible."""
    lines = wrap_text(text, columns)
    while columns > 2 and len(wrap_text(text, columns - 1)) == len(lines):
        columns -= 1
        lines = wrap_text(text, columns)
    return lines


def _number_scale(number: str, paper: Paper) -> int:
    return max(1, min(BIG_NUMBER_SCALE, paper.columns // display_width(number)))


def _wait_minutes(est_wait_s: int) -> int:
    return math.ceil(est_wait_s / 60)


def render_ticket(slip: TicketSlip, paper_mm: int = 80, *, charset: str = "gbk") -> bytes:
    """The whole ticket as ESC/POS bytes: text mode, native QR, raster only where needed.

    `charset` is the double-byte set the printer's font covers: "gbk" (most printers) or
    "gb2312" (older ones); lines with other characters are printed as images.
    """
    if not isinstance(slip, TicketSlip):
        raise ValueError(f"render_ticket needs a TicketSlip, not {type(slip).__name__}")
    if charset not in TEXT_CHARSETS:
        raise ValueError(f"printer charset must be one of {TEXT_CHARSETS}, not {charset!r}")
    paper = paper_for(paper_mm)
    text = _TEXT[slip.lang]
    ticket = _TicketWriter(paper, charset)

    hall_lines = _balanced_lines(slip.hall, paper.columns // 2)
    if len(hall_lines) <= 2:
        for line in hall_lines:
            ticket.line(line, align="center", width=2, height=2, bold=True)
    else:
        ticket.paragraph(slip.hall, align="center")
    ticket.blank()

    ticket.line(text["your_number"], align="center")
    number_scale = _number_scale(slip.number, paper)
    ticket.line(slip.number, align="center", width=number_scale, height=number_scale, bold=True)
    if slip.priority:
        ticket.line(text["priority"], align="center", width=2, height=2, bold=True, reverse=True)
    ticket.blank()

    ticket.paragraph(text["matter"].format(slip.service_name), height=2)
    if slip.category_name.strip():
        ticket.paragraph(text["category"].format(slip.category_name))
    if slip.ahead == 0:
        ahead = text["ahead_none"]
    elif slip.ahead == 1:
        ahead = text["ahead_one"]
    else:
        ahead = text["ahead_many"].format(slip.ahead)
    ticket.line(ahead, height=2, bold=True)
    minutes = _wait_minutes(slip.est_wait_s)
    ticket.line(text["wait"].format(minutes) if minutes else text["wait_soon"])
    if slip.counters:
        joiner = "、" if slip.lang == "zh_CN" else ", "
        ticket.paragraph(text["counters"].format(joiner.join(str(n) for n in slip.counters)))
    ticket.line(text["issued"].format(slip.issued_at))
    ticket.line(text["valid"])
    ticket.blank()

    ticket.align("center")
    ticket.raw(commands.qr_code(slip.qr_payload.encode("ascii"), module_size=paper.qr_module))
    if slip.qr_url:  # the code opens the ticket's page on the resident's phone
        ticket.line(text["scan"], align="center")
    ticket.blank()
    if slip.notice.strip():
        ticket.paragraph(slip.notice, align="center")
    ticket.raw(commands.cut_after_feed())
    return ticket.bytes()
