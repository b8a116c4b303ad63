"""The board's Qt views: the lobby screen drawing the Qt-free BoardModel.

board.py is the window; layout.py places and sizes its parts, calls_view.py draws the
calls, tiles.py the counters and departments, status_view.py the notice and the staff
lines, and style.py holds the fonts, colours and labels that fit their text.
"""

from display_board.views.board import DisplayBoard

__all__ = ["DisplayBoard"]
