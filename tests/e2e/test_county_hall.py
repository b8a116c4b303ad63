"""A county hall at the bounds: 25 departments, 1,500 matters with the longest, widest names,
99 counters, 150 kiosks. Imported through the real `queue-hall` command, served by a real
server, every frame of every op measured, and the kiosk, counter and board models checked to
hold every department and matter."""

from __future__ import annotations

import contextlib
import io
import sqlite3
import subprocess
import sys
import uuid
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from counter_client.model import CounterModel
from display_board.model import BoardModel
from queue_kiosk.model import InlineRunner, KioskModel
from queue_kiosk.printing import TicketSlip, open_printer, render_ticket
from shared.admin.county import WIDE_CHAR, county_catalog, county_csv
from shared.cli.main import main
from shared.client.connection import BlockingHallClient, Reply, SizedFrameDecoder
from shared.config.hall import ClerkConfig, load_config
from shared.domain import limits
from shared.protocol.codec import MAX_FRAME

COUNTERS = limits.MAX_COUNTERS
KIOSKS = 150
TICKETS = 450
WIDE = WIDE_CHAR  # four bytes of UTF-8 each
CLERK = "c" + "x" * 31


def wide(limit: int) -> str:
    return WIDE * limit


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """`queue-hall` as a real subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "shared.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def hall_file(folder: Path) -> Path:
    lines = [
        "[hall]",
        f'name = "{wide(limits.MAX_HALL_NAME)}"',
        'timezone = "Asia/Shanghai"',
        "",
        "[calls]",
        "min_gap_s = 0  # this test calls at one counter several times a second",
        "",
    ]
    for number in range(1, COUNTERS + 1):
        lines += ["[[counters]]", f"number = {number}", f'name = "{wide(limits.MAX_COUNTER_NAME)}"']
    # The catalog the hall starts with; the county catalog is then imported over it.
    (folder / "start.toml").write_text(
        '[[categories]]\ncode = "start"\nprefix = "ZZ"\nname = "开办"\n\n'
        '[[services]]\ncode = "start_1"\nname = "开办"\ncategory = "start"\n',
        encoding="utf-8",
    )
    lines.insert(0, 'catalog = "start.toml"')
    path = folder / "county.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class Measured:
    """Every client of the test, each reading through a SizedFrameDecoder."""

    def __init__(self, server: Any) -> None:
        self.server = server
        self.decoders: list[SizedFrameDecoder] = []

    def client(self, role: str, name: str, **kwargs: Any) -> BlockingHallClient:
        client = BlockingHallClient(
            self.server.host, self.server.port, role, name, hello=False, **kwargs
        )
        client.decoder = decoder = SizedFrameDecoder()
        self.decoders.append(decoder)
        params = {"proto": 1, "role": role, "client": name}
        if "counter" in kwargs:
            params["counter"] = kwargs["counter"]
        client.call("hello", **params)
        return client

    def largest(self) -> int:
        return max(max(d.sizes, default=0) for d in self.decoders)

    def count(self) -> int:
        return sum(len(d.sizes) for d in self.decoders)


class Port:
    """The models' hall port over a blocking client: every reply comes at once."""

    def __init__(self, client: BlockingHallClient) -> None:
        self.client = client

    def request(self, op: str, params: dict[str, Any] | None = None, callback: Any = None) -> int:
        frame = self.client.send(op, **dict(params or {}))
        if callback:
            callback(Reply.from_frame(frame))
        return 0


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory, start_server: Any) -> Any:
    folder = tmp_path_factory.mktemp("county")
    hall = hall_file(folder)
    db = folder / "hall.db"
    csv_file = folder / "county.csv"
    csv_file.write_text(county_csv(widest=True), encoding="utf-8-sig")
    made = cli("init", "--config", str(hall), "--db", str(db))
    assert made.returncode == 0, made.stderr
    imported = cli("catalog", "import", "--config", str(hall), "--db", str(db), str(csv_file))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    catalog = county_catalog(widest=True)
    departments = [c.code for c in catalog.categories]
    # 16 departments: 969 matters of the widest codes, near the 1,000 a counter may name;
    # every counter the same (copied in one go: the command costs a commit per counter).
    args = ["counter", "set-services", "--db", str(db), "1", ",".join(departments[:16])]
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(args) == 0
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute(
            "UPDATE counters SET services = (SELECT services FROM counters WHERE number = 1)"
        )
    checked = cli("check", "--config", str(hall), "--db", str(db))
    assert "matters; at most" not in checked.stdout + checked.stderr
    assert "departments with matters" not in checked.stdout + checked.stderr
    # The clerk is added by the server itself (test PIN hashes are cheap); one clerk with the
    # longest id and name logs in at every counter in turn, each counter keeping its ticket.
    # One admin tool issues every ticket at once: no issuing limit for it here.
    config = replace(
        load_config(hall, env={}),
        clerks=(ClerkConfig(CLERK, wide(limits.MAX_CLERK_NAME), "1234"),),
        issue_burst=1_000_000,
        issues_per_minute=1_000_000,
    )
    server = start_server(db, config)
    yield server, catalog
    server.stop()


