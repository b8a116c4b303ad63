"""The hardware tests' hall: calls may follow each other at once unless a test says otherwise
(`@pytest.mark.parametrize("hall_call_gap", [3])`), and no hall key unless a test gives one."""

from __future__ import annotations

from dataclasses import replace

import pytest

from shared.config.hall import HallConfig


@pytest.fixture
def hall_call_gap() -> int:
    return 0


@pytest.fixture
def hall_key() -> str | None:
    return None


@pytest.fixture
def hall_config(hall_config: HallConfig, hall_call_gap: int, hall_key: str | None) -> HallConfig:
    return replace(hall_config, key=hall_key, call_gap_s=hall_call_gap)
