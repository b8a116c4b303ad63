"""The one port every app's model talks to the hall through.

The kiosk, counter and board models are Qt-free and see the hall only as a `HallPort`;
`shared.qt.client.HallConnection` is the real one, tests pass a fake with the same methods.
A reply reaches `callback` as a `shared.protocol.replies.Reply`-shaped object (ok, result,
code, message, reason); events reach the model through the callbacks the app wires.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

Callback = Callable[[Any], None]


class HallPort(Protocol):
    def request(
        self, op: str, params: dict[str, Any] | None = None, callback: Callback | None = None
    ) -> int:
        """Send `op`; `callback` gets its reply. Returns the request's id."""
        ...

    def login(self, clerk: str, pin: str, callback: Callback | None = None) -> None:
        """Log a clerk in on this connection (staff clients only)."""
        ...

    def logout(self, callback: Callback | None = None) -> None:
        """Log the clerk out (staff clients only)."""
        ...

    def resync(self) -> None:
        """Read a fresh snapshot now (the app could not use an event); the app's `ready`
        callback gets it and the events that came meanwhile follow it, in order."""
        ...
