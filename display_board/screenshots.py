"""Renders the board's documentation screenshots from a real hall server with a busy morning.

Run under a display with CJK fonts, e.g.
    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python -m display_board.screenshots
It starts a hall server on 127.0.0.1 (a temporary database), drives kiosks and counters
through the protocol until the hall looks like a busy morning, binds a board to it, and
saves docs/screenshots/board_1920x1080.png and board_1080x1920.png.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from shared.client.connection import BlockingHallClient
from shared.config.hall import ClerkConfig, HallConfig, default_config
from shared.server.asyncio_server import HallServer
from shared.server.service import HallService
from shared.server.store import HallStore

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT_DIR = ROOT / "docs" / "screenshots"
SIZES = ((1920, 1080), (1080, 1920))
# (service, how many tickets): a morning where social insurance and tax are busiest.
MORNING_TICKETS = (
    ("pension_enrol", 14),
    ("ss_card_apply", 9),
    ("med_enrol", 8),
    ("dibao_apply", 4),
    ("invoice_issue", 11),
    ("re_transfer", 6),
    ("planning_permit", 3),
    ("sole_trader_register", 7),
    ("id_card_apply", 5),
    ("farmland_subsidy", 4),
)


@contextmanager
def hall_server_thread(db_path: Path, config: HallConfig) -> Iterator[tuple[str, int]]:
    """A real hall server on 127.0.0.1 (ephemeral port) in a thread; yields (host, port)."""
    ready = threading.Event()
    state: dict[str, object] = {}

    def run() -> None:
        async def main() -> None:
            store = HallStore(db_path)
            server = HallServer(HallService(store, config), config.key)
            _, state["port"] = await server.start("127.0.0.1", 0)
            stop = asyncio.Event()
            state["loop"], state["stop"] = asyncio.get_running_loop(), stop
            ready.set()
            await stop.wait()
            await server.close()
            store.close()

        try:
            asyncio.run(main())
        except BaseException as exc:
            state["error"] = exc
            ready.set()

    thread = threading.Thread(target=run, name="hall-server", daemon=True)
    thread.start()
    ready.wait(30)
    if "error" in state:
        raise RuntimeError(f"hall server did not start: {state['error']}")
    try:
        yield "127.0.0.1", int(state["port"])  # type: ignore[call-overload]
    finally:
        loop, stop = state["loop"], state["stop"]
        loop.call_soon_threadsafe(stop.set)  # type: ignore[attr-defined]
        thread.join(30)


# One clerk per counter: a clerk logged in at a second counter leaves the first.
CLERKS = tuple((f"20{n:02d}", "1234") for n in range(24))


def known_services(admin: BlockingHallClient) -> set[str]:
    return {service["code"] for service in admin.call_all("catalog")["services"]}


def busy_morning(host: str, port: int) -> None:
    """Issue tickets, open 20 counters, call, serve, pause and recall like a busy morning."""
    with BlockingHallClient(host, port, "admin", "screenshot-admin") as admin:
        services = known_services(admin)
        for service, count in MORNING_TICKETS:
            if service not in services:
                service = sorted(services)[0]
            for _ in range(count):
                ticket = admin.call("issue", service=service, req=uuid.uuid4().hex)["ticket"]
                admin.call("printed", ticket=ticket["id"])
    clerks = CLERKS
    counters = []
    for number in range(1, 21):
        clerk, pin = clerks[number % len(clerks)]
        client = BlockingHallClient(host, port, "counter", f"counter-{number}", counter=number)
        client.call("login", clerk=clerk, pin=pin)
        counters.append(client)
    try:
        for number in (17, 18):
            counters[number - 1].call("pause", reason="break")
        callers = [c for n, c in enumerate(counters, 1) if n not in (17, 18)]
        for client in callers:  # a first round, most now serving
            client.call("call_next", req=uuid.uuid4().hex)
        for client in callers[:12]:
            client.call("start")
        for client in callers[:8]:  # a second round: the newest calls
            client.call("call_next", req=uuid.uuid4().hex)
        callers[3].call("recall")
        with BlockingHallClient(host, port, "kiosk", "kiosk-2") as kiosk:
            kiosk.call("kiosk_status", printer="near_end", message="paper low")
    finally:
        for client in counters:
            client.close()


def county_morning(host: str, port: int, counters: int) -> None:
    """A county hall: tickets in every department, most counters calling or serving."""
    with BlockingHallClient(host, port, "admin", "screenshot-admin") as admin:
        services = admin.call_all("catalog")["services"]
        for index in range(160):
            code = services[(index * 97) % len(services)]["code"]
            ticket = admin.call("issue", service=code, req=uuid.uuid4().hex)["ticket"]
            admin.call("printed", ticket=ticket["id"])
    for number in range(1, counters + 1):
        if number % 7 == 0:
            continue  # a few counters closed
        with BlockingHallClient(host, port, "counter", f"c-{number}", counter=number) as client:
            client.call("login", clerk="1001", pin="1234")
            client.call("call_next", req=uuid.uuid4().hex)
            if number % 3:
                client.call("start")


def county_shots(out_dir: Path, lang: str) -> None:
    """Boards of a county hall: 20+ departments and 60 counters, all or 25-60."""
    from PySide6.QtWidgets import QApplication

    from shared.admin.county import demo_config
    from shared.config.hall import Catalog, parse_counter_range
    from shared.qt.i18n import install_translations

    app = QApplication.instance() or QApplication([])
    install_translations(app, lang)
    county = replace(demo_config("county"), key=None, open_time=None, close_time=None, call_gap_s=0)
    twenty = county.catalog.categories[:20]
    codes = {category.code for category in twenty}
    small = Catalog(twenty, tuple(s for s in county.catalog.services if s.category in codes))
    for label, config, boards in (
        ("county", county, (("all", None), ("25-60", parse_counter_range("25-60")))),
        ("20_departments", replace(county, catalog=small), (("all", None),)),
    ):
        _county_boards(app, out_dir, label, config, boards)


def _county_boards(app: Any, out_dir: Path, label: str, config: HallConfig, boards: Any) -> None:
    from PySide6.QtCore import QDeadlineTimer, QEventLoop

    from display_board.app import build_board

    with (
        tempfile.TemporaryDirectory() as tmp,
        hall_server_thread(Path(tmp) / "hall.db", config) as (host, port),
    ):
        county_morning(host, port, 60)
        for name, counters in boards:
            board = build_board(host, port, config=config, counters=counters)
            board.resize(*SIZES[0])
            board.show()
            deadline = QDeadlineTimer(20000)
            while (
                not (board.model.latest and board.model.departments) and not deadline.hasExpired()
            ):
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            for width, height in SIZES:
                board.resize(width, height)
                settled = QDeadlineTimer(5000)
                while board.size().toTuple() != (width, height) and not settled.hasExpired():
                    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
                    board.resize(width, height)
                for _ in range(20):
                    app.processEvents()
                board.headline.set_flash(False)
                suffix = f"_{name}" if label == "county" else ""
                path = out_dir / f"board_{label}{suffix}_{width}x{height}.png"
                board.grab().save(str(path))
                print(path)
            board.connection.stop()
            board.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DEFAULT_OUT_DIR), help="folder for the PNG files")
    parser.add_argument("--lang", default="zh_CN", help="interface language (zh_CN or en)")
    parser.add_argument(
        "--catalog", choices=["sample", "county"], default="sample", help="the hall to show"
    )
    args = parser.parse_args(argv)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    if args.catalog == "county":
        county_shots(out_dir, args.lang)
        return 0

    from PySide6.QtCore import QDeadlineTimer, QEventLoop
    from PySide6.QtWidgets import QApplication

    from display_board.app import build_board
    from shared.qt.i18n import install_translations

    app = QApplication.instance() or QApplication([])
    install_translations(app, args.lang)
    base = default_config()
    counters = tuple(
        replace(c, name=f"{c.number}号窗口（不动产）") if c.number in (19, 20) else c
        for c in base.counters
    )
    config = replace(
        base,
        key=None,
        open_time=None,
        close_time=None,
        counters=counters,
        kiosk_names=(("kiosk-2", "东门取号机"),),
        call_gap_s=0,  # a morning's calls made in a second
        clerks=tuple(ClerkConfig(clerk, f"柜员{clerk[2:]}", pin) for clerk, pin in CLERKS),
    )
    with (
        tempfile.TemporaryDirectory() as tmp,
        hall_server_thread(Path(tmp) / "hall.db", config) as (host, port),
    ):
        busy_morning(host, port)
        board = build_board(host, port, config=config)
        board.resize(*SIZES[0])
        board.show()
        deadline = QDeadlineTimer(20000)
        while not (board.model.latest and board.model.departments) and not deadline.hasExpired():
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if board.model.latest is None:
            raise SystemExit("the board did not receive the hall state from the server")
        for width, height in SIZES:
            board.resize(width, height)
            for _ in range(20):
                app.processEvents()
            board.headline.set_flash(False)  # the steady look, not mid-blink
            path = out_dir / f"board_{width}x{height}.png"
            if not board.grab().save(str(path)):
                raise SystemExit(f"could not write {path}")
            print(path)
        # The counter of the latest call finishes that ticket and pauses: the headline must
        # not keep sending residents there.
        latest = board.model.latest
        with BlockingHallClient(
            host, port, "counter", f"counter-{latest.counter}", counter=latest.counter
        ) as counter:
            counter.call("login", clerk=CLERKS[latest.counter % len(CLERKS)][0],
                         pin=CLERKS[latest.counter % len(CLERKS)][1])  # fmt: skip
            counter.call("finish")
            counter.call("pause", reason="break")
        board.connection.stop()
        board.close()
        # A fresh board (a portrait layout's minimum height would hold the old one taller).
        board = build_board(host, port, config=config)
        board.resize(*SIZES[0])
        board.show()
        deadline = QDeadlineTimer(10000)
        while (
            latest.counter not in board.model.counters
            or board.model.counters[latest.counter].state != "paused"
            or not board.model.departments
        ):
            if deadline.hasExpired():
                raise SystemExit("the board did not see the counter pause")
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        for width, height in SIZES[:1]:
            board.resize(width, height)
            for _ in range(20):
                app.processEvents()
            board.headline.set_flash(False)
            path = out_dir / f"board_paused_after_call_{width}x{height}.png"
            if not board.grab().save(str(path)):
                raise SystemExit(f"could not write {path}")
            print(path)
        board.connection.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
