"""The display board's view-model without Qt: snapshot and events in, board state out."""

from __future__ import annotations

from typing import Any

import pytest

from display_board.model import BoardModel
from display_board.model.items import BoardDataError
from display_board.model.updates import Part, SeqCheck

DAY = "2026-11-26"


def ticket(
    ticket_id: int,
    number: str,
    state: str = "called",
    counter: int | None = None,
    category: str = "social_insurance",
) -> dict[str, Any]:
    return {
        "id": ticket_id,
        "number": number,
        "service": "pension_enrol",
        "category": category,
        "priority": False,
        "state": state,
        "issued_at": f"{DAY}T09:00:00+08:00",
        "called_at": f"{DAY}T09:10:00+08:00" if state != "waiting" else None,
        "counter": counter,
        "calls": 1,
    }


def counter(number: int, state: str = "open", held: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "number": number,
        "name": f"{number}号窗口",
        "state": state,
        "clerk": {"id": "1001", "name": "张敏"} if state != "closed" else None,
        "ticket": held,
        "services": "all",
    }


def call(
    ticket_id: int,
    number: str,
    at_counter: int,
    minute: int,
    recall: bool = False,
    state="called",
    calls: int = 1,
) -> dict[str, Any]:
    return {
        "ticket": {**ticket(ticket_id, number, state, at_counter), "calls": calls},
        "counter": at_counter,
        "at": f"{DAY}T09:{minute:02d}:00+08:00",
        "recall": recall,
    }


def snapshot(
    seq: int = 10,
    calls: list[dict[str, Any]] | None = None,
    counters: list[dict[str, Any]] | None = None,
    waiting: dict[str, int] | None = None,
    kiosks: list[dict[str, Any]] | None = None,
    day: str = DAY,
) -> dict[str, Any]:
    """A snapshot result; `calls` newest first, as the server sends them."""
    return {
        "seq": seq,
        "hall": "白沙镇政务服务中心",
        "day": day,
        "counters": counters if counters is not None else [counter(n) for n in range(1, 25)],
        "recent_calls": calls or [],
        "waiting": waiting if waiting is not None else {"social_insurance": 3, "tax": 1},
        "issuing": True,
        "kiosks": kiosks or [],
    }


def called_event(
    ticket_id: int, number: str, at_counter: int, minute: int, recall=False, calls: int = 1
):
    data = call(ticket_id, number, at_counter, minute, recall, calls=calls)
    return {"ticket": data["ticket"], "counter": at_counter, "recall": recall}


CATALOG = {
    "hall": "白沙镇政务服务中心",
    "issuing": True,
    "categories": [
        {"code": "social_insurance", "prefix": "A", "name": "社会保险", "waiting": 3},
        {"code": "medical_insurance", "prefix": "B", "name": "医疗保障", "waiting": 0},
        {"code": "tax", "prefix": "D", "name": "税务", "name_en": "Taxation", "waiting": 1},
    ],
    "services": [],
}


def model_with(snap: dict[str, Any] | None = None, limit: int = 12) -> BoardModel:
    model = BoardModel(recent_limit=limit)
    model.apply_snapshot(snap or snapshot())
    return model


# -- snapshot ------------------------------------------------------------------------------


def test_snapshot_sets_latest_recent_counters_waiting_and_kiosks():
    snap = snapshot(
        seq=42,
        calls=[call(3, "A003", 5, 12), call(2, "B001", 2, 11), call(1, "A001", 1, 10)],
        counters=[counter(1, "open"), counter(2, "paused"), counter(5, "open", ticket(3, "A003"))],
        waiting={"social_insurance": 7, "tax": 0},
        kiosks=[{"client": "kiosk-1", "printer": "paper_out", "message": "", "at": ""}],
    )
    model = BoardModel()
    missed = model.apply_snapshot(snap)

    assert missed == []  # a first snapshot announces nothing
    assert model.seq == 42 and model.day == DAY and model.hall == "白沙镇政务服务中心"
    assert model.latest is not None
    assert (model.latest.number, model.latest.counter) == ("A003", 5)
    assert [c.number for c in model.recent] == ["A003", "B001", "A001"]
    assert model.counters[2].state == "paused"
    assert model.counters[5].ticket == "A003" and model.counters[5].calling
    assert model.counter_name(5) == "5号窗口"
    assert model.waiting == {"social_insurance": 7, "tax": 0}
    assert [k.client for k in model.kiosks_needing_attention()] == ["kiosk-1"]


