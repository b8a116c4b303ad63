"""The client's half of the handshake: the `hello` it answers the server's `welcome` with.

The server opens every connection with a `welcome` event (its nonce, and `auth` when the
hall has a key); the client answers with `hello` naming its role, its name, its counter and,
in a keyed hall, the HMAC of the nonce. Every client builds that frame here; the server's
check of it is `shared.protocol.server_hello`.
"""

from __future__ import annotations

from typing import Any

from shared.domain.errors import ErrorCode, HallError
from shared.protocol import auth
from shared.protocol.codec import PROTO

MISSING_KEY = "this hall needs its hall key (set QUEUE_HALL_KEY)"


def build_hello(
    welcome: dict[str, Any],
    role: str,
    client: str,
    key: str | None = None,
    counter: int | None = None,
) -> dict[str, Any]:
    """The params of `hello` (without `op`) for this `welcome`; HallError when the hall asks
    for a key and none was given."""
    hello: dict[str, Any] = {"proto": PROTO, "role": role, "client": client}
    if counter is not None:
        hello["counter"] = counter
    if welcome.get("auth"):
        if not key:
            raise HallError(ErrorCode.NOT_AUTHENTICATED, MISSING_KEY)
        hello["auth"] = auth.hello_auth(key, str(welcome.get("nonce", "")))
    return hello
