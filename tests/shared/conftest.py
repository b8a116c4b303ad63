"""Fixtures of the shared tests: a kiosk connection and a ticket issuer on the clocked server."""

from __future__ import annotations

import pytest

from tests.conftest import TEST_PRIORITY_PIN
from tests.shared.protocol_support import A1, req


@pytest.fixture
def kiosk(clocked_server):
    return clocked_server.client("kiosk", "kiosk-1")


@pytest.fixture
def issue(kiosk, hall_clock):
    """Issue (and by default confirm) a ticket one second after the previous one."""

    def issue_ticket(service: str = A1, priority: bool = False, printed: bool = True) -> dict:
        hall_clock.advance(1)
        ticket = kiosk.call(
            "issue", service=service, priority=priority, priority_pin=TEST_PRIORITY_PIN, req=req()
        )["ticket"]
        if printed:
            ticket = kiosk.call("printed", ticket=ticket["id"])["ticket"]
        return ticket

    return issue_ticket
