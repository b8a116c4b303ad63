"""The kiosk view-model without Qt, against a real hall server and a fake network printer."""

from __future__ import annotations

import itertools
import sqlite3
import uuid
from contextlib import closing
from dataclasses import replace
from typing import Any

import pytest

from queue_kiosk.model import (
    CONFIRMATION_MIN_S,
    CONFIRMATION_S,
    IDLE_S,
    ISSUE_TIMEOUT_S,
    NOTICE_S,
    PIN_ATTEMPTS,
    PRINTER_FAULT_POLL_S,
    PRINTER_POLL_S,
    InlineRunner,
    JobResult,
    KioskModel,
    Matter,
    Phase,
    PriorityMode,
    Problem,
    Screen,
    matches_search,
    printer_state_of,
)
from queue_kiosk.printing import TicketSlip, decode, open_printer, render_ticket
from queue_kiosk.printing.fake import FakeNetworkPrinter
from queue_kiosk.printing.status import make_status
from shared.client.connection import Reply
from shared.config.hall import CounterConfig, default_config, sample_catalog


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


@pytest.fixture
def fake_printer():
    with FakeNetworkPrinter() as fake:
        yield fake


@pytest.fixture
def clock() -> Clock:
    return Clock()


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


def test_touching_a_matter_prints_and_confirms_one_ticket(hall_server, fake_printer, clock):
    model, hall = make_model(hall_server, fake_printer.spec, clock)
    assert model.categories and model.matters
    matter = first_open_matter(model)
    open_matter_screen(model, matter)
    model.select_matter(matter.code)

    assert model.screen is Screen.CONFIRMATION
    shown = model.confirmation
    assert shown is not None and shown.service_name == matter.name
    assert shown.number.endswith("001") and shown.ahead == 0
    issued = hall.ops("issue")
    assert len(issued) == 1 and issued[0]["service"] == matter.code
    [printed] = hall.ops("printed")
    assert server_ticket(hall_server, printed["ticket"])["state"] == "waiting"
    texts = "".join(
        getattr(op, "text", "") for op in decode(fake_printer.received) if hasattr(op, "text")
    )
    assert shown.number in texts


def test_confirmation_returns_to_start_by_itself(hall_server, fake_printer, clock):
    model, _ = make_model(hall_server, fake_printer.spec, clock)
    matter = first_open_matter(model)
    open_matter_screen(model, matter)
    model.select_matter(matter.code)
    clock.now += CONFIRMATION_S - 1
    model.tick()
    assert model.screen is Screen.CONFIRMATION
    clock.now += 1
    model.tick()
    assert model.screen is Screen.START and model.confirmation is None


def test_touch_right_after_the_ticket_does_not_dismiss_the_confirmation(
    hall_server, fake_printer, clock
):
    model, _ = make_model(hall_server, fake_printer.spec, clock)
    matter = first_open_matter(model)
    open_matter_screen(model, matter)
    model.select_matter(matter.code)
    model.dismiss()  # the second touch of a double tap lands on the confirmation
    assert model.screen is Screen.CONFIRMATION
    clock.now += CONFIRMATION_MIN_S
    model.dismiss()
    assert model.screen is Screen.START


def test_idle_matters_screen_returns_to_start(hall_server, fake_printer, clock):
    model, _ = make_model(hall_server, fake_printer.spec, clock)
    open_matter_screen(model, first_open_matter(model))
    clock.now += IDLE_S - 1
    model.tick()
    assert model.screen is Screen.MATTERS
    clock.now += 1
    model.tick()
    assert model.screen is Screen.START


def test_double_and_triple_touch_give_one_ticket(hall_server, fake_printer, clock):
    runner = DeferredRunner()
    model, hall = make_model(hall_server, fake_printer.spec, clock, runner)
    matter = first_open_matter(model)
    open_matter_screen(model, matter)
    for _ in range(3):
        model.select_matter(matter.code)
    assert model.phase is Phase.CHECKING_PRINTER
    runner.run_all()
    model.select_matter(matter.code)  # a late touch lands on the confirmation screen
    runner.run_all()
    assert model.screen is Screen.CONFIRMATION
    assert len(hall.ops("issue")) == 1
    assert len(hall.ops("printed")) == 1
    assert ticket_count(hall_server) == 1


