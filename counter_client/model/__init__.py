"""The counter's view-model, without Qt: what the clerk's window shows and what a key does.

`CounterModel` (counter.py) is the whole model; the other modules hold one concern each:
the state it reads from (state.py), the hall's feed into it (feed.py), the clerk's keys
(shortcuts.py), what the clerk is told (notices.py), the day's figures (figures.py) and
the hall's lists (hall.py). The names below are the ones the views, the app, the
hardware keypads and the tests use.
"""

from counter_client.model.counter import CounterModel
from counter_client.model.figures import DayFigures
from counter_client.model.notices import Notice, ReplyLike
from counter_client.model.shortcuts import (
    ACTIONS,
    DEFAULT_SHORTCUTS,
    ShortcutError,
    parse_shortcuts,
)
from counter_client.model.state import CALL_ACTIONS, CONNECTING, OFFLINE, ONLINE

__all__ = [
    "ACTIONS",
    "CALL_ACTIONS",
    "CONNECTING",
    "DEFAULT_SHORTCUTS",
    "OFFLINE",
    "ONLINE",
    "CounterModel",
    "DayFigures",
    "Notice",
    "ReplyLike",
    "ShortcutError",
    "parse_shortcuts",
]
