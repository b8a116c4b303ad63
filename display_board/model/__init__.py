"""The board's view-model, without Qt: the hall state the lobby board shows.

`BoardModel` and `BoardSync` (board.py) keep and feed it; items.py reads the hall's
calls, counters, departments and kiosks, and updates.py names what the model tells the
screen. The names below are the ones the views, the app and the tests use.
"""

from display_board.model.board import BoardModel, BoardSync
from display_board.model.items import BoardDataError, Call, CounterStatus, Department, KioskStatus
from display_board.model.updates import Announces, BoardScreen, NoScreen, Part, Update

__all__ = [
    "Announces",
    "BoardDataError",
    "BoardModel",
    "BoardScreen",
    "BoardSync",
    "Call",
    "CounterStatus",
    "Department",
    "KioskStatus",
    "NoScreen",
    "Part",
    "Update",
]
