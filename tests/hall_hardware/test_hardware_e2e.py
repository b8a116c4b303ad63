"""`queue-hall hardware` as a real process: starts from the hall file, serves keys, stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from hall_hardware.drivers import Key
from hall_hardware.sim import FakeKeypad, FakeScreen, SimBus

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pty pairs are POSIX only")


def test_the_bridge_process_serves_a_keypad_and_a_screen_and_stops_on_sigterm(
    tmp_path, hall_server
):
    bus = SimBus(tmp_path / "ttyUSB0").start()
    keypad = FakeKeypad(bus, 5)
    screen = FakeScreen(bus, 50, "led_text")
    hall = tmp_path / "hall.toml"
    hall.write_text(
        f'[server]\nport = {hall_server.port}\n\n[hardware]\n[[hardware.buses]]\nname = "a"\n'
        f'port = "{bus.path}"\n[[hardware.keypads]]\nbus = "a"\naddress = 5\ncounter = 7\n'
        '[[hardware.screens]]\nbus = "a"\naddress = 50\ndriver = "led_text"\ncounter = 7\n',
        encoding="utf-8",
    )
    with hall_server.client("kiosk", "kiosk-1") as kiosk:
        ticket = kiosk.call("issue", service="pension_enrol", req="e2e-1")
        kiosk.call("printed", ticket=ticket["ticket"]["id"])
    proc = subprocess.Popen(
        [sys.executable, "-m", "shared.cli.main", "hardware", "--config", str(hall)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "QUEUE_HALL_HOME": str(tmp_path)},
    )
    try:
        keypad.wait_for("请输入工号", timeout=30)
        keypad.type("1001 enter 1234 enter")
        keypad.wait_for("空闲 等候1人")
        keypad.press(Key.CALL)
        screen.wait_for("A001")
        keypad.wait_for("A001 已呼叫 等候0人")
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        bus.stop()
    assert proc.returncode == 0, err.decode(errors="replace")
    assert b"1 keypads, 1 screens on 1 buses" in err


def test_a_second_bridge_cannot_take_a_port_the_first_one_holds(tmp_path, caplog):
    import logging
    import threading

    from hall_hardware.bus import ProblemLog, SerialBus
    from hall_hardware.config import BusConfig

    bus = SimBus(tmp_path / "ttyUSB0").start()
    opened = threading.Event()
    first = SerialBus(BusConfig("a", str(bus.path)), lambda _d: None, opened.set, ProblemLog())
    second = SerialBus(BusConfig("a", str(bus.path)), lambda _d: None, lambda: None, ProblemLog())
    caplog.set_level(logging.WARNING)
    try:
        first.start()
        assert opened.wait(5)
        second.start()
        deadline = time.monotonic() + 5
        while not any("cannot open the port" in r.getMessage() for r in caplog.records):
            assert time.monotonic() < deadline, "the second open was not refused"
            time.sleep(0.05)
        assert first.is_open and not second.is_open
    finally:
        second.stop()
        first.stop()
        bus.stop()
