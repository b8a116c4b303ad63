"""What every shell around a `ClientSession` offers the application, written once.

The Qt connection (`shared.qt.client.HallConnection`) and the asyncio link
(`hall_hardware.link.HallLink`) differ only in how they move bytes and keep time; the
state they show and the requests they take are the session's. A shell inherits this and
sets `session`.
"""

from __future__ import annotations

from typing import Any

from shared.protocol.retry import Callback
from shared.protocol.session import ClientSession


class SessionShell:
    session: ClientSession

    @property
    def state(self) -> str:
        return self.session.state

    @property
    def online(self) -> bool:
        return self.session.online

    @property
    def snapshot(self) -> dict[str, Any] | None:
        return self.session.snapshot

    @property
    def hello(self) -> dict[str, Any] | None:
        return self.session.hello

    @property
    def welcome(self) -> dict[str, Any] | None:
        return self.session.welcome

    @property
    def seq(self) -> int:
        return self.session.seq

    @seq.setter
    def seq(self, value: int) -> None:
        self.session.seq = value

    def request(
        self, op: str, params: dict[str, Any] | None = None, callback: Callback | None = None
    ) -> int:
        """Send a request; `callback(Reply)` is called exactly once."""
        return self.session.request(op, params, callback)

    def login(self, clerk: str, pin: str, callback: Callback | None = None) -> None:
        """Log the counter's clerk in now and again after every reconnect."""
        self.session.login(clerk, pin, callback)

    def forget_login(self) -> None:
        """Do not log the clerk in again on the next reconnect (the server closed the counter)."""
        self.session.forget_login()

    def logout(self, callback: Callback | None = None) -> None:
        self.session.logout(callback)

    def resync(self) -> None:
        """Read a fresh snapshot now; `ready` brings it, events wait for it."""
        self.session.resync()
