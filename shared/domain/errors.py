"""Every exception the hall's own code raises: one tree, rooted at `QueueHallError`.

    QueueHallError
    ├── HallError          an error reply of the hall protocol: ErrorCode + message (+ ErrorReason)
    ├── TransitionError    a ticket action the life cycle does not allow (-> HallError conflict)
    ├── ConfigError        a hall or catalog file problem: file, line, what is wrong
    ├── StoreError         the database cannot be used as it is (damaged, newer, not a hall's)
    ├── DatabaseInUse      another server already serves this database
    ├── PagingError        the pages of a catalog/snapshot reply could not be joined
    ├── ReportError        a report cannot be made as asked
    ├── CommandError       an operator command cannot do what was asked (carries its exit code)
    └── the apps' own, each a subclass of QueueHallError defined beside its code:
        PrinterError (queue_kiosk.printing.errors), ShortcutError (counter_client.shortcuts),
        BoardDataError (display_board.items), VoicePackError (display_board.voice.pack),
        VoiceEngineError (display_board.voice.base), ListenError (hall_web.app)

They are mapped only at the edges: the server turns TransitionError into a `conflict`
reply and anything else unexpected into `internal` (shared.server); `queue-hall` turns
CommandError into its `code` and the other errors into EXIT_FAILED with one line on stderr
(shared.cli); the apps show or log them. EXIT_* below are the commands' exit codes.
"""

from __future__ import annotations

import os
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shared.domain.lifecycle import Action, TicketState

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class QueueHallError(Exception):
    """The root of every exception the hall's code raises on purpose."""


class ErrorCode(StrEnum):
    BAD_FRAME = "bad_frame"
    BAD_REQUEST = "bad_request"
    UNKNOWN_OP = "unknown_op"
    NOT_AUTHENTICATED = "not_authenticated"
    PROTO_MISMATCH = "proto_mismatch"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    ISSUING_CLOSED = "issuing_closed"
    INTERNAL = "internal"
    # Added to v1: the database refused a change (disk full, read-only file).
    UNAVAILABLE = "unavailable"


class ErrorReason(StrEnum):
    """Every `reason` the server puts in an error reply: the detail a program acts on.

    Added to v1 (docs/protocol.md, "Error codes", is the contract; this is the code's copy).
    A StrEnum, so a member is sent as its plain value and compares equal to the wire text.
    """

    CALL_TOO_SOON = "call_too_soon"  # conflict: a call inside the counter's call gap
    TOO_FAST = "too_fast"  # not_authenticated: logins on one connection come too fast
    TOO_MANY_CONNECTIONS = "too_many_connections"  # unavailable: a connection cap is reached
    LOCKED_OUT = "locked_out"  # not_authenticated: too many wrong PINs for this clerk
    DISABLED = "disabled"  # not_authenticated: the clerk's id is disabled
    WRONG_PIN = "wrong_pin"  # not_authenticated: an unknown clerk or a wrong PIN
    RATE_LIMIT = "rate_limit"  # issuing_closed: this client issues faster than its limit
    PRIORITY_PROOF = "priority_proof"  # forbidden: a priority issue without the staff PIN
    HOURS = "hours"  # issuing_closed: outside the hall's hours or on a closed weekday
    DAILY_LIMIT = "daily_limit"  # issuing_closed: the service's daily limit is reached
    OTHER_KIOSK = "other_kiosk"  # forbidden: printed/print_failed of another kiosk's ticket
    CLERK_NOT_LOGGED_IN = "clerk_not_logged_in"  # forbidden: a counter op needing its clerk
    PAGE_EXPIRED = "page_expired"  # conflict: a snapshot page the server no longer keeps


class HallError(QueueHallError):
    """An error reply: a protocol code and a human-readable message."""

    def __init__(
        self,
        code: ErrorCode | str,
        message: str,
        reason: str | None = None,
        retry_after_s: int | None = None,
    ) -> None:
        self.code = ErrorCode(code)
        self.message = message
        self.reason = reason  # added to v1: a machine-readable detail (an ErrorReason)
        self.retry_after_s = retry_after_s  # added to v1: seconds until the op may succeed
        super().__init__(f"{self.code.value}: {message}")

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"code": self.code.value, "message": self.message}
        if self.reason:
            wire["reason"] = self.reason
        if self.retry_after_s is not None:
            wire["retry_after_s"] = self.retry_after_s
        return wire


class TransitionError(QueueHallError):
    """An action that the life cycle does not allow from the ticket's state."""

    def __init__(self, state: TicketState, action: Action) -> None:
        self.state, self.action = state, action
        super().__init__(f"cannot {action.value.replace('_', ' ')} a ticket that is {state.value}")


class ConfigError(QueueHallError):
    """A problem in a hall or catalog file: which file, which line (if known), what is wrong."""

    def __init__(self, file: str | os.PathLike[str], line: int | None, problem: str) -> None:
        super().__init__(str(file), line, problem)
        self.file = str(file)
        self.line = line
        self.problem = problem

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.problem}"


class StoreError(QueueHallError):
    """The database cannot be used as it is (newer schema, not a hall database, …)."""


class DatabaseInUse(QueueHallError):
    """Another process already serves this database; the message names it."""


class PagingError(QueueHallError):
    """The pages of a reply could not be joined (the catalog kept changing)."""


class ReportError(QueueHallError):
    """The report cannot be made as asked; the message names the problem."""


class CommandError(QueueHallError):
    """A command cannot do what was asked; the message says why, `code` is the exit code.

    `command` names the subcommand for the commands that say their errors as
    `queue-hall COMMAND: …` (None: `queue-hall: …`).
    """

    def __init__(self, message: str, code: int = EXIT_FAILED, command: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.command = command
