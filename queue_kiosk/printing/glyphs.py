"""Drawing text on the printer's grid: 12x24-dot cells for ASCII, 24x24 for everything else."""

from __future__ import annotations

import logging

from PIL import Image, ImageDraw

from .fonts import has_glyph, load_font
from .wrap import char_columns, display_width

logger = logging.getLogger(__name__)

CELL_HEIGHT = 24
COLUMN_WIDTH = 12
_FONT_SIZE = 22
# Ideographs sit on an em box whose baseline is 0.88 em from its top; the box is put one
# dot below the top of the 24-dot cell, like a printer's own font (see draw_text).


def draw_text(text: str, *, bold: bool = False, factor: int = 1) -> Image.Image:
    """Black text on white, one cell per character, at the printer's normal size times
    `factor` (drawn from the outline at that size, not enlarged dot by dot)."""
    width = max(display_width(text), 1) * COLUMN_WIDTH * factor
    image = Image.new("L", (width, CELL_HEIGHT * factor), 255)
    draw = ImageDraw.Draw(image)
    font = load_font(_FONT_SIZE * factor)
    baseline = factor + round(0.88 * _FONT_SIZE * factor)
    x = 0
    for char in text:
        cell = char_columns(char) * COLUMN_WIDTH * factor
        if not char.isspace():
            if not has_glyph(font, char):
                logger.warning(
                    "The CJK font has no glyph for %r (U+%04X); it prints as a box",
                    char,
                    ord(char),
                )
            draw.text(
                (x + cell / 2, baseline),
                char,
                font=font,
                fill=0,
                anchor="ms",
                stroke_width=factor if bold else 0,
                stroke_fill=0,
            )
        x += cell
    return image


def draw_text_scaled(text: str, *, bold: bool, width: int, height: int) -> Image.Image:
    """Text at GS ! width x height, as large as the printer prints it but with smooth edges
    (for the on-screen preview: a 24-dot glyph enlarged six times looks like steps)."""
    if width == height == 1:
        return draw_text(text, bold=bold)
    factor = max(width, height)
    image = draw_text(text, bold=bold, factor=factor)
    size = (image.width * width // factor, image.height * height // factor)
    if size != image.size:
        image = image.resize(size, Image.Resampling.LANCZOS)
    return image


def scale(image: Image.Image, width: int, height: int) -> Image.Image:
    """Enlarge like GS ! does: each dot becomes a width x height block."""
    if width == height == 1:
        return image
    return image.resize((image.width * width, image.height * height), Image.Resampling.NEAREST)
