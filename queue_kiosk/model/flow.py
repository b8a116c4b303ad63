"""The issue flow: one touch on a matter becomes one printed ticket, or a notice and none.

    CHECKING_PRINTER --paper/online ok--> ISSUING --issue ok--> PRINTING --printed--> confirmation
          |                                  |                       |
    paper out / offline:               refused / timeout:      printer raised:
    no ticket, kiosk_status            no ticket               print_failed (ticket cancelled)

One ticket at a time: a second touch while a flow runs is ignored. A ticket the server
issued after the kiosk stopped waiting is cancelled with `print_failed`, so the queue never
holds a ticket nobody has in hand; `printed` and `print_failed` lost to a dropped
connection are sent again once it is back.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from queue_kiosk.model.catalog import Matter
from queue_kiosk.model.ports import JobResult
from queue_kiosk.model.printer import printer_state_of_error
from queue_kiosk.model.priority import PriorityLane
from queue_kiosk.model.state import Screen
from queue_kiosk.model.ticket import Confirmation, Flow, Notice, Phase, Problem, ticket_url
from shared.domain.errors import ErrorReason
from shared.domain.vocabulary import PRINTER_BLOCKED

log = logging.getLogger(__name__)


class IssueFlow(PriorityLane):
    """A touch on a matter, through the printer check, the server and the printer."""

    def why_not(self, matter: Matter) -> Problem | None:
        """Why touching this matter would give no ticket right now, or None."""
        if not self.online:
            return Problem.SERVER_OFFLINE
        if not self.issuing:
            return Problem.HALL_CLOSED
        if matter.full:
            return Problem.SERVICE_FULL
        if not matter.open:
            return Problem.SERVICE_CLOSED
        return None

    def select_matter(self, code: str) -> None:
        """A touch on a matter: check the printer, then issue and print one ticket."""
        self._touch()
        if self.screen is not Screen.MATTERS or self.busy:
            return  # the second and third touch of a double tap end here
        matter = next((m for m in self.matters if m.code == code), None)
        if matter is None or self.why_not(matter) is not None:
            return  # its button says why; nothing is issued
        self._tokens += 1
        flow = Flow(self._tokens, matter, self.priority_armed, Phase.CHECKING_PRINTER, self.clock())
        self._flow = flow
        self._go(Screen.WORKING)
        self._changed()
        if self.reads_status:
            self.runner.run(self.printer.status, lambda result: self._on_status(flow.token, result))
        else:
            self._issue(flow)

    def _current(self, token: int) -> Flow | None:
        return self._flow if self._flow is not None and self._flow.token == token else None

    def _on_status(self, token: int, result: JobResult) -> None:
        flow = self._current(token)
        state, detail = self._take_status(result)
        if flow is None or flow.phase is not Phase.CHECKING_PRINTER:
            return  # gave up waiting, or a background poll
        if state in PRINTER_BLOCKED:
            problem = {"paper_out": Problem.PAPER_OUT, "offline": Problem.PRINTER_OFFLINE}.get(
                state, Problem.PRINTER_ERROR
            )
            self._fail(problem, detail)
            return
        self._issue(flow)

    def _issue(self, flow: Flow) -> None:
        flow.phase = Phase.ISSUING
        flow.started = self.clock()
        params: dict[str, Any] = {"service": flow.matter.code, "priority": flow.priority}
        if flow.priority and self._priority_pin:
            params["priority_pin"] = self._priority_pin  # the server checks the staff PIN too
        self.hall.request("issue", params, lambda reply: self._on_issued(flow.token, reply))

    def _on_issued(self, token: int, reply: Any) -> None:
        flow = self._current(token)
        if flow is None or flow.phase is not Phase.ISSUING:
            if reply.ok:  # issued after the resident was told "no ticket": take it back
                ticket_id = reply.result["ticket"]["id"]
                self._confirm(
                    "print_failed",
                    {
                        "ticket": ticket_id,
                        "reason": "kiosk stopped waiting for the server; nothing was printed",
                    },
                )
            return
        if not reply.ok:
            if reply.code == "issuing_closed":
                self.refresh_catalog()
                # One code covers these; the error's reason tells them apart.
                problem = {
                    ErrorReason.DAILY_LIMIT: Problem.SERVICE_FULL,
                    ErrorReason.RATE_LIMIT: Problem.TOO_FAST,
                }.get(reply.reason, Problem.HALL_CLOSED)
            elif reply.code == "disconnected":
                problem = Problem.SERVER_OFFLINE
            else:
                problem = Problem.ISSUE_REFUSED
            self._fail(problem, reply.message)
            return
        flow.ticket = reply.result["ticket"]
        flow.ahead = int(reply.result.get("ahead", 0))
        flow.est_wait_s = int(reply.result.get("est_wait_s", 0))
        flow.qr_url = ticket_url(reply.result.get("url"))
        flow.phase = Phase.PRINTING
        self._changed()
        try:
            slip = self._slip(flow)
            data = self.render(slip, self.paper_mm)
        except Exception as exc:  # a slip that cannot be laid out prints nothing
            log.exception("ticket %s could not be laid out", flow.ticket.get("number"))
            self._print_done(token, JobResult(error=exc))
            return

        def job() -> str | None:
            self.printer.print_ticket(data)
            return self._save_preview(data) if self._save_preview else None

        self.runner.run(job, lambda result: self._print_done(token, result))

    def _slip(self, flow: Flow) -> Any:
        ticket = flow.ticket or {}
        category = next((c for c in self.categories if c.code == flow.matter.category), None)
        return self.make_slip(
            hall=self.hall_name,
            number=str(ticket["number"]),
            service_name=flow.matter.name,
            category_name=category.name if category else "",
            ahead=flow.ahead,
            est_wait_s=flow.est_wait_s,
            issued_at=datetime.fromisoformat(ticket["issued_at"]),
            ticket_id=int(ticket["id"]),
            priority=bool(ticket.get("priority", flow.priority)),
            notice=self.ticket_notice,
            lang=self.lang,
            qr_url=flow.qr_url,
            counters=flow.matter.counters,
        )

    def _print_done(self, token: int, result: JobResult) -> None:
        flow = self._current(token)
        if flow is None or flow.ticket is None:
            return
        ticket_id = int(flow.ticket["id"])
        if result.error is not None:
            reason = str(result.error) or type(result.error).__name__
            self._confirm("print_failed", {"ticket": ticket_id, "reason": reason[:200]})
            self._set_printer_state(printer_state_of_error(result.error), reason)
            self._fail(Problem.PRINT_FAILED, reason)
            return
        self._confirm("printed", {"ticket": ticket_id})
        self.issued_count += 1
        category = next((c for c in self.categories if c.code == flow.matter.category), None)
        self.confirmation = Confirmation(
            number=str(flow.ticket["number"]),
            service_name=flow.matter.name,
            category_name=category.name if category else "",
            ahead=flow.ahead,
            est_wait_s=flow.est_wait_s,
            priority=bool(flow.ticket.get("priority", flow.priority)),
            preview_path=result.value if isinstance(result.value, str) else None,
            counters=flow.matter.counters,
        )
        self._flow = None
        self.priority_armed = False
        if self.printer_state in PRINTER_BLOCKED:
            self._set_printer_state("ok", "")  # it printed, so the trouble is over
        self._go(Screen.CONFIRMATION)
        self._changed()

    def _fail(self, problem: Problem, detail: str = "") -> None:
        self._flow = None
        self.notice = Notice(problem, detail)
        self._go(Screen.NOTICE)
        self._changed()

    def _confirm(self, op: str, params: dict[str, Any]) -> None:
        """Send printed / print_failed; kept and sent again after a reconnect until answered."""

        def done(reply: Any) -> None:
            if not reply.ok and reply.code == "disconnected":
                self._unconfirmed.append((op, params))
            elif not reply.ok:
                log.warning("%s for ticket %s refused: %s", op, params["ticket"], reply.message)

        self.hall.request(op, params, done)

    def _resend_unconfirmed(self) -> None:
        pending, self._unconfirmed = self._unconfirmed, []
        for op, params in pending:
            self._confirm(op, params)
