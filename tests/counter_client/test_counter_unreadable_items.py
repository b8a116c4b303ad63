"""The counter client meets items it cannot read: each is skipped and logged, the rest is kept."""

from __future__ import annotations

from typing import Any

import pytest

from counter_client.model import CounterModel
from shared.client.connection import Reply


def ticket(ticket_id: int, number: str, state: str = "waiting", counter: int | None = None):
    return {
        "id": ticket_id,
        "number": number,
        "service": "pension_enrol",
        "category": "social_insurance",
        "priority": False,
        "state": state,
        "issued_at": "2026-11-26T09:00:00+08:00",
        "called_at": None,
        "counter": counter,
        "calls": 0,
    }


def counter(number: int, state: str = "open", held: Any = None) -> dict[str, Any]:
    return {
        "number": number,
        "name": f"{number}号窗口",
        "state": state,
        "clerk": None,
        "ticket": held,
        "services": "all",
        "pause_reason": None,
    }


SERVICES = [
    {"code": "pension_enrol", "name": "养老保险参保", "category": "social_insurance"},
    {"code": "tax_return", "name": "个税申报", "category": "tax"},
]


class CannedTransport:
    """Answers `catalog` and `queue` with the replies a test gives (the parser is under test)."""

    def __init__(self, services: list[Any], tickets: list[Any]) -> None:
        self.replies = {
            "catalog": {"hall": "h", "categories": [], "services": services},
            "queue": {"tickets": tickets, "total": len(tickets)},
            "clerk_stats": {},
        }

    def request(self, op: str, params: Any = None, callback: Any = None) -> int:
        if callback is not None:
            callback(Reply(True, self.replies.get(op, {})))
        return 1

    def login(self, clerk: str, pin: str, callback: Any = None) -> None:
        pass

    def logout(self, callback: Any = None) -> None:
        pass


def ready(counters: list[Any], services=SERVICES, tickets=None) -> CounterModel:
    model = CounterModel(2, CannedTransport(services, tickets or []))  # type: ignore[arg-type]
    model.clerk = {"id": "1001", "name": "张敏"}
    model.on_ready({"seq": 3, "hall": "h", "day": "2026-11-26", "counters": counters})
    return model


GOOD = [counter(1), counter(2, held=ticket(7, "A007", "called", 2)), counter(3, "paused")]

BAD_COUNTERS = [
    pytest.param({"number": 4, "state": "closing"}, "unknown state 'closing'", id="newer-state"),
    pytest.param({"state": "open"}, "without a whole-number 'number'", id="no-number"),
    pytest.param("counter 4", "must be an object", id="not-an-object"),
    pytest.param(counter(4, held="A001"), "a ticket must be an object", id="ticket-text"),
    pytest.param(
        counter(4, held=ticket(9, "A009", "teleported", 4)), "unknown state", id="ticket-state"
    ),
]


@pytest.mark.parametrize(("bad", "problem"), BAD_COUNTERS)
def test_snapshot_with_one_bad_counter_keeps_the_others(bad, problem, caplog):
    model = ready([GOOD[0], bad, *GOOD[1:]])
    assert problem in caplog.text
    assert [c["number"] for c in model.counters] == [1, 2, 3]
    assert model.counter_exists and model.ticket is not None and model.ticket["number"] == "A007"
    assert "finish" in model.allowed_ops()


@pytest.mark.parametrize(("bad", "problem"), BAD_COUNTERS)
def test_counter_changed_with_a_bad_counter_is_skipped(bad, problem, caplog):
    model = ready(GOOD)
    model.on_event("counter_changed", 4, {"counter": bad})
    assert problem in caplog.text
    assert [c["number"] for c in model.counters] == [1, 2, 3]
    assert model.ticket is not None and model.ticket["number"] == "A007"


def test_a_bad_entry_of_our_own_counter_keeps_what_the_window_knew(caplog):
    model = ready(GOOD)
    model.on_event("counter_changed", 4, {"counter": counter(2, state="on_strike")})
    assert "unknown state 'on_strike'" in caplog.text
    assert model.counter_state == "open" and model.ticket["number"] == "A007"


def test_bad_catalog_entries_and_queue_tickets_are_skipped(caplog):
    services = [*SERVICES, {"code": "x"}, {"name": "没有代码", "category": "tax"}, 17]
    tickets = [ticket(1, "A001"), {"id": "2"}, ticket(3, "A003", state="frozen"), ticket(4, "A004")]
    model = ready(GOOD, services=services, tickets=tickets)
    model.refresh_queue()
    assert set(model.services) == {"pension_enrol", "tax_return"}
    assert [t["number"] for t in model.queue] == ["A001", "A004"]
    assert "frozen" in caplog.text and "'name'" in caplog.text


def test_our_own_counter_unreadable_in_a_snapshot_still_exists(caplog):
    model = ready(GOOD)
    model.on_ready(
        {"seq": 9, "hall": "h", "counters": [counter(1), counter(2, state="on_strike"), counter(3)]}
    )
    assert "on_strike" in caplog.text
    assert model.counter_exists  # no "this hall has no counter 2" banner
    assert model.ticket is not None and model.ticket["number"] == "A007"
