"""Wait estimate and business days."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from shared.domain.clock import FakeClock, business_day, iso, next_day_start
from shared.domain.estimate import DEFAULT_SERVICE_S, estimate_wait_s, mean_service_s

TZ = ZoneInfo("Asia/Shanghai")


def test_estimate_is_ahead_times_mean_over_open_counters():
    assert estimate_wait_s(6, 300, 3) == 600
    assert estimate_wait_s(0, 300, 3) == 0


def test_estimate_with_no_open_counter_uses_the_configured_ones():
    assert estimate_wait_s(4, 300, 0, serving_counters=2) == 600
    assert estimate_wait_s(4, 300, 0, serving_counters=0) == 1200


def test_mean_uses_recent_durations_or_default():
    assert mean_service_s([]) == DEFAULT_SERVICE_S
    assert mean_service_s([100, 200]) == 150
    assert mean_service_s([1000] * 10 + [60] * 30) == 60  # only the latest 30 count


@pytest.mark.parametrize(
    ("moment", "reset", "day"),
    [
        (datetime(2026, 11, 26, 0, 0, tzinfo=TZ), time(0, 0), "2026-11-26"),
        (datetime(2026, 11, 25, 23, 59, 59, tzinfo=TZ), time(0, 0), "2026-11-25"),
        (datetime(2026, 11, 26, 2, 59, tzinfo=TZ), time(3, 0), "2026-11-25"),
        (datetime(2026, 11, 26, 3, 0, tzinfo=TZ), time(3, 0), "2026-11-26"),
        (datetime(2026, 12, 31, 23, 0, tzinfo=TZ), time(0, 0), "2026-12-31"),
    ],
)
def test_business_day_starts_at_reset_time(moment, reset, day):
    assert business_day(moment, reset).isoformat() == day


def test_next_day_start():
    now = datetime(2026, 11, 26, 17, 0, tzinfo=TZ)
    assert next_day_start(now) == datetime(2026, 11, 27, 0, 0, tzinfo=TZ)
    assert next_day_start(now, time(3, 0)) == datetime(2026, 11, 27, 3, 0, tzinfo=TZ)


def test_iso_has_offset_and_fake_clock_moves():
    clock = FakeClock(datetime(2026, 11, 26, 9, 15, 2, tzinfo=TZ))
    assert iso(clock.now()) == "2026-11-26T09:15:02+08:00"
    clock.advance(minutes=1)
    assert iso(clock.now()) == "2026-11-26T09:16:02+08:00"
    with pytest.raises(ValueError):
        FakeClock(datetime(2026, 1, 1))
