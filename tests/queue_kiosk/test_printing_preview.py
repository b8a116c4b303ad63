"""The on-screen preview drawn from the bytes the printer gets."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from queue_kiosk.printing import (
    commands,
    fonts,
    render_preview,
    render_preview_png,
    render_ticket,
    sample_slip,
)
from queue_kiosk.printing.glyphs import draw_text
from queue_kiosk.printing.raster import image_to_raster

CHINESE = commands.INITIALIZE + commands.CHINESE_MODE_ON


def inked_columns(image: Image.Image, top: int, bottom: int) -> list[int]:
    return [
        x
        for x in range(image.width)
        if any(image.getpixel((x, y)) < 128 for y in range(top, bottom))
    ]


@pytest.mark.parametrize(("paper_mm", "dots"), [(80, 640), (58, 464)])
def test_preview_png_is_as_wide_as_the_paper(tmp_path: Path, paper_mm: int, dots: int) -> None:
    data = render_ticket(dataclasses.replace(sample_slip(), priority=True), paper_mm)
    path = render_preview_png(data, tmp_path / "ticket.png", paper_mm)
    with Image.open(path) as image:
        assert image.width == dots  # the whole roll: printed area and unprinted edges
        assert image.height > 600  # hall, number, lines, QR, notice, cut
        ink = sum(image.convert("L").histogram()[:128])
        assert 0.03 < ink / (image.width * image.height) < 0.5


def test_text_cells_follow_the_printer_grid() -> None:
    # One hanzi at normal size takes 24 dots; at GS ! width 2 it takes 48.
    small = render_preview(CHINESE + "中".encode("gb18030") + b"\n")
    assert max(inked_columns(small, 0, 24)) < 24
    wide = render_preview(CHINESE + commands.character_size(2, 1) + "中".encode("gb18030") + b"\n")
    columns = inked_columns(wide, 0, 24)
    assert 24 <= max(columns) < 48


def test_centered_number_is_centered() -> None:
    data = CHINESE + commands.align("center") + commands.character_size(6, 6) + b"A017\n"
    image = render_preview(data)
    columns = inked_columns(image, 0, 144)
    left, right = min(columns), image.width - 1 - max(columns)
    assert abs(left - right) <= 24  # glyph side bearings only
    assert max(columns) - min(columns) > 200  # 4 characters at 72 dots each


def test_raster_image_appears_dot_for_dot() -> None:
    picture = Image.new("L", (40, 16), 255)
    ImageDraw.Draw(picture).rectangle((5, 3, 30, 10), fill=0)
    image = render_preview(image_to_raster(picture, left=8), 58)
    for y in range(16):
        for x in range(48):
            expected = 8 <= x < 48 and picture.getpixel((x - 8, y)) == 0
            assert (image.getpixel((x, y)) == 0) == expected, (x, y)


def test_qr_code_is_drawn_with_its_module_size() -> None:
    data = commands.qr_code(b"QH1|1|A001|2024-01-01", module_size=4)
    image = render_preview(data)
    columns = inked_columns(image, 0, image.height)
    # A version-2 symbol is 25 modules wide; at 4 dots a module, 100 dots.
    assert max(columns) - min(columns) + 1 == 100


def test_empty_stream_gives_a_blank_strip() -> None:
    image = render_preview(b"")
    assert image.width == 576 and image.height > 0


def test_preview_without_a_cjk_font_still_renders_and_says_why(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(fonts, "CJK_FONT_CANDIDATES", ())
    fonts.find_cjk_font.cache_clear()
    fonts.load_font.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="queue_kiosk.printing.fonts"):
            image = render_preview(render_ticket(sample_slip(), 80))
        assert image.width == 576
        assert "No CJK font found" in caplog.text
        assert "fonts-noto-cjk" in caplog.text
    finally:
        fonts.find_cjk_font.cache_clear()
        fonts.load_font.cache_clear()


def test_cjk_font_draws_rare_characters() -> None:
    if fonts.find_cjk_font() is None:
        pytest.skip("no CJK font installed")
    for rare in ("𠮷", "䶮"):
        assert fonts.has_glyph(fonts.load_font(22), rare)
        image = draw_text(rare)
        assert sum(image.histogram()[:128]) > 20


def ink_box(image: Image.Image) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of everything darker than mid-grey."""
    mask = image.convert("L").point(lambda v: 255 if v < 128 else 0)
    box = mask.getbbox()
    assert box is not None, "nothing printed"
    return box


@pytest.mark.parametrize("paper_mm", [80, 58])
def test_ticket_preview_has_paper_edges_above_and_beside_the_text(
    tmp_path: Path, paper_mm: int
) -> None:
    data = render_ticket(sample_slip(), paper_mm)
    with Image.open(render_preview_png(data, tmp_path / "ticket.png", paper_mm)) as image:
        left, top, right, _ = ink_box(image)
        assert top >= 24, f"the hall name starts {top} dots from the top edge"
        assert left >= 24, f"the text starts {left} dots from the left edge"
        assert image.width - right >= 24, f"the text ends {image.width - right} dots from the edge"


def test_big_number_is_drawn_smoothly_not_as_enlarged_dots() -> None:
    # GS ! 6x6: a printer enlarges its 24-dot glyph into 6x6 blocks; the preview draws the
    # outline at that size, so its edges are finer than one block.
    data = CHINESE + commands.character_size(6, 6) + commands.bold(True) + b"A017\n"
    image = render_preview(data)
    number = image.crop((0, 0, 4 * 72, 144))
    blocks = mixed = 0
    for bx in range(0, number.width, 6):
        for by in range(0, number.height, 6):
            cell = number.crop((bx, by, bx + 6, by + 6))
            values = {cell.getpixel((x, y)) for x in range(6) for y in range(6)}
            blocks += min(values) < 128
            mixed += len(values) > 1 and min(values) < 128
    assert blocks > 50
    assert mixed / blocks > 0.2, f"{mixed} of {blocks} inked blocks have any detail in them"
