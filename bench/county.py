"""A county hall's figures: `python -m bench.county` (offscreen Qt) prints one JSON object.

A real server (`queue-hall serve`, a subprocess) on a county hall: 1,500 matters in 25
departments, 60 counters with long service lists, 150 kiosk reports. Measured:
- the kiosk's catalog load (every page, into the kiosk's model), median of 5;
- the time to the first result of a 3-letter pinyin search over the 1,500 matters;
- the board's frame with 20 departments and 60 counters (an event applied and drawn);
- the largest frame any op produced (catalog and snapshot pages, issue, queue, events ...).
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.crashloop import free_port, start_server
from shared.admin.county import county_catalog, demo_config
from shared.client.connection import BlockingHallClient, Reply, SizedFrameDecoder
from shared.protocol.client_hello import build_hello
from shared.server.service import HallService
from shared.server.store import HallStore

KIOSK_REPORTS = 150


class Port:
    """The kiosk model's hall port over a blocking client."""

    def __init__(self, client: BlockingHallClient) -> None:
        self.client = client

    def request(self, op: str, params: dict[str, Any] | None = None, callback: Any = None) -> int:
        frame = self.client.send(op, **dict(params or {}))
        if callback:
            callback(Reply.from_frame(frame))
        return 0

    def login(self, clerk: str, pin: str, callback: Any = None) -> None:
        raise NotImplementedError("a kiosk never logs a clerk in")

    def logout(self, callback: Any = None) -> None:
        raise NotImplementedError("a kiosk never logs a clerk in")

    def resync(self) -> None:
        raise NotImplementedError("the measured kiosk reads the catalog only")


def measured(
    port: int,
    role: str,
    name: str,
    decoders: list[SizedFrameDecoder],
    counter: int | None = None,
):
    client = BlockingHallClient("127.0.0.1", port, role, name, counter=counter, hello=False)
    client.decoder = decoder = SizedFrameDecoder()
    decoders.append(decoder)
    client.call("hello", **build_hello(client.welcome, role, name, counter=counter))
    return client


def prepare(folder: Path) -> Path:
    config = replace(demo_config("county"), open_time=None, close_time=None)
    catalog = county_catalog()
    codes = [s.code for s in catalog.services]
    db = folder / "county.db"
    service = HallService(HallStore(db), config)
    with service.store.transaction() as conn:  # long service lists, as a county's counters have
        for number in range(1, 61):
            start = (number * 37) % len(codes)
            chosen = (codes * 2)[start : start + 600]
            conn.execute(
                "UPDATE counters SET services = ? WHERE number = ?", (json.dumps(chosen), number)
            )
    service.store.close()
    return db


def traffic(port: int, decoders: list[SizedFrameDecoder]) -> None:
    catalog = county_catalog()
    # 400 tickets from 40 issuing clients: each takes its burst of 10 (the demo settings'
    # issuing limit), as 40 kiosks would.
    for first in range(0, 400, 10):
        with measured(port, "admin", f"bench-admin-{first // 10}", decoders) as admin:
            posted = [
                admin.post(
                    "issue", service=catalog.services[(i * 37) % 1500].code, req=uuid.uuid4().hex
                )
                for i in range(first, first + 10)
            ]
            ids = [admin.reply(rid)["result"]["ticket"]["id"] for rid in posted]
            for rid in [admin.post("printed", ticket=ticket) for ticket in ids]:
                admin.reply(rid)
            admin.call("server_stats")
    for index in range(KIOSK_REPORTS):
        with measured(port, "kiosk", f"kiosk-{index:03d}-" + "大" * 50, decoders) as kiosk:
            kiosk.call("kiosk_status", printer="near_end", message="纸卷将尽，请更换" * 20)
    with measured(port, "display", "bench-board", decoders) as board:
        for number in range(1, 61):
            with measured(port, "counter", f"c-{number}", decoders, counter=number) as counter:
                counter.call("login", clerk="1001", pin="1234")
                counter.call("call_next", req=uuid.uuid4().hex)
                counter.call("queue")
                counter.call("clerk_stats")
            board.call("ping")  # read the events as a board does
        board.call_all("snapshot")
        board.call_all("catalog")


def kiosk_figures(port: int, decoders: list[SizedFrameDecoder]) -> dict[str, Any]:
    from queue_kiosk.model import InlineRunner, KioskModel
    from queue_kiosk.printing import TicketSlip, open_printer, render_ticket

    loads = []
    model = None
    for round_ in range(5):
        client = measured(port, "kiosk", f"bench-kiosk-{round_}", decoders)
        model = KioskModel(
            Port(client),
            open_printer("none"),
            InlineRunner(),
            render_ticket,
            TicketSlip,
            reads_status=False,
        )
        started = time.perf_counter()
        model.set_online(True)  # reads every page of the catalog into the model
        loads.append(time.perf_counter() - started)
        assert len(model.matters) == 1500, len(model.matters)
        client.close()
    assert model is not None
    searches = []
    for text in ("ylb", "sbk", "hjq", "yyz", "gjj"):
        model.open_search()
        started = time.perf_counter()
        model.set_search(text)
        first = model.visible_matters()[:1]
        searches.append(time.perf_counter() - started)
        del first
    return {
        "county_kiosk_catalog_load_ms": round(statistics.median(loads) * 1000, 1),
        "county_search_first_result_ms": round(max(searches) * 1000, 2),
    }


def board_figures(port: int) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    from display_board.views.board import DisplayBoard
    from shared.client.connection import BlockingHallClient as Client

    app = QApplication.instance() or QApplication([])
    with Client("127.0.0.1", port, "display", "bench-board-frames") as client:
        snapshot = client.call_all("snapshot")
        catalog = client.call_all("catalog")
    catalog["categories"] = catalog["categories"][:20]  # a hall of 20 departments
    board = DisplayBoard(notice="请留意叫号，过号请重新取号")
    board.apply_snapshot(snapshot)
    board.apply_catalog(catalog)
    board.resize(1920, 1080)
    board.show()
    app.processEvents()
    frames = []
    seq = snapshot["seq"]
    for index in range(60):
        counter = index % 60 + 1
        seq += 1
        data = {
            "ticket": {"id": 90_000 + index, "number": f"A{900 + index}", "service": "x",
                       "category": "hrss", "priority": False, "state": "called",
                       "issued_at": "2026-11-26T09:00:00+08:00",
                       "called_at": "2026-11-26T09:30:00+08:00", "counter": counter,
                       "calls": 1},
            "counter": counter,
            "recall": False,
        }  # fmt: skip
        started = time.perf_counter()
        board.handle_event("ticket_called", seq, data)
        board.grab()  # the whole frame drawn
        frames.append(time.perf_counter() - started)
    return {
        "county_board_frame_ms_p50": round(statistics.median(frames) * 1000, 1),
        "county_board_frame_ms_max": round(max(frames) * 1000, 1),
        "county_board_departments": sum(1 for c in board.department_cells if c.isVisible()),
    }


def main() -> None:
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="hall-county-") as tmp:
        db = prepare(Path(tmp))
        port = free_port()
        proc = start_server(db, port)
        decoders: list[SizedFrameDecoder] = []
        try:
            traffic(port, decoders)
            figures.update(kiosk_figures(port, decoders))
            figures.update(board_figures(port))
        finally:
            proc.terminate()
            proc.wait(30)
        figures["county_largest_frame_bytes"] = max(max(d.sizes, default=0) for d in decoders)
        figures["county_frames_measured"] = sum(len(d.sizes) for d in decoders)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
