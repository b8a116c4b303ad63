"""Screenshots of every kiosk screen for the documentation: `python -m tools.kiosk_screenshots`.

Starts a hall server with the sample catalog on a loopback port in a temporary folder,
takes a few tickets so the waiting counts are real, then drives one kiosk (preview
printer) through start → matters (and a search) → confirmation → staff PIN, and the
paper-out notice, at 1920×1080 and 1080×1920 and saves `kiosk_<screen>_<w>x<h>.png` plus
the printed ticket `ticket_preview_80mm.png`. Run it under a display with CJK fonts, e.g.
`xvfb-run -a -s "-screen 0 1920x1920x24" python -m tools.kiosk_screenshots`.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication

    from shared.config.hall import HallConfig

SIZES = ((1920, 1080), (1080, 1920))
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


class _Server:
    """The hall server on 127.0.0.1 in a thread of its own, for as long as the screenshots take."""

    def __init__(self, db: Path, config: HallConfig) -> None:
        self.db, self.config = db, config
        self.port = 0
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)

    async def _main(self) -> None:
        from shared.server.asyncio_server import HallServer
        from shared.server.service import HallService
        from shared.server.store import HallStore

        store = HallStore(self.db)
        server = HallServer(HallService(store, self.config), None)
        _, self.port = await server.start("127.0.0.1", 0)
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        self._ready.set()
        await self._stop.wait()
        await server.close()
        store.close()

    def start(self) -> _Server:
        self._thread.start()
        if not self._ready.wait(30):
            raise RuntimeError("the hall server did not start within 30 s")
        return self

    def stop(self) -> None:
        if self._loop and self._stop:
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(30)


def _take_tickets(port: int) -> None:
    """A morning's queue: a few residents waiting in several departments."""
    from shared.client.connection import BlockingHallClient, new_req

    with BlockingHallClient("127.0.0.1", port, "kiosk", "kiosk-lobby") as kiosk:
        services = kiosk.call_all("catalog")["services"]
        by_category: dict[str, list[str]] = {}
        for service in services:
            by_category.setdefault(service["category"], []).append(service["code"])
        for count, codes in zip((7, 3, 5, 2, 4, 1, 6, 0, 2), by_category.values(), strict=False):
            for index in range(count):
                ticket = kiosk.call("issue", service=codes[index % len(codes)], req=new_req())
                kiosk.call("printed", ticket=ticket["ticket"]["id"])


