"""The protocol's shared word lists: printer states, counter states, rating levels.

Server, board, counter client and kiosk import these from here, so a value the
contract allows is known to every program. A client meeting a value that is not
listed (a newer server) skips that one item and logs it; it never drops the rest.
"""

from __future__ import annotations

from shared.domain.lifecycle import CounterState, TicketState

# What a kiosk reports about its printer (`kiosk_status`, `kiosk_changed`, `snapshot.kiosks`).
PRINTER_STATES = ("ok", "near_end", "paper_out", "offline", "error", "unknown")
# Printer states in which the kiosk cannot print at all.
PRINTER_BLOCKED = ("paper_out", "offline", "error")
# Printer states staff are told about ("unknown": a printer that cannot report, not a fault).
PRINTER_NEEDS_STAFF = ("near_end", *PRINTER_BLOCKED)
COUNTER_STATES = tuple(state.value for state in CounterState)
TICKET_STATES = tuple(state.value for state in TicketState)
# Satisfaction levels, best first: 非常满意 / 满意 / 基本满意 / 不满意.
RATING_LEVELS = ("very_satisfied", "satisfied", "basic", "unsatisfied")
