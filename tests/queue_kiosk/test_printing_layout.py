"""Ticket layout, checked on the produced ESC/POS bytes through the decoder."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from queue_kiosk.printing import PAPERS, TicketSlip, decode, paper_blocks, render_ticket
from queue_kiosk.printing.ops import ChineseMode, Cut, Init, QrCode, Raster, TextLine, Unknown
from queue_kiosk.printing.slip import MAX_LENGTHS

PAPER_WIDTHS = sorted(PAPERS)


def make_slip(**changes: object) -> TicketSlip:
    slip = TicketSlip(
        hall="示范区政务服务中心",
        number="A017",
        service_name="城乡居民基本养老保险参保登记",
        category_name="社会保险",
        ahead=5,
        est_wait_s=720,
        issued_at=datetime(2024, 5, 6, 9, 30, 15),
        ticket_id=4321,
        notice="请留意叫号，过号请重新取号。",
    )
    return dataclasses.replace(slip, **changes)


def text_lines(data: bytes) -> list[TextLine]:
    return [block for block in paper_blocks(decode(data)) if isinstance(block, TextLine)]


def line_texts(data: bytes) -> list[str]:
    return [line.text for line in text_lines(data)]


@pytest.fixture(params=PAPER_WIDTHS, ids=lambda mm: f"{mm}mm")
def paper_mm(request: pytest.FixtureRequest) -> int:
    return request.param


def test_ticket_starts_with_reset_then_chinese_mode(paper_mm: int) -> None:
    ops = decode(render_ticket(make_slip(), paper_mm))
    assert ops[:2] == [Init(), ChineseMode(True)]


def test_ticket_decodes_completely_as_gb18030(paper_mm: int) -> None:
    data = render_ticket(make_slip(), paper_mm)
    assert [op for op in decode(data) if isinstance(op, Unknown)] == []
    # Each text line is sent as its GB18030 bytes followed by LF.
    for text in line_texts(data):
        assert text.encode("gb18030") + b"\n" in data


def test_ticket_shows_everything_a_resident_needs(paper_mm: int) -> None:
    texts = line_texts(render_ticket(make_slip(), paper_mm))
    joined = "".join(texts)
    assert "您的号码" in texts
    assert "A017" in texts
    assert "示范区政务服务中心" in joined
    assert "办理事项：城乡居民基本养老保险参保登记" in joined
    assert "业务类别：社会保险" in texts
    assert "前面还有 5 人" in texts
    assert "预计等候约 12 分钟" in texts
    assert "取号时间：2024-05-06 09:30" in texts
    assert "请留意叫号，过号请重新取号。" in joined
    assert "绿色通道" not in joined


@pytest.mark.parametrize("number", ["A017", "A1000", "B12345678"])
def test_number_is_big_and_fits_the_paper(paper_mm: int, number: str) -> None:
    (line,) = [
        ln
        for ln in text_lines(render_ticket(make_slip(number=number), paper_mm))
        if ln.text == number
    ]
    run = line.runs[0]
    assert run.width == run.height
    assert run.bold and line.align == "center"
    assert line.columns <= PAPERS[paper_mm].columns
    if len(number) <= 5:
        assert run.width >= 6  # GS ! 0x55: the largest size that still fits A1000


def test_qr_code_carries_the_ticket_payload(paper_mm: int) -> None:
    codes = [op for op in decode(render_ticket(make_slip(), paper_mm)) if isinstance(op, QrCode)]
    assert len(codes) == 1
    assert codes[0].text == "QH1|4321|A017|2024-05-06"
    assert codes[0].model == 2 and codes[0].align == "center"
    assert codes[0].module_size == PAPERS[paper_mm].qr_module


def test_ticket_ends_with_a_cut(paper_mm: int) -> None:
    ops = decode(render_ticket(make_slip(), paper_mm))
    assert isinstance(ops[-1], Cut)
    assert sum(isinstance(op, Cut) for op in ops) == 1


def test_typical_ticket_is_small_text_mode(paper_mm: int) -> None:
    data = render_ticket(make_slip(), paper_mm)
    assert len(data) < 1024
    assert not any(isinstance(op, Raster) for op in decode(data))


def test_longest_allowed_ticket_stays_under_1024_bytes(paper_mm: int) -> None:
    slip = make_slip(
        hall="政" * MAX_LENGTHS["hall"],
        service_name="务" * MAX_LENGTHS["service_name"],
        category_name="服" * MAX_LENGTHS["category_name"],
        notice="请" * MAX_LENGTHS["notice"],
        number="A" * 16,
        ahead=999_999,
        est_wait_s=999_999,
        ticket_id=10**12,
        priority=True,
    )
    data = render_ticket(slip, paper_mm)
    assert len(data) < 1024
    assert not any(isinstance(op, Raster) for op in decode(data))


def test_long_matter_wraps_within_the_paper_width(paper_mm: int) -> None:
    name = "城乡居民基本养老保险关系转移接续申请（含跨省转入、转出）及个人账户查询"
    data = render_ticket(make_slip(service_name=name), paper_mm)
    lines = text_lines(data)
    for line in lines:
        assert line.columns <= PAPERS[paper_mm].columns, line.text
    matter = [ln.text for ln in lines if ln.runs[0].height == 2 and not ln.runs[0].bold]
    assert len(matter) >= 2
    assert "".join(matter) == "办理事项：" + name


def test_priority_ticket_has_the_green_channel_mark(paper_mm: int) -> None:
    lines = text_lines(render_ticket(make_slip(priority=True), paper_mm))
    (mark,) = [line for line in lines if "绿色通道" in line.text]
    assert mark.runs[0].reverse and mark.runs[0].width == 2


def test_english_ticket_texts() -> None:
    texts = line_texts(render_ticket(make_slip(lang="en", ahead=1, est_wait_s=90), 80))
    assert "Your number" in texts
    assert "1 person ahead of you" in texts
    assert "Estimated wait: about 2 min" in texts
    assert "Issued: 2024-05-06 09:30" in texts
    texts = line_texts(render_ticket(make_slip(lang="en", ahead=0, est_wait_s=0), 80))
    assert "No one ahead of you" in texts
    assert "You will be called shortly" in texts
    assert "Matter: 城乡居民基本养老保险参保登记" in texts


@pytest.mark.parametrize("rare", ["𠮷", "䶮"])
def test_rare_character_line_is_printed_as_raster(paper_mm: int, rare: str) -> None:
    name = f"{rare}姓居民户籍登记"
    data = render_ticket(make_slip(service_name=name), paper_mm)
    ops = decode(data)
    rasters = [op for op in ops if isinstance(op, Raster)]
    assert len(rasters) == 1
    image = rasters[0]
    assert image.width <= PAPERS[paper_mm].dots
    assert image.height == 48  # the matter line is double height
    inked = sum(image.dot(x, y) for x in range(image.width) for y in range(image.height))
    assert inked > 200
    assert not any(rare in text for text in line_texts(data))
    assert [op for op in ops if isinstance(op, Unknown)] == []
    assert "您的号码" in line_texts(data)  # only that one line left text mode


def test_gb2312_printer_gets_gbk_only_characters_as_raster() -> None:
    slip = make_slip(category_name="臺灣事務")
    assert not any(isinstance(op, Raster) for op in decode(render_ticket(slip, 80)))
    rasters = [
        op for op in decode(render_ticket(slip, 80, charset="gb2312")) if isinstance(op, Raster)
    ]
    assert len(rasters) == 1


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: render_ticket(make_slip(), 76), "paper width"),
        (lambda: render_ticket(make_slip(), "80"), "paper width"),
        (lambda: render_ticket(make_slip(), 80, charset="utf-8"), "charset"),
        (lambda: render_ticket("A017", 80), "TicketSlip"),
    ],
)
def test_bad_layout_arguments_are_named(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]
