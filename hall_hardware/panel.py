"""`python -m hall_hardware.panel`: simulated keypads and LED screens in a window.

For the demo (`queue-hall demo --hardware`) and for trying the hardware bridge without
hardware: it makes pty-pair buses, writes a hall file with a [hardware] section for them,
starts `queue-hall hardware` on it, and shows each keypad (its display and keys), each
counter's LED window screen, a numeric window screen and the strip, as the devices would.
POSIX only (pty pairs).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hall_hardware.drivers import Key
from hall_hardware.sim import FakeKeypad, FakeScreen, SimBus

LCD = "background:#102010; color:#7CFC00; padding:4px; font-family:monospace;"
LED = "background:#000; color:#ff3030; padding:6px; font-weight:bold;"


def write_hall_file(folder: Path, keys: SimBus, digits: SimBus, counters: list[int]) -> Path:
    lines = [
        "[hardware]\nrefresh_s = 5\n",
        f'[[hardware.buses]]\nname = "keys"\nport = "{keys.path}"\n',
        f'[[hardware.buses]]\nname = "digits"\nport = "{digits.path}"\n',
    ]
    for index, counter in enumerate(counters, start=1):
        lines.append(
            f'[[hardware.keypads]]\nbus = "keys"\naddress = {index}\ncounter = {counter}\n'
        )
        lines.append(
            f'[[hardware.screens]]\nbus = "keys"\naddress = {100 + index}\n'
            f'driver = "led_text"\ncounter = {counter}\n'
        )
    lines.append(
        f'[[hardware.screens]]\nbus = "digits"\naddress = 31\ndriver = "led_numeric"\n'
        f"counter = {counters[0]}\n"
    )
    lines.append('[[hardware.screens]]\nbus = "keys"\naddress = 200\ndriver = "led_strip"\n')
    path = folder / "hardware.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


class KeypadWidget(QGroupBox):
    def __init__(self, counter: int, keypad: FakeKeypad, hint: str) -> None:
        super().__init__()
        self.setTitle(self.tr("Keypad of counter %1").replace("%1", str(counter)))
        self.keypad = keypad
        layout = QVBoxLayout(self)
        self.display = QLabel()
        self.display.setTextFormat(Qt.TextFormat.PlainText)  # device text, never markup
        self.display.setStyleSheet(LCD)
        self.display.setMinimumWidth(220)
        layout.addWidget(self.display)
        if hint:
            hint_label = QLabel(hint)
            hint_label.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(hint_label)
        grid = QGridLayout()
        names = {
            Key.CALL: self.tr("Call"),
            Key.RECALL: self.tr("Recall"),
            Key.NO_SHOW: self.tr("No-show"),
            Key.START: self.tr("Start"),
            Key.FINISH: self.tr("Finish"),
            Key.PAUSE: self.tr("Pause"),
            Key.RESUME: self.tr("Resume"),
            Key.RATE: self.tr("Rate"),
            Key.ENTER: self.tr("Enter"),
            Key.CLEAR: self.tr("Clear"),
            Key.LOGOUT: self.tr("Log out"),
        }
        for index, digit in enumerate("1234567890"):
            grid.addWidget(self._button(digit, Key(digit)), index // 3, index % 3)
        for index, (key, name) in enumerate(names.items()):
            grid.addWidget(self._button(name, key), 4 + index // 3, index % 3)
        layout.addLayout(grid)

    def _button(self, text: str, key: Key) -> QPushButton:
        button = QPushButton(text)
        # press() waits for the bridge's acknowledgement (and resends): keep it off the GUI
        button.clicked.connect(
            lambda: threading.Thread(target=self.keypad.press, args=(key,), daemon=True).start()
        )
        return button

    def refresh(self) -> None:
        self.display.setText(self.keypad.display or "")


class ScreenWidget(QGroupBox):
    def __init__(self, title: str, screen: FakeScreen, scroll: bool = False) -> None:
        super().__init__(title)
        self.device = screen
        self.scrolls = scroll
        self._offset = 0
        layout = QVBoxLayout(self)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setStyleSheet(LED)
        font = QFont()
        font.setPointSize(18)
        self.label.setFont(font)
        self.label.setMinimumWidth(160)
        layout.addWidget(self.label)

    def refresh(self) -> None:
        text = self.device.text or ""
        if self.scrolls and len(text) > 24:
            self._offset = (self._offset + 1) % (len(text) + 4)
            text = (text + "    " + text)[self._offset : self._offset + 24]
        self.label.setText(text)


class Panel(QWidget):
    def __init__(self, keypads: list[tuple[int, FakeKeypad, str]], screens: list[ScreenWidget]):
        super().__init__()
        self.setWindowTitle(self.tr("Simulated keypads and LED screens"))
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.keypads = [KeypadWidget(counter, keypad, hint) for counter, keypad, hint in keypads]
        for widget in self.keypads:
            row.addWidget(widget)
        layout.addLayout(row)
        screen_row = QHBoxLayout()
        self.screens = screens
        for screen_widget in screens:
            screen_row.addWidget(screen_widget)
        layout.addLayout(screen_row)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(200)

    def refresh(self) -> None:
        widgets: list[KeypadWidget | ScreenWidget] = [*self.keypads, *self.screens]
        for widget in widgets:
            widget.refresh()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hall_hardware.panel", description=__doc__)
    parser.add_argument("--server", default="127.0.0.1:7310", help="HOST:PORT of the hall server")
    parser.add_argument("--counters", default="13,14", help="counters with a keypad, e.g. 13,14")
    parser.add_argument("--clerks", default="", help="hints shown under each keypad: ID:PIN,...")
    parser.add_argument("--lang", help="interface language: zh_CN (default) or en")
    args = parser.parse_args(argv)
    if sys.platform == "win32":
        print("hall_hardware.panel: simulated buses need pty pairs (POSIX)", file=sys.stderr)
        return 1
    try:
        counters = [int(part) for part in args.counters.split(",") if part.strip()]
    except ValueError:
        parser.error(f"--counters: {args.counters!r} is not a list of counter numbers")
    if not counters:
        parser.error("--counters: name at least one counter")
    hints = [part.strip() for part in args.clerks.split(",")] if args.clerks else []

    from shared.qt.i18n import install_translations

    app = QApplication(sys.argv[:1])
    install_translations(app, args.lang)
    with tempfile.TemporaryDirectory(prefix="hall-hardware-") as tmp:
        folder = Path(tmp)
        keys = SimBus(folder / "ttyKEYS").start()
        digits = SimBus(folder / "ttyDIGITS").start()
        keypads = []
        screens = []
        for index, counter in enumerate(counters, start=1):
            hint = hints[index - 1] if index - 1 < len(hints) else ""
            if hint:
                clerk, _, pin = hint.partition(":")
                hint = (
                    QCoreApplication.translate("Panel", "Clerk %1, PIN %2")
                    .replace("%1", clerk)
                    .replace("%2", pin)
                )
            keypads.append((counter, FakeKeypad(keys, index), hint))
            title = QCoreApplication.translate("Panel", "Window screen %1").replace(
                "%1", str(counter)
            )
            screens.append(ScreenWidget(title, FakeScreen(keys, 100 + index, "led_text")))
        numeric_title = QCoreApplication.translate("Panel", "Numeric screen %1").replace(
            "%1", str(counters[0])
        )
        screens.append(ScreenWidget(numeric_title, FakeScreen(digits, 31, "led_numeric")))
        strip = ScreenWidget(
            QCoreApplication.translate("Panel", "Strip: latest calls"),
            FakeScreen(keys, 200, "led_strip"),
            True,
        )
        screens.append(strip)
        hall = write_hall_file(folder, keys, digits, counters)
        bridge = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "shared.cli.main",
                "hardware",
                "--config",
                str(hall),
                "--server",
                args.server,
            ],
            env={**os.environ},
        )
        panel = Panel(keypads, screens)
        panel.show()
        # The demo stops its windows with SIGTERM: quit through Qt so the bridge is stopped too
        # (the panel's refresh timer lets Python run the handler).
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda _signum, _frame: app.quit())
        try:
            return app.exec()
        finally:
            bridge.terminate()
            try:
                bridge.wait(10)
            except subprocess.TimeoutExpired:
                bridge.kill()
            keys.stop()
            digits.stop()


if __name__ == "__main__":
    raise SystemExit(main())
