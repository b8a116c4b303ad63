"""The queue-hall command: clerks, and a real `serve` process spoken to with a plain socket."""

from __future__ import annotations

import json
import re
import socket

import pytest

from bench.crashloop import free_port, start_server
from shared.cli.main import main
from shared.client.connection import BlockingHallClient
from shared.protocol import auth
from shared.server.store import HallStore


def _new_hall(tmp_path) -> str:
    db = tmp_path / "hall.db"
    assert main(["init", "--db", str(db)]) == 0
    return str(db)


def test_clerk_add_reset_disable(tmp_path, capsys):
    db = _new_hall(tmp_path)
    assert main(["clerk", "add", "2001", "--name", "赵六", "--pin", "8765", "--db", str(db)]) == 0
    store = HallStore(db)
    stored = store.scalar("SELECT pin_hash FROM clerks WHERE id = '2001'")
    assert auth.check_pin("8765", stored) and "8765" not in stored
    store.close()
    assert main(["clerk", "add", "2001", "--name", "x", "--pin", "1111", "--db", str(db)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert main(["clerk", "reset-pin", "2001", "--pin", "4321", "--db", str(db)]) == 0
    assert main(["clerk", "disable", "2001", "--db", str(db)]) == 0
    store = HallStore(db)
    row = store.one("SELECT pin_hash, disabled FROM clerks WHERE id = '2001'")
    assert auth.check_pin("4321", row["pin_hash"]) and row["disabled"] == 1
    store.close()
    assert main(["clerk", "list", "--db", str(db)]) == 0
    assert "2001\t赵六\tdisabled" in capsys.readouterr().out


@pytest.mark.parametrize("pin", ["12", "abcd", "123456789"])
def test_clerk_pin_must_be_4_to_8_digits(tmp_path, capsys, pin):
    assert (
        main(["clerk", "add", "2002", "--name", "x", "--pin", pin, "--db", _new_hall(tmp_path)])
        == 2
    )
    assert "4 to 8 digits" in capsys.readouterr().err


def test_bad_config_file_is_named_in_the_error(tmp_path, capsys):
    bad = tmp_path / "hall.toml"
    bad.write_text("[server]\nprot = 7310\n", encoding="utf-8")
    assert main(["clerk", "list", "--config", str(bad), "--db", str(tmp_path / "h.db")]) == 2
    err = capsys.readouterr().err
    assert "hall.toml" in err and "prot" in err


def test_non_hall_database_is_refused(tmp_path, capsys):
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"hello" * 1000)
    assert main(["clerk", "list", "--db", str(bad)]) == 1
    assert "not a usable hall database" in capsys.readouterr().err


def _lines(sock: socket.socket, count: int) -> list[dict]:
    buf = b""
    while buf.count(b"\n") < count:
        chunk = sock.recv(65536)
        assert chunk, "server closed the connection"
        buf += chunk
    return [json.loads(line) for line in buf.split(b"\n")[:count]]


def test_serve_answers_a_plain_socket_session(tmp_path):
    """What someone does with nc, following docs/protocol.md: welcome, hello, catalog, issue."""
    port = free_port()
    proc = start_server(tmp_path / "hall.db", port)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            (welcome,) = _lines(sock, 1)
            assert welcome["event"] == "welcome" and welcome["seq"] is None
            assert welcome["data"]["auth"] is False and len(welcome["data"]["nonce"]) == 32
            sock.sendall(b'{"id": 1, "op": "hello", "proto": 1, "role": "kiosk", "client": "nc"}\n')
            sock.sendall(b'{"id": 2, "op": "catalog"}\n')
            hello, catalog = _lines(sock, 2)
            assert (
                hello == {"id": 1, "ok": True, "result": hello["result"]}
                and hello["result"]["proto"] == 1
            )
            service = catalog["result"]["services"][0]["code"]
            sock.sendall(
                json.dumps({"id": 3, "op": "issue", "service": service, "req": "nc-1"}).encode()
                + b"\n"
            )
            (issued,) = _lines(sock, 1)
            assert issued["ok"] and issued["result"]["ticket"]["number"] == "A001"
    finally:
        proc.terminate()
        proc.wait(10)
    assert proc.returncode in (0, -15)


def test_serve_with_a_busy_port_says_so(tmp_path):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        assert main(["serve", "--db", str(tmp_path / "h.db"), "--port", str(port)]) == 1


def test_status_shows_connections_and_reply_times_of_a_running_server(tmp_path, capsys):
    port = free_port()
    proc = start_server(tmp_path / "hall.db", port)
    try:
        with BlockingHallClient("127.0.0.1", port, "kiosk", "status-kiosk") as kiosk:
            service = kiosk.call("catalog")["services"][0]["code"]
            kiosk.call("issue", service=service, req="s-1")
            assert main(["status", "--server", f"127.0.0.1:{port}"]) == 0
            out = capsys.readouterr().out
            assert "1 kiosk" in out and "1 admin" in out
            assert re.search(r"^issue\s+1\s", out, re.M), out
            assert re.search(r"^  service_cpu\s+\d+\s", out, re.M), out
            assert main(["status", "--server", f"127.0.0.1:{port}", "--json"]) == 0
            stats = json.loads(capsys.readouterr().out)
            assert stats["latency"]["issue"]["n"] == 1 and stats["latency"]["catalog"]["n"] == 1
    finally:
        proc.terminate()
        proc.wait(10)


def test_status_names_a_server_that_does_not_answer(capsys):
    assert main(["status", "--server", f"127.0.0.1:{free_port()}"]) == 1
    assert "no hall server answers" in capsys.readouterr().err


def test_server_stats_are_for_admins_only(hall_server):
    with hall_server.client("kiosk", "nosy") as kiosk:
        assert kiosk.send("server_stats")["error"]["code"] == "forbidden"


def test_server_stats_break_a_batch_into_phases(hall_server):
    """server_stats says where a request's time went: queueing, the service (wall and CPU),
    writing the replies, the loop's lateness and the collector's pauses."""
    kiosk = hall_server.client("kiosk", "stats-kiosk")
    for n in range(5):
        kiosk.call("issue", service=kiosk.call("catalog")["services"][0]["code"], req=f"r{n}")
    with hall_server.client("admin", "stats-admin") as admin:
        stats = admin.call("server_stats", reset=True)
        phases = stats["phases"]
        assert phases["batch_size"]["n"] >= 10  # five catalogs and five issues, at least
        assert phases["batch_size"]["max"] >= 1
        for name in ("queued", "service", "service_cpu", "deliver"):
            assert phases[name]["n"] == phases["batch_size"]["n"], name
            assert 0 <= phases[name]["p50_ms"] <= phases[name]["max_ms"], name
        assert phases["service_cpu"]["max_ms"] <= phases["service"]["max_ms"] + 1.0
        assert isinstance(stats["gc"], dict)
        assert admin.call("server_stats")["phases"]["batch_size"]["n"] == 0  # reset took effect
    kiosk.close()


def _in_a_terminal(argv: list[str], typed: list[str], home) -> tuple[int, str]:
    """Run `queue-hall ARGV` with a pseudo-terminal as its terminal, typing each of `typed`
    at a prompt. `setsid --ctty` makes the pty the controlling terminal getpass reads."""
    import os
    import select
    import shutil
    import subprocess
    import sys
    import time

    setsid = shutil.which("setsid")
    if setsid is None:
        pytest.skip("needs setsid (util-linux) to give the command a terminal")
    main_fd, tty_fd = os.openpty()
    proc = subprocess.Popen(
        [setsid, "--ctty", "--wait", sys.executable, "-m", "shared.cli.main", *argv],
        stdin=tty_fd,
        stdout=tty_fd,
        stderr=tty_fd,
        env={**os.environ, "QUEUE_HALL_HOME": str(home)},
        close_fds=True,
    )
    os.close(tty_fd)
    screen = b""
    pending = list(typed)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([main_fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(main_fd, 1024)
                except OSError:  # the command ended and closed the terminal
                    break
                if not chunk:
                    break
                screen += chunk
                if pending and screen.endswith(b": "):  # a prompt, echo already off
                    os.write(main_fd, pending.pop(0).encode() + b"\n")
            elif proc.poll() is not None:
                break
        code = proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(main_fd)
    return code, screen.decode("utf-8", "replace")


def test_clerk_add_without_pin_asks_twice_without_echo(tmp_path):
    db = _new_hall(tmp_path)
    argv = ["clerk", "add", "2002", "--name", "钱七", "--db", str(db)]
    code, screen = _in_a_terminal(argv, ["24680", "24680"], tmp_path)
    assert code == 0, screen
    assert "PIN for clerk 2002" in screen and "the same PIN again" in screen
    assert "24680" not in screen  # nothing typed was echoed
    store = HallStore(db)
    try:
        stored = store.scalar("SELECT pin_hash FROM clerks WHERE id = '2002'")
    finally:
        store.close()
    assert auth.check_pin("24680", stored)


def test_clerk_add_refuses_two_different_pins(tmp_path):
    db = _new_hall(tmp_path)
    argv = ["clerk", "add", "2003", "--name", "孙八", "--db", str(db)]
    code, screen = _in_a_terminal(argv, ["1357", "7531"], tmp_path)
    assert code == 2 and "differ" in screen
