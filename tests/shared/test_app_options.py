"""Options the windows share: hall file, server address, and the hall's time on the clocks."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.skipif(sys.platform == "win32", reason="time zones from TZ are POSIX")
def test_windows_show_the_hall_time_whatever_the_pc_zone():
    code = (
        "from shared.app_options import use_hall_time; use_hall_time('Asia/Shanghai'); "
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
