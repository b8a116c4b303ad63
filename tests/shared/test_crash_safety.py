"""Crash safety: the real server, SIGKILLed under load and restarted on the same file."""

from __future__ import annotations

import sys

import pytest

from bench.crashloop import run

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


@pytest.mark.timeout(240)
def test_sigkill_under_load_loses_nothing_acknowledged(tmp_path):
    counts = run(rounds=4, workdir=tmp_path)
    assert counts.rounds == 4
    assert counts.acknowledged_tickets > 20  # the load really ran
    assert counts.lost == 0
    assert counts.duplicate_numbers == 0
    assert counts.double_held == 0
    assert counts.calls_lost == 0
    assert counts.seq_reused == 0
