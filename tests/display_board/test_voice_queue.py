"""Tests of the announcement queue: calls heard in order, repeats give way, waiting calls merge."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from display_board.voice.queue import AnnouncementQueue


def drain(queue: AnnouncementQueue) -> list[tuple[tuple[str, ...], int]]:
    """Every announcement still to come: (ticket numbers, repeat index)."""
    said = []
    while (announcement := queue.pop()) is not None:
        said.append((tuple(call.number for call in announcement.calls), announcement.repeat_index))
    return said


def test_a_quiet_hall_hears_each_call_as_many_times_as_the_hall_says():
    queue = AnnouncementQueue()
    queue.push_call("A001", 1, repeats=3)
    first = queue.pop()
    assert first is not None and first.chime and not first.is_repeat
    assert drain(queue) == [(("A001",), 1), (("A001",), 2)]
    assert queue.pop() is None and len(queue) == 0


def test_a_new_call_drops_the_repeats_still_owed_to_earlier_calls():
    queue = AnnouncementQueue()
    queue.push_call("A001", 1, repeats=2)
    queue.pop()  # A001 said once; its repeat waits
    queue.push_call("A002", 2, repeats=2)
    assert queue.dropped_repeats == 1
    assert drain(queue) == [(("A002",), 0), (("A002",), 1)]


def test_calls_that_wait_together_are_said_in_one_announcement_with_one_chime():
    queue = AnnouncementQueue(max_merge=3)
    for number, counter in (("A001", 1), ("B002", 5), ("A003", 3), ("C004", 12)):
        queue.push_call(number, counter, repeats=1)
    first = queue.pop()
    assert first is not None and first.chime
    assert [(call.number, call.counter) for call in first.calls] == [
        ("A001", 1),
        ("B002", 5),
        ("A003", 3),
    ]
    assert drain(queue) == [(("C004",), 0)]


def test_a_long_backlog_is_taken_half_at_a_time():
    queue = AnnouncementQueue(max_merge=3)
    for index in range(10):
        queue.push_call(f"A{index:03d}", index + 1, repeats=1)
    sizes = [len(numbers) for numbers, _ in drain(queue)]
    assert sizes == [5, 3, 2]  # half of 10, then the merge limit, then the rest


def test_a_recall_is_never_dropped_its_repeats_wait_behind_new_calls():
    queue = AnnouncementQueue()
    queue.push_call("A001", 1, recall=True, repeats=2)
    queue.pop()
    queue.push_call("A002", 2, repeats=2)
    queue.push_call("A003", 3, repeats=2)
    assert queue.dropped_repeats == 0
    said = drain(queue)
    assert said[0] == (("A002", "A003"), 0)
    assert said[1] == (("A001", "A002", "A003"), 1)  # the recall's repeat, with theirs


def test_a_call_already_waiting_is_not_said_twice_and_a_recall_marks_it():
    queue = AnnouncementQueue()
    queue.push_call("A001", 1, repeats=1)
    joined = queue.push_call("a001", 1, recall=True, repeats=1)
    assert joined.recall and len(queue) == 1
    assert queue.unheard() == [joined]
    assert drain(queue) == [(("A001",), 0)]


def test_the_announcement_being_said_is_no_longer_waiting():
    queue = AnnouncementQueue()
    queue.push_call("A001", 1, repeats=1)
    queue.push_call("A002", 2, repeats=1)
    assert [call.number for call in queue.unheard()] == ["A001", "A002"]
    queue.pop()
    assert queue.unheard() == [] and not queue.has_unheard()


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
    assert drain(queue) == [(("A001",), 0), (("A001",), 1)]


@pytest.mark.parametrize("max_merge", [0, -1, 9, 2.5, True, None])
def test_bad_limits_are_refused(max_merge):
    with pytest.raises(ValueError, match="calls per announcement"):
        AnnouncementQueue(max_merge=max_merge)


operations = st.lists(
    st.one_of(
        st.tuples(st.just("push"), st.integers(1, 4), st.booleans()),
        st.tuples(st.just("pop"), st.just(0), st.just(False)),
    ),
    max_size=60,
)


@given(st.integers(min_value=1, max_value=8), operations)
def test_any_sequence_says_every_call_first_in_order_and_keeps_recalls(max_merge, steps):
    queue = AnnouncementQueue(max_merge=max_merge)
    said = []
    calls = 0
    recalls: dict[int, int] = {}
    for action, repeats, recall in steps:
        if action == "push":
            calls += 1
            call = queue.push_call(f"A{calls:03d}", calls % 24 + 1, recall=recall, repeats=repeats)
            if recall:
                recalls[call.call_id] = repeats
        elif (announcement := queue.pop()) is not None:
            said.append(announcement)
        # A repeat is never said while a call waits to be heard for the first time.
        if queue.has_unheard():
            assert all(call.recall for call in queue.repeating())
    said.extend(iter(queue.pop, None))
    firsts = [call.call_id for a in said if not a.is_repeat for call in a.calls]
    assert firsts == list(range(1, calls + 1))
    assert all(len(a.calls) >= 1 for a in said)
    for call_id, repeats in recalls.items():
        times = sum(call.call_id == call_id for a in said for call in a.calls)
        assert times == repeats  # a recall is said as often as asked, never dropped
