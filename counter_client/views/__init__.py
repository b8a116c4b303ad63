"""The counter's Qt views: the clerk's window and its pages, drawing the Qt-free CounterModel.

window.py frames the login page (login_page.py) and the serving page (serving_page.py,
with the waiting list of queue_list.py) and opens the dialogs an action needs
(dialogs.py); texts.py words the model's notices, look.py styles them all, and rating.py
is the resident's rating window on its own screen.
"""

from counter_client.views.rating import RatingWindow
from counter_client.views.window import CounterWindow

__all__ = ["CounterWindow", "RatingWindow"]
