"""Fixtures of the kiosk tests: a fake network printer and a clock the test turns."""

from __future__ import annotations

import pytest

from queue_kiosk.printing.fake import FakeNetworkPrinter
from tests.queue_kiosk.kiosk_support import Clock


@pytest.fixture
def fake_printer():
    with FakeNetworkPrinter() as fake:
        yield fake


@pytest.fixture
def clock() -> Clock:
    return Clock()
