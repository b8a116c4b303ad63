"""Finding a CJK font on this machine for raster lines and the on-screen ticket preview."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

logger = logging.getLogger(__name__)

_WINDOWS_FONTS = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"

# Monospaced faces first: printer fonts are fixed-pitch (12-dot ASCII, 24-dot hanzi), so a
# mono face makes raster lines and the preview keep the printer's columns.
CJK_FONT_CANDIDATES: tuple[Path, ...] = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),
    _WINDOWS_FONTS / "msyh.ttc",
    _WINDOWS_FONTS / "simhei.ttf",
    _WINDOWS_FONTS / "simsun.ttc",
    Path("/System/Library/Fonts/PingFang.ttc"),
    Path("/System/Library/Fonts/STHeiti Medium.ttc"),
    Path("/Library/Fonts/Arial Unicode.ttf"),
)

_FACE_PREFERENCE = ("Mono CJK SC", "CJK SC", "SC", "GB", "")
_MAX_FACES = 16


@dataclass(frozen=True)
class FontSource:
    """One face of a font file: the path and the face index inside a .ttc collection."""

    path: Path
    index: int
    name: str


def _faces(path: Path) -> list[FontSource]:
    faces = []
    for index in range(_MAX_FACES):
        try:
            family, _style = ImageFont.truetype(str(path), 24, index=index).getname()
        except OSError:
            break
        faces.append(FontSource(path, index, family or path.stem))
    return faces


def _best_face(faces: list[FontSource]) -> FontSource:
    for wanted in _FACE_PREFERENCE:
        for face in faces:
            if wanted in face.name:
                return face
    return faces[0]


@lru_cache(maxsize=1)
def find_cjk_font() -> FontSource | None:
    """The first installed CJK font (the simplified Chinese face of a collection), or None."""
    for path in CJK_FONT_CANDIDATES:
        if path.is_file():
            faces = _faces(path)
            if faces:
                return _best_face(faces)
    logger.warning(
        "No CJK font found (looked for %s); Chinese text in ticket previews and raster lines "
        "will show as boxes. Install fonts-noto-cjk or fonts-wqy-microhei.",
        ", ".join(str(path) for path in CJK_FONT_CANDIDATES),
    )
    return None


FreeTypeFont = ImageFont.FreeTypeFont | ImageFont.ImageFont


@lru_cache(maxsize=16)
def load_font(size: int) -> FreeTypeFont:
    """The CJK font at a pixel size, or Pillow's built-in font when none is installed."""
    source = find_cjk_font()
    if source is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(str(source.path), size, index=source.index)


def has_glyph(font: FreeTypeFont, char: str) -> bool:
    """Whether the font draws this character rather than its 'missing glyph' box."""
    # Pillow has no cmap lookup; an unassigned code point renders as .notdef, so compare.
    missing = bytes(font.getmask("\U0010fffd"))
    return bytes(font.getmask(char)) != missing