def _wait_until(
    app: QCoreApplication, condition: Callable[[], bool], what: str, timeout: float = 20
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        app.processEvents()
        time.sleep(0.01)


def _shoot(
    app: QCoreApplication,
    port: int,
    config: HallConfig,
    work: Path,
    out: Path,
    size: tuple[int, int],
) -> list[Path]:
    """One kiosk window of `size` through start → matters → confirmation."""
    from queue_kiosk.app import Kiosk
    from queue_kiosk.model import Screen
    from queue_kiosk.printing import open_printer

    width, height = size
    kiosk = Kiosk(
        "127.0.0.1",
        port,
        printer=open_printer("preview"),
        config=config,
        client_name=f"kiosk-{width}x{height}",
        priority="pin",
        preview_dir=work,
    )
    window, model = kiosk.window, kiosk.model
    window.resize(width, height)
    window.show()
    kiosk.start()
    saved: list[Path] = []

    def shot(screen: str) -> None:
        app.processEvents()
        path = out / f"kiosk_{screen}_{width}x{height}.png"
        window.grab().save(str(path))
        saved.append(path)

    try:
        _wait_until(app, lambda: model.online and bool(model.categories), "the catalog")
        shot("start")
        model.select_category(model.categories[0].code)
        shot("matters")
        model.set_search("shbzk")
        shot("search")
        model.set_search("")
        model.select_matter(model.page_matters()[1].code)
        _wait_until(app, lambda: model.screen is Screen.CONFIRMATION, "the ticket")
        shot("confirmation")
        preview = model.confirmation.preview_path if model.confirmation else None
        if preview and width > height:
            target = out / "ticket_preview_80mm.png"
            shutil.copyfile(preview, target)
            saved.append(target)
        model.return_to_start()
        model.open_priority()
        model.pin_digit("1")
        model.pin_digit("2")
        shot("pin")
        # A priority ticket with the preview: the window stays within its screen.
        settled = time.monotonic() + 2.0  # a touch right after a ticket counts as the same one
        _wait_until(app, lambda: time.monotonic() >= settled, "a pause")
        model.pin_clear()
        for digit in "2580":
            model.pin_digit(digit)
        model.pin_submit()
        model.select_category(model.categories[0].code)
        model.select_matter(model.page_matters()[0].code)
        _wait_until(app, lambda: model.screen is Screen.CONFIRMATION, "the priority ticket")
        shot("priority_confirmation")
    finally:
        kiosk.close()
    return saved


def _shoot_paper_out(
    app: QCoreApplication, port: int, config: HallConfig, out: Path, size: tuple[int, int]
) -> Path:
    """The notice a resident sees when the printer has run out of paper."""
    from queue_kiosk.app import Kiosk
    from queue_kiosk.model import Screen
    from queue_kiosk.printing import open_printer
    from queue_kiosk.printing.fake import FakeNetworkPrinter

    width, height = size
    with FakeNetworkPrinter(paper="out") as fake:
        kiosk = Kiosk(
            "127.0.0.1",
            port,
            printer=open_printer(fake.spec, timeout=1.0),
            config=config,
            client_name=f"kiosk-paper-{width}x{height}",
        )
        model = kiosk.model
        try:
            kiosk.window.resize(width, height)
            kiosk.window.show()
            kiosk.start()
            _wait_until(app, lambda: model.online and bool(model.categories), "the catalog")
            model.select_category(model.categories[0].code)
            model.select_matter(model.page_matters()[0].code)
            _wait_until(app, lambda: model.screen is Screen.NOTICE, "the paper-out notice")
            app.processEvents()
            path = out / f"kiosk_paper_out_{width}x{height}.png"
            kiosk.window.grab().save(str(path))
        finally:
            kiosk.close()
    return path


def _shoot_closed(app: QCoreApplication, out: Path, work: Path, size: tuple[int, int]) -> Path:
    """The start screen outside issuing hours."""
    import datetime

    from queue_kiosk.app import Kiosk
    from queue_kiosk.printing import open_printer
    from shared.config.hall import default_config

    width, height = size
    config = replace(
        default_config(),
        key=None,
        open_weekdays=(),
        open_time=datetime.time(8, 30),
        close_time=datetime.time(17, 0),
    )
    server = _Server(work / f"closed-{width}.db", config).start()
    try:
        kiosk = Kiosk(
            "127.0.0.1",
            server.port,
            printer=open_printer("preview"),
            config=config,
            client_name=f"kiosk-closed-{width}x{height}",
        )
        try:
            kiosk.window.resize(width, height)
            kiosk.window.show()
            kiosk.start()
            model = kiosk.model
            _wait_until(app, lambda: model.online and bool(model.categories), "the catalog")
            app.processEvents()
            path = out / f"kiosk_closed_{width}x{height}.png"
            kiosk.window.grab().save(str(path))
        finally:
            kiosk.close()
    finally:
        server.stop()
    return path


def _shoot_county(
    app: QCoreApplication, port: int, config: HallConfig, out: Path, size: tuple[int, int]
) -> list[Path]:
    """A county hall: the start screen with 25 departments and an 84-matter department."""
    from queue_kiosk.app import Kiosk
    from queue_kiosk.printing import open_printer

    width, height = size
    kiosk = Kiosk(
        "127.0.0.1",
        port,
        printer=open_printer("none"),
        config=config,
        client_name=f"kiosk-county-{width}x{height}",
    )
    window, model = kiosk.window, kiosk.model
    window.resize(width, height)
    window.show()
    kiosk.start()
    saved = []
    try:
        _wait_until(app, lambda: model.online and len(model.matters) >= 1500, "the catalog")

        def county_matters() -> None:
            model.select_category("hrss")
            for _ in range(3):
                model.next_page()

        steps: tuple[tuple[str, Callable[[], None]], ...] = (
            ("start", lambda: None),
            ("matters", county_matters),
        )
        for name, action in steps:
            action()
            app.processEvents()
            path = out / f"kiosk_county_{name}_{width}x{height}.png"
            window.grab().save(str(path))
            saved.append(path)
    finally:
        kiosk.close()
    return saved


def take_county_screenshots(out: Path) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from shared.admin.county import demo_config
    from shared.qt.i18n import install_translations

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_translations(app, "zh_CN")
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="kiosk-shots-") as folder:
        config = replace(
            demo_config("county"),
            key=None,
            open_time=None,
            close_time=None,
            issue_burst=1_000_000,  # the morning's queue is taken in a moment
            issues_per_minute=1_000_000,
        )
        server = _Server(Path(folder) / "hall.db", config).start()
        try:
            _take_tickets(server.port)
            for size in SIZES:
                saved += _shoot_county(app, server.port, config, out, size)
        finally:
            server.stop()
    return saved


def take_screenshots(out: Path) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from shared.config.hall import default_config
    from shared.qt.i18n import install_translations

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_translations(app, "zh_CN")
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="kiosk-shots-") as folder:
        work = Path(folder)
        # One kiosk takes every screen's ticket in a few seconds: no issuing limit here.
        config = replace(
            default_config(),
            key=None,
            open_time=None,
            close_time=None,
            priority_pin="2580",
            issue_burst=1_000_000,
            issues_per_minute=1_000_000,
        )
        server = _Server(work / "hall.db", config).start()
        try:
            _take_tickets(server.port)
            for size in SIZES:
                saved += _shoot(app, server.port, config, work, out, size)
                saved.append(_shoot_paper_out(app, server.port, config, out, size))
                saved.append(_shoot_closed(app, out, work, size))
        finally:
            server.stop()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to save the PNGs")
    parser.add_argument(
        "--catalog", choices=["sample", "county"], default="sample", help="the hall to show"
    )
    args = parser.parse_args(argv)
    take = take_county_screenshots if args.catalog == "county" else take_screenshots
    for path in take(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