@pytest.mark.parametrize(
    ("fake_state", "problem", "reported"),
    [
        ({"paper": "out"}, Problem.PAPER_OUT, "paper_out"),
        ({"online": False}, Problem.PRINTER_OFFLINE, "offline"),
        ({"cover_open": True}, Problem.PRINTER_ERROR, "error"),
    ],
)
def test_printer_trouble_issues_nothing_and_tells_the_hall(
    hall_server, clock, fake_state, problem, reported
):
    with FakeNetworkPrinter(**fake_state) as fake:
        model, hall = make_model(hall_server, fake.spec, clock)
        matter = first_open_matter(model)
        open_matter_screen(model, matter)
        model.select_matter(matter.code)
    assert model.screen is Screen.NOTICE and model.notice.problem is problem
    assert hall.ops("issue") == []
    assert ticket_count(hall_server) == 0
    [status] = hall.ops("kiosk_status")
    assert status["printer"] == reported and status["message"]
    with hall_server.client("display", "board") as board:
        kiosks = board.call("snapshot")["kiosks"]
    assert [(k["client"], k["printer"]) for k in kiosks] == [("kiosk-test", reported)]


def test_paper_near_end_issues_and_warns_staff(hall_server, clock):
    with FakeNetworkPrinter(paper="near_end") as fake:
        model, hall = make_model(hall_server, fake.spec, clock)
        matter = first_open_matter(model)
        open_matter_screen(model, matter)
        model.select_matter(matter.code)
    assert model.screen is Screen.CONFIRMATION
    assert len(hall.ops("printed")) == 1
    assert [s["printer"] for s in hall.ops("kiosk_status")] == ["near_end"]


def test_printer_refill_clears_the_staff_warning(hall_server, clock):
    with FakeNetworkPrinter(paper="out") as fake:
        model, hall = make_model(hall_server, fake.spec, clock)
        matter = first_open_matter(model)
        open_matter_screen(model, matter)
        model.select_matter(matter.code)
        assert model.printer_blocked
        fake.paper = "ok"
        model.return_to_start()
        open_matter_screen(model, matter)
        model.select_matter(matter.code)
    assert model.screen is Screen.CONFIRMATION and not model.printer_blocked
    assert [s["printer"] for s in hall.ops("kiosk_status")] == ["paper_out", "ok"]


def test_print_failure_cancels_the_ticket(hall_server, clock):
    with FakeNetworkPrinter() as fake:
        model, hall = make_model(hall_server, fake.spec, clock)

        def paper_runs_out_while_issuing() -> None:
            if model.phase is Phase.PRINTING:
                fake.paper = "out"

        model.subscribe(paper_runs_out_while_issuing)
        matter = first_open_matter(model)
        open_matter_screen(model, matter)
        model.select_matter(matter.code)
    assert model.screen is Screen.NOTICE and model.notice.problem is Problem.PRINT_FAILED
    [failed] = hall.ops("print_failed")
    assert "paper_out" in failed["reason"]
    assert server_ticket(hall_server, failed["ticket"])["state"] == "cancelled"
    assert hall.ops("printed") == []
    clock.now += NOTICE_S
    model.tick()
    assert model.screen is Screen.START and model.notice is None


def test_late_ticket_after_the_kiosk_gave_up_is_cancelled(hall_server, fake_printer, clock):
    model, hall = make_model(hall_server, fake_printer.spec, clock)
    hall.hold_ops = {"issue"}
    matter = first_open_matter(model)
    open_matter_screen(model, matter)
    model.select_matter(matter.code)
    assert model.phase is Phase.ISSUING
    clock.now += ISSUE_TIMEOUT_S
    model.tick()
    assert model.screen is Screen.NOTICE and model.notice.problem is Problem.SERVER_TIMEOUT
    hall.release()
    [failed] = hall.ops("print_failed")
    assert server_ticket(hall_server, failed["ticket"])["state"] == "cancelled"
    assert b"\x1d\x56" not in fake_printer.received  # nothing was cut: nothing was printed


