"""The call order: priority first, no starvation, transfers keep their place, counters see their services."""

from __future__ import annotations

from shared.call_order import QueuedTicket, ahead_of, call_order, next_streak


def t(id_, at, priority=False, service="s1", reserved=None):
    return QueuedTicket(id_, service, priority, float(at), reserved)


def ids(order):
    return [x.id for x in order]


def test_normal_tickets_go_by_issue_time():
    assert ids(call_order([t(3, 30), t(1, 10), t(2, 20)], 1, None)) == [1, 2, 3]


def test_priority_goes_before_normal():
    assert ids(call_order([t(1, 10), t(2, 20, True), t(3, 30)], 1, None)) == [2, 1, 3]


def test_after_three_priority_in_a_row_the_oldest_normal_goes():
    waiting = [t(1, 1), t(2, 2), *[t(10 + i, 10 + i, True) for i in range(5)]]
    order = ids(call_order(waiting, 1, None))
    assert order == [10, 11, 12, 1, 13, 14, 2]


def test_streak_carried_from_earlier_calls_counts():
    waiting = [t(1, 1), t(10, 10, True)]
    assert ids(call_order(waiting, 1, None, priority_streak=3)) == [1, 10]
    assert ids(call_order(waiting, 1, None, priority_streak=2)) == [10, 1]


def test_only_priority_left_keeps_going_past_the_limit():
    waiting = [t(i, i, True) for i in range(1, 6)]
    assert ids(call_order(waiting, 1, None, priority_streak=3)) == [1, 2, 3, 4, 5]


def test_next_streak_counts_priority_and_resets_on_normal():
    assert next_streak(2, t(1, 1, True)) == 3
    assert next_streak(3, t(1, 1)) == 0


def test_counter_only_sees_its_services():
    waiting = [t(1, 1, service="tax"), t(2, 2, service="pension"), t(3, 3, service="tax")]
    assert ids(call_order(waiting, 1, frozenset({"tax"}))) == [1, 3]
    assert ids(call_order(waiting, 1, None)) == [1, 2, 3]


def test_ticket_reserved_for_a_counter_goes_only_there_in_issue_order():
    waiting = [t(1, 1, reserved=2), t(2, 5), t(3, 0.5, service="other", reserved=2)]
    assert ids(call_order(waiting, 2, frozenset({"s1"}))) == [3, 1, 2]
    assert ids(call_order(waiting, 1, None)) == [2]


def test_transferred_ticket_keeps_its_issue_time_place():
    # ticket 1 was issued first, served, then transferred back: it still goes before 2 and 3
    waiting = [t(2, 20), t(3, 30), t(1, 10, service="s1")]
    assert ids(call_order(waiting, 1, None)) == [1, 2, 3]


def test_ties_go_to_the_lower_id():
    assert ids(call_order([t(2, 10), t(1, 10)], 1, None)) == [1, 2]


def test_ahead_counts_same_service_before_the_new_ticket():
    waiting = [t(1, 1), t(2, 2, True), t(3, 3, service="other"), t(4, 4)]
    assert ahead_of(t(5, 5), waiting) == 3
    assert ahead_of(t(5, 5, True), waiting) == 1
