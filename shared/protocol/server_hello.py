"""The server's side of the handshake, and who may send what once it is done (sans-IO).

A connection gets a `welcome` (the protocol version, the hall, a nonce, whether the hall
key is required) and must answer with `hello`: its protocol version, its role, its
client name, a counter's number, and the hall key's proof over the nonce when one is
required. `check_hello` judges that hello; `may_send` judges every later request by the
role the hello gave (and, at a counter, whether a clerk is logged in). Both only decide:
the server does the sending and closing (docs/protocol.md "Handshake").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from shared.domain.errors import ErrorCode, ErrorReason, HallError
from shared.domain.limits import MAX_CLIENT_NAME
from shared.protocol import auth
from shared.protocol.codec import PROTO
from shared.protocol.ops import COUNTER, OPS, ROLES, control_character, is_text


@dataclass(frozen=True)
class Accepted:
    """A hello that identifies the connection."""

    role: str
    client: str  # stripped of surrounding spaces
    counter: int | None  # a counter's number; None for every other role


@dataclass(frozen=True)
class Refused:
    """A hello answered with an error; `close`: the connection is closed after the reply."""

    code: ErrorCode
    message: str
    close: bool = False


def welcome(hall: str, nonce: str, key_required: bool) -> dict[str, Any]:
    """The data of the `welcome` event a new connection gets first."""
    return {"proto": PROTO, "hall": hall, "nonce": nonce, "auth": key_required}


def hello_result(seq: int, server_time: str) -> dict[str, Any]:
    """The result of an accepted hello: from `seq` on, the client follows the events."""
    return {"proto": PROTO, "seq": seq, "server_time": server_time}


def check_hello(
    params: Mapping[str, Any],
    *,
    key: str | None,
    nonce: str,
    counter_exists: Callable[[int], bool],
    already: bool = False,
) -> Accepted | Refused:
    """Judge a hello: a second hello, a protocol mismatch, a wrong hall key, then who it is."""
    if already:
        return Refused(ErrorCode.BAD_REQUEST, "hello was already accepted on this connection")
    proto = params.get("proto")
    if type(proto) is not int or proto != PROTO:
        return Refused(
            ErrorCode.PROTO_MISMATCH,
            f"this server speaks protocol {PROTO}, not {proto!r}",
            close=True,
        )
    if key is not None and not auth.check_hello_auth(key, nonce, params.get("auth")):
        return Refused(ErrorCode.NOT_AUTHENTICATED, "wrong or missing hall key", close=True)
    role, client, counter = params.get("role"), params.get("client"), params.get("counter")
    problem = identity_problem(role, client, counter, counter_exists)
    if problem is not None:
        return Refused(ErrorCode.BAD_REQUEST, problem)
    assert isinstance(role, str) and isinstance(client, str)
    return Accepted(role, client.strip(), counter if role == COUNTER else None)


def identity_problem(
    role: Any, client: Any, counter: Any, counter_exists: Callable[[int], bool]
) -> str | None:
    """What is wrong with a hello's role, client name and counter number, or None."""
    if role not in ROLES:
        return f"'role' must be one of {', '.join(ROLES)}"
    if (
        not isinstance(client, str)
        or not client.strip()
        or len(client) > MAX_CLIENT_NAME
        or not is_text(client)
    ):
        return f"'client' must be a non-empty name of at most {MAX_CLIENT_NAME} characters"
    problem = control_character("client", client)
    if problem:
        return problem
    if role != COUNTER:
        return None
    if isinstance(counter, bool) or not isinstance(counter, int) or not 0 < counter < 2**53:
        return "a counter must send its 'counter' number"
    if not counter_exists(counter):
        return f"counter {counter} does not exist in this hall"
    return None


def may_send(role: str, clerk: str | None, op: Any) -> HallError | None:
    """Why a connection of `role` may not send `op` (forbidden), or None when it may.

    An unknown op is left to `validate_request` (unknown_op). A counter needs a clerk
    logged in for most of its ops.
    """
    spec = OPS.get(op) if isinstance(op, str) else None
    if spec is None:
        return None
    if role not in spec.roles:
        return HallError(ErrorCode.FORBIDDEN, f"a {role} may not use '{op}'")
    if spec.needs_clerk and role == COUNTER and not clerk:
        return log_in_first(op)
    return None


def log_in_first(op: str) -> HallError:
    """The refusal of a counter's `op` that needs a clerk while none is logged in."""
    return HallError(
        ErrorCode.FORBIDDEN,
        f"log in at the counter before '{op}'",
        reason=ErrorReason.CLERK_NOT_LOGGED_IN,
    )