def test_offline_kiosk_issues_nothing(hall_server, fake_printer, clock):
    model, hall = make_model(hall_server, fake_printer.spec, clock)
    matter = first_open_matter(model)
    open_matter_screen(model, matter)
    model.set_online(False)
    model.select_matter(matter.code)
    assert model.screen is Screen.MATTERS
    assert model.why_not(matter) is Problem.SERVER_OFFLINE
    assert hall.ops("issue") == []


@pytest.mark.parametrize("hall_config", [kiosk_config(open_weekdays=())])
def test_closed_hall_issues_nothing(hall_server, fake_printer, clock):
    model, hall = make_model(hall_server, fake_printer.spec, clock)
    assert model.issuing is False
    matter = model.matters[0]
    assert not matter.open and model.why_not(matter) is Problem.HALL_CLOSED
    assert not model.category_open(matter.category)
    open_matter_screen(model, matter)
    model.select_matter(matter.code)
    assert model.screen is Screen.MATTERS and hall.ops("issue") == []


def _limited_catalog():
    catalog = sample_catalog()
    first = catalog.services[0]
    services = (replace(first, daily_limit=1), *catalog.services[1:])
    return replace(catalog, services=services)


@pytest.mark.parametrize("hall_config", [kiosk_config(catalog=_limited_catalog())])
def test_service_past_its_daily_limit_issues_nothing(hall_server, fake_printer, clock):
    model, hall = make_model(hall_server, fake_printer.spec, clock)
    limited = model.matters[0]
    open_matter_screen(model, limited)
    model.select_matter(limited.code)
    assert model.screen is Screen.CONFIRMATION
    model.return_to_start()
    model.set_online(True)  # a resync; the catalog is read again
    limited = model.matters[0]
    assert limited.full and not limited.open
    assert model.why_not(limited) is Problem.SERVICE_FULL
    open_matter_screen(model, limited)
    model.select_matter(limited.code)
    assert model.screen is Screen.MATTERS
    assert len(hall.ops("issue")) == 1


@pytest.mark.parametrize("hall_config", [kiosk_config(priority_pin="2580")])
def test_staff_pin_gives_one_priority_ticket(hall_server, fake_printer, clock):
    model, hall = make_model(
        hall_server,
        fake_printer.spec,
        clock,
        priority_mode=PriorityMode.PIN,
        priority_pin="2580",
    )
    model.open_priority()
    for digit in "1111":
        model.pin_digit(digit)
    model.pin_submit()
    assert model.screen is Screen.PIN and model.pin_error and not model.priority_armed
    for digit in "2580":
        model.pin_digit(digit)
    model.pin_submit()
    assert model.screen is Screen.START and model.priority_armed
    matter = first_open_matter(model)
    open_matter_screen(model, matter)
    model.select_matter(matter.code)
    assert model.confirmation.priority
    assert hall.ops("issue")[0]["priority"] is True
    assert hall.ops("issue")[0]["priority_pin"] == "2580"  # the server checks it
    assert not model.priority_armed  # one priority ticket per PIN
    model.return_to_start()
    open_matter_screen(model, matter)
    model.select_matter(matter.code)
    assert hall.ops("issue")[1]["priority"] is False


def test_pin_locks_after_repeated_wrong_entries(hall_server, fake_printer, clock):
    model, _ = make_model(
        hall_server, fake_printer.spec, clock, priority_mode=PriorityMode.PIN, priority_pin="2580"
    )
    model.open_priority()
    for _ in range(PIN_ATTEMPTS):
        for digit in "0000":
            model.pin_digit(digit)
        model.pin_submit()
    for digit in "2580":
        model.pin_digit(digit)
    model.pin_submit()
    assert model.pin_locked and not model.priority_armed


