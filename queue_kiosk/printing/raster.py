"""Raster fallback: a line the printer's font cannot print, sent as a GS v 0 1-bit image."""

from __future__ import annotations

from PIL import Image, ImageOps

from . import commands
from .glyphs import draw_text, scale

_INK_THRESHOLD = 128


def image_to_raster(image: Image.Image, *, left: int = 0) -> bytes:
    """GS v 0 bytes for a black-on-white image, shifted right by `left` dots.

    The shift is part of the image because not every printer applies ESC a to raster data.
    """
    gray = image.convert("L")
    width_bytes = (left + gray.width + 7) // 8
    canvas = Image.new("L", (width_bytes * 8, gray.height), 255)
    canvas.paste(gray, (left, 0))
    # Mode "1" packs 255 as a set bit; the printer burns a dot for a set bit, so ink -> 255.
    dots = canvas.point(lambda value: 255 if value < _INK_THRESHOLD else 0, mode="1")
    return commands.raster_image(width_bytes, canvas.height, dots.tobytes())


def raster_text_line(
    text: str,
    *,
    paper_dots: int,
    align: str = "left",
    width: int = 1,
    height: int = 1,
    bold: bool = False,
    reverse: bool = False,
) -> bytes:
    """A line of text drawn with the CJK font at the given GS ! scale, as GS v 0 bytes."""
    image = scale(draw_text(text, bold=bold), width, height)
    if reverse:
        image = ImageOps.invert(image)
    if image.width > paper_dots:
        raise ValueError(f"line {text!r} is {image.width} dots wide; the paper holds {paper_dots}")
    free = paper_dots - image.width
    left = {"left": 0, "center": free // 2, "right": free}[align]
    return image_to_raster(image, left=left)
