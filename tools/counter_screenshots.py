"""Renders the counter window's documentation screenshots: `python -m tools.counter_screenshots`.

Starts a throw-away hall server on 127.0.0.1 with the sample hall, issues a morning's
tickets, and saves the login page, a working counter (its call key resting for the hall's
call gap) and its "today" line as PNG files. Run it under a
display with CJK fonts, e.g. `xvfb-run -a -s "-screen 0 1920x1080x24" python -m ...`.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import threading
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QListWidget, QWidget

from counter_client.app import build_window
from counter_client.views.dialogs import CallDialog, NoShowDialog, TransferDialog
from shared.client.connection import BlockingHallClient, new_req
from shared.config.hall import ClerkConfig, default_config
from shared.qt.i18n import install_translations
from shared.server.asyncio_server import HallServer
from shared.server.service import HallService
from shared.server.store import HallStore

DEMO_CLERK = ClerkConfig("1001", "张敏", "1234")
MORNING = (
    "pension_enrol",
    "ss_card_apply",
    "pension_claim",
    "ss_record_print",
    "pension_enrol",
    "unemployment_claim",
    "ss_card_replace",
    "pension_transfer",
)


def start_server(db: Path) -> tuple[int, Callable[[], None]]:
    """A hall server in a thread; returns its port and a function that stops it."""
    config = replace(
        default_config(),
        clerks=(DEMO_CLERK,),
        open_time=None,
        close_time=None,
        kiosk_names=(("kiosk-east", "东门取号机"),),
    )
    ready = threading.Event()
    ports: list[int] = []
    stops: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []

    def run() -> None:
        async def main() -> None:
            store = HallStore(db)
            server = HallServer(HallService(store, config), None)
            _, port = await server.start("127.0.0.1", 0)
            ports.append(port)
            stop = asyncio.Event()
            stops.append((asyncio.get_running_loop(), stop))
            ready.set()
            await stop.wait()
            await server.close()
            store.close()

        asyncio.run(main())

    thread = threading.Thread(target=run, name="screenshot-server", daemon=True)
    thread.start()
    ready.wait(30)

    def stop() -> None:
        loop, event = stops[0]
        loop.call_soon_threadsafe(event.set)
        thread.join(10)

    return ports[0], stop


def wait_for(condition: Callable[[], bool], timeout_ms: int = 10_000) -> None:
    """Run the Qt event loop until `condition()` holds."""
    loop, clock, poll = QEventLoop(), QElapsedTimer(), QTimer(interval=20)
    clock.start()

    def check() -> None:
        if condition() or clock.elapsed() > timeout_ms:
            loop.quit()

    poll.timeout.connect(check)
    poll.start()
    loop.exec()
    poll.stop()
    if not condition():
        raise TimeoutError("the counter window did not reach the expected state")


def has_rows(tickets: QListWidget) -> bool:
    return tickets.count() > 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/screenshots", help="folder for the PNG files")
    parser.add_argument("--lang", default="zh_CN", help="interface language: zh_CN or en")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.lang == "zh_CN" else f"_{args.lang}"

    app = QApplication.instance() or QApplication([])
    lang = install_translations(app, args.lang)
    with tempfile.TemporaryDirectory() as tmp:
        port, stop = start_server(Path(tmp) / "hall.db")
        try:
            with BlockingHallClient("127.0.0.1", port, "kiosk", "screenshot-kiosk") as kiosk:
                for service in MORNING:
                    ticket = kiosk.call("issue", service=service, req=new_req())["ticket"]
                    kiosk.call("printed", ticket=ticket["id"])
            window = build_window("127.0.0.1", port, 3, lang=lang)
            window.show()
            model = window.model
            wait_for(lambda: model.connection == "online" and bool(model.services))
            window.login_page.clerk_edit.setText(DEMO_CLERK.id)
            window.login_page.pin_edit.setText(DEMO_CLERK.pin)
            wait_for(lambda: window.isVisible())
            window.grab().save(str(out / f"counter_login{suffix}.png"))

            model.login(DEMO_CLERK.id, DEMO_CLERK.pin)
            wait_for(lambda: model.logged_in and len(model.queue) == len(MORNING))
            for step in (model.call_next, model.start, model.finish, model.call_next):
                # a call waits for the hall's call gap, as the clerk's call key does
                if step == model.call_next:
                    wait_for(partial(model.enabled, "call_next"))
                step()
                wait_for(lambda: model.busy is None)
            model.no_show()
            wait_for(lambda: model.busy is None and model.enabled("call_next"))
            model.call_next()
            wait_for(lambda: model.ticket is not None and len(model.queue) == len(MORNING) - 3)
            wait_for(lambda: model.figures.served == 1 and model.figures.no_shows == 1)
            window.grab().save(str(out / f"counter_main{suffix}.png"))
            window.main_page.figures.grab().save(str(out / f"counter_today{suffix}.png"))
            saved = [
                f"counter_login{suffix}.png",
                f"counter_main{suffix}.png",
                f"counter_today{suffix}.png",
            ]

            def shot(name: str, widget: QWidget | None = None) -> None:
                QApplication.processEvents()
                (widget or window).grab().save(str(out / f"{name}{suffix}.png"))
                saved.append(f"{name}{suffix}.png")

            # F1 on a ticket called but never started: the window asks first.
            wait_for(lambda: model.enabled("call_next"))  # after the call gap
            window.act("call_next")
            shot("counter_confirm")
            # A kiosk out of paper: the staff banner.
            with BlockingHallClient("127.0.0.1", port, "kiosk", "kiosk-east") as kiosk:
                kiosk.call("kiosk_status", printer="paper_out")
                wait_for(lambda: not window.staff_banner.isHidden())
                shot("counter_paper_out")
                kiosk.call("kiosk_status", printer="ok")
            for action, name in (
                ("transfer", "counter_transfer"),
                ("call", "counter_call"),
                ("reactivate", "counter_reactivate"),
            ):
                wait_for(partial(model.enabled, action))  # the call gap has passed
                window.act(action)
                dialog = window.dialog
                assert dialog is not None
                if isinstance(dialog, TransferDialog):
                    dialog.to_counter.setChecked(True)
                    dialog.counter_box.setCurrentIndex(dialog.counter_box.findData(22))
                if isinstance(dialog, NoShowDialog):
                    wait_for(partial(has_rows, dialog.tickets))
                dialog.adjustSize()
                shot(name, dialog)
                dialog.reject()
                wait_for(lambda: window.dialog is None)
            # A refusal from the server, in the clerk's language.
            wait_for(lambda: model.enabled("call"))
            window.act("call")
            assert isinstance(window.dialog, CallDialog)
            window.dialog.number_edit.setText("X999")
            window.dialog.accept()
            wait_for(lambda: model.notice is not None and model.notice.level == "error")
            shot("counter_refused")
            window.close()
        finally:
            stop()
    print(f"saved {', '.join(saved)} in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
