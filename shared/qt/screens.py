"""Putting a window on a screen: fullscreen that works with or without a window manager.

`place` is how each app's app.py shows its main window, so `--fullscreen`, `--geometry`,
a screen choice and a hidden pointer behave the same in the kiosk, the counter and the
board.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

from shared.client.geometry import Geometry


def place(
    window: QWidget,
    *,
    fullscreen: bool = False,
    geometry: Geometry | None = None,
    size: tuple[int, int] | None = None,
    screen: QScreen | None = None,
    hide_cursor: bool = False,
) -> None:
    """Show `window` on `screen` (default: the primary one).

    `fullscreen` fills the screen (see show_fullscreen). Otherwise the window gets `size`
    (else its own), at the top left of the screen's free area when a screen is named, or
    exactly `geometry` (`--geometry`) when given. `hide_cursor` hides the pointer over
    every window of the application: a touch kiosk or a lobby TV shows none.
    """
    if hide_cursor:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)
    if fullscreen:
        show_fullscreen(window, screen)
        return
    if size is not None:
        window.resize(*size)
    if screen is not None:
        window.move(screen.availableGeometry().topLeft())
    if geometry is not None:
        window.setGeometry(geometry.x, geometry.y, geometry.width, geometry.height)
    window.show()
    handle = window.windowHandle()
    if screen is not None and handle is not None:
        handle.setScreen(screen)


def show_fullscreen(window: QWidget, screen: QScreen | None = None) -> None:
    """Show `window` covering the whole of `screen` (default: the primary screen).

    showFullScreen() alone asks the window manager to do it; on a bare X server (a kiosk
    started straight from xinit, no window manager) nobody does and the window keeps its
    size hint. So the window is also made frameless and given the screen's geometry
    itself, which a window manager then confirms.
    """
    target = screen or QGuiApplication.primaryScreen()
    window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
    if target is not None:
        window.setGeometry(target.geometry())
    window.showFullScreen()
    handle = window.windowHandle()
    if target is not None and handle is not None:
        handle.setScreen(target)
        window.setGeometry(target.geometry())


def primary_area() -> tuple[int, int, int, int] | None:
    """The primary screen's free area (x, y, width, height), or None without a screen."""
    if QGuiApplication.instance() is None:
        QGuiApplication([])
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return None
    area = screen.availableGeometry()
    return area.x(), area.y(), area.width(), area.height()


if __name__ == "__main__":  # `queue-hall demo` asks where to tile its windows
    found = primary_area()
    if found is None:
        sys.exit(1)
    print(*found)
