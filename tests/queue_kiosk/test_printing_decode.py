"""The ESC/POS decoder: each command it knows, and everything else reported, never raised."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from queue_kiosk.printing import commands, decode, paper_blocks
from queue_kiosk.printing.ops import (
    ChineseMode,
    Cut,
    Feed,
    FeedDots,
    Init,
    QrCode,
    Raster,
    Setting,
    StatusRequest,
    Text,
    TextLine,
    Unknown,
)
from queue_kiosk.printing.raster import image_to_raster

CHINESE = commands.INITIALIZE + commands.CHINESE_MODE_ON


def test_chinese_text_with_style() -> None:
    data = (
        CHINESE
        + commands.align("center")
        + commands.character_size(3, 2)
        + commands.bold(True)
        + commands.reverse(True)
        + "号码？！".encode("gb18030")
        + b"\n"
    )
    assert decode(data) == [
        Init(),
        ChineseMode(True),
        Text("号码？！", width=3, height=2, align="center", bold=True, reverse=True),
        Feed(1),
    ]


def test_four_byte_gb18030_text_decodes() -> None:
    assert decode(CHINESE + "𠮷".encode("gb18030"))[-1] == Text("𠮷")


def test_without_chinese_mode_high_bytes_are_code_page_437() -> None:
    assert decode(commands.INITIALIZE + b"\x82t\n")[1] == Text("ét")


def test_reset_clears_style_and_chinese_mode() -> None:
    data = CHINESE + commands.bold(True) + commands.INITIALIZE + b"A"
    assert decode(data)[-1] == Text("A")
    assert decode(CHINESE + commands.CHINESE_MODE_OFF + b"\xb0\xa1")[-1] == Text("░í")


def test_esc_bang_print_mode_bits() -> None:
    (text,) = [op for op in decode(b"\x1b!\xb8x") if isinstance(op, Text)]
    assert (text.width, text.height, text.bold, text.underline) == (2, 2, True, 1)


def test_qr_code_round_trip() -> None:
    data = commands.align("right") + commands.qr_code(
        b"QH1|9|A1000|2024-01-02", module_size=7, error_correction="H"
    )
    assert decode(data) == [QrCode(b"QH1|9|A1000|2024-01-02", 7, "H", 2, "right")]


def test_qr_print_without_data_is_reported() -> None:
    (op,) = decode(b"\x1d(k\x03\x001Q0")
    assert isinstance(op, Unknown) and "no QR data" in op.reason


def test_raster_round_trip_keeps_every_dot() -> None:
    picture = Image.new("L", (21, 9), 255)
    ImageDraw.Draw(picture).line((0, 0, 20, 8), fill=0)
    (raster,) = decode(image_to_raster(picture, left=3))
    assert isinstance(raster, Raster)
    assert (raster.width, raster.height) == (24, 9)
    for y in range(9):
        for x in range(24):
            expected = 3 <= x < 24 and picture.getpixel((x - 3, y)) == 0
            assert raster.dot(x, y) == expected, (x, y)


def test_cut_forms() -> None:
    assert decode(b"\x1dV\x00\x1dV1\x1dVA\x05\x1dVB\x00") == [
        Cut(partial=False),
        Cut(partial=True),
        Cut(partial=False, feed=5),
        Cut(partial=True, feed=0),
    ]


def test_feeds_settings_and_status_requests() -> None:
    data = b"\x1bd\x03\x1bJ\x10\x1b3\x20\x1bt\x00\x1c!\x0c" + commands.STATUS_PAPER
    assert decode(data) == [
        Feed(3),
        FeedDots(16),
        Setting("line_spacing", 32),
        Setting("code_page", 0),
        Setting("chinese_print_mode", 12),
        StatusRequest(4),
    ]


def test_unknown_command_is_reported_and_decoding_goes_on() -> None:
    ops = decode(b"\x1b\x99AB\n")
    assert ops[0] == Unknown(0, b"\x1b\x99", "unknown command ESC 0x99")
    assert ops[1:] == [Text("AB"), Feed(1)]


def test_invalid_gb18030_bytes_are_reported_with_offset() -> None:
    ops = decode(CHINESE + b"\xb0\xa1\xff\xb0\xa1")
    assert ops[2:] == [Text("啊"), Unknown(6, b"\xff", "invalid GB18030 text"), Text("啊")]


def test_truncated_command_is_reported() -> None:
    (op,) = decode(b"\x1dv0\x00\x02\x00\x02\x00\xff")
    assert isinstance(op, Unknown)
    assert op.offset == 0 and "cut off" in op.reason


def test_out_of_range_size_is_reported() -> None:
    (op,) = decode(b"\x1d!\x99")
    assert isinstance(op, Unknown) and "beyond 8x8" in op.reason


def test_paper_blocks_group_runs_into_lines() -> None:
    data = b"ab" + commands.bold(True) + b"cd\n\n" + commands.feed_lines(2) + b"tail"
    blocks = paper_blocks(decode(data))
    assert [type(block) for block in blocks] == [TextLine, Feed, Feed, TextLine]
    assert blocks[0].text == "abcd" and blocks[0].columns == 4
    assert blocks[1] == Feed(1) and blocks[2] == Feed(2)


def test_rejects_non_bytes() -> None:
    try:
        decode("text")  # type: ignore[arg-type]
    except ValueError as error:
        assert "bytes" in str(error)
    else:
        raise AssertionError("decode accepted a str")


@given(st.binary(max_size=300))
def test_decoder_never_raises_and_offsets_are_inside_the_data(data: bytes) -> None:
    for op in decode(data):
        if isinstance(op, Unknown):
            assert 0 <= op.offset < len(data)
            assert data[op.offset : op.offset + len(op.data)] == op.data


@given(st.text(alphabet=st.characters(codec="gbk", exclude_categories=["Cc"]), max_size=40))
def test_text_encode_then_decode_gives_the_same_text(text: str) -> None:
    ops = decode(CHINESE + text.encode("gb18030"))
    assert "".join(op.text for op in ops if isinstance(op, Text)) == text
