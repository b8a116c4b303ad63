"""Emits Qt signals without the reference-count bug of PySide6 6.12.0's `Signal.emit()`.

PySide6 6.12.0's `SignalInstance.emit()` returns `True` without a new reference to it.
On Python 3.11, where `True` is not immortal, every `emit()` therefore takes one
reference away from `True`; after enough emits (a board emits thousands a day) the
interpreter aborts with "Fatal Python error: bool_dealloc: deallocating True or False".
`emit()` below gives the reference back, and only where this PySide6 is seen to drop it
(a probe at import), so a fixed PySide6 or Python 3.12+ (immortal `True`) is left alone.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

_py_incref = ctypes.pythonapi.Py_IncRef
_py_incref.argtypes = [ctypes.py_object]
_py_incref.restype = None

_PROBE_EMITS = 64


class _Probe(QObject):
    ping = Signal()


def _emit_drops_a_reference() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBE_EMITS):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    for _ in range(max(0, lost)):  # the probe's own emits took these
        _py_incref(True)
    return lost >= _PROBE_EMITS


EMIT_DROPS_A_REFERENCE = _emit_drops_a_reference()


def emit(signal: SignalInstance, *args: Any) -> None:
    """`signal.emit(*args)`, giving back the reference PySide6 6.12.0 takes from the result."""
    result = signal.emit(*args)
    if EMIT_DROPS_A_REFERENCE:
        _py_incref(result)
