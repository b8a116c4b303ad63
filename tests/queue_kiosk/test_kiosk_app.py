"""`queue-kiosk` on the command line: --test-print, bad flags, and settings from the hall file."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace

import pytest

from queue_kiosk.app import main, priority_mode
from queue_kiosk.printing import decode
from queue_kiosk.printing.fake import FakeNetworkPrinter
from shared.client.connection import server_address
from shared.config.hall import default_config


@pytest.fixture(autouse=True)
def keep_root_logging() -> Iterator[None]:
    """main() sets up the process's logging (to this test's captured stderr): undo it after."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def dead_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_test_print_to_a_network_printer_exits_0(capsys):
    with FakeNetworkPrinter() as fake:
        code = main(["--test-print", "--printer", fake.spec])
        received = fake.received
    assert code == 0
    texts = [op.text for op in decode(received) if hasattr(op, "text")]
    assert any("A017" in text for text in texts)
    assert "printed" in capsys.readouterr().out


def test_test_print_on_58mm_paper(capsys):
    with FakeNetworkPrinter() as fake:
        assert main(["--test-print", "--printer", fake.spec, "--paper", "58"]) == 0
        assert len(fake.received) > 100


def test_test_print_to_a_dead_port_exits_non_zero_with_the_error(capsys):
    port = dead_port()
    code = main(["--test-print", "--printer", f"network:127.0.0.1:{port}"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"127.0.0.1:{port}" in err and "test print failed" in err


def test_test_print_with_paper_out_names_the_problem(capsys):
    with FakeNetworkPrinter(paper="out") as fake:
        code = main(["--test-print", "--printer", fake.spec])
    assert code == 1
    assert "打印机缺纸" in capsys.readouterr().err


def test_test_print_as_a_program(tmp_path):
    with FakeNetworkPrinter() as fake:
        done = subprocess.run(
            [sys.executable, "-m", "queue_kiosk.app", "--test-print", "--printer", fake.spec],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert fake.received
    port = dead_port()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "queue_kiosk.app",
            "--test-print",
            "--printer",
            f"network:127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and "test print failed" in done.stderr


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["--printer", "bogus:1"], "unknown printer type 'bogus'"),
        (["--printer", "network:"], "network needs a host"),
        (["--server", "host:notaport"], "not a number"),
        (["--lang", "fr"], "unsupported interface language"),
        (["--size", "big"], "WIDTHxHEIGHT"),
        (["--config", "/nonexistent/hall.toml"], "hall.toml"),
        (["--priority", "pin"], "priority_pin"),
        (["--priority", "long-press"], "priority_pin"),
    ],
)
def test_bad_flags_exit_2_naming_the_problem(capsys, argv, problem):
    assert main(argv) == 2
    assert problem in capsys.readouterr().err


def test_bad_paper_width_is_refused_by_the_parser(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--paper", "70"])
    assert exit_info.value.code == 2
    assert "--paper" in capsys.readouterr().err


def test_server_and_priority_come_from_the_hall_file():
    config = replace(default_config(), host="0.0.0.0", port=7400, priority_pin="2580")
    assert server_address(None, config.host, config.port) == ("127.0.0.1", 7400)
    assert server_address("10.0.0.5:7311", config.host, config.port) == ("10.0.0.5", 7311)
    assert priority_mode(None, config) == "pin"
    assert priority_mode("long-press", config) == "long-press"
    assert priority_mode(None, replace(config, priority_pin=None)) == "off"


def test_test_print_with_the_preview_printer_saves_a_png(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("QUEUE_HALL_HOME", str(tmp_path))
    assert main(["--test-print", "--printer", "preview", "--paper", "58"]) == 0
    saved = tmp_path / "kiosk" / "test_ticket.png"
    assert saved.read_bytes().startswith(b"\x89PNG")
    assert str(saved) in capsys.readouterr().out


def test_test_print_with_no_printer_says_there_is_nothing_to_print_on(capsys):
    assert main(["--test-print", "--printer", "none"]) == 1
    assert "nothing to print on" in capsys.readouterr().err
