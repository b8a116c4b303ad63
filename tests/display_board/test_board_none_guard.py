"""The None guard: PySide6 void calls must never exhaust None's reference count (Python 3.11)."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject

from display_board.none_guard import NONE_RESERVE, keep_none_alive


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_guard_outlasts_many_void_pyside_calls(qapp):
    assert keep_none_alive()
    subject = QObject()
    # Far more void calls than None's natural reference count (a few thousand) could absorb.
    for _ in range(100_000):
        subject.setObjectName("board")
    assert sys.getrefcount(None) > NONE_RESERVE // 2
    assert sys.getrefcount(True) > NONE_RESERVE // 2
    assert sys.getrefcount(False) > NONE_RESERVE // 2


def test_guard_tops_up_only_below_half_the_reserve(qapp):
    keep_none_alive()
    before = sys.getrefcount(None)
    keep_none_alive()
    assert abs(sys.getrefcount(None) - before) < NONE_RESERVE // 4
