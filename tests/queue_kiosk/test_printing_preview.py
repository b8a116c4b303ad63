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


@pytest.mark.parametrize(("paper_mm", "dots"), [(80, 576), (58, 384)])
def test_preview_png_is_as_wide_as_the_paper(tmp_path: Path, paper_mm: int, dots: int) -> None:
    data = render_ticket(dataclasses.replace(sample_slip(), priority=True), paper_mm)
    path = render_preview_png(data, tmp_path / "ticket.png", paper_mm)
    with Image.open(path) as image:
        assert image.width == dots
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
