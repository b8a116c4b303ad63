"""`queue-kiosk --fullscreen` covers the whole screen on a bare X server (no window manager)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREEN = (1280, 800)  # not a size the kiosk would pick by itself

pytestmark = pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("xdotool")),
    reason="needs Xvfb and xdotool (apt packages xvfb, xdotool) for a real X screen",
)


@pytest.fixture
def bare_x_display() -> Iterator[str]:
    """An Xvfb screen of SCREEN size with no window manager; yields its DISPLAY."""
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as numbers:
            number = numbers.readline().strip()
        assert number.isdigit(), "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _kiosk_window_geometry(display: str, pid: int, deadline: float) -> tuple[int, int, int, int]:
    env = {**os.environ, "DISPLAY": display}
    while time.monotonic() < deadline:
        found = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--pid", str(pid)],
            capture_output=True,
            text=True,
            env=env,
        )
        for window in found.stdout.split():
            shown = subprocess.run(
                ["xdotool", "getwindowgeometry", "--shell", window],
                capture_output=True,
                text=True,
                env=env,
            )
            values = dict(line.split("=", 1) for line in shown.stdout.splitlines() if "=" in line)
            if "WIDTH" in values:
                geometry = tuple(int(values[k]) for k in ("X", "Y", "WIDTH", "HEIGHT"))
                if geometry[2] > 1 and geometry[3] > 1:
                    return geometry  # type: ignore[return-value]
        time.sleep(0.3)
    raise AssertionError("the kiosk showed no window within the time allowed")


def test_fullscreen_kiosk_covers_a_screen_without_a_window_manager(hall_server, bare_x_display):
    env = {**os.environ, "DISPLAY": bare_x_display, "QT_QPA_PLATFORM": "xcb"}
    kiosk = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "queue_kiosk.app",
            "--server",
            f"{hall_server.host}:{hall_server.port}",
            "--printer",
            "none",
            "--fullscreen",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 60
        geometry = _kiosk_window_geometry(bare_x_display, kiosk.pid, deadline)
        # Qt may map the window first and place it a moment later: wait for it to settle.
        while geometry != (0, 0, *SCREEN) and time.monotonic() < deadline - 50:
            time.sleep(0.3)
            geometry = _kiosk_window_geometry(bare_x_display, kiosk.pid, deadline)
        assert geometry == (0, 0, *SCREEN), f"kiosk window at {geometry}, screen is {SCREEN}"
        assert kiosk.poll() is None
    finally:
        kiosk.terminate()
        kiosk.wait(timeout=30)
