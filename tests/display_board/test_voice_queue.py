"""Tests of the announcement queue: first in first out, repeats give way, calls are never dropped."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from display_board.voice.queue import AnnouncementQueue


def drain(queue: AnnouncementQueue) -> list[tuple[str, int]]:
    readings = []
    while (reading := queue.pop()) is not None:
        readings.append((reading.number, reading.repeat_index))
    return readings


def test_readings_come_out_in_call_order_with_repeats_after_their_call():
    queue = AnnouncementQueue(max_pending=10)
    queue.push_call("A001", 1)
    queue.push_call("A002", 2)
    queue.push_call("B003", 3)
    assert len(queue) == 6
    assert drain(queue) == [
        ("A001", 0),
        ("A001", 1),
        ("A002", 0),
        ("A002", 1),
        ("B003", 0),
        ("B003", 1),
    ]
    assert queue.pop() is None
    assert len(queue) == 0


def test_a_reading_carries_its_call():
    queue = AnnouncementQueue()
    queue.push_call("a017", 3, recall=True, repeats=3)
    readings = list(queue)
    assert [r.repeat_index for r in readings] == [0, 1, 2]
    assert all(r.number == "A017" and r.counter == 3 and r.recall for r in readings)
    assert all(r.repeats == 3 and r.call_id == 1 for r in readings)
    assert [r.is_repeat for r in readings] == [False, True, True]


def test_repeats_are_dropped_first_and_oldest_first_when_too_many_wait():
    queue = AnnouncementQueue(max_pending=6)
    for index in range(1, 5):
        queue.push_call(f"A00{index}", index)
    assert len(queue) == 6
    assert queue.dropped_repeats == 2
    assert drain(queue) == [
        ("A001", 0),
        ("A002", 0),
        ("A003", 0),
        ("A003", 1),
        ("A004", 0),
        ("A004", 1),
    ]


def test_recall_extra_readings_are_repeats_too():
    queue = AnnouncementQueue(max_pending=4)
    queue.push_call("A001", 1, recall=True, repeats=3)
    queue.push_call("A002", 2)
    # Five readings for four places: the recall's first extra reading gives way.
    assert drain(queue) == [("A001", 0), ("A001", 2), ("A002", 0), ("A002", 1)]


def test_first_readings_are_never_dropped_even_past_the_limit():
    queue = AnnouncementQueue(max_pending=3)
    numbers = [f"A{index:03d}" for index in range(1, 11)]
    for counter, number in enumerate(numbers, start=1):
        queue.push_call(number, counter)
    assert len(queue) == 10
    readings = drain(queue)
    assert readings == [(number, 0) for number in numbers]


def test_the_reading_being_spoken_does_not_count_as_waiting():
    queue = AnnouncementQueue(max_pending=2)
    queue.push_call("A001", 1)
    assert queue.pop().repeat_index == 0
    queue.push_call("A002", 2)
    # A001's repeat, A002 and its repeat: one over the limit, so the oldest repeat goes.
    assert drain(queue) == [("A002", 0), ("A002", 1)]
    assert queue.dropped_repeats == 1


def test_clear_empties_the_queue():
    queue = AnnouncementQueue()
    queue.push_call("A001", 1)
    queue.clear()
    assert len(queue) == 0
    assert queue.pop() is None


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("A01-", 1), "bad ticket number"),
        (("A017", 0), "1 or more"),
        (("A017", "3"), "positive integer"),
        (("A017", 3, "yes"), "recall must be True or False"),
        (("A017", 3, False, 0), "between 1 and 9"),
        (("A017", 3, False, 10), "between 1 and 9"),
        (("A017", 3, False, True), "must be an integer"),
    ],
)
def test_bad_calls_are_refused_and_leave_the_queue_as_it_was(arguments, message):
    queue = AnnouncementQueue()
    queue.push_call("A001", 1)
    with pytest.raises(ValueError, match=message):
        queue.push_call(*arguments)
    assert drain(queue) == [("A001", 0), ("A001", 1)]


@pytest.mark.parametrize("max_pending", [0, -1, 2.5, True, None])
def test_bad_limits_are_refused(max_pending):
    with pytest.raises(ValueError, match="max_pending"):
        AnnouncementQueue(max_pending=max_pending)


operations = st.lists(
    st.one_of(
        st.tuples(st.just("push"), st.integers(1, 4), st.booleans()),
        st.tuples(st.just("pop"), st.just(0), st.just(False)),
    ),
    max_size=60,
)


@given(st.integers(min_value=1, max_value=8), operations)
def test_any_sequence_keeps_order_every_call_and_the_limit(max_pending, steps):
    queue = AnnouncementQueue(max_pending=max_pending)
    spoken = []
    calls = 0
    for action, repeats, recall in steps:
        if action == "push":
            calls += 1
            queue.push_call(f"A{calls:03d}", calls % 24 + 1, recall=recall, repeats=repeats)
        elif (reading := queue.pop()) is not None:
            spoken.append(reading)
        waiting = list(queue)
        # Past the limit only first readings may wait.
        assert len(waiting) <= max_pending or not any(r.is_repeat for r in waiting)
    spoken.extend(iter(queue.pop, None))
    first_readings = [reading.call_id for reading in spoken if not reading.is_repeat]
    assert first_readings == list(range(1, calls + 1))
    order = [(reading.call_id, reading.repeat_index) for reading in spoken]
    assert order == sorted(order)
