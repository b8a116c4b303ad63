"""Options the windows share: hall file, server address, and the hall's time on the clocks."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from shared.client.connection import server_address


@pytest.mark.skipif(sys.platform == "win32", reason="time zones from TZ are POSIX")
def test_windows_show_the_hall_time_whatever_the_pc_zone():
    code = (
        "from shared.client.hall_time import use_hall_time; use_hall_time('Asia/Shanghai'); "
        "import datetime; print(datetime.datetime.now().astimezone().utcoffset())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"TZ": "America/New_York", "PATH": ""},
    )
    assert out.stdout.strip() == "8:00:00"


@pytest.mark.parametrize(
    "text",
    ["http://127.0.0.1:7391", "tcp://hall-server:7310", "192.168.1.10:7310/", "user@host:7310"],
)
def test_a_url_is_not_taken_for_a_server_address(text):
    with pytest.raises(ValueError, match="is not HOST:PORT.*without http://"):
        server_address(text, "127.0.0.1", 7310)


def test_host_port_forms_still_parse():
    assert server_address("192.168.1.10:7311", "127.0.0.1", 7310) == ("192.168.1.10", 7311)
    assert server_address("hall-server", "127.0.0.1", 7310) == ("hall-server", 7310)
    assert server_address("[::1]:7312", "127.0.0.1", 7310) == ("::1", 7312)


@pytest.mark.parametrize("module", ["queue_kiosk.app", "counter_client.app", "display_board.app"])
def test_the_windows_refuse_a_url_at_once(module, tmp_path):
    argv = ["--server", "http://127.0.0.1:7391"]
    if module == "counter_client.app":
        argv += ["--counter", "1"]
    out = subprocess.run(
        [sys.executable, "-m", module, *argv],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "QUEUE_HALL_HOME": str(tmp_path)},
    )
    assert out.returncode == 2, out.stderr
    assert "'http://127.0.0.1:7391' is not HOST:PORT" in out.stderr


BOARD_CLOCK = """
import sys, time
from PySide6.QtWidgets import QApplication
from shared.client.hall_time import use_hall_time
from display_board.app import build_board
use_hall_time(None)  # started without a hall file: the server's offset sets the clocks
app = QApplication([])
board = build_board(sys.argv[1], int(sys.argv[2]), reconnect_min_s=0.05)
board.connection.ready.connect(lambda _s: app.quit())
app.exec()
board.show_clock()
print(board.time_label.text(), time.localtime().tm_gmtoff)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="time zones from TZ are POSIX")
def test_a_board_without_the_hall_file_shows_the_servers_time(hall_server):
    """The PC runs New York time, the hall (and its server) Shanghai's: the board shows Shanghai's."""
    import datetime
    import os
    import zoneinfo

    out = subprocess.run(
        [sys.executable, "-c", BOARD_CLOCK, hall_server.host, str(hall_server.port)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "TZ": "America/New_York", "QT_QPA_PLATFORM": "offscreen"},
    )
    assert out.returncode == 0, out.stderr[-2000:]
    shown, offset = out.stdout.split()
    hall_now = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai"))
    before = hall_now - datetime.timedelta(minutes=1)
    assert offset == "28800"
    assert shown in (f"{hall_now:%H:%M}", f"{before:%H:%M}")