def test_every_frame_of_every_op_fits_at_the_bounds(county) -> None:
    server, catalog = county
    hall = Measured(server)
    board = hall.client("display", "board-1")

    # An old client's plain `catalog`: a valid first page that says there is more.
    first = board.call("catalog")
    assert first["total"] == len(catalog.services) == 1500
    assert isinstance(first["next"], str) and 0 < len(first["services"]) < 1500
    assert len(first["categories"]) == 25 and first["version"]
    whole = board.call_all("catalog")
    assert [s["code"] for s in whole["services"]] == [s.code for s in catalog.services]
    assert whole["version"] == first["version"]
    assert board.call("catalog", limit=7)["services"] == first["services"][:7]

    admin = hall.client("admin", "admin-1")
    # Requests are sent without waiting for each reply: the server commits them in batches.
    issued = [
        admin.post("issue", service=catalog.services[(i * 37) % 1500].code, req=uuid.uuid4().hex)
        for i in range(TICKETS)
    ]
    tickets = [admin.reply(rid)["result"]["ticket"]["id"] for rid in issued]
    for rid in [admin.post("printed", ticket=ticket) for ticket in tickets]:
        assert admin.reply(rid)["ok"]
    board.call("ping")  # read the events, as a live board does

    kiosks = [  # the longest names and messages a kiosk may send
        hall.client("kiosk", f"{index:03d}" + wide(limits.MAX_CLIENT_NAME - 3))
        for index in range(KIOSKS)
    ]
    posted = [
        (k, k.post("kiosk_status", printer="near_end", message=wide(limits.MAX_KIOSK_MESSAGE)))
        for k in kiosks
    ]
    for kiosk, rid in posted:
        assert kiosk.reply(rid)["ok"]
        kiosk.close()
    board.call("ping")

    counters = []  # a few counters holding a ticket, the clerk last at counter 1
    held = {}
    for number in (COUNTERS, 50, 3, 2, 1):
        counter = hall.client("counter", f"c-{number}", counter=number)
        counter.call("login", clerk=CLERK, pin="1234")
        held[number] = counter.call("call_next", req=uuid.uuid4().hex)["ticket"]
        assert held[number]
        counters.insert(0, counter)
        board.call("ping")
    busy = counters[0]
    queue = busy.call("queue")
    assert queue["total"] > len(queue["tickets"]) > 0  # cut to fit a page
    busy.call("clerk_stats")
    busy.call("recall")
    busy.call("transfer", service=catalog.services[5].code, req=uuid.uuid4().hex)
    busy.call("call_next", req=uuid.uuid4().hex)
    busy.call("start")
    busy.call("finish")
    busy.call("rate", ticket=held[1]["id"], level="satisfied")
    busy.call("pause", reason=wide(200))
    busy.call("resume")
    busy.call("pause", reason=wide(200))
    third = counters[2]  # counter 3: a no-show, reactivated, then called out of turn
    third.call("no_show")
    third.call("reactivate", ticket=held[3]["id"])
    third.call("call", ticket=held[3]["number"], req=uuid.uuid4().hex)
    failed = admin.call("issue", service=catalog.services[-1].code, req=uuid.uuid4().hex)
    admin.call("print_failed", ticket=failed["ticket"]["id"], reason=wide(200))
    admin.call("server_stats")

    snapshot = board.call("snapshot")
    assert isinstance(snapshot["next"], str)  # too big for one frame: it comes in pages
    joined = board.call_all("snapshot")
    assert [c["number"] for c in joined["counters"]] == list(range(1, COUNTERS + 1))
    assert len(joined["kiosks"]) == limits.MAX_SNAPSHOT_KIOSKS
    named = sum(len(catalog.services_of(c.code)) for c in catalog.categories[:16])
    assert len(joined["counters"][0]["services"]) == named > 950
    while board.events:
        board.events.popleft()
    for client in [*counters, board, admin]:
        client.call("ping")

    assert hall.count() > 1000
    assert hall.largest() <= MAX_FRAME, (
        f"a frame of {hall.largest()} bytes is over the {MAX_FRAME}-byte limit"
    )

    # The models hold every department and matter.
    model = KioskModel(
        Port(hall.client("kiosk", "kiosk-model")),
        open_printer("none", timeout=1.0),
        InlineRunner(),
        render_ticket,
        TicketSlip,
        reads_status=False,
    )
    model.set_online(True)
    assert [c.code for c in model.categories] == [c.code for c in catalog.categories]
    assert [m.code for m in model.matters] == [s.code for s in catalog.services]

    counter_model = CounterModel(2, Port(counters[1]))
    counter_model.on_ready(joined)
    assert len(counter_model.transfer_services()) == 1500
    assert hall.largest() <= MAX_FRAME

    board_model = BoardModel()
    board_model.apply_snapshot(joined)
    assert board_model.apply_catalog(whole)
    assert [d.code for d in board_model.departments] == [c.code for c in catalog.categories]
    assert len(board_model.counters) == COUNTERS
    for client in counters:
        client.close()


def test_counter_finds_a_matter_among_1500_by_typing(county) -> None:
    server, _ = county
    readable = county_catalog()
    with server.client("display", "typing") as client:
        services = [
            {"code": s.code, "name": s.name, "name_en": s.name_en, "pinyin": s.pinyin}
            for s in readable.services
        ]
    model = CounterModel(1, Port(client))
    model.services = {s["code"]: s for s in services}
    target = readable.services[1234]  # 生态环境局's matters, far down the list
    by_initials = model.transfer_services(target.pinyin)
    assert by_initials[0]["code"] == target.code or target.code in [
        s["code"] for s in by_initials[:5]
    ]
    assert len(by_initials) < 20
    by_name = model.transfer_services(target.name)
    assert [s["code"] for s in by_name] == [target.code]
    assert model.transfer_services("zzzz") == []
