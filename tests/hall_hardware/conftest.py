"""The hardware tests' hall: calls may follow each other at once unless a test says otherwise
(`@pytest.mark.parametrize("hall_call_gap", [3])`)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from shared.config import HallConfig

HAS_CALL_GAP = "call_gap_s" in HallConfig.__dataclass_fields__


@pytest.fixture
def hall_call_gap() -> int:
    return 0


@pytest.fixture
def hall_key() -> str | None:
    return None


@pytest.fixture
def hall_config(hall_config: HallConfig, hall_call_gap: int, hall_key: str | None) -> HallConfig:
    hall_config = replace(hall_config, key=hall_key)
    if not HAS_CALL_GAP:
        return hall_config
    return replace(hall_config, call_gap_s=hall_call_gap)  # type: ignore[call-arg]
