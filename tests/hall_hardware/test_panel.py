"""The demo's window of simulated keypads and screens: its buttons press keys on the bus."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pty pairs are POSIX only")


def test_demo_with_hardware_starts_the_panel_beside_the_simulated_counters(tmp_path):
    from shared.cli.demo import plan

    args = argparse.Namespace(
        lang=None, voice="off", simulate=True, counters=12, speed=10.0, rate=110.0, hardware=True
    )
    children = {c.name: c for c in plan(7310, tmp_path / "demo.db", args)}
    panel = children["hardware panel"]
    assert panel.window and "hall_hardware.panel" in panel.argv
    assert panel.argv[panel.argv.index("--counters") + 1] == "13,14"
    args.hardware = False
    assert "hardware panel" not in {c.name for c in plan(7310, tmp_path / "demo.db", args)}


def test_panel_buttons_drive_the_bridge_and_show_what_devices_show(
    qapp, qtbot, tmp_path, hall_server
):
    from PySide6.QtCore import Qt

    from shared.qt.i18n import install_translations

    install_translations(qapp, "zh_CN")
    from PySide6.QtWidgets import QPushButton

    from hall_hardware.bridge import Bridge
    from hall_hardware.config import load_hardware
    from hall_hardware.panel import KeypadWidget, Panel, ScreenWidget, write_hall_file
    from hall_hardware.sim import BridgeThread, FakeKeypad, FakeScreen, SimBus

    with hall_server.client("kiosk", "kiosk-1") as kiosk:
        ticket = kiosk.call("issue", service="pension_enrol", req="p1")
        kiosk.call("printed", ticket=ticket["ticket"]["id"])
    keys, digits = SimBus(tmp_path / "ttyK").start(), SimBus(tmp_path / "ttyD").start()
    hall_file = write_hall_file(Path(tmp_path), keys, digits, [3])
    hall, hw = load_hardware(hall_file)
    keypad = FakeKeypad(keys, 1)
    screen = ScreenWidget("3", FakeScreen(keys, 101, "led_text"))
    strip = ScreenWidget("strip", FakeScreen(keys, 200, "led_strip"), scroll=True)
    panel = Panel([(3, keypad, "")], [screen, strip])
    qtbot.addWidget(panel)
    bridge = BridgeThread(lambda: Bridge(hall, hw, "127.0.0.1", hall_server.port)).start()
    try:
        keypad.wait_for("请输入工号", timeout=10)
        widget = panel.findChild(KeypadWidget)
        buttons = {b.text(): b for b in widget.findChildren(QPushButton)}
        for label in ["1", "0", "0", "1", "确认", "1", "2", "3", "4", "确认"]:
            mark = keypad.mark()
            qtbot.mouseClick(buttons[label], Qt.MouseButton.LeftButton)
            keypad.wait_for(lambda _line: True, since=mark)
        qtbot.waitUntil(lambda: widget.display.text() == "空闲 等候1人", timeout=5000)
        qtbot.mouseClick(buttons["叫号"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: screen.label.text() == "A001", timeout=5000)
        qtbot.waitUntil(lambda: widget.display.text() == "A001 已呼叫 等候0人", timeout=5000)
        qtbot.waitUntil(lambda: "A001" in strip.label.text(), timeout=5000)
    finally:
        bridge.stop()
        keys.stop()
        digits.stop()
