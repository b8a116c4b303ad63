"""`queue-hall serve` refuses to expose a hall without a key, and refuses weak keys."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shared.cli.main import is_loopback, key_problem


def serve(tmp_path: Path, *args: str, key: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QUEUE_HALL_HOME": str(tmp_path)}
    env.pop("QUEUE_HALL_KEY", None)
    if key is not None:
        env["QUEUE_HALL_KEY"] = key
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "shared.cli.main",
            "serve",
            "--db",
            str(tmp_path / "hall.db"),
            *args,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,  # a server that starts instead of refusing fails the test here
    )


def test_serving_the_network_without_a_key_is_refused(tmp_path):
    done = serve(tmp_path, "--host", "0.0.0.0", "--port", "0")
    assert done.returncode == 2
    assert "without a hall key" in done.stderr and "--insecure-no-key" in done.stderr
    assert not (tmp_path / "hall.db").exists()  # refused before anything was opened


@pytest.mark.parametrize("key", ["short", "fifteen-chars!!"])
def test_a_hall_key_shorter_than_16_characters_is_refused(tmp_path, key):
    done = serve(tmp_path, "--port", "0", key=key)
    assert done.returncode == 2
    assert f"{len(key)} characters long; use at least 16" in done.stderr


def test_the_rules_by_address_and_key():
    assert is_loopback("127.0.0.1") and is_loopback("127.0.0.2") and is_loopback("::1")
    assert is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")
    assert not is_loopback("hall-server")
    assert key_problem("127.0.0.1", None, False) is None  # the one-machine demo
    assert key_problem("0.0.0.0", None, True) is None  # a lab, said explicitly
    assert key_problem("0.0.0.0", "0123456789abcdef", False) is None
    assert "without a hall key" in (key_problem("192.168.1.10", None, False) or "")
    assert "at least 16" in (key_problem("0.0.0.0", "x" * 15, True) or "")