def test_catalog_names_the_departments_in_catalog_order():
    model = model_with(snapshot(waiting={"tax": 4, "social_insurance": 2, "unlisted": 1}))
    assert model.apply_catalog(CATALOG) is True
    assert model.apply_catalog(CATALOG) is False  # nothing new: the board keeps its cells
    rows = [(d.code, d.name, n) for d, n in model.waiting_by_department()]
    assert rows == [
        ("social_insurance", "社会保险", 2),
        ("medical_insurance", "医疗保障", 0),
        ("tax", "税务", 4),
        ("unlisted", "unlisted", 1),
    ]


# -- events --------------------------------------------------------------------------------


def test_ticket_called_becomes_latest_and_is_reported_new():
    model = model_with(snapshot(seq=10, calls=[call(1, "A001", 1, 10)]))
    update = model.apply_event("ticket_called", 11, called_event(2, "A002", 3, 11))

    assert model.seq == 11
    assert Part.CALLS in update.parts and not update.resync
    assert [(c.number, c.counter, c.recall) for c in update.new_calls] == [("A002", 3, False)]
    assert model.latest.number == "A002"
    assert [c.number for c in model.recent] == ["A002", "A001"]


def test_counter_waiting_ticket_and_kiosk_events_update_their_parts():
    model = model_with(snapshot(seq=10, calls=[call(1, "A001", 1, 10)]))
    update = model.apply_event("counter_changed", 11, {"counter": counter(4, "paused")})
    assert update.parts == {Part.COUNTERS, Part.CALLS} and model.counters[4].state == "paused"

    update = model.apply_event("waiting_changed", 12, {"waiting": {"tax": 9}})
    assert update.parts == {Part.WAITING} and model.waiting == {"tax": 9}

    update = model.apply_event("ticket_changed", 13, {"ticket": ticket(1, "A001", "serving", 1)})
    assert update.parts == {Part.CALLS} and model.latest.state == "serving"

    kiosk = {"client": "kiosk-2", "printer": "near_end", "message": "", "at": ""}
    update = model.apply_event("kiosk_changed", 14, {"kiosk": kiosk})
    assert update.parts == {Part.KIOSKS}
    assert model.kiosks["kiosk-2"].printer == "near_end"
    kiosk = {**kiosk, "printer": "ok"}
    model.apply_event("kiosk_changed", 15, {"kiosk": kiosk})
    assert model.kiosks_needing_attention() == []


def test_unknown_event_only_advances_seq():
    model = model_with(snapshot(seq=10))
    update = model.apply_event("something_new", 11, {"x": 1})
    assert model.seq == 11 and update.parts == set() and not update.resync


def test_recent_calls_are_bounded_and_newest_first():
    model = model_with(snapshot(seq=0), limit=12)
    for index in range(1, 501):
        model.apply_event(
            "ticket_called", index, called_event(index, f"A{index:03d}", 1 + index % 24, 0)
        )
    assert len(model.recent) == 12
    assert [c.number for c in model.recent[:3]] == ["A500", "A499", "A498"]
    assert model.latest.number == "A500"


def test_burst_of_calls_all_reported_in_order():
    model = model_with(snapshot(seq=20))
    reported = []
    for offset in range(5):
        update = model.apply_event(
            "ticket_called",
            21 + offset,
            called_event(100 + offset, f"A{offset + 1:03d}", offset + 1, 30),
        )
        reported += [(c.number, c.counter) for c in update.new_calls]
    assert reported == [("A001", 1), ("A002", 2), ("A003", 3), ("A004", 4), ("A005", 5)]
    assert [c.number for c in model.recent[:5]] == ["A005", "A004", "A003", "A002", "A001"]


def test_recall_moves_the_ticket_to_the_top_without_a_duplicate():
    model = model_with(snapshot(seq=10, calls=[call(2, "A002", 2, 11), call(1, "A001", 1, 10)]))
    update = model.apply_event("ticket_called", 11, called_event(1, "A001", 1, 12, recall=True))

    assert [(c.number, c.recall) for c in update.new_calls] == [("A001", True)]
    assert model.latest.number == "A001" and model.latest.recall
    assert [c.number for c in model.recent] == ["A001", "A002"]


def test_transferred_ticket_called_at_another_counter_replaces_its_entry():
    model = model_with(snapshot(seq=10, calls=[call(1, "A001", 1, 10)]))
    model.apply_event("ticket_called", 11, called_event(1, "A001", 7, 20))
    assert [(c.number, c.counter) for c in model.recent] == [("A001", 7)]


