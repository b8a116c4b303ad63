"""The installed Qt binding does not leak references on signal emits and calls (PySide6 6.12.0 did)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class Pinger(QObject):
    ping = Signal(str)


def test_signal_emits_and_void_calls_keep_reference_counts(qapp):
    # PySide6 6.12.0 dropped a reference to True on every Python emit and to None on every
    # call returning nothing; Python 3.11 then aborts ("bool_dealloc") within hours of a
    # board running. pyproject.toml keeps PySide6 below 6.12 for this.
    pinger = Pinger()
    heard: list[str] = []
    pinger.ping.connect(heard.append)
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    for index in range(2000):
        pinger.ping.emit(str(index))
        pinger.setObjectName("x")
    assert len(heard) == 2000
    assert abs(sys.getrefcount(True) - true_before) < 100
    assert abs(sys.getrefcount(None) - none_before) < 100
