"""The demo's database: the county demo keeps its hall; a second demo leaves the first alone."""

from __future__ import annotations

import argparse
import subprocess

import pytest

from bench.crashloop import free_port
from shared.cli.demo import plan, prepare_database, wait_for_port
from shared.client.connection import BlockingHallClient
from shared.server.dblock import DatabaseInUse


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


def test_a_second_demo_on_the_same_folder_leaves_the_first_alone(tmp_path):
    db = prepare_database(tmp_path, range(0))
    port = free_port()
    args = argparse.Namespace(
        lang=None, voice="off", simulate=False, counters=2, speed=1.0, rate=1.0, catalog="sample"
    )
    proc = subprocess.Popen(plan(port, db, args)[0].argv, stdout=subprocess.DEVNULL)
    try:
        wait_for_port(port, proc)
        with pytest.raises(DatabaseInUse) as refused:
            prepare_database(tmp_path, range(0))
        # demo has --folder, not --db
        assert "another folder with --folder" in str(refused.value)
        assert "--db" not in str(refused.value)
        assert db.exists()  # the running demo's database was not deleted
        with BlockingHallClient("127.0.0.1", port, "display", "still-there") as board:
            assert board.welcome["hall"]
    finally:
        proc.terminate()
        proc.wait(10)