def test_long_press_arms_priority_only_when_held(hall_server, fake_printer, clock):
    model, _ = make_model(
        hall_server, fake_printer.spec, clock, priority_mode=PriorityMode.LONG_PRESS
    )
    model.priority_pressed(0.3)
    assert not model.priority_armed
    model.priority_pressed(2.5)
    assert model.priority_armed
    clock.now += IDLE_S
    model.tick()
    assert not model.priority_armed  # an abandoned priority lane does not wait for a stranger


@pytest.mark.parametrize("hall_config", [kiosk_config(priority_pin="2580")])
def test_long_press_priority_ticket_carries_the_hall_files_staff_pin(
    hall_server, fake_printer, clock
):
    model, hall = make_model(
        hall_server,
        fake_printer.spec,
        clock,
        priority_mode=PriorityMode.LONG_PRESS,
        priority_pin="2580",
    )
    model.priority_pressed(2.5)
    matter = first_open_matter(model)
    open_matter_screen(model, matter)
    model.select_matter(matter.code)
    assert model.confirmation is not None and model.confirmation.priority  # the server agreed
    assert hall.ops("issue")[0]["priority_pin"] == "2580"


def test_pin_mode_without_a_pin_is_refused():
    with pytest.raises(ValueError, match="priority_pin"):
        KioskModel(
            None, None, InlineRunner(), render_ticket, TicketSlip, priority_mode=PriorityMode.PIN
        )  # type: ignore[arg-type]


def test_search_matches_pinyin_initials_and_names(hall_server, fake_printer, clock):
    model, _ = make_model(hall_server, fake_printer.spec, clock)
    model.open_search()
    assert model.category is None and len(model.visible_matters()) == len(model.matters)
    target = model.matters[0]
    model.set_search(target.pinyin[:4].upper())
    found = model.visible_matters()
    assert target in found and all(matches_search(m, target.pinyin[:4]) for m in found)
    assert len(found) < len(model.matters)
    model.set_search(target.name[-3:])
    assert target in model.visible_matters()
    model.set_search("zzzzqqq")
    assert model.visible_matters() == []


