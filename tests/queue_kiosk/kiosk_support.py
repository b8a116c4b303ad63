"""What the kiosk view-model tests share: the model over a blocking hall client and a printer,
a clock the test turns, and reads of the hall database."""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import closing
from dataclasses import replace
from typing import Any

from queue_kiosk.model import InlineRunner, KioskModel, Matter, Screen
from queue_kiosk.printing import TicketSlip, open_printer, render_ticket
from shared.client.connection import Reply
from shared.config.hall import default_config


class BlockingHall:
    """The model's hall port over the plain blocking client: every reply comes at once."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.held: list[tuple[str, dict[str, Any], Any]] = []
        self.hold_ops: set[str] = set()

    def request(self, op: str, params: dict[str, Any] | None = None, callback: Any = None) -> int:
        params = dict(params or {})
        if op == "issue":
            params.setdefault("req", uuid.uuid4().hex)
        self.sent.append((op, params))
        if op in self.hold_ops:
            self.held.append((op, params, callback))
            return 0
        self._answer(op, params, callback)
        return 0

    def _answer(self, op: str, params: dict[str, Any], callback: Any) -> None:
        frame = self.client.send(op, **params)
        if frame.get("ok"):
            reply = Reply(True, frame["result"])
        else:
            reply = Reply.from_frame(frame)
        if callback:
            callback(reply)

    def release(self) -> None:
        held, self.held = self.held, []
        for op, params, callback in held:
            self._answer(op, params, callback)

    def ops(self, name: str) -> list[dict[str, Any]]:
        return [params for op, params in self.sent if op == name]


class DeferredRunner:
    """Keeps printer jobs until the test lets them run, like a worker thread that is slow."""

    def __init__(self) -> None:
        self.jobs: list[tuple[Any, Any]] = []

    def run(self, job: Any, done: Any) -> None:
        self.jobs.append((job, done))

    def run_all(self) -> None:
        while self.jobs:
            job, done = self.jobs.pop(0)
            InlineRunner().run(job, done)


def kiosk_config(**changes: Any):
    """The test hall (as tests/conftest.py makes it) with some settings changed."""
    base = replace(
        default_config(), key=None, timezone="Asia/Shanghai", open_time=None, close_time=None
    )
    return replace(base, **changes)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_model(
    hall_server, printer_spec, clock, runner=None, online=True, **options
) -> tuple[KioskModel, BlockingHall]:
    hall = BlockingHall(hall_server.client("kiosk", "kiosk-test"))
    printer = open_printer(printer_spec, timeout=1.0)
    model = KioskModel(
        hall,
        printer,
        runner or InlineRunner(),
        render_ticket,
        TicketSlip,
        hall_name="测试大厅",
        ticket_notice="过号请重新取号",
        clock=clock,
        reads_status=printer.spec.kind in ("usb", "serial", "network"),
        **options,
    )
    if online:
        model.set_online(True)
    return model, hall


def first_open_matter(model: KioskModel) -> Matter:
    return next(m for m in model.matters if m.open)


def open_matter_screen(model: KioskModel, matter: Matter) -> None:
    model.select_category(matter.category)
    assert model.screen is Screen.MATTERS


def server_ticket(hall_server, ticket_id: int) -> dict[str, Any]:
    """The ticket as the hall database holds it (read on a connection of our own)."""
    with closing(sqlite3.connect(hall_server.db)) as db:
        db.row_factory = sqlite3.Row
        row = db.execute("SELECT * FROM tickets WHERE id = ?", (ticket_id,)).fetchone()
    assert row is not None, f"no ticket {ticket_id} in the hall database"
    return dict(row)


def ticket_count(hall_server) -> int:
    with closing(sqlite3.connect(hall_server.db)) as db:
        return db.execute("SELECT count(*) FROM tickets").fetchone()[0]
