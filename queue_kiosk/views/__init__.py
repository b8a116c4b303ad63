"""The kiosk's Qt views: the window and its pages, drawing the Qt-free KioskModel.

Each page draws one model screen (start.py, matters.py, pin.py, ticket.py) and turns
touches into model actions; window.py puts them under the header and the status banner.
"""

from queue_kiosk.views.window import KioskWindow

__all__ = ["KioskWindow"]
