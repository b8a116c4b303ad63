"""What an ESC/POS stream means, as data: the operations a printer receives, and the paper.

`decode` (decode.py) turns bytes into these operations; `paper_blocks` turns operations
into what comes out of the printer, top to bottom, for the tests and the on-screen preview.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .wrap import display_width


@dataclass(frozen=True)
class Init:
    """ESC @: reset to power-on settings."""


@dataclass(frozen=True)
class ChineseMode:
    """FS & / FS .: double-byte (GB18030/GBK) characters on or off."""

    on: bool


@dataclass(frozen=True)
class Text:
    """Characters printed with one style; `width`/`height` are the GS ! scale factors."""

    text: str
    width: int = 1
    height: int = 1
    align: str = "left"
    bold: bool = False
    reverse: bool = False
    underline: int = 0


@dataclass(frozen=True)
class Feed:
    """LF or ESC d n: print the line buffer and advance `lines` lines."""

    lines: int


@dataclass(frozen=True)
class FeedDots:
    """ESC J n: print the line buffer and advance n dots."""

    dots: int


@dataclass(frozen=True)
class QrCode:
    """GS ( k print: a QR symbol of the stored data."""

    payload: bytes
    module_size: int
    error_correction: str
    model: int
    align: str

    @property
    def text(self) -> str:
        return self.payload.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class Raster:
    """GS v 0: a 1-bit image, rows of width/8 bytes, set bit = black dot."""

    width: int
    height: int
    data: bytes = field(repr=False)
    scale_x: int
    scale_y: int
    align: str

    def dot(self, x: int, y: int) -> bool:
        """Whether the dot at column x, row y (before scaling) is black."""
        row_bytes = self.width // 8
        return bool(self.data[y * row_bytes + x // 8] & (0x80 >> (x % 8)))


@dataclass(frozen=True)
class Cut:
    """GS V: cut the paper, after feeding `feed` motion units for the A/B forms."""

    partial: bool
    feed: int = 0


@dataclass(frozen=True)
class StatusRequest:
    """DLE EOT n: a real-time status request (the printer answers one byte)."""

    n: int


@dataclass(frozen=True)
class Setting:
    """A recognised command that changes nothing the decoder draws (font, code page, ...)."""

    name: str
    value: int | None


@dataclass(frozen=True)
class Unknown:
    """Bytes the decoder cannot interpret, with where they start and why."""

    offset: int
    data: bytes
    reason: str


Op = (
    Init
    | ChineseMode
    | Text
    | Feed
    | FeedDots
    | QrCode
    | Raster
    | Cut
    | StatusRequest
    | Setting
    | Unknown
)


@dataclass(frozen=True)
class TextLine:
    """One printed line of text: the runs between two line ends."""

    runs: tuple[Text, ...]

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    @property
    def align(self) -> str:
        return self.runs[0].align

    @property
    def columns(self) -> int:
        """Width in normal-size columns, counting each run's GS ! width."""
        return sum(display_width(run.text) * run.width for run in self.runs)

    @property
    def height(self) -> int:
        return max(run.height for run in self.runs)


Block = TextLine | Feed | FeedDots | QrCode | Raster | Cut


def paper_blocks(ops: list[Op]) -> list[Block]:
    """What comes out of the printer, top to bottom: text lines, blank feeds, codes, images, cuts.

    Settings, status requests and unknown bytes leave no mark and are dropped.
    """
    blocks: list[Block] = []
    pending: list[Text] = []

    def end_line() -> bool:
        if not pending:
            return False
        blocks.append(TextLine(tuple(pending)))
        pending.clear()
        return True

    for op in ops:
        if isinstance(op, Text):
            pending.append(op)
        elif isinstance(op, Feed):
            printed = end_line()
            remaining = op.lines - 1 if printed else op.lines
            if remaining > 0:
                blocks.append(Feed(remaining))
        elif isinstance(op, FeedDots | QrCode | Raster | Cut):
            end_line()
            blocks.append(op)
        elif isinstance(op, Init):
            pending.clear()
    end_line()
    return blocks
