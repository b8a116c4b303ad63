"""A running kiosk: the hall connection, the printer, the view-model and the window, wired."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject

from queue_kiosk.model import KioskModel, PriorityMode
from queue_kiosk.printing import TicketSlip, render_preview_png, render_ticket
from queue_kiosk.window import KioskWindow, ThreadRunner
from shared.config.hall import HallConfig
from shared.qt.client import ONLINE, HallConnection

log = logging.getLogger(__name__)


class Kiosk(QObject):
    """Everything one kiosk screen needs; `start()` connects, `close()` lets go of it all."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        printer: Any,
        config: HallConfig,
        client_name: str = "kiosk",
        lang: str = "zh_CN",
        priority: str = "off",
        preview_dir: Path | None = None,
        reconnect_max_s: float = 10.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.printer = printer
        self.connection = HallConnection(
            host,
            port,
            "kiosk",
            client_name,
            key=config.key,
            parent=self,
            reconnect_min_s=min(0.5, reconnect_max_s),
            reconnect_max_s=reconnect_max_s,
        )
        self.runner = ThreadRunner(self)
        paper_mm = int(printer.paper_mm)
        save_preview = None
        if printer.spec.kind == "preview" and preview_dir is not None:
            target = preview_dir / "last_ticket.png"

            def save_preview(data: bytes) -> str:
                target.parent.mkdir(parents=True, exist_ok=True)
                return str(render_preview_png(data, target, paper_mm))

        self.model = KioskModel(
            self.connection,
            printer,
            self.runner,
            render_ticket,
            TicketSlip,
            hall_name=config.hall_name,
            ticket_notice=config.ticket_notice,
            paper_mm=paper_mm,
            priority_mode=PriorityMode(priority),
            priority_pin=config.priority_pin,
            lang=lang,
            reads_status=printer.reports_status,
            save_preview=save_preview,
        )
        self.window = KioskWindow(self.model)
        self.connection.ready.connect(lambda _snapshot: self.model.set_online(True))
        self.connection.stateChanged.connect(self._on_state)
        self.connection.handshakeFailed.connect(
            lambda _code, message: self.model.set_refused(message)
        )
        self.connection.event.connect(lambda name, _seq, data: self.model.on_event(name, data))

    def _on_state(self, state: str) -> None:
        if state != ONLINE:
            self.model.set_online(False)

    def start(self) -> None:
        self.connection.start()
        self.model.poll_printer()

    def close(self) -> None:
        self.window.ticker.stop()
        self.connection.stop()
        self.runner.shutdown()
        self.printer.close()
        self.window.close()
        self.window.deleteLater()
