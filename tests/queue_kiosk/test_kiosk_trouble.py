"""The kiosk view-model when something fails: printer trouble, a slow or failed print, a lost
link to the hall, and the printer's status read again until it is fixed."""

from __future__ import annotations

import itertools

import pytest

from queue_kiosk.model import (
    ISSUE_TIMEOUT_S,
    NOTICE_S,
    PRINTER_FAULT_POLL_S,
    PRINTER_POLL_S,
    JobResult,
    Phase,
    Problem,
    Screen,
    printer_state_of,
)
from queue_kiosk.printing.fake import FakeNetworkPrinter
from queue_kiosk.printing.status import make_status
from shared.client.connection import Reply
from tests.queue_kiosk.kiosk_support import (
    DeferredRunner,
    first_open_matter,
    make_model,
    open_matter_screen,
    server_ticket,
    ticket_count,
)


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


def test_printer_trouble_found_offline_is_reported_on_connect(hall_server, clock):
    with FakeNetworkPrinter(paper="out") as fake:
        model, hall = make_model(hall_server, fake.spec, clock, online=False)
        model.poll_printer()
    assert model.printer_state == "paper_out" and hall.ops("kiosk_status") == []
    model.set_online(True)
    assert [s["printer"] for s in hall.ops("kiosk_status")] == ["paper_out"]


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