def test_day_reset_clears_calls_and_counter_tickets_and_asks_for_a_resync():
    model = model_with(
        snapshot(
            seq=10,
            calls=[call(1, "A001", 1, 10)],
            counters=[counter(1, "open", ticket(1, "A001")), counter(2, "paused")],
            kiosks=[{"client": "kiosk-1", "printer": "error", "message": "", "at": ""}],
        )
    )
    update = model.apply_event("day_reset", 11, {"day": "2026-11-27"})

    assert update.resync
    assert model.latest is None and model.recent == ()
    assert model.day == "2026-11-27"
    assert all(c.ticket is None and c.state == "closed" for c in model.counters.values())
    assert model.counter_name(2) == "2号窗口"
    assert model.kiosks == {}


# -- seq -----------------------------------------------------------------------------------


def test_seq_gap_asks_for_a_resync_and_changes_nothing():
    model = model_with(snapshot(seq=10, calls=[call(1, "A001", 1, 10)]))
    assert model.check_seq(11) is SeqCheck.NEXT
    assert model.check_seq(14) is SeqCheck.GAP
    update = model.apply_event("ticket_called", 14, called_event(9, "A009", 9, 20))

    assert update.resync and update.new_calls == []
    assert model.seq == 10 and model.latest.number == "A001"


def test_events_covered_by_the_snapshot_are_skipped():
    model = model_with(snapshot(seq=10, calls=[call(1, "A001", 1, 10)]))
    update = model.apply_event("ticket_called", 9, called_event(9, "A009", 9, 20))
    assert not update.resync and update.new_calls == [] and model.latest.number == "A001"


def test_a_model_without_snapshot_resyncs_on_any_event():
    model = BoardModel()
    assert model.apply_event("ticket_called", 1, called_event(1, "A001", 1, 0)).resync
    assert model.latest is None


# -- resync --------------------------------------------------------------------------------


def test_resync_reports_calls_missed_offline_still_being_called_oldest_first():
    model = model_with(snapshot(seq=10, calls=[call(1, "A001", 1, 10)]))
    missed = model.apply_snapshot(
        snapshot(
            seq=20,
            calls=[
                call(4, "A004", 4, 15),
                call(3, "A003", 3, 14, state="done"),  # already served: not announced again
                call(2, "A002", 2, 13),
                call(1, "A001", 1, 10),  # seen before the outage
            ],
        )
    )
    assert [(c.number, c.counter) for c in missed] == [("A002", 2), ("A004", 4)]
    assert model.seq == 20 and model.latest.number == "A004"


def test_resync_announces_a_recall_made_offline_once_and_nothing_already_heard():
    model = model_with(snapshot(seq=10, calls=[call(2, "A002", 2, 11), call(1, "A001", 1, 10)]))
    model.apply_event("ticket_called", 11, called_event(2, "A002", 2, 12, recall=True, calls=2))
    # The server lists every call and recall; each entry carries the ticket as it is now.
    now = [
        call(1, "A001", 1, 20, recall=True, calls=2),  # recalled while the board was away
        call(2, "A002", 2, 12, recall=True, calls=2),  # heard live
        call(2, "A002", 2, 11, calls=2),
        call(1, "A001", 1, 10, calls=2),
    ]
    missed = model.apply_snapshot(snapshot(seq=20, calls=now))
    assert [(c.number, c.recall) for c in missed] == [("A001", True)]
    assert model.apply_snapshot(snapshot(seq=20, calls=now)) == []  # the same state again


def test_resync_of_a_new_day_announces_nothing():
    model = model_with(snapshot(seq=10, calls=[call(1, "A001", 1, 10)]))
    missed = model.apply_snapshot(
        snapshot(seq=30, calls=[call(50, "A001", 1, 1)], day="2026-11-27")
    )
    assert missed == [] and model.day == "2026-11-27"


