"""The traffic simulator against a real server: residents take tickets, clerks serve them."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from shared.admin.simulate import SIM_CLERK_PIN, Behaviour, Simulation, sim_clerk_id
from shared.cli.simulate_command import parse_counters, parse_hasty
from shared.config.hall import ClerkConfig
from shared.domain.errors import HallError


@pytest.fixture
def hall_config(hall_config):
    clerks = tuple(ClerkConfig(sim_clerk_id(n), f"模拟{n}", SIM_CLERK_PIN) for n in range(1, 5))
    return replace(hall_config, clerks=hall_config.clerks + clerks)


@pytest.mark.call_gap(0)  # calls within seconds; the gap has its own tests
def test_simulated_hall_issues_calls_and_finishes(hall_server):
    behaviour = Behaviour(arrivals_per_hour=3600, service_mean_s=60, walk_up_s=5)
    sim = Simulation(
        hall_server.host, hall_server.port, [1, 2, 3, 4], 2, behaviour, speed=200, key=None, seed=3
    )
    tally = asyncio.run(sim.run(duration=3.0, report_every=1.0))
    assert tally.issued > 10
    assert tally.called > 5 and tally.finished > 0
    assert not tally.errors, tally.errors
    admin = hall_server.client("admin")
    snapshot = admin.call("snapshot")
    assert len(snapshot["recent_calls"]) > 0
    store = hall_server.service.store
    assert store.scalar("SELECT count(*) FROM tickets") >= tally.issued
    # A finish sent just before the simulation stopped is saved, but its reply was never read:
    # at most one such ticket per counter.
    done = store.scalar("SELECT count(*) FROM tickets WHERE state = 'done'")
    assert tally.finished <= done <= tally.finished + 4, (done, tally.finished)


def test_counter_without_its_clerk_stops_with_a_clear_message(hall_server):
    sim = Simulation(hall_server.host, hall_server.port, [9], 1, Behaviour(), speed=100, key=None)
    with pytest.raises(HallError) as info:
        asyncio.run(sim.run(duration=3.0))
    assert "sim09" in info.value.message and "queue-hall clerk add" in info.value.message


@pytest.mark.parametrize(
    ("text", "numbers"),
    [("24", list(range(1, 25))), ("3-6", [3, 4, 5, 6]), ("3,5,7", [3, 5, 7]), ("2-3,9", [2, 3, 9])],
)
def test_counter_lists(text, numbers):
    assert parse_counters(text) == numbers


@pytest.mark.parametrize("text", ["", "x", "3-", "0", "-2"])
def test_bad_counter_lists_are_named(text):
    with pytest.raises(ValueError, match="--counters"):
        parse_counters(text)


def test_residents_waiting_at_the_door_take_tickets_at_once(hall_server):
    behaviour = Behaviour(arrivals_per_hour=1, service_mean_s=3600)  # nobody else arrives
    sim = Simulation(
        hall_server.host, hall_server.port, [1], 1, behaviour, speed=1, key=None, seed=1, initial=8
    )
    tally = asyncio.run(sim.run(duration=2.0))
    assert tally.issued == 8


@pytest.mark.call_gap(1)
def test_a_hasty_clerks_double_presses_are_refused_and_the_report_highlights_them(hall_server):
    from shared.admin.report import build_report
    from shared.admin.report_period import parse_period
    from shared.admin.simulate import HastyBehaviour
    from shared.domain.figures import FigureRules

    # Careful clerks take 3 s (600 hall s at speed 200); the hasty one finishes within 0.6 s.
    # Service times count from the call's whole second, so they may read up to 1 s longer.
    behaviour = Behaviour(arrivals_per_hour=3600, service_mean_s=600, service_sigma=0.1,
                          walk_up_s=5, no_show=0, recall=0, transfer=0, pause=0)  # fmt: skip
    sim = Simulation(
        hall_server.host, hall_server.port, [1, 2, 3], 1, behaviour, speed=200, key=None,
        seed=7, initial=30, hasty=frozenset({1}), hasty_behaviour=HastyBehaviour(no_show=0),
    )  # fmt: skip
    tally = asyncio.run(sim.run(duration=6.0, report_every=1.0))
    assert not tally.errors, tally.errors
    assert tally.too_soon >= 2  # every double press was refused by the server's call gap
    store = hall_server.service.store
    assert store.scalar("SELECT count(*) FROM calls WHERE counter = 1 AND recall = 0") == (
        store.scalar("SELECT count(*) FROM ticket_log WHERE action = 'call' AND counter = 1")
    )
    day = hall_server.service.day()
    report = build_report(hall_server.db, parse_period(None, day), rules=FigureRules(2))
    clerks = {c.clerk_id: c for c in report.clerks}
    hasty = clerks["sim01"]
    assert hasty.served >= 2 and hasty.without_start == hasty.served
    assert hasty.short == hasty.served  # all under 2 s
    assert clerks["sim02"].served >= 1 and clerks["sim02"].short == 0
    assert report.standouts == {"sim01": ("short_share",)}


def test_hasty_counters_must_be_simulated_counters():
    assert parse_hasty("", [1, 2]) == frozenset()
    assert parse_hasty("1,2", [1, 2, 3]) == {1, 2}
    for text in ("x", "4"):
        with pytest.raises(ValueError, match="--hasty"):
            parse_hasty(text, [1, 2, 3])
