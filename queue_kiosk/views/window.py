"""The kiosk's Qt window: draws the KioskModel full screen and turns touches into its actions.

The window holds the header (hall name and clock), the status banner and one page per
model screen, ticks the model once a second, and scales the style to its size.
"""

from __future__ import annotations

from PySide6.QtCore import QDateTime, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from queue_kiosk.model import KioskModel, Screen
from queue_kiosk.views.matters import MattersPage
from queue_kiosk.views.pin import PinPage
from queue_kiosk.views.start import StartPage
from queue_kiosk.views.style import BASE_SHORT_SIDE, STYLE, restyle
from queue_kiosk.views.ticket import ConfirmationPage, NoticePage, WorkingPage
from shared.qt.widgets import PlainLabel


class KioskWindow(QWidget):
    """The whole kiosk screen: header, status banner and one page per model screen."""

    def __init__(self, model: KioskModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.setObjectName("kiosk")
        self.setWindowTitle(self.tr("Take a ticket"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)

        header = QWidget()
        header.setObjectName("header")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        header_layout = QHBoxLayout(header)
        self.hall_label = PlainLabel()
        self.hall_label.setObjectName("hallName")
        header_layout.addWidget(self.hall_label, 1)
        self.clock_label = PlainLabel()
        self.clock_label.setObjectName("clock")
        header_layout.addWidget(self.clock_label)
        layout.addWidget(header)

        self.banner = PlainLabel()
        self.banner.setObjectName("banner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setWordWrap(True)
        self.banner.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        layout.addWidget(self.banner)

        self.stack = QStackedWidget()
        self.start_page = StartPage(model)
        self.matters_page = MattersPage(model)
        self.pin_page = PinPage(model)
        self.working_page = WorkingPage()
        self.confirmation_page = ConfirmationPage(model)
        self.notice_page = NoticePage(model)
        self.pages: dict[Screen, QWidget] = {
            Screen.START: self.start_page,
            Screen.MATTERS: self.matters_page,
            Screen.PIN: self.pin_page,
            Screen.WORKING: self.working_page,
            Screen.CONFIRMATION: self.confirmation_page,
            Screen.NOTICE: self.notice_page,
        }
        for page in self.pages.values():
            self.stack.addWidget(page)
        layout.addWidget(self.stack, 1)

        self._scale = 0.0
        self.model.subscribe(self.refresh)
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self._tick)
        self.ticker.start()
        self._apply_scale()
        self._update_clock()
        self.refresh()

    # -- drawing ------------------------------------------------------------------------------

    def banner_state(self) -> tuple[str, str]:
        """(level, text) of the status banner; ("", "") hides it."""
        model = self.model
        if not model.online and model.refused == "not_authenticated":
            return "error", self.tr(
                "The queue server refused this kiosk: its hall key is wrong or missing. "
                "No tickets are issued. Please tell the staff."
            )
        if not model.online and model.refused:  # the server's words are in the kiosk's log
            return "error", self.tr(
                "The queue server refused this kiosk: no tickets are issued. Please tell the staff."
            )
        if not model.online:
            return "error", self.tr(
                "Cannot reach the queue server: no tickets are issued. Reconnecting…"
            )
        if model.printer_state == "paper_out":
            return "error", self.tr("The printer is out of paper. Please ask the staff.")
        if model.printer_state == "offline":
            return "error", self.tr("The printer is offline. Please ask the staff.")
        if model.printer_state == "error":
            return "error", self.tr("The printer has a fault. Please ask the staff.")
        if not model.issuing and model.screen is not Screen.START:  # the start page says it
            return "warn", self.tr("Tickets are not issued at this time.")
        if model.priority_armed:
            return "priority", self.tr("Priority lane: the next ticket is a priority ticket.")
        return "", ""

    def refresh(self) -> None:
        model = self.model
        self.hall_label.setText(model.hall_name)
        level, text = self.banner_state()
        self.banner.setVisible(bool(text))
        self.banner.setText(text)
        if self.banner.property("level") != level:
            self.banner.setProperty("level", level)
            restyle(self.banner)
        page = self.pages[model.screen]
        if model.screen is Screen.START and self.stack.currentWidget() in (
            self.confirmation_page,
            self.notice_page,
        ):
            self.start_page.page = 0  # the next resident starts on the first departments
        if model.screen is Screen.START:
            self.start_page.refresh()
        elif model.screen is Screen.MATTERS:
            self.matters_page.refresh()
        elif model.screen is Screen.PIN:
            self.pin_page.refresh()
        elif model.screen is Screen.CONFIRMATION:
            self.confirmation_page.refresh()
        elif model.screen is Screen.NOTICE:
            self.notice_page.refresh()
        self.stack.setCurrentWidget(page)

    def _tick(self) -> None:
        self._update_clock()
        self.model.tick()
        self.confirmation_page.show_countdown()

    def _update_clock(self) -> None:
        now = QDateTime.currentDateTime()
        self.clock_label.setText(self.locale().toString(now, self.tr("yyyy-MM-dd dddd HH:mm")))

    # -- scaling ------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_scale()

    def _apply_scale(self) -> None:
        width, height = max(1, self.width()), max(1, self.height())
        scale = min(width, height) / BASE_SHORT_SIDE
        portrait = height > width
        if abs(scale - self._scale) > 0.01 or portrait != getattr(self, "_portrait", None):
            self._scale, self._portrait = scale, portrait
            sizes = {
                "h1": 52,
                "h2": 40,
                "h3": 30,
                "body": 28,
                "tile": 34,
                "small": 26,
                "huge": 220,
                "pad": 12,
                "radius": 14,
                "border": 3,
                "touch": 90,
                "key": 96,  # pinyin keys: 96 px (about 25 mm on a 43-inch kiosk), see key_size
                "navwidth": 200,
                "pinkey": 120,
                "hours": 96,
            }
            scaled = {k: max(1, round(v * scale)) for k, v in sizes.items()}
            scaled["key"] = self.matters_page.key_size(scale, width)
            self.setStyleSheet(STYLE.format(**scaled))
            self.start_page.portrait = portrait
            self.matters_page.rows = 6 if portrait else 3
            self.matters_page.columns = 2 if portrait else 4
            self.confirmation_page.set_portrait(portrait)
            self.refresh()