def test_many_matters_are_paged(hall_server, fake_printer, clock):
    model, _ = make_model(hall_server, fake_printer.spec, clock)
    model.open_search()
    model.set_page_size(12)
    total = len(model.matters)
    assert model.page_count == -(-total // 12)
    seen = []
    for _ in range(model.page_count):
        seen.extend(model.page_matters())
        model.next_page()
    assert [m.code for m in seen] == [m.code for m in model.matters]
    model.next_page()
    assert model.page == model.page_count - 1
    model.previous_page()
    assert model.page == model.page_count - 2


def test_printer_status_conditions_map_to_kiosk_states():
    table = {
        "ready": "ok",
        "paper_near_end": "near_end",
        "paper_out": "paper_out",
        "offline": "offline",
        "unreachable": "offline",
        "cover_open": "error",
        "preview": "unknown",
        "not_queryable": "unknown",
    }
    for condition, state in table.items():
        assert printer_state_of(make_status(condition))[0] == state
    assert printer_state_of(make_status("no_reply", online=True))[0] == "ok"
    assert printer_state_of(make_status("no_reply"))[0] == "offline"


def test_unanswered_status_query_counts_as_offline(hall_server, fake_printer, clock):
    runner = DeferredRunner()
    model, hall = make_model(hall_server, fake_printer.spec, clock, runner)
    matter = first_open_matter(model)
    open_matter_screen(model, matter)
    model.select_matter(matter.code)
    clock.now += 5
    model.tick()
    assert model.notice.problem is Problem.PRINTER_OFFLINE
    runner.jobs[0][1](JobResult(value=make_status("ready", online=True, paper="ok")))
    assert model.screen is Screen.NOTICE and hall.ops("issue") == []


def test_confirmations_lost_offline_are_sent_after_reconnect(hall_server, fake_printer, clock):
    model, hall = make_model(hall_server, fake_printer.spec, clock)
    counter = itertools.count()

    original = hall.request

    def drop_printed(op, params=None, callback=None):
        if op == "printed" and next(counter) == 0:
            hall.sent.append((op, dict(params or {})))
            callback(Reply(False, {}, "disconnected", "lost"))
            return 0
        return original(op, params, callback)

    hall.request = drop_printed  # type: ignore[method-assign]
    matter = first_open_matter(model)
    open_matter_screen(model, matter)
    model.select_matter(matter.code)
    ticket_id = hall.ops("printed")[0]["ticket"]
    assert server_ticket(hall_server, ticket_id)["state"] == "pending"
    model.set_online(False)
    model.set_online(True)
    assert server_ticket(hall_server, ticket_id)["state"] == "waiting"


@pytest.mark.parametrize("hall_config", [kiosk_config(catalog=_limited_catalog())])
def test_limit_reached_by_another_kiosk_meanwhile_says_full(hall_server, fake_printer, clock):
    model, hall = make_model(hall_server, fake_printer.spec, clock)
    limited = model.matters[0]
    assert limited.open
    with hall_server.client("kiosk", "kiosk-other") as other:
        taken = other.call("issue", service=limited.code, req=uuid.uuid4().hex)
        other.call("printed", ticket=taken["ticket"]["id"])
    open_matter_screen(model, limited)
    model.select_matter(limited.code)
    assert model.screen is Screen.NOTICE and model.notice.problem is Problem.SERVICE_FULL
    assert ticket_count(hall_server) == 1
    assert model.matters[0].full  # the catalog was read again


def test_printer_trouble_found_offline_is_reported_on_connect(hall_server, clock):
    with FakeNetworkPrinter(paper="out") as fake:
        model, hall = make_model(hall_server, fake.spec, clock, online=False)
        model.poll_printer()
    assert model.printer_state == "paper_out" and hall.ops("kiosk_status") == []
    model.set_online(True)
    assert [s["printer"] for s in hall.ops("kiosk_status")] == ["paper_out"]


def test_english_kiosk_shows_the_english_names_of_the_catalog(hall_server, clock):
    catalog = {
        "hall": "白沙",
        "issuing": True,
        "categories": [
            {
                "code": "si",
                "prefix": "A",
                "name": "社会保险",
                "name_en": "Social Insurance",
                "waiting": 0,
            }
        ],
        "services": [
            {
                "code": "p",
                "name": "养老保险参保登记",
                "name_en": "Pension enrolment",
                "category": "si",
                "waiting": 0,
                "open": True,
            }
        ],
    }
    english, _ = make_model(hall_server, "none", clock, online=False, lang="en")
    english.load_catalog(catalog)
    assert (
        english.categories[0].name == "Social Insurance"
        and english.matters[0].name == "Pension enrolment"
    )
    chinese, _ = make_model(hall_server, "none", clock, online=False, lang="zh_CN")
    chinese.load_catalog(catalog)
    assert chinese.categories[0].name == "社会保险"


# -- items the kiosk cannot read ---------------------------------------------------------------


def offline_model() -> KioskModel:
    return KioskModel(None, None, InlineRunner(), render_ticket, TicketSlip)  # type: ignore[arg-type]


GOOD_CATALOG = {
    "hall": "白沙镇政务服务中心",
    "issuing": True,
    "categories": [
        {"code": "social_insurance", "prefix": "A", "name": "社会保险", "waiting": 2},
        {"code": "tax", "prefix": "D", "name": "税务", "waiting": 0},
    ],
    "services": [
        {"code": "pension_enrol", "name": "养老保险参保", "category": "social_insurance"},
        {"code": "tax_return", "name": "个税申报", "category": "tax"},
    ],
}


@pytest.mark.parametrize(
    ("part", "bad", "problem"),
    [
        ("categories", {"prefix": "B", "name": "无代码"}, "'code'"),
        ("categories", {"code": "x", "name": "坏数", "waiting": "many"}, "'waiting'"),
        ("categories", "social", "must be an object"),
        ("services", {"code": "orphan", "name": "无部门"}, "names no 'category'"),
        ("services", {"code": "nameless", "category": "tax"}, "'name'"),
        ("services", None, "must be an object"),
    ],
)
def test_catalog_with_one_bad_entry_keeps_the_others(part, bad, problem, caplog):
    model = offline_model()
    catalog = {**GOOD_CATALOG, part: [bad, *GOOD_CATALOG[part]]}
    model.load_catalog(catalog)
    assert problem in caplog.text
    assert [c.code for c in model.categories] == ["social_insurance", "tax"]
    assert [m.code for m in model.matters] == ["pension_enrol", "tax_return"]


def test_waiting_changed_with_one_bad_count_keeps_the_others(caplog):
    model = offline_model()
    model.load_catalog(GOOD_CATALOG)
    model.on_event("waiting_changed", {"waiting": {"social_insurance": "lots", "tax": 4}})
    assert "'social_insurance'" in caplog.text
    assert [(c.code, c.waiting) for c in model.categories] == [("social_insurance", 2), ("tax", 4)]


@pytest.mark.parametrize("hall_config", [kiosk_config(issue_burst=1, issues_per_minute=1)])
def test_a_kiosk_over_its_issuing_limit_asks_to_wait(hall_server, fake_printer, clock):
    model, hall = make_model(hall_server, fake_printer.spec, clock)
    matter = first_open_matter(model)
    open_matter_screen(model, matter)
    model.select_matter(matter.code)
    assert model.confirmation is not None
    model.return_to_start()
    open_matter_screen(model, matter)
    model.select_matter(matter.code)
    assert model.screen is Screen.NOTICE and model.notice.problem is Problem.TOO_FAST
    assert len(hall.ops("issue")) == 2


def test_a_faulty_printer_is_read_again_every_few_seconds_until_refilled(hall_server, clock):
    with FakeNetworkPrinter(paper="out") as fake:
        model, hall = make_model(hall_server, fake.spec, clock)
        matter = first_open_matter(model)
        open_matter_screen(model, matter)
        model.select_matter(matter.code)
        assert model.printer_blocked
        model.return_to_start()
        fake.paper = "ok"  # staff refill the roll
        clock.now += PRINTER_FAULT_POLL_S
        model.tick()
        # Seen within seconds, not at the next minute's poll: the banner goes, tiles come back.
        assert not model.printer_blocked
        assert PRINTER_FAULT_POLL_S <= 15 < PRINTER_POLL_S
    assert [s["printer"] for s in hall.ops("kiosk_status")] == ["paper_out", "ok"]


SOME_COUNTERS = tuple(
    CounterConfig(n, f"{n}号窗口", ("re_transfer",) if n in (21, 22) else ("pension_enrol",))
    for n in range(1, 25)
)


@pytest.mark.parametrize("hall_config", [kiosk_config(counters=SOME_COUNTERS)])
def test_a_matter_served_at_some_counters_names_them_on_screen_and_ticket(
    hall_server, fake_printer, clock
):
    service = "re_transfer"
    with hall_server.client("admin", "counters-admin") as admin:
        catalog = admin.call("catalog")
    served_at = {s["code"]: s["counters"] for s in catalog["services"]}
    assert served_at[service] == [21, 22]
    assert served_at["pension_enrol"] == [*range(1, 21), 23, 24]
    assert catalog["hours"]["weekdays"] == [1, 2, 3, 4, 5, 6, 7]
    model, _hall = make_model(hall_server, fake_printer.spec, clock)
    matter = next(m for m in model.matters if m.code == service)
    assert matter.counters == (21, 22)
    open_matter_screen(model, matter)
    model.select_matter(matter.code)
    assert model.confirmation.counters == (21, 22)
    printed = [op.text for op in decode(fake_printer.received) if hasattr(op, "text")]
    assert "请留意 21、22 号窗口叫号" in printed and "当日有效" in printed
    # Twenty-two counters are no help to a resident: none are named.
    assert next(m for m in model.matters if m.code == "pension_enrol").counters == ()
