"""The county demo's server keeps the county hall it was made with."""

from __future__ import annotations

import argparse
import subprocess

from bench.crashloop import free_port
from shared.client import BlockingHallClient
from shared.demo import plan, prepare_database, wait_for_port


def test_the_county_demo_server_keeps_the_county_hall(tmp_path):
    db = prepare_database(tmp_path, range(0), catalog="county")
    port = free_port()
    args = argparse.Namespace(
        lang=None, voice="off", simulate=False, counters=2, speed=1.0, rate=1.0, catalog="county"
    )
    server = plan(port, db, args)[0]
    proc = subprocess.Popen(server.argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(port, proc)
        with BlockingHallClient("127.0.0.1", port, "display", "county-check") as board:
            assert board.welcome["hall"] == "青山县政务服务中心"
    finally:
        proc.terminate()
        proc.wait(10)
