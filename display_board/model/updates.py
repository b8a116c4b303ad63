"""What the board's model tells the screen: which parts changed, and to whom it says so.

An applied event comes back as an `Update` (the parts to draw again, the calls to highlight
and announce, whether a resync is due); `BoardSync` passes it on to a `BoardScreen` (the
Qt DisplayBoard) and the new calls to whatever `Announces` them. Kept apart from the model
so the Qt views import these names without the model's logic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from display_board.model.items import Call


class Part(StrEnum):
    """A part of the board an update may have changed."""

    CALLS = "calls"
    COUNTERS = "counters"
    WAITING = "waiting"
    KIOSKS = "kiosks"
    HALL = "hall"


class SeqCheck(StrEnum):
    """How an event's `seq` relates to what the model has seen."""

    NEXT = "next"  # the expected event: apply it
    STALE = "stale"  # already covered by the last snapshot or event: skip it
    GAP = "gap"  # events were missed: resync with a snapshot


@dataclass
class Update:
    """What one applied event changed."""

    parts: set[Part] = field(default_factory=set)
    new_calls: list[Call] = field(default_factory=list)
    resync: bool = False


class BoardScreen(Protocol):
    """What BoardSync asks of the screen that shows its model (the Qt DisplayBoard)."""

    def show_parts(self, parts: Iterable[Part], relayout: bool = False) -> None:
        """Draw these parts again; `relayout`: the room each part needs may have changed."""

    def show_new_calls(self, calls: list[Call]) -> None:
        """Highlight calls the board has just heard of (they are being announced)."""

    def show_resynced(self) -> None:
        """The model was rebuilt from a snapshot."""

    def show_connection(self) -> None:
        """The connection's state (`BoardSync.status()`) changed."""


class Announces(Protocol):
    def announce(self, number: str, counter: int, recall: bool = False) -> None: ...


class NoScreen:
    """Until a screen shows the sync's model (a model fed without a board)."""

    def show_parts(self, parts: Iterable[Part], relayout: bool = False) -> None:
        pass

    def show_new_calls(self, calls: list[Call]) -> None:
        pass

    def show_resynced(self) -> None:
        pass

    def show_connection(self) -> None:
        pass
