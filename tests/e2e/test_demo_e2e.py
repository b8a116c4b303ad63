"""End to end: the demo's real programs as subprocesses, a ticket from the kiosk to the board.

Every window runs offscreen with QUEUE_HALL_AUTOMATION=1, so the test presses what a
resident and a clerk would press (through the same view-model methods as the buttons)
and reads what the windows show.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from shared.cli.demo import Child, free_port, plan, prepare_database, stop_all, wait_for_port
from shared.client.connection import BlockingHallClient

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="the automation reads stdin with selectors"),
    pytest.mark.timeout(180),
]


def _env(folder: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "QUEUE_HALL_HOME": str(folder),
        "QT_QPA_PLATFORM": "offscreen",
        "QUEUE_HALL_AUTOMATION": "1",
        "QUEUE_HALL_LANG": "zh_CN",
    }
    env.pop("QUEUE_HALL_KEY", None)
    return env


class Window:
    """One running program driven through its automation channel."""

    def __init__(self, child: Child, env: dict[str, str]) -> None:
        self.child = child
        self.proc = subprocess.Popen(
            child.argv,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        child.proc = self.proc

    def ask(self, command: str, timeout: float = 10.0) -> Any:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(command.encode() + b"\n")
        self.proc.stdin.flush()
        selector = selectors.DefaultSelector()
        selector.register(self.proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not selector.select(max(0.0, deadline - time.monotonic())):
                break
            line = self.proc.stdout.readline()
            if not line:
                raise AssertionError(f"{self.child.name} exited (code {self.proc.poll()})")
            try:
                answer = json.loads(line)
            except ValueError:
                continue  # not an automation answer
            assert answer["ok"], f"{self.child.name}: {command}: {answer.get('error')}"
            return answer["result"]
        raise AssertionError(f"{self.child.name} did not answer {command!r} within {timeout} s")

    def wait_until(self, command: str, test: Any, timeout: float = 30.0) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            result = self.ask(command)
            if test(result):
                return result
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{self.child.name}: {command} never satisfied; last: {result}"
                )
            time.sleep(0.2)


def test_ticket_goes_from_kiosk_to_counter_to_board(tmp_path):
    db = prepare_database(tmp_path, range(0))
    port = free_port()
    args = argparse.Namespace(
        lang=None, voice="off", simulate=False, counters=2, speed=1.0, rate=1.0
    )
    children = plan(port, db, args)
    env = _env(tmp_path)
    server = children[0]
    server.proc = subprocess.Popen(
        server.argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    windows: dict[str, Window] = {}
    try:
        wait_for_port(port, server.proc)
        for child in children[1:]:
            windows[child.name] = Window(child, env)
        kiosk, board, counter = windows["kiosk"], windows["display board"], windows["counter 1"]
        kiosk.wait_until("state", lambda s: s["online"])
        counter.wait_until("state", lambda s: s["logged_in"])
        board.wait_until("state", lambda s: s["online"])

        kiosk.ask("department social_insurance")
        kiosk.ask("matter pension_enrol")
        issued = kiosk.wait_until("state", lambda s: s["issued"] == 1 and s["number"])
        number = issued["number"]
        assert re.fullmatch(r"A\d{3}", number)

        # The kiosk counts a ticket once it has sent `printed`; the server may not have it yet.
        with BlockingHallClient("127.0.0.1", port, "display", "e2e-watch") as watch:
            deadline = time.monotonic() + 30
            while watch.call("snapshot")["waiting"].get("social_insurance", 0) < 1:
                assert time.monotonic() < deadline, "the printed ticket never became waiting"
                time.sleep(0.1)
        assert counter.ask("key F1") is True  # 叫号: call next
        called = counter.wait_until("state", lambda s: s["ticket"] is not None)
        assert called["ticket"]["number"] == number and called["ticket"]["state"] == "called"

        shown = board.wait_until("state", lambda s: s["latest"] is not None)
        assert shown["latest"] == {"number": number, "counter": 1, "recall": False}
    finally:
        stop_all(children)
    for child in children:
        assert child.proc is not None and child.proc.poll() is not None, (
            f"{child.name} still running"
        )


def test_demo_command_starts_everything_and_leaves_nothing_running(tmp_path):
    env = _env(tmp_path)
    env.pop("QUEUE_HALL_AUTOMATION")
    demo = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "shared.cli.main",
            "demo",
            "--folder",
            str(tmp_path),
            "--voice",
            "off",
            "--counters",
            "4",
            "--speed",
            "50",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    pids: dict[str, int] = {}
    port = None
    try:
        assert demo.stdout is not None
        while len(pids) < 6 or port is None:
            line = demo.stdout.readline()
            assert line, f"demo ended early (code {demo.poll()})"
            if match := re.search(r"started (.+) \(pid (\d+)\)", line):
                pids[match.group(1)] = int(match.group(2))
            if match := re.search(r"hall server on 127\.0\.0\.1:(\d+)", line):
                port = int(match.group(1))
        assert set(pids) == {
            "server",
            "kiosk",
            "display board",
            "counter 1",
            "counter 2",
            "simulator",
        }
        with BlockingHallClient("127.0.0.1", port, "admin", "e2e-check") as admin:
            deadline = time.monotonic() + 60
            while True:
                snapshot = admin.call("snapshot")
                open_counters = {c["number"] for c in snapshot["counters"] if c["state"] == "open"}
                if {1, 2, 3, 4} <= open_counters:
                    break  # both counter windows and the simulated clerks have logged in
                assert time.monotonic() < deadline, f"counters open: {sorted(open_counters)}"
                time.sleep(0.3)
        demo.send_signal(signal.SIGTERM)
        assert demo.wait(30) == 0
    finally:
        if demo.poll() is None:
            demo.kill()
    for name, pid in pids.items():
        assert not Path(f"/proc/{pid}").exists(), f"{name} (pid {pid}) is still running"


def test_demo_without_a_screen_says_so(tmp_path):
    env = {
        k: v
        for k, v in _env(tmp_path).items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    out = subprocess.run(
        [sys.executable, "-m", "shared.cli.main", "demo", "--folder", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 1
    assert "no screen" in out.stderr and "QT_QPA_PLATFORM=offscreen" in out.stderr
    assert not (tmp_path / "demo.db").exists()  # nothing was started
