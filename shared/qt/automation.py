"""Remote control of a window for end-to-end tests: commands on stdin, JSON answers on stdout.

Off unless the environment variable QUEUE_HALL_AUTOMATION is "1". Each line on stdin is a
command word and its arguments; the window answers every line with one JSON line on
stdout: {"ok": true, "result": ...} or {"ok": false, "error": "..."}. Commands call the
same view-model methods as the window's buttons, so a test in another process drives the
real program the way a person would, without a screen.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

ENV = "QUEUE_HALL_AUTOMATION"


class Automation(QObject):
    """Reads stdin in a thread and runs each command on the GUI thread."""

    received = Signal(str)

    def __init__(
        self, commands: dict[str, Callable[..., Any]], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.commands = commands
        self.received.connect(self._run)  # queued: the reader thread is not the GUI thread

    def start(self) -> None:
        threading.Thread(target=self._read, name="automation", daemon=True).start()

    def _read(self) -> None:
        for line in sys.stdin:
            if line.strip():
                self.received.emit(line.strip())

    def _run(self, line: str) -> None:
        word, *args = line.split()
        command = self.commands.get(word)
        try:
            if command is None:
                raise ValueError(
                    f"unknown command {word!r}; commands: {', '.join(sorted(self.commands))}"
                )
            answer: dict[str, Any] = {"ok": True, "result": command(*args)}
        except Exception as exc:  # the answer names any failure; the window keeps running
            answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(answer, ensure_ascii=False, default=str) + "\n")
        sys.stdout.flush()


def install(commands: dict[str, Callable[..., Any]], parent: QObject) -> Automation | None:
    """Start remote control when QUEUE_HALL_AUTOMATION=1; otherwise do nothing."""
    if os.environ.get(ENV) != "1":
        return None
    automation = Automation(commands, parent)
    automation.start()
    return automation
