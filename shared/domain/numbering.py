"""Ticket numbers: one sequence per category prefix per business day (A001 … A999, A1000)."""

from __future__ import annotations

import re

NUMBER_RE = re.compile(r"^([A-Z]{1,2})(\d{3,})$")


def format_number(prefix: str, seq: int) -> str:
    if seq < 1:
        raise ValueError(f"ticket sequence must start at 1, got {seq}")
    return f"{prefix}{seq:03d}"


def parse_number(number: str) -> tuple[str, int]:
    """'A017' -> ('A', 17); ValueError naming the problem otherwise."""
    match = NUMBER_RE.match(number.strip().upper()) if isinstance(number, str) else None
    if not match or int(match.group(2)) == 0:
        raise ValueError(
            f"{number!r} is not a ticket number (a prefix letter and at least 3 digits, like A007)"
        )
    return match.group(1), int(match.group(2))
