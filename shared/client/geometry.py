"""Window placement given on the command line: `--geometry WIDTHxHEIGHT+X+Y`."""

from __future__ import annotations

import argparse
import re
from typing import NamedTuple

_GEOMETRY = re.compile(r"^(\d+)x(\d+)\+(-?\d+)\+(-?\d+)$")


class Geometry(NamedTuple):
    width: int
    height: int
    x: int
    y: int

    def __str__(self) -> str:
        return f"{self.width}x{self.height}+{self.x}+{self.y}"


def parse_geometry(text: str) -> Geometry:
    """'1280x720+640+0' -> Geometry; ValueError naming the problem."""
    match = _GEOMETRY.match(text.strip())
    if not match:
        raise ValueError(
            f"{text!r} is not a window geometry: use WIDTHxHEIGHT+X+Y, e.g. 1280x720+640+0"
        )
    geometry = Geometry(*(int(g) for g in match.groups()))
    if not (200 <= geometry.width <= 16384 and 200 <= geometry.height <= 16384):
        raise ValueError(
            f"window size {geometry.width}x{geometry.height} is out of range (200 to 16384)"
        )
    return geometry


def geometry_argument(text: str) -> Geometry:
    """For argparse: the same check, as an argparse error."""
    try:
        return parse_geometry(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_geometry_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--geometry",
        type=geometry_argument,
        metavar="WxH+X+Y",
        help="window size and position when not fullscreen, e.g. 1280x720+640+0",
    )


def tile_demo(width: int, height: int, top: int = 0, left: int = 0) -> dict[str, Geometry]:
    """The demo's windows on one screen: kiosk left, board top right, two counters below it."""
    kiosk_w = max(400, width * 3 // 10)
    board_h = height * 9 // 20
    right_w = width - kiosk_w
    return {
        "kiosk": Geometry(kiosk_w, height, left, top),
        "display board": Geometry(right_w, board_h, left + kiosk_w, top),
        "counter 1": Geometry(right_w // 2, height - board_h, left + kiosk_w, top + board_h),
        "counter 2": Geometry(
            right_w - right_w // 2, height - board_h, left + kiosk_w + right_w // 2, top + board_h
        ),
    }
