"""Keeps Python's None alive under PySide6 6.12 on Python 3.11, so a board can run for months.

PySide6 6.12.0 returns None from its void methods (QLabel.setText, QTimer.setInterval,
QWidget.setVisible, QStyle.polish, ...) without taking a reference to it, so every such
call lowers None's reference count by one. On Python 3.12 and later None is immortal
(PEP 683) and nothing happens; on Python 3.11 the count reaches zero after a few thousand
calls and the interpreter aborts with "Fatal Python error: none_dealloc: deallocating
None". Reproduce with:

    import sys; from PySide6.QtCore import QObject
    o = QObject(); n = sys.getrefcount(None)
    for _ in range(1000): o.setObjectName("x")
    print(sys.getrefcount(None) - n)   # -1000 with PySide6 6.12.0 on Python 3.11

The guard does what Python 3.12 does: it gives None a reference count so large that
the lost references never bring it near zero (2**40: more than 30 years at a thousand
lost references a second). True and False get the same reserve: one test run of the
board aborted with "bool_dealloc: deallocating True or False", the same kind of fault.
It is a no-op on Python 3.12+ and outside CPython.
"""

from __future__ import annotations

import ctypes
import sys

NONE_RESERVE = 1 << 40


def keep_none_alive() -> bool:
    """Top up the reference counts of None, True and False when below half the reserve.

    Returns True where the guard applies (CPython before 3.12).
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    for singleton in (None, True, False):
        # In a CPython object the reference count is the first field, at the object's address.
        refcount = ctypes.c_ssize_t.from_address(id(singleton))
        if refcount.value < NONE_RESERVE // 2:
            refcount.value += NONE_RESERVE
    return True
