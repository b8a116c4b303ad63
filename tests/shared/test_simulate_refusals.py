"""`queue-hall simulate` against a hall that refuses it, or where nothing listens: one line on
stderr naming the problem and the fix, exit code 1, no traceback, within seconds."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import replace

import pytest

from shared.domain.errors import EXIT_FAILED

KEY = "hall-secret"


@pytest.fixture
def hall_config(hall_config):
    return replace(hall_config, key=KEY)


def simulate(server: str, key: str | None) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {k: v for k, v in os.environ.items() if k != "QUEUE_HALL_KEY"}
    if key is not None:
        env["QUEUE_HALL_KEY"] = key
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "shared.cli.main", "simulate", "--server", server]
        + ["--speed", "10", "--duration", "30", "--counters", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done, time.monotonic() - started


def last_line(done: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in done.stderr, done.stderr
    assert "never retrieved" not in done.stderr, done.stderr
    assert done.stdout == "", done.stdout  # no "simulation ended … errors: none"
    return done.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("key", [None, "not-the-key"], ids=["no key", "wrong key"])
def test_a_hall_that_refuses_the_simulator_is_named_at_once(hall_server, key):
    server = f"{hall_server.host}:{hall_server.port}"
    done, took = simulate(server, key)
    line = last_line(done)
    assert done.returncode == EXIT_FAILED, done.stderr
    assert took < 20, took  # not the --duration, not forever
    assert line.startswith(f"queue-hall simulate: the hall at {server} refused the simulator: ")
    assert "QUEUE_HALL_KEY" in line, line


def test_no_hall_at_the_address_fails_after_the_first_attempts():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens once the probe is closed
    done, took = simulate(f"127.0.0.1:{port}", None)
    line = last_line(done)
    assert done.returncode == EXIT_FAILED, done.stderr
    assert took < 20, took
    assert line.startswith(f"queue-hall simulate: cannot reach the hall server at 127.0.0.1:{port}")


def test_the_simulator_says_where_it_runs_and_what_it_leaves_behind(hall_server):
    done, _ = simulate(f"{hall_server.host}:{hall_server.port}", None)
    first = done.stderr.splitlines()[0]
    assert first.startswith(
        f"simulating 2 counters and 2 kiosks against the hall at {hall_server.host}:{hall_server.port}"
    )
    assert "never the hall in service" in first


def test_a_port_that_never_sends_a_welcome_fails_within_the_first_contact_time():
    """Something listens but is no hall server (it never sends the welcome): the simulator
    gives up after FIRST_CONTACT_S, as for an address where nothing listens, and says why."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)  # the system accepts the connections; nothing is ever sent
        port = silent.getsockname()[1]
        done, took = simulate(f"127.0.0.1:{port}", None)
    line = last_line(done)
    assert done.returncode == EXIT_FAILED, done.stderr
    assert took < 8, took  # FIRST_CONTACT_S (5 s) and the start of Python, not 10 s or more
    prefix = f"queue-hall simulate: cannot reach the hall server at 127.0.0.1:{port}: "
    assert line.startswith(prefix), line
    assert "no welcome within 5 s: is this a hall server's port?" in line, line


def test_a_failure_without_words_is_named_by_its_kind(monkeypatch, capsys):
    from shared.admin.simulate import Simulation
    from shared.cli.main import main

    async def silent_failure(self, duration, report_every=10.0):
        raise TimeoutError()

    monkeypatch.setattr(Simulation, "run", silent_failure)
    assert main(["simulate", "--server", "127.0.0.1:9", "--duration", "1"]) == EXIT_FAILED
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert line.endswith("cannot reach the hall server at 127.0.0.1:9: TimeoutError"), line
