"""Thermal paper rolls the kiosk prints on: printable dots and font columns across."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Paper:
    """Printable width of a roll: dots across and columns of the 12-dot ASCII font."""

    mm: int
    dots: int
    columns: int
    qr_module: int

    @property
    def roll_dots(self) -> int:
        """The whole roll's width in dots at 203 dpi (8 dots a millimetre), edges included."""
        return self.mm * 8


PAPERS = {80: Paper(80, 576, 48, 6), 58: Paper(58, 384, 32, 5)}


def paper_for(paper_mm: int) -> Paper:
    """The roll geometry for a paper width, or ValueError naming the widths supported."""
    if isinstance(paper_mm, bool) or paper_mm not in PAPERS:
        raise ValueError(f"paper width must be one of {sorted(PAPERS)} mm, not {paper_mm!r}")
    return PAPERS[paper_mm]
