"""The clerk's window at one counter: a Qt view bound to the CounterModel.

The window frames the pages (counter_client.views.login_page, counter_client.views.serving_page) under
two banners (the connection's trouble; a kiosk printer that needs staff), owns the action
keys, and opens the dialog an action needs (counter_client.views.dialogs). It shows the model
and hands it the clerk's choices; the connection and the rating window are wired by
counter_client.app, which hears `closing` when the window goes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from counter_client.model import ACTIONS, ONLINE, CounterModel
from counter_client.views.dialogs import CallDialog, NoShowDialog, TextDialog, TransferDialog
from counter_client.views.login_page import LoginPage
from counter_client.views.look import STYLE, named
from counter_client.views.serving_page import ServingPage
from counter_client.views.texts import CounterTexts
from shared.qt.widgets import PlainLabel

if TYPE_CHECKING:
    from counter_client.views.rating import RatingPanel

log = logging.getLogger(__name__)

NOTICE_CLEAR_S = 10  # an information notice goes after this long (or at the next action)

D = TypeVar("D", bound=QDialog)


class CounterWindow(QWidget):
    """The counter's window: a login page, then the current ticket, actions and waiting list."""

    closing = Signal()  # the window is closing: the app logs out if the clerk left, disconnects

    def __init__(
        self, model: CounterModel, on_top: bool = False, server: tuple[str, int] | None = None
    ) -> None:
        super().__init__()
        self.model = model
        self.server = server  # the hall server's (host, port), named when it cannot be reached
        self.texts = CounterTexts(model, self)
        self.dialog: QDialog | None = None  # the open choice dialog, if any
        self.rating_panel: RatingPanel | None = None  # the resident's (--rating-window), if any
        self.notice_clear_s: float = NOTICE_CLEAR_S
        self.setStyleSheet(STYLE)
        if on_top:
            self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)

        self.banner = named(QWidget(), "banner")
        self.banner_text = PlainLabel(objectName="bannerText", wordWrap=True)
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(6, 2, 6, 2)
        banner_layout.addWidget(self.banner_text)
        # Staff only: a kiosk whose printer needs attention (paper out, offline ...).
        self.staff_banner = named(QWidget(), "staffBanner")
        self.staff_banner_text = PlainLabel(objectName="staffBannerText", wordWrap=True)
        staff_layout = QHBoxLayout(self.staff_banner)
        staff_layout.setContentsMargins(6, 2, 6, 2)
        staff_layout.addWidget(self.staff_banner_text)
        self.staff_banner.hide()

        self.login_page = LoginPage()
        self.login_page.submitted.connect(self.model.login)
        self.main_page = ServingPage(model, self.texts)
        self.main_page.actionPressed.connect(self.act)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.login_page)
        self.pages.addWidget(self.main_page)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.staff_banner)
        layout.addWidget(self.pages)

        self.shortcuts: dict[str, QShortcut] = {}
        for action in ACTIONS:
            shortcut = QShortcut(QKeySequence(model.shortcuts[action]), self)
            shortcut.activated.connect(lambda a=action: self.act(a))
            self.shortcuts[action] = shortcut

        self.ticker = QTimer(self, interval=1000)
        self.ticker.timeout.connect(self._tick)
        self.ticker.start()
        self.resize(420, 760)
        self.model.subscribe(self.refresh)
        self.refresh()

    # -- rendering ----------------------------------------------------------------------------

    def refresh(self) -> None:
        model = self.model
        if model.logged_out:
            self.close()
            return
        hall = model.hall or self.tr("Hall")
        self.setWindowTitle(
            self.tr("{counter} · {hall}").format(
                counter=model.counter_name or self.tr("Counter {n}").format(n=model.number),
                hall=hall,
            )
        )
        if model.connection == ONLINE and model.counter_exists:
            self.banner.hide()
        else:
            if not model.counter_exists:
                text = self.tr("Counter {n} does not exist in this hall.").format(n=model.number)
            elif model.notice is not None and model.notice.key == "handshake_failed":
                text = self.texts.notice_text(model.notice)
            elif not model.ever_online and self.server is not None:
                host, port = self.server
                text = self.tr(
                    "Cannot reach the hall server at {server}: check the address, the network "
                    "and the server's firewall (port {port}). Trying again…"
                ).format(server=f"{host}:{port}", port=port)
            elif model.connection == "connecting":
                text = self.tr("Connecting to the hall server…")
            else:
                text = self.tr("Connection to the hall server lost: reconnecting…")
            self.banner_text.setText(text)
            self.banner.show()

        self._render_staff_banner()
        self.pages.setCurrentWidget(self.main_page if model.logged_in else self.login_page)
        if isinstance(self.dialog, NoShowDialog):
            self.dialog.fill()
        if not model.logged_in:
            self.login_page.refresh(model, self.texts)
            return
        self.main_page.refresh()
        self._tick()

    def _render_staff_banner(self) -> None:
        troubled = self.model.kiosks_needing_attention() if self.model.logged_in else []
        problems = {
            "near_end": self.tr("paper running low"),
            "paper_out": self.tr("out of paper: replace the roll"),
            "offline": self.tr("printer offline: check its cable and power"),
            "error": self.tr("printer fault: check the printer"),
        }
        lines = [
            self.tr("Kiosk {name}: {problem}").format(
                name=kiosk.get("name") or kiosk.get("client"),
                problem=problems.get(str(kiosk.get("printer")), self.tr("printer fault")),
            )
            for kiosk in troubled
        ]
        self.staff_banner_text.setText("\n".join(lines))
        self.staff_banner.setVisible(bool(lines))

    def _tick(self) -> None:
        self.model.expire_notice(self.notice_clear_s)
        self.main_page.tick()

    # -- actions ------------------------------------------------------------------------------

    def act(self, action: str) -> None:
        """A button or its shortcut: act at once, or ask for the choice the action needs."""
        model = self.model
        if not model.logged_in or not model.enabled(action) or self.dialog is not None:
            return
        if not model.confirmed(action):
            return
        if model.trigger(action):
            return
        if action == "transfer":
            self._ask(TransferDialog(model, self), lambda d: model.transfer(**d.choice()))
        elif action == "call":
            self._ask(CallDialog(model, self), lambda d: model.call(d.number()))
        elif action == "pause_resume":
            reasons = [self.tr("Lunch break"), self.tr("Meeting"), self.tr("Away for a moment")]
            dialog = TextDialog(self.tr("Pause the counter"), self.tr("Reason"), reasons, self)
            self._ask(dialog, lambda d: model.pause(d.text()))
        elif action == "reactivate":
            model.refresh_no_shows()
            self._ask(NoShowDialog(model, self), lambda d: model.reactivate(d.number()))

    def _ask(self, dialog: D, then: Callable[[D], None]) -> None:
        """Open a choice dialog without blocking; `then(dialog)` runs when it is accepted."""
        self.dialog = dialog

        def finished(result: int) -> None:
            self.dialog = None
            if result == QDialog.DialogCode.Accepted:
                then(dialog)
            dialog.deleteLater()
            # The F-keys are shortcuts of this window: give it the keyboard back at once.
            self.raise_()
            self.activateWindow()
            self.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

        dialog.finished.connect(finished)
        dialog.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ticker.stop()
        self.closing.emit()
        super().closeEvent(event)
