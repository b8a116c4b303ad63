"""How the counter window looks: one style sheet for all its pages and dialogs.

States show as colours (a paused counter in red, a called ticket in orange, a resting
call key in grey): the views set a dynamic property and the style sheet selects on it, so
the colours live here and nowhere in the views' code.
"""

from __future__ import annotations

from typing import Any, TypeVar

from PySide6.QtWidgets import QWidget

STYLE = """
QWidget#banner { background: #c62828; }
QLabel#bannerText { color: white; font-weight: bold; padding: 4px; }
QLabel#counterName { font-size: 18px; font-weight: bold; }
QLabel#clerkName { color: #455a64; }
QFrame#ticketCard { background: #f5f9ff; border: 1px solid #b0c4de; border-radius: 6px; }
QLabel#ticketNumber { font-size: 64px; font-weight: bold; color: #0d47a1; }
QLabel#ticketNumber[empty="true"] { color: #9e9e9e; font-size: 40px; }
QLabel#ticketState { font-size: 15px; font-weight: bold; }
QLabel#ticketState[state="called"] { color: #e65100; }
QLabel#ticketState[state="serving"] { color: #2e7d32; }
QLabel#ticketTimer { font-size: 22px; font-family: monospace; }
QLabel#counterState[paused="true"] { color: #c62828; font-weight: bold; }
QLabel#loginAlert { background: #fff3e0; color: #bf360c; font-weight: bold; padding: 3px 6px; }
QLabel#notice[level="error"] { color: #c62828; }
QLabel#notice[level="info"] { color: #1b5e20; }
QLabel#figures { color: #37474f; }
QPushButton[action] { min-height: 46px; font-size: 14px; }
QPushButton[action="call_next"] { font-weight: bold; }
QPushButton[cooling="true"] { color: #78909c; background: #eceff1; }
QLabel#loginTitle { font-size: 20px; font-weight: bold; }
QLabel#loginCounter { font-size: 16px; color: #455a64; }
QLabel#loginHall { color: #607d8b; }
QLabel#ticketService { font-size: 16px; }
QLabel#ticketDetail { font-size: 15px; color: #37474f; }
QWidget#staffBanner { background: #fff3cd; }
QLabel#staffBannerText { color: #7a4f01; font-weight: bold; padding: 4px; font-size: 14px; }
QListWidget#waitingList { font-size: 15px; }
QLabel#notice { font-size: 14px; }
QLabel#notice[level="confirm"] { color: #e65100; font-weight: bold; }
QLabel#transferWarning, QLabel#callWarning { color: #c62828; }
"""


def restyle(widget: QWidget, name: str, value: Any) -> None:
    """Set a dynamic property that the style sheet selects on, and apply it now."""
    if widget.property(name) != value:
        widget.setProperty(name, value)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str) -> W:
    """`widget` with its object name: what the style sheet selects on and tests find it by."""
    widget.setObjectName(name)
    return widget
