"""The kiosk's look: one style sheet drawn for a 1080-pixel short side, scaled to the screen.

A kiosk runs on anything from a 21-inch landscape screen to a 55-inch portrait one, so
every size in the sheet is a number of pixels at BASE_SHORT_SIDE that the window scales
(see KioskWindow.resizeEvent). The two helpers are what the pages need to redraw themselves.
"""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

BASE_SHORT_SIDE = 1080  # the layout is drawn for a 1080-pixel short side and scaled from it

STYLE = """
QWidget#kiosk {{ background: #eef3f9; }}
QWidget#header {{ background: #0b4f9c; }}
QLabel#hallName {{ color: white; font-size: {h1}px; font-weight: bold; }}
QLabel#clock {{ color: white; font-size: {h3}px; }}
QLabel#banner {{ color: white; font-size: {h3}px; font-weight: bold; padding: {pad}px; }}
QLabel#banner[level="error"] {{ background: #c62828; }}
QLabel#banner[level="warn"] {{ background: #ef6c00; }}
QLabel#banner[level="priority"] {{ background: #2e7d32; }}
QLabel#title {{ color: #0b2e59; font-size: {h2}px; font-weight: bold; }}
QLabel#hint {{ color: #44556b; font-size: {body}px; }}
QPushButton {{ font-size: {body}px; border-radius: {radius}px; }}
QPushButton#tile {{ background: white; border: {border}px solid #0b4f9c; }}
QPushButton#tile:pressed {{ background: #d6e6fa; }}
QPushButton#tile:disabled {{ background: #e3e6ea; border-color: #a7b0bb; }}
QLabel#tileName {{ color: #0b2e59; font-size: {tile}px; font-weight: bold; }}
QWidget#startPage QLabel#tileName {{ font-size: {h1}px; }}
QWidget#startPage QLabel#tileInfo {{ font-size: {h3}px; }}
QLabel#tileName[closed="true"] {{ color: #7b8794; }}
QLabel#tileInfo {{ color: #44556b; font-size: {small}px; }}
QLabel#tileInfo[closed="true"] {{ color: #b23b3b; font-weight: bold; }}
QPushButton#nav {{ background: #0b4f9c; color: white; font-weight: bold;
    min-height: {touch}px; min-width: {navwidth}px; padding: 0 {pad}px; }}
QPushButton#nav:disabled {{ background: #a7b0bb; }}
QPushButton#priority {{ background: #2e7d32; color: white; font-weight: bold;
    min-height: {touch}px; padding: 0 {pad}px; }}
QPushButton#key {{ background: white; border: 1px solid #8aa0b8; font-size: {h3}px;
    min-height: {key}px; min-width: {key}px; }}
QPushButton#key:pressed {{ background: #d6e6fa; }}
QWidget#pinPage QPushButton#key {{ min-height: {pinkey}px; font-size: {h2}px; }}
QLineEdit#search {{ font-size: {h3}px; min-height: {key}px; padding: 0 {pad}px;
    border: {border}px solid #0b4f9c; border-radius: {radius}px; background: white; }}
QLabel#bigNumber {{ color: #0b4f9c; font-size: {huge}px; font-weight: bold; }}
QLabel#confirmLine {{ color: #0b2e59; font-size: {h2}px; }}
QLabel#takeTicket {{ color: #c62828; font-size: {h1}px; font-weight: bold; }}
QLabel#priorityTag {{ color: white; background: #2e7d32; font-size: {h3}px;
    font-weight: bold; padding: {pad}px; border-radius: {radius}px; }}
QLabel#noticeText {{ color: #c62828; font-size: {h1}px; font-weight: bold; }}
QLabel#pinDots {{ color: #0b2e59; font-size: {h1}px; letter-spacing: {pad}px; }}
QLabel#pinError {{ color: #c62828; font-size: {h3}px; font-weight: bold; }}
QLabel#preview {{ background: white; border: 1px solid #a7b0bb; }}
QLabel#closedTitle {{ color: #0b2e59; font-size: {h1}px; font-weight: bold; }}
QLabel#closedHours {{ color: #0b4f9c; font-size: {hours}px; font-weight: bold; }}
"""


def clear_layout(layout: QGridLayout | QVBoxLayout | QHBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()  # gone at once; the deletion itself waits for the event loop
            widget.deleteLater()


def restyle(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)
