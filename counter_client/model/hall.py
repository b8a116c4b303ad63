"""Reading the hall's lists as one counter needs them: services, counters, kiosks, times.

The model keeps the hall's data as the server sent it (plain dicts, already checked by
shared.protocol.readable); these functions answer the window's questions about it: a
service's name in the clerk's language, the matters and counters a ticket may go to, the
kiosks whose printer needs staff, how long a ticket has waited. They hold no state, so the
model stays the one owner of what the hall looks like.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from shared.domain import search
from shared.domain.lifecycle import HELD_STATES

log = logging.getLogger(__name__)


def parse_time(text: str | None) -> float | None:
    """An ISO 8601 time from the server -> POSIX timestamp; None when absent or unreadable."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).timestamp()
    except ValueError:
        return None


def service_name(services: Mapping[str, Mapping[str, Any]], code: str | None, lang: str) -> str:
    """A service's name in the clerk's language; its code when the catalog lacks it."""
    if not code:
        return ""
    service = services.get(code)
    if service is None:
        return code
    if lang == "en" and service.get("name_en"):
        return str(service["name_en"])
    return str(service.get("name") or code)


def find_services(services: Iterable[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """The matters matching `text` by part of their name (either language) or their pinyin
    initials, best first; every matter when `text` is empty."""
    return search.search(services, text, _service_names, _service_pinyin)


def _service_names(service: dict[str, Any]) -> str:
    return f"{service.get('name') or ''} {service.get('name_en') or ''}"


def _service_pinyin(service: dict[str, Any]) -> str:
    return str(service.get("pinyin") or "")


def counter_label(counters: Iterable[Mapping[str, Any]], number: int | None) -> str:
    """A counter's name as the hall calls it ("21号窗口"), or its number."""
    for counter in counters:
        if counter.get("number") == number:
            return str(counter.get("name") or number)
    return str(number)


def counter_is_closed(counters: Iterable[Mapping[str, Any]], number: int | None) -> bool:
    for counter in counters:
        if counter.get("number") == number:
            return counter.get("state") == "closed"
    return False


def read_kiosks(kiosks: object) -> dict[str, dict[str, Any]]:
    """The snapshot's kiosks by client id; entries that cannot be read are left out."""
    if not isinstance(kiosks, list):
        return {}
    return {
        str(k["client"]): k
        for k in kiosks
        if isinstance(k, dict) and isinstance(k.get("client"), str)
    }


def kiosks_needing_attention(kiosks: Mapping[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Kiosks whose printer is out of paper, offline or faulty (for the staff banner)."""
    return [k for k in kiosks.values() if k.get("printer") not in (None, "ok", "unknown")]


def readable_login_alert(alert: object) -> bool:
    """A login alert the window can show (or None: no alert); anything else is logged."""
    if alert is None or (
        isinstance(alert, dict)
        and isinstance(alert.get("clerk"), str)
        and isinstance(alert.get("until"), str)
    ):
        return True
    log.warning("skipped a login alert that cannot be read: %r", alert)
    return False


def alert_lasts(alert: Mapping[str, Any] | None, server_now: float) -> bool:
    """Whether a login alert's lockout still lasts at the server's time `server_now`."""
    until = parse_time(alert.get("until")) if alert else None
    return until is not None and server_now < until


def ticket_waited_s(ticket: Mapping[str, Any], server_now: float) -> int | None:
    """How long a resident waited: from issue to the (last) call, or to now if waiting."""
    issued = parse_time(ticket.get("issued_at"))
    if issued is None:
        return None
    until = parse_time(ticket.get("called_at")) if ticket.get("state") in HELD_STATES else None
    return max(0, int((until if until is not None else server_now) - issued))
