"""The ticket life cycle table: every allowed and every refused transition."""

from __future__ import annotations

import itertools

import pytest

from shared.domain.lifecycle import (
    TRANSITIONS,
    Action,
    CounterState,
    TicketState,
    TransitionError,
    allowed,
    allowed_actions,
    counter_ops,
    next_state,
)

S, A = TicketState, Action

EXPECTED = {
    (S.PENDING, A.PRINTED): S.WAITING,
    (S.PENDING, A.PRINT_FAILED): S.CANCELLED,
    (S.PENDING, A.PENDING_TIMEOUT): S.WAITING,
    (S.PENDING, A.EXPIRE): S.EXPIRED,
    (S.WAITING, A.CALL): S.CALLED,
    (S.WAITING, A.EXPIRE): S.EXPIRED,
    (S.CALLED, A.RECALL): S.CALLED,
    (S.CALLED, A.START): S.SERVING,
    (S.CALLED, A.FINISH): S.DONE,
    (S.CALLED, A.NO_SHOW): S.NO_SHOW,
    (S.CALLED, A.TRANSFER): S.WAITING,
    (S.CALLED, A.EXPIRE): S.EXPIRED,
    (S.SERVING, A.FINISH): S.DONE,
    (S.SERVING, A.TRANSFER): S.WAITING,
    (S.SERVING, A.EXPIRE): S.EXPIRED,
    (S.NO_SHOW, A.REACTIVATE): S.WAITING,
}


@pytest.mark.parametrize(("state", "action"), sorted(EXPECTED))
def test_allowed_transition_leads_to_expected_state(state, action):
    assert allowed(state, action)
    assert next_state(state, action) == EXPECTED[(state, action)]


REFUSED = [pair for pair in itertools.product(S, A) if pair not in EXPECTED]


@pytest.mark.parametrize(("state", "action"), REFUSED)
def test_every_other_transition_is_refused(state, action):
    assert not allowed(state, action)
    with pytest.raises(TransitionError) as info:
        next_state(state, action)
    assert state.value in str(info.value)


def test_table_is_exactly_the_documented_one():
    assert TRANSITIONS == EXPECTED


@pytest.mark.parametrize("final", [S.DONE, S.CANCELLED, S.EXPIRED])
def test_final_states_allow_nothing(final):
    assert allowed_actions(final) == frozenset()


@pytest.mark.parametrize(
    ("counter", "ticket", "expected"),
    [
        (None, None, {"login"}),
        (CounterState.CLOSED, None, {"login"}),
        (CounterState.OPEN, None, {"call_next", "call", "queue", "reactivate", "pause", "logout"}),
        (CounterState.PAUSED, None, {"resume", "queue", "reactivate", "logout"}),
        (
            CounterState.OPEN,
            S.CALLED,
            {
                "call_next",
                "call",
                "queue",
                "reactivate",
                "recall",
                "start",
                "finish",
                "no_show",
                "transfer",
            },
        ),
        (
            CounterState.OPEN,
            S.SERVING,
            {"call_next", "call", "queue", "reactivate", "finish", "transfer"},
        ),
    ],
)
def test_counter_ops_follow_counter_and_ticket_state(counter, ticket, expected):
    assert counter_ops(counter, ticket) == frozenset(expected)
