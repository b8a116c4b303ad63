"""The call order: priority first, no starvation, transfers keep their place, counters see their services."""

from __future__ import annotations

from shared.domain.call_order import QueuedTicket, ahead_of, call_order, next_streak


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


# -- the in-memory queue must order exactly as call_order does --------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from shared.domain.call_order import WaitingQueue  # noqa: E402

tickets_strategy = st.lists(
    st.tuples(
        st.sampled_from(["s1", "s2", "s3"]),
        st.booleans(),
        st.integers(0, 50),
        st.one_of(st.none(), st.sampled_from([1, 2])),
    ),
    max_size=40,
)


@settings(max_examples=200)
@given(
    tickets_strategy,
    st.sampled_from([None, frozenset({"s1"}), frozenset({"s2", "s3"})]),
    st.integers(0, 4),
    st.sampled_from([1, 2, 3]),
)
def test_waiting_queue_orders_like_call_order(specs, services, streak, counter):
    waiting = [
        t(i + 1, at, prio, service, reserved)
        for i, (service, prio, at, reserved) in enumerate(specs)
    ]
    queue = WaitingQueue((x, "cat-" + x.service) for x in waiting)
    expected = ids(call_order(waiting, counter, services, streak))
    assert ids(queue.order_for(counter, services, streak)) == expected
    nxt = queue.next_for(counter, services, streak)
    assert (nxt.id if nxt else None) == (expected[0] if expected else None)


@given(tickets_strategy, st.booleans(), st.integers(0, 60))
def test_waiting_queue_ahead_matches_ahead_of(specs, priority, at):
    waiting = [t(i + 1, a, prio, service) for i, (service, prio, a, _) in enumerate(specs)]
    queue = WaitingQueue((x, "c") for x in waiting)
    new = t(1000, at, priority, "s1")
    assert queue.ahead(new) == ahead_of(new, waiting)


def test_waiting_queue_add_remove_and_counts():
    queue = WaitingQueue()
    queue.add(t(1, 1), "A")
    queue.add(t(2, 2, service="s2"), "B")
    queue.add(t(3, 3), "A")
    assert queue.counts() == {"A": 2, "B": 1} and len(queue) == 3
    assert queue.remove(1) is not None and queue.remove(1) is None
    assert queue.counts() == {"A": 1, "B": 1}
    assert ids(queue.order_for(1, None)) == [2, 3]
    queue.add(t(3, 3, reserved=2), "A")  # re-adding moves the ticket (a transfer to counter 2)
    assert ids(queue.order_for(1, None)) == [2] and ids(queue.order_for(2, frozenset())) == [3]


def test_waiting_queue_count_for_counts_what_the_counter_may_take():
    queue = WaitingQueue([(t(1, 1), "A"), (t(2, 2, service="s2"), "B"), (t(3, 3, reserved=1), "A")])
    assert queue.count_for(1, None) == 3
    assert queue.count_for(2, frozenset({"s2"})) == 1


@settings(max_examples=200)
@given(
    tickets_strategy,
    st.lists(st.integers(1, 40), max_size=20),
    st.sampled_from([None, frozenset({"s1"}), frozenset({"s2", "s3"})]),
    st.integers(0, 4),
)
def test_waiting_queue_after_removals_orders_like_call_order(specs, gone, services, streak):
    """Removing tickets keeps every lane (the per-service ones and the all-services one) right."""
    waiting = [
        t(i + 1, at, prio, service, reserved)
        for i, (service, prio, at, reserved) in enumerate(specs)
    ]
    queue = WaitingQueue((x, "cat-" + x.service) for x in waiting)
    for ticket_id in gone:
        queue.remove(ticket_id)
    left = [x for x in waiting if x.id not in set(gone)]
    expected = ids(call_order(left, 1, services, streak))
    assert ids(queue.order_for(1, services, streak)) == expected
    nxt = queue.next_for(1, services, streak)
    assert (nxt.id if nxt else None) == (expected[0] if expected else None)
    assert queue.count_for(1, services) == len(expected)


@settings(max_examples=300)
@given(
    tickets_strategy,
    st.sampled_from([None, frozenset({"s1"}), frozenset({"s2", "s3"})]),
    st.integers(0, 5),
    st.sampled_from([1, 2, 3]),
)
def test_place_for_is_the_index_in_the_call_order(specs, services, streak, counter):
    waiting = [
        t(i + 1, at, prio, service, reserved)
        for i, (service, prio, at, reserved) in enumerate(specs)
    ]
    queue = WaitingQueue((x, "cat-" + x.service) for x in waiting)
    order = ids(call_order(waiting, counter, services, streak))
    for ticket in waiting:
        expected = order.index(ticket.id) if ticket.id in order else None
        assert queue.place_for(ticket, counter, services, streak) == expected, ticket
