"""On-screen ticket preview: an ESC/POS stream drawn as the printer would print it."""

from __future__ import annotations

import logging
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageOps

from .decode import decode
from .glyphs import draw_text_scaled
from .ops import Cut, Feed, FeedDots, QrCode, Raster, TextLine, paper_blocks
from .paper import paper_for

logger = logging.getLogger(__name__)

LINE_SPACING = 30  # dots: the usual default line pitch (ESC 2) of 203 dpi printers
_CUT_BAND = 24
PAPER_TOP_DOTS = 32  # blank paper above the first line in the preview (4 mm)
_QR_LEVELS = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}


def _placed(band: Image.Image, paper_dots: int, align: str) -> Image.Image:
    """A full-width band with the content aligned like the printer aligns it."""
    if band.width > paper_dots:
        logger.warning(
            "Preview: a %d-dot wide line is clipped to the %d-dot paper", band.width, paper_dots
        )
        band = band.crop((0, 0, paper_dots, band.height))
    free = paper_dots - band.width
    left = {"left": 0, "center": free // 2, "right": free}.get(align, 0)
    row = Image.new("L", (paper_dots, band.height), 255)
    row.paste(band, (left, 0))
    return row


def _text_band(line: TextLine, paper_dots: int) -> Image.Image:
    pieces = []
    for run in line.runs:
        piece = draw_text_scaled(run.text, bold=run.bold, width=run.width, height=run.height)
        if run.underline:
            thick = run.underline * run.height
            ImageDraw.Draw(piece).rectangle(
                (0, piece.height - thick, piece.width, piece.height - 1), fill=0
            )
        if run.reverse:
            piece = ImageOps.invert(piece)
        pieces.append(piece)
    tallest = max(piece.height for piece in pieces)
    band = Image.new("L", (sum(piece.width for piece in pieces), tallest), 255)
    x = 0
    for piece in pieces:
        band.paste(piece, (x, tallest - piece.height))  # runs share the bottom line
        x += piece.width
    row = _placed(band, paper_dots, line.align)
    if row.height < LINE_SPACING:
        padded = Image.new("L", (paper_dots, LINE_SPACING), 255)
        padded.paste(row, (0, 0))
        row = padded
    return row


def _qr_band(code: QrCode, paper_dots: int) -> Image.Image:
    symbol = qrcode.QRCode(
        error_correction=_QR_LEVELS[code.error_correction], box_size=code.module_size, border=0
    )
    try:
        symbol.add_data(code.payload)
        symbol.make(fit=True)
    except (ValueError, qrcode.exceptions.DataOverflowError) as error:
        logger.warning("Preview: QR data of %d bytes cannot be drawn: %s", len(code.payload), error)
        return Image.new("L", (paper_dots, LINE_SPACING), 255)
    image = symbol.make_image(fill_color="black", back_color="white").get_image().convert("L")
    return _placed(image, paper_dots, code.align)


def _raster_band(image: Raster, paper_dots: int) -> Image.Image:
    dots = Image.frombytes("1", (image.width, image.height), image.data).convert("L")
    picture = ImageOps.invert(dots)  # a set bit is a black dot on paper
    if image.scale_x != 1 or image.scale_y != 1:
        picture = picture.resize(
            (picture.width * image.scale_x, picture.height * image.scale_y),
            Image.Resampling.NEAREST,
        )
    return _placed(picture, paper_dots, image.align)


def _cut_band(paper_dots: int) -> Image.Image:
    band = Image.new("L", (paper_dots, _CUT_BAND), 255)
    draw = ImageDraw.Draw(band)
    middle = _CUT_BAND // 2
    for x in range(0, paper_dots, 12):
        draw.line((x, middle, x + 6, middle), fill=128, width=2)
    return band


def render_preview(data: bytes, paper_mm: int = 80) -> Image.Image:
    """The ticket as a grayscale image exactly as wide as the paper's printable dots."""
    paper_dots = paper_for(paper_mm).dots
    bands: list[Image.Image] = []
    for block in paper_blocks(decode(data)):
        if isinstance(block, TextLine):
            bands.append(_text_band(block, paper_dots))
        elif isinstance(block, Feed):
            bands.append(Image.new("L", (paper_dots, LINE_SPACING * block.lines), 255))
        elif isinstance(block, FeedDots) and block.dots:
            bands.append(Image.new("L", (paper_dots, block.dots), 255))
        elif isinstance(block, QrCode):
            bands.append(_qr_band(block, paper_dots))
        elif isinstance(block, Raster):
            bands.append(_raster_band(block, paper_dots))
        elif isinstance(block, Cut):
            bands.append(_cut_band(paper_dots))
    height = max(sum(band.height for band in bands), LINE_SPACING)
    ticket = Image.new("L", (paper_dots, height), 255)
    y = 0
    for band in bands:
        ticket.paste(band, (0, y))
        y += band.height
    return ticket


def on_paper(ticket: Image.Image, paper_mm: int = 80) -> Image.Image:
    """The printed area laid on the roll as a person sees the ticket: the paper's unprinted
    edges either side and the blank feed above the first line."""
    paper = paper_for(paper_mm)
    side = max(0, (paper.roll_dots - ticket.width) // 2)
    sheet = Image.new("L", (ticket.width + 2 * side, ticket.height + PAPER_TOP_DOTS), 255)
    sheet.paste(ticket, (side, PAPER_TOP_DOTS))
    return sheet


def render_preview_png(data: bytes, path: str | Path, paper_mm: int = 80) -> Path:
    """Write the preview of a ticket, on its paper, to a PNG file and return its path."""
    target = Path(path)
    on_paper(render_preview(data, paper_mm), paper_mm).save(target, format="PNG")
    return target
