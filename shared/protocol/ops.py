"""The ops of the hall protocol: who may use each, and what parameters each takes.

`validate_request` turns a decoded frame into a `Request` or raises HallError
(bad_request / unknown_op) with a message that names the wrong parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shared.domain import limits
from shared.domain.errors import ErrorCode, HallError
from shared.domain.limits import MAX_KIOSK_MESSAGE
from shared.domain.vocabulary import PRINTER_STATES, RATING_LEVELS

KIOSK, COUNTER, DISPLAY, ADMIN = "kiosk", "counter", "display", "admin"
ROLES = (KIOSK, COUNTER, DISPLAY, ADMIN)
ALL = frozenset(ROLES)

MAX_TEXT = 200
MAX_REQ = 100


def _text(limit: int = MAX_TEXT, empty: bool = False) -> Callable[[str, Any], Any]:
    def check(name: str, value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError(f"'{name}' must be a string, got {_kind(value)}")
        if not empty and not value.strip():
            raise ValueError(f"'{name}' must not be empty")
        if not is_text(value):
            raise ValueError(
                f"'{name}' contains characters that are not valid text (a lone surrogate)"
            )
        if len(value) > limit:
            raise ValueError(f"'{name}' is longer than {limit} characters")
        problem = control_character(name, value)
        if problem:
            raise ValueError(problem)
        return value

    return check


def control_character(name: str, value: str) -> str | None:
    """The message refusing parameter `name` when it holds a control character, else None."""
    found = limits.control_character(value)
    if found is None:
        return None
    position, char = found
    return (
        f"'{name}' contains a control character (U+{ord(char):04X}) at position "
        f"{position}: newlines, tabs, NUL and the like are not allowed"
    )


def is_text(value: str) -> bool:
    """Whether a string can be stored and sent as UTF-8 (JSON escapes allow lone surrogates)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"'{name}' must be true or false, got {_kind(value)}")
    return value


def _int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"'{name}' must be a whole number, got {_kind(value)}")
    if not 0 <= value < 2**53:
        raise ValueError(f"'{name}' is out of range")
    return value