# -- bad data ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("ticket_called", {"counter": 1, "recall": False}, "has no 'ticket'"),
        ("ticket_called", {"ticket": {"id": 1}, "counter": 1}, "has no 'number'"),
        (
            "ticket_called",
            {"ticket": ticket(1, "A001"), "counter": "1"},
            "'counter' has the wrong type",
        ),
        (
            "counter_changed",
            {"counter": {"number": 1, "state": "dancing"}},
            "unknown state 'dancing'",
        ),
        ("counter_changed", {}, "has no 'counter'"),
        ("waiting_changed", {"waiting": {"tax": -1}}, "the count of 'tax'"),
        (
            "kiosk_changed",
            {"kiosk": {"client": "k", "printer": "on_fire"}},
            "unknown printer state",
        ),
        ("ticket_changed", {"ticket": "A001"}, "has the wrong type"),
    ],
)
def test_unreadable_event_item_is_skipped_and_logged_and_changes_nothing(
    name, data, problem, caplog
):
    model = model_with(snapshot(seq=10, calls=[call(1, "A001", 1, 10)]))
    counters, waiting = dict(model.counters), dict(model.waiting)
    update = model.apply_event(name, 11, data)
    assert problem in caplog.text
    assert not update.resync and not update.new_calls  # no resync loop over one bad item
    assert model.seq == 11 and model.latest.number == "A001"
    assert model.counters == counters
    if name != "waiting_changed":
        assert model.waiting == waiting
    # The next event is applied as usual.
    model.apply_event("ticket_called", 12, called_event(2, "A002", 2, 12))
    assert model.latest.number == "A002"


def test_an_event_whose_data_is_not_an_object_is_unreadable():
    model = model_with(snapshot(seq=10))
    with pytest.raises(BoardDataError, match="must be an object"):
        model.apply_event("counter_changed", 11, ["x"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"seq": None}, "'seq' has the wrong type"),
        ({"counters": None}, "'counters' has the wrong type"),
        ({"recent_calls": None}, "'recent_calls' has the wrong type"),
        ({"waiting": ["tax"]}, "snapshot waiting must be an object"),
    ],
)
def test_unreadable_snapshot_names_the_problem_and_keeps_the_state(change, problem):
    model = model_with(snapshot(seq=10, calls=[call(1, "A001", 1, 10)]))
    with pytest.raises(BoardDataError, match=problem):
        model.apply_snapshot({**snapshot(seq=20), **change})
    assert model.seq == 10 and model.latest.number == "A001"


def test_recent_limit_must_be_positive():
    with pytest.raises(ValueError, match="recent_limit"):
        BoardModel(recent_limit=0)


BAD_SNAPSHOT_ITEMS = [
    pytest.param({"kiosks": [{"client": "k9", "printer": "on_fire"}]}, "on_fire", id="kiosk-state"),
    pytest.param({"kiosks": ["k9"]}, "snapshot kiosk must be an object", id="kiosk-not-object"),
    pytest.param({"kiosks": [{"printer": "ok"}]}, "has no 'client'", id="kiosk-no-client"),
    pytest.param(
        {"counters": [counter(1), {"number": 2, "state": "closing"}, counter(3)]},
        "unknown state 'closing'",
        id="counter-state",
    ),
    pytest.param(
        {"counters": [counter(1), {"state": "open"}, counter(3)]},
        "no 'number'",
        id="counter-number",
    ),
    pytest.param(
        {"counters": [counter(1), counter(2, held="A001"), counter(3)]},  # type: ignore[arg-type]
        "ticket must be an object",
        id="counter-ticket",
    ),
    pytest.param(
        {"recent_calls": [call(1, "A001", 1, 10), {"counter": 1}]}, "no 'ticket'", id="call"
    ),
    pytest.param({"waiting": {"social_insurance": 3, "tax": "many"}}, "'tax'", id="waiting-count"),
]


@pytest.mark.parametrize(("change", "problem"), BAD_SNAPSHOT_ITEMS)
def test_snapshot_with_one_bad_item_keeps_everything_else(change, problem, caplog):
    good = snapshot(
        seq=20,
        calls=[call(1, "A001", 1, 10)],
        counters=[counter(1), counter(3)],
        kiosks=[{"client": "k1", "printer": "paper_out", "message": "", "at": ""}],
    )
    model = BoardModel()
    model.apply_snapshot({**good, **change})
    assert problem in caplog.text
    assert model.seq == 20
    assert model.latest is not None and model.latest.number == "A001"
    assert {1, 3} <= set(model.counters) and 2 not in model.counters
    assert model.waiting.get("social_insurance") == 3
    if "kiosks" not in change:
        assert [k.client for k in model.kiosks_needing_attention()] == ["k1"]


def test_every_printer_state_of_the_contract_is_read():
    from shared.domain.vocabulary import PRINTER_STATES

    kiosks = [{"client": f"k-{state}", "printer": state} for state in PRINTER_STATES]
    model = BoardModel()
    model.apply_snapshot(snapshot(seq=5, kiosks=kiosks))
    assert len(model.kiosks) == len(PRINTER_STATES)
    assert {k.printer for k in model.kiosks_needing_attention()} == {
        "near_end",
        "paper_out",
        "offline",
        "error",
    }
