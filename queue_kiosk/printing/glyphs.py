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
# Ideographs sit on an em box whose baseline is 0.88 em from its top; this puts the box
# one dot below the top of the 24-dot cell, like a printer's own font.
_BASELINE = 1 + round(0.88 * _FONT_SIZE)


def draw_text(text: str, *, bold: bool = False) -> Image.Image:
    """Black text on white, one cell per character, at the printer's normal size."""
    width = max(display_width(text), 1) * COLUMN_WIDTH
    image = Image.new("L", (width, CELL_HEIGHT), 255)
    draw = ImageDraw.Draw(image)
    font = load_font(_FONT_SIZE)
    x = 0
    for char in text:
        cell = char_columns(char) * COLUMN_WIDTH
        if not char.isspace():
            if not has_glyph(font, char):
                logger.warning(
                    "The CJK font has no glyph for %r (U+%04X); it prints as a box",
                    char,
                    ord(char),
                )
            draw.text(
                (x + cell / 2, _BASELINE),
                char,
                font=font,
                fill=0,
                anchor="ms",
                stroke_width=1 if bold else 0,
                stroke_fill=0,
            )
        x += cell
    return image


def scale(image: Image.Image, width: int, height: int) -> Image.Image:
    """Enlarge like GS ! does: each dot becomes a width x height block."""
    if width == height == 1:
        return image
    return image.resize((image.width * width, image.height * height), Image.Resampling.NEAREST)
