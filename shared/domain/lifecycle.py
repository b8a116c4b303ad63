"""The ticket life cycle: every allowed state change, in one table.

The server applies these transitions; the counter client asks the same table
which buttons to enable. Nothing else decides what may happen to a ticket.

    pending --printed / pending timeout--> waiting --call--> called --start--> serving
       |                                     ^  ^              |  |              |
       +--print_failed--> cancelled          |  +--transfer----+  +--finish--> done <--+
                                             +--reactivate-- no_show <--no_show--+
    pending / waiting / called / serving --day reset--> expired
"""

from __future__ import annotations

from enum import StrEnum

from shared.domain.errors import TransitionError


class TicketState(StrEnum):
    PENDING = "pending"
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class Action(StrEnum):
    PRINTED = "printed"
    PRINT_FAILED = "print_failed"
    PENDING_TIMEOUT = "pending_timeout"
    CALL = "call"
    RECALL = "recall"
    START = "start"
    FINISH = "finish"
    NO_SHOW = "no_show"
    TRANSFER = "transfer"
    REACTIVATE = "reactivate"
    EXPIRE = "expire"


S, A = TicketState, Action

TRANSITIONS: dict[tuple[TicketState, Action], TicketState] = {
    (S.PENDING, A.PRINTED): S.WAITING,
    (S.PENDING, A.PRINT_FAILED): S.CANCELLED,
    (S.PENDING, A.PENDING_TIMEOUT): S.WAITING,
    (S.WAITING, A.CALL): S.CALLED,
    (S.CALLED, A.RECALL): S.CALLED,
    (S.CALLED, A.START): S.SERVING,
    (S.CALLED, A.FINISH): S.DONE,
    (S.SERVING, A.FINISH): S.DONE,
    (S.CALLED, A.NO_SHOW): S.NO_SHOW,
    (S.CALLED, A.TRANSFER): S.WAITING,
    (S.SERVING, A.TRANSFER): S.WAITING,
    (S.NO_SHOW, A.REACTIVATE): S.WAITING,
    (S.PENDING, A.EXPIRE): S.EXPIRED,
    (S.WAITING, A.EXPIRE): S.EXPIRED,
    (S.CALLED, A.EXPIRE): S.EXPIRED,
    (S.SERVING, A.EXPIRE): S.EXPIRED,
}

# States in which a ticket still belongs to the day's work (expired at day reset).
OPEN_STATES = frozenset({S.PENDING, S.WAITING, S.CALLED, S.SERVING})
# States in which a counter holds the ticket.
HELD_STATES = frozenset({S.CALLED, S.SERVING})


def allowed(state: TicketState, action: Action) -> bool:
    return (state, action) in TRANSITIONS


def next_state(state: TicketState, action: Action) -> TicketState:
    """The state after `action`, or TransitionError when the table does not allow it."""
    try:
        return TRANSITIONS[(TicketState(state), Action(action))]
    except KeyError:
        raise TransitionError(TicketState(state), Action(action)) from None


def allowed_actions(state: TicketState) -> frozenset[Action]:
    return frozenset(a for (s, a) in TRANSITIONS if s == state)


class CounterState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    PAUSED = "paused"


# The counter ops that act on the ticket in hand, and the life-cycle action each takes.
TICKET_OPS: dict[str, Action] = {
    "recall": A.RECALL,
    "start": A.START,
    "finish": A.FINISH,
    "no_show": A.NO_SHOW,
    "transfer": A.TRANSFER,
}


# Counter ops and what they need, on top of the ticket transitions above.
# The server enforces these; the counter client enables its buttons from them.
def counter_ops(
    counter_state: CounterState | str | None, ticket_state: TicketState | str | None
) -> frozenset[str]:
    """The counter ops that are allowed now (ops that take no ticket state are always listed).

    `counter_state` None means no clerk is logged in.
    """
    if counter_state is None or counter_state == CounterState.CLOSED:
        return frozenset({"login"})
    held = TicketState(ticket_state) if ticket_state else None
    ops = {"queue", "reactivate"}
    if counter_state == CounterState.PAUSED:
        ops.add("resume")
    else:
        ops |= {"call_next", "call"}
    if held is None:
        ops.add("logout")
        if counter_state == CounterState.OPEN:
            ops.add("pause")
        return frozenset(ops)
    for op, action in TICKET_OPS.items():
        if allowed(held, action):
            ops.add(op)
    return frozenset(ops)
