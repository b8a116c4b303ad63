"""Crash loop: SIGKILL the real server under load, restart it on the same file, count what broke.

Kiosks issue and confirm tickets and counters call and finish them, each in a thread
of its own with a blocking client, while the `queue-hall serve` subprocess is killed
at a random moment. After each restart the database is checked against every reply
the clients received: acknowledged tickets lost, numbers given twice, tickets held by
two counters, and event `seq` numbers reused. All must be zero.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from shared.client.connection import BlockingHallClient
from shared.domain.errors import HallError

PRIORITY_PIN = "2580"
COUNTERS = (("1001", "1234"), ("1002", "2345"), ("1003", "3456"), ("1004", "4567"))


def write_hall_file(folder: Path) -> Path:
    """The crash loop's hall: its clerks, the staff PIN for priority tickets, and kiosks that
    issue without the issuing limit (the loop measures what survives a kill, not how fast
    one kiosk may issue)."""
    path = folder / "crash_hall.toml"
    clerks = "".join(
        f'\n[[clerks]]\nid = "{clerk}"\nname = "柜员{clerk}"\npin = "{pin}"\n'
        for clerk, pin in COUNTERS
    )
    path.write_text(
        "[kiosk]\nissue_burst = 100000\nissues_per_minute = 100000\n"
        f'priority_pin = "{PRIORITY_PIN}"\n' + clerks,
        encoding="utf-8",
    )
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int, config: Path | None = None) -> subprocess.Popen[bytes]:
    """`queue-hall serve` as a subprocess; returns once it accepts connections."""
    env = {**os.environ, "QUEUE_HALL_HOME": str(db.parent)}
    env.pop("QUEUE_HALL_KEY", None)
    extra = ["--config", str(config)] if config else []
    stderr = open(db.parent / "server-stderr.log", "ab")  # noqa: SIM115 - the child owns it
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "shared.cli.main",
            "serve",
            "--db",
            str(db),
            "--port",
            str(port),
            *extra,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )
    stderr.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"server exited: {(db.parent / 'server-stderr.log').read_text(errors='replace')[-2000:]}"
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.recv(1)  # the welcome
                return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("server did not start listening within 30 s")


@dataclass
class Acknowledged:
    """What the clients were told: the server must never contradict it."""

    issued: dict[int, str] = field(default_factory=dict)  # ticket id -> number
    calls: list[tuple[int, int]] = field(default_factory=list)  # (ticket id, counter)
    max_seq: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def saw_seq(self, client: BlockingHallClient) -> None:
        seqs = [e["seq"] for e in client.events if isinstance(e.get("seq"), int)]
        client.events.clear()
        if seqs:
            with self.lock:
                self.max_seq = max(self.max_seq, *seqs)


def kiosk_worker(port: int, name: str, ack: Acknowledged, stop: threading.Event) -> None:
    try:
        client = BlockingHallClient("127.0.0.1", port, "kiosk", name, timeout=5)
        services = [s["code"] for s in client.call_all("catalog")["services"]]
        rng = random.Random(name)
        while not stop.is_set():
            result = client.call(
                "issue",
                service=rng.choice(services),
                req=uuid.uuid4().hex,
                priority=rng.random() < 0.1,
                priority_pin=PRIORITY_PIN,
            )
            ticket = result["ticket"]
            with ack.lock:
                ack.issued[ticket["id"]] = ticket["number"]
            client.call("printed", ticket=ticket["id"])
            ack.saw_seq(client)
    except (OSError, ConnectionError, HallError):
        return


def counter_worker(
    port: int, number: int, clerk: tuple[str, str], ack: Acknowledged, stop: threading.Event
) -> None:
    try:
        client = BlockingHallClient(
            "127.0.0.1", port, "counter", f"counter-{number}", counter=number, timeout=5
        )
        client.call("login", clerk=clerk[0], pin=clerk[1])
        while not stop.is_set():
            ticket = client.call("call_next", req=uuid.uuid4().hex)["ticket"]
            if ticket is not None:
                with ack.lock:
                    ack.calls.append((ticket["id"], number))
            else:
                time.sleep(0.005)
            ack.saw_seq(client)
    except (OSError, ConnectionError, HallError):
        return


@dataclass
class Counts:
    rounds: int = 0
    acknowledged_tickets: int = 0
    lost: int = 0
    duplicate_numbers: int = 0
    double_held: int = 0
    seq_reused: int = 0
    calls_lost: int = 0

    @property
    def broken(self) -> int:
        return (
            self.lost
            + self.duplicate_numbers
            + self.double_held
            + self.seq_reused
            + self.calls_lost
        )


def check(db: Path, ack: Acknowledged, port: int, counts: Counts) -> None:
    conn = sqlite3.connect(db)
    stored = dict(conn.execute("SELECT id, number FROM tickets").fetchall())
    counts.acknowledged_tickets = len(ack.issued)
    counts.lost = sum(1 for tid, number in ack.issued.items() if stored.get(tid) != number)
    counts.duplicate_numbers = conn.execute(
        "SELECT count(*) FROM (SELECT day, number FROM tickets GROUP BY day, number HAVING count(*) > 1)"
    ).fetchone()[0]
    counts.double_held = conn.execute(
        "SELECT count(*) FROM (SELECT ticket_id FROM counters WHERE ticket_id IS NOT NULL"
        " GROUP BY ticket_id HAVING count(*) > 1)"
    ).fetchone()[0]
    logged = set(
        conn.execute("SELECT ticket_id, counter FROM ticket_log WHERE action = 'call'").fetchall()
    )
    counts.calls_lost = sum(1 for call in ack.calls if call not in logged)
    conn.close()
    # The next event after a restart must carry a seq above every seq any client saw.
    with BlockingHallClient("127.0.0.1", port, "admin", "crashloop-check", timeout=5) as admin:
        if admin.hello_result["seq"] < ack.max_seq:
            counts.seq_reused += 1


def run(
    rounds: int, workdir: Path, min_run_s: float = 0.3, max_run_s: float = 1.2, seed: int = 7
) -> Counts:
    db = workdir / "crash.db"
    port = free_port()
    ack = Acknowledged()
    counts = Counts()
    rng = random.Random(seed)
    hall_file = write_hall_file(workdir)
    proc = start_server(db, port, hall_file)
    try:
        for _ in range(rounds):
            stop = threading.Event()
            threads = [
                threading.Thread(target=kiosk_worker, args=(port, f"kiosk-{k}", ack, stop))
                for k in (1, 2)
            ]
            threads += [
                threading.Thread(target=counter_worker, args=(port, i + 1, clerk, ack, stop))
                for i, clerk in enumerate(COUNTERS)
            ]
            issued_before = len(ack.issued)
            for t in threads:
                t.start()
            # The kill comes at a random moment once the load really runs: on a busy machine
            # the clients may take a while to connect, and a kill before them proves nothing.
            running_by = time.monotonic() + 10
            while len(ack.issued) < issued_before + 3 and time.monotonic() < running_by:
                time.sleep(0.02)
            time.sleep(rng.uniform(min_run_s, max_run_s))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            stop.set()
            for t in threads:
                t.join(10)
            proc = start_server(db, port, hall_file)
            check(db, ack, port, counts)
            counts.rounds += 1
            if counts.broken:
                break
    finally:
        proc.kill()
        proc.wait()
    return counts


def main(argv: list[str] | None = None) -> int:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        counts = run(args.rounds, Path(tmp))
        print(f"rounds                    {counts.rounds}")
        print(f"acknowledged tickets      {counts.acknowledged_tickets}")
        print(f"acknowledged tickets lost {counts.lost}")
        print(f"numbers given twice       {counts.duplicate_numbers}")
        print(f"tickets held by two       {counts.double_held}")
        print(f"acknowledged calls lost   {counts.calls_lost}")
        print(f"event seq reused          {counts.seq_reused}")
        print(f"time                      {time.monotonic() - started:.1f} s")
        print(json.dumps({k: getattr(counts, k) for k in counts.__dataclass_fields__}))
    return 1 if counts.broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