def _cursor(name: str, value: Any) -> str:
    """A page cursor as a reply's `next` gave it (digits)."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) > 9:
        raise ValueError(f"'{name}' must be the 'next' of an earlier reply, got {_kind(value)}")
    return value


def _page_size(name: str, value: Any) -> int:
    value = _int(name, value)
    if value < 1:
        raise ValueError(f"'{name}' must be at least 1")
    return value


def _ticket_ref(name: str, value: Any) -> int | str:
    """A ticket id (int) or a ticket number like "A007"."""
    if (
        isinstance(value, str)
        and value.strip()
        and len(value) <= 16
        and is_text(value)
        and not control_character(name, value)
    ):
        return value.strip().upper()
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**53:
        return value
    raise ValueError(
        f"'{name}' must be a ticket id or a ticket number like \"A007\", got {_kind(value)}"
    )


MAX_VIEW_TOKENS = 40  # tokens in one `ticket_view`: its reply stays within PAGE_BUDGET (tested)


def _token_list(name: str, value: Any) -> list[str]:
    """1 to MAX_VIEW_TOKENS ticket tokens (short strings; their form is judged per token)."""
    if not isinstance(value, list):
        raise ValueError(f"'{name}' must be a list of ticket tokens, got {_kind(value)}")
    if not 1 <= len(value) <= MAX_VIEW_TOKENS:
        raise ValueError(f"'{name}' must hold 1 to {MAX_VIEW_TOKENS} tokens, got {len(value)}")
    for item in value:
        if not isinstance(item, str) or len(item) > 64 or not is_text(item):
            raise ValueError(f"every item of '{name}' must be a string of at most 64 characters")
    return value


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


@dataclass(frozen=True)
class OpSpec:
    roles: frozenset[str]
    required: dict[str, Callable[[str, Any], Any]] = field(default_factory=dict)
    optional: dict[str, Callable[[str, Any], Any]] = field(default_factory=dict)
    needs_clerk: bool = False  # a counter op that needs a logged-in clerk
    one_of: tuple[str, ...] = ()  # exactly one of these optional params must be given

    @property
    def idempotent(self) -> bool:
        return "req" in self.required


REQ = {"req": _text(MAX_REQ)}

OPS: dict[str, OpSpec] = {
    "hello": OpSpec(ALL),  # checked by the server itself (handshake)
    "ping": OpSpec(ALL),
    # Added to v1: `after` and `limit` page the services; the reply's `next` continues.
    "catalog": OpSpec(ALL, optional={"after": _cursor, "limit": _page_size}),
    # Added to v1: `page` fetches the next page of a snapshot too big for one frame.
    "snapshot": OpSpec(ALL, optional={"page": _text(64)}),
    "issue": OpSpec(
        frozenset({KIOSK, ADMIN}),
        required={"service": _text(64), **REQ},
        # Added to v1: the staff PIN that proves a priority ticket was granted by staff.
        optional={"priority": _bool, "priority_pin": _text(64)},
    ),
    "printed": OpSpec(frozenset({KIOSK, ADMIN}), required={"ticket": _int}),
    "print_failed": OpSpec(
        frozenset({KIOSK, ADMIN}),
        required={"ticket": _int},
        optional={"reason": _text(MAX_TEXT, empty=True)},
    ),
    "login": OpSpec(frozenset({COUNTER}), required={"clerk": _text(64), "pin": _text(64)}),
    "logout": OpSpec(frozenset({COUNTER}), needs_clerk=True),
    "call_next": OpSpec(frozenset({COUNTER}), required=dict(REQ), needs_clerk=True),
    "call": OpSpec(frozenset({COUNTER}), required={"ticket": _ticket_ref, **REQ}, needs_clerk=True),
    "recall": OpSpec(frozenset({COUNTER}), needs_clerk=True),
    "start": OpSpec(frozenset({COUNTER}), needs_clerk=True),
    "finish": OpSpec(frozenset({COUNTER}), needs_clerk=True),
    "no_show": OpSpec(frozenset({COUNTER}), needs_clerk=True),
    "transfer": OpSpec(
        frozenset({COUNTER}),
        required=dict(REQ),
        optional={"service": _text(64), "counter": _int},
        needs_clerk=True,
        one_of=("service", "counter"),
    ),
    "reactivate": OpSpec(
        frozenset({COUNTER, ADMIN}), required={"ticket": _ticket_ref}, needs_clerk=True
    ),
    "pause": OpSpec(
        frozenset({COUNTER}), optional={"reason": _text(MAX_TEXT, empty=True)}, needs_clerk=True
    ),
    "resume": OpSpec(frozenset({COUNTER}), needs_clerk=True),
    "queue": OpSpec(frozenset({COUNTER}), optional={"limit": _int}, needs_clerk=True),
    # Added to v1: the resident rates a finished ticket once (评价器), from the counter's rating panel.
    # A counter needs its clerk logged in (ratings feed the clerks' assessment), or to have
    # finished the ticket in the last two minutes (the service checks which).
    "rate": OpSpec(
        frozenset({COUNTER, ADMIN}),
        required={"ticket": _int, "level": _text(32)},
    ),
    # Added to v1: today's figures of the clerk logged in at this counter.
    "clerk_stats": OpSpec(frozenset({COUNTER}), needs_clerk=True),
    # Added to v1: the running server's connections, load and reply times (for the IT person).
    "server_stats": OpSpec(frozenset({ADMIN}), optional={"reset": _bool}),
    # The server's own: a counter whose client has been gone too long closes (no client sends it).
    "counter_gone": OpSpec(frozenset({"server"})),
    # Added to v1: today's no-shows, for the counter's reactivate list.
    "no_shows": OpSpec(frozenset({COUNTER}), optional={"limit": _int}, needs_clerk=True),
    # Added to v1: a kiosk reports its printer so counters and the board can show it.
    "kiosk_status": OpSpec(
        frozenset({KIOSK}),
        required={"printer": _text(32)},
        optional={"message": _text(MAX_KIOSK_MESSAGE, empty=True)},
    ),
    # Added to v1: what one resident's ticket page shows, found by the ticket's web token.
    "ticket_view": OpSpec(frozenset({DISPLAY, ADMIN}), required={"tokens": _token_list}),
}


@dataclass(frozen=True)
class Request:
    id: int | str
    op: str
    params: dict[str, Any]

    @property
    def req(self) -> str | None:
        value = self.params.get("req")
        return value if isinstance(value, str) else None


def request_id(message: dict[str, Any]) -> int | str | None:
    """The frame's id if it is a usable one (an integer or a string), else None."""
    value = message.get("id")
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (
        isinstance(value, str) and len(value) <= MAX_REQ and is_text(value)
    ):
        return value
    return None


def validate_request(message: dict[str, Any]) -> Request:
    """Check a decoded frame against the op table; HallError names what is wrong."""
    rid = request_id(message)
    if rid is None:
        raise HallError(
            ErrorCode.BAD_REQUEST, "a request needs an 'id' that is a number or a short string"
        )
    op = message.get("op")
    if not isinstance(op, str):
        raise HallError(ErrorCode.BAD_REQUEST, "a request needs an 'op' string")
    spec = OPS.get(op)
    if spec is None:
        raise HallError(ErrorCode.UNKNOWN_OP, f"unknown op {op[:40]!r}")
    if op == "hello":
        return Request(rid, op, {k: v for k, v in message.items() if k not in ("id", "op")})
    params: dict[str, Any] = {}
    try:
        for name, check in spec.required.items():
            if name not in message or message[name] is None:
                raise ValueError(f"'{op}' needs the parameter '{name}'")
            params[name] = check(name, message[name])
        for name, check in spec.optional.items():
            if name in message and message[name] is not None:
                params[name] = check(name, message[name])
        if spec.one_of and sum(name in params for name in spec.one_of) != 1:
            raise ValueError(
                f"'{op}' needs exactly one of " + " or ".join(f"'{n}'" for n in spec.one_of)
            )
    except ValueError as exc:
        raise HallError(ErrorCode.BAD_REQUEST, str(exc)) from None
    if op == "rate" and params["level"] not in RATING_LEVELS:
        raise HallError(ErrorCode.BAD_REQUEST, f"'level' must be one of {', '.join(RATING_LEVELS)}")
    if op == "kiosk_status" and params["printer"] not in PRINTER_STATES:
        raise HallError(
            ErrorCode.BAD_REQUEST, f"'printer' must be one of {', '.join(PRINTER_STATES)}"
        )
    return Request(rid, op, params)
