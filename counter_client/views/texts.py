"""Every text the clerk reads about what happened, in the interface language.

The model names what happened with a `Notice` key and its arguments (counter_client.model.notices);
`CounterTexts` words it. Its tables are the one place a refusal, a login problem or an
outcome is phrased, so the window, the login page and the tests (every key has a Chinese
text) read the same words. The server's English message never reaches the clerk: it goes
to the log.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from PySide6.QtCore import QObject

from counter_client.model import CounterModel, Notice
from shared.domain.errors import ErrorReason

log = logging.getLogger(__name__)


class CounterTexts(QObject):
    """The words of the counter window: action and state labels, notices, refusals."""

    def __init__(self, model: CounterModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model

    def action_label(self, action: str) -> str:
        labels = {
            "call_next": self.tr("Call next"),
            "recall": self.tr("Recall"),
            "start": self.tr("Start"),
            "finish": self.tr("Finish"),
            "no_show": self.tr("No-show"),
            "transfer": self.tr("Transfer"),
            "call": self.tr("Special call"),
            "pause_resume": self.tr("Resume") if self.model.paused else self.tr("Pause"),
            "reactivate": self.tr("Reactivate"),
        }
        return labels[action]

    def state_label(self, state: str) -> str:
        return {
            "called": self.tr("Called"),
            "serving": self.tr("Serving"),
        }.get(state, state)

    def notice_text(self, notice: Notice) -> str:
        """The clerk's message for a notice, in the interface language (never the server's
        English text: that goes to the log)."""
        args = dict(notice.args)
        code = str(args.get("code", ""))
        if notice.key == "op_failed":
            text = self.refusal_text(
                str(args.get("op", "")), code, str(args.get("reason", "")), args
            )
        elif notice.key == "login_failed":
            text = self.login_refusal_text(code, str(args.get("reason", "")), notice.detail)
        else:
            key = self.model.shortcuts
            texts = self.notice_texts(code, notice.detail)
            args.setdefault("again", key["call_next"])
            args.setdefault("no_show", key["no_show"])
            text = texts.get(notice.key, "")
            if not text:
                log.warning("no text for notice %s", notice.key)
                text = self.tr("Done.") if notice.level == "info" else self.tr("Not done.")
            text = text.format(**args)
        if notice.detail:
            log.info("server said: %s (%s)", notice.detail, notice.key)
        return text

    def notice_texts(self, code: str = "", detail: str = "") -> dict[str, str]:
        """The text of every notice key but the refusals (see refusal_texts)."""
        return {
            "login_incomplete": self.tr("Enter your clerk ID and PIN."),
            "login_lost": self.tr("A new business day has begun: please log in again.")
            if code == "day_reset"
            else self.tr(
                "You have been logged out: the hall server closed this counter (a staff member "
                "works at one counter at a time; this staff ID may be logged in at another "
                "counter). Log in again to reopen it."
            )
            if code == "counter_closed"
            else self.tr("You have been logged out: the server refused your login."),
            "handshake_failed": self.handshake_text(code, detail),
            "disconnected": self.tr("Not done: the connection to the hall server was lost."),
            "nobody_waiting": self.tr("Nobody is waiting for this counter."),
            "finished_nobody_waiting": self.tr(
                "{done} finished. Nobody else is waiting for this counter."
            ),
            "finished_and_called": self.tr("{done} finished; now calling {number}."),
            "finished": self.tr("{number} finished."),
            "no_show_done": self.tr("{number} marked as a no-show."),
            "reactivated": self.tr("{number} is back in the queue."),
            "transferred_to_counter": self.tr("{number} has been transferred to {to}."),
            "transferred_to_service": self.tr(
                "{number} has been transferred to the queue of {to}."
            ),
            "number_missing": self.tr("Enter a ticket number."),
            "confirm_finish_unstarted": self.tr(
                "{number} has not been started. Press {again} again to finish it and call "
                "the next, or {no_show} to mark it a no-show."
            ),
        }

    def login_refusal_text(self, code: str, reason: str, detail: str) -> str:
        if reason == ErrorReason.LOCKED_OUT:
            until = re.search(r"until (\d{1,2}:\d{2})", detail or "")
            if until:
                return self.tr(
                    "Too many wrong PINs: this clerk is locked out until {time} (the "
                    "administrator can reset the PIN)."
                ).format(time=until.group(1))
            return self.tr(
                "Too many wrong PINs: this clerk is locked out for 10 minutes (the administrator "
                "can reset the PIN)."
            )
        if reason == ErrorReason.DISABLED:
            return self.tr("This clerk ID is disabled.")
        if code == "not_authenticated":
            return self.tr("Login refused: unknown clerk ID or wrong PIN.")
        if code == "disconnected":
            return self.tr("Login failed: no connection to the hall server.")
        if code == "conflict":
            return self.tr("This clerk is logged in at another counter: log out there first.")
        return self.refusal_text("login", code, reason, {})

    def handshake_text(self, code: str, detail: str) -> str:
        if code == "not_authenticated":
            return self.tr(
                "The hall server refused this counter: the hall key is wrong or missing (give "
                "the hall file with --config HALL.toml, or set QUEUE_HALL_KEY)."
            )
        if code == "proto_mismatch":
            return self.tr("The hall server speaks another protocol version: update this program.")
        if "does not exist" in (detail or ""):
            return self.tr("Counter {n} does not exist in this hall.").format(n=self.model.number)
        return self.tr("The hall server refused this counter.")

    def refusal_text(self, op: str, code: str, reason: str, args: dict[str, Any]) -> str:
        """A refusal's text: by op and error code, else by error code alone."""
        texts = self.refusal_texts()
        text = texts.get(("reason", reason)) or texts.get((op, code)) or texts.get(("", code))
        if text is None:
            log.warning("no text for refusal %s of %s", code, op)
            text = self.tr("The hall server refused this action.")
        return text.format(ticket=str(args.get("ticket") or ""))

    def refusal_texts(self) -> dict[tuple[str, str], str]:
        """One table: every refusal a clerk can meet, by (op, error code); op "" for any op;
        ("reason", r) for a refusal that names its reason."""
        return {
            ("reason", ErrorReason.CALL_TOO_SOON): self.tr(
                "Too soon after the last call: wait a few seconds."
            ),
            ("call", "not_found"): self.tr("There is no ticket {ticket} today."),
            ("call", "conflict"): self.tr(
                "{ticket} cannot be called here: it is not waiting, or it is kept for another "
                "counter."
            ),
            ("call", "bad_request"): self.tr(
                "{ticket} is not a ticket number: a letter and digits, e.g. A007."
            ),
            ("call_next", "conflict"): self.tr("The counter is paused: resume it before calling."),
            ("recall", "conflict"): self.tr(
                "Only a called ticket can be called again: this one was already started or closed."
            ),
            ("start", "conflict"): self.tr("This ticket was already started or closed."),
            ("finish", "conflict"): self.tr("This ticket was already closed."),
            ("no_show", "conflict"): self.tr(
                "Only a called ticket that was not started can be marked a no-show."
            ),
            ("transfer", "not_found"): self.tr("That service or counter no longer exists."),
            ("transfer", "conflict"): self.tr(
                "Not transferred: the ticket is no longer at this counter, or the target is this "
                "counter."
            ),
            ("reactivate", "not_found"): self.tr("There is no ticket {ticket} today."),
            ("reactivate", "conflict"): self.tr("{ticket} is not one of today's no-shows."),
            ("reactivate", "bad_request"): self.tr(
                "{ticket} is not a ticket number: a letter and digits, e.g. A007."
            ),
            ("pause", "conflict"): self.tr("Finish or transfer the ticket in hand before pausing."),
            ("resume", "conflict"): self.tr("The counter is not paused."),
            ("", "forbidden"): self.tr(
                "Refused: another clerk has logged in at this counter, or you were logged out. "
                "Log in again."
            ),
            ("", "not_authenticated"): self.tr(
                "Refused: the hall server does not know this counter any more. Restart the program."
            ),
            ("", "unavailable"): self.tr(
                "Not done: the hall server cannot save right now (disk full or read-only). Try "
                "again shortly."
            ),
            ("", "internal"): self.tr("Not done: the hall server had an error. Try again."),
            ("", "not_found"): self.tr("Not done: the hall server does not know this ticket."),
            ("", "conflict"): self.tr(
                "Not done: the ticket or counter has changed meanwhile (another counter or the "
                "administrator). The window shows the current state."
            ),
            ("", "bad_request"): self.tr(
                "Not done: the hall server did not understand the request. Update this program."
            ),
            ("", "unknown_op"): self.tr(
                "Not done: the hall server is older than this program and lacks this action."
            ),
            ("", "disconnected"): self.tr("Not done: the connection to the hall server was lost."),
        }

    # -- rendering ----------------------------------------------------------------------------
